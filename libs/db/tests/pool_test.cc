#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "nrp/db/pool.h"
#include "nrp/db/transaction.h"
#include "nrp/testing/infra.h"

namespace nrp::db {
namespace {

using nrp::testing::TcpProxy;
using nrp::testing::TestDatabase;

TEST(Pool, BoundedWithAcquireTimeout) {
  TestDatabase db;
  auto pool = Pool::Create({.conninfo = db.conninfo(), .size = 2,
                            .acquire_timeout = std::chrono::milliseconds(200)});
  auto a = pool->Acquire();
  auto b = pool->Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = pool->Acquire();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code(), Code::kUnavailable);
  EXPECT_EQ(c.error().message(), "database pool exhausted: waited 200ms for one of 2 connections");
  { auto released = std::move(a); }
  auto d = pool->Acquire();
  EXPECT_TRUE(d.ok());
  EXPECT_EQ(pool->open_connections(), 2u);
}

TEST(Pool, WaitingCallerGetsAReturnedConnection) {
  TestDatabase db;
  auto pool = Pool::Create({.conninfo = db.conninfo(), .size = 1,
                            .acquire_timeout = std::chrono::milliseconds(3000)});
  auto held = pool->Acquire();
  ASSERT_TRUE(held.ok());
  std::atomic<bool> got{false};
  std::thread waiter([&] { got = pool->Acquire().ok(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  { auto released = std::move(held); }
  waiter.join();
  EXPECT_TRUE(got);
}

TEST(Pool, UnreachableDatabaseIsUnavailableThenRecovers) {
  TestDatabase db;
  TcpProxy proxy(db.host(), db.port());
  auto pool = Pool::Create({.conninfo = db.conninfo_via("127.0.0.1", proxy.port()), .size = 2,
                            .acquire_timeout = std::chrono::milliseconds(500)});
  ASSERT_TRUE(pool->Ping().ok());
  proxy.Cut();
  auto down = pool->Ping();
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code(), Code::kUnavailable);
  proxy.Restore();
  EXPECT_TRUE(nrp::testing::WaitFor([&] { return pool->Ping().ok(); },
                                    std::chrono::seconds(10)));
}

TEST(Transact, CommitsOnSuccessAndRollsBackOnError) {
  TestDatabase db;
  auto pool = Pool::Create({.conninfo = db.conninfo()});
  ASSERT_TRUE(Transact(*pool, [](pqxx::work& tx) -> Status {
                tx.exec("CREATE TABLE t (k int PRIMARY KEY, v int)");
                return Ok();
              }).ok());
  auto r = Transact(*pool, [](pqxx::work& tx) -> Result<int> {
    tx.exec("INSERT INTO t VALUES (1, 10)");
    return 1;
  });
  ASSERT_TRUE(r.ok());
  auto refused = Transact(*pool, [](pqxx::work& tx) -> Status {
    tx.exec("INSERT INTO t VALUES (2, 20)");
    return Error::FailedPrecondition("RULE", "2", "a rule said no");
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Code::kFailedPrecondition);
  auto duplicate = Transact(*pool, [](pqxx::work& tx) -> Status {
    tx.exec("INSERT INTO t VALUES (3, 30)");
    tx.exec("INSERT INTO t VALUES (1, 10)");
    return Ok();
  });
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code(), Code::kAlreadyExists);
  auto count = Transact(*pool, [](pqxx::work& tx) -> Result<int> {
    return tx.exec("SELECT count(*) FROM t")[0][0].as<int>();
  });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
}

TEST(Transact, SerializationFailuresAreRetriedUntilOneWins) {
  TestDatabase db;
  auto pool = Pool::Create({.conninfo = db.conninfo(), .size = 8});
  ASSERT_TRUE(Transact(*pool, [](pqxx::work& tx) -> Status {
                tx.exec("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)");
                tx.exec("INSERT INTO counter VALUES (1, 0)");
                return Ok();
              }).ok());
  std::atomic<int> ok{0}, aborted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = Transact(
          *pool,
          [](pqxx::work& tx) -> Status {
            int n = tx.exec("SELECT n FROM counter WHERE id = 1")[0][0].as<int>();
            tx.exec_params("UPDATE counter SET n = $1 WHERE id = 1", n + 1);
            return Ok();
          },
          {.attempts = 50, .serializable = true});
      if (r.ok()) ++ok;
      else if (r.error().code() == Code::kAborted) ++aborted;
      else ADD_FAILURE() << r.error().ToString();
    });
  }
  for (auto& t : threads) t.join();
  auto n = Transact(*pool, [](pqxx::work& tx) -> Result<int> {
    return tx.exec("SELECT n FROM counter")[0][0].as<int>();
  });
  // No lost update: every committed increment is counted.
  EXPECT_EQ(*n, ok.load());
  EXPECT_EQ(ok + aborted, 8);
  EXPECT_GE(ok.load(), 1);
}

TEST(MapException, CodesForCommonFailures) {
  TestDatabase db;
  pqxx::connection c(db.conninfo());
  auto code_of = [&](const char* sql) {
    try {
      pqxx::work tx(c);
      tx.exec(sql);
      tx.commit();
    } catch (const std::exception& e) {
      return MapException(e).code();
    }
    return Code::kOk;
  };
  EXPECT_EQ(code_of("CREATE TABLE u (k int PRIMARY KEY CHECK (k > 0))"), Code::kOk);
  EXPECT_EQ(code_of("INSERT INTO u VALUES (1)"), Code::kOk);
  EXPECT_EQ(code_of("INSERT INTO u VALUES (1)"), Code::kAlreadyExists);
  EXPECT_EQ(code_of("INSERT INTO u VALUES (-1)"), Code::kFailedPrecondition);
  EXPECT_EQ(code_of("SET LOCAL statement_timeout = 50; SELECT pg_sleep(1)"),
            Code::kDeadlineExceeded);
  EXPECT_EQ(code_of("SELECT * FROM no_such_table"), Code::kInternal);
}

}  // namespace
}  // namespace nrp::db
