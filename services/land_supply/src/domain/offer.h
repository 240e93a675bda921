// Supply offers (供地方案) and competitive grants: the method rules (Order 39
// art. 4; 划拨用地目录), maximum terms (暂行条例 art. 12), the notice and listing
// periods (Order 39 arts. 10, 17), bids, and the result (Order 39 art. 19).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/rules.h"
#include "nrp/auction/rules.h"
#include "domain/types.h"

namespace nrp::land_supply {

// An offer as a caller describes it (CreateOffer).
struct OfferTerms {
  std::string region_code;
  std::string parcel_id;
  int method = 0;
  int land_use = 0;
  int term_years = 0;
  int64_t starting_price_fen = 0;
  int64_t reserve_price_fen = 0;  // 0 = no reserve beyond the starting price
  int64_t bid_increment_fen = 0;
  int64_t deposit_fen = 0;
  int intending_users = 0;
  std::string allocation_catalogue_item;
  std::string special_conditions;
  std::optional<TimePoint> bidding_start;
  std::optional<TimePoint> bidding_end;
};

inline bool IsCompetitive(SupplyMethod m) {
  return m == SupplyMethod::kTender || m == SupplyMethod::kAuction || m == SupplyMethod::kListing;
}
// Auction and listing raise on the current highest bid; a tender takes sealed bids.
inline bool IsAscending(SupplyMethod m) {
  return m == SupplyMethod::kAuction || m == SupplyMethod::kListing;
}

// Field checks (INVALID_ARGUMENT, "offer.<field>") and the legal rules that
// depend on the terms alone (FAILED_PRECONDITION): competitive methods for
// the uses and parcels that need them, allocation only for catalogue
// purposes, the maximum term, the listing period.
Status ValidateOfferTerms(const OfferTerms& t, const Rules& rules);

// The parcel's region must be the offer's region or lie within it.
Status CheckOfferRegion(const std::string& offer_region, const std::string& parcel_region);

// Publishing (出让公告): DRAFT only; for tender, auction and listing the notice
// comes at least `min_notice_days` before bidding starts, and bidding must not
// have started.
struct OfferSchedule {
  std::string offer_id;
  OfferState state = OfferState::kUnspecified;
  SupplyMethod method = SupplyMethod::kUnspecified;
  std::optional<TimePoint> bidding_start;
  std::optional<TimePoint> bidding_end;
};
Status CheckPublish(const OfferSchedule& o, TimePoint now, const Rules& rules);

// Cancelling: before the result; or an award whose contract signing is
// overdue (the grantee defaulted).
Status CheckCancel(const OfferSchedule& o, bool signing_overdue);

// Registering a bidder: PUBLISHED or BIDDING, before bidding ends, deposit paid.
Status CheckRegisterBidder(const OfferSchedule& o, int64_t deposit_required_fen,
                           int64_t deposit_paid_fen, TimePoint now);

// The live state of bidding on one offer: the record's highest valid bid (the shared
// engine's, libs/auction).
using BoardState = auction::Board;

struct BidRules {
  std::string offer_id;
  OfferState state = OfferState::kUnspecified;
  SupplyMethod method = SupplyMethod::kUnspecified;
  TimePoint bidding_start;
  TimePoint bidding_end;
  int64_t starting_price_fen = 0;
  int64_t bid_increment_fen = 0;
};

// The engine's lot for an offer: tender, auction and listing as they are; any other
// method, which takes no bids, as a tender (no ascending board).
auction::Lot LotOf(const BidRules& o);
auction::Method AuctionMethodOf(SupplyMethod m);

// The smallest amount the next bid may have (auction::MinimumAcceptableBid).
int64_t MinimumAcceptableBid(const BidRules& o, const BoardState& board);

// Whether the offer takes bids at all: PUBLISHED or BIDDING, and a tender, auction or listing.
Status CheckBiddable(const BidRules& o);

// A bid is accepted while the offer is PUBLISHED or BIDDING and the clock is in
// [bidding_start, bidding_end); for auction and listing it must reach
// MinimumAcceptableBid (refused with that amount in the message); a tender
// takes one sealed bid per bidder, at least the starting price.
Status CheckBid(const BidRules& o, const BoardState& board, int64_t amount_fen, TimePoint now,
                bool bidder_has_bid);

// An accepted bid as recorded.
using BidRecord = auction::Bid;

struct CloseDecision {
  ResultOutcome outcome = ResultOutcome::kUnspecified;
  std::optional<BidRecord> winner;
  int64_t price_fen = 0;
  int64_t highest_fen = 0;
  int valid_bid_count = 0;
  std::string failure_reason;
};

struct CloseFacts {
  std::string offer_id;
  OfferState state = OfferState::kUnspecified;
  SupplyMethod method = SupplyMethod::kUnspecified;
  std::optional<TimePoint> bidding_end;
  int64_t starting_price_fen = 0;
  int64_t reserve_price_fen = 0;
  std::vector<BidRecord> bids;  // every accepted bid
};

// Auction and listing, at or after the end of bidding: the highest bid wins if
// it is at or above the reserve price (and the starting price), else the sale
// failed (流拍). For a tender `chosen_bid_id` names the evaluation committee's
// choice, which must be a bid at or above the reserve price.
Result<CloseDecision> DecideCompetitiveClose(const CloseFacts& f, TimePoint now,
                                             const std::string& chosen_bid_id);

// Allocation, negotiated grant and lease by agreement close when PUBLISHED with
// the agreed grantee and price; a negotiated price is not below the reserve.
Result<CloseDecision> DecideAgreedClose(const CloseFacts& f, int64_t agreed_price_fen,
                                        bool grantee_given);

// The contract is due within `contract_signing_working_days` working days of
// the result: how that day is counted, and the day.
DeadlineRule ContractDueRule(const Date& result_day, const Rules& rules);
Result<Date> ContractDueDate(const Date& result_day, const WorkingCalendar& calendar,
                             const Rules& rules);

}  // namespace nrp::land_supply
