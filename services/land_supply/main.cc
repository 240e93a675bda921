// nrp-land-supply: land reserve, approval batches, competitive grants,
// contracts, idle land and the farmland ledgers. Wiring only; see
// src/land_supply_service.h.
#include "land_supply_service.h"
#include "nrp/core/config.h"
#include "nrp/core/log.h"
#include "nrp/service/runtime.h"
#include "nrp_migrations_land_supply.h"

int main() {
  nrp::Env env;
  nrp::log::Level level = nrp::log::Level::kInfo;
  nrp::log::ParseLevel(env.OneOf("NRP_LOG_LEVEL", "info", {"debug", "info", "warn", "error"}),
                       &level);
  nrp::log::Configure("land_supply", level);
  auto options = nrp::service::RuntimeOptions::FromEnv(env, "land_supply", 50052, 9102);
  auto config = nrp::land_supply::LandSupplyConfig::FromEnv(env);
  if (auto st = env.Check(); !st.ok()) {
    nrp::log::Error("bad configuration", {{"error", st.error().message()}});
    return 2;
  }
  if (!options.ok()) {
    nrp::log::Error("bad configuration", {{"error", options.error().message()}});
    return 2;
  }
  nrp::service::Runtime runtime(std::move(*options));
  if (auto st = runtime.Init({nrp_migrations_land_supply()}); !st.ok()) {
    nrp::log::Error("start failed", {{"error", st.error().ToString()}});
    return 1;
  }
  nrp::land_supply::LandSupplyService service(runtime, std::move(config));
  if (auto st = service.Wire(); !st.ok()) {
    nrp::log::Error("start failed", {{"error", st.error().ToString()}});
    return 1;
  }
  if (auto st = runtime.Run(); !st.ok()) {
    nrp::log::Error("stopped with an error", {{"error", st.error().ToString()}});
    return 1;
  }
  return 0;
}
