// Turns an event message of the contract into an outbox row: the message's
// nrp.common.v1.event option names its ce_type, topic and key field, so a
// handler only says what happened and in which region.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/events/outbox.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace nrp::service {

class Runtime;

struct EventSpecView {
  std::string ce_type;
  std::string topic;
  std::string key_field;
};

// The event option of a message type; INVALID_ARGUMENT when it has none.
Result<EventSpecView> SpecOf(const google::protobuf::Message& payload);

// The value of a (dotted) field path of `message` as text: strings as they
// are, integers in decimal. INVALID_ARGUMENT when absent or empty.
Result<std::string> FieldText(const google::protobuf::Message& message, std::string_view path);

// The outbox row for `payload`: type and key from its option, topic prefixed,
// source "/nrp/<service>/<region_code>", a fresh id, the clock's time.
Result<events::OutboxEvent> BuildEvent(const google::protobuf::Message& payload,
                                       std::string_view service, std::string_view topic_prefix,
                                       std::string_view region_code, std::string_view traceparent,
                                       const Clock& clock);

// Appends the event to the outbox inside `tx`, stamped with `traceparent` or, when empty, the
// trace in force on this thread (trace::Current: the call, event or job being served).
Status Publish(Runtime& runtime, pqxx::dbtransaction& tx,
               const google::protobuf::Message& payload, std::string_view region_code,
               std::string_view traceparent = "");

}  // namespace nrp::service
