// What another agency checks on every event it reads, knowing only the
// CloudEvents 1.0 Kafka binary mode and protos/: the envelope headers, the
// payload decoded as the message ce_dataschema names (from the descriptors
// compiled from protos/), and the event option of that message (ce_type,
// topic, key field) agreeing with the headers, the topic and the Kafka key.
#pragma once

#include <google/protobuf/message.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "external_subscriber.h"

namespace nrp::e2e {

struct DecodedEvent {
  KafkaRecord record;
  std::string base_topic;  // the topic without the test's prefix
  std::string id;          // ce_id
  std::string type;        // ce_type
  std::string source;      // ce_source
  std::string subject;     // ce_subject
  std::string time;        // ce_time
  std::string dataschema;  // ce_dataschema
  std::string service;     // from ce_type: nrp.<service>.<event>.v<N>
  std::shared_ptr<google::protobuf::Message> payload;
  // The payload's string field `name` (empty when it has none).
  std::string Field(const std::string& name) const;
};

// Checks one record; every problem found is appended to `problems` (empty =
// the record keeps the contract). `not_before`/`not_after` bound ce_time.
DecodedEvent CheckEventContract(const KafkaRecord& record, const std::string& topic_prefix,
                                std::chrono::system_clock::time_point not_before,
                                std::chrono::system_clock::time_point not_after,
                                std::vector<std::string>* problems);

// Links the generated code of every events.proto, so the descriptor pool
// knows each payload message by its full name.
void RegisterEventMessages();

}  // namespace nrp::e2e
