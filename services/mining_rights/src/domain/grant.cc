#include "domain/grant.h"

#include <chrono>

namespace nrp::mining_rights {

namespace {

constexpr auto kDay = std::chrono::hours(24);

std::string MineralText(const Mineral& m) {
  return std::string(m.name) + " (" + std::string(m.code) + ")";
}

std::string DaysText(TimePoint::duration d) {
  double days = std::chrono::duration<double>(d).count() / 86400.0;
  return FormatNumber(days) + " days";
}

Status CheckNegotiation(const GrantPlan& p, const Rules& rules) {
  const Mineral& m = *p.mineral;
  const NegotiationFacts& f = p.facts;
  switch (p.basis) {
    case NegotiationBasis::kUnspecified:
      return Error::FailedPrecondition(
          "NEGOTIATION_BASIS_MISSING", p.offer_id,
          "offer " + p.offer_id +
              " is a negotiated grant without a ground; negotiation is allowed only for rare "
              "earth or radioactive minerals, State Council key projects, resources of an "
              "existing mine of the same holder, or a gap between one holder's rights "
              "(自然资规〔2023〕6号)");
    case NegotiationBasis::kRareEarthOrRadioactive:
      if (!m.rare_earth && !m.radioactive) {
        return Error::FailedPrecondition("NEGOTIATION_MINERAL_NOT_RARE_EARTH_OR_RADIOACTIVE",
                                         p.offer_id,
                                         "offer " + p.offer_id + ": " + MineralText(m) +
                                             " is neither a rare earth nor a radioactive mineral");
      }
      return Ok();
    case NegotiationBasis::kStateCouncilKeyProject:
      if (!f.state_council_key_project) {
        return Error::FailedPrecondition(
            "NEGOTIATION_NOT_STATE_COUNCIL_KEY_PROJECT", p.offer_id,
            "offer " + p.offer_id +
                " does not serve a key construction project approved by the State Council");
      }
      return Ok();
    case NegotiationBasis::kExistingMineExtension:
      if (!f.existing_mine_holder_id) {
        return Error::FailedPrecondition(
            "NEGOTIATION_NO_EXISTING_MINE", p.offer_id,
            "offer " + p.offer_id +
                " names no existing mine whose deep, upper, surrounding or scattered resources "
                "the block holds");
      }
      if (*f.existing_mine_holder_id != f.applicant_id) {
        return Error::FailedPrecondition("NEGOTIATION_EXISTING_MINE_OTHER_HOLDER", p.offer_id,
                                         "offer " + p.offer_id + ": the existing mine is held by " +
                                             *f.existing_mine_holder_id +
                                             ", not by the applicant " + f.applicant_id);
      }
      return Ok();
    case NegotiationBasis::kAdjacentGap: {
      if (f.adjacent_right_holder_ids.size() < 2) {
        return Error::FailedPrecondition(
            "NEGOTIATION_ADJACENT_RIGHTS_OTHER_HOLDER", p.offer_id,
            "offer " + p.offer_id + ": a gap lies between two rights of the applicant; " +
                std::to_string(f.adjacent_right_holder_ids.size()) + " adjacent right(s) given");
      }
      for (const auto& h : f.adjacent_right_holder_ids) {
        if (h != f.applicant_id) {
          return Error::FailedPrecondition("NEGOTIATION_ADJACENT_RIGHTS_OTHER_HOLDER", p.offer_id,
                                           "offer " + p.offer_id +
                                               ": an adjacent right is held by " + h +
                                               ", not by the applicant " + f.applicant_id);
        }
      }
      if (!f.gap_m || !(*f.gap_m >= 0)) {
        return Error::InvalidArgument("negotiation.gap_m",
                                      "the width of the gap in metres is required and not "
                                      "negative");
      }
      const double max = rules.MaxAdjacentGapMetres();
      if (*f.gap_m > max) {
        return Error::FailedPrecondition(
            "NEGOTIATION_GAP_TOO_WIDE", p.offer_id,
            "offer " + p.offer_id + ": the gap between the applicant's rights is " +
                FormatNumber(*f.gap_m) + " m, wider than the " + FormatNumber(max) +
                " m a negotiated grant may fill (自然资规〔2023〕6号: about 300 m)");
      }
      return Ok();
    }
  }
  return Error::InvalidArgument("offer.negotiation_basis", "unknown value");
}

}  // namespace

Status CheckGrantMethod(const GrantPlan& p, const Rules& rules) {
  if (!p.mineral) return Error::InvalidArgument("offer.main_mineral", "is required");
  const Mineral& m = *p.mineral;
  if (p.method == GrantMethod::kUnspecified || static_cast<int>(p.method) < 0 ||
      static_cast<int>(p.method) > kGrantMethodMax) {
    return Error::InvalidArgument("offer.method",
                                  "must be TENDER, AUCTION, LISTING or NEGOTIATION");
  }
  if (p.method == GrantMethod::kApplicationFirst) {
    return Error::FailedPrecondition(
        "GRANT_METHOD_NOT_ALLOWED", p.offer_id,
        "offer " + p.offer_id +
            ": first come (申请在先) survives only in older licence numbers; a right is granted "
            "by tender, auction or listing, or by negotiation on a ground of 自然资规〔2023〕6号");
  }
  if (m.construction_stone && !p.clean_grant) {
    return Error::FailedPrecondition(
        "CLEAN_GRANT_REQUIRED", p.offer_id,
        "offer " + p.offer_id + ": construction stone " + MineralText(m) +
            " is granted clean (净矿: no overlapping rights or restricted zones, surface issues "
            "settled) (Luoyang plan L307)");
  }
  if (IsCompetitive(p.method)) {
    if (p.basis != NegotiationBasis::kUnspecified) {
      return Error::InvalidArgument("offer.negotiation_basis",
                                    "only a negotiated grant names a basis");
    }
    return Ok();
  }
  // Negotiation.
  if (m.construction_stone) {
    return Error::FailedPrecondition(
        "CONSTRUCTION_STONE_COMPETITIVE_ONLY", p.offer_id,
        "offer " + p.offer_id + ": construction stone " + MineralText(m) +
            " is granted by tender, auction or listing only (Luoyang plan L307; "
            "自然资规〔2023〕6号 "
            "excludes ordinary sand, gravel and clay from negotiation)");
  }
  if (m.ordinary_sand_gravel_clay) {
    return Error::FailedPrecondition(
        "NEGOTIATION_EXCLUDES_SAND_GRAVEL_CLAY", p.offer_id,
        "offer " + p.offer_id + ": " + MineralText(m) +
            " is ordinary construction sand, gravel or clay (普通建筑用砂石土), never granted by "
            "negotiation whatever the ground (自然资规〔2023〕6号)");
  }
  return CheckNegotiation(p, rules);
}

Status CheckNoticePeriod(const CompetitionSchedule& s, TimePoint published_at, const Rules& rules) {
  if (!IsCompetitive(s.method)) return Ok();
  const int days = rules.NoticeDays();
  auto lead = s.bidding_start - published_at;
  if (lead < days * kDay) {
    return Error::FailedPrecondition(
        "NOTICE_PERIOD_TOO_SHORT", s.offer_id,
        "the grant notice must be published at least " + std::to_string(days) +
            " days before bidding starts; bidding starts " + FormatRfc3339(s.bidding_start) + ", " +
            DaysText(lead) + " after the notice");
  }
  return Ok();
}

Status CheckBiddingPeriod(const CompetitionSchedule& s, const Rules& rules) {
  if (s.bidding_end <= s.bidding_start) {
    return Error::InvalidArgument("offer.bidding_end", "must be after bidding_start");
  }
  if (s.method == GrantMethod::kListing) {
    const int days = rules.ListingDays();
    auto open = s.bidding_end - s.bidding_start;
    if (open < days * kDay) {
      return Error::FailedPrecondition("LISTING_PERIOD_TOO_SHORT", s.offer_id,
                                       "a listing stays open at least " + std::to_string(days) +
                                           " days; bidding_start to bidding_end is " +
                                           DaysText(open));
    }
  }
  return Ok();
}

}  // namespace nrp::mining_rights
