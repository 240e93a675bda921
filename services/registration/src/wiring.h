// Hooks the registration handlers into a service runtime: the gRPC service, the consumers of
// land supply's and planning's events and the overdue scheduler. Used by main.cc and by the
// integration tests, which build the runtime in-process.
#pragma once

#include "api/registration_api.h"
#include "nrp/db/migrations.h"
#include "nrp/service/runtime.h"

namespace nrp::registration {

// The schema: the shared zone replica's, then registration's own.
std::vector<db::MigrationSet> Migrations();

// Call before rt.Start(). `run_scheduler` false leaves the overdue pass to the caller.
Status Wire(service::Runtime& rt, RegistrationApi& api, bool run_scheduler = true);

}  // namespace nrp::registration
