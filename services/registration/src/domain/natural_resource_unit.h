// Natural-resource registration units (自然资源登记单元), 自然资源统一确权登记暂行办法:
// a unit of one kind (protected area, water flow, wetland, forest, grassland, wasteland,
// proven minerals …) with boundary, area, resources, ownership (state or collective), the
// level of government exercising state ownership and the public control requirements that
// apply. Flow: DRAFT ─notice (≥ 15 working days)─► PUBLIC_NOTICE ─register─► REGISTERED;
// a revision returns it to DRAFT with a new version. Key areas are registered first.
#pragma once

#include <string>
#include <vector>

#include "domain/case_flow.h"
#include "domain/events.h"
#include "nrp/common/v1/zone.pb.h"
#include "nrp/core/status.h"
#include "nrp/registration/v1/resources.pb.h"

namespace nrp::registration {

struct NaturalResourceTransition {
  v1::NaturalResourceUnit next;
  DomainEvents events;
  // Deadlines the transition set, to keep with their rules.
  std::vector<DeadlineSet> deadlines = {};
};

// A control zone of planning (from the local replica) that a unit's boundary overlaps.
struct OverlappingZone {
  std::string zone_id;
  std::string name;
  common::v1::ZoneLayerKind layer_kind = common::v1::ZONE_LAYER_KIND_UNSPECIFIED;
  common::v1::ZoneControlLevel control_level = common::v1::ZONE_CONTROL_LEVEL_UNSPECIFIED;
  int64_t layer_version = 0;
  common::v1::DocumentReference basis;  // the layer version's approval, when known
};

// Validates the caller's content of a unit (field names start with `field`); output-only
// fields are ignored. Geometry syntax is checked here, its validity by PostGIS in the store.
Status ValidateNaturalResourceUnit(const v1::NaturalResourceUnit& unit, const std::string& field);

// The unit number: "<region code><kind letter><6-digit sequence>", e.g. "410300D000012".
std::string FormatNaturalResourceUnitNumber(const std::string& region_code,
                                            v1::NaturalResourceUnitKind kind, int64_t sequence);

// A new unit in DRAFT, version 1.
v1::NaturalResourceUnit NewNaturalResourceUnit(const v1::NaturalResourceUnit& input,
                                               const std::string& unit_id,
                                               const std::string& unit_number, TimePoint now);

// The requirement a zone imposes, in words, e.g. "生态保护红线核心保护区：原则上禁止人为活动".
std::string ControlRequirement(common::v1::ZoneLayerKind kind, common::v1::ZoneControlLevel level);

// Replaces the zone-derived public controls (those with a zone id) by the zones the boundary
// overlaps now; controls the caller entered without a zone stay.
void AttachZoneControls(v1::NaturalResourceUnit* unit, const std::vector<OverlappingZone>& zones);

// Any state → DRAFT with the revised content and version + 1 (reason required).
Result<NaturalResourceTransition> ReviseNaturalResourceUnit(const v1::NaturalResourceUnit& current,
                                                            const v1::NaturalResourceUnit& revised,
                                                            const std::string& reason,
                                                            TimePoint now);

// DRAFT → PUBLIC_NOTICE for at least the minimum notice (working days). When
// `key_areas_first` and the unit is not in a key area, `unregistered_key_units` (key-area
// units of the same region not yet registered) must be 0. Event: NaturalResourceUnitNoticeStarted.
Result<NaturalResourceTransition> StartNaturalResourceNotice(const v1::NaturalResourceUnit& unit,
                                                             const common::v1::Date& start,
                                                             int working_days, bool key_areas_first,
                                                             int64_t unregistered_key_units,
                                                             const FlowContext& ctx);

// PUBLIC_NOTICE whose notice has ended → REGISTERED. Event: NaturalResourceUnitRegistered.
Result<NaturalResourceTransition> RegisterNaturalResource(const v1::NaturalResourceUnit& unit,
                                                          const FlowContext& ctx);

}  // namespace nrp::registration

namespace nrp::registration {
// Applies a recount of the unit's notice end after a calendar change: nullopt when the unit
// is no longer on notice; otherwise the unit as it becomes and, when the date moved,
// NaturalResourceUnitNoticeMoved.
Result<std::optional<NaturalResourceTransition>> RecountNoticeEnd(
    const v1::NaturalResourceUnit& unit, const Date& old_date, const std::string& old_calendar,
    const Deadline& now, const FlowContext& ctx);
}  // namespace nrp::registration
