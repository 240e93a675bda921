#include "nrp/core/chinese_calendar.h"

#include <gtest/gtest.h>

#include "nrp/core/calendar.h"

namespace nrp::chinese_calendar {
namespace {

WorkingCalendar OfficialOnly() {
  // The shipped folder holds only official files; loading it on a day in 2025 computes
  // provisional years after them, which these tests do not look at.
  auto cal = WorkingCalendar::LoadDirectory(NRP_SOURCE_CALENDAR_DIR, Date(2025, 6, 1));
  EXPECT_TRUE(cal.ok()) << cal.error().ToString();
  return std::move(cal).value();
}

// Every day the rule makes a holiday — the 13 statutory days and the 补假 for those on a
// weekend — is a holiday in the State Council's arrangement of the same year.
TEST(StatutoryRule, EveryComputedHolidayIsAHolidayInTheOfficialFiles) {
  WorkingCalendar official = OfficialOnly();
  for (int year : {2025, 2026}) {
    ASSERT_TRUE(official.IsOfficial(year));
    auto days = StatutoryHolidays(year);
    ASSERT_TRUE(days.ok()) << days.error().ToString();
    int statutory = 0;
    for (const StatutoryDay& d : *days) {
      auto working = official.IsWorkingDay(d.date);
      ASSERT_TRUE(working.ok());
      EXPECT_FALSE(*working) << year << ": " << d.date.ToString() << " " << d.name
                             << " is a working day in the official arrangement";
      if (!d.compensation) ++statutory;
    }
    // 2025: 中秋 fell on 6 October, no clash; every one of the 13 days is its own.
    EXPECT_EQ(statutory, 13) << year;
  }
}

TEST(StatutoryRule, TheDaysOf2026AsTheStateCouncilNamedThem) {
  auto days = StatutoryHolidays(2026);
  ASSERT_TRUE(days.ok());
  std::vector<std::string> got;
  for (const auto& d : *days) got.push_back(d.date.ToString() + " " + d.name);
  EXPECT_EQ(got,
            (std::vector<std::string>{
                "2026-01-01 元旦", "2026-02-16 春节", "2026-02-17 春节", "2026-02-18 春节",
                "2026-02-19 春节", "2026-04-05 清明节", "2026-04-06 补假", "2026-05-01 劳动节",
                "2026-05-02 劳动节", "2026-05-04 补假", "2026-06-19 端午节", "2026-09-25 中秋节",
                "2026-10-01 国庆节", "2026-10-02 国庆节", "2026-10-03 国庆节", "2026-10-05 补假"}));
}

// Published dates of 春节 (正月初一) and 清明, as in the Hong Kong Observatory's
// Gregorian–lunar calendar conversion tables and the 紫金山天文台 almanac.
TEST(StatutoryRule, SpringFestivalAndQingmingMatchThePublishedDates) {
  const std::vector<std::pair<int, std::string>> new_years = {
      {2025, "2025-01-29"}, {2026, "2026-02-17"}, {2027, "2027-02-06"}, {2028, "2028-01-26"},
      {2029, "2029-02-13"}, {2030, "2030-02-03"}, {2031, "2031-01-23"}, {2032, "2032-02-11"},
      {2033, "2033-01-31"}, {2034, "2034-02-19"}, {2035, "2035-02-08"}, {2036, "2036-01-28"}};
  for (const auto& [year, date] : new_years) EXPECT_EQ(NewYear(year).ToString(), date);
  const std::vector<std::pair<int, std::string>> qingming = {
      {2025, "2025-04-04"}, {2026, "2026-04-05"}, {2027, "2027-04-05"}, {2028, "2028-04-04"},
      {2029, "2029-04-04"}, {2030, "2030-04-05"}, {2031, "2031-04-05"}, {2032, "2032-04-04"},
      {2033, "2033-04-04"}, {2034, "2034-04-05"}, {2035, "2035-04-05"}, {2036, "2036-04-04"}};
  for (const auto& [year, date] : qingming) EXPECT_EQ(SolarTermDate(year, 15).ToString(), date);
}

// The new moon of February 2027 comes at 23:56 and that of February 2030 at 00:07 China
// time, so the month (and the festival) starts on 6 February 2027 and 3 February 2030.
// A calendar that places the Moon a few minutes off gets both a day wrong; ICU 72's
// Chinese calendar does (7 February 2027, 2 February 2030), which is why the dates here are
// computed from ERFA's ephemerides.
TEST(StatutoryRule, NewMoonsCloseToMidnightFallOnTheRightDay) {
  EXPECT_EQ(NewYear(2027).ToString(), "2027-02-06");
  EXPECT_EQ(NewYear(2030).ToString(), "2030-02-03");
  EXPECT_EQ(LunarDate(2027, 1, 1)->AddDays(-1).ToString(), "2027-02-05");  // 除夕
}

TEST(StatutoryRule, LeapMonthsAndTheFestivalsAfterThem) {
  // 2025 has a leap 6th month, 2028 a leap 5th (端午 is in the ordinary 5th, before it),
  // 2031 a leap 3rd.
  EXPECT_EQ(LeapMonth(2025), 6);
  EXPECT_EQ(LeapMonth(2026), 0);
  EXPECT_EQ(LeapMonth(2028), 5);
  EXPECT_EQ(LeapMonth(2031), 3);
  EXPECT_EQ(LunarDate(2025, 8, 15)->ToString(), "2025-10-06");
  EXPECT_EQ(LunarDate(2028, 5, 5)->ToString(), "2028-05-28");
  EXPECT_EQ(LunarDate(2031, 5, 5)->ToString(), "2031-06-24");
  EXPECT_EQ(LunarDate(2027, 8, 15)->ToString(), "2027-09-15");
  // The 12th month of a Chinese year lies in the next Gregorian year: 除夕 of the year of
  // 2026 is 5 February 2027.
  auto twelfth = LunarDate(2026, 12, 1);
  ASSERT_TRUE(twelfth.ok());
  EXPECT_EQ(twelfth->year(), 2027);
  auto bad = LunarDate(2026, 13, 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Code::kInvalidArgument);
  auto no_31st = LunarDate(2026, 1, 31);
  ASSERT_FALSE(no_31st.ok());
  EXPECT_NE(no_31st.error().message().find("day: lunar month 1 of 2026 has"), std::string::npos);
}

TEST(StatutoryRule, HolidaysOnWeekendsOrOnEachOtherAreGivenOnTheNextWeekday) {
  // 2028: 元旦 is a Saturday (补假 Mon 01-03); 中秋 falls on 10-03 with 国庆, so 国庆's third
  // day is given too: 10-04 and 10-05 are 补假.
  auto days = StatutoryHolidays(2028);
  ASSERT_TRUE(days.ok());
  std::vector<std::string> comp;
  for (const auto& d : *days) {
    if (d.compensation) comp.push_back(d.date.ToString());
  }
  EXPECT_EQ(comp,
            (std::vector<std::string>{"2028-01-03", "2028-05-29", "2028-10-04", "2028-10-05"}));
  for (const auto& d : *days) {
    auto w = d.date.weekday();
    if (d.compensation) {
      EXPECT_NE(w, std::chrono::Saturday);
      EXPECT_NE(w, std::chrono::Sunday);
    }
  }
}

TEST(StatutoryRule, YearsOutsideTheRuleAreRefused) {
  auto before = StatutoryHolidays(2024);
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code(), Code::kInvalidArgument);
  EXPECT_NE(before.error().message().find("got 2024"), std::string::npos);
  EXPECT_FALSE(StatutoryHolidays(2201).ok());
}

}  // namespace
}  // namespace nrp::chinese_calendar
