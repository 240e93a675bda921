// Terms of rights (有效期): the exploration term and its extensions with the relinquishment
// of area (自然资规〔2023〕6号), the maximum mining terms (开采登记管理办法 art. 7), the
// application lead before expiry, and the day a right lapses.
//
// Dates: valid_from is the first day of validity and valid_to the last (MiningRight). A
// term of N years from valid_from ends on the same month and day N years later, as
// licences write it ("自2025年3月1日至2030年3月1日") and as 民法典 arts. 201-202 count a
// period in years (the first day not counted; without a corresponding day the month's
// last day): from 29 February the term ends on 28 February.
#pragma once

#include <string>

#include "domain/rules.h"
#include "domain/types.h"

namespace nrp::mining_rights {

inline constexpr int kExplorationTermYears = 5;       // 自然资规〔2023〕6号
inline constexpr int kExplorationExtensionYears = 5;  // each extension

// Maximum term of a mining right by the mine's production scale (开采登记管理办法 art. 7:
// large 30, medium 20, small 10 years); 0 for an unset scale.
int MaxMiningTermYears(ScaleClass scale);

// INVALID_ARGUMENT for an unset kind ("kind"), a term under one year ("term_years") or an
// unset scale of a mining right ("scale_class"); FAILED_PRECONDITION TERM_EXCEEDS_MAXIMUM
// above 5 years (exploration) or the maximum of the scale (mining).
Status CheckTerm(RightKind kind, ScaleClass scale, int term_years);

// The last day of validity of a term of `years` from `valid_from`.
Date TermEnd(const Date& valid_from, int years);

// The last day on which an extension may be applied for: Rules::ExtensionLeadDays() days
// before valid_to (30: applying on valid_to - 30 is in time, on valid_to - 29 too late).
Date LatestExtensionApplicationDay(const Date& valid_to, const Rules& rules);

struct ExtensionRequest {
  std::string right_id;
  RightKind kind = RightKind::kUnspecified;
  ScaleClass scale_class = ScaleClass::kUnspecified;  // of a mining right
  Date valid_to;                                      // the last day of validity now
  Date applied_on;                                    // the day the extension was applied for
  Date new_valid_to;
};

// FAILED_PRECONDITION EXTENSION_APPLIED_TOO_LATE after LatestExtensionApplicationDay;
// INVALID_ARGUMENT "new_valid_to" unless after valid_to; FAILED_PRECONDITION
// EXTENSION_TOO_LONG past valid_to + 5 years (exploration) or + the maximum of the mine's
// scale (mining; the sources give no separate extension maximum, so the art. 7 maximum
// applies to each extension).
Status CheckExtension(const ExtensionRequest& r, const Rules& rules);

// Relinquishment at an exploration right's extension: Rules::RelinquishShare() (25%, a
// floor) of the FIRST-granted area is given up each time, unless the block has submitted
// reserves or an existing mining right.
struct RelinquishmentFacts {
  std::string right_id;
  double first_granted_area_m2 = 0;
  double current_area_m2 = 0;
  double retained_area_m2 = 0;  // the block kept after this extension
  bool reserves_submitted = false;
  bool existing_mining_right = false;
};
struct Relinquishment {
  bool exempt = false;
  double required_m2 = 0;      // to give up at this extension
  double max_retained_m2 = 0;  // current area less the required part
};
// Areas within 0.01 m² count as equal.
inline constexpr double kAreaToleranceM2 = 0.01;
// INVALID_ARGUMENT for areas not positive or a retained area above the current one
// ("first_granted_area", "area", "retained_area"); FAILED_PRECONDITION
// NOTHING_LEFT_TO_RETAIN when the shares given up already reach the current area,
// RELINQUISHMENT_INSUFFICIENT when the retained block is larger than allowed.
Result<Relinquishment> CheckRelinquishment(const RelinquishmentFacts& f, const Rules& rules);

// The instant a right not extended lapses (自行废止): the end of its last day of validity,
// 00:00 China Standard Time on the day after valid_to.
TimePoint LapseInstant(const Date& valid_to);

}  // namespace nrp::mining_rights
