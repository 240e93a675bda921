// Hooks the registration handlers into a service runtime: the gRPC service, the consumers of
// land supply's and planning's events and the overdue scheduler. Used by main.cc and by the
// integration tests, which build the runtime in-process.
#pragma once

#include "api/registration_api.h"
#include "nrp/service/runtime.h"

namespace nrp::registration {

// Event types this service consumes.
inline constexpr char kLandDeliveredType[] = "nrp.land_supply.land_delivered.v1";
inline constexpr char kZonePublishedType[] = "nrp.planning.zone_published.v1";
inline constexpr char kZoneWithdrawnType[] = "nrp.planning.zone_withdrawn.v1";
inline constexpr char kLayerVersionPublishedType[] = "nrp.planning.layer_version_published.v1";

// Call before rt.Start(). `run_scheduler` false leaves the overdue pass to the caller.
Status Wire(service::Runtime& rt, RegistrationApi& api, bool run_scheduler = true);

}  // namespace nrp::registration
