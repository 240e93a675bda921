// Configuration from NRP_* environment variables with typed defaults. Every
// problem is collected and reported naming the variable, so an operator sees
// all mistakes at once instead of one per restart.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/status.h"

namespace nrp {

class Env {
 public:
  // Reads the process environment.
  Env();
  // Reads the given variables only (tests, tools).
  explicit Env(std::map<std::string, std::string> vars);

  std::string String(std::string_view name, std::string default_value);
  // Missing or empty is a problem.
  std::string Required(std::string_view name);
  int64_t Int(std::string_view name, int64_t default_value, int64_t min, int64_t max);
  double Double(std::string_view name, double default_value, double min, double max);
  // Accepts true/false/1/0/yes/no/on/off.
  bool Bool(std::string_view name, bool default_value);
  // Accepts "250ms", "5s", "2m", "1h" or a bare number of milliseconds.
  std::chrono::milliseconds Duration(std::string_view name, std::chrono::milliseconds default_value);
  // Comma-separated list; empty items dropped; surrounding spaces trimmed.
  std::vector<std::string> List(std::string_view name, std::vector<std::string> default_value);
  // One of the given words.
  std::string OneOf(std::string_view name, std::string default_value,
                    const std::vector<std::string>& allowed);

  // INVALID_ARGUMENT listing every bad variable ("NRP_GRPC_PORT: expected an
  // integer in 1..65535, got 'abc'"), or OK.
  Status Check() const;

  // Variables read so far with their effective value (for a startup log line).
  const std::map<std::string, std::string>& Effective() const { return effective_; }

 private:
  std::optional<std::string> Lookup(std::string_view name) const;
  void Problem(std::string_view name, std::string description);

  std::optional<std::map<std::string, std::string>> vars_;
  std::vector<FieldViolation> problems_;
  std::map<std::string, std::string> effective_;
};

// Parses "250ms", "5s", "2m", "1h" or plain milliseconds.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace nrp
