#include "domain/time_limits.h"

#include <charconv>

namespace nrp::registration {

TimePoint ChinaMidnight(Date d) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      (d.sys_days() - std::chrono::hours(8)).time_since_epoch()));
}

TimeLimits TimeLimits::Defaults() {
  TimeLimits t;
  t.per_kind[v1::REGISTRATION_KIND_SEIZURE] = 0;
  t.per_kind[v1::REGISTRATION_KIND_SEIZURE_RELEASE] = 0;
  return t;
}

int TimeLimits::DaysFor(v1::RegistrationKind kind) const {
  auto it = per_kind.find(kind);
  return it == per_kind.end() ? default_days : it->second;
}

std::string KindName(v1::RegistrationKind kind) {
  std::string name = v1::RegistrationKind_Name(kind);
  const std::string prefix = "REGISTRATION_KIND_";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  return name;
}

Status TimeLimits::ParsePerKind(std::string_view text, std::string_view variable) {
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    pos = comma + 1;
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Error::InvalidArgument(std::string(variable),
                                    "expected KIND=DAYS, got '" + std::string(item) + "'");
    }
    std::string name(item.substr(0, eq));
    v1::RegistrationKind kind;
    if (!v1::RegistrationKind_Parse("REGISTRATION_KIND_" + name, &kind) ||
        kind == v1::REGISTRATION_KIND_UNSPECIFIED) {
      return Error::InvalidArgument(std::string(variable),
                                    "unknown registration kind '" + name + "'");
    }
    std::string_view days_text = item.substr(eq + 1);
    int days = -1;
    auto [ptr, ec] = std::from_chars(days_text.data(), days_text.data() + days_text.size(), days);
    if (ec != std::errc() || ptr != days_text.data() + days_text.size() || days < 0 || days > 60) {
      return Error::InvalidArgument(
          std::string(variable),
          "days for " + name + " must be 0..60, got '" + std::string(days_text) + "'");
    }
    per_kind[kind] = days;
  }
  return Ok();
}

DeadlineRule DueRule(Date accepted_on, int days) {
  // Same-day kinds accepted on a day off are due on the next working day.
  return days == 0 ? DeadlineRule::From(accepted_on, 1) : DeadlineRule::After(accepted_on, days);
}

Result<Date> DueDate(const WorkingCalendar& calendar, Date accepted_on, int days) {
  if (days < 0) return Error::InvalidArgument("days", "must not be negative");
  NRP_ASSIGN_OR_RETURN(Deadline d, calendar.Compute(DueRule(accepted_on, days)));
  return d.date;
}

DeadlineRule NoticeRule(Date start, int working_days) {
  return DeadlineRule::From(start, working_days);
}

Result<Date> NoticeEnd(const WorkingCalendar& calendar, Date start, int working_days) {
  if (working_days < 1) return Error::InvalidArgument("working_days", "must be at least 1");
  NRP_ASSIGN_OR_RETURN(Deadline d, calendar.Compute(NoticeRule(start, working_days)));
  return d.date;
}

}  // namespace nrp::registration
