// The overdue scheduler (超期): open cases past their due date raise CaseOverdue once. Each
// replica runs it; FOR UPDATE SKIP LOCKED hands every case to one of them, and the flag set in
// the same transaction as the event keeps a case from being raised twice.
#include "api/internal.h"
#include "domain/time_limits.h"
#include "nrp/db/transaction.h"
#include "store/store.h"

namespace nrp::registration {

Result<int> RegistrationApi::RaiseOverdueCases() {
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
        NRP_RETURN_IF_ERROR(PublishAll(rt_, tx, t->events, ""));
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

}  // namespace nrp::registration
