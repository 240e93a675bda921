// The overdue pass (超期) and the recount of deadlines after a calendar change. Each replica
// runs the overdue pass; FOR UPDATE SKIP LOCKED hands every case to one of them, and the flag
// set in the same transaction as the event keeps a case from being raised twice.
#include "app/registration_app.h"
#include "domain/natural_resource_unit.h"
#include "domain/time_limits.h"
#include "nrp/core/log.h"
#include "nrp/db/transaction.h"
#include "store/store.h"

namespace nrp::registration {

Result<int> RegistrationApp::RaiseOverdueCases() const {
  int raised_total = 0;
  for (int round = 0; round < 1000; ++round) {
    struct Pass {
      int scanned = 0;
      int raised = 0;
    };
    auto pass = db::Transact(rt_.db(), [&](pqxx::work& tx) -> Result<Pass> {
      const FlowContext flow = Flow();
      NRP_ASSIGN_OR_RETURN(
          auto cases, store::LockOverdueCandidates(tx, ChinaDate(flow.now), config_.overdue_batch));
      Pass p;
      p.scanned = static_cast<int>(cases.size());
      for (auto& c : cases) {
        auto t = DetectOverdue(c, flow);
        if (!t) {
          // Flagged already or not due by its own record: mark it seen so it is not rescanned.
          NRP_RETURN_IF_ERROR(store::UpdateCase(tx, c, /*overdue_raised=*/true));
          continue;
        }
        NRP_RETURN_IF_ERROR(store::UpdateCase(tx, t->next, /*overdue_raised=*/true));
        NRP_RETURN_IF_ERROR(PublishAll(tx, t->events));
        ++p.raised;
        log::Info("case overdue", {{"case_id", c.case_id()}, {"region", c.region_code()}});
      }
      return p;
    });
    if (!pass.ok()) return std::move(pass.error());
    raised_total += pass->raised;
    if (pass->scanned < config_.overdue_batch) break;
  }
  return raised_total;
}

Result<bool> RegistrationApp::ApplyCaseDeadline(pqxx::work& tx,
                                                const service::DeadlineChange& change) const {
  const std::string case_id = change.subject.substr(std::string_view("cases/").size());
  NRP_ASSIGN_OR_RETURN(auto c, store::GetCase(tx, case_id, /*for_update=*/true));
  if (!c) return false;
  const FlowContext flow = Flow();
  NRP_ASSIGN_OR_RETURN(auto t, RecountCaseDeadline(*c, change.name, change.old_date,
                                                   change.old_calendar, change.now, flow));
  if (!t) return false;
  // A case flagged overdue by the date counted before is checked again by the new one.
  const bool reopen_overdue =
      change.name == "due_date" && t->next.overdue() && !(change.now.date < ChinaDate(flow.now));
  if (reopen_overdue) t->next.set_overdue(false);
  NRP_RETURN_IF_ERROR(store::UpdateCase(tx, t->next));
  if (reopen_overdue) NRP_RETURN_IF_ERROR(store::ClearOverdueRaised(tx, case_id));
  NRP_RETURN_IF_ERROR(PublishAll(tx, t->events));
  return true;
}

Result<bool> RegistrationApp::ApplyUnitNotice(pqxx::work& tx,
                                              const service::DeadlineChange& change) const {
  const std::string unit_id =
      change.subject.substr(std::string_view("naturalResourceUnits/").size());
  if (change.name != "notice_end") {
    return Error::InvalidArgument("deadline", "a unit has no deadline '" + change.name + "'");
  }
  NRP_ASSIGN_OR_RETURN(auto unit, store::GetNaturalResourceUnit(tx, unit_id, true));
  if (!unit) return false;
  NRP_ASSIGN_OR_RETURN(
      auto t, RecountNoticeEnd(*unit, change.old_date, change.old_calendar, change.now, Flow()));
  if (!t) return false;
  NRP_RETURN_IF_ERROR(store::UpdateNaturalResourceUnit(tx, std::move(t->next), false));
  NRP_RETURN_IF_ERROR(PublishAll(tx, t->events));
  return true;
}

}  // namespace nrp::registration
