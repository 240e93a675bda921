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
#include "nrp/restoration/v1/events.pb.h"
#include "nrp/service/publish.h"
#include "nrp/zones/replica.h"
#include "store/store.h"

namespace nrp::land_supply {

using events::HandlerResult;

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
  zones::Replica(d_.clock()).Subscribe(rt);
  rt.Subscribe(events::kRestorationTopic, "nrp.restoration.project_accepted.v1",
               std::bind(&EventHandlers::OnProjectAccepted, this, _1, _2));
}

}  // namespace nrp::land_supply
