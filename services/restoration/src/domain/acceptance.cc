#include "domain/acceptance.h"

#include <cmath>
#include <cstdio>
#include <set>

namespace nrp::restoration {

namespace {

std::string M2(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f m²", v);
  return buf;
}

Status CheckYield(const YieldGeometry& y, const std::string& field, const std::string& geo_field,
                  const Rules& rules) {
  if (!(y.claimed_m2 > 0) || !std::isfinite(y.claimed_m2)) {
    return Error::InvalidArgument(field, "must be a positive area");
  }
  if (!(std::fabs(y.geometry_m2 - y.claimed_m2) <= rules.ToleranceFor(y.geometry_m2))) {
    return Error::InvalidArgument(geo_field, "covers " + M2(y.geometry_m2) + " but " + M2(y.claimed_m2) +
                                                 " is claimed; the claimed area is the area of "
                                                 "its geometry");
  }
  if (!(y.outside_m2 <= rules.ToleranceFor(y.geometry_m2))) {
    return Error::FailedPrecondition("YIELD_OUTSIDE_PROJECT", geo_field,
                                     geo_field + ": " + M2(y.outside_m2) +
                                         " lies outside the project area; a yield lies inside "
                                         "the project");
  }
  return Ok();
}

}  // namespace

Status CheckPassedAcceptance(const AcceptanceFigures& f, const Rules& rules) {
  if (!(f.total_restored_m2 > 0) || !std::isfinite(f.total_restored_m2)) {
    return Error::InvalidArgument("result.total_restored_area", "must be a positive area");
  }
  if (!(f.total_restored_m2 <= f.project_area_m2 + rules.ToleranceFor(f.project_area_m2))) {
    return Error::InvalidArgument("result.total_restored_area",
                                  M2(f.total_restored_m2) + " is more than the project area of " +
                                      M2(f.project_area_m2));
  }
  double sum = 0;
  double cultivated = 0;
  std::set<int> seen;
  for (size_t i = 0; i < f.restored_by_kind.size(); ++i) {
    const auto& [kind, m2] = f.restored_by_kind[i];
    const std::string field = "result.restored_areas[" + std::to_string(i) + "]";
    if (kind <= 0 || kind > kRestoredLandKindMax) {
      return Error::InvalidArgument(field + ".kind", "must be a RestoredLandKind");
    }
    if (!seen.insert(kind).second) {
      return Error::InvalidArgument(field + ".kind", "names a land class given before");
    }
    if (!(m2 > 0) || !std::isfinite(m2)) {
      return Error::InvalidArgument(field + ".area", "must be a positive area");
    }
    sum += m2;
    if (kind == kRestoredLandCultivated) cultivated = m2;
  }
  if (!f.restored_by_kind.empty() &&
      std::fabs(sum - f.total_restored_m2) > rules.ToleranceFor(f.total_restored_m2)) {
    return Error::InvalidArgument("result.restored_areas",
                                  "add up to " + M2(sum) + ", not the total restored area of " +
                                      M2(f.total_restored_m2));
  }
  if (f.new_cultivated) {
    const auto& n = *f.new_cultivated;
    NRP_RETURN_IF_ERROR(CheckYield(n, "result.new_cultivated_land.area",
                                   "result.new_cultivated_land.geometry", rules));
    if (f.quality_grade < kBestQualityGrade || f.quality_grade > kWorstQualityGrade) {
      return Error::InvalidArgument("result.new_cultivated_land.quality_grade",
                                    "must be a grade of GB/T 33469-2016, 1 (best) to 10");
    }
    if (!(f.paddy_m2 >= 0) || f.paddy_m2 > n.claimed_m2 + rules.ToleranceFor(n.claimed_m2)) {
      return Error::InvalidArgument("result.new_cultivated_land.paddy_area",
                                    "must be within the new cultivated land");
    }
    if (f.grain_capacity_kg && !(*f.grain_capacity_kg >= 0)) {
      return Error::InvalidArgument("result.new_cultivated_land.grain_capacity_kg",
                                    "must not be negative");
    }
    if (!f.restored_by_kind.empty() &&
        n.claimed_m2 > cultivated + rules.ToleranceFor(cultivated)) {
      return Error::InvalidArgument("result.new_cultivated_land.area",
                                    M2(n.claimed_m2) +
                                        " of new cultivated land is more than the " +
                                        M2(cultivated) + " restored to cultivated land");
    }
  }
  if (f.reclaimed_construction) {
    NRP_RETURN_IF_ERROR(CheckYield(*f.reclaimed_construction, "result.reclaimed_construction_land",
                                   "result.reclaimed_construction_geometry", rules));
  }
  return Ok();
}

Status CheckNewCultivatedIsNew(const std::vector<CultivatedOverlap>& overlaps, double claimed_m2,
                               const Rules& rules) {
  double total = 0;
  for (const auto& o : overlaps) total += o.overlap_m2;
  if (total <= rules.ToleranceFor(claimed_m2)) return Ok();
  std::string where;
  for (const auto& o : overlaps) {
    where += (where.empty() ? "" : ", ") + std::string("zone ") + o.zone_id + " of layer " +
             o.layer_id + " version " + std::to_string(o.version) + " (" + M2(o.overlap_m2) + ")";
  }
  const std::string subject = overlaps.empty() ? "" : overlaps.front().layer_id;
  return Error::FailedPrecondition(
      "NEW_CULTIVATED_LAND_NOT_NEW", subject,
      M2(total) + " of the " + M2(claimed_m2) +
          " claimed as new cultivated land is cultivated land already in force: " + where +
          "; only the other " + M2(std::max(0.0, claimed_m2 - total)) + " may be new (虚增耕地)");
}

}  // namespace nrp::restoration
