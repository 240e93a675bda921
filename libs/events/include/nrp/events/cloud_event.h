// The CloudEvents 1.0 envelope in Kafka binary mode (architecture §3): the
// Kafka value is the payload (a protobuf message), the key is the aggregate
// id, and the envelope's attributes travel as Kafka headers:
//
//   ce_specversion  "1.0"
//   ce_id           UUID, unique per event (consumers deduplicate on it)
//   ce_source       "/nrp/<service>/<region-code>"
//   ce_type         "nrp.<service>.<event>.v<major>"
//   ce_subject      the aggregate id
//   ce_time         RFC 3339
//   content-type    "application/protobuf"
//   ce_dataschema   full name of the payload's protobuf message
//   traceparent     W3C trace context (optional)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nrp/core/clock.h"
#include "nrp/core/status.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace nrp::events {

inline constexpr std::string_view kSpecVersion = "1.0";
inline constexpr std::string_view kProtobufContentType = "application/protobuf";

// Header names.
inline constexpr std::string_view kHeaderSpecVersion = "ce_specversion";
inline constexpr std::string_view kHeaderId = "ce_id";
inline constexpr std::string_view kHeaderSource = "ce_source";
inline constexpr std::string_view kHeaderType = "ce_type";
inline constexpr std::string_view kHeaderSubject = "ce_subject";
inline constexpr std::string_view kHeaderTime = "ce_time";
inline constexpr std::string_view kHeaderContentType = "content-type";
inline constexpr std::string_view kHeaderDataSchema = "ce_dataschema";
inline constexpr std::string_view kHeaderTraceparent = "traceparent";

// Kafka headers in order; a name may repeat (the last one wins when decoding).
using Headers = std::vector<std::pair<std::string, std::string>>;

// Value of the last header named `name`, or nullptr.
const std::string* FindHeader(const Headers& headers, std::string_view name);

struct CloudEvent {
  std::string id;                                                   // ce_id
  std::string source;                                               // ce_source
  std::string type;                                                 // ce_type
  std::string subject;                                              // ce_subject
  std::string time;                                                 // ce_time
  std::string datacontenttype = std::string(kProtobufContentType);  // content-type
  std::string dataschema;                                           // ce_dataschema
  std::string traceparent;                                          // empty when absent
  std::string key;                                                  // Kafka key
  std::string payload;                                              // Kafka value

  // Where the event was read from (set by the consumer; empty/-1 otherwise).
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
};

// What a producer says about an event; the rest is filled in by NewEvent.
struct EventMeta {
  std::string type;         // "nrp.<service>.<event>.v1"
  std::string source;       // MakeSource(service, region_code)
  std::string subject;      // aggregate id; also the Kafka key unless `key` is set
  std::string key;          // defaults to `subject`
  std::string traceparent;  // optional W3C trace context of the causing request
};

// "/nrp/<service>/<region_code>".
std::string MakeSource(std::string_view service, std::string_view region_code);

// An event with a fresh time-ordered UUID, the clock's time, the payload
// serialized and ce_dataschema set to the message's full name. Validated.
Result<CloudEvent> NewEvent(const google::protobuf::Message& payload, EventMeta meta,
                            const Clock& clock = SystemClock::Instance());
// The same for a payload that is already serialized; `dataschema` names its
// message type.
Result<CloudEvent> NewEvent(std::string payload, std::string dataschema, EventMeta meta,
                            const Clock& clock = SystemClock::Instance());

// INVALID_ARGUMENT naming every missing or malformed attribute (each one a
// field violation named by its header), or OK.
Status Validate(const CloudEvent& event);

// The headers of the envelope (traceparent only when set).
Headers EncodeHeaders(const CloudEvent& event);

// Reads and validates an envelope from Kafka headers, key and value. The
// error names every missing or malformed header at once.
Result<CloudEvent> DecodeEvent(const Headers& headers, std::string key, std::string payload);

// Parses the payload into `message`; INVALID_ARGUMENT when ce_dataschema names
// another message type or the bytes do not parse.
Status ParsePayload(const CloudEvent& event, google::protobuf::Message* message);

// The major version of a type: "nrp.planning.zone_published.v2" → 2; -1 when
// the type does not end in ".v<N>".
int TypeVersion(std::string_view type);

}  // namespace nrp::events
