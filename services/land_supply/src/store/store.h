// The only code that knows land supply's tables. Every function works inside
// the caller's transaction (pqxx::work) so that a handler's reads under lock,
// its writes and its outbox events commit together. Statements take their
// input as parameters, never spliced into the text. Rows come back as the
// contract's resource messages plus the few columns only the service sees.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/batch.h"
#include "domain/idle_land.h"
#include "domain/offer.h"
#include "domain/zone_gate.h"
#include "nrp/core/status.h"
#include "nrp/land_supply/v1/resources.pb.h"
#include "nrp/list/list.h"

namespace nrp::land_supply::store {

namespace v1 = ::nrp::land_supply::v1;

// ---------------------------------------------------------------- lists

// A list request checked against the list's Spec (libs/list grammar) and the
// regions the caller may see.
struct ListQuery {
  list::Query query;
  std::vector<std::string> region_prefixes;  // empty = all
};

// What each list filters and orders on (field → column, type, operators).
const list::Spec& ParcelList();
const list::Spec& BatchList();
const list::Spec& CreditList();
const list::Spec& QuotaList();
const list::Spec& EntryList();
const list::Spec& OfferList();
const list::Spec& BidList();
const list::Spec& ContractList();
const list::Spec& PaymentList();
const list::Spec& IdleCaseList();

// ---------------------------------------------------------------- parcels

// Parses the geometry with PostGIS, checks ST_IsValid and returns the
// ellipsoidal area. INVALID_ARGUMENT naming `field` with PostGIS's reason.
Result<double> MeasureGeometry(pqxx::work& txn, int encoding, const std::string& text,
                               const std::string& field);

Status InsertParcel(pqxx::work& txn, const v1::Parcel& p);
Result<v1::Parcel> GetParcel(pqxx::work& txn, const std::string& parcel_id, bool for_update);
// Writes the mutable columns: state, stock stage, batch, reserve/clear data,
// zone check, update time.
Status UpdateParcel(pqxx::work& txn, const v1::Parcel& p, const std::string& reserve_decision,
                    const std::string& clear_evidence);
Result<list::Page<v1::Parcel>> ListParcels(pqxx::work& txn, const ListQuery& q);

// Overlaps of the parcel with the current versions of the zone layers the
// supply gate consults, among layers covering the parcel's region.
Result<ZoneMeasurement> MeasureZones(pqxx::work& txn, const std::string& parcel_id);
// The same for the union of several parcels (an approval batch).
Result<ZoneMeasurement> MeasureZonesOfParcels(pqxx::work& txn,
                                              const std::vector<std::string>& parcel_ids);

// ---------------------------------------------------------------- batches

struct BatchRow {
  v1::ApprovalBatch batch;
  double supplied_area_m2 = 0;
};
Status InsertBatch(pqxx::work& txn, const v1::ApprovalBatch& b);
Result<BatchRow> GetBatch(pqxx::work& txn, const std::string& batch_id, bool for_update);
// `expropriation_record` (serialized RecordBatchExpropriationRequest documents)
// is kept when empty.
Status UpdateBatch(pqxx::work& txn, const v1::ApprovalBatch& b,
                   const std::string& expropriation_record);
Status AddSuppliedArea(pqxx::work& txn, const std::string& batch_id, double area_m2);
Result<list::Page<BatchRow>> ListBatches(pqxx::work& txn, const ListQuery& q);
// Stock-land figures of a region and the regions within it; `year` (0 = all)
// selects batches by plan year and disposals by the year they were made.
Result<v1::StockLandSummary> StockSummary(pqxx::work& txn, const std::string& region_code,
                                          int32_t year);
// Parcels of a batch set to `stage`.
Status SetParcelsStockStage(pqxx::work& txn, const std::string& batch_id, StockLandStage stage);

// ---------------------------------------------------------------- ledgers

// Locks the named credits and quotas (in id order, so concurrent approvals
// cannot deadlock) and returns what is left of each.
Result<std::map<std::string, LedgerAccount>> LockAccounts(pqxx::work& txn,
                                                          const std::vector<std::string>& ids);
Status UpdateAccount(pqxx::work& txn, const AccountAfter& a);
Status InsertLedgerEntry(pqxx::work& txn, const v1::LedgerEntry& e);
Result<std::vector<v1::LedgerEntry>> EntriesOfBatch(pqxx::work& txn, const std::string& batch_id);

// Inserts a credit unless one exists for the same source event; returns it
// and whether it was new.
Result<std::pair<v1::CompensationCredit, bool>> InsertCredit(pqxx::work& txn,
                                                             const v1::CompensationCredit& c);
Result<std::pair<v1::LinkageQuota, bool>> InsertQuota(pqxx::work& txn, const v1::LinkageQuota& q);
Result<v1::CompensationCredit> GetCredit(pqxx::work& txn, const std::string& credit_id);
Result<v1::LinkageQuota> GetQuota(pqxx::work& txn, const std::string& quota_id);
Result<list::Page<v1::CompensationCredit>> ListCredits(pqxx::work& txn, const ListQuery& q);
Result<list::Page<v1::LinkageQuota>> ListQuotas(pqxx::work& txn, const ListQuery& q);
Result<list::Page<v1::LedgerEntry>> ListEntries(pqxx::work& txn, const ListQuery& q);
// Balances of the region and the regions within it.
Result<v1::LedgerBalance> Balance(pqxx::work& txn, const std::string& region_code);

// ---------------------------------------------------------------- offers

struct OfferRow {
  v1::SupplyOffer offer;
  BoardState board;
  int32_t bidder_count = 0;
  std::optional<Date> result_on;
  std::optional<Date> contract_due;
  bool signing_overdue_raised = false;
  std::string grantee_bidder_number;
  int64_t price_fen = 0;
};
Status InsertOffer(pqxx::work& txn, const v1::SupplyOffer& o);
// The open (DRAFT to AWARDED) offer of a parcel, if any.
Result<std::optional<std::string>> OpenOfferOf(pqxx::work& txn, const std::string& parcel_id);
Result<OfferRow> GetOffer(pqxx::work& txn, const std::string& offer_id, bool for_update);
// Writes state, publication, result, zone check and update time.
Status UpdateOffer(pqxx::work& txn, const OfferRow& o, const std::string& cancel_reason);
Result<list::Page<OfferRow>> ListOffers(pqxx::work& txn, const ListQuery& q);

// Offers the scheduler must act on, oldest first (ids only; each is then
// handled in its own transaction under lock).
Result<std::vector<std::string>> OffersDueToOpen(pqxx::work& txn, TimePoint now, int limit);
Result<std::vector<std::string>> OffersDueToClose(pqxx::work& txn, TimePoint now, int limit);
Result<std::vector<std::string>> AwardsPastSigningDue(pqxx::work& txn, const Date& today,
                                                      int limit);
Status MarkSigningOverdue(pqxx::work& txn, const std::string& offer_id, TimePoint now);
// Lets the scheduler check the offer's signing deadline again (its date moved).
Status ClearSigningOverdue(pqxx::work& txn, const std::string& offer_id);

Result<v1::BidderRegistration> InsertBidder(pqxx::work& txn, const v1::BidderRegistration& b,
                                            const std::string& identity_key);
Result<std::optional<v1::BidderRegistration>> FindBidder(pqxx::work& txn,
                                                         const std::string& offer_id,
                                                         const std::string& bidder_number);
Status SetBidderCount(pqxx::work& txn, const std::string& offer_id, int32_t count);
Result<bool> BidderHasBid(pqxx::work& txn, const std::string& offer_id,
                          const std::string& bidder_number);
// Inserts the bid with the next sequence number and moves the offer's board.
Status InsertBid(pqxx::work& txn, const v1::Bid& bid, int64_t seq, bool raises_board);
Result<std::vector<BidRecord>> BidsOf(pqxx::work& txn, const std::string& offer_id);
Result<list::Page<v1::Bid>> ListBids(pqxx::work& txn, const std::string& offer_id,
                                     const ListQuery& q);
// Board as recorded (for reconciling the live board).
Result<BoardState> RecordedBoard(pqxx::work& txn, const std::string& offer_id);

// ---------------------------------------------------------------- contracts

struct ContractRow {
  v1::GrantContract contract;
  SupplyMethod method = SupplyMethod::kUnspecified;
  Date signed_on;
  StockLandStage stock_stage_before = StockLandStage::kUnspecified;
  int64_t deposit_available_fen = 0;
  int64_t idle_fee_charged_fen = 0;
  int64_t idle_fee_paid_fen = 0;
  std::string grantee_bidder_number;
  v1::Parcel parcel;  // filled by GetContract
};
Status InsertContract(pqxx::work& txn, const ContractRow& c);
Result<ContractRow> GetContract(pqxx::work& txn, const std::string& contract_id, bool for_update);
// Writes every mutable column.
Status UpdateContract(pqxx::work& txn, const ContractRow& c);
Status SetHandoverRecord(pqxx::work& txn, const std::string& contract_id, const std::string& bytes);
Result<list::Page<v1::GrantContract>> ListContracts(pqxx::work& txn, const ListQuery& q);

struct OverdueInstallment {
  std::string contract_id;
  int32_t idx = 0;
  Date due;
  int64_t amount_fen = 0;
};
// Installments past due with no overdue event yet, whose contracts are open.
Result<std::vector<std::string>> ContractsWithUnraisedOverdue(pqxx::work& txn, const Date& today,
                                                              int limit);
Status MarkInstallmentOverdue(pqxx::work& txn, const std::string& contract_id, int32_t idx,
                              TimePoint now);
Result<std::vector<std::pair<int32_t, bool>>> InstallmentRaisedFlags(
    pqxx::work& txn, const std::string& contract_id);

Result<v1::Payment> InsertPayment(pqxx::work& txn, const v1::Payment& p);
Result<list::Page<v1::Payment>> ListPayments(pqxx::work& txn, const ListQuery& q);

// Contracts the idle-land scan looks at: not started and the agreed start at
// least `min_years` full years back, or started with work stopped.
Result<std::vector<std::string>> ContractsForIdleScan(pqxx::work& txn, const Date& agreed_before,
                                                      const Date& stopped_before, int limit,
                                                      const std::string& after_id);

// ---------------------------------------------------------------- idle land

Result<bool> InsertIdleCase(pqxx::work& txn, const v1::IdleLandCase& c);
Result<v1::IdleLandCase> GetIdleCase(pqxx::work& txn, const std::string& case_id, bool for_update);
Status UpdateIdleCase(pqxx::work& txn, const v1::IdleLandCase& c);
Result<list::Page<v1::IdleLandCase>> ListIdleCases(pqxx::work& txn, const ListQuery& q);

}  // namespace nrp::land_supply::store
