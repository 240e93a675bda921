// nrp-mining-rights: exploration and mining rights, their grant by competition, the grant
// contract, registration with a licence number, terms and lifecycle. Wiring only; see
// src/wiring.h.
#include "nrp/service/main.h"

#include <optional>

#include "wiring.h"

int main() {
  std::optional<nrp::mining_rights::MiningRightsConfig> config;
  return nrp::service::ServiceMain(
      {.name = "mining_rights",
       .grpc_port = 50053,
       .metrics_port = 9103,
       .migrations = nrp::mining_rights::Migrations(),
       .configure =
           [&](nrp::Env& env) {
             config = nrp::mining_rights::MiningRightsConfig::FromEnv(env);
             return nrp::Ok();
           },
       .wire = [&](nrp::service::Runtime& rt) -> nrp::Result<std::shared_ptr<void>> {
         auto service =
             std::make_shared<nrp::mining_rights::MiningRightsService>(rt, std::move(*config));
         NRP_RETURN_IF_ERROR(service->Wire());
         return std::shared_ptr<void>(service);
       }});
}
