// nrp-planning: control zones, conflict checks and five-year-plan indicators.
// Wiring only; see src/planning_service.h.
#include <optional>

#include "nrp/service/main.h"
#include "nrp_migrations_planning.h"
#include "planning_service.h"

int main() {
  std::optional<nrp::planning::PlanningConfig> config;
  return nrp::service::ServiceMain({
      .name = "planning",
      .grpc_port = 50055,
      .metrics_port = 9105,
      .migrations = {nrp_migrations_planning()},
      .configure =
          [&](nrp::Env& env) {
            config = nrp::planning::PlanningConfig::FromEnv(env);
            return nrp::Ok();
          },
      .wire = [&](nrp::service::Runtime& rt) -> nrp::Result<std::shared_ptr<void>> {
        auto service = std::make_shared<nrp::planning::PlanningService>(rt, std::move(*config));
        NRP_RETURN_IF_ERROR(service->Wire());
        return std::shared_ptr<void>(service);
      }});
}
