// nrp-land-supply: land reserve, approval batches, competitive grants,
// contracts, idle land and the farmland ledgers. Wiring only; see
// src/land_supply_service.h.
#include <optional>

#include "land_supply_service.h"
#include "nrp/service/main.h"

int main() {
  std::optional<nrp::land_supply::LandSupplyConfig> config;
  return nrp::service::ServiceMain({
      .name = "land_supply",
      .grpc_port = 50052,
      .metrics_port = 9102,
      .migrations = nrp::land_supply::Migrations(),
      .configure =
          [&](nrp::Env& env) {
            config = nrp::land_supply::LandSupplyConfig::FromEnv(env);
            return nrp::Ok();
          },
      .wire = [&](nrp::service::Runtime& rt) -> nrp::Result<std::shared_ptr<void>> {
        auto service =
            std::make_shared<nrp::land_supply::LandSupplyService>(rt, std::move(*config));
        NRP_RETURN_IF_ERROR(service->Wire());
        return std::shared_ptr<void>(service);
      }});
}
