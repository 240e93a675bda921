// Planning's zone events keep the shared zone replica (libs/zones); when a layer version comes
// into force, the draft natural-resource units of its region get the public control
// requirements of the zones they now overlap, in the switch's transaction.
#include "api/internal.h"
#include "nrp/core/log.h"
#include "store/store.h"

namespace nrp::registration {

Status RegistrationApi::OnZoneLayerSwitched(pqxx::work& tx, const zones::SwitchedLayer& layer) {
  NRP_ASSIGN_OR_RETURN(auto drafts, store::DraftUnitsTouchingLayer(tx, layer.layer_id));
  for (const auto& id : drafts) {
    NRP_ASSIGN_OR_RETURN(auto unit, store::GetNaturalResourceUnit(tx, id, /*for_update=*/true));
    if (!unit) continue;
    NRP_ASSIGN_OR_RETURN(auto refreshed, RefreshZoneControls(tx, std::move(*unit)));
    NRP_RETURN_IF_ERROR(store::UpdateNaturalResourceUnit(tx, std::move(refreshed), false));
  }
  log::Info("draft units refreshed from the zone layer",
            {{"layer_id", layer.layer_id},
             {"version", static_cast<int64_t>(layer.version)},
             {"draft_units_refreshed", static_cast<int64_t>(drafts.size())}});
  return Ok();
}

}  // namespace nrp::registration
