// Everything the planning service adds to a Runtime: its configuration, the
// reference data, the gRPC handlers, the event handlers and the periodic
// recomputation of indicators. main.cc and the integration tests use it alike.
#pragma once

#include <memory>

#include "app/config.h"
#include "api/planning_api.h"
#include "app/progress.h"
#include "nrp/service/runtime.h"

namespace nrp::planning {

class PlanningService {
 public:
  PlanningService(service::Runtime& runtime, PlanningConfig config);

  // After Runtime::Init (migrations applied) and before Runtime::Start: loads
  // the reference data, registers the API, the consumers and the job, and
  // computes every indicator once.
  Status Wire();

  const PlanningConfig& config() const { return config_; }
  api::PlanningApi& api() { return *api_; }
  app::ProgressEngine& progress() { return *progress_; }

 private:
  service::Runtime& rt_;
  PlanningConfig config_;
  std::unique_ptr<app::ProgressEngine> progress_;
  std::unique_ptr<api::PlanningApi> api_;
};

}  // namespace nrp::planning
