#include "domain/rules.h"

#include <algorithm>
#include <string>

#include "domain/types.h"

namespace nrp::mining_rights {

Status Rules::Validate() const {
  if (min_notice_days < kLegalMinNoticeDays) {
    return Error::InvalidArgument(
        "min_notice_days", "must be at least the legal " + std::to_string(kLegalMinNoticeDays) +
                               " days, got " + std::to_string(min_notice_days));
  }
  if (min_listing_days < kLegalMinListingDays) {
    return Error::InvalidArgument(
        "min_listing_days", "must be at least the legal " + std::to_string(kLegalMinListingDays) +
                                " days, got " + std::to_string(min_listing_days));
  }
  if (extension_lead_days < kLegalExtensionLeadDays) {
    return Error::InvalidArgument("extension_lead_days",
                                  "must be at least the legal " +
                                      std::to_string(kLegalExtensionLeadDays) + " days, got " +
                                      std::to_string(extension_lead_days));
  }
  if (!(relinquish_share >= kLegalRelinquishShare && relinquish_share <= 1)) {
    return Error::InvalidArgument(
        "relinquish_share", "must lie between the legal " + FormatNumber(kLegalRelinquishShare) +
                                " and 1, got " + FormatNumber(relinquish_share));
  }
  if (!(adjacent_gap_tolerance_m >= 0 && adjacent_gap_tolerance_m <= kLegalAdjacentGapMetres)) {
    return Error::InvalidArgument("adjacent_gap_tolerance_m",
                                  "must lie between 0 and " +
                                      FormatNumber(kLegalAdjacentGapMetres) + " metres, got " +
                                      FormatNumber(adjacent_gap_tolerance_m));
  }
  return Ok();
}

int Rules::NoticeDays() const { return std::max(min_notice_days, kLegalMinNoticeDays); }
int Rules::ListingDays() const { return std::max(min_listing_days, kLegalMinListingDays); }
int Rules::ExtensionLeadDays() const {
  return std::max(extension_lead_days, kLegalExtensionLeadDays);
}
double Rules::RelinquishShare() const {
  if (!(relinquish_share >= kLegalRelinquishShare)) return kLegalRelinquishShare;  // also NaN
  return std::min(relinquish_share, 1.0);
}
double Rules::MaxAdjacentGapMetres() const {
  if (!(adjacent_gap_tolerance_m > 0)) return kLegalAdjacentGapMetres;
  return kLegalAdjacentGapMetres + std::min(adjacent_gap_tolerance_m, kLegalAdjacentGapMetres);
}

}  // namespace nrp::mining_rights
