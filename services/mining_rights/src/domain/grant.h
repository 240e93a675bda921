// How a right is granted (矿业权出让): competition (tender, auction, listing) is the rule,
// negotiation the narrow exception of 自然资规〔2023〕6号; construction stone is granted clean
// (净矿) and by competition (Luoyang plan L307); and the notice and listing periods of a
// competitive grant (Rules: the floors of rules.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/minerals.h"
#include "domain/rules.h"
#include "domain/types.h"

namespace nrp::mining_rights {

// The facts a negotiated grant rests on, as the granting authority records them.
struct NegotiationFacts {
  // Who the right would be granted to.
  std::string applicant_id;
  // The project is a key construction project approved by the State Council.
  bool state_council_key_project = false;
  // Holder of the existing mining right whose deep, upper, surrounding or scattered
  // resources the block holds; unset when there is none.
  std::optional<std::string> existing_mine_holder_id;
  // Holders of the rights on either side of the gap, and the gap's width in metres.
  std::vector<std::string> adjacent_right_holder_ids;
  std::optional<double> gap_m;
};

struct GrantPlan {
  std::string offer_id;  // named in refusals
  const Mineral* mineral = nullptr;
  GrantMethod method = GrantMethod::kUnspecified;
  NegotiationBasis basis = NegotiationBasis::kUnspecified;
  bool clean_grant = false;
  NegotiationFacts facts;
};

// INVALID_ARGUMENT for an unset mineral ("offer.main_mineral") or method ("offer.method"),
// or a basis named for a competitive grant ("offer.negotiation_basis"). FAILED_PRECONDITION:
//  GRANT_METHOD_NOT_ALLOWED     first come (申请在先) is no longer a way to grant
//  CLEAN_GRANT_REQUIRED         construction stone not granted clean
//  CONSTRUCTION_STONE_COMPETITIVE_ONLY  construction stone by negotiation
//  NEGOTIATION_EXCLUDES_SAND_GRAVEL_CLAY  ordinary sand, gravel, clay by negotiation,
//                               whatever the ground
//  NEGOTIATION_BASIS_MISSING    negotiation without a ground
//  NEGOTIATION_MINERAL_NOT_RARE_EARTH_OR_RADIOACTIVE
//  NEGOTIATION_NOT_STATE_COUNCIL_KEY_PROJECT
//  NEGOTIATION_NO_EXISTING_MINE, NEGOTIATION_EXISTING_MINE_OTHER_HOLDER
//  NEGOTIATION_ADJACENT_RIGHTS_OTHER_HOLDER (fewer than two adjacent rights, or one not
//                               the applicant's), NEGOTIATION_GAP_TOO_WIDE
// The gap itself must be given and not negative (INVALID_ARGUMENT "negotiation.gap_m").
Status CheckGrantMethod(const GrantPlan& plan, const Rules& rules);

// A competitive grant's schedule.
struct CompetitionSchedule {
  std::string offer_id;
  GrantMethod method = GrantMethod::kUnspecified;
  TimePoint bidding_start;
  TimePoint bidding_end;
};

// Publishing the notice at `published_at`: for tender, auction and listing at least
// Rules::NoticeDays() days (of 24 hours) before bidding starts (NOTICE_PERIOD_TOO_SHORT).
Status CheckNoticePeriod(const CompetitionSchedule& s, TimePoint published_at, const Rules& rules);
// Bidding ends after it starts (INVALID_ARGUMENT "offer.bidding_end"); a listing stays open
// at least Rules::ListingDays() days (LISTING_PERIOD_TOO_SHORT).
Status CheckBiddingPeriod(const CompetitionSchedule& s, const Rules& rules);

}  // namespace nrp::mining_rights
