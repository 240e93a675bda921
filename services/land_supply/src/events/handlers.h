// What land supply consumes: planning's zone layers (nrp.planning.events.v1) feed the shared
// zone replica (libs/zones) the spatial gate reads; restoration's acceptances
// (nrp.restoration.events.v1 ProjectAccepted) credit the ledgers (app/ledgers.cc). Each
// effect commits in one transaction with the consumer's inbox row.
#pragma once

#include "app/operations.h"
#include "nrp/service/runtime.h"

namespace nrp::land_supply {

inline constexpr char kProjectAcceptedType[] = "nrp.restoration.project_accepted.v1";

// Registers the consumers with the runtime. `ops` outlives the runtime's workers.
void Subscribe(service::Runtime& rt, Operations& ops);

}  // namespace nrp::land_supply
