// Time limits of registration cases (办理时限) and public-notice periods, in working days of
// the holiday calendar. Dates are China Standard Time (UTC+8) calendar dates.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/registration/v1/resources.pb.h"

namespace nrp::registration {

// The calendar date in China (UTC+8) at instant `t`.
inline Date ChinaDate(TimePoint t) { return ChinaCivilDate(t); }
// 00:00 China time of `d` as an instant.
TimePoint ChinaMidnight(Date d);

struct TimeLimits {
  // Working days from acceptance to recording for every kind not listed in `per_kind`:
  // 5 for general and mortgage registration (国办发〔2019〕8号).
  int default_days = 5;
  // Per kind; 0 means same day (Kaifeng "一个环节、一天办结").
  std::map<v1::RegistrationKind, int> per_kind;
  // Shortest public notice in working days (不动产登记暂行条例实施细则 art. 17; 自然资源统一确权
  // 登记暂行办法: at least 15 working days).
  int min_notice_days = 15;

  // The defaults: 5 working days, seizures and their release the same day (实施细则 art. 90:
  // a seizure is recorded as soon as the court's documents arrive).
  static TimeLimits Defaults();
  int DaysFor(v1::RegistrationKind kind) const;
  // Parses "SEIZURE=0,TRANSFER=3" (kind names without the REGISTRATION_KIND_ prefix) into
  // per_kind, on top of what is there; INVALID_ARGUMENT naming `variable`.
  Status ParsePerKind(std::string_view text, std::string_view variable);
};

// How the last working day to record a case accepted on `accepted_on` is counted: `days`
// working days after the acceptance day (the acceptance day itself is not counted); 0 gives
// the acceptance day, or the next working day when it is a day off.
DeadlineRule DueRule(Date accepted_on, int days);
Result<Date> DueDate(const WorkingCalendar& calendar, Date accepted_on, int days);

// How the last day of a public notice that starts on `start` and runs `working_days` working
// days is counted: `start` itself counts when it is a working day.
DeadlineRule NoticeRule(Date start, int working_days);
Result<Date> NoticeEnd(const WorkingCalendar& calendar, Date start, int working_days);

// A deadline a transition sets: the store keeps it with its rule so that a calendar change
// recounts it (nrp::service::Deadlines).
struct DeadlineSet {
  std::string name;  // "due_date", "notice_end"
  DeadlineRule rule;
  Deadline deadline;
};

// Name of a registration kind without its prefix: "TRANSFER".
std::string KindName(v1::RegistrationKind kind);

}  // namespace nrp::registration
