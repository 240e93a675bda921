// Real-estate units (不动产单元): a parcel or sea area with its fixtures, identified by its
// 28-character unit code, with boundary, area, use and location.
#pragma once

#include <string>

#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/registration/v1/resources.pb.h"

namespace nrp::registration {

// Validates the caller's content of a unit; INVALID_ARGUMENT naming the field under `field`.
// Geometry syntax is checked here, its validity by PostGIS in the store.
Status ValidateRealEstateUnit(const v1::RealEstateUnit& unit, const std::string& field);

// The unit as created: code parts decoded, region from the code, ACTIVE.
Result<v1::RealEstateUnit> NewRealEstateUnit(const v1::RealEstateUnit& input, TimePoint now);

}  // namespace nrp::registration
