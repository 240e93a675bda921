// `events tail` against the development broker: contract events produced with
// their CloudEvents headers come back decoded, one JSON object a line.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "nrp/core/uuid.h"
#include "nrp/events/cloud_event.h"
#include "nrp/events/devbroker_control.h"
#include "nrp/events/kafka.h"
#include "nrp/nrpctl/cli.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/testing/infra.h"

namespace nrp::nrpctl {
namespace {

namespace planning = nrp::planning::v1;

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

class EventsTailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& infra = nrp::testing::GetInfra();
    bootstrap_ = infra.kafka_bootstrap;
    control_ = std::make_unique<events::DevBrokerControl>(infra.broker_control);
    events::KafkaOptions options;
    options.bootstrap = bootstrap_;
    options.client_id = "nrpctl-test";
    auto producer = events::CreateKafkaClient(RD_KAFKA_PRODUCER, options, {}, {{"acks", "all"}});
    ASSERT_TRUE(producer.ok()) << producer.error().ToString();
    producer_ = std::move(producer).value();
  }

  std::string NewTopic() {
    std::string topic = "nrpctl.test." + NewUuidV4();
    Status s = control_->CreateTopic(topic, 1);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return topic;
  }

  void Produce(const std::string& topic, const events::CloudEvent& e) {
    rd_kafka_headers_t* headers = events::NewKafkaHeaders(events::EncodeHeaders(e));
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
        RD_KAFKA_V_KEY(e.key.data(), e.key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(e.payload.data()), e.payload.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) rd_kafka_headers_destroy(headers);
    ASSERT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << events::KafkaErrorText(err);
    ASSERT_EQ(rd_kafka_flush(producer_.get(), 15000), RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  events::CloudEvent ZonePublished() {
    planning::ZonePublished zone;
    zone.set_layer_id("L1");
    zone.set_region_code("410300");
    zone.set_layer_kind(nrp::common::v1::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE);
    zone.set_layer_version(2);
    zone.set_zone_id("Z1");
    zone.set_name("伊洛河湿地");
    zone.set_sequence(1);
    return Event(zone, "nrp.planning.zone_published.v1");
  }

  events::CloudEvent LayerVersionPublished() {
    planning::LayerVersionPublished marker;
    marker.set_layer_id("L1");
    marker.set_region_code("410300");
    marker.set_layer_kind(nrp::common::v1::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE);
    marker.set_version(2);
    marker.set_previous_version(1);
    marker.set_zone_count(1);
    return Event(marker, "nrp.planning.layer_version_published.v1");
  }

  events::CloudEvent Event(const google::protobuf::Message& payload, const std::string& type) {
    events::EventMeta meta;
    meta.type = type;
    meta.source = events::MakeSource("planning", "410300");
    meta.subject = "L1";
    meta.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    auto e = events::NewEvent(payload, meta);
    EXPECT_TRUE(e.ok());
    return e.value();
  }

  Result Tail(std::vector<std::string> flags, StopSignal* stop = nullptr) {
    std::vector<std::string> argv = {"events", "tail", "--bootstrap", bootstrap_};
    argv.insert(argv.end(), flags.begin(), flags.end());
    std::ostringstream out, err;
    std::istringstream in;
    Context ctx;
    ctx.out = &out;
    ctx.err = &err;
    ctx.in = &in;
    ctx.env = std::map<std::string, std::string>{};
    ctx.local_state_dirs = std::vector<std::string>{};
    ctx.stop = stop;
    Result r;
    r.code = nrp::nrpctl::Run(argv, ctx);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  static std::vector<nlohmann::json> Lines(const std::string& text) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  std::string bootstrap_;
  std::unique_ptr<events::DevBrokerControl> control_;
  events::KafkaHandle producer_;
};

TEST_F(EventsTailTest, PrintsEachEventDecodedOnItsOwnLine) {
  std::string topic = NewTopic();
  events::CloudEvent zone = ZonePublished();
  events::CloudEvent marker = LayerVersionPublished();
  Produce(topic, zone);
  Produce(topic, marker);

  Result r =
      Tail({"--topic", topic, "--max", "2", "--from-beginning", "--json", "--timeout", "60s"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;

  const auto& first = lines[0];
  EXPECT_EQ(first["topic"], topic);
  EXPECT_EQ(first["partition"], 0);
  EXPECT_EQ(first["offset"], 0);
  EXPECT_EQ(first["key"], "L1");
  EXPECT_EQ(first["ce_id"], zone.id);
  EXPECT_EQ(first["ce_type"], "nrp.planning.zone_published.v1");
  EXPECT_EQ(first["ce_source"], "/nrp/planning/410300");
  EXPECT_EQ(first["ce_subject"], "L1");
  EXPECT_EQ(first["ce_time"], zone.time);
  EXPECT_EQ(first["ce_dataschema"], "nrp.planning.v1.ZonePublished");
  EXPECT_EQ(first["traceparent"], zone.traceparent);
  EXPECT_EQ(first["data"]["zone_id"], "Z1");
  EXPECT_EQ(first["data"]["name"], "伊洛河湿地");
  EXPECT_EQ(first["data"]["layer_kind"], "ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE");
  EXPECT_FALSE(first.contains("data_error"));

  const auto& second = lines[1];
  EXPECT_EQ(second["offset"], 1);
  EXPECT_EQ(second["ce_id"], marker.id);
  EXPECT_EQ(second["ce_type"], "nrp.planning.layer_version_published.v1");
  EXPECT_EQ(second["ce_dataschema"], "nrp.planning.v1.LayerVersionPublished");
  EXPECT_EQ(second["data"]["version"], "2");
  EXPECT_EQ(second["data"]["previous_version"], "1");
  EXPECT_EQ(second["data"]["zone_count"], "1");
}

TEST_F(EventsTailTest, TypeFilterSkipsOtherEvents) {
  std::string topic = NewTopic();
  Produce(topic, ZonePublished());
  events::CloudEvent marker = LayerVersionPublished();
  Produce(topic, marker);
  Result r = Tail({"--topic", topic, "--type", "nrp.planning.layer_version_published.v1", "--max",
                   "1", "--from-beginning", "--timeout", "60s"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_EQ(lines[0]["ce_id"], marker.id);
}

TEST_F(EventsTailTest, UndecodablePayloadIsShownNotFatal) {
  std::string topic = NewTopic();
  events::CloudEvent broken = ZonePublished();
  broken.payload = std::string("\xff\xff\xff\xff", 4);
  Produce(topic, broken);
  events::CloudEvent good = LayerVersionPublished();
  Produce(topic, good);
  Result r = Tail({"--topic", topic, "--max", "2", "--from-beginning", "--timeout", "60s"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_TRUE(lines[0]["data"].is_null());
  EXPECT_EQ(lines[0]["data_error"], "the value does not parse as nrp.planning.v1.ZonePublished");
  EXPECT_EQ(lines[0]["data_base64"], "/////w==");
  EXPECT_EQ(lines[1]["data"]["layer_id"], "L1") << "the tail went on";
}

TEST_F(EventsTailTest, TimeoutBeforeMaxExitsOne) {
  std::string topic = NewTopic();
  Produce(topic, ZonePublished());
  Result r = Tail({"--topic", topic, "--max", "3", "--from-beginning", "--timeout", "5s"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_EQ(Lines(r.out).size(), 1u) << r.out;
  EXPECT_NE(r.err.find("--timeout reached after 1 of 3 events"), std::string::npos) << r.err;
}

TEST_F(EventsTailTest, StopSignalEndsTheTailCleanly) {
  std::string topic = NewTopic();
  Produce(topic, ZonePublished());
  StopSignal stop;
  Result r;
  std::thread tail([&] { r = Tail({"--topic", topic, "--from-beginning"}, &stop); });
  ASSERT_TRUE(nrp::testing::WaitFor([&] { return stop.armed.load(); }, std::chrono::seconds(20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop.raised = true;
  tail.join();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(stop.armed.load());
}

TEST_F(EventsTailTest, TopicCreatedAfterTheTailStartedIsRead) {
  std::string topic = "nrpctl.test.late." + NewUuidV4();
  events::CloudEvent zone = ZonePublished();
  StopSignal stop;
  Result r;
  std::thread tail([&] {
    r = Tail({"--topic", topic, "--from-beginning", "--max", "1", "--timeout", "90s"}, &stop);
  });
  // Whatever an assertion below decides, the tail thread is stopped and joined.
  struct Joiner {
    std::thread& t;
    StopSignal& s;
    ~Joiner() {
      if (t.joinable()) {
        s.raised = true;
        t.join();
      }
    }
  } joiner{tail, stop};
  ASSERT_TRUE(nrp::testing::WaitFor([&] { return stop.armed.load(); }, std::chrono::seconds(20)));
  // The tail's own metadata requests may already have made the broker create
  // the topic (brokers that allow auto-creation do); either way it appeared
  // after the tail started.
  auto created = control_->CreateTopic(topic, 1);
  ASSERT_TRUE(created.ok() ||
              created.error().message().find("TOPIC_ALREADY_EXISTS") != std::string::npos)
      << created.error().message();
  Produce(topic, zone);
  tail.join();
  EXPECT_EQ(r.code, 0) << r.err;
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_EQ(lines[0]["ce_id"], zone.id);
  EXPECT_NE(r.err.find("topic " + topic + " does not exist (yet)"), std::string::npos) << r.err;
}

TEST_F(EventsTailTest, UnreachableBrokerExitsFour) {
  std::vector<std::string> argv = {"events",      "tail",      "--bootstrap",
                                   "127.0.0.1:1", "--timeout", "2s"};
  std::ostringstream out, err;
  Context ctx;
  ctx.out = &out;
  ctx.err = &err;
  ctx.env = std::map<std::string, std::string>{};
  ctx.local_state_dirs = std::vector<std::string>{};
  EXPECT_EQ(nrp::nrpctl::Run(argv, ctx), kExitConnection);
  EXPECT_NE(err.str().find("nrpctl: cannot reach Kafka at 127.0.0.1:1"), std::string::npos)
      << err.str();
}

}  // namespace
}  // namespace nrp::nrpctl
