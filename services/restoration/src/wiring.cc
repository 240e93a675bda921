#include "wiring.h"

#include "events/subscriptions.h"
#include "nrp/zones/replica.h"
#include "nrp_migrations_restoration.h"

namespace nrp::restoration {

std::vector<db::MigrationSet> Migrations() {
  return {zones::Migrations(), nrp_migrations_restoration()};
}

RestorationService::RestorationService(service::Runtime& rt, RestorationConfig config)
    : rt_(rt),
      app_(std::make_unique<RestorationApp>(rt, std::move(config))),
      api_(std::make_unique<RestorationApi>(rt, *app_)) {}

Status RestorationService::Wire() {
  NRP_RETURN_IF_ERROR(app_->config().rules.Validate());
  NRP_RETURN_IF_ERROR(rt_.AddService(api_.get(), std::string(kServiceName)));
  Subscribe(rt_, *app_);
  return Ok();
}

}  // namespace nrp::restoration
