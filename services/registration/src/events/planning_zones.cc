// Planning's zone events (nrp.planning.events.v1) keep a local PostGIS replica of the control
// zones: the zones of a layer version are staged as they arrive and switched in when the
// version's marker confirms their count and checksum. Draft natural-resource units then get
// the public control requirements of the zones they overlap.
#include "api/internal.h"
#include "nrp/events/cloud_event.h"
#include "nrp/events/handler.h"
#include "nrp/planning/v1/events.pb.h"
#include "store/store.h"

namespace nrp::registration {

namespace ppb = nrp::planning::v1;

events::HandlerResult RegistrationApi::OnZonePublished(pqxx::work& tx,
                                                       const events::CloudEvent& ev) {
  ppb::ZonePublished z;
  if (auto bad = events::Decode(ev, &z); !bad.ok()) return bad;
  if (z.layer_id().empty() || z.zone_id().empty() || z.layer_version() < 1) {
    return events::HandlerResult::Permanent("ZonePublished without layer, zone or version");
  }
  if (!z.zone_digest().empty() && store::ZoneDigest(z) != z.zone_digest()) {
    return events::HandlerResult::Permanent("zone " + z.zone_id() + " of layer " + z.layer_id() +
                                            ": content does not match its zone_digest");
  }
  auto s = store::StageZone(tx, z);
  if (!s.ok()) return events::Classify(s.error());
  return events::HandlerResult::Ok();
}

events::HandlerResult RegistrationApi::OnZoneWithdrawn(pqxx::work&, const events::CloudEvent& ev) {
  // A published version is complete on its own: the switch replaces the layer's zones, so a
  // withdrawn zone simply is not among the staged ones.
  ppb::ZoneWithdrawn w;
  if (auto bad = events::Decode(ev, &w); !bad.ok()) return bad;
  return events::HandlerResult::Ok();
}

events::HandlerResult RegistrationApi::OnLayerVersionPublished(pqxx::work& tx,
                                                               const events::CloudEvent& ev) {
  ppb::LayerVersionPublished m;
  if (auto bad = events::Decode(ev, &m); !bad.ok()) return bad;
  auto sw = store::SwitchLayer(tx, m);
  if (!sw.ok()) return events::Classify(sw.error());
  if (!sw->mismatch.empty()) return events::HandlerResult::Permanent(sw->mismatch);
  if (!sw->switched) return events::HandlerResult::Ok();
  auto drafts = store::DraftUnitsTouchingLayer(tx, m.layer_id());
  if (!drafts.ok()) return events::Classify(drafts.error());
  for (const auto& id : *drafts) {
    auto unit = store::GetNaturalResourceUnit(tx, id, /*for_update=*/true);
    if (!unit.ok()) return events::Classify(unit.error());
    if (!*unit) continue;
    auto refreshed = RefreshZoneControls(tx, std::move(**unit));
    if (!refreshed.ok()) return events::Classify(refreshed.error());
    auto stored = store::UpdateNaturalResourceUnit(tx, std::move(refreshed).value(), false);
    if (!stored.ok()) return events::Classify(stored.error());
  }
  log::Info("zone layer switched",
            {{"layer_id", m.layer_id()},
             {"version", static_cast<int64_t>(m.version())},
             {"draft_units_refreshed", static_cast<int64_t>(drafts->size())}});
  return events::HandlerResult::Ok();
}

}  // namespace nrp::registration
