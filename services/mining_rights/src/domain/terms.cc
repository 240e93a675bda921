#include "domain/terms.h"

namespace nrp::mining_rights {

int MaxMiningTermYears(ScaleClass scale) {
  switch (scale) {
    case ScaleClass::kLarge:
      return 30;
    case ScaleClass::kMedium:
      return 20;
    case ScaleClass::kSmall:
      return 10;
    default:
      return 0;
  }
}

Status CheckTerm(RightKind kind, ScaleClass scale, int term_years) {
  if (kind != RightKind::kExploration && kind != RightKind::kMining) {
    return Error::InvalidArgument("kind", "must be EXPLORATION or MINING");
  }
  if (term_years < 1) {
    return Error::InvalidArgument("term_years",
                                  "must be at least 1 year, got " + std::to_string(term_years));
  }
  if (kind == RightKind::kExploration) {
    if (term_years > kExplorationTermYears) {
      return Error::FailedPrecondition(
          "TERM_EXCEEDS_MAXIMUM", "EXPLORATION",
          "the term of " + std::to_string(term_years) +
              " years exceeds the 5 years of an exploration right (自然资规〔2023〕6号)");
    }
    return Ok();
  }
  int max = MaxMiningTermYears(scale);
  if (max == 0) {
    return Error::InvalidArgument("scale_class",
                                  "a mining right's term depends on the mine's "
                                  "scale: LARGE, MEDIUM or SMALL");
  }
  if (term_years > max) {
    return Error::FailedPrecondition("TERM_EXCEEDS_MAXIMUM", std::string(ScaleClassName(scale)),
                                     "the term of " + std::to_string(term_years) +
                                         " years exceeds the " + std::to_string(max) +
                                         " years of a " + std::string(ScaleClassChinese(scale)) +
                                         " mine (开采登记管理办法 art. 7)");
  }
  return Ok();
}

Date TermEnd(const Date& valid_from, int years) { return valid_from.AddYears(years); }

Date LatestExtensionApplicationDay(const Date& valid_to, const Rules& rules) {
  return valid_to.AddDays(-rules.ExtensionLeadDays());
}

Status CheckExtension(const ExtensionRequest& r, const Rules& rules) {
  const Date latest = LatestExtensionApplicationDay(r.valid_to, rules);
  if (r.applied_on > latest) {
    return Error::FailedPrecondition(
        "EXTENSION_APPLIED_TOO_LATE", r.right_id,
        "right " + r.right_id + " is valid to " + r.valid_to.ToString() +
            "; an extension is applied for at least " + std::to_string(rules.ExtensionLeadDays()) +
            " days before expiry, by " + latest.ToString() + ", not on " + r.applied_on.ToString());
  }
  if (!(r.new_valid_to > r.valid_to)) {
    return Error::InvalidArgument("new_valid_to",
                                  "must be after the current valid_to " + r.valid_to.ToString());
  }
  int years = 0;
  std::string basis;
  if (r.kind == RightKind::kExploration) {
    years = kExplorationExtensionYears;
    basis = "an exploration right is extended 5 years at a time (自然资规〔2023〕6号)";
  } else {
    years = MaxMiningTermYears(r.scale_class);
    if (years == 0) {
      return Error::InvalidArgument("scale_class",
                                    "a mining right's extension depends on the "
                                    "mine's scale: LARGE, MEDIUM or SMALL");
    }
    basis = "a " + std::string(ScaleClassChinese(r.scale_class)) + " mine's term is at most " +
            std::to_string(years) + " years (开采登记管理办法 art. 7)";
  }
  const Date max = r.valid_to.AddYears(years);
  if (r.new_valid_to > max) {
    return Error::FailedPrecondition("EXTENSION_TOO_LONG", r.right_id,
                                     "right " + r.right_id + " can be extended to " +
                                         max.ToString() + " at most, not " +
                                         r.new_valid_to.ToString() + ": " + basis);
  }
  return Ok();
}

Result<Relinquishment> CheckRelinquishment(const RelinquishmentFacts& f, const Rules& rules) {
  if (!(f.first_granted_area_m2 > 0)) {
    return Error::InvalidArgument("first_granted_area", "must be positive");
  }
  if (!(f.current_area_m2 > 0)) return Error::InvalidArgument("area", "must be positive");
  if (!(f.retained_area_m2 > 0)) return Error::InvalidArgument("retained_area", "must be positive");
  if (f.retained_area_m2 > f.current_area_m2 + kAreaToleranceM2) {
    return Error::InvalidArgument("retained_area", FormatNumber(f.retained_area_m2) +
                                                       " m² exceeds the current area of " +
                                                       FormatNumber(f.current_area_m2) + " m²");
  }
  Relinquishment out;
  if (f.reserves_submitted || f.existing_mining_right) {
    out.exempt = true;
    out.max_retained_m2 = f.current_area_m2;
    return out;
  }
  const double share = rules.RelinquishShare();
  out.required_m2 = share * f.first_granted_area_m2;
  out.max_retained_m2 = f.current_area_m2 - out.required_m2;
  if (out.max_retained_m2 <= kAreaToleranceM2) {
    return Error::FailedPrecondition(
        "NOTHING_LEFT_TO_RETAIN", f.right_id,
        "right " + f.right_id + " has " + FormatNumber(f.current_area_m2) + " m² left; giving up " +
            FormatNumber(share * 100) + "% of the first-granted " +
            FormatNumber(f.first_granted_area_m2) + " m² (" + FormatNumber(out.required_m2) +
            " m²) leaves nothing to extend");
  }
  if (f.retained_area_m2 > out.max_retained_m2 + kAreaToleranceM2) {
    return Error::FailedPrecondition(
        "RELINQUISHMENT_INSUFFICIENT", f.right_id,
        "right " + f.right_id + " must give up " + FormatNumber(share * 100) +
            "% of its first-granted " + FormatNumber(f.first_granted_area_m2) + " m² (" +
            FormatNumber(out.required_m2) + " m²) at this extension and keep at most " +
            FormatNumber(out.max_retained_m2) + " m² of its " + FormatNumber(f.current_area_m2) +
            " m²; the retained block is " + FormatNumber(f.retained_area_m2) +
            " m² (自然资规〔2023〕6号)");
  }
  return out;
}

TimePoint LapseInstant(const Date& valid_to) { return StartOfDayInChina(valid_to.AddDays(1)); }

}  // namespace nrp::mining_rights
