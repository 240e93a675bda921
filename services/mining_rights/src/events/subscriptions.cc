#include "events/subscriptions.h"

#include "nrp/core/log.h"
#include "nrp/zones/replica.h"

namespace nrp::mining_rights {

void Subscribe(service::Runtime& rt, MiningRightsApp& app) {
  zones::Replica(rt.clock()).Subscribe(rt);
  if (app.config().scheduler) {
    rt.Every("mining-rights-scheduler", app.config().scheduler_interval, [&app] {
      const MiningRightsApp::Pass p = app.RunScheduledPass();
      if (p.lapsed + p.closed + p.failures > 0) {
        log::Info("scheduled pass",
                  {{"lapsed", p.lapsed}, {"closed", p.closed}, {"failures", p.failures}});
      }
    });
  }
}

}  // namespace nrp::mining_rights
