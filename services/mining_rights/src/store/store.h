// The only code that knows mining rights' tables (migrations/0001_mining_rights.sql). Every
// function works inside the caller's transaction, so a use case's reads under lock, its
// writes and its outbox events commit together; statements take their input as parameters.
// A resource is kept whole as its contract message beside the columns the service locks,
// filters, orders and indexes on, both written from the same message.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "domain/right.h"
#include "domain/spatial_gate.h"
#include "nrp/auction/rules.h"
#include "nrp/core/calendar.h"
#include "nrp/core/status.h"
#include "nrp/list/list.h"
#include "nrp/mining_rights/v1/resources.pb.h"

namespace nrp::mining_rights::store {

namespace v1 = ::nrp::mining_rights::v1;

// ---------------------------------------------------------------- blocks and the gate

// A block read by PostGIS: valid, polygonal, its area on the ellipsoid and its hex EWKB
// (EPSG:4490) for the overlap queries. INVALID_ARGUMENT naming `field` otherwise.
struct Block {
  std::string hex_ewkb;
  double area_m2 = 0;
};
Result<Block> MeasureBlock(pqxx::work& tx, const nrp::common::v1::Geometry& g,
                           const std::string& field);

// What the spatial gate reads for a block in `region_code`: the zone layers in force and
// their zones meeting it (the shared replica), and the valid rights meeting it other than
// `except_right_ids` (the right being extended or changed).
Result<GateMeasurement> MeasureGate(pqxx::work& tx, const Block& block,
                                    const std::string& region_code,
                                    const std::vector<std::string>& except_right_ids = {});

// ---------------------------------------------------------------- offers and bids

struct OfferRow {
  v1::GrantOffer offer;
  auction::Board board;
  int bidder_count = 0;
};

const list::Spec& OfferList();
const list::Spec& BidList();
const list::Spec& ContractList();
const list::Spec& RightList();
const list::Spec& AnnualReportList();
const list::Spec& AbnormalEntryList();

Status InsertOffer(pqxx::work& tx, const v1::GrantOffer& offer, const std::string& hex_ewkb);
// NOT_FOUND when absent.
Result<OfferRow> GetOffer(pqxx::work& tx, const std::string& offer_id, bool for_update);
// The message and its state, bidding times and update time.
Status UpdateOffer(pqxx::work& tx, const v1::GrantOffer& offer);
Result<list::Page<v1::GrantOffer>> ListOffers(pqxx::work& tx, const list::Query& q,
                                              const std::vector<std::string>& region_prefixes);
// Offers whose state has bidding due to open (PUBLISHED, start reached) or to end.
Result<std::vector<std::string>> OffersDueToClose(pqxx::work& tx, TimePoint now, int limit);

Result<std::optional<v1::GrantBidder>> FindBidder(pqxx::work& tx, const std::string& offer_id,
                                                  const std::string& bidder_number);
// Registers the bidder with the offer's next bidder number ("001", …). ALREADY_EXISTS when
// the party holds a registration for the offer.
Result<v1::GrantBidder> InsertBidder(pqxx::work& tx, v1::GrantBidder bidder,
                                     const std::string& identity_key);
Result<bool> BidderHasBid(pqxx::work& tx, const std::string& offer_id,
                          const std::string& bidder_number);
// The bid with its sequence number; the offer's board when `raises`.
Status InsertBid(pqxx::work& tx, const v1::GrantBid& bid, int64_t seq, bool raises);
Result<std::vector<auction::Bid>> BidsOf(pqxx::work& tx, const std::string& offer_id);
Result<list::Page<v1::GrantBid>> ListBids(pqxx::work& tx, const std::string& offer_id,
                                          const list::Query& q);

// ---------------------------------------------------------------- contracts

Status InsertContract(pqxx::work& tx, const v1::GrantContract& c);
// NOT_FOUND when absent.
Result<v1::GrantContract> GetContract(pqxx::work& tx, const std::string& contract_id,
                                      bool for_update);
Result<bool> OfferHasContract(pqxx::work& tx, const std::string& offer_id);
Status UpdateContract(pqxx::work& tx, const v1::GrantContract& c);
Result<list::Page<v1::GrantContract>> ListContracts(
    pqxx::work& tx, const list::Query& q, const std::vector<std::string>& region_prefixes);

// ---------------------------------------------------------------- rights

Status InsertRight(pqxx::work& tx, const v1::MiningRight& r, const std::string& hex_ewkb,
                   const std::string& holder_key);
// NOT_FOUND when absent.
Result<v1::MiningRight> GetRight(pqxx::work& tx, const std::string& right_id, bool for_update);
// The message and its state, validity, holder, numbers, mineral and block (`hex_ewkb` empty:
// unchanged). ALREADY_EXISTS when a new licence number is held by another right.
Status UpdateRight(pqxx::work& tx, const v1::MiningRight& r, const std::string& hex_ewkb,
                   const std::string& holder_key);
// Whether any right, in any state, carries or carried `number` (as its licence number or its
// older 18-character one): numbers are permanent.
Result<bool> LicenceNumberHeld(pqxx::work& tx, const std::string& number);
// Valid rights of every region (the public register) and the others within `region_prefixes`
// (every region when empty).
Result<list::Page<v1::MiningRight>> ListRights(pqxx::work& tx, const list::Query& q,
                                               const std::vector<std::string>& region_prefixes);
// The shortest distance on the ellipsoid between the blocks of two rights, in metres.
Result<double> GapBetween(pqxx::work& tx, const std::string& right_a, const std::string& right_b);
// Whether `block` lies within the current block of `right_id` (a retained part).
Result<bool> WithinBlock(pqxx::work& tx, const Block& block, const std::string& right_id);
// Whether the interiors of two blocks meet (parts of a split may only touch).
Result<bool> BlocksOverlap(pqxx::work& tx, const Block& a, const Block& b);
// The area in m² (on the ellipsoid) of the current block of `right_id` that none of `parts`
// covers (a split's parts must cover it).
Result<double> AreaNotCoveredBy(pqxx::work& tx, const std::string& right_id,
                                const std::vector<Block>& parts);
// The union of the rights' blocks (a merge) as WKT (EPSG:4490).
Result<std::string> UnionOfRights(pqxx::work& tx, const std::vector<std::string>& right_ids);
// The ledger sequence of the right's restoration fund entry last applied (0 for none), and
// setting it.
Result<int64_t> FundEntrySequence(pqxx::work& tx, const std::string& right_id);
Status SetFundEntrySequence(pqxx::work& tx, const std::string& right_id, int64_t sequence);
// VALID rights whose last day of validity is before `today` (China date).
Result<std::vector<std::string>> RightsDueToLapse(pqxx::work& tx, const Date& today, int limit);

// ---------------------------------------------------------------- annual reports

// ALREADY_EXISTS when the right has a report on the year (one per right and year).
Status InsertAnnualReport(pqxx::work& tx, const v1::AnnualReport& report,
                          const std::string& region_code);
// The years `right_id` has reported on.
Result<std::set<int>> ReportedYears(pqxx::work& tx, const std::string& right_id);
Result<list::Page<v1::AnnualReport>> ListAnnualReports(pqxx::work& tx, const list::Query& q);

// ---------------------------------------------------------------- the abnormal list

// The rights that owe annual reports (VALID or CLOSED) as the domain reads them, with the
// years they reported on; only `right_id` when set.
Result<std::vector<ReportingRight>> ReportingRights(pqxx::work& tx,
                                                    const std::string& right_id = "");
// Every (right, year) ever listed for a missing report, removed or not (an entry is listed
// once); only `right_id`'s when set.
Result<std::vector<AbnormalListing>> MissingReportListings(pqxx::work& tx,
                                                           const std::string& right_id = "");
// Inserts the entry; false (and nothing written) when the (right, year, reason) has one.
Result<bool> InsertAbnormalEntry(pqxx::work& tx, const v1::AbnormalEntry& e,
                                 const std::string& region_code);
// NOT_FOUND when absent.
Result<v1::AbnormalEntry> GetAbnormalEntry(pqxx::work& tx, const std::string& entry_id,
                                           bool for_update);
// The entry still listed for (right, year, reason), locked.
Result<std::optional<v1::AbnormalEntry>> ListedEntry(pqxx::work& tx, const std::string& right_id,
                                                     int year, v1::AbnormalReason reason);
// The message and its removal time.
Status UpdateAbnormalEntry(pqxx::work& tx, const v1::AbnormalEntry& e);
// How many entries of `right_id` are listed (not removed).
Result<int64_t> ListedEntryCount(pqxx::work& tx, const std::string& right_id);
Result<list::Page<v1::AbnormalEntry>> ListAbnormalEntries(pqxx::work& tx, const list::Query& q);

// The next value of a counter, locked until the transaction ends (1 for a new counter).
Result<int64_t> NextNumber(pqxx::work& tx, const std::string& counter);

}  // namespace nrp::mining_rights::store
