// Dates and the working-day calendar. Deadlines in working days (registration
// time limits, contract signing) skip weekends and official holidays and count
// the weekend days moved to work (调休). Operators load one data file per year as the
// State Council publishes it; a year without one is provisional, computed from the
// statutory rule (chinese_calendar.h), so that deadlines never stop; every deadline says
// which of the two it was counted with, and is recounted when the official year arrives.
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

// How a deadline is counted in working days from its start date: a list of steps applied
// in order. "after:N" moves to the N-th working day after the date (the date itself not
// counted; N = 0 keeps it); "from:N" moves to the N-th working day counting the date itself
// when it is a working day (N = 0 keeps it). Text form: "2026-12-20 after:5 from:15".
struct WorkingDayStep {
  enum class Kind { kAfter, kFrom };
  Kind kind = Kind::kAfter;
  int days = 0;
  bool operator==(const WorkingDayStep&) const = default;
};

struct DeadlineRule {
  Date start;
  std::vector<WorkingDayStep> steps;

  static DeadlineRule After(Date start, int days) {
    return {start, {{WorkingDayStep::Kind::kAfter, days}}};
  }
  static DeadlineRule From(Date start, int days) {
    return {start, {{WorkingDayStep::Kind::kFrom, days}}};
  }
  DeadlineRule Then(WorkingDayStep::Kind kind, int days) const {
    DeadlineRule r = *this;
    r.steps.push_back({kind, days});
    return r;
  }
  std::string ToString() const;
  // INVALID_ARGUMENT naming `field` for anything but the text form above.
  static Result<DeadlineRule> Parse(std::string_view text, std::string_view field = "rule");
  bool operator==(const DeadlineRule&) const = default;
};

// Which calendar years a deadline was counted through, and whether each was the official
// arrangement or the provisional statutory rule.
struct CalendarBasis {
  int first_year = 0;
  int last_year = 0;
  std::vector<int> provisional_years;
  // "CN-2027 official", "CN-2027 provisional", or for a count that crossed years every year
  // it touched: "CN-2026 official, CN-2027 provisional".
  std::string label;
  // Changes whenever the data of any year in the range changes (a provisional year made
  // official, or an official file corrected).
  std::string digest;
  bool provisional() const { return !provisional_years.empty(); }
};

struct Deadline {
  Date date;
  CalendarBasis basis;
};

class WorkingCalendar {
 public:
  // Years further ahead than this are refused: a date there is a data error, not a gap in
  // the calendar.
  static constexpr int kHorizonYears = 10;

  struct YearInfo {
    int year = 0;
    bool official = false;
    std::string origin;  // the file an official year came from; "statutory rule" otherwise
    std::string digest;  // of the year's holidays and moved working days
  };

  // Loads every "*.cal" file of a folder as official years, then fills every year from 2025
  // (when the statutory rule as amended in 2024 took effect) to `today`'s year + 10 that has
  // no file with the provisional rule (see chinese_calendar.h). File format, one entry a line:
  //   year 2026
  //   holiday 2026-01-01..2026-01-03 元旦
  //   workday 2026-01-04 元旦调休
  // '#' starts a comment. Each file declares the year it covers; dates must lie in that year;
  // a year may be declared once.
  static Result<WorkingCalendar> LoadDirectory(const std::filesystem::path& dir, Date today);
  // Parses one official year's text; `origin` names it in errors.
  Status AddYear(std::string_view text, std::string_view origin);
  // Computes the provisional years up to `last_year` (every year from 2025 without an
  // official file) and sets the horizon there.
  Status CompleteThrough(int last_year);

  // Whether the date's year has official or provisional data.
  bool Covers(int year) const { return years_.count(year) > 0; }
  bool IsOfficial(int year) const;
  // Every year loaded or computed, in order.
  std::vector<YearInfo> Years() const;
  const YearInfo* Year(int year) const;
  // Last year covered (the horizon), 0 when empty.
  int last_year() const { return years_.empty() ? 0 : years_.rbegin()->first; }

  // FAILED_PRECONDITION CALENDAR_MISSING for a year before 2025 without a file;
  // INVALID_ARGUMENT for a year past the horizon.
  Result<bool> IsWorkingDay(Date d) const;
  // The date on which `n` working days after `start` have passed (`start`
  // itself is not counted). n = 0 gives `start`. n must be ≥ 0.
  Result<Date> AddWorkingDays(Date start, int n) const;
  // Working days in (from, to]; 0 when to ≤ from.
  Result<int> WorkingDaysBetween(Date from, Date to) const;

  // Applies the rule's steps and says which calendars the count went through.
  Result<Deadline> Compute(const DeadlineRule& rule) const;
  // The basis of a count that touched every year from `first_year` to `last_year`.
  CalendarBasis BasisFor(int first_year, int last_year) const;

 private:
  struct YearData {
    YearInfo info;
    std::set<std::chrono::sys_days> holidays;
    std::set<std::chrono::sys_days> workdays;
  };
  static std::string DigestOf(bool official, const YearData& data);
  Error Uncovered(int year) const;

  std::map<int, YearData> years_;
  std::set<std::chrono::sys_days> holidays_;
  std::set<std::chrono::sys_days> workdays_;
  int horizon_ = 0;
};

}  // namespace nrp

namespace nrp {
// The civil date in China (UTC+8, no daylight saving) at instant `t`.
Date ChinaCivilDate(std::chrono::system_clock::time_point t);
// Where the shipped calendar files are: $NRP_CALENDAR_DIR when set, else the
// installed data folder, else the source tree's libs/core/data/calendar.
std::filesystem::path DefaultCalendarDir();
}  // namespace nrp
