// Errors and results shared by every module: domain code returns them, the gRPC
// layer maps them to status codes (the numeric values equal gRPC's).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nrp {

enum class Code : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// Name of a code as gRPC spells it, e.g. "INVALID_ARGUMENT".
const char* CodeName(Code code);

// One invalid request field (google.rpc.BadRequest.FieldViolation).
struct FieldViolation {
  std::string field;
  std::string description;
  bool operator==(const FieldViolation&) const = default;
};

// One domain rule that blocked a transition (google.rpc.PreconditionFailure.Violation).
struct RuleViolation {
  std::string type;
  std::string subject;
  std::string description;
  bool operator==(const RuleViolation&) const = default;
};

class Error {
 public:
  Error(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  // "<field>: <description>", with the field recorded as a violation.
  static Error InvalidArgument(std::string field, std::string description);
  static Error NotFound(std::string message) { return {Code::kNotFound, std::move(message)}; }
  static Error AlreadyExists(std::string message) {
    return {Code::kAlreadyExists, std::move(message)};
  }
  // A domain rule blocks the transition; `type` is a stable UPPER_SNAKE name of the rule.
  static Error FailedPrecondition(std::string type, std::string subject, std::string message);
  static Error PermissionDenied(std::string message) {
    return {Code::kPermissionDenied, std::move(message)};
  }
  static Error Unauthenticated(std::string message) {
    return {Code::kUnauthenticated, std::move(message)};
  }
  static Error Aborted(std::string message) { return {Code::kAborted, std::move(message)}; }
  static Error Unavailable(std::string message) {
    return {Code::kUnavailable, std::move(message)};
  }
  static Error ResourceExhausted(std::string message) {
    return {Code::kResourceExhausted, std::move(message)};
  }
  static Error Internal(std::string message) { return {Code::kInternal, std::move(message)}; }
  static Error DeadlineExceeded(std::string message) {
    return {Code::kDeadlineExceeded, std::move(message)};
  }

  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldViolation>& field_violations() const { return fields_; }
  const std::vector<RuleViolation>& rule_violations() const { return rules_; }
  // Machine-readable reason (google.rpc.ErrorInfo.reason) and its metadata.
  const std::string& reason() const { return reason_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  Error& AddField(std::string field, std::string description);
  Error& AddRule(std::string type, std::string subject, std::string description);
  Error& WithReason(std::string reason);
  Error& WithMetadata(std::string key, std::string value);
  // Prefixes the message, e.g. with the operation that failed.
  Error& Prefix(std::string_view context);

  // "INVALID_ARGUMENT: unit_code: ..." for logs.
  std::string ToString() const;

 private:
  Code code_;
  std::string message_;
  std::vector<FieldViolation> fields_;
  std::vector<RuleViolation> rules_;
  std::string reason_;
  std::map<std::string, std::string> metadata_;
};

// A value or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }
  Error& error() { return std::get<1>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T value_or(T other) const { return ok() ? value() : std::move(other); }

 private:
  std::variant<T, Error> v_;
};

// Success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  Error& error() { return error_; }

 private:
  Error error_{Code::kOk, ""};
  bool ok_ = true;
};

using Status = Result<void>;
inline Status Ok() { return {}; }

}  // namespace nrp

#define NRP_CONCAT_INNER_(a, b) a##b
#define NRP_CONCAT_(a, b) NRP_CONCAT_INNER_(a, b)

// Returns the error of a Result/Status expression from the enclosing function.
#define NRP_RETURN_IF_ERROR(expr)                           \
  do {                                                      \
    auto nrp_status_ = (expr);                              \
    if (!nrp_status_.ok()) return std::move(nrp_status_.error()); \
  } while (0)

// `NRP_ASSIGN_OR_RETURN(auto x, Compute());`
#define NRP_ASSIGN_OR_RETURN(lhs, expr) \
  NRP_ASSIGN_OR_RETURN_IMPL_(NRP_CONCAT_(nrp_result_, __LINE__), lhs, expr)
#define NRP_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return std::move(tmp.error());    \
  lhs = std::move(tmp).value()
