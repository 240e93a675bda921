// Approval batches (批次) and the ledgers they draw on; the stock-land summary.
#include <set>

#include "api/handler.h"
#include "convert/convert.h"
#include "domain/batch.h"
#include "domain/zone_gate.h"
#include "nrp/core/uuid.h"
#include "nrp/land_supply/v1/events.pb.h"

namespace nrp::land_supply {

namespace {

v1::ApprovalBatch BatchOut(const store::BatchRow& row) {
  v1::ApprovalBatch b = row.batch;
  b.mutable_supplied_area()->set_square_metres(row.supplied_area_m2);
  bool approved =
      b.state() == v1::BATCH_STATE_APPROVED || b.state() == v1::BATCH_STATE_EXPROPRIATED;
  b.mutable_unsupplied_area()->set_square_metres(
      approved ? std::max(0.0, b.total_area().square_metres() - row.supplied_area_m2) : 0.0);
  return b;
}

NewBatch ToNewBatch(const v1::ApprovalBatch& b) {
  NewBatch n;
  n.region_code = b.region_code();
  n.name = b.name();
  n.year = b.year();
  n.parcel_ids.assign(b.parcel_ids().begin(), b.parcel_ids().end());
  n.total_area_m2 = b.total_area().square_metres();
  n.agricultural_land_area_m2 = b.agricultural_land_area().square_metres();
  n.cultivated_land_area_m2 = b.cultivated_land_area().square_metres();
  n.paddy_area_m2 = b.paddy_area().square_metres();
  n.cultivated_quality_grade = b.cultivated_quality_grade();
  n.grain_capacity_kg = b.grain_capacity_kg();
  n.unused_land_area_m2 = b.unused_land_area().square_metres();
  n.plan_quota_area_m2 = b.plan_quota_area().square_metres();
  return n;
}

}  // namespace

grpc::Status LandSupplyApi::CreateApprovalBatch(Ctx* ctx, const v1::CreateApprovalBatchRequest* req,
                                                v1::ApprovalBatch* out) {
  return Serve<v1::ApprovalBatch>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::ApprovalBatch> {
        NewBatch in = ToNewBatch(req->batch());
        NRP_RETURN_IF_ERROR(ValidateNewBatch(in));
        NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, in.region_code));
        NRP_ASSIGN_OR_RETURN(RegionCode region,
                             RegionCode::Parse(in.region_code, "batch.region_code"));
        return Mutate<v1::ApprovalBatch>(caller, "CreateApprovalBatch", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::ApprovalBatch> {
              TimePoint now = d_.clock().Now();
              v1::ApprovalBatch b = req->batch();
              b.set_batch_id(NewUuidV7());
              double parcels_area = 0;
              for (int i = 0; i < b.parcel_ids_size(); ++i) {
                std::string field = "batch.parcel_ids[" + std::to_string(i) + "]";
                auto p = store::GetParcel(tx, b.parcel_ids(i), true);
                if (!p.ok()) return Error::InvalidArgument(field, p.error().message());
                NRP_ASSIGN_OR_RETURN(RegionCode pr, RegionCode::Parse(p->region_code(), field));
                if (!region.Contains(pr)) {
                  return Error::InvalidArgument(field, "parcel lies in region " + p->region_code() +
                                                           ", outside the batch's region " +
                                                           in.region_code);
                }
                if (!p->approval_batch_id().empty()) {
                  return Error::FailedPrecondition("PARCEL_IN_BATCH", p->parcel_id(),
                                                   "parcel " + p->parcel_id() +
                                                       " already belongs to approval batch " +
                                                       p->approval_batch_id());
                }
                if (p->state() != v1::PARCEL_STATE_REGISTERED) {
                  return Error::FailedPrecondition(
                      "PARCEL_STATE", p->parcel_id(),
                      "parcel " + p->parcel_id() + " is " +
                          std::string(ParcelStateName(static_cast<ParcelState>(p->state()))) +
                          "; a batch converts land that is only REGISTERED");
                }
                parcels_area += p->area().square_metres();
              }
              if (parcels_area >
                  b.total_area().square_metres() * (1 + d_.rules.area_tolerance_share)) {
                return Error::InvalidArgument(
                    "batch.total_area",
                    "is smaller than the area of its parcels, " + FormatArea(parcels_area));
              }
              b.set_state(v1::BATCH_STATE_APPLIED);
              b.clear_allocations();
              b.clear_approved_at();
              b.clear_expropriated_at();
              b.clear_zone_check();
              b.clear_authority();
              b.clear_approval();
              *b.mutable_create_time() = ToTimestamp(now);
              *b.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::InsertBatch(tx, b));
              v1::ApprovalBatchApplied ev;
              ev.set_batch_id(b.batch_id());
              ev.set_region_code(b.region_code());
              ev.set_year(b.year());
              *ev.mutable_parcel_ids() = b.parcel_ids();
              *ev.mutable_total_area() = b.total_area();
              *ev.mutable_cultivated_land_area() = b.cultivated_land_area();
              *ev.mutable_applied_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, b.region_code()));
              audit = {b.region_code(), b.batch_id()};
              store::BatchRow row{b, 0};
              return BatchOut(row);
            });
      });
}

grpc::Status LandSupplyApi::GetApprovalBatch(Ctx* ctx, const v1::GetApprovalBatchRequest* req,
                                             v1::ApprovalBatch* out) {
  return Serve<v1::ApprovalBatch>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::ApprovalBatch> {
        NRP_ASSIGN_OR_RETURN(auto row, Read<store::BatchRow>([&](pqxx::work& tx) {
                               return store::GetBatch(tx, req->batch_id(), false);
                             }));
        NRP_RETURN_IF_ERROR(InRegion(caller, kReadScope, row.batch.region_code()));
        return BatchOut(row);
      });
}

grpc::Status LandSupplyApi::ListApprovalBatches(Ctx* ctx, const v1::ListApprovalBatchesRequest* req,
                                                v1::ListApprovalBatchesResponse* out) {
  return Serve<v1::ListApprovalBatchesResponse>(
      ctx, kReadScope, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListApprovalBatchesResponse> {
        NRP_ASSIGN_OR_RETURN(auto q,
                             ListQueryFor(caller, list::RequestOf(*req), store::BatchList()));
        return Read<v1::ListApprovalBatchesResponse>(
            [&](pqxx::work& tx) -> Result<v1::ListApprovalBatchesResponse> {
              NRP_ASSIGN_OR_RETURN(auto page, store::ListBatches(tx, q));
              v1::ListApprovalBatchesResponse resp;
              for (const auto& r : page.items) *resp.add_batches() = BatchOut(r);
              resp.set_next_page_token(page.next_page_token);
              return resp;
            });
      });
}

grpc::Status LandSupplyApi::ApproveBatch(Ctx* ctx, const v1::ApproveBatchRequest* req,
                                         v1::ApprovalBatch* out) {
  return Serve<v1::ApprovalBatch>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::ApprovalBatch> {
        std::vector<Allocation> allocations;
        std::vector<std::string> ids;
        for (const auto& a : req->allocations()) {
          allocations.push_back({static_cast<int>(a.ledger()), a.account_id(),
                                 a.area().square_metres(), a.paddy_area().square_metres(),
                                 a.grain_capacity_kg()});
          ids.push_back(a.account_id());
        }
        return Mutate<v1::ApprovalBatch>(caller, "ApproveBatch", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::ApprovalBatch> {
              NRP_ASSIGN_OR_RETURN(store::BatchRow row, store::GetBatch(tx, req->batch_id(), true));
              v1::ApprovalBatch& b = row.batch;
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, b.region_code()));
              // The accounts are locked in id order: two approvals drawing on the same
              // credit queue here, and the second sees what the first left.
              NRP_ASSIGN_OR_RETURN(auto accounts, store::LockAccounts(tx, ids));
              BatchNeeds needs{b.batch_id(),
                               b.region_code(),
                               static_cast<BatchState>(b.state()),
                               b.cultivated_land_area().square_metres(),
                               b.paddy_area().square_metres(),
                               b.grain_capacity_kg(),
                               b.cultivated_quality_grade()};
              NRP_ASSIGN_OR_RETURN(
                  auto after,
                  CheckApproval(needs, static_cast<int>(req->authority()), allocations, accounts));
              std::vector<std::string> parcel_ids(b.parcel_ids().begin(), b.parcel_ids().end());
              NRP_ASSIGN_OR_RETURN(ZoneMeasurement m, store::MeasureZonesOfParcels(tx, parcel_ids));
              NRP_RETURN_IF_ERROR(CheckApprovalAuthority(
                  m, static_cast<ApprovalAuthority>(req->authority()), b.batch_id(), d_.rules));
              TimePoint now = d_.clock().Now();
              GateResult gate = EvaluateZoneGate(m, LandUse::kOther, GateStage::kReserve, d_.rules);

              std::map<std::string, AccountAfter> left;
              for (const auto& a : after) {
                NRP_RETURN_IF_ERROR(store::UpdateAccount(tx, a));
                left[a.account_id] = a;
              }
              for (size_t i = 0; i < allocations.size(); ++i) {
                const auto& a = req->allocations(static_cast<int>(i));
                v1::LedgerEntry e;
                e.set_entry_id(NewUuidV7());
                e.set_ledger(a.ledger());
                e.set_account_id(a.account_id());
                e.set_kind(v1::LEDGER_ENTRY_KIND_DEBIT);
                *e.mutable_area() = a.area();
                *e.mutable_paddy_area() = a.paddy_area();
                e.set_grain_capacity_kg(a.grain_capacity_kg());
                e.set_batch_id(b.batch_id());
                e.set_region_code(accounts.at(a.account_id()).region_code);
                *e.mutable_recorded_at() = ToTimestamp(now);
                NRP_RETURN_IF_ERROR(store::InsertLedgerEntry(tx, e));
                const AccountAfter& acc = left.at(a.account_id());
                if (a.ledger() == v1::LEDGER_KIND_FARMLAND_COMPENSATION) {
                  v1::CompensationCreditUsed ev;
                  ev.set_credit_id(a.account_id());
                  ev.set_region_code(e.region_code());
                  ev.set_batch_id(b.batch_id());
                  *ev.mutable_used() = a;
                  ev.mutable_remaining_area()->set_square_metres(acc.remaining_area_m2);
                  ev.set_state(static_cast<v1::LedgerAccountState>(acc.state));
                  NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, e.region_code()));
                } else {
                  v1::LinkageQuotaUsed ev;
                  ev.set_quota_id(a.account_id());
                  ev.set_region_code(e.region_code());
                  ev.set_batch_id(b.batch_id());
                  *ev.mutable_area() = a.area();
                  ev.mutable_remaining_area()->set_square_metres(acc.remaining_area_m2);
                  ev.set_state(static_cast<v1::LedgerAccountState>(acc.state));
                  NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, e.region_code()));
                }
                *b.add_allocations() = a;
              }
              b.set_state(v1::BATCH_STATE_APPROVED);
              b.set_authority(req->authority());
              *b.mutable_approval() = req->approval();
              *b.mutable_approved_at() = ToTimestamp(now);
              *b.mutable_zone_check() =
                  api::ZoneCheckOf(gate, nrp::common::v1::SPATIAL_USE_URBAN_CONSTRUCTION, now);
              *b.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateBatch(tx, b, ""));
              NRP_RETURN_IF_ERROR(store::SetParcelsStockStage(
                  tx, b.batch_id(), StockLandStage::kApprovedNotExpropriated));

              v1::ApprovalBatchApproved ev;
              ev.set_batch_id(b.batch_id());
              ev.set_region_code(b.region_code());
              ev.set_year(b.year());
              *ev.mutable_parcel_ids() = b.parcel_ids();
              *ev.mutable_total_area() = b.total_area();
              *ev.mutable_agricultural_land_area() = b.agricultural_land_area();
              *ev.mutable_cultivated_land_area() = b.cultivated_land_area();
              *ev.mutable_paddy_area() = b.paddy_area();
              *ev.mutable_plan_quota_area() = b.plan_quota_area();
              *ev.mutable_allocations() = b.allocations();
              ev.set_authority(b.authority());
              *ev.mutable_approval() = b.approval();
              *ev.mutable_approved_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, b.region_code()));
              audit = {b.region_code(), b.batch_id()};
              return BatchOut(row);
            });
      });
}

grpc::Status LandSupplyApi::RecordBatchExpropriation(Ctx* ctx,
                                                     const v1::RecordBatchExpropriationRequest* req,
                                                     v1::ApprovalBatch* out) {
  return Serve<v1::ApprovalBatch>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::ApprovalBatch> {
        return Mutate<v1::ApprovalBatch>(caller, "RecordBatchExpropriation", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::ApprovalBatch> {
              NRP_ASSIGN_OR_RETURN(store::BatchRow row, store::GetBatch(tx, req->batch_id(), true));
              v1::ApprovalBatch& b = row.batch;
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, b.region_code()));
              if (b.state() != v1::BATCH_STATE_APPROVED) {
                return Error::FailedPrecondition(
                    "BATCH_STATE", b.batch_id(),
                    "batch " + b.batch_id() + " is " +
                        std::string(BatchStateName(static_cast<BatchState>(b.state()))) +
                        "; expropriation follows approval (APPROVED)");
              }
              TimePoint now = d_.clock().Now();
              b.set_state(v1::BATCH_STATE_EXPROPRIATED);
              *b.mutable_expropriated_at() = ToTimestamp(now);
              *b.mutable_update_time() = ToTimestamp(now);
              v1::RecordBatchExpropriationRequest record;
              *record.mutable_documents() = req->documents();
              NRP_RETURN_IF_ERROR(store::UpdateBatch(tx, b, record.SerializeAsString()));
              NRP_RETURN_IF_ERROR(store::SetParcelsStockStage(
                  tx, b.batch_id(), StockLandStage::kExpropriatedNotSupplied));
              v1::ApprovalBatchExpropriated ev;
              ev.set_batch_id(b.batch_id());
              ev.set_region_code(b.region_code());
              *ev.mutable_parcel_ids() = b.parcel_ids();
              *ev.mutable_expropriated_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, b.region_code()));
              audit = {b.region_code(), b.batch_id()};
              return BatchOut(row);
            });
      });
}

// ---------------------------------------------------------------- ledgers

grpc::Status LandSupplyApi::GetCompensationCredit(Ctx* ctx,
                                                  const v1::GetCompensationCreditRequest* req,
                                                  v1::CompensationCredit* out) {
  return Serve<v1::CompensationCredit>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::CompensationCredit> {
        NRP_ASSIGN_OR_RETURN(auto c, Read<v1::CompensationCredit>([&](pqxx::work& tx) {
                               return store::GetCredit(tx, req->credit_id());
                             }));
        NRP_RETURN_IF_ERROR(InRegion(caller, kReadScope, c.region_code()));
        return c;
      });
}

grpc::Status LandSupplyApi::ListCompensationCredits(Ctx* ctx,
                                                    const v1::ListCompensationCreditsRequest* req,
                                                    v1::ListCompensationCreditsResponse* out) {
  return Serve<v1::ListCompensationCreditsResponse>(
      ctx, kReadScope, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListCompensationCreditsResponse> {
        NRP_ASSIGN_OR_RETURN(auto q,
                             ListQueryFor(caller, list::RequestOf(*req), store::CreditList()));
        return Read<v1::ListCompensationCreditsResponse>(
            [&](pqxx::work& tx) -> Result<v1::ListCompensationCreditsResponse> {
              NRP_ASSIGN_OR_RETURN(auto page, store::ListCredits(tx, q));
              v1::ListCompensationCreditsResponse resp;
              for (auto& r : page.items) *resp.add_credits() = std::move(r);
              resp.set_next_page_token(page.next_page_token);
              return resp;
            });
      });
}

grpc::Status LandSupplyApi::GetLinkageQuota(Ctx* ctx, const v1::GetLinkageQuotaRequest* req,
                                            v1::LinkageQuota* out) {
  return Serve<v1::LinkageQuota>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::LinkageQuota> {
        NRP_ASSIGN_OR_RETURN(auto q, Read<v1::LinkageQuota>([&](pqxx::work& tx) {
                               return store::GetQuota(tx, req->quota_id());
                             }));
        NRP_RETURN_IF_ERROR(InRegion(caller, kReadScope, q.region_code()));
        return q;
      });
}

grpc::Status LandSupplyApi::ListLinkageQuotas(Ctx* ctx, const v1::ListLinkageQuotasRequest* req,
                                              v1::ListLinkageQuotasResponse* out) {
  return Serve<v1::ListLinkageQuotasResponse>(
      ctx, kReadScope, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListLinkageQuotasResponse> {
        NRP_ASSIGN_OR_RETURN(auto q,
                             ListQueryFor(caller, list::RequestOf(*req), store::QuotaList()));
        return Read<v1::ListLinkageQuotasResponse>(
            [&](pqxx::work& tx) -> Result<v1::ListLinkageQuotasResponse> {
              NRP_ASSIGN_OR_RETURN(auto page, store::ListQuotas(tx, q));
              v1::ListLinkageQuotasResponse resp;
              for (auto& r : page.items) *resp.add_quotas() = std::move(r);
              resp.set_next_page_token(page.next_page_token);
              return resp;
            });
      });
}

grpc::Status LandSupplyApi::ListLedgerEntries(Ctx* ctx, const v1::ListLedgerEntriesRequest* req,
                                              v1::ListLedgerEntriesResponse* out) {
  return Serve<v1::ListLedgerEntriesResponse>(
      ctx, kReadScope, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListLedgerEntriesResponse> {
        NRP_ASSIGN_OR_RETURN(auto q,
                             ListQueryFor(caller, list::RequestOf(*req), store::EntryList()));
        return Read<v1::ListLedgerEntriesResponse>(
            [&](pqxx::work& tx) -> Result<v1::ListLedgerEntriesResponse> {
              NRP_ASSIGN_OR_RETURN(auto page, store::ListEntries(tx, q));
              v1::ListLedgerEntriesResponse resp;
              for (auto& r : page.items) *resp.add_entries() = std::move(r);
              resp.set_next_page_token(page.next_page_token);
              return resp;
            });
      });
}

grpc::Status LandSupplyApi::GetLedgerBalance(Ctx* ctx, const v1::GetLedgerBalanceRequest* req,
                                             v1::LedgerBalance* out) {
  return Serve<v1::LedgerBalance>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::LedgerBalance> {
        NRP_RETURN_IF_ERROR(RegionCode::Parse(req->region_code(), "region_code"));
        NRP_RETURN_IF_ERROR(InRegion(caller, kReadScope, req->region_code()));
        NRP_ASSIGN_OR_RETURN(auto b, Read<v1::LedgerBalance>([&](pqxx::work& tx) {
                               return store::Balance(tx, req->region_code());
                             }));
        *b.mutable_as_of() = ToTimestamp(d_.clock().Now());
        return b;
      });
}

grpc::Status LandSupplyApi::GetStockLandSummary(Ctx* ctx, const v1::GetStockLandSummaryRequest* req,
                                                v1::StockLandSummary* out) {
  return Serve<v1::StockLandSummary>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::StockLandSummary> {
        NRP_RETURN_IF_ERROR(RegionCode::Parse(req->region_code(), "region_code"));
        if (req->year() != 0 && (req->year() < 1990 || req->year() > 2100)) {
          return Error::InvalidArgument("year", "must be 0 or a plan year between 1990 and 2100");
        }
        NRP_RETURN_IF_ERROR(InRegion(caller, kReadScope, req->region_code()));
        NRP_ASSIGN_OR_RETURN(auto s, Read<v1::StockLandSummary>([&](pqxx::work& tx) {
                               return store::StockSummary(tx, req->region_code(), req->year());
                             }));
        *s.mutable_as_of() = ToTimestamp(d_.clock().Now());
        return s;
      });
}

}  // namespace nrp::land_supply
