#include "nrp/events/handler.h"

namespace nrp::events {

bool IsTransient(Code code) {
  switch (code) {
    case Code::kUnavailable:
    case Code::kAborted:
    case Code::kDeadlineExceeded:
    case Code::kResourceExhausted:
      return true;
    default:
      return false;
  }
}

HandlerResult Classify(const Error& error) {
  return IsTransient(error.code()) ? HandlerResult::Transient(error.ToString())
                                   : HandlerResult::Permanent(error.ToString());
}

HandlerResult Classify(const Status& status) {
  return status.ok() ? HandlerResult::Ok() : Classify(status.error());
}

HandlerResult Decode(const CloudEvent& event, google::protobuf::Message* message) {
  auto st = ParsePayload(event, message);
  return st.ok() ? HandlerResult::Ok() : HandlerResult::Permanent(st.error().ToString());
}

}  // namespace nrp::events
