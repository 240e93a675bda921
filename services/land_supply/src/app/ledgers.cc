// The ledgers restoration's acceptances feed: new cultivated land → a compensation credit
// (占补平衡), reclaimed rural construction land → a linkage quota (增减挂钩). The credit and
// the quota are keyed by the source event, so a redelivery adds nothing.
#include "app/operations.h"
#include "convert/convert.h"
#include "domain/batch.h"
#include "nrp/core/uuid.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/service/publish.h"

namespace nrp::land_supply {

Status Operations::CreditAcceptedProject(pqxx::work& tx,
                                         const nrp::restoration::v1::ProjectAccepted& p,
                                         const std::string& source_event_id) {
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
      return Error(st.error().code(), "project " + p.project_id() + ": " + st.error().message());
    }
    v1::CompensationCredit c;
    c.set_credit_id(NewUuidV7());
    c.set_region_code(credit.region_code);
    c.set_source_project_id(credit.source_project_id);
    c.set_source_event_id(source_event_id);
    c.mutable_area()->set_square_metres(credit.area_m2);
    c.mutable_paddy_area()->set_square_metres(credit.paddy_area_m2);
    c.set_grain_capacity_kg(credit.grain_capacity_kg);
    c.set_quality_grade(credit.quality_grade);
    c.set_state(v1::LEDGER_ACCOUNT_STATE_AVAILABLE);
    if (p.has_accepted_on()) *c.mutable_accepted_on() = p.accepted_on();
    *c.mutable_create_time() = ToTimestamp(now);
    NRP_ASSIGN_OR_RETURN(auto inserted, store::InsertCredit(tx, c));
    if (inserted.second) {
      v1::LedgerEntry entry;
      entry.set_entry_id(NewUuidV7());
      entry.set_ledger(v1::LEDGER_KIND_FARMLAND_COMPENSATION);
      entry.set_account_id(inserted.first.credit_id());
      entry.set_kind(v1::LEDGER_ENTRY_KIND_CREDIT);
      *entry.mutable_area() = c.area();
      *entry.mutable_paddy_area() = c.paddy_area();
      entry.set_grain_capacity_kg(c.grain_capacity_kg());
      entry.set_region_code(c.region_code());
      *entry.mutable_recorded_at() = ToTimestamp(now);
      NRP_RETURN_IF_ERROR(store::InsertLedgerEntry(tx, entry));
      v1::CompensationCreditAdded ev;
      ev.set_credit_id(inserted.first.credit_id());
      ev.set_region_code(c.region_code());
      *ev.mutable_credit() = inserted.first;
      NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, c.region_code()));
    }
  }
  if (p.has_reclaimed_construction_land() && p.reclaimed_construction_land().square_metres() > 0) {
    NewQuota quota{p.region_code(), p.project_id(),
                   p.reclaimed_construction_land().square_metres()};
    if (auto st = ValidateNewQuota(quota); !st.ok()) {
      return Error(st.error().code(), "project " + p.project_id() + ": " + st.error().message());
    }
    v1::LinkageQuota q;
    q.set_quota_id(NewUuidV7());
    q.set_region_code(quota.region_code);
    q.set_source_project_id(quota.source_project_id);
    q.set_source_event_id(source_event_id);
    q.mutable_area()->set_square_metres(quota.area_m2);
    q.set_state(v1::LEDGER_ACCOUNT_STATE_AVAILABLE);
    if (p.has_accepted_on()) *q.mutable_accepted_on() = p.accepted_on();
    *q.mutable_create_time() = ToTimestamp(now);
    NRP_ASSIGN_OR_RETURN(auto inserted, store::InsertQuota(tx, q));
    if (inserted.second) {
      v1::LedgerEntry entry;
      entry.set_entry_id(NewUuidV7());
      entry.set_ledger(v1::LEDGER_KIND_LINKAGE_QUOTA);
      entry.set_account_id(inserted.first.quota_id());
      entry.set_kind(v1::LEDGER_ENTRY_KIND_CREDIT);
      *entry.mutable_area() = q.area();
      entry.set_region_code(q.region_code());
      *entry.mutable_recorded_at() = ToTimestamp(now);
      NRP_RETURN_IF_ERROR(store::InsertLedgerEntry(tx, entry));
      v1::LinkageQuotaAdded ev;
      ev.set_quota_id(inserted.first.quota_id());
      ev.set_region_code(q.region_code());
      *ev.mutable_quota() = inserted.first;
      NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, q.region_code()));
    }
  }
  return Ok();
}

}  // namespace nrp::land_supply
