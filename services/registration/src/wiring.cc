#include "wiring.h"

#include "events/subscriptions.h"
#include "nrp/zones/replica.h"
#include "nrp_migrations_registration.h"

namespace nrp::registration {

std::vector<db::MigrationSet> Migrations() {
  return {zones::Migrations(), nrp_migrations_registration()};
}

Status Wire(service::Runtime& rt, RegistrationApi& api, bool run_scheduler) {
  NRP_RETURN_IF_ERROR(rt.AddService(&api, kServiceName));
  Subscribe(rt, api.app(), run_scheduler);
  return Ok();
}

}  // namespace nrp::registration
