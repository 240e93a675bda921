#include "nrp/core/calendar.h"

#include <gtest/gtest.h>

namespace nrp {
namespace {

WorkingCalendar Shipped() {
  auto cal = WorkingCalendar::LoadDirectory(NRP_SOURCE_CALENDAR_DIR, Date(2026, 6, 1));
  EXPECT_TRUE(cal.ok()) << cal.error().message();
  return std::move(cal).value();
}

TEST(WorkingCalendar, LoadsShippedYears) {
  auto cal = Shipped();
  EXPECT_TRUE(cal.IsOfficial(2025));
  EXPECT_TRUE(cal.IsOfficial(2026));
  // Later years are provisional up to ten years ahead of the loading day, then refused.
  EXPECT_TRUE(cal.Covers(2027));
  EXPECT_FALSE(cal.IsOfficial(2027));
  EXPECT_TRUE(cal.Covers(2036));
  EXPECT_FALSE(cal.Covers(2037));
  EXPECT_EQ(cal.last_year(), 2036);
  ASSERT_NE(cal.Year(2027), nullptr);
  EXPECT_EQ(cal.Year(2027)->origin, "statutory rule");
  EXPECT_NE(cal.Year(2026)->origin.find("CN-2026.cal"), std::string::npos);
}

TEST(WorkingCalendar, AcrossNationalDayHolidayAndMovedWorkingDay2025) {
  auto cal = Shipped();
  // Fri 2025-09-26; Sat 09-27 off; Sun 09-28 moved working day; Mon 09-29,
  // Tue 09-30 work; 10-01..10-08 holiday; Thu 10-09, Fri 10-10 work; Sat 10-11
  // moved working day.
  EXPECT_EQ(cal.AddWorkingDays(Date(2025, 9, 26), 1)->ToString(), "2025-09-28");
  EXPECT_EQ(cal.AddWorkingDays(Date(2025, 9, 26), 3)->ToString(), "2025-09-30");
  EXPECT_EQ(cal.AddWorkingDays(Date(2025, 9, 26), 4)->ToString(), "2025-10-09");
  EXPECT_EQ(cal.AddWorkingDays(Date(2025, 9, 26), 6)->ToString(), "2025-10-11");
  EXPECT_EQ(cal.AddWorkingDays(Date(2025, 9, 26), 7)->ToString(), "2025-10-13");
}

TEST(WorkingCalendar, SpringFestival2026WithMovedSaturdays) {
  auto cal = Shipped();
  // Fri 2026-02-13, Sat 02-14 moved working day, 02-15..02-23 holiday,
  // Tue 02-24 first day back. Five working days from 02-12: 13, 14, 24, 25, 26.
  EXPECT_TRUE(*cal.IsWorkingDay(Date(2026, 2, 14)));
  EXPECT_FALSE(*cal.IsWorkingDay(Date(2026, 2, 23)));
  EXPECT_EQ(cal.AddWorkingDays(Date(2026, 2, 12), 5)->ToString(), "2026-02-26");
  EXPECT_EQ(*cal.WorkingDaysBetween(Date(2026, 2, 12), Date(2026, 2, 26)), 5);
}

TEST(WorkingCalendar, OrdinaryWeekend) {
  auto cal = Shipped();
  // Fri 2026-03-06 + 1 working day = Mon 03-09.
  EXPECT_EQ(cal.AddWorkingDays(Date(2026, 3, 6), 1)->ToString(), "2026-03-09");
  EXPECT_EQ(cal.AddWorkingDays(Date(2026, 3, 6), 0)->ToString(), "2026-03-06");
}

TEST(WorkingCalendar, CrossingIntoAYearWithoutAFileCountsProvisionally) {
  auto cal = Shipped();
  // Wed 2026-12-30: Thu 12-31 (1), 元旦 Fri 2027-01-01, the weekend, Mon 01-04 … Thu 01-07 (5).
  auto r = cal.Compute(DeadlineRule::After(Date(2026, 12, 30), 5));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->date.ToString(), "2027-01-07");
  EXPECT_EQ(r->basis.label, "CN-2026 official, CN-2027 provisional");
  EXPECT_EQ(r->basis.provisional_years, std::vector<int>{2027});
  EXPECT_TRUE(r->basis.provisional());
  auto within = cal.Compute(DeadlineRule::After(Date(2026, 3, 6), 1));
  ASSERT_TRUE(within.ok());
  EXPECT_EQ(within->basis.label, "CN-2026 official");
  EXPECT_FALSE(within->basis.provisional());
}

TEST(WorkingCalendar, AcrossTheProvisional2027And2028Boundary) {
  auto cal = Shipped();
  // Thu 2027-12-30: Fri 12-31 (1); 元旦 2028 is a Saturday, so Mon 01-03 is its 补假;
  // Tue 01-04 (2), Wed 01-05 (3).
  auto r = cal.Compute(DeadlineRule::After(Date(2027, 12, 30), 3));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->date.ToString(), "2028-01-05");
  EXPECT_EQ(r->basis.label, "CN-2027 provisional, CN-2028 provisional");
  EXPECT_EQ(r->basis.provisional_years, (std::vector<int>{2027, 2028}));
  // Spring Festival 2027: 除夕 Fri 02-05 to 初三 Mon 02-08, the weekend's two days given on
  // Tue 02-09 and Wed 02-10.
  EXPECT_EQ(cal.AddWorkingDays(Date(2027, 2, 4), 2)->ToString(), "2027-02-12");
  // National Day 2027: Fri 10-01, the weekend's 10-02 and 10-03 given on Mon and Tue.
  EXPECT_EQ(cal.AddWorkingDays(Date(2027, 9, 30), 1)->ToString(), "2027-10-06");
}

TEST(WorkingCalendar, AYearMoreThanTenYearsAheadIsADataError) {
  auto cal = Shipped();
  auto r = cal.IsWorkingDay(Date(2037, 1, 5));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.error().message(),
            "date: the year 2037 is more than 10 years ahead; the working-day calendar reaches "
            "2036");
  // The horizon moves with the day the calendar is loaded on.
  auto later = WorkingCalendar::LoadDirectory(NRP_SOURCE_CALENDAR_DIR, Date(2027, 1, 1));
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->IsWorkingDay(Date(2037, 1, 5)).ok());
}

TEST(WorkingCalendar, AYearBeforeTheRuleWithoutAFileIsMissing) {
  auto before = Shipped().AddWorkingDays(Date(2024, 12, 27), 3);
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code(), Code::kFailedPrecondition);
  EXPECT_NE(before.error().message().find("no data for 2024"), std::string::npos);
}

TEST(WorkingCalendar, AnOfficialYearReplacesTheProvisionalOne) {
  WorkingCalendar cal;
  ASSERT_TRUE(cal.CompleteThrough(2028).ok());
  const std::string provisional_digest = cal.BasisFor(2027, 2027).digest;
  EXPECT_EQ(cal.BasisFor(2027, 2027).label, "CN-2027 provisional");
  // Provisionally Mon 2027-02-08 is 初三, a holiday; an arrangement could make it work.
  EXPECT_FALSE(*cal.IsWorkingDay(Date(2027, 2, 8)));
  ASSERT_TRUE(cal.AddYear("year 2027\nholiday 2027-02-05..2027-02-07 春节\n", "CN-2027.cal").ok());
  EXPECT_TRUE(cal.IsOfficial(2027));
  EXPECT_TRUE(*cal.IsWorkingDay(Date(2027, 2, 8)));
  EXPECT_EQ(cal.BasisFor(2027, 2027).label, "CN-2027 official");
  EXPECT_NE(cal.BasisFor(2027, 2027).digest, provisional_digest);
  // A second official file for the year is refused.
  auto again = cal.AddYear("year 2027\n", "other.cal");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message(), "other.cal:1: year 2027 already loaded");
}

TEST(DeadlineRule, TextFormRoundTripsAndComputesLikeTheSteps) {
  auto rule = DeadlineRule::From(Date(2026, 9, 28), 15).Then(WorkingDayStep::Kind::kAfter, 5);
  EXPECT_EQ(rule.ToString(), "2026-09-28 from:15 after:5");
  auto parsed = DeadlineRule::Parse(rule.ToString());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, rule);
  auto cal = Shipped();
  // from:N counts a working start day: Mon 2026-03-09 from:1 is the same day, after:1 the next.
  EXPECT_EQ(cal.Compute(DeadlineRule::From(Date(2026, 3, 9), 1))->date.ToString(), "2026-03-09");
  EXPECT_EQ(cal.Compute(DeadlineRule::After(Date(2026, 3, 9), 1))->date.ToString(), "2026-03-10");
  // Sat 2026-03-07 from:1 is Monday.
  EXPECT_EQ(cal.Compute(DeadlineRule::From(Date(2026, 3, 7), 1))->date.ToString(), "2026-03-09");
  for (const char* bad : {"", "2026-13-01", "2026-03-01 after", "2026-03-01 later:3",
                          "2026-03-01 after:-1", "2026-03-01 after:99999"}) {
    auto r = DeadlineRule::Parse(bad, "deadline_rule");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), Code::kInvalidArgument) << bad;
    EXPECT_EQ(r.error().message().rfind("deadline_rule: ", 0), 0u) << r.error().message();
  }
}

TEST(WorkingCalendar, NegativeCountRefused) {
  auto r = Shipped().AddWorkingDays(Date(2026, 3, 6), -1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
}

TEST(WorkingCalendar, MalformedFilesNameTheLine) {
  WorkingCalendar cal;
  ASSERT_TRUE(cal.CompleteThrough(2029).ok());
  auto s = cal.AddYear("year 2030\nholiday 2030-02-30 bad\n", "x.cal");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "x.cal:2: bad date '2030-02-30'");
  s = cal.AddYear("year 2030\nholiday 2031-01-01 other year\n", "y.cal");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "y.cal:2: date 2031-01-01 outside year 2030");
  s = cal.AddYear("holiday 2030-01-01\n", "z.cal");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "z.cal:1: 'year' must come first");
  s = cal.AddYear("year 2030\nholiday 2030-01-01\nworkday 2030-01-01\n", "w.cal");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(), "w.cal:3: 2030-01-01 is also a holiday");
  EXPECT_FALSE(cal.Covers(2030));
  EXPECT_FALSE(cal.IsOfficial(2029));
}

TEST(Date, ParseAndArithmetic) {
  EXPECT_EQ(Date::Parse("2024-02-29")->AddYears(1).ToString(), "2025-02-28");
  EXPECT_EQ(Date::Parse("2025-12-31")->AddDays(1).ToString(), "2026-01-01");
  auto bad = Date::Parse("2025-13-01", "start_date");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "start_date: expected a date YYYY-MM-DD, got '2025-13-01'");
  EXPECT_FALSE(Date::Parse("2025-1-01").ok());
}

}  // namespace
}  // namespace nrp
