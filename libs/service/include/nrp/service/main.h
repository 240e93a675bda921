// The whole life of a service process, so each service's main.cc says only
// what is its own: its configuration and how its handlers are wired.
//
//   int main() {
//     std::optional<PlanningConfig> config;
//     return nrp::service::ServiceMain({
//         .name = "planning", .grpc_port = 50055, .metrics_port = 9105,
//         .migrations = {nrp_migrations_planning()},
//         .configure = [&](nrp::Env& env) { config = PlanningConfig::FromEnv(env); return nrp::Ok(); },
//         .wire = [&](nrp::service::Runtime& rt) -> nrp::Result<std::shared_ptr<void>> {
//           auto service = std::make_shared<PlanningService>(rt, std::move(*config));
//           NRP_RETURN_IF_ERROR(service->Wire());
//           return std::shared_ptr<void>(service);
//         }});
//   }
//
// Order: logging (NRP_LOG_LEVEL) → every variable read, all problems reported
// at once → database and migrations → wiring → serve until SIGTERM → drain.
// Exit codes: 2 bad configuration, 1 failed start or run, 0 after a clean stop.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nrp/core/config.h"
#include "nrp/core/status.h"
#include "nrp/db/migrations.h"
#include "nrp/service/runtime.h"

namespace nrp::service {

struct ServiceMainSpec {
  std::string name;
  int grpc_port = 0;
  int metrics_port = 0;
  std::vector<db::MigrationSet> migrations;
  // Reads the service's own variables; problems recorded in `env` are
  // reported with the platform's, an error returned here too.
  std::function<Status(Env&)> configure;
  // Builds the service's objects on the initialised runtime and registers its
  // handlers, subscriptions and jobs. What it returns is kept alive until the
  // runtime has stopped.
  std::function<Result<std::shared_ptr<void>>(Runtime&)> wire;
};

int ServiceMain(const ServiceMainSpec& spec);

}  // namespace nrp::service
