// A broker outage delays events and never loses or repeats one. Runs its own
// nrp-devbroker so that taking every broker down disturbs no other test.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "nrp/events/consumer.h"
#include "nrp/events/devbroker_control.h"
#include "nrp/events/outbox.h"
#include "nrp/events/relay.h"
#include "nrp/events/topics.h"
#include "nrp/metrics/metrics.h"
#include "nrp/testing/infra.h"
#include "support.h"

namespace nrp::events {
namespace {

using namespace std::chrono_literals;
using testsupport::TestEvent;

constexpr char kType[] = "nrp.registration.unit_registered.v1";

int64_t Unpublished(db::Pool& pool) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return -1;
  pqxx::work txn(**lease);
  auto n = Outbox::Backlog(txn);
  return n.ok() ? *n : -1;
}

// Commits `n` state changes with their events from `threads` threads; returns
// the event ids. Every commit must succeed.
std::set<std::string> Write(db::Pool& pool, int n, int threads) {
  std::mutex mu;
  std::set<std::string> ids;
  std::vector<std::string> failures;
  std::vector<std::thread> workers;
  std::atomic<int> next{0};
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = next++; i < n; i = next++) {
        CloudEvent e = TestEvent(kType, "UNIT-" + std::to_string(i % 7), "registered");
        auto lease = pool.Acquire();
        if (!lease.ok()) {
          std::lock_guard lock(mu);
          failures.push_back(lease.error().ToString());
          continue;
        }
        try {
          pqxx::work txn(**lease);
          Status s = Outbox::Append(txn, {std::string(kRegistrationTopic), e});
          if (!s.ok()) throw std::runtime_error(s.error().ToString());
          txn.commit();
          std::lock_guard lock(mu);
          ids.insert(e.id);
        } catch (const std::exception& ex) {
          std::lock_guard lock(mu);
          failures.push_back(ex.what());
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_TRUE(failures.empty()) << failures.front();
  return ids;
}

TEST(BrokerOutage, WritesGoOnAndEveryEventArrivesOnceAfterTheBrokersReturn) {
  testing::GetInfra();  // the database; a missing variable stops here, before the child starts
  testsupport::ChildDevBroker broker(3, 3);
  ASSERT_TRUE(broker.ok());
  DevBrokerControl control(broker.control());
  testing::TestDatabase db("events_outage");
  auto pool = testsupport::PoolWithEvents(db.conninfo());

  RelayOptions options;
  options.service = "outage_test";
  options.conninfo = db.conninfo();
  options.kafka = testsupport::TestKafka(broker.bootstrap(), "nrp-events-outage-relay");
  options.poll_interval = 500ms;
  options.leader_retry = 200ms;
  options.backlog_interval = 200ms;
  options.flush_timeout = 1s;
  options.retry_initial = 100ms;
  options.retry_max = 1s;
  auto relay = std::make_unique<Relay>(pool, options);
  ASSERT_TRUE(relay->Start().ok());

  // Before: the relay is connected and has published everything.
  std::set<std::string> all = Write(*pool, 50, 2);
  ASSERT_TRUE(testing::WaitFor([&] { return Unpublished(*pool) == 0; }, 30s, 50ms));
  EXPECT_EQ(relay->published(), 50);

  // Every broker down: state changes keep committing; their events wait.
  ASSERT_TRUE(control.Down(DevBrokerControl::kAllBrokers).ok());
  std::set<std::string> during = Write(*pool, 200, 4);
  ASSERT_EQ(during.size(), 200u);
  all.insert(during.begin(), during.end());
  std::this_thread::sleep_for(3s);  // the relay tries, and must not mark anything
  EXPECT_EQ(Unpublished(*pool), 200);
  EXPECT_EQ(relay->published(), 50);
  EXPECT_TRUE(testing::WaitFor([&] { return relay->backlog() == 200; }, 5s))
      << "backlog gauge " << relay->backlog();
  EXPECT_NE(metrics::Registry::Default().Render().find(
                "nrp_outbox_backlog{service=\"outage_test\"} 200\n"),
            std::string::npos);

  // Stopping gives up on what the brokers never acknowledged: it stays in
  // the outbox for the next leader.
  relay->Stop();
  EXPECT_EQ(Unpublished(*pool), 200);
  relay = std::make_unique<Relay>(pool, options);
  ASSERT_TRUE(relay->Start().ok());
  ASSERT_TRUE(testing::WaitFor([&] { return relay->is_leader(); }, 20s));
  std::set<std::string> more = Write(*pool, 50, 2);
  all.insert(more.begin(), more.end());
  EXPECT_TRUE(testing::WaitFor([&] { return relay->backlog() == 250; }, 5s))
      << "backlog gauge " << relay->backlog();

  // Brokers back: everything arrives.
  ASSERT_TRUE(control.Up(DevBrokerControl::kAllBrokers).ok());
  ASSERT_TRUE(testing::WaitFor([&] { return Unpublished(*pool) == 0; }, 60s, 100ms))
      << "still unpublished: " << Unpublished(*pool);
  EXPECT_EQ(relay->published(), 250);
  EXPECT_TRUE(testing::WaitFor([&] { return relay->backlog() == 0; }, 5s));

  auto messages = testsupport::ReadAll(broker.bootstrap(), std::string(kRegistrationTopic));
  std::multiset<std::string> seen;
  for (const auto& m : messages) seen.insert(*m.header(kHeaderId));
  EXPECT_EQ(messages.size(), 300u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), all) << "every event arrived";
  for (const auto& id : all) EXPECT_EQ(seen.count(id), 1u) << id << " arrived more than once";
  std::cout << "outage: " << all.size() << " events committed (250 while every broker was down), "
            << messages.size() << " messages after recovery, "
            << std::set<std::string>(seen.begin(), seen.end()).size() << " distinct ids\n";
  relay->Stop();
}

// Shutdown must not hang on an unreachable cluster: the consumer leaves
// (or gives up leaving) its group and the relay drops what was never
// acknowledged, both within their timeouts.
TEST(BrokerOutage, ConsumerAndRelayStopWhileEveryBrokerIsDown) {
  testing::GetInfra();  // the database; a missing variable stops here, before the child starts
  testsupport::ChildDevBroker broker(3, 3);
  ASSERT_TRUE(broker.ok());
  DevBrokerControl control(broker.control());
  testing::TestDatabase db("events_outage_stop");
  auto pool = testsupport::PoolWithEvents(db.conninfo());
  {
    auto lease = pool->Acquire();
    ASSERT_TRUE(lease.ok());
    pqxx::work txn(**lease);
    txn.exec0("CREATE TABLE seen (event_id uuid PRIMARY KEY)");
    txn.commit();
  }

  RelayOptions ro;
  ro.service = "outage_stop_test";
  ro.conninfo = db.conninfo();
  ro.kafka = testsupport::TestKafka(broker.bootstrap(), "nrp-events-outage-stop-relay");
  ro.poll_interval = 500ms;
  ro.flush_timeout = 1s;
  Relay relay(pool, ro);
  ASSERT_TRUE(relay.Start().ok());

  ConsumerOptions co;
  co.group_id = "nrp-test-outage-stop";
  co.topics = {std::string(kRegistrationTopic)};
  co.kafka = testsupport::TestKafka(broker.bootstrap(), "nrp-events-outage-stop-consumer");
  co.session_timeout = 6s;
  co.kafka_timeout = 5s;
  co.lag_interval = 300ms;
  Consumer consumer(pool, co);
  consumer.Handle(kType, [](pqxx::work& txn, const CloudEvent& e) {
    txn.exec_params0("INSERT INTO seen VALUES ($1::uuid)", e.id);
    return HandlerResult::Ok();
  });
  ASSERT_TRUE(consumer.Start().ok());

  // The relay's events reach the consumer: the whole path works.
  std::set<std::string> ids = Write(*pool, 10, 1);
  ASSERT_TRUE(testing::WaitFor([&] { return consumer.stats().processed == 10; }, 30s));

  ASSERT_TRUE(control.Down(DevBrokerControl::kAllBrokers).ok());
  Write(*pool, 10, 1);
  std::this_thread::sleep_for(1s);
  auto stopped = std::async(std::launch::async, [&] {
    consumer.Stop();
    relay.Stop();
  });
  ASSERT_EQ(stopped.wait_for(60s), std::future_status::ready) << "shutdown hangs";
  EXPECT_EQ(Unpublished(*pool), 10) << "unacknowledged events stay in the outbox";
  auto lease = pool->Acquire();
  ASSERT_TRUE(lease.ok());
  pqxx::work txn(**lease);
  EXPECT_EQ(txn.exec1("SELECT count(*) FROM seen")[0].as<int>(), 10);
}

}  // namespace
}  // namespace nrp::events
