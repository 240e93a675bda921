#include "nrp/core/calendar.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <cstdlib>

namespace nrp {

Result<Date> Date::Parse(std::string_view t, std::string_view field) {
  auto bad = [&] {
    return Error::InvalidArgument(std::string(field),
                                  "expected a date YYYY-MM-DD, got '" + std::string(t) + "'");
  };
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return bad();
  int v[3] = {0, 0, 0};
  size_t spans[3][2] = {{0, 4}, {5, 2}, {8, 2}};
  for (int k = 0; k < 3; ++k) {
    for (size_t i = spans[k][0]; i < spans[k][0] + spans[k][1]; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(t[i]))) return bad();
      v[k] = v[k] * 10 + (t[i] - '0');
    }
  }
  Date d(v[0], unsigned(v[1]), unsigned(v[2]));
  if (!d.ok()) return bad();
  return d;
}

Date Date::AddYears(int n) const {
  using namespace std::chrono;
  year_month_day next = ymd_ + years(n);
  if (!next.ok()) next = year_month_day(next.year(), next.month(), std::chrono::day(28));
  return Date(next);
}

std::string Date::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
  return buf;
}

Status WorkingCalendar::AddYear(std::string_view text, std::string_view origin) {
  std::istringstream in{std::string(text)};
  std::string line;
  int lineno = 0;
  int year = 0;
  std::set<std::chrono::sys_days> holidays, workdays;
  auto fail = [&](const std::string& why) {
    return Error(Code::kInvalidArgument,
                 std::string(origin) + ":" + std::to_string(lineno) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++lineno;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string kind, range;
    if (!(words >> kind)) continue;
    if (kind == "year") {
      if (year != 0) return fail("year declared twice");
      if (!(words >> year) || year < 1949 || year > 2200) return fail("bad year");
      if (years_.count(year)) return fail("year " + std::to_string(year) + " already loaded");
      continue;
    }
    if (kind != "holiday" && kind != "workday") {
      return fail("expected 'year', 'holiday' or 'workday', got '" + kind + "'");
    }
    if (year == 0) return fail("'year' must come first");
    if (!(words >> range)) return fail("missing date");
    std::string first = range, last = range;
    if (auto dots = range.find(".."); dots != std::string::npos) {
      first = range.substr(0, dots);
      last = range.substr(dots + 2);
    }
    auto a = Date::Parse(first), b = Date::Parse(last);
    if (!a.ok() || !b.ok()) return fail("bad date '" + range + "'");
    if (*b < *a) return fail("range ends before it starts: " + range);
    if (a->year() != year || b->year() != year) {
      return fail("date " + range + " outside year " + std::to_string(year));
    }
    for (auto d = a->sys_days(); d <= b->sys_days(); d += std::chrono::days(1)) {
      if (kind == "holiday") {
        if (workdays.count(d)) return fail(Date::FromSysDays(d).ToString() + " is also a workday");
        holidays.insert(d);
      } else {
        if (holidays.count(d)) return fail(Date::FromSysDays(d).ToString() + " is also a holiday");
        workdays.insert(d);
      }
    }
  }
  if (year == 0) return Error(Code::kInvalidArgument, std::string(origin) + ": no 'year' line");
  years_.insert(year);
  holidays_.insert(holidays.begin(), holidays.end());
  workdays_.insert(workdays.begin(), workdays.end());
  return Ok();
}

Result<WorkingCalendar> WorkingCalendar::LoadDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error(Code::kInvalidArgument, "calendar folder " + dir.string() + " does not exist");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".cal") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    return Error(Code::kInvalidArgument, "calendar folder " + dir.string() + " has no .cal files");
  }
  WorkingCalendar cal;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    NRP_RETURN_IF_ERROR(cal.AddYear(ss.str(), f.string()));
  }
  return cal;
}

Result<bool> WorkingCalendar::IsWorkingDay(Date d) const {
  if (!Covers(d.year())) {
    return Error::FailedPrecondition(
        "CALENDAR_MISSING", std::to_string(d.year()),
        "the working-day calendar has no data for " + std::to_string(d.year()) +
            "; load that year's holiday arrangement");
  }
  auto sd = d.sys_days();
  if (holidays_.count(sd)) return false;
  if (workdays_.count(sd)) return true;
  auto wd = d.weekday();
  return wd != std::chrono::Saturday && wd != std::chrono::Sunday;
}

Result<Date> WorkingCalendar::AddWorkingDays(Date start, int n) const {
  if (n < 0) return Error::InvalidArgument("working_days", "must not be negative");
  Date d = start;
  int left = n;
  while (left > 0) {
    d = d.AddDays(1);
    NRP_ASSIGN_OR_RETURN(bool working, IsWorkingDay(d));
    if (working) --left;
  }
  return d;
}

Result<int> WorkingCalendar::WorkingDaysBetween(Date from, Date to) const {
  int count = 0;
  for (Date d = from.AddDays(1); d <= to; d = d.AddDays(1)) {
    NRP_ASSIGN_OR_RETURN(bool working, IsWorkingDay(d));
    if (working) ++count;
  }
  return count;
}

}  // namespace nrp

namespace nrp {
std::filesystem::path DefaultCalendarDir() {
  if (const char* env = std::getenv("NRP_CALENDAR_DIR"); env && *env) return env;
  std::error_code ec;
  if (std::filesystem::is_directory("/usr/share/nrp/calendar", ec)) return "/usr/share/nrp/calendar";
  return NRP_SOURCE_CALENDAR_DIR;
}
}  // namespace nrp
