// nrp-registration: the real-estate register and natural-resource registration.
// Wiring only; see src/api/registration_api.h and src/wiring.h.
#include "config.h"
#include "nrp/core/config.h"
#include "nrp/core/log.h"
#include "nrp/service/runtime.h"
#include "nrp_migrations_registration.h"
#include "wiring.h"

int main() {
  nrp::Env env;
  nrp::log::Level level = nrp::log::Level::kInfo;
  nrp::log::ParseLevel(env.OneOf("NRP_LOG_LEVEL", "info", {"debug", "info", "warn", "error"}),
                       &level);
  nrp::log::Configure("registration", level);
  auto options = nrp::service::RuntimeOptions::FromEnv(env, "registration", 50051, 9101);
  if (!options.ok()) {
    nrp::log::Error("bad configuration", {{"error", options.error().message()}});
    return 2;
  }
  auto config = nrp::registration::RegistrationConfig::FromEnv(env);
  if (!config.ok()) {
    nrp::log::Error("bad configuration", {{"error", config.error().message()}});
    return 2;
  }
  nrp::service::Runtime runtime(std::move(*options));
  if (auto st = runtime.Init({nrp_migrations_registration()}); !st.ok()) {
    nrp::log::Error("start failed", {{"error", st.error().ToString()}});
    return 1;
  }
  auto signer = nrp::registration::LoadSigner(runtime, *config);
  if (!signer.ok()) {
    nrp::log::Error("start failed", {{"error", signer.error().ToString()}});
    return 1;
  }
  nrp::registration::RegistrationApi api(runtime, std::move(*config), *signer);
  if (auto st = nrp::registration::Wire(runtime, api); !st.ok()) {
    nrp::log::Error("start failed", {{"error", st.error().ToString()}});
    return 1;
  }
  if (auto st = runtime.Run(); !st.ok()) {
    nrp::log::Error("stopped with an error", {{"error", st.error().ToString()}});
    return 1;
  }
  return 0;
}
