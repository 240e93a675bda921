#include "nrp/core/calendar.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "nrp/core/chinese_calendar.h"

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

std::string DeadlineRule::ToString() const {
  std::string out = start.ToString();
  for (const WorkingDayStep& s : steps) {
    out += s.kind == WorkingDayStep::Kind::kAfter ? " after:" : " from:";
    out += std::to_string(s.days);
  }
  return out;
}

Result<DeadlineRule> DeadlineRule::Parse(std::string_view text, std::string_view field) {
  std::istringstream words{std::string(text)};
  std::string first;
  if (!(words >> first)) return Error::InvalidArgument(std::string(field), "empty rule");
  NRP_ASSIGN_OR_RETURN(Date start, Date::Parse(first, field));
  DeadlineRule rule{start, {}};
  std::string word;
  while (words >> word) {
    auto colon = word.find(':');
    std::string kind = word.substr(0, colon == std::string::npos ? word.size() : colon);
    std::string count = colon == std::string::npos ? "" : word.substr(colon + 1);
    bool digits = !count.empty() && count.size() <= 4 &&
                  std::all_of(count.begin(), count.end(),
                              [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if ((kind != "after" && kind != "from") || !digits) {
      return Error::InvalidArgument(std::string(field),
                                    "expected 'after:N' or 'from:N', got '" + word + "'");
    }
    rule.steps.push_back(
        {kind == "after" ? WorkingDayStep::Kind::kAfter : WorkingDayStep::Kind::kFrom,
         std::stoi(count)});
  }
  return rule;
}

namespace {

// FNV-1a, 64 bits: a stable fingerprint of a year's data (not a security measure).
std::string Fnv1a(std::string_view data) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::string WorkingCalendar::DigestOf(bool official, const YearData& data) {
  std::string canon = std::to_string(data.info.year) + (official ? " official" : " provisional");
  canon += "\nholidays";
  for (auto d : data.holidays) canon += " " + Date::FromSysDays(d).ToString();
  canon += "\nworkdays";
  for (auto d : data.workdays) canon += " " + Date::FromSysDays(d).ToString();
  return Fnv1a(canon);
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
      if (IsOfficial(year)) return fail("year " + std::to_string(year) + " already loaded");
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
  // An official year replaces a provisional one computed before it.
  if (auto it = years_.find(year); it != years_.end()) {
    for (auto d : it->second.holidays) holidays_.erase(d);
    for (auto d : it->second.workdays) workdays_.erase(d);
    years_.erase(it);
  }
  YearData data;
  data.info.year = year;
  data.info.official = true;
  data.info.origin = std::string(origin);
  data.holidays = std::move(holidays);
  data.workdays = std::move(workdays);
  data.info.digest = DigestOf(true, data);
  holidays_.insert(data.holidays.begin(), data.holidays.end());
  workdays_.insert(data.workdays.begin(), data.workdays.end());
  years_.emplace(year, std::move(data));
  horizon_ = std::max(horizon_, year);
  return Ok();
}

Status WorkingCalendar::CompleteThrough(int last_year) {
  if (last_year > chinese_calendar::kLastRuleYear) {
    return Error::InvalidArgument("year", "the calendar is computed up to " +
                                              std::to_string(chinese_calendar::kLastRuleYear));
  }
  for (int y = chinese_calendar::kFirstRuleYear; y <= last_year; ++y) {
    if (years_.count(y)) continue;
    NRP_ASSIGN_OR_RETURN(auto days, chinese_calendar::StatutoryHolidays(y));
    YearData data;
    data.info.year = y;
    data.info.official = false;
    data.info.origin = "statutory rule";
    for (const auto& s : days) data.holidays.insert(s.date.sys_days());
    data.info.digest = DigestOf(false, data);
    holidays_.insert(data.holidays.begin(), data.holidays.end());
    years_.emplace(y, std::move(data));
  }
  horizon_ = std::max(horizon_, last_year);
  return Ok();
}

bool WorkingCalendar::IsOfficial(int year) const {
  auto it = years_.find(year);
  return it != years_.end() && it->second.info.official;
}

std::vector<WorkingCalendar::YearInfo> WorkingCalendar::Years() const {
  std::vector<YearInfo> out;
  for (const auto& [y, data] : years_) out.push_back(data.info);
  return out;
}

const WorkingCalendar::YearInfo* WorkingCalendar::Year(int year) const {
  auto it = years_.find(year);
  return it == years_.end() ? nullptr : &it->second.info;
}

Result<WorkingCalendar> WorkingCalendar::LoadDirectory(const std::filesystem::path& dir,
                                                       Date today) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error(Code::kInvalidArgument, "calendar folder " + dir.string() + " does not exist");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".cal")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  WorkingCalendar cal;
  for (const auto& f : files) {
    std::ifstream in(f);
    if (!in) return Error(Code::kInvalidArgument, "cannot read calendar file " + f.string());
    std::stringstream ss;
    ss << in.rdbuf();
    NRP_RETURN_IF_ERROR(cal.AddYear(ss.str(), f.string()));
  }
  NRP_RETURN_IF_ERROR(cal.CompleteThrough(today.year() + kHorizonYears));
  return cal;
}

Error WorkingCalendar::Uncovered(int year) const {
  if (year > horizon_) {
    return Error::InvalidArgument("date", "the year " + std::to_string(year) + " is more than " +
                                              std::to_string(kHorizonYears) +
                                              " years ahead; the working-day calendar reaches " +
                                              std::to_string(horizon_));
  }
  return Error::FailedPrecondition(
      "CALENDAR_MISSING", std::to_string(year),
      "the working-day calendar has no data for " + std::to_string(year) +
          "; load that year's holiday arrangement (the statutory rule as amended in 2024 is "
          "computed from " +
          std::to_string(chinese_calendar::kFirstRuleYear) + " on)");
}

Result<bool> WorkingCalendar::IsWorkingDay(Date d) const {
  if (!Covers(d.year())) return Uncovered(d.year());
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

Result<Deadline> WorkingCalendar::Compute(const DeadlineRule& rule) const {
  Date d = rule.start;
  for (const WorkingDayStep& s : rule.steps) {
    if (s.days < 0) return Error::InvalidArgument("working_days", "must not be negative");
    if (s.kind == WorkingDayStep::Kind::kAfter || s.days == 0) {
      NRP_ASSIGN_OR_RETURN(d, AddWorkingDays(d, s.days));
    } else {
      NRP_ASSIGN_OR_RETURN(bool working, IsWorkingDay(d));
      NRP_ASSIGN_OR_RETURN(d, AddWorkingDays(d, working ? s.days - 1 : s.days));
    }
  }
  return Deadline{d, BasisFor(rule.start.year(), d.year())};
}

CalendarBasis WorkingCalendar::BasisFor(int first_year, int last_year) const {
  CalendarBasis b;
  b.first_year = first_year;
  b.last_year = last_year;
  std::string digests;
  for (int y = first_year; y <= last_year; ++y) {
    const YearInfo* info = Year(y);
    if (!b.label.empty()) b.label += ", ";
    b.label += "CN-" + std::to_string(y);
    if (info == nullptr) {
      b.label += " missing";
      digests += "-";
      continue;
    }
    b.label += info->official ? " official" : " provisional";
    if (!info->official) b.provisional_years.push_back(y);
    digests += info->digest;
  }
  b.digest = Fnv1a(digests);
  return b;
}

}  // namespace nrp

namespace nrp {
Date ChinaCivilDate(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  return Date::FromSysDays(floor<days>(t + hours(8)));
}

std::filesystem::path DefaultCalendarDir() {
  if (const char* env = std::getenv("NRP_CALENDAR_DIR"); env && *env) return env;
  std::error_code ec;
  if (std::filesystem::is_directory("/usr/share/nrp/calendar", ec))
    return "/usr/share/nrp/calendar";
  return NRP_SOURCE_CALENDAR_DIR;
}
}  // namespace nrp
