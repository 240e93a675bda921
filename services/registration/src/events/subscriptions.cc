#include "events/subscriptions.h"

#include "nrp/core/log.h"
#include "nrp/events/handler.h"
#include "nrp/events/topics.h"

namespace nrp::registration {

void Subscribe(service::Runtime& rt, const RegistrationApp& app, bool run_scheduler) {
  // One case per contract: the inbox drops a redelivered event, and a case already opened for
  // the contract (under another event id) is found and left alone.
  rt.Subscribe(events::kLandSupplyTopic, kLandDeliveredType,
               events::Typed<land_supply::v1::LandDelivered>(
                   [&app](pqxx::work& tx, const land_supply::v1::LandDelivered& d,
                          const events::CloudEvent&) -> Status {
                     NRP_RETURN_IF_ERROR(app.OpenDeliveredLandCase(tx, d));
                     return Ok();
                   }));
  zones::Replica(rt.clock()).Subscribe(rt, [&app](pqxx::work& tx, const zones::SwitchedLayer& l) {
    return app.OnZoneLayerSwitched(tx, l);
  });
  rt.deadlines().Handle("cases/", [&app](pqxx::work& tx, const service::DeadlineChange& c) {
    return app.ApplyCaseDeadline(tx, c);
  });
  rt.deadlines().Handle("naturalResourceUnits/",
                        [&app](pqxx::work& tx, const service::DeadlineChange& c) {
                          return app.ApplyUnitNotice(tx, c);
                        });
  if (run_scheduler) {
    rt.Every("case-overdue", app.config().overdue_interval, [&app] {
      auto n = app.RaiseOverdueCases();
      if (!n.ok()) {
        log::Warn("overdue pass failed; the next one retries", {{"error", n.error().ToString()}});
      }
    });
  }
}

}  // namespace nrp::registration
