// The transactional outbox and its relay against the real PostgreSQL and the
// shared development broker (each test on a topic of its own).
#include "nrp/events/outbox.h"

#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "nrp/events/devbroker_control.h"
#include "nrp/events/relay.h"
#include "nrp/testing/infra.h"
#include "support.h"

namespace nrp::events {
namespace {

using namespace std::chrono_literals;
using testsupport::PoolWithEvents;
using testsupport::ReadAll;
using testsupport::TestEvent;
using testsupport::TestKafka;
using testsupport::UniqueTopic;

constexpr char kType[] = "nrp.test.aggregate_changed.v1";

int64_t Unpublished(db::Pool& pool) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return -1;
  pqxx::work txn(**lease);
  auto n = Outbox::Backlog(txn);
  return n.ok() ? *n : -1;
}

RelayOptions TestRelayOptions(const std::string& conninfo, const std::string& bootstrap) {
  RelayOptions o;
  o.service = "events_test";
  o.conninfo = conninfo;
  o.kafka = TestKafka(bootstrap, "nrp-events-test-relay");
  o.batch_size = 100;
  o.backlog_interval = 200ms;
  o.retry_initial = 100ms;
  o.retry_max = 2s;
  o.leader_retry = 200ms;
  o.flush_timeout = 2s;
  return o;
}

std::string CreateTopic(int partitions) {
  std::string topic = UniqueTopic("outbox");
  DevBrokerControl control(testing::GetInfra().broker_control);
  Status s = control.CreateTopic(topic, partitions);
  EXPECT_TRUE(s.ok()) << s.error().ToString();
  return topic;
}

void Exec(db::Pool& pool, const std::string& sql) {
  auto lease = pool.Acquire();
  ASSERT_TRUE(lease.ok()) << lease.error().ToString();
  pqxx::work txn(**lease);
  txn.exec(sql);
  txn.commit();
}

// 1,000 state changes from 8 threads over 12 aggregates, a fifth of the
// transactions rolled back. Each transaction appends its event first, then
// bumps the aggregate's version row and logs (event, version): the version
// is the commit order of that aggregate's changes. Appending before the row
// lock is what would let two transactions of one key commit in the opposite
// order of their outbox ids, were it not for the outbox's per-key lock.
TEST(Outbox, ConcurrentCommitsArePublishedOnceInPerKeyCommitOrderAndRollbacksNever) {
  const auto& infra = testing::GetInfra();
  testing::TestDatabase db("events_outbox");
  auto pool = PoolWithEvents(db.conninfo(), 12);
  Exec(*pool,
       "CREATE TABLE aggregate_version (key text PRIMARY KEY, version int NOT NULL);"
       "CREATE TABLE commit_log (event_id uuid PRIMARY KEY, key text NOT NULL, version int NOT "
       "NULL);"
       "INSERT INTO aggregate_version SELECT 'PARCEL-' || g, 0 FROM generate_series(1, 12) g;");
  const std::string topic = CreateTopic(6);

  RelayOptions options = TestRelayOptions(db.conninfo(), infra.kafka_bootstrap);
  // Far longer than the test may take: the relay must be woken by NOTIFY.
  options.poll_interval = 10min;
  Relay relay(pool, options);
  ASSERT_TRUE(relay.Start().ok());
  ASSERT_TRUE(testing::WaitFor([&] { return relay.is_leader(); }, 20s));

  constexpr int kCommits = 1000;
  std::atomic<int> claims{0};
  std::atomic<int> committed{0};
  std::mutex mu;
  std::set<std::string> rolled_back;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(1234 + t);
      std::uniform_int_distribution<int> key_dist(1, 12);
      std::uniform_int_distribution<int> pct(0, 99);
      std::uniform_int_distribution<int> pause_us(0, 800);
      while (true) {
        const bool rollback = pct(rng) < 20;
        if (rollback) {
          if (claims.load() >= kCommits) break;
        } else if (claims.fetch_add(1) >= kCommits) {
          break;
        }
        const std::string key = "PARCEL-" + std::to_string(key_dist(rng));
        CloudEvent event = TestEvent(kType, key, "change of " + key);
        try {
          auto lease = pool->Acquire();
          if (!lease.ok()) throw std::runtime_error(lease.error().ToString());
          pqxx::work txn(**lease);
          Status s = Outbox::Append(txn, {topic, event});
          if (!s.ok()) throw std::runtime_error(s.error().ToString());
          std::this_thread::sleep_for(std::chrono::microseconds(pause_us(rng)));
          int version = txn.exec_params1(
                               "UPDATE aggregate_version SET version = version + 1 WHERE key = $1 "
                               "RETURNING version",
                               key)[0]
                            .as<int>();
          txn.exec_params0("INSERT INTO commit_log VALUES ($1::uuid, $2, $3)", event.id, key,
                           version);
          if (rollback) {
            txn.abort();
            std::lock_guard lock(mu);
            rolled_back.insert(event.id);
          } else {
            txn.commit();
            ++committed;
          }
        } catch (const std::exception& e) {
          std::lock_guard lock(mu);
          failures.push_back(e.what());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(failures.empty()) << failures.front();
  ASSERT_EQ(committed.load(), kCommits);
  ASSERT_GT(rolled_back.size(), 100u);

  ASSERT_TRUE(testing::WaitFor([&] { return Unpublished(*pool) == 0; }, 60s, 100ms))
      << "still unpublished: " << Unpublished(*pool);
  EXPECT_TRUE(testing::WaitFor([&] { return relay.backlog() == 0; }, 5s));
  EXPECT_EQ(relay.published(), kCommits);

  std::vector<testsupport::ReadMessage> messages = ReadAll(infra.kafka_bootstrap, topic);
  ASSERT_EQ(messages.size(), static_cast<size_t>(kCommits));

  // Expected per-key order: the versions, i.e. the order the commits took.
  std::map<std::string, std::vector<std::string>> expected;
  {
    auto lease = pool->Acquire();
    ASSERT_TRUE(lease.ok());
    pqxx::work txn(**lease);
    for (const auto& row :
         txn.exec("SELECT key, event_id::text FROM commit_log ORDER BY key, version")) {
      expected[row[0].as<std::string>()].push_back(row[1].as<std::string>());
    }
  }
  std::map<std::string, std::vector<std::string>> observed;
  std::set<std::string> ids;
  std::map<std::string, int32_t> partition_of_key;
  for (const auto& m : messages) {
    auto event = DecodeEvent(m.headers, m.key, m.value);
    ASSERT_TRUE(event.ok()) << event.error().ToString();
    EXPECT_EQ(event->type, kType);
    EXPECT_EQ(event->subject, m.key);
    EXPECT_EQ(event->payload, "change of " + m.key);
    EXPECT_EQ(rolled_back.count(event->id), 0u) << "a rolled-back event was published";
    ids.insert(event->id);
    observed[m.key].push_back(event->id);
    auto [it, fresh] = partition_of_key.emplace(m.key, m.partition);
    EXPECT_EQ(it->second, m.partition) << "one key, one partition";
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kCommits)) << "an event was published twice";
  ASSERT_EQ(observed.size(), expected.size());
  for (const auto& [key, order] : expected) {
    EXPECT_EQ(observed[key], order) << "order of " << key;
  }
  std::cout << "outbox: " << kCommits << " commits and " << rolled_back.size() << " rollbacks over "
            << expected.size() << " keys; " << messages.size() << " messages on Kafka, "
            << ids.size() << " distinct ids\n";
  relay.Stop();
  EXPECT_FALSE(relay.is_leader());
}

TEST(Outbox, OneLeaderPublishesAndAStandbyTakesOver) {
  const auto& infra = testing::GetInfra();
  testing::TestDatabase db("events_leader");
  auto pool = PoolWithEvents(db.conninfo());
  const std::string topic = CreateTopic(3);
  RelayOptions options = TestRelayOptions(db.conninfo(), infra.kafka_bootstrap);
  options.poll_interval = 500ms;
  auto a = std::make_unique<Relay>(pool, options);
  auto b = std::make_unique<Relay>(pool, options);
  ASSERT_TRUE(a->Start().ok());
  ASSERT_TRUE(b->Start().ok());
  ASSERT_TRUE(testing::WaitFor([&] { return a->is_leader() || b->is_leader(); }, 20s));
  std::this_thread::sleep_for(1s);  // several standby attempts
  ASSERT_NE(a->is_leader(), b->is_leader()) << "exactly one leader";
  if (b->is_leader()) std::swap(a, b);

  auto append = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      auto lease = pool->Acquire();
      ASSERT_TRUE(lease.ok());
      pqxx::work txn(**lease);
      ASSERT_TRUE(
          Outbox::Append(txn, {topic, TestEvent(kType, "UNIT-" + std::to_string(i % 4), "n")})
              .ok());
      txn.commit();
    }
  };
  append(0, 20);
  ASSERT_TRUE(testing::WaitFor([&] { return Unpublished(*pool) == 0; }, 30s, 50ms));
  EXPECT_EQ(a->published(), 20);
  EXPECT_EQ(b->published(), 0);

  a->Stop();  // releases the lock
  append(20, 40);
  ASSERT_TRUE(testing::WaitFor([&] { return b->is_leader(); }, 20s));
  ASSERT_TRUE(testing::WaitFor([&] { return Unpublished(*pool) == 0; }, 30s, 50ms));
  EXPECT_EQ(b->published(), 20);

  auto messages = ReadAll(infra.kafka_bootstrap, topic);
  std::set<std::string> ids;
  for (const auto& m : messages) ids.insert(*m.header(kHeaderId));
  EXPECT_EQ(messages.size(), 40u);
  EXPECT_EQ(ids.size(), 40u);
}

TEST(Outbox, AnInvalidEventIsRefusedAndNothingIsWritten) {
  testing::TestDatabase db("events_invalid");
  auto pool = PoolWithEvents(db.conninfo());
  auto lease = pool->Acquire();
  ASSERT_TRUE(lease.ok());
  pqxx::work txn(**lease);
  CloudEvent event = TestEvent(kType, "K", "x");
  event.type = "parcel changed";
  Status s = Outbox::Append(txn, {"nrp.registration.events.v1", event});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), Code::kInvalidArgument);
  Status bad_topic = Outbox::Append(txn, {"no spaces allowed", TestEvent(kType, "K", "x")});
  ASSERT_FALSE(bad_topic.ok());
  EXPECT_EQ(bad_topic.error().field_violations().at(0).field, "topic");
  EXPECT_EQ(txn.exec1("SELECT count(*) FROM outbox")[0].as<int>(), 0);

  CloudEvent ok = TestEvent(kType, "K", "x");
  ASSERT_TRUE(Outbox::Append(txn, {"nrp.registration.events.v1", ok}).ok());
  Status again = Outbox::Append(txn, {"nrp.registration.events.v1", ok});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), Code::kAlreadyExists) << again.error().ToString();
}

}  // namespace
}  // namespace nrp::events
