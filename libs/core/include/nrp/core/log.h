// Structured logging: one JSON object a line on stderr (or a chosen stream),
// with the service, the trace id and other context of the current thread.
// Never log personal id numbers in clear: mask them with MaskIdNumber().
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nrp::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

struct Field {
  using Value = std::variant<std::string, int64_t, double, bool>;
  Field(std::string k, std::string v) : key(std::move(k)), value(std::move(v)) {}
  Field(std::string k, const char* v) : key(std::move(k)), value(std::string(v)) {}
  Field(std::string k, std::string_view v) : key(std::move(k)), value(std::string(v)) {}
  Field(std::string k, int v) : key(std::move(k)), value(static_cast<int64_t>(v)) {}
  Field(std::string k, long v) : key(std::move(k)), value(static_cast<int64_t>(v)) {}
  Field(std::string k, long long v) : key(std::move(k)), value(static_cast<int64_t>(v)) {}
  Field(std::string k, unsigned v) : key(std::move(k)), value(static_cast<int64_t>(v)) {}
  Field(std::string k, unsigned long v) : key(std::move(k)), value(static_cast<int64_t>(v)) {}
  Field(std::string k, double v) : key(std::move(k)), value(v) {}
  Field(std::string k, bool v) : key(std::move(k)), value(v) {}
  std::string key;
  Value value;
};

// Sets the service name and minimum level; `out` defaults to std::cerr.
void Configure(std::string service, Level min_level, std::ostream* out = nullptr);
// Parses "debug", "info", "warn", "error".
bool ParseLevel(std::string_view text, Level* out);
bool Enabled(Level level);

void Write(Level level, std::string_view message, std::initializer_list<Field> fields = {});
inline void Debug(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kDebug, m, f); }
inline void Info(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kInfo, m, f); }
inline void Warn(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kWarn, m, f); }
inline void Error(std::string_view m, std::initializer_list<Field> f = {}) { Write(Level::kError, m, f); }

// Adds fields (trace_id, region, aggregate id …) to every line this thread
// writes while the object lives.
class ScopedContext {
 public:
  ScopedContext(std::initializer_list<Field> fields);
  ~ScopedContext();
  ScopedContext(const ScopedContext&) = delete;
  ScopedContext& operator=(const ScopedContext&) = delete;

 private:
  size_t previous_size_;
};

// Appends `s` to `out` as a JSON string literal (with quotes).
void AppendJsonString(std::string& out, std::string_view s);

// "110101********1234": keeps the first 6 and last 4 characters.
std::string MaskIdNumber(std::string_view id);

}  // namespace nrp::log
