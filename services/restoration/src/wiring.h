// The restoration service assembled on a Runtime: the application layer, the gRPC handlers
// and the subscriptions. main.cc and the integration tests build it the same way.
#pragma once

#include <memory>
#include <vector>

#include "api/restoration_api.h"
#include "app/restoration_app.h"
#include "nrp/db/migrations.h"
#include "nrp/service/runtime.h"

namespace nrp::restoration {

// The schema: the shared zone replica's, then restoration's own.
std::vector<db::MigrationSet> Migrations();

class RestorationService {
 public:
  RestorationService(service::Runtime& rt, RestorationConfig config);
  // Registers the gRPC service and the consumers. Call before Start().
  Status Wire();

  RestorationApp& app() { return *app_; }

 private:
  service::Runtime& rt_;
  std::unique_ptr<RestorationApp> app_;
  std::unique_ptr<RestorationApi> api_;
};

}  // namespace nrp::restoration
