// The verdict table of the conflict check (domain.md "Planning": for a
// geometry and an intended use, list each zone it touches, the overlap area
// and the verdict forbidden / needs a named approval / allowed). Every row
// cites where its rule comes from: domain.md, the plans in shared/seeds (with
// line numbers) and the national rules they rest on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/zone.h"

namespace nrp::planning {

// One row of the table: what `use` may do inside a zone of `kind` at `level`.
struct UseRule {
  LayerKind kind;
  ControlLevel level;
  SpatialUse use;
  Verdict verdict;
  // The approval a NEEDS_APPROVAL verdict requires (empty otherwise).
  std::string_view required_approval;
  // The rule and its sources.
  std::string_view rule;
};

// Every row; exactly one per (kind, level of that kind, use).
const std::vector<UseRule>& VerdictTable();
// The row for a zone and a use. Every valid (kind, level) pair has a row for
// every use (the unit tests prove it); an invalid pair yields a FORBIDDEN row
// that says so, never a crash.
const UseRule& RuleFor(LayerKind kind, ControlLevel level, SpatialUse use);

// A zone the checked geometry touches (its interior meets the zone's interior;
// a zone that only shares a boundary is not touched).
struct TouchedZone {
  std::string zone_id;  // "<layer_id>/<zone_code>"
  std::string zone_code;
  std::string zone_name;
  std::string layer_id;
  LayerKind kind = LayerKind::kPermanentBasicFarmland;
  int64_t version = 0;
  ControlLevel level = ControlLevel::kUniform;
  double overlap_m2 = 0;  // on the ellipsoid
};

// Whether the geometry lies inside the union of a set of zones (the urban
// development boundary; the key mining zones).
struct Coverage {
  bool layer_present = false;  // a current layer of that kind was consulted
  bool covered = false;        // the geometry lies wholly inside the zones
  double outside_m2 = 0;       // area outside the zones (0 for lines and points)
};

struct CheckFacts {
  SpatialUse use = SpatialUse::kUrbanConstruction;
  std::vector<TouchedZone> zones;
  Coverage urban_boundary;  // zones of URBAN_DEVELOPMENT_BOUNDARY layers
  Coverage key_mining;      // KEY_MINING zones of MINERAL_PLANNING layers
};

// Rules that differ between provinces are switches (configuration).
struct ConflictOptions {
  // Urban construction only inside the urban development boundary (all plans).
  bool urban_construction_only_in_boundary = true;
  // New open-pit mines only inside key mining zones (Luoyang L299).
  bool open_pit_only_in_key_zones = true;
};

struct Conflict {
  TouchedZone zone;
  Verdict verdict = Verdict::kAllowed;
  std::string required_approval;
  std::string rule;
};

struct FailedRule {
  std::string type;         // stable UPPER_SNAKE name
  std::string description;  // what failed and why, with the source
};

struct Assessment {
  // Most restrictive over all conflicts and failed rules; ALLOWED when none.
  Verdict verdict = Verdict::kAllowed;
  // Ordered by layer kind, then zone id.
  std::vector<Conflict> conflicts;
  std::vector<FailedRule> failed_rules;
};

// Type names of the rules that do not depend on a single zone.
inline constexpr std::string_view kRuleUrbanOutsideBoundary = "URBAN_CONSTRUCTION_OUTSIDE_BOUNDARY";
inline constexpr std::string_view kRuleOpenPitOutsideKeyZone = "OPEN_PIT_OUTSIDE_KEY_MINING_ZONE";

Assessment Assess(const CheckFacts& facts, const ConflictOptions& options = {});

}  // namespace nrp::planning
