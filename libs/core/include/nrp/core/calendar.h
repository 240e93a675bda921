// Dates and the working-day calendar. Deadlines in working days (registration
// time limits, contract signing) skip weekends and official holidays and count
// the weekend days moved to work (调休). Operators load one data file per year.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/status.h"

namespace nrp {

// A civil date (no time zone).
class Date {
 public:
  Date() = default;
  explicit Date(std::chrono::year_month_day ymd) : ymd_(ymd) {}
  Date(int y, unsigned m, unsigned d)
      : ymd_(std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)) {}
  // "YYYY-MM-DD"; errors name the field `field`.
  static Result<Date> Parse(std::string_view text, std::string_view field = "date");
  static Date FromSysDays(std::chrono::sys_days d) { return Date(std::chrono::year_month_day(d)); }

  bool ok() const { return ymd_.ok(); }
  int year() const { return int(ymd_.year()); }
  unsigned month() const { return unsigned(ymd_.month()); }
  unsigned day() const { return unsigned(ymd_.day()); }
  std::chrono::sys_days sys_days() const { return std::chrono::sys_days(ymd_); }
  std::chrono::weekday weekday() const { return std::chrono::weekday(sys_days()); }
  Date AddDays(int n) const { return FromSysDays(sys_days() + std::chrono::days(n)); }
  // Same month and day n years later; 29 February becomes 28 February.
  Date AddYears(int n) const;
  std::string ToString() const;

  auto operator<=>(const Date& o) const { return sys_days() <=> o.sys_days(); }
  bool operator==(const Date& o) const { return sys_days() == o.sys_days(); }

 private:
  std::chrono::year_month_day ymd_{};
};

class WorkingCalendar {
 public:
  // Loads every "*.cal" file of a folder. Format, one entry a line:
  //   year 2026
  //   holiday 2026-01-01..2026-01-03 元旦
  //   workday 2026-01-04 元旦调休
  // '#' starts a comment. Each file declares the year it covers; dates must lie
  // in that year; a year may be declared once.
  static Result<WorkingCalendar> LoadDirectory(const std::filesystem::path& dir);
  // Parses one file's text; `origin` names it in errors.
  Status AddYear(std::string_view text, std::string_view origin);

  bool Covers(int year) const { return years_.count(year) > 0; }
  const std::set<int>& years() const { return years_; }

  // FAILED_PRECONDITION when the date's year has no calendar loaded.
  Result<bool> IsWorkingDay(Date d) const;
  // The date on which `n` working days after `start` have passed (`start`
  // itself is not counted). n = 0 gives `start`. n must be ≥ 0.
  Result<Date> AddWorkingDays(Date start, int n) const;
  // Working days in (from, to]; 0 when to ≤ from.
  Result<int> WorkingDaysBetween(Date from, Date to) const;

 private:
  std::set<int> years_;
  std::set<std::chrono::sys_days> holidays_;
  std::set<std::chrono::sys_days> workdays_;
};

}  // namespace nrp

namespace nrp {
// Where the shipped calendar files are: $NRP_CALENDAR_DIR when set, else the
// installed data folder, else the source tree's libs/core/data/calendar.
std::filesystem::path DefaultCalendarDir();
}  // namespace nrp
