// What registration consumes and runs on its own: land supply's deliveries, planning's zone
// events (the shared replica), the recount of deadlines after a calendar change, and the
// overdue scheduler. Each hands its input to the application layer (app/).
#pragma once

#include "app/registration_app.h"
#include "nrp/service/runtime.h"

namespace nrp::registration {

// The type of land supply's delivery event (nrp.land_supply.land_delivered.v1).
inline constexpr char kLandDeliveredType[] = "nrp.land_supply.land_delivered.v1";

// Registers the consumers and the deadline handlers on `rt`, and the overdue pass when
// `run_scheduler`. Call before rt.Start(); `app` outlives the runtime's workers.
void Subscribe(service::Runtime& rt, const RegistrationApp& app, bool run_scheduler);

}  // namespace nrp::registration
