#include "events/handlers.h"

#include <cmath>
#include <set>

#include "convert/convert.h"
#include "domain/batch.h"
#include "nrp/core/log.h"
#include "nrp/core/uuid.h"
#include "nrp/db/migrations.h"
#include "nrp/events/handler.h"
#include "nrp/events/topics.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/restoration/v1/events.pb.h"
#include "nrp/service/publish.h"
#include "store/store.h"

namespace nrp::land_supply {

using events::HandlerResult;

namespace {

ZoneLayerKind KindOf(nrp::common::v1::ZoneLayerKind k) {
  int v = static_cast<int>(k);
  return InEnumRange(v, kZoneLayerKindMax) ? static_cast<ZoneLayerKind>(v)
                                           : ZoneLayerKind::kUnspecified;
}

}  // namespace

std::string ZoneDigest(const std::string& zone_id, int control_level, int srid, int encoding,
                       const std::string& geometry_text,
                       const std::map<std::string, std::string>& attributes) {
  std::string text = zone_id + "\n" + std::to_string(control_level) + "\n" +
                     std::to_string(srid == 0 ? 4490 : srid) + "\n" + std::to_string(encoding) +
                     "\n" + geometry_text + "\n";
  for (const auto& [k, v] : attributes) text += k + "=" + v + "\n";  // std::map: byte order
  return db::Sha256Hex(text);
}

HandlerResult EventHandlers::OnZonePublished(pqxx::work& tx, const events::CloudEvent& e) {
  nrp::planning::v1::ZonePublished z;
  if (HandlerResult bad = events::Decode(e, &z); !bad.ok()) return bad;
  if (z.layer_id().empty() || z.zone_id().empty() || z.layer_version() <= 0) {
    return HandlerResult::Permanent("zone event without layer id, zone id or version");
  }
  auto current = store::CurrentLayerVersion(tx, z.layer_id());
  if (!current.ok()) return events::Classify(current.error());
  if (z.layer_version() <= *current) return HandlerResult::Ok();  // an older version: nothing to do
  int srid = z.geometry().srid();
  if (srid != 0 && srid != 4490) {
    return HandlerResult::Permanent("zone " + z.zone_id() + " has SRID " + std::to_string(srid) +
                                    "; the replica holds EPSG:4490 only");
  }
  std::map<std::string, std::string> attrs(z.attributes().begin(), z.attributes().end());
  std::string digest =
      ZoneDigest(z.zone_id(), static_cast<int>(z.control_level()), srid,
                 static_cast<int>(z.geometry().encoding()), z.geometry().text(), attrs);
  if (digest != z.zone_digest()) {
    return HandlerResult::Permanent("zone " + z.zone_id() + " of layer " + z.layer_id() +
                                    " version " + std::to_string(z.layer_version()) +
                                    ": zone_digest does not match its content");
  }
  store::ReplicaZone r;
  r.layer_id = z.layer_id();
  r.version = z.layer_version();
  r.zone_id = z.zone_id();
  r.kind = KindOf(z.layer_kind());
  r.region_code = z.zone_region_code().empty() ? z.region_code() : z.zone_region_code();
  r.name = z.name();
  r.control_level = static_cast<int>(z.control_level());
  r.geometry_encoding = static_cast<int>(z.geometry().encoding());
  r.geometry_text = z.geometry().text();
  r.digest = digest;
  r.sequence = z.sequence();
  if (r.region_code.size() != 6)
    return HandlerResult::Permanent("zone without a 6-digit region code");
  return events::Classify(store::StageZone(tx, r));
}

HandlerResult EventHandlers::OnZoneWithdrawn(pqxx::work& tx, const events::CloudEvent& e) {
  nrp::planning::v1::ZoneWithdrawn z;
  if (HandlerResult bad = events::Decode(e, &z); !bad.ok()) return bad;
  auto current = store::CurrentLayerVersion(tx, z.layer_id());
  if (!current.ok()) return events::Classify(current.error());
  if (z.layer_version() <= *current) return HandlerResult::Ok();
  return events::Classify(store::StageWithdrawal(tx, z.layer_id(), z.layer_version(), z.zone_id()));
}

HandlerResult EventHandlers::OnLayerVersionPublished(pqxx::work& tx, const events::CloudEvent& e) {
  nrp::planning::v1::LayerVersionPublished m;
  if (HandlerResult bad = events::Decode(e, &m); !bad.ok()) return bad;
  auto current = store::CurrentLayerVersion(tx, m.layer_id());
  if (!current.ok()) return events::Classify(current.error());
  if (m.version() <= *current) return HandlerResult::Ok();
  auto staged = store::StagedVersionOf(tx, m.layer_id(), m.version());
  if (!staged.ok()) return events::Classify(staged.error());
  if (staged->zone_count != m.zone_count() || staged->withdrawn_count != m.withdrawn_count() ||
      staged->checksum != m.checksum()) {
    return HandlerResult::Permanent(
        "layer " + m.layer_id() + " version " + std::to_string(m.version()) + ": staged " +
        std::to_string(staged->zone_count) + " zones and " +
        std::to_string(staged->withdrawn_count) + " withdrawals (checksum " + staged->checksum +
        "), the marker says " + std::to_string(m.zone_count()) + " and " +
        std::to_string(m.withdrawn_count()) + " (checksum " + m.checksum() +
        "); zone events were lost, the version stays out of use");
  }
  ZoneLayerKind kind = KindOf(m.layer_kind());
  if (kind == ZoneLayerKind::kUnspecified) return HandlerResult::Permanent("layer kind not set");
  auto st = store::SwitchLayerVersion(
      tx, m.layer_id(), m.region_code(), kind, m.version(), m.checksum(), m.zone_count(),
      OptionalDate(m.has_effective_from(), m.effective_from()), d_.clock().Now());
  if (st.ok()) {
    log::Info("zone layer version in use", {{"layer_id", m.layer_id()},
                                            {"version", static_cast<int64_t>(m.version())},
                                            {"zones", static_cast<int64_t>(m.zone_count())}});
  }
  return events::Classify(st);
}

HandlerResult EventHandlers::OnProjectAccepted(pqxx::work& tx, const events::CloudEvent& e) {
  nrp::restoration::v1::ProjectAccepted p;
  if (HandlerResult bad = events::Decode(e, &p); !bad.ok()) return bad;
  TimePoint now = d_.clock().Now();
  if (p.has_new_cultivated_land() && p.new_cultivated_land().area().square_metres() > 0) {
    const auto& land = p.new_cultivated_land();
    NewCredit credit{p.region_code(),
                     p.project_id(),
                     land.area().square_metres(),
                     land.paddy_area().square_metres(),
                     land.has_grain_capacity_kg() ? land.grain_capacity_kg() : 0.0,
                     land.quality_grade()};
    if (auto st = ValidateNewCredit(credit); !st.ok()) {
      return HandlerResult::Permanent("project " + p.project_id() + ": " + st.error().message());
    }
    v1::CompensationCredit c;
    c.set_credit_id(NewUuidV7());
    c.set_region_code(credit.region_code);
    c.set_source_project_id(credit.source_project_id);
    c.set_source_event_id(e.id);
    c.mutable_area()->set_square_metres(credit.area_m2);
    c.mutable_paddy_area()->set_square_metres(credit.paddy_area_m2);
    c.set_grain_capacity_kg(credit.grain_capacity_kg);
    c.set_quality_grade(credit.quality_grade);
    c.set_state(v1::LEDGER_ACCOUNT_STATE_AVAILABLE);
    if (p.has_accepted_on()) *c.mutable_accepted_on() = p.accepted_on();
    *c.mutable_create_time() = ToTimestamp(now);
    auto inserted = store::InsertCredit(tx, c);
    if (!inserted.ok()) return events::Classify(inserted.error());
    if (inserted->second) {
      v1::LedgerEntry entry;
      entry.set_entry_id(NewUuidV7());
      entry.set_ledger(v1::LEDGER_KIND_FARMLAND_COMPENSATION);
      entry.set_account_id(inserted->first.credit_id());
      entry.set_kind(v1::LEDGER_ENTRY_KIND_CREDIT);
      *entry.mutable_area() = c.area();
      *entry.mutable_paddy_area() = c.paddy_area();
      entry.set_grain_capacity_kg(c.grain_capacity_kg());
      entry.set_region_code(c.region_code());
      *entry.mutable_recorded_at() = ToTimestamp(now);
      if (auto st = store::InsertLedgerEntry(tx, entry); !st.ok()) return events::Classify(st);
      v1::CompensationCreditAdded ev;
      ev.set_credit_id(inserted->first.credit_id());
      ev.set_region_code(c.region_code());
      *ev.mutable_credit() = inserted->first;
      if (auto st = service::Publish(d_.rt, tx, ev, c.region_code()); !st.ok())
        return events::Classify(st);
    }
  }
  if (p.has_reclaimed_construction_land() && p.reclaimed_construction_land().square_metres() > 0) {
    NewQuota quota{p.region_code(), p.project_id(),
                   p.reclaimed_construction_land().square_metres()};
    if (auto st = ValidateNewQuota(quota); !st.ok()) {
      return HandlerResult::Permanent("project " + p.project_id() + ": " + st.error().message());
    }
    v1::LinkageQuota q;
    q.set_quota_id(NewUuidV7());
    q.set_region_code(quota.region_code);
    q.set_source_project_id(quota.source_project_id);
    q.set_source_event_id(e.id);
    q.mutable_area()->set_square_metres(quota.area_m2);
    q.set_state(v1::LEDGER_ACCOUNT_STATE_AVAILABLE);
    if (p.has_accepted_on()) *q.mutable_accepted_on() = p.accepted_on();
    *q.mutable_create_time() = ToTimestamp(now);
    auto inserted = store::InsertQuota(tx, q);
    if (!inserted.ok()) return events::Classify(inserted.error());
    if (inserted->second) {
      v1::LedgerEntry entry;
      entry.set_entry_id(NewUuidV7());
      entry.set_ledger(v1::LEDGER_KIND_LINKAGE_QUOTA);
      entry.set_account_id(inserted->first.quota_id());
      entry.set_kind(v1::LEDGER_ENTRY_KIND_CREDIT);
      *entry.mutable_area() = q.area();
      entry.set_region_code(q.region_code());
      *entry.mutable_recorded_at() = ToTimestamp(now);
      if (auto st = store::InsertLedgerEntry(tx, entry); !st.ok()) return events::Classify(st);
      v1::LinkageQuotaAdded ev;
      ev.set_quota_id(inserted->first.quota_id());
      ev.set_region_code(q.region_code());
      *ev.mutable_quota() = inserted->first;
      if (auto st = service::Publish(d_.rt, tx, ev, q.region_code()); !st.ok())
        return events::Classify(st);
    }
  }
  return HandlerResult::Ok();
}

void EventHandlers::Subscribe(service::Runtime& rt) {
  using std::placeholders::_1;
  using std::placeholders::_2;
  rt.Subscribe(events::kPlanningTopic, "nrp.planning.zone_published.v1",
               std::bind(&EventHandlers::OnZonePublished, this, _1, _2));
  rt.Subscribe(events::kPlanningTopic, "nrp.planning.zone_withdrawn.v1",
               std::bind(&EventHandlers::OnZoneWithdrawn, this, _1, _2));
  rt.Subscribe(events::kPlanningTopic, "nrp.planning.layer_version_published.v1",
               std::bind(&EventHandlers::OnLayerVersionPublished, this, _1, _2));
  rt.Subscribe(events::kRestorationTopic, "nrp.restoration.project_accepted.v1",
               std::bind(&EventHandlers::OnProjectAccepted, this, _1, _2));
}

}  // namespace nrp::land_supply
