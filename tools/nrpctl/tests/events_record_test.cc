// How events tail prints a Kafka record: the CloudEvents headers, the payload
// decoded by ce_dataschema, and what it shows when something is wrong.
#include <gtest/gtest.h>

#include "nrp/events/cloud_event.h"
#include "nrp/events/topics.h"
#include "nrp/nrpctl/events_tail.h"
#include "nrp/nrpctl/format.h"
#include "nrp/planning/v1/events.pb.h"

namespace nrp::nrpctl {
namespace {

namespace planning = nrp::planning::v1;

KafkaRecord ZonePublishedRecord() {
  planning::ZonePublished zone;
  zone.set_layer_id("L1");
  zone.set_region_code("410300");
  zone.set_layer_kind(nrp::common::v1::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE);
  zone.set_layer_version(2);
  zone.set_zone_id("Z1");
  zone.set_name("伊洛河湿地");
  events::EventMeta meta;
  meta.type = "nrp.planning.zone_published.v1";
  meta.source = events::MakeSource("planning", "410300");
  meta.subject = "L1";
  meta.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  auto event = events::NewEvent(zone, meta);
  EXPECT_TRUE(event.ok());
  KafkaRecord r;
  r.topic = std::string(events::kPlanningTopic);
  r.partition = 3;
  r.offset = 42;
  r.key = event.value().key;
  r.headers = events::EncodeHeaders(event.value());
  r.value = event.value().payload;
  return r;
}

TEST(RecordToJson, DecodesHeadersAndPayload) {
  KafkaRecord r = ZonePublishedRecord();
  auto j = RecordToJson(r);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"topic", "partition", "offset", "key", "ce_id",
                                            "ce_type", "ce_source", "ce_subject", "ce_time",
                                            "ce_dataschema", "traceparent", "data"}));
  EXPECT_EQ(j["topic"], "nrp.planning.events.v1");
  EXPECT_EQ(j["partition"], 3);
  EXPECT_EQ(j["offset"], 42);
  EXPECT_EQ(j["key"], "L1");
  EXPECT_EQ(j["ce_id"], *events::FindHeader(r.headers, events::kHeaderId));
  EXPECT_EQ(j["ce_type"], "nrp.planning.zone_published.v1");
  EXPECT_EQ(j["ce_source"], "/nrp/planning/410300");
  EXPECT_EQ(j["ce_subject"], "L1");
  EXPECT_EQ(j["ce_dataschema"], "nrp.planning.v1.ZonePublished");
  EXPECT_EQ(j["traceparent"], "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(j["data"]["zone_id"], "Z1");
  EXPECT_EQ(j["data"]["name"], "伊洛河湿地");
  EXPECT_EQ(j["data"]["layer_kind"], "ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE");
  EXPECT_EQ(j["data"]["layer_version"], "2");
}

TEST(RecordToJson, UndecodablePayloadShowsReasonAndBytes) {
  KafkaRecord garbage = ZonePublishedRecord();
  garbage.value = std::string("\xff\xff\xff\xff", 4);
  auto j = RecordToJson(garbage);
  EXPECT_TRUE(j["data"].is_null());
  EXPECT_EQ(j["data_error"], "the value does not parse as nrp.planning.v1.ZonePublished");
  EXPECT_EQ(j["data_base64"], "/////w==");
  EXPECT_EQ(j["ce_type"], "nrp.planning.zone_published.v1") << "the envelope is still shown";

  KafkaRecord unknown = ZonePublishedRecord();
  for (auto& [k, v] : unknown.headers) {
    if (k == events::kHeaderDataSchema) v = "nrp.forestry.v1.TreePlanted";
  }
  auto u = RecordToJson(unknown);
  EXPECT_TRUE(u["data"].is_null());
  EXPECT_EQ(u["data_error"],
            "ce_dataschema 'nrp.forestry.v1.TreePlanted' is not a message of the contract");
  EXPECT_EQ(u["data_base64"], Base64(unknown.value));
}

TEST(RecordToJson, NotAnEnvelopeAtAll) {
  KafkaRecord r;
  r.topic = "nrp.planning.events.v1";
  r.partition = 0;
  r.offset = 7;
  r.value = "hello";
  auto j = RecordToJson(r);
  EXPECT_TRUE(j["ce_id"].is_null());
  EXPECT_TRUE(j["ce_type"].is_null());
  EXPECT_TRUE(j["data"].is_null());
  EXPECT_NE(j["envelope_error"].get<std::string>().find("ce_id: missing"), std::string::npos)
      << j.dump();
  EXPECT_EQ(j["data_error"], "no ce_dataschema header: the payload's message type is unknown");
  EXPECT_EQ(j["data_base64"], "aGVsbG8=");
}

TEST(RecordToJson, DeadLetterReasonAndBinaryKeys) {
  KafkaRecord r = ZonePublishedRecord();
  r.topic = events::DlqTopic(events::kPlanningTopic);
  r.headers.emplace_back("nrp_dlq_reason", "zone_count mismatch: 3 received, 4 announced");
  r.key = std::string("L\xff", 2);
  auto j = RecordToJson(r);
  EXPECT_EQ(j["dlq_reason"], "zone_count mismatch: 3 received, 4 announced");
  // Not UTF-8: still printable.
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  EXPECT_NE(line.find("\"key\":\"L"), std::string::npos);
}

TEST(TailTopics, DefaultsTypesAndDeadLetters) {
  TailOptions o;
  EXPECT_EQ(TailTopics(o).size(), 5u);
  o.types = {"nrp.planning.zone_published.v1", "nrp.registration.certificate_issued.v1"};
  EXPECT_EQ(TailTopics(o),
            (std::vector<std::string>{"nrp.planning.events.v1", "nrp.registration.events.v1"}));
  o.dlq = true;
  EXPECT_EQ(TailTopics(o), (std::vector<std::string>{
                               "nrp.planning.events.v1", "nrp.planning.events.v1.dlq",
                               "nrp.registration.events.v1", "nrp.registration.events.v1.dlq"}));
  o.types = {"nrp.forestry.tree_planted.v1"};
  o.dlq = false;
  EXPECT_EQ(TailTopics(o).size(), 5u) << "an unknown type may be anywhere";
  o.topics = {"my.topic"};
  EXPECT_EQ(TailTopics(o), (std::vector<std::string>{"my.topic"}));
}

}  // namespace
}  // namespace nrp::nrpctl
