// What mining rights consumes and runs on its own: planning's zone events keep the shared
// zone replica the spatial gate reads (libs/zones); restoration's fulfilled obligations let
// a waiting cancellation complete; and the scheduled pass lapses rights past
// their last day and closes listings and auctions at the end of bidding (app/).
#pragma once

#include "app/mining_app.h"
#include "nrp/service/runtime.h"

namespace nrp::mining_rights {

// Call before rt.Start(); `app` outlives the runtime's workers.
void Subscribe(service::Runtime& rt, MiningRightsApp& app);

}  // namespace nrp::mining_rights
