#include "domain/offer.h"

#include <algorithm>
#include <chrono>

namespace nrp::land_supply {

namespace {

constexpr auto kDay = std::chrono::hours(24);

std::string Days(std::chrono::system_clock::duration d) {
  double days = std::chrono::duration<double>(d).count() / 86400.0;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.2f days", days);
  return buf;
}

Status MoneyField(int64_t fen, const char* field, bool positive) {
  if (fen < 0 || (positive && fen == 0)) {
    return Error::InvalidArgument(std::string("offer.") + field,
                                  positive ? "must be more than 0 fen" : "must not be negative");
  }
  return Ok();
}

}  // namespace

Status ValidateOfferTerms(const OfferTerms& t, const Rules& rules) {
  NRP_RETURN_IF_ERROR(RegionCode::Parse(t.region_code, "offer.region_code"));
  if (t.parcel_id.empty()) return Error::InvalidArgument("offer.parcel_id", "required");
  if (!InEnumRange(t.method, kSupplyMethodMax)) {
    return Error::InvalidArgument(
        "offer.method", "must be a SupplyMethod value other than SUPPLY_METHOD_UNSPECIFIED, got " +
                            std::to_string(t.method));
  }
  if (!InEnumRange(t.land_use, kLandUseMax)) {
    return Error::InvalidArgument("offer.land_use",
                                  "must be a LandUse value other than LAND_USE_UNSPECIFIED, got " +
                                      std::to_string(t.land_use));
  }
  if (t.intending_users < 0) {
    return Error::InvalidArgument("offer.intending_users", "must not be negative");
  }
  if (t.special_conditions.size() > 20000) {
    return Error::InvalidArgument("offer.special_conditions", "at most 20000 bytes");
  }
  auto method = static_cast<SupplyMethod>(t.method);
  auto use = static_cast<LandUse>(t.land_use);
  bool competitive = IsCompetitive(method);

  NRP_RETURN_IF_ERROR(MoneyField(t.starting_price_fen, "starting_price", competitive));
  NRP_RETURN_IF_ERROR(MoneyField(t.reserve_price_fen, "reserve_price", false));
  NRP_RETURN_IF_ERROR(MoneyField(t.deposit_fen, "deposit", false));
  NRP_RETURN_IF_ERROR(MoneyField(t.bid_increment_fen, "bid_increment", IsAscending(method)));

  if (competitive) {
    if (!t.bidding_start) return Error::InvalidArgument("offer.bidding_start", "required");
    if (!t.bidding_end) return Error::InvalidArgument("offer.bidding_end", "required");
    if (*t.bidding_end <= *t.bidding_start) {
      return Error::InvalidArgument("offer.bidding_end", "must be after bidding_start");
    }
  } else if (t.bidding_start || t.bidding_end) {
    if (!t.bidding_start || !t.bidding_end || *t.bidding_end <= *t.bidding_start) {
      return Error::InvalidArgument("offer.bidding_end",
                                    "when given, bidding_start and bidding_end form a period");
    }
  }

  // Order 39 art. 4: these uses and any parcel with two or more intending
  // users go to tender, auction or listing.
  if (!competitive && rules.competitive_uses.count(use)) {
    return Error::FailedPrecondition(
        "COMPETITIVE_SUPPLY_REQUIRED", std::string(LandUseName(use)),
        std::string(LandUseName(use)) +
            " land must be supplied by tender, auction or listing (Order 39 art. 4), not by " +
            std::string(SupplyMethodName(method)));
  }
  if (!competitive && t.intending_users >= rules.competitive_min_intending_users) {
    return Error::FailedPrecondition(
        "COMPETITIVE_SUPPLY_REQUIRED", t.parcel_id,
        "a parcel with " + std::to_string(t.intending_users) +
            " intending users must be supplied by tender, auction or listing (Order 39 art. 4), "
            "not by " +
            std::string(SupplyMethodName(method)));
  }

  if (method == SupplyMethod::kAllocation) {
    if (t.allocation_catalogue_item.empty()) {
      return Error::InvalidArgument("offer.allocation_catalogue_item",
                                    "required for an allocation (划拨用地目录 item)");
    }
    const CatalogueItem* item = rules.FindCatalogueItem(t.allocation_catalogue_item);
    if (!item) {
      return Error::FailedPrecondition(
          "NOT_IN_ALLOCATION_CATALOGUE", t.allocation_catalogue_item,
          "'" + t.allocation_catalogue_item +
              "' is not an item of the allocation catalogue (划拨用地目录); allocation is only "
              "for catalogue purposes");
    }
    if (!item->uses.count(use)) {
      return Error::FailedPrecondition(
          "NOT_IN_ALLOCATION_CATALOGUE", item->code,
          "allocation catalogue item " + item->code + " (" + item->name + ") does not cover " +
              std::string(LandUseName(use)) + " use; allocation is only for catalogue purposes");
    }
    if (t.term_years != 0) {
      return Error::InvalidArgument("offer.term_years",
                                    "must be 0 for an allocation (allocated land has no term)");
    }
  } else {
    if (!t.allocation_catalogue_item.empty()) {
      return Error::InvalidArgument("offer.allocation_catalogue_item",
                                    "only an allocation names a catalogue item");
    }
    if (t.term_years <= 0) {
      return Error::InvalidArgument("offer.term_years", "must be at least 1 year");
    }
    int max = rules.MaxTermYears(use);
    if (t.term_years > max) {
      return Error::FailedPrecondition("TERM_EXCEEDS_MAXIMUM", std::string(LandUseName(use)),
                                       "the term of " + std::to_string(t.term_years) +
                                           " years exceeds the maximum of " + std::to_string(max) +
                                           " years for " + std::string(LandUseName(use)) +
                                           " use (暂行条例 art. 12)");
    }
  }

  if (method == SupplyMethod::kListing) {
    auto open = *t.bidding_end - *t.bidding_start;
    if (open < rules.min_listing_days * kDay) {
      return Error::FailedPrecondition(
          "LISTING_PERIOD_TOO_SHORT", t.parcel_id,
          "a listing stays open at least " + std::to_string(rules.min_listing_days) +
              " days (Order 39 art. 17); bidding_start to bidding_end is " + Days(open));
    }
  }
  if (competitive && t.reserve_price_fen > 0 && t.reserve_price_fen < t.starting_price_fen) {
    return Error::InvalidArgument("offer.reserve_price",
                                  "must not be below the starting price when set");
  }
  return Ok();
}

Status CheckOfferRegion(const std::string& offer_region, const std::string& parcel_region) {
  NRP_ASSIGN_OR_RETURN(auto offer, RegionCode::Parse(offer_region, "offer.region_code"));
  NRP_ASSIGN_OR_RETURN(auto parcel, RegionCode::Parse(parcel_region, "parcel.region_code"));
  if (!offer.Contains(parcel)) {
    return Error::InvalidArgument("offer.region_code", "parcel lies in region " + parcel_region +
                                                           ", which is not within " + offer_region);
  }
  return Ok();
}

Status CheckPublish(const OfferSchedule& o, TimePoint now, const Rules& rules) {
  if (o.state != OfferState::kDraft) {
    return Error::FailedPrecondition("OFFER_STATE", o.offer_id,
                                     "offer " + o.offer_id + " is " +
                                         std::string(OfferStateName(o.state)) +
                                         "; only a DRAFT offer can be published");
  }
  if (IsCompetitive(o.method)) {
    auto lead = *o.bidding_start - now;
    if (lead < rules.min_notice_days * kDay) {
      return Error::FailedPrecondition(
          "NOTICE_PERIOD_TOO_SHORT", o.offer_id,
          "the grant notice must be published at least " + std::to_string(rules.min_notice_days) +
              " days before bidding starts (Order 39 art. 10); bidding starts " +
              FormatRfc3339(*o.bidding_start) + ", " + Days(lead) + " from now");
    }
  }
  return Ok();
}

Status CheckCancel(const OfferSchedule& o, bool signing_overdue) {
  switch (o.state) {
    case OfferState::kDraft:
    case OfferState::kPublished:
    case OfferState::kBidding:
      return Ok();
    case OfferState::kAwarded:
      if (signing_overdue) return Ok();
      return Error::FailedPrecondition(
          "OFFER_STATE", o.offer_id,
          "offer " + o.offer_id +
              " is AWARDED and its contract is not overdue; an award is cancelled only when "
              "the grantee failed to sign in time");
    default:
      return Error::FailedPrecondition("OFFER_STATE", o.offer_id,
                                       "offer " + o.offer_id + " is " +
                                           std::string(OfferStateName(o.state)) +
                                           " and can no longer be cancelled");
  }
}

Status CheckRegisterBidder(const OfferSchedule& o, int64_t deposit_required_fen,
                           int64_t deposit_paid_fen, TimePoint now) {
  if (o.state != OfferState::kPublished && o.state != OfferState::kBidding) {
    return Error::FailedPrecondition("OFFER_STATE", o.offer_id,
                                     "offer " + o.offer_id + " is " +
                                         std::string(OfferStateName(o.state)) +
                                         "; bidders register while it is PUBLISHED or BIDDING");
  }
  if (!IsCompetitive(o.method)) {
    return Error::FailedPrecondition("NOT_COMPETITIVE", o.offer_id,
                                     "offer " + o.offer_id + " is a " +
                                         std::string(SupplyMethodName(o.method)) +
                                         " and takes no bidders");
  }
  if (o.bidding_end && now >= *o.bidding_end) {
    return Error::FailedPrecondition(
        "BIDDING_CLOSED", o.offer_id,
        "bidding on offer " + o.offer_id + " ended at " + FormatRfc3339(*o.bidding_end));
  }
  if (deposit_paid_fen < 0) {
    return Error::InvalidArgument("deposit_paid", "must not be negative");
  }
  if (deposit_paid_fen < deposit_required_fen) {
    return Error::FailedPrecondition("DEPOSIT_NOT_PAID", o.offer_id,
                                     "deposit paid " + FormatMoney(deposit_paid_fen) +
                                         " is less than the required deposit " +
                                         FormatMoney(deposit_required_fen));
  }
  return Ok();
}

auction::Method AuctionMethodOf(SupplyMethod m) {
  switch (m) {
    case SupplyMethod::kAuction: return auction::Method::kAuction;
    case SupplyMethod::kListing: return auction::Method::kListing;
    default: return auction::Method::kTender;
  }
}

auction::Lot LotOf(const BidRules& o) {
  auction::Lot lot;
  lot.id = o.offer_id;
  lot.noun = "offer";
  lot.method = AuctionMethodOf(o.method);
  lot.bidding_start = o.bidding_start;
  lot.bidding_end = o.bidding_end;
  lot.starting_price_fen = o.starting_price_fen;
  lot.bid_increment_fen = o.bid_increment_fen;
  return lot;
}

int64_t MinimumAcceptableBid(const BidRules& o, const BoardState& board) {
  return auction::MinimumAcceptableBid(LotOf(o), board);
}

Status CheckBid(const BidRules& o, const BoardState& board, int64_t amount_fen, TimePoint now,
                bool bidder_has_bid) {
  if (amount_fen <= 0) return Error::InvalidArgument("amount.fen", "must be more than 0 fen");
  NRP_RETURN_IF_ERROR(CheckBiddable(o));
  return auction::CheckBid(LotOf(o), board, amount_fen, now, bidder_has_bid);
}

Status CheckBiddable(const BidRules& o) {
  if (o.state != OfferState::kPublished && o.state != OfferState::kBidding) {
    return Error::FailedPrecondition("OFFER_STATE", o.offer_id,
                                     "offer " + o.offer_id + " is " +
                                         std::string(OfferStateName(o.state)) +
                                         "; bids are taken only while bidding runs");
  }
  if (!IsCompetitive(o.method)) {
    return Error::FailedPrecondition("NOT_COMPETITIVE", o.offer_id,
                                     "offer " + o.offer_id + " is a " +
                                         std::string(SupplyMethodName(o.method)) +
                                         " and takes no bids");
  }
  return Ok();
}

Result<CloseDecision> DecideCompetitiveClose(const CloseFacts& f, TimePoint now,
                                             const std::string& chosen_bid_id) {
  if (f.state != OfferState::kBidding && f.state != OfferState::kPublished) {
    return Error::FailedPrecondition("OFFER_STATE", f.offer_id,
                                     "offer " + f.offer_id + " is " +
                                         std::string(OfferStateName(f.state)) +
                                         "; only an offer in bidding can be closed");
  }
  if (!IsCompetitive(f.method)) {
    return Error::FailedPrecondition(
        "OFFER_METHOD", f.offer_id, "offer " + f.offer_id + " is not a tender, auction or listing");
  }
  if (!f.bidding_end) {
    return Error::FailedPrecondition("BIDDING_NOT_ENDED", f.offer_id,
                                     "bidding on offer " + f.offer_id + " runs until ?");
  }
  auction::Lot lot;
  lot.id = f.offer_id;
  lot.noun = "offer";
  lot.method = AuctionMethodOf(f.method);
  lot.bidding_end = *f.bidding_end;
  lot.starting_price_fen = f.starting_price_fen;
  lot.reserve_price_fen = f.reserve_price_fen;
  NRP_ASSIGN_OR_RETURN(auction::Decision d, auction::Decide(lot, f.bids, now, chosen_bid_id));
  CloseDecision out;
  out.outcome = d.awarded ? ResultOutcome::kAwarded : ResultOutcome::kFailed;
  out.winner = d.winner;
  out.price_fen = d.price_fen;
  out.highest_fen = d.highest_fen;
  out.valid_bid_count = d.valid_bid_count;
  out.failure_reason = d.failure_reason;
  return out;
}

Result<CloseDecision> DecideAgreedClose(const CloseFacts& f, int64_t agreed_price_fen,
                                        bool grantee_given) {
  if (IsCompetitive(f.method)) {
    return Error::FailedPrecondition("OFFER_METHOD", f.offer_id,
                                     "offer " + f.offer_id + " is a " +
                                         std::string(SupplyMethodName(f.method)) +
                                         "; it closes on its bids, not on an agreed grantee");
  }
  if (f.state != OfferState::kPublished) {
    return Error::FailedPrecondition("OFFER_STATE", f.offer_id,
                                     "offer " + f.offer_id + " is " +
                                         std::string(OfferStateName(f.state)) +
                                         "; an agreed supply closes once it is PUBLISHED");
  }
  if (!grantee_given) return Error::InvalidArgument("agreed_grantee", "required");
  if (agreed_price_fen < 0) return Error::InvalidArgument("agreed_price", "must not be negative");
  if (f.method == SupplyMethod::kNegotiated && agreed_price_fen < f.reserve_price_fen) {
    return Error::FailedPrecondition("BELOW_RESERVE_PRICE", f.offer_id,
                                     "the negotiated price " + FormatMoney(agreed_price_fen) +
                                         " is below the reserve price of the offer");
  }
  CloseDecision d;
  d.outcome = ResultOutcome::kAwarded;
  d.price_fen = agreed_price_fen;
  d.highest_fen = agreed_price_fen;
  return d;
}

DeadlineRule ContractDueRule(const Date& result_day, const Rules& rules) {
  return DeadlineRule::After(result_day, rules.contract_signing_working_days);
}

Result<Date> ContractDueDate(const Date& result_day, const WorkingCalendar& calendar,
                             const Rules& rules) {
  NRP_ASSIGN_OR_RETURN(Deadline d, calendar.Compute(ContractDueRule(result_day, rules)));
  return d.date;
}

}  // namespace nrp::land_supply
