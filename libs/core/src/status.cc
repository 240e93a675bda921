#include "nrp/core/status.h"

namespace nrp {

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kCancelled: return "CANCELLED";
    case Code::kUnknown: return "UNKNOWN";
    case Code::kInvalidArgument: return "INVALID_ARGUMENT";
    case Code::kDeadlineExceeded: return "DEADLINE_EXCEEDED";
    case Code::kNotFound: return "NOT_FOUND";
    case Code::kAlreadyExists: return "ALREADY_EXISTS";
    case Code::kPermissionDenied: return "PERMISSION_DENIED";
    case Code::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case Code::kFailedPrecondition: return "FAILED_PRECONDITION";
    case Code::kAborted: return "ABORTED";
    case Code::kOutOfRange: return "OUT_OF_RANGE";
    case Code::kUnimplemented: return "UNIMPLEMENTED";
    case Code::kInternal: return "INTERNAL";
    case Code::kUnavailable: return "UNAVAILABLE";
    case Code::kDataLoss: return "DATA_LOSS";
    case Code::kUnauthenticated: return "UNAUTHENTICATED";
  }
  return "UNKNOWN";
}

Error Error::InvalidArgument(std::string field, std::string description) {
  Error e(Code::kInvalidArgument, field + ": " + description);
  e.fields_.push_back({std::move(field), std::move(description)});
  return e;
}

Error Error::FailedPrecondition(std::string type, std::string subject, std::string message) {
  Error e(Code::kFailedPrecondition, message);
  e.reason_ = type;
  e.rules_.push_back({std::move(type), std::move(subject), std::move(message)});
  return e;
}

Error& Error::AddField(std::string field, std::string description) {
  fields_.push_back({std::move(field), std::move(description)});
  return *this;
}

Error& Error::AddRule(std::string type, std::string subject, std::string description) {
  rules_.push_back({std::move(type), std::move(subject), std::move(description)});
  return *this;
}

Error& Error::WithReason(std::string reason) {
  reason_ = std::move(reason);
  return *this;
}

Error& Error::WithMetadata(std::string key, std::string value) {
  metadata_[std::move(key)] = std::move(value);
  return *this;
}

Error& Error::Prefix(std::string_view context) {
  message_ = std::string(context) + ": " + message_;
  return *this;
}

std::string Error::ToString() const { return std::string(CodeName(code_)) + ": " + message_; }

}  // namespace nrp
