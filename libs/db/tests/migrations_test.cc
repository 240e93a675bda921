#include <gtest/gtest.h>

#include <thread>

#include "nrp/db/migrations.h"
#include "nrp/testing/infra.h"
#include "nrp_migrations_dbtest.h"

namespace nrp::db {
namespace {

using nrp::testing::TestDatabase;

int Count(const std::string& conninfo, const std::string& sql) {
  pqxx::connection c(conninfo);
  pqxx::nontransaction tx(c);
  return tx.exec(sql)[0][0].as<int>();
}

TEST(Migrations, EmbeddedFilesAreNumberedAndOrdered) {
  const MigrationSet& set = nrp_migrations_dbtest();
  EXPECT_EQ(set.component, "dbtest");
  ASSERT_EQ(set.migrations.size(), 2u);
  EXPECT_EQ(set.migrations[0].version, 1);
  EXPECT_EQ(set.migrations[0].name, "0001_create_parcel.sql");
  EXPECT_NE(set.migrations[1].sql.find("gist"), std::string::npos);
}

TEST(Migrations, AppliesOnceAndRecordsChecksums) {
  TestDatabase db;
  auto pool = Pool::Create({.conninfo = db.conninfo()});
  auto first = ApplyMigrations(*pool, {nrp_migrations_dbtest()});
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_EQ(first->applied, 2);
  auto second = ApplyMigrations(*pool, {nrp_migrations_dbtest()});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->applied, 0);
  EXPECT_EQ(second->already_applied, 2);
  EXPECT_EQ(Count(db.conninfo(), "SELECT count(*) FROM schema_migrations WHERE checksum ~ "
                                 "'^[0-9a-f]{64}$'"),
            2);
  EXPECT_EQ(Count(db.conninfo(), "SELECT count(*) FROM parcel"), 0);
}

TEST(Migrations, AChangedAppliedFileStopsTheStart) {
  TestDatabase db;
  auto pool = Pool::Create({.conninfo = db.conninfo()});
  ASSERT_TRUE(ApplyMigrations(*pool, {nrp_migrations_dbtest()}).ok());
  MigrationSet edited = nrp_migrations_dbtest();
  edited.migrations[0].sql += "\n-- edited later\n";
  auto r = ApplyMigrations(*pool, {edited});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("migration dbtest/0001_create_parcel.sql was changed after "
                                     "it was applied"),
            std::string::npos)
      << r.error().message();
}

TEST(Migrations, AFailingFileLeavesNoPartialWrite) {
  TestDatabase db;
  auto pool = Pool::Create({.conninfo = db.conninfo()});
  MigrationSet set{"broken",
                   {{1, "0001_ok.sql", "CREATE TABLE a (x int);"},
                    {2, "0002_bad.sql", "CREATE TABLE b (x int); SELECT no_such_function();"}}};
  auto r = ApplyMigrations(*pool, {set});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Count(db.conninfo(), "SELECT count(*) FROM pg_tables WHERE tablename = 'a'"), 1);
  EXPECT_EQ(Count(db.conninfo(), "SELECT count(*) FROM pg_tables WHERE tablename = 'b'"), 0);
  EXPECT_EQ(Count(db.conninfo(), "SELECT count(*) FROM schema_migrations"), 1);
}

TEST(Migrations, VersionsMustIncrease) {
  TestDatabase db;
  auto pool = Pool::Create({.conninfo = db.conninfo()});
  MigrationSet set{"dup", {{2, "0002_a.sql", "SELECT 1"}, {2, "0002_b.sql", "SELECT 1"}}};
  auto r = ApplyMigrations(*pool, {set});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "migration versions of dup must increase: 0002_b.sql");
}

TEST(Migrations, InstancesStartingTogetherDoNotRace) {
  TestDatabase db;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, applied{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto pool = Pool::Create({.conninfo = db.conninfo()});
      auto r = ApplyMigrations(*pool, {nrp_migrations_dbtest()});
      if (r.ok()) {
        ++ok;
        applied += r->applied;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(applied.load(), 2);
}

}  // namespace
}  // namespace nrp::db
