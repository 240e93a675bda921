// The deadlines a service counts in working days, kept with the rule they were counted by
// and the calendar that counted them (table `deadlines`, libs/service migration 0002).
//
// A service stores each deadline in the transaction that sets it (Deadlines::Put) and says
// how to apply a recount to its own rows (Deadlines::Handle, per subject prefix). When the
// calendar changes — an official year replaces a provisional one, or an official file is
// corrected — Recount finds every open deadline counted through a year whose data changed,
// counts it again and, in one transaction per deadline, updates the row and calls the
// service's applier, which updates its aggregate and publishes the event naming the old and
// the new date. Replicas recount side by side safely: rows are claimed with SKIP LOCKED and
// checked again under the lock, so each change is applied once.
#pragma once

#include <functional>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/db/pool.h"

namespace nrp::service {

struct DeadlineChange {
  std::string subject;  // "cases/<id>"
  std::string name;     // "due_date"
  DeadlineRule rule;
  Date old_date;
  std::string old_calendar;
  Deadline now;  // the recount
  bool moved() const { return !(old_date == now.date); }
};

// Applies a recount to the service's aggregate inside `tx`: true when the subject still
// waits on the deadline, false when it no longer does (the case was recorded meanwhile):
// the deadline is then closed and nothing else changes.
using DeadlineApplier = std::function<Result<bool>(pqxx::work& tx, const DeadlineChange& change)>;

struct RecountReport {
  int examined = 0;   // open deadlines looked at
  int recounted = 0;  // counted again because a year they depend on changed
  int moved = 0;      // of those, whose date changed
  int closed = 0;     // whose subject no longer waited on them
  int failed = 0;     // that could not be counted (logged; tried again on the next recount)
};

class Deadlines {
 public:
  Deadlines(db::Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Stores or replaces the open deadline `name` of `subject` in the caller's transaction.
  static void Put(pqxx::dbtransaction& tx, std::string_view subject, std::string_view name,
                  const DeadlineRule& rule, const Deadline& deadline, TimePoint now);
  // The subject no longer waits on any of its deadlines (or on `name` alone).
  static void Close(pqxx::dbtransaction& tx, std::string_view subject, std::string_view name = {});

  // The applier for subjects starting with `prefix` ("cases/"). Before Recount.
  void Handle(std::string prefix, DeadlineApplier applier);

  // Recounts every open deadline whose calendar years changed in `calendar`.
  Result<RecountReport> Recount(const WorkingCalendar& calendar);

 private:
  Status RecountOne(const WorkingCalendar& calendar, const std::string& subject,
                    const std::string& name, RecountReport& report);

  db::Pool& pool_;
  const Clock& clock_;
  std::map<std::string, DeadlineApplier> appliers_;
};

}  // namespace nrp::service
