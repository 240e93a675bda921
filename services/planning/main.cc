// nrp-planning: control zones, conflict checks and five-year-plan indicators.
// Wiring only; see src/planning_service.h.
#include <iostream>

#include "nrp/core/config.h"
#include "nrp/core/log.h"
#include "nrp/service/runtime.h"
#include "nrp_migrations_planning.h"
#include "planning_service.h"

int main() {
  nrp::Env env;
  nrp::log::Level level = nrp::log::Level::kInfo;
  nrp::log::ParseLevel(env.OneOf("NRP_LOG_LEVEL", "info", {"debug", "info", "warn", "error"}), &level);
  nrp::log::Configure("planning", level);
  auto options = nrp::service::RuntimeOptions::FromEnv(env, "planning", 50055, 9105);
  nrp::planning::PlanningConfig config = nrp::planning::PlanningConfig::FromEnv(env);
  if (auto st = env.Check(); !st.ok()) {
    nrp::log::Error("bad configuration", {{"error", st.error().message()}});
    return 2;
  }
  if (!options.ok()) {
    nrp::log::Error("bad configuration", {{"error", options.error().message()}});
    return 2;
  }
  nrp::service::Runtime runtime(std::move(*options));
  if (auto st = runtime.Init({nrp_migrations_planning()}); !st.ok()) {
    nrp::log::Error("start failed", {{"error", st.error().ToString()}});
    return 1;
  }
  nrp::planning::PlanningService service(runtime, std::move(config));
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
