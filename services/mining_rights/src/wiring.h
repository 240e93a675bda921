// The mining rights service assembled on a Runtime: the live board, the application layer,
// the gRPC handlers and the subscriptions. main.cc and the integration tests build it the
// same way.
#pragma once

#include <memory>
#include <vector>

#include "api/mining_rights_api.h"
#include "app/mining_app.h"
#include "nrp/db/migrations.h"
#include "nrp/service/runtime.h"

namespace nrp::mining_rights {

// The schema: the shared zone replica's, then mining rights' own.
std::vector<db::MigrationSet> Migrations();

class MiningRightsService {
 public:
  MiningRightsService(service::Runtime& rt, MiningRightsConfig config);
  // Registers the gRPC service, the consumers and the scheduled pass. Call before Start().
  Status Wire();

  MiningRightsApp& app() { return *app_; }

 private:
  service::Runtime& rt_;
  std::unique_ptr<auction::LiveBoard> board_;
  std::unique_ptr<MiningRightsApp> app_;
  std::unique_ptr<MiningRightsApi> api_;
};

}  // namespace nrp::mining_rights
