#include "wiring.h"

#include "nrp/core/log.h"
#include "nrp/events/topics.h"
#include "nrp/zones/replica.h"
#include "nrp_migrations_registration.h"

namespace nrp::registration {

std::vector<db::MigrationSet> Migrations() {
  return {zones::Migrations(), nrp_migrations_registration()};
}

Status Wire(service::Runtime& rt, RegistrationApi& api, bool run_scheduler) {
  NRP_RETURN_IF_ERROR(rt.AddService(&api, kServiceName));
  rt.Subscribe(
      events::kLandSupplyTopic, kLandDeliveredType,
      [&api](pqxx::work& tx, const events::CloudEvent& e) { return api.OnLandDelivered(tx, e); });
  zones::Replica(rt.clock()).Subscribe(rt, [&api](pqxx::work& tx, const zones::SwitchedLayer& l) {
    return api.OnZoneLayerSwitched(tx, l);
  });
  rt.deadlines().Handle("cases/", [&api](pqxx::work& tx, const service::DeadlineChange& c) {
    return api.ApplyCaseDeadline(tx, c);
  });
  rt.deadlines().Handle("naturalResourceUnits/",
                        [&api](pqxx::work& tx, const service::DeadlineChange& c) {
                          return api.ApplyUnitNotice(tx, c);
                        });
  if (run_scheduler) {
    rt.Every("case-overdue", api.config().overdue_interval, [&api] {
      auto n = api.RaiseOverdueCases();
      if (!n.ok()) {
        log::Warn("overdue pass failed; the next one retries", {{"error", n.error().ToString()}});
      }
    });
  }
  return Ok();
}

}  // namespace nrp::registration
