// The idempotent consumer against the real PostgreSQL and the shared
// development broker, each test on topics and a consumer group of its own.
#include "nrp/events/consumer.h"

#include <gtest/gtest.h>

#include <iostream>
#include <numeric>
#include <set>
#include <thread>

#include "nrp/core/uuid.h"
#include "nrp/events/devbroker_control.h"
#include "nrp/events/topics.h"
#include "nrp/metrics/metrics.h"
#include "nrp/testing/infra.h"
#include "support.h"

namespace nrp::events {
namespace {

using namespace std::chrono_literals;
using testsupport::PoolWithEvents;
using testsupport::TestEvent;

constexpr char kType[] = "nrp.test.parcel_surveyed.v1";
constexpr int kPartitions = 3;

struct Fixture {
  explicit Fixture(const std::string& name) : db("events_" + name) {
    const auto& infra = testing::GetInfra();
    bootstrap = infra.kafka_bootstrap;
    topic = testsupport::UniqueTopic(name);
    group = "nrp-test-" + name + "-" + NewUuidV4().substr(0, 8);
    DevBrokerControl control(infra.broker_control);
    EXPECT_TRUE(control.CreateTopic(topic, kPartitions).ok());
    EXPECT_TRUE(control.CreateTopic(DlqTopic(topic), 1).ok());
  }

  ConsumerOptions Options() const {
    ConsumerOptions o;
    o.group_id = group;
    o.topics = {topic};
    o.kafka = testsupport::TestKafka(bootstrap, "nrp-events-test-consumer");
    o.retry_initial = 100ms;
    o.retry_max = 1s;
    o.session_timeout = 6s;
    o.kafka_timeout = 10s;
    o.lag_interval = 300ms;
    return o;
  }

  void Send(const CloudEvent& e) const {
    Status s = testsupport::Produce(bootstrap, topic, e.key, e.payload, EncodeHeaders(e));
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }

  int64_t CommittedTotal() const {
    auto offsets = testsupport::CommittedOffsets(bootstrap, group, topic, kPartitions);
    int64_t total = 0;
    for (const auto& [p, off] : offsets) total += off < 0 ? 0 : off;
    return total;
  }

  testing::TestDatabase db;
  std::string bootstrap;
  std::string topic;
  std::string group;
};

// The handler under test: one row per application of an event (no unique
// constraint, so a second application would show), and a running total.
// Payload "poison" violates an invariant.
HandlerResult Survey(pqxx::work& txn, const CloudEvent& e) {
  if (e.payload == "poison") return HandlerResult::Permanent("surveyed area must be positive");
  txn.exec_params0("INSERT INTO effects (event_id, parcel) VALUES ($1::uuid, $2)", e.id, e.subject);
  txn.exec_params0(
      "INSERT INTO totals (parcel, surveys) VALUES ($1, 1) "
      "ON CONFLICT (parcel) DO UPDATE SET surveys = totals.surveys + 1",
      e.subject);
  return HandlerResult::Ok();
}

void CreateEffectTables(db::Pool& pool) {
  auto lease = pool.Acquire();
  ASSERT_TRUE(lease.ok());
  pqxx::work txn(**lease);
  txn.exec(
      "CREATE TABLE effects (event_id uuid NOT NULL, parcel text NOT NULL);"
      "CREATE TABLE totals (parcel text PRIMARY KEY, surveys int NOT NULL);");
  txn.commit();
}

int64_t Scalar(db::Pool& pool, const std::string& sql) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return -1;
  pqxx::work txn(**lease);
  return txn.exec1(sql)[0].as<int64_t>();
}

TEST(Consumer, AnEventDeliveredTwiceHasOneEffect) {
  Fixture f("dup");
  auto pool = PoolWithEvents(f.db.conninfo());
  CreateEffectTables(*pool);
  CloudEvent e = TestEvent(kType, "PARCEL-1", "survey");
  CloudEvent next = TestEvent(kType, "PARCEL-1", "survey");
  f.Send(e);
  f.Send(e);  // redelivery: same ce_id
  f.Send(next);

  Consumer consumer(pool, f.Options());
  consumer.Handle(kType, Survey);
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(testing::WaitFor(
      [&] { return consumer.stats().processed + consumer.stats().duplicates == 3; }, 30s));
  EXPECT_EQ(consumer.stats().processed, 2);
  EXPECT_EQ(consumer.stats().duplicates, 1);
  EXPECT_EQ(Scalar(*pool, "SELECT count(*) FROM effects WHERE event_id = '" + e.id + "'"), 1);
  EXPECT_EQ(Scalar(*pool, "SELECT surveys FROM totals WHERE parcel = 'PARCEL-1'"), 2);
  EXPECT_EQ(Scalar(*pool, "SELECT count(*) FROM inbox WHERE status = 'processed'"), 2);
  // All three offsets are committed, the duplicate's too.
  EXPECT_TRUE(testing::WaitFor([&] { return f.CommittedTotal() == 3; }, 10s));
  EXPECT_TRUE(testing::WaitFor(
      [&] {
        auto lag = consumer.lag();
        return !lag.empty() && std::all_of(lag.begin(), lag.end(),
                                           [](const PartitionLag& l) { return l.lag == 0; });
      },
      10s));
  consumer.Stop();
}

TEST(Consumer, PoisonMessagesGoToTheDeadLetterTopicAndTheConsumerGoesOn) {
  Fixture f("dlq");
  auto pool = PoolWithEvents(f.db.conninfo());
  CreateEffectTables(*pool);
  // All on one key, so one partition, in this order.
  CloudEvent before = TestEvent(kType, "PARCEL-7", "survey");
  CloudEvent poison = TestEvent(kType, "PARCEL-7", "poison");
  CloudEvent unknown = TestEvent("nrp.test.parcel_surveyed.v2", "PARCEL-7", "survey");
  // A type of the same producer this consumer has no interest in.
  CloudEvent other = TestEvent("nrp.test.parcel_fenced.v1", "PARCEL-7", "fence");
  CloudEvent after = TestEvent(kType, "PARCEL-7", "survey");
  f.Send(before);
  f.Send(poison);
  Headers broken = EncodeHeaders(TestEvent(kType, "PARCEL-7", "survey"));
  std::erase_if(broken, [](const auto& h) { return h.first == "ce_type"; });
  ASSERT_TRUE(testsupport::Produce(f.bootstrap, f.topic, "PARCEL-7", "garbage", broken).ok());
  f.Send(unknown);
  f.Send(other);
  f.Send(after);
  f.Send(poison);  // redelivered poison: already dead-lettered, not sent again

  Consumer consumer(pool, f.Options());
  consumer.Handle(kType, Survey);
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(testing::WaitFor([&] { return f.CommittedTotal() == 7; }, 30s))
      << "committed " << f.CommittedTotal();
  Consumer::Stats stats = consumer.stats();
  EXPECT_EQ(stats.processed, 2);
  EXPECT_EQ(stats.dead_lettered, 3);
  EXPECT_EQ(stats.duplicates, 1);
  EXPECT_EQ(stats.ignored, 1);
  EXPECT_EQ(Scalar(*pool, "SELECT count(*) FROM effects"), 2);
  EXPECT_EQ(Scalar(*pool, "SELECT count(*) FROM effects WHERE event_id = '" + after.id + "'"), 1);
  EXPECT_EQ(Scalar(*pool, "SELECT count(*) FROM inbox WHERE status = 'dead_lettered'"), 3);

  auto dead = testsupport::ReadAll(f.bootstrap, DlqTopic(f.topic));
  ASSERT_EQ(dead.size(), 3u);
  // The poison event, with its reason and where it came from.
  EXPECT_EQ(*dead[0].header(kHeaderId), poison.id);
  EXPECT_EQ(dead[0].key, "PARCEL-7");
  EXPECT_EQ(dead[0].value, "poison");
  EXPECT_EQ(*dead[0].header(kDlqReasonHeader), "surveyed area must be positive");
  EXPECT_EQ(*dead[0].header(kDlqSourceTopicHeader), f.topic);
  EXPECT_EQ(*dead[0].header(kDlqOffsetHeader), "1");
  EXPECT_EQ(*dead[0].header(kDlqConsumerHeader), f.group);
  EXPECT_EQ(*dead[0].header(kHeaderType), kType);  // original headers kept
  // The undecodable one: the reason names what is missing.
  EXPECT_EQ(dead[1].value, "garbage");
  EXPECT_EQ(*dead[1].header(kDlqReasonHeader), "undecodable event envelope: ce_type: missing");
  EXPECT_EQ(*dead[1].header(kDlqOffsetHeader), "2");
  // A version nobody handles.
  EXPECT_EQ(*dead[2].header(kHeaderId), unknown.id);
  EXPECT_EQ(*dead[2].header(kDlqReasonHeader),
            "unsupported version v2 of nrp.test.parcel_surveyed (handled: v1)");
  const std::string partition = *dead[0].header(kDlqPartitionHeader);
  EXPECT_EQ(*dead[1].header(kDlqPartitionHeader), partition);
  consumer.Stop();
}

TEST(Consumer, DatabaseOutageHoldsOffsetsAndEveryEventAppliesOnceAfterRecovery) {
  Fixture f("dbcut");
  auto admin_pool = PoolWithEvents(f.db.conninfo());
  CreateEffectTables(*admin_pool);
  testing::TcpProxy proxy(f.db.host(), f.db.port());
  auto pool = db::Pool::Create({.conninfo = f.db.conninfo_via("127.0.0.1", proxy.port()),
                                .application_name = "nrp-events-test-consumer",
                                .size = 2,
                                .acquire_timeout = 1s,
                                .connect_timeout = std::chrono::seconds(1)});

  std::set<std::string> ids;
  auto send = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      CloudEvent e = TestEvent(kType, "PARCEL-" + std::to_string(i % 9), "survey");
      ids.insert(e.id);
      f.Send(e);
    }
  };
  send(0, 20);
  Consumer consumer(pool, f.Options());
  consumer.Handle(kType, Survey);
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(testing::WaitFor([&] { return consumer.stats().processed == 20; }, 30s));
  ASSERT_TRUE(testing::WaitFor([&] { return f.CommittedTotal() == 20; }, 10s));

  proxy.Cut();
  send(20, 50);
  // The consumer fails, retries the same message, and commits nothing.
  ASSERT_TRUE(testing::WaitFor([&] { return consumer.stats().transient_failures >= 3; }, 30s));
  EXPECT_EQ(f.CommittedTotal(), 20);
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(f.CommittedTotal(), 20) << "an offset moved while the database was down";
  EXPECT_EQ(consumer.stats().processed, 20);
  EXPECT_EQ(consumer.stats().dead_lettered, 0) << "a transient failure must never dead-letter";
  EXPECT_TRUE(testing::WaitFor(
      [&] {
        auto lag = consumer.lag();
        int64_t total = 0;
        for (const auto& l : lag) total += l.lag;
        return total == 30;
      },
      10s))
      << "lag while the database is down";

  const int64_t retries_during_cut = consumer.stats().transient_failures;
  proxy.Restore();
  ASSERT_TRUE(testing::WaitFor([&] { return consumer.stats().processed == 50; }, 60s))
      << "processed " << consumer.stats().processed;
  ASSERT_TRUE(testing::WaitFor([&] { return f.CommittedTotal() == 50; }, 10s));
  EXPECT_EQ(consumer.stats().dead_lettered, 0);
  consumer.Stop();
  const std::string exported = metrics::Registry::Default().Render();
  EXPECT_NE(exported.find("nrp_consumer_events_total{group=\"" + f.group +
                          "\",outcome=\"processed\"} 50\n"),
            std::string::npos);
  EXPECT_NE(exported.find("nrp_consumer_lag{group=\"" + f.group + "\",topic=\"" + f.topic),
            std::string::npos);

  EXPECT_EQ(Scalar(*admin_pool, "SELECT count(*) FROM effects"), 50);
  EXPECT_EQ(Scalar(*admin_pool, "SELECT count(DISTINCT event_id) FROM effects"), 50);
  EXPECT_EQ(Scalar(*admin_pool, "SELECT sum(surveys) FROM totals"), 50);
  std::set<std::string> applied;
  {
    auto lease = admin_pool->Acquire();
    ASSERT_TRUE(lease.ok());
    pqxx::work txn(**lease);
    for (const auto& row : txn.exec("SELECT event_id::text FROM effects")) {
      applied.insert(row[0].as<std::string>());
    }
  }
  EXPECT_EQ(applied, ids);
  std::cout << "database cut: " << retries_during_cut
            << " failed attempts on the held message, committed offsets stayed at 20 of 50; "
            << applied.size() << " events applied once each after recovery\n";
}

TEST(Consumer, StartRefusesAnIncompleteConfiguration) {
  testing::TestDatabase db("events_cfg");
  auto pool = PoolWithEvents(db.conninfo());
  ConsumerOptions o;
  o.group_id = "g";
  o.topics = {"nrp.registration.events.v1"};
  o.kafka = testsupport::TestKafka(testing::GetInfra().kafka_bootstrap, "c");
  Consumer no_handlers(pool, o);
  Status s = no_handlers.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field_violations().at(0).field, "handlers");

  o.kafka.properties = {{"no.such.property", "1"}};
  Consumer unknown(pool, o);
  unknown.Handle(kType, Survey);
  Status u = unknown.Start();
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().code(), Code::kInvalidArgument);
  EXPECT_NE(u.error().message().find("no.such.property"), std::string::npos);
}

}  // namespace
}  // namespace nrp::events
