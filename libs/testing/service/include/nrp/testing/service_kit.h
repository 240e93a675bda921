// What a service's integration tests need besides the infrastructure, written once: the
// runtime's options on the test infrastructure, a producer of other services' events as
// those services publish them, a reader of a topic from its beginning, and the outbox's
// payloads of one type. A harness keeps only what is its service's own.
//
//   nrp::testing::TestDatabase db("reg");
//   nrp::testing::CalendarFolder calendar;
//   const std::string prefix = nrp::testing::NewTopicPrefix();
//   auto options = nrp::testing::TestRuntimeOptions(
//       {.service = "registration", .conninfo = db.conninfo(), .topic_prefix = prefix,
//        .tokens_json = kTokens, .calendar_dir = calendar.dir().string()});
//   service::Runtime rt(std::move(options), clock);
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/events/cloud_event.h"
#include "nrp/events/kafka.h"
#include "nrp/service/runtime.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace nrp::testing {

// "t1a2b3c4d.": a topic prefix (and consumer-group stem) no other test uses.
std::string NewTopicPrefix();

struct TestRuntimeSettings {
  std::string service;       // "registration"
  std::string conninfo;      // the test's database
  std::string topic_prefix;  // NewTopicPrefix()
  std::string tokens_json;   // the static token table of the test's agencies
  // A calendar folder of the test's own (CalendarFolder), read when the test calls
  // RefreshCalendar rather than by the poll; empty: the shipped calendars.
  std::string calendar_dir;
  size_t pool_size = 16;
  std::chrono::milliseconds acquire_timeout{std::chrono::seconds(10)};
  double rate_per_second = 100000;
  int64_t burst = 100000;
};

// The runtime's options on the infrastructure scripts/test starts: loopback gRPC on a free
// port without the metrics endpoint, the broker's topics under the prefix (created on
// start), a relay that polls every 200 ms, consumer retries from 50 ms, a rate-limit scope
// of the test's own.
service::RuntimeOptions TestRuntimeOptions(const TestRuntimeSettings& settings);

// Produces events to the development broker the way their owning services publish them:
// CloudEvents binary mode, type, topic and key from the message's contract option, source
// "/nrp/<owner>/<region>", idempotent and acknowledged by all replicas before it returns.
class EventProducer {
 public:
  EventProducer();
  ~EventProducer();
  EventProducer(const EventProducer&) = delete;
  EventProducer& operator=(const EventProducer&) = delete;

  // `payload` as its owner publishes it, to `topic_prefix` + its topic, stamped by `clock`.
  Status Produce(const google::protobuf::Message& payload, std::string_view region_code,
                 std::string_view topic_prefix, const Clock& clock);
  // An envelope as it is (a hand-made or broken event), to `topic`.
  Status Produce(const std::string& topic, const events::CloudEvent& event);

 private:
  events::KafkaHandle producer_;
};

// Reads every event of a topic from its beginning, in a consumer group of its own.
class TopicReader {
 public:
  TopicReader(const std::string& topic, const std::string& group);
  ~TopicReader();
  TopicReader(const TopicReader&) = delete;
  TopicReader& operator=(const TopicReader&) = delete;

  // Polls until `done(events so far)` or the timeout; undecodable records are skipped and
  // counted in undecodable().
  const std::vector<events::CloudEvent>& ReadUntil(
      const std::function<bool(const std::vector<events::CloudEvent>&)>& done,
      std::chrono::milliseconds timeout = std::chrono::seconds(30));
  int undecodable() const { return undecodable_; }

 private:
  events::KafkaHandle consumer_;
  std::vector<events::CloudEvent> events_;
  int undecodable_ = 0;
};

// The payloads of the outbox rows of one event type in the database, in commit order.
std::vector<std::string> OutboxPayloads(const std::string& conninfo, const std::string& ce_type);

template <class Message>
std::vector<Message> OutboxMessages(const std::string& conninfo, const std::string& ce_type) {
  std::vector<Message> out;
  for (const auto& bytes : OutboxPayloads(conninfo, ce_type)) {
    Message m;
    m.ParseFromString(bytes);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace nrp::testing
