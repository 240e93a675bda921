// What a command runs with: its streams, its environment and the place a
// signal is reported, so the CLI runs the same from main() and from tests.
// Exit codes (docs/nrpctl.md):
//   0 success
//   1 the command ran but did not get what it waited for (events tail --max
//     not reached before --timeout) or a local step failed (a file to write)
//   2 usage: unknown command or flag, bad arguments, unreadable or invalid input
//   3 the server answered with an error (or NOT_SERVING)
//   4 the server or broker could not be reached
#pragma once

#include <atomic>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "nrp/core/config.h"
#include "nrp/core/status.h"

namespace nrp::nrpctl {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,
  kExitUsage = 2,
  kExitServer = 3,
  kExitConnection = 4,
};

// Set by main()'s SIGINT/SIGTERM handler while a long-running command (events
// tail) has armed it; otherwise the signal has its default effect.
struct StopSignal {
  std::atomic<bool> armed{false};
  std::atomic<bool> raised{false};
};

struct Context {
  std::ostream* out = &std::cout;
  std::ostream* err = &std::cerr;
  std::istream* in = &std::cin;
  // Whether `in` is an interactive terminal (then it is never read implicitly).
  bool in_is_terminal = false;
  // The variables commands see; nullopt means the process environment.
  std::optional<std::map<std::string, std::string>> env;
  // Folders holding the local stack's state (tokens.json, kafka.bootstrap),
  // searched in order. nullopt means: $NRP_LOCAL_STATE, then `.local` in the
  // current directory and each parent, then `.local` of the checkout nrpctl
  // was built from.
  std::optional<std::vector<std::string>> local_state_dirs;
  // May be null (nothing stops the command but its own limits).
  StopSignal* stop = nullptr;

  std::optional<std::string> Getenv(std::string_view name) const;
  // An nrp::Env over the same variables (for the libraries' FromEnv helpers).
  Env MakeEnv() const;
  // The local stack folders to search (see local_state_dirs).
  std::vector<std::string> LocalStateDirs() const;
};

// Why a step failed and which exit code that means. `error` carries the
// server's code, message and details for kExitServer; otherwise its message.
struct Failure {
  int exit_code = kExitFailure;
  Error error{Code::kUnknown, ""};
  // The command already printed what went wrong (e.g. health's one line).
  bool reported = false;

  static Failure Usage(std::string message);
  static Failure Local(std::string message);
  static Failure Server(Error error);
  static Failure Connection(std::string message);
};

// A value or a Failure.
template <class T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Outcome(Failure failure) : v_(std::move(failure)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Failure& failure() const { return std::get<1>(v_); }
  Failure& failure() { return std::get<1>(v_); }

 private:
  std::variant<T, Failure> v_;
};

using Done = Outcome<std::monostate>;
inline Done Success() { return std::monostate{}; }

}  // namespace nrp::nrpctl

#define NRPCTL_CONCAT_INNER_(a, b) a##b
#define NRPCTL_CONCAT_(a, b) NRPCTL_CONCAT_INNER_(a, b)

// Returns the Failure of an Outcome expression from the enclosing function.
#define NRPCTL_RETURN_IF_FAILED(expr)                                       \
  do {                                                                      \
    auto nrpctl_outcome_ = (expr);                                          \
    if (!nrpctl_outcome_.ok()) return std::move(nrpctl_outcome_.failure()); \
  } while (0)

// `NRPCTL_ASSIGN_OR_RETURN(auto x, Compute());`
#define NRPCTL_ASSIGN_OR_RETURN(lhs, expr) \
  NRPCTL_ASSIGN_OR_RETURN_IMPL_(NRPCTL_CONCAT_(nrpctl_outcome_, __LINE__), lhs, expr)
#define NRPCTL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp.failure());     \
  lhs = std::move(tmp).value()
