// What restoration consumes: planning's zones (the shared replica, for the cultivated-land
// layer an acceptance is checked against) and mining rights' registrations, transfers and
// endings (the rights, their fund accounts and the obligations a mine leaves).
#pragma once

#include "app/restoration_app.h"
#include "nrp/service/runtime.h"

namespace nrp::restoration {

void Subscribe(service::Runtime& rt, RestorationApp& app);

}  // namespace nrp::restoration
