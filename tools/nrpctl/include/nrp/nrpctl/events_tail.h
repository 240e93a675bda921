// `nrpctl events tail`: a Kafka consumer on the platform's topics that prints
// every CloudEvent as one JSON object a line, its payload decoded through the
// generated descriptor pool by ce_dataschema:
//   {"topic","partition","offset","key","ce_id","ce_type","ce_source",
//    "ce_subject","ce_time","ce_dataschema","traceparent","data":{…}}
// plus "dlq_reason" on dead-letter topics. A record that is not a valid
// envelope gets "envelope_error"; a payload that cannot be decoded gets
// "data": null, "data_error" (the reason) and "data_base64" (the bytes).
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "nrp/events/cloud_event.h"
#include "nrp/events/kafka.h"
#include "nrp/nrpctl/context.h"

namespace nrp::nrpctl {

// One Kafka record as read.
struct KafkaRecord {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  std::string key;
  events::Headers headers;
  std::string value;
};

// The JSON object `events tail` prints for a record (never fails).
nlohmann::ordered_json RecordToJson(const KafkaRecord& record);

struct TailOptions {
  std::vector<std::string> topics;  // empty: every platform topic
  bool dlq = false;                 // also the .dlq topic of each
  std::vector<std::string> types;   // ce_type filter; empty: all
  bool from_beginning = false;
  int64_t max = 0;                                   // stop after this many; 0: no limit
  std::optional<std::chrono::milliseconds> timeout;  // stop after this long
  std::string group;                                 // empty: a unique group, no commits
  bool pretty = false;                               // indented JSON instead of one line
  std::chrono::milliseconds connect_timeout{10000};  // to reach the broker at start
};

// The topics a tail subscribes to: the given ones, or those of the types
// asked for, or every platform topic; with `dlq`, each one's .dlq as well.
std::vector<std::string> TailTopics(const TailOptions& options);

// Runs the consumer until SIGINT/SIGTERM (ctx.stop), --max or --timeout.
// Exit code: 0, kExitConnection when the broker cannot be reached at start,
// kExitFailure when --max was given and --timeout ended the tail first.
int RunTail(Context& ctx, const events::KafkaOptions& kafka, const TailOptions& options);

}  // namespace nrp::nrpctl
