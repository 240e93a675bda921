// Deadlines kept with their rule and calendar, recounted when the calendar changes: once
// per change, by one of several replicas, and closed when the subject no longer waits.
#include "nrp/service/deadlines.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "nrp/db/migrations.h"
#include "nrp/db/transaction.h"
#include "nrp/events/outbox.h"
#include "nrp/testing/infra.h"
#include "nrp_migrations_service.h"

namespace nrp::service {
namespace {

constexpr char k2027[] =
    "# Test data, not an official arrangement.\nyear 2027\n"
    "holiday 2027-01-01..2027-01-05 元旦\n";

WorkingCalendar Provisional() {
  auto cal = WorkingCalendar::LoadDirectory(DefaultCalendarDir(), Date(2026, 12, 1));
  EXPECT_TRUE(cal.ok());
  return std::move(cal).value();
}

WorkingCalendar Official2027() {
  WorkingCalendar cal = Provisional();
  EXPECT_TRUE(cal.AddYear(k2027, "CN-2027.cal").ok());
  return cal;
}

class DeadlinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<nrp::testing::TestDatabase>("dl");
    db::PoolOptions o;
    o.conninfo = db_->conninfo();
    o.size = 8;
    pool_ = db::Pool::Create(o);
    ASSERT_TRUE(db::ApplyMigrations(*pool_, {events::Migrations(), nrp_migrations_service()}).ok());
    ASSERT_TRUE(db::Transact(*pool_, [](pqxx::work& tx) -> Status {
                  tx.exec0(
                      "CREATE TABLE applied (subject text, old date, new date, calendar text)");
                  return Ok();
                }).ok());
  }

  // Stores `subject`'s deadline: 10 working days after Wednesday 2026-12-23.
  void Put(const std::string& subject, const WorkingCalendar& cal) {
    auto rule = DeadlineRule::After(Date(2026, 12, 23), 10);
    auto d = cal.Compute(rule);
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE(db::Transact(*pool_, [&](pqxx::work& tx) -> Status {
                  Deadlines::Put(tx, subject, "due", rule, *d, clock_.Now());
                  return Ok();
                }).ok());
  }

  DeadlineApplier Recorder(std::atomic<int>* calls, bool still_open = true) {
    return [calls, still_open](pqxx::work& tx, const DeadlineChange& c) -> Result<bool> {
      calls->fetch_add(1);
      tx.exec_params0("INSERT INTO applied VALUES ($1, $2::date, $3::date, $4)", c.subject,
                      c.old_date.ToString(), c.now.date.ToString(), c.now.basis.label);
      return still_open;
    };
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection c(db_->conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec(sql)[0][0].as<int64_t>();
  }

  std::unique_ptr<nrp::testing::TestDatabase> db_;
  std::shared_ptr<db::Pool> pool_;
  ManualClock clock_{TimePoint(std::chrono::sys_days(Date(2026, 12, 23).sys_days()))};
};

TEST_F(DeadlinesTest, AnOfficialYearRecountsTheProvisionalDeadlineOnce) {
  Put("cases/a", Provisional());
  Deadlines book(*pool_, clock_);
  std::atomic<int> calls{0};
  book.Handle("cases/", Recorder(&calls));
  // The calendar it was counted with: nothing to do.
  auto none = book.Recount(Provisional());
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->examined, 1);
  EXPECT_EQ(none->recounted, 0);

  auto r = book.Recount(Official2027());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->recounted, 1);
  EXPECT_EQ(r->moved, 1);
  EXPECT_EQ(calls.load(), 1);
  // 12-24 … 12-31 are 6; with 元旦 alone off the 10th is 01-07, with 1 to 5 January off it is
  // 01-11.
  EXPECT_EQ(Count("SELECT count(*) FROM applied WHERE subject = 'cases/a' AND old = '2027-01-07' "
                  "AND new = '2027-01-11' AND calendar = 'CN-2026 official, CN-2027 official'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM deadlines WHERE due = '2027-01-11' AND NOT provisional "
                  "AND recounted_at IS NOT NULL"),
            1);
  auto again = book.Recount(Official2027());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->recounted, 0);
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(DeadlinesTest, ASubjectThatNoLongerWaitsIsClosed) {
  Put("offers/x", Provisional());
  Put("offers/y", Provisional());
  ASSERT_TRUE(db::Transact(*pool_, [](pqxx::work& tx) -> Status {
                Deadlines::Close(tx, "offers/y");
                return Ok();
              }).ok());
  Deadlines book(*pool_, clock_);
  std::atomic<int> calls{0};
  book.Handle("offers/", Recorder(&calls, /*still_open=*/false));
  auto r = book.Recount(Official2027());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->examined, 1);  // the closed one is not looked at
  EXPECT_EQ(r->closed, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM deadlines WHERE open"), 0);
  // The date it had stays as it was: the subject did not take the recount.
  EXPECT_EQ(Count("SELECT count(*) FROM deadlines WHERE subject = 'offers/x' AND provisional"), 1);
}

TEST_F(DeadlinesTest, ASubjectWithoutAnApplierIsReportedAndRetried) {
  Put("units/z", Provisional());
  Deadlines book(*pool_, clock_);
  auto r = book.Recount(Official2027());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failed, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM deadlines WHERE open AND provisional"), 1);
}

TEST_F(DeadlinesTest, ReplicasRecountingTogetherApplyEachChangeOnce) {
  for (int i = 0; i < 60; ++i) Put("cases/" + std::to_string(i), Provisional());
  const WorkingCalendar official = Official2027();
  std::atomic<int> calls{0};
  std::vector<std::thread> replicas;
  std::atomic<int> moved{0};
  for (int r = 0; r < 3; ++r) {
    replicas.emplace_back([&] {
      Deadlines book(*pool_, clock_);
      book.Handle("cases/", Recorder(&calls));
      auto report = book.Recount(official);
      EXPECT_TRUE(report.ok());
      if (report.ok()) moved.fetch_add(report->moved);
    });
  }
  for (auto& t : replicas) t.join();
  EXPECT_EQ(calls.load(), 60);
  EXPECT_EQ(moved.load(), 60);
  EXPECT_EQ(Count("SELECT count(DISTINCT subject) FROM applied"), 60);
  EXPECT_EQ(Count("SELECT count(*) FROM applied"), 60);
}

}  // namespace
}  // namespace nrp::service
