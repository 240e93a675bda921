#include "nrp/service/main.h"

#include <csignal>

#include "nrp/core/log.h"

namespace nrp::service {

int ServiceMain(const ServiceMainSpec& spec) {
  // hiredis writes with write(2): a Redis connection the server closed must
  // give EPIPE to the client (which reconnects), not end the process.
  std::signal(SIGPIPE, SIG_IGN);
  Env env;
  log::Level level = log::Level::kInfo;
  log::ParseLevel(env.OneOf("NRP_LOG_LEVEL", "info", {"debug", "info", "warn", "error"}), &level);
  log::Configure(spec.name, level);
  auto options = RuntimeOptions::FromEnv(env, spec.name, spec.grpc_port, spec.metrics_port);
  Status own = spec.configure ? spec.configure(env) : Ok();
  if (auto st = env.Check(); !st.ok()) {
    log::Error("bad configuration", {{"error", st.error().message()}});
    return 2;
  }
  if (!options.ok()) {
    log::Error("bad configuration", {{"error", options.error().message()}});
    return 2;
  }
  if (!own.ok()) {
    log::Error("bad configuration", {{"error", own.error().message()}});
    return 2;
  }
  auto clock = ProcessClockFromEnvironment();
  if (!clock.ok()) {
    log::Error("bad configuration", {{"error", clock.error().message()}});
    return 2;
  }
  if (*clock != &SystemClock::Instance()) {
    log::Warn(
        "the clock is shifted (NRP_CLOCK_OFFSET_SECONDS): for end-to-end runs and drills "
        "only, never in production",
        {{"now", FormatRfc3339((*clock)->Now())},
         {"offset_seconds",
          static_cast<int64_t>(static_cast<const ShiftedClock*>(*clock)->offset().count())}});
  }
  Runtime runtime(std::move(*options), **clock);
  if (auto st = runtime.Init(spec.migrations); !st.ok()) {
    log::Error("start failed", {{"error", st.error().ToString()}});
    return 1;
  }
  std::shared_ptr<void> wired;
  if (spec.wire) {
    auto w = spec.wire(runtime);
    if (!w.ok()) {
      log::Error("start failed", {{"error", w.error().ToString()}});
      return 1;
    }
    wired = std::move(*w);
  }
  Status run = runtime.Run();
  if (!run.ok()) {
    log::Error("stopped with an error", {{"error", run.error().ToString()}});
    return 1;
  }
  return 0;
}

}  // namespace nrp::service
