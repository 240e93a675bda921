// Parcels (地块) and the land reserve (土地储备): registration, entry into the
// reserve and confirmation that the land is clear (净地).
#pragma once

#include <optional>
#include <string>

#include "domain/rules.h"
#include "domain/types.h"

namespace nrp::land_supply {

struct PlanningConditionsInput {
  double plot_ratio_min = 0;
  double plot_ratio_max = 0;
  double building_density_max = 0;
  double green_ratio_min = 0;
  double building_height_max_m = 0;
};

// A parcel as a caller describes it (CreateParcel).
struct NewParcel {
  std::string region_code;
  std::string parcel_code;
  std::string name;
  std::string location;
  int geometry_encoding = 0;  // 1 WKT, 2 GeoJSON
  std::string geometry_text;
  int srid = 0;
  double declared_area_m2 = 0;  // 0 = take the boundary's area
  int planned_use = 0;
  std::string land_use_code;
  PlanningConditionsInput planning;
  int soil_status = 0;
  std::string approval_batch_id;
};

// Input checks that need no database: fields present and well formed, the
// geometry's text passes the cheap checks. Field names are "parcel.<field>".
Status ValidateNewParcel(const NewParcel& p);
Status ValidatePlanningConditions(const PlanningConditionsInput& c, std::string_view field);

// After PostGIS computed the boundary's ellipsoidal area: a declared area must
// agree with it within the configured share. Returns the area to store.
Result<double> SettleParcelArea(double declared_m2, double boundary_m2, const Rules& rules);

// What the reserve decision needs to know about a parcel.
struct ParcelFacts {
  std::string parcel_id;
  ParcelState state = ParcelState::kUnspecified;
  LandUse planned_use = LandUse::kUnspecified;
  SoilStatus soil_status = SoilStatus::kUnspecified;
  // The approval batch that converted the land, when there is one.
  std::optional<BatchState> batch_state;
};

// 收储: REGISTERED → RESERVED. Refused for a polluted plot (Jilin plan), for a
// housing or public-service plot without a soil survey (土壤污染防治法 art. 59),
// and for land of a batch not yet approved (土地管理法 art. 44).
Status CheckReserve(const ParcelFacts& p, const Rules& rules);
// 净地: RESERVED → READY.
Status CheckClear(const ParcelFacts& p);
// A supply offer needs a READY parcel whose batch, if any, was expropriated.
Status CheckOfferable(const ParcelFacts& p);

// The stock-land stage (四未) a parcel is in before it is supplied.
StockLandStage StageBeforeSupply(const std::optional<BatchState>& batch_state);

}  // namespace nrp::land_supply
