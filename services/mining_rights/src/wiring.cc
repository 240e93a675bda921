#include "wiring.h"

#include "events/subscriptions.h"
#include "nrp/zones/replica.h"
#include "nrp_migrations_mining_rights.h"

namespace nrp::mining_rights {

std::vector<db::MigrationSet> Migrations() {
  return {zones::Migrations(), nrp_migrations_mining_rights()};
}

MiningRightsService::MiningRightsService(service::Runtime& rt, MiningRightsConfig config)
    : rt_(rt),
      board_(std::make_unique<auction::LiveBoard>(rt.redis(), rt.Topic("mining_rights"))),
      app_(std::make_unique<MiningRightsApp>(rt, std::move(config), *board_)),
      api_(std::make_unique<MiningRightsApi>(rt, *app_)) {}

Status MiningRightsService::Wire() {
  NRP_RETURN_IF_ERROR(rt_.AddService(api_.get(), std::string(kServiceName)));
  Subscribe(rt_, *app_);
  return Ok();
}

}  // namespace nrp::mining_rights
