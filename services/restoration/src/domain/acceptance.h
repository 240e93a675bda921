// What an acceptance (验收) may yield, as pure rules on its figures: restored area by land
// class, new cultivated land (area, quality grade per GB/T 33469-2016, paddy area) and
// reclaimed rural construction land, each within the project area. The geometric facts
// (areas on the ellipsoid, the part outside the project, the part already cultivated land)
// are measured by PostGIS and handed in; the rules here decide and word the refusal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/rules.h"
#include "nrp/core/status.h"

namespace nrp::restoration {

// RestoredLandKind numbers: CULTIVATED is 1, OTHER is 8.
inline constexpr int kRestoredLandCultivated = 1;
inline constexpr int kRestoredLandKindMax = 8;
// Quality grades of cultivated land, GB/T 33469-2016 (耕地质量等级): 1 best … 10.
inline constexpr int kBestQualityGrade = 1;
inline constexpr int kWorstQualityGrade = 10;

// One yield drawn on the map: the area claimed and what PostGIS measured of its geometry.
struct YieldGeometry {
  double claimed_m2 = 0;
  double geometry_m2 = 0;   // area of the yield's geometry
  double outside_m2 = 0;    // part of it outside the project area
};

struct AcceptanceFigures {
  double project_area_m2 = 0;  // area of the project's geometry
  double total_restored_m2 = 0;
  std::vector<std::pair<int, double>> restored_by_kind;  // (RestoredLandKind, m²)
  // New cultivated land (新增耕地).
  std::optional<YieldGeometry> new_cultivated;
  int quality_grade = 0;
  double paddy_m2 = 0;
  std::optional<double> grain_capacity_kg;
  // Reclaimed rural construction land (复垦建设用地).
  std::optional<YieldGeometry> reclaimed_construction;
};

// The figures of a passed acceptance; INVALID_ARGUMENT naming the `result.…` field:
//   - the total restored area is positive, at most the project area, and the areas by land
//     class (each kind once, each positive) add up to it;
//   - new cultivated land: positive, its grade 1 to 10, its paddy area within it, its grain
//     capacity not negative, at most the area restored to cultivated land when areas by class
//     are given, and its geometry's area the claimed one;
//   - reclaimed construction land: positive and its geometry's area the claimed one;
//   - a yield's geometry lies inside the project area (FAILED_PRECONDITION YIELD_OUTSIDE_PROJECT
//     with the area outside).
Status CheckPassedAcceptance(const AcceptanceFigures& f, const Rules& rules);

// A part of claimed new cultivated land that is cultivated land already (虚增耕地): the
// layer in force and the zone it lies in.
struct CultivatedOverlap {
  std::string layer_id;
  int64_t version = 0;
  std::string zone_id;
  double overlap_m2 = 0;
};
// FAILED_PRECONDITION NEW_CULTIVATED_LAND_NOT_NEW naming the layer, its version, the zones and
// the area that already is cultivated land, when the overlaps exceed the tolerance; the area
// not refused is named too, so the acceptance can be made again on it.
Status CheckNewCultivatedIsNew(const std::vector<CultivatedOverlap>& overlaps, double claimed_m2,
                               const Rules& rules);

}  // namespace nrp::restoration
