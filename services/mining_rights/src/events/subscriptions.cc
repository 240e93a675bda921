#include "events/subscriptions.h"

#include "nrp/core/log.h"
#include "nrp/events/handler.h"
#include "nrp/events/topics.h"
#include "nrp/restoration/v1/events.pb.h"
#include "nrp/zones/replica.h"

namespace nrp::mining_rights {

void Subscribe(service::Runtime& rt, MiningRightsApp& app) {
  zones::Replica(rt.clock()).Subscribe(rt);
  rt.Subscribe(events::kRestorationTopic, "nrp.restoration.obligation_fulfilled.v1",
               events::Typed<restoration::v1::ObligationFulfilled>(
                   [&app](pqxx::work& tx, const restoration::v1::ObligationFulfilled& m,
                          const events::CloudEvent&) {
                     return app.OnObligationFulfilled(tx, m.mining_right_id());
                   }));
  rt.Subscribe(events::kRestorationTopic, "nrp.restoration.fund_entry_booked.v1",
               events::Typed<restoration::v1::FundEntryBooked>(
                   [&app](pqxx::work& tx, const restoration::v1::FundEntryBooked& m,
                          const events::CloudEvent&) {
                     return app.OnFundEntryBooked(tx, m.mining_right_id(), m.entry().sequence(),
                                                  m.entry().balance_after().fen());
                   }));
  if (app.config().scheduler) {
    rt.Every("mining-rights-scheduler", app.config().scheduler_interval, [&app] {
      const MiningRightsApp::Pass p = app.RunScheduledPass();
      if (p.lapsed + p.closed + p.listed_abnormal + p.failures > 0) {
        log::Info("scheduled pass", {{"lapsed", p.lapsed},
                                     {"closed", p.closed},
                                     {"listed_abnormal", p.listed_abnormal},
                                     {"failures", p.failures}});
      }
    });
  }
}

}  // namespace nrp::mining_rights
