// The numbers of mining rights' rules that configuration may set. As in land supply
// (services/land_supply/src/domain/rules.h) each defaults to the legal figure; unlike a
// land figure, each legal figure here is a floor: a province may be stricter (a longer
// notice, a larger relinquished share) but never laxer, so Validate() refuses a value
// below its floor and every rule applies at least the floor whatever the struct holds.
#pragma once

#include "nrp/core/status.h"

namespace nrp::mining_rights {

// Days between the grant notice (出让公告) and the start of bidding, at least. Neither the
// plans (shared/seeds/notes) nor domain.md give the figure of 自然资规〔2023〕1号, so the
// figure is land's (Order 39 art. 10: 20 days), as land supply applies it.
inline constexpr int kLegalMinNoticeDays = 20;
// Days a listing (挂牌) stays open, at least; land's figure (Order 39 art. 17: 10 days) for
// the same reason.
inline constexpr int kLegalMinListingDays = 10;
// An extension is applied for at least this many days before expiry (勘查区块登记管理办法
// art. 10, 开采登记管理办法 art. 7: "有效期届满的30日前").
inline constexpr int kLegalExtensionLeadDays = 30;
// Share of the first-granted area an exploration right gives up at each extension
// (自然资规〔2023〕6号; domain.md Mining rights).
inline constexpr double kLegalRelinquishShare = 0.25;
// Width of the gap between one holder's adjacent rights that may be granted by
// negotiation (自然资规〔2023〕6号: "about 300 m").
inline constexpr double kLegalAdjacentGapMetres = 300;

struct Rules {
  int min_notice_days = kLegalMinNoticeDays;
  int min_listing_days = kLegalMinListingDays;
  int extension_lead_days = kLegalExtensionLeadDays;
  double relinquish_share = kLegalRelinquishShare;
  // How far past the legal 300 m a gap still counts as "about 300 m"; 0 = exactly 300 m.
  double adjacent_gap_tolerance_m = 0;

  static Rules Defaults() { return {}; }
  // INVALID_ARGUMENT naming the first field below its legal floor or out of range.
  Status Validate() const;

  // The figures the rules apply: the configured value, never below the floor.
  int NoticeDays() const;
  int ListingDays() const;
  int ExtensionLeadDays() const;
  double RelinquishShare() const;
  double MaxAdjacentGapMetres() const;
};

}  // namespace nrp::mining_rights
