// nrp-registration: the real-estate register and natural-resource registration.
// Wiring only; see src/api/registration_api.h and src/wiring.h.
#include <optional>

#include "config.h"
#include "nrp/service/main.h"
#include "wiring.h"

int main() {
  std::optional<nrp::registration::RegistrationConfig> config;
  return nrp::service::ServiceMain({
      .name = "registration",
      .grpc_port = 50051,
      .metrics_port = 9101,
      .migrations = nrp::registration::Migrations(),
      .configure =
          [&](nrp::Env& env) -> nrp::Status {
            auto c = nrp::registration::RegistrationConfig::FromEnv(env);
            if (!c.ok()) return std::move(c.error());
            config = std::move(*c);
            return nrp::Ok();
          },
      .wire = [&](nrp::service::Runtime& rt) -> nrp::Result<std::shared_ptr<void>> {
        NRP_ASSIGN_OR_RETURN(auto signer, nrp::registration::LoadSigner(rt, *config));
        auto api =
            std::make_shared<nrp::registration::RegistrationApi>(rt, std::move(*config), signer);
        NRP_RETURN_IF_ERROR(nrp::registration::Wire(rt, *api));
        return std::shared_ptr<void>(api);
      }});
}
