// Handlers for the other services' events planning computes indicators from
// (domain.md Planning: "Progress is computed from the other services' events,
// not typed in, where the platform holds the data"):
//   land_supply   stock_land_revitalised, idle_land_disposed, approval_batch_approved
//   mining_rights right_granted, right_changed, right_split, rights_merged,
//                 mine_closed, right_cancelled, right_expired,
//                 green_mine_designated, green_mine_revoked
//   restoration   project_accepted
// Each keeps a fact in planning's tables and recomputes the indicators fed by
// it, in the consumer's transaction (inbox row, facts and outbox commit
// together). An event that violates the contract (no id, a malformed region
// code) is permanent and goes to the dead-letter topic.
#pragma once

#include "app/progress.h"
#include "nrp/service/runtime.h"

namespace nrp::planning::events {

void Register(service::Runtime& runtime, app::ProgressEngine& progress, int utc_offset_hours);

}  // namespace nrp::planning::events
