#include "nrp/events/cloud_event.h"

#include <google/protobuf/wrappers.pb.h>
#include <gtest/gtest.h>

#include "nrp/core/uuid.h"
#include "nrp/events/topics.h"

namespace nrp::events {
namespace {

CloudEvent Sample() {
  CloudEvent e;
  e.id = "0190c9a4-8f1e-7cc3-9a51-5c4f7a2b1e01";
  e.source = "/nrp/mining_rights/410300";
  e.type = "nrp.mining_rights.right_granted.v1";
  e.subject = "C4103002025017001";
  e.time = "2025-03-01T08:00:00+08:00";
  e.dataschema = "nrp.mining_rights.v1.RightGranted";
  e.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  e.key = e.subject;
  e.payload = std::string("\x0a\x03\x61\x62\x63\x00\xff", 7);
  return e;
}

std::vector<std::string> Fields(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.field_violations()) out.push_back(f.field);
  return out;
}

Headers Without(Headers h, std::string_view name) {
  std::erase_if(h, [&](const auto& kv) { return kv.first == name; });
  return h;
}

TEST(CloudEvent, EncodesEveryHeaderOfTheContract) {
  Headers h = EncodeHeaders(Sample());
  EXPECT_EQ(h,
            (Headers{{"ce_specversion", "1.0"},
                     {"ce_id", "0190c9a4-8f1e-7cc3-9a51-5c4f7a2b1e01"},
                     {"ce_source", "/nrp/mining_rights/410300"},
                     {"ce_type", "nrp.mining_rights.right_granted.v1"},
                     {"ce_subject", "C4103002025017001"},
                     {"ce_time", "2025-03-01T08:00:00+08:00"},
                     {"content-type", "application/protobuf"},
                     {"ce_dataschema", "nrp.mining_rights.v1.RightGranted"},
                     {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}}));
}

TEST(CloudEvent, TraceparentIsLeftOutWhenAbsent) {
  CloudEvent e = Sample();
  e.traceparent.clear();
  Headers h = EncodeHeaders(e);
  EXPECT_EQ(FindHeader(h, "traceparent"), nullptr);
  auto back = DecodeEvent(h, e.key, e.payload);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->traceparent, "");
}

TEST(CloudEvent, RoundTripsThroughHeadersKeyAndValue) {
  CloudEvent e = Sample();
  auto back = DecodeEvent(EncodeHeaders(e), e.key, e.payload);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->id, e.id);
  EXPECT_EQ(back->source, e.source);
  EXPECT_EQ(back->type, e.type);
  EXPECT_EQ(back->subject, e.subject);
  EXPECT_EQ(back->time, e.time);
  EXPECT_EQ(back->datacontenttype, "application/protobuf");
  EXPECT_EQ(back->dataschema, e.dataschema);
  EXPECT_EQ(back->traceparent, e.traceparent);
  EXPECT_EQ(back->key, e.key);
  EXPECT_EQ(back->payload, e.payload);  // binary, with NUL and 0xff
}

TEST(CloudEvent, DecodingNamesEveryMissingHeaderAtOnce) {
  Headers h = EncodeHeaders(Sample());
  h = Without(h, "ce_id");
  h = Without(h, "ce_type");
  h = Without(h, "ce_time");
  h = Without(h, "ce_specversion");
  auto r = DecodeEvent(h, "k", "v");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(Fields(r.error()),
            (std::vector<std::string>{"ce_specversion", "ce_id", "ce_type", "ce_time"}));
  EXPECT_EQ(r.error().message(),
            "undecodable event envelope: ce_specversion: missing; ce_id: missing; ce_type: "
            "missing; ce_time: missing");
}

TEST(CloudEvent, DecodingWithNoHeadersAtAll) {
  auto r = DecodeEvent({}, "k", "v");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Fields(r.error()),
            (std::vector<std::string>{"ce_specversion", "ce_id", "ce_source", "ce_type",
                                      "ce_subject", "ce_time", "content-type"}));
}

TEST(CloudEvent, ProtobufContentNeedsADataSchema) {
  auto r = DecodeEvent(Without(EncodeHeaders(Sample()), "ce_dataschema"), "k", "v");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Fields(r.error()), (std::vector<std::string>{"ce_dataschema"}));
}

TEST(CloudEvent, RejectsMalformedAttributes) {
  struct Case {
    std::string header;
    std::string value;
  };
  for (const Case& c : std::vector<Case>{
           {"ce_specversion", "0.3"},
           {"ce_id", "not-a-uuid"},
           {"ce_source", "/nrp/mining_rights"},
           {"ce_source", "nrp/mining_rights/410300"},
           {"ce_source", "/nrp/Mining/410300"},
           {"ce_type", "nrp.mining_rights.right_granted"},
           {"ce_type", "com.example.right_granted.v1"},
           {"ce_type", "nrp.mining_rights.right_granted.vx"},
           {"ce_time", "2025-03-01 08:00:00"},
           {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"},
           {"traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"},
           {"traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"},
       }) {
    Headers h = Without(EncodeHeaders(Sample()), c.header);
    h.emplace_back(c.header, c.value);
    auto r = DecodeEvent(h, "k", "v");
    ASSERT_FALSE(r.ok()) << c.header << "=" << c.value;
    EXPECT_EQ(Fields(r.error()), (std::vector<std::string>{c.header})) << c.value;
  }
}

TEST(CloudEvent, TheLastOfRepeatedHeadersWins) {
  Headers h = EncodeHeaders(Sample());
  h.emplace_back("ce_subject", "C2");
  auto r = DecodeEvent(h, "k", "v");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->subject, "C2");
}

TEST(CloudEvent, ValidateRequiresAKey) {
  CloudEvent e = Sample();
  EXPECT_TRUE(Validate(e).ok());
  e.key.clear();
  Status s = Validate(e);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(Fields(s.error()), (std::vector<std::string>{"key"}));
}

TEST(CloudEvent, NewEventFromAProtobufMessage) {
  google::protobuf::StringValue msg;
  msg.set_value("宗地 410302-001");
  ManualClock clock(TimePoint(std::chrono::milliseconds(1740787200123)));
  auto e = NewEvent(msg,
                    {.type = "nrp.planning.zone_published.v1",
                     .source = MakeSource("planning", "410300"),
                     .subject = "ZONE-1"},
                    clock);
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  EXPECT_TRUE(IsUuid(e->id));
  EXPECT_EQ(e->source, "/nrp/planning/410300");
  EXPECT_EQ(e->key, "ZONE-1");
  EXPECT_EQ(e->subject, "ZONE-1");
  EXPECT_EQ(e->time, "2025-03-01T00:00:00.123Z");
  EXPECT_EQ(e->dataschema, "google.protobuf.StringValue");
  EXPECT_EQ(e->datacontenttype, "application/protobuf");

  google::protobuf::StringValue back;
  ASSERT_TRUE(ParsePayload(*e, &back).ok());
  EXPECT_EQ(back.value(), msg.value());

  google::protobuf::Int64Value wrong;
  Status s = ParsePayload(*e, &wrong);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), Code::kInvalidArgument);
}

TEST(CloudEvent, NewEventKeepsAnExplicitKeyAndRejectsBadMeta) {
  auto e = NewEvent("x", "nrp.test.v1.X",
                    {.type = "nrp.land_supply.contract_signed.v1",
                     .source = MakeSource("land_supply", "410300"),
                     .subject = "CONTRACT-9",
                     .key = "PARCEL-3"});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->key, "PARCEL-3");
  EXPECT_EQ(e->subject, "CONTRACT-9");
  auto bad = NewEvent("x", "nrp.test.v1.X", {.type = "contract signed", .source = "x"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Fields(bad.error()),
            (std::vector<std::string>{"ce_source", "ce_type", "ce_subject", "key"}));
}

TEST(CloudEvent, EventIdsAreUnique) {
  auto a = NewEvent("x", "s", {.type = "nrp.a.b.v1", .source = "/nrp/a/1", .subject = "s"});
  auto b = NewEvent("x", "s", {.type = "nrp.a.b.v1", .source = "/nrp/a/1", .subject = "s"});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->id, b->id);
}

TEST(CloudEvent, TypeVersion) {
  EXPECT_EQ(TypeVersion("nrp.planning.zone_published.v1"), 1);
  EXPECT_EQ(TypeVersion("nrp.planning.zone_published.v12"), 12);
  EXPECT_EQ(TypeVersion("nrp.planning.zone_published"), -1);
  EXPECT_EQ(TypeVersion("nrp.planning.zone_published.v"), -1);
  EXPECT_EQ(TypeVersion("v1"), -1);
}

TEST(Topics, PlatformTopicsAndDeadLetterNames) {
  EXPECT_EQ(kPlatformTopics.size(), 5u);
  EXPECT_EQ(DlqTopic(kPlanningTopic), "nrp.planning.events.v1.dlq");
  EXPECT_TRUE(IsDlqTopic("nrp.planning.events.v1.dlq"));
  EXPECT_FALSE(IsDlqTopic("nrp.planning.events.v1"));
  EXPECT_FALSE(IsDlqTopic(".dlq"));
}

}  // namespace
}  // namespace nrp::events
