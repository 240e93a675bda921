#include "nrp/core/calendar.h"

#include <gtest/gtest.h>

namespace nrp {
namespace {

WorkingCalendar Shipped() {
  auto cal = WorkingCalendar::LoadDirectory(NRP_SOURCE_CALENDAR_DIR);
  EXPECT_TRUE(cal.ok()) << cal.error().message();
  return std::move(cal).value();
}

TEST(WorkingCalendar, LoadsShippedYears) {
  auto cal = Shipped();
  EXPECT_TRUE(cal.Covers(2025));
  EXPECT_TRUE(cal.Covers(2026));
  EXPECT_FALSE(cal.Covers(2027));
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

TEST(WorkingCalendar, CrossingIntoAYearWithoutDataIsRefused) {
  auto cal = Shipped();
  auto r = cal.AddWorkingDays(Date(2026, 12, 30), 5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("no data for 2027"), std::string::npos);
}

TEST(WorkingCalendar, NegativeCountRefused) {
  auto r = Shipped().AddWorkingDays(Date(2026, 3, 6), -1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
}

TEST(WorkingCalendar, MalformedFilesNameTheLine) {
  WorkingCalendar cal;
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
