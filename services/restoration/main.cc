// nrp-restoration: ecological restoration projects from the project library to acceptance and
// maintenance, mine holders' obligations and the restoration funds. Wiring only; see
// src/wiring.h.
#include "nrp/service/main.h"

#include <optional>

#include "wiring.h"

int main() {
  std::optional<nrp::restoration::RestorationConfig> config;
  return nrp::service::ServiceMain(
      {.name = "restoration",
       .grpc_port = 50054,
       .metrics_port = 9104,
       .migrations = nrp::restoration::Migrations(),
       .configure =
           [&](nrp::Env& env) {
             config = nrp::restoration::RestorationConfig::FromEnv(env);
             return nrp::Ok();
           },
       .wire = [&](nrp::service::Runtime& rt) -> nrp::Result<std::shared_ptr<void>> {
         auto service =
             std::make_shared<nrp::restoration::RestorationService>(rt, std::move(*config));
         NRP_RETURN_IF_ERROR(service->Wire());
         return std::shared_ptr<void>(service);
       }});
}
