#include "domain/parcel.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "nrp/geo/input_check.h"

namespace nrp::land_supply {

namespace {

bool IsLandUseClassCode(const std::string& code) {
  // GB/T 21010-2017: first-level class "07", second-level "0701" or "05H1".
  if (code.size() != 2 && code.size() != 4) return false;
  if (!std::isdigit(static_cast<unsigned char>(code[0])) ||
      !std::isdigit(static_cast<unsigned char>(code[1]))) {
    return false;
  }
  for (size_t i = 2; i < code.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(code[i]);
    if (!std::isdigit(c) && !(c >= 'A' && c <= 'Z')) return false;
  }
  return true;
}

bool IsParcelCode(const std::string& code) {
  // 宗地代码 (GB/T 37346-2019): county 6 + zone 3 + sub-zone 3 + feature 2 letters + sequence 5.
  if (code.size() != 19) return false;
  for (size_t i = 0; i < 19; ++i) {
    unsigned char c = static_cast<unsigned char>(code[i]);
    bool letter = i == 12 || i == 13;
    if (letter ? !(c >= 'A' && c <= 'Z') : !std::isdigit(c)) return false;
  }
  return true;
}

}  // namespace

Status ValidatePlanningConditions(const PlanningConditionsInput& c, std::string_view field) {
  std::string f(field);
  auto finite_nonneg = [&](double v, const char* name) -> Status {
    if (!std::isfinite(v) || v < 0) {
      return Error::InvalidArgument(f + "." + name, "must be a finite number not below 0");
    }
    return Ok();
  };
  NRP_RETURN_IF_ERROR(finite_nonneg(c.plot_ratio_min, "plot_ratio_min"));
  NRP_RETURN_IF_ERROR(finite_nonneg(c.plot_ratio_max, "plot_ratio_max"));
  NRP_RETURN_IF_ERROR(finite_nonneg(c.building_density_max, "building_density_max"));
  NRP_RETURN_IF_ERROR(finite_nonneg(c.green_ratio_min, "green_ratio_min"));
  NRP_RETURN_IF_ERROR(finite_nonneg(c.building_height_max_m, "building_height_max_m"));
  if (c.plot_ratio_max > 0 && c.plot_ratio_min > c.plot_ratio_max) {
    return Error::InvalidArgument(f + ".plot_ratio_min", "must not exceed plot_ratio_max");
  }
  if (c.building_density_max > 1) {
    return Error::InvalidArgument(f + ".building_density_max", "is a fraction, at most 1");
  }
  if (c.green_ratio_min > 1) {
    return Error::InvalidArgument(f + ".green_ratio_min", "is a fraction, at most 1");
  }
  return Ok();
}

Status ValidateNewParcel(const NewParcel& p) {
  NRP_RETURN_IF_ERROR(RegionCode::Parse(p.region_code, "parcel.region_code"));
  if (!p.parcel_code.empty() && !IsParcelCode(p.parcel_code)) {
    return Error::InvalidArgument(
        "parcel.parcel_code",
        "expected a 19-character parcel code (6+3+3 digits, 2 letters, 5 digits), got '" +
            p.parcel_code + "'");
  }
  if (!p.parcel_code.empty() && p.parcel_code.compare(0, 6, p.region_code) != 0) {
    return Error::InvalidArgument("parcel.parcel_code",
                                  "must start with the parcel's region code " + p.region_code);
  }
  if (p.name.empty()) return Error::InvalidArgument("parcel.name", "required");
  if (p.name.size() > 400) return Error::InvalidArgument("parcel.name", "at most 400 bytes");
  if (p.location.empty()) return Error::InvalidArgument("parcel.location", "required");
  if (p.location.size() > 1000) {
    return Error::InvalidArgument("parcel.location", "at most 1000 bytes");
  }
  if (p.geometry_encoding == 1) {
    NRP_RETURN_IF_ERROR(geo::CheckWkt(p.geometry_text, "parcel.geometry.text"));
  } else if (p.geometry_encoding == 2) {
    NRP_RETURN_IF_ERROR(geo::CheckGeoJson(p.geometry_text, "parcel.geometry.text"));
  } else {
    return Error::InvalidArgument("parcel.geometry.encoding",
                                  "must be GEOMETRY_ENCODING_WKT or GEOMETRY_ENCODING_GEOJSON");
  }
  NRP_RETURN_IF_ERROR(geo::CheckSrid(p.srid, "parcel.geometry.srid"));
  if (!std::isfinite(p.declared_area_m2) || p.declared_area_m2 < 0) {
    return Error::InvalidArgument("parcel.area.square_metres",
                                  "must be a finite number not below 0");
  }
  if (!InEnumRange(p.planned_use, kLandUseMax)) {
    return Error::InvalidArgument("parcel.planned_use",
                                  "must be a LandUse value other than LAND_USE_UNSPECIFIED, got " +
                                      std::to_string(p.planned_use));
  }
  if (!p.land_use_code.empty() && !IsLandUseClassCode(p.land_use_code)) {
    return Error::InvalidArgument(
        "parcel.land_use_code",
        "expected a GB/T 21010-2017 class code such as \"0701\" or \"05H1\", got '" +
            p.land_use_code + "'");
  }
  NRP_RETURN_IF_ERROR(ValidatePlanningConditions(p.planning, "parcel.planning_conditions"));
  if (!InEnumRange(p.soil_status, kSoilStatusMax)) {
    return Error::InvalidArgument(
        "parcel.soil_status",
        "must be a SoilPollutionStatus value other than SOIL_POLLUTION_STATUS_UNSPECIFIED "
        "(NOT_SURVEYED when no survey was made), got " +
            std::to_string(p.soil_status));
  }
  return Ok();
}

Result<double> SettleParcelArea(double declared_m2, double boundary_m2, const Rules& rules) {
  if (!(boundary_m2 > 0)) {
    return Error::InvalidArgument("parcel.geometry", "the boundary encloses no area");
  }
  if (declared_m2 == 0) return boundary_m2;
  double diff = std::fabs(declared_m2 - boundary_m2) / boundary_m2;
  if (diff > rules.area_tolerance_share) {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "declared %.2f m² differs from the boundary's area %.2f m² by %.2f%% "
                  "(at most %.2f%% allowed)",
                  declared_m2, boundary_m2, diff * 100, rules.area_tolerance_share * 100);
    return Error::InvalidArgument("parcel.area", buf);
  }
  return declared_m2;
}

Status CheckReserve(const ParcelFacts& p, const Rules& rules) {
  if (p.state != ParcelState::kRegistered) {
    return Error::FailedPrecondition("PARCEL_STATE", p.parcel_id,
                                     "parcel " + p.parcel_id + " is " +
                                         std::string(ParcelStateName(p.state)) +
                                         "; only a REGISTERED parcel can enter the land reserve");
  }
  if (p.soil_status == SoilStatus::kPolluted) {
    return Error::FailedPrecondition(
        "POLLUTED_PLOT", p.parcel_id,
        "parcel " + p.parcel_id +
            " is flagged polluted by its soil survey; a polluted plot cannot enter the land "
            "reserve until it is remediated and accepted (Jilin plan)");
  }
  if (p.soil_status == SoilStatus::kNotSurveyed &&
      rules.soil_survey_required_uses.count(p.planned_use)) {
    return Error::FailedPrecondition(
        "SOIL_SURVEY_REQUIRED", p.parcel_id,
        "parcel " + p.parcel_id + " is planned for " + std::string(LandUseName(p.planned_use)) +
            " use and has no soil pollution survey; the survey comes first "
            "(土壤污染防治法 art. 59)");
  }
  if (p.batch_state && *p.batch_state != BatchState::kApproved &&
      *p.batch_state != BatchState::kExpropriated) {
    return Error::FailedPrecondition(
        "BATCH_NOT_APPROVED", p.parcel_id,
        "the approval batch of parcel " + p.parcel_id + " is " +
            std::string(BatchStateName(*p.batch_state)) +
            "; converted land enters the reserve only after the batch is approved");
  }
  return Ok();
}

Status CheckClear(const ParcelFacts& p) {
  if (p.state != ParcelState::kReserved) {
    return Error::FailedPrecondition("PARCEL_STATE", p.parcel_id,
                                     "parcel " + p.parcel_id + " is " +
                                         std::string(ParcelStateName(p.state)) +
                                         "; only a RESERVED parcel can be confirmed clear");
  }
  return Ok();
}

Status CheckOfferable(const ParcelFacts& p) {
  if (p.state != ParcelState::kReady) {
    return Error::FailedPrecondition(
        "PARCEL_NOT_READY", p.parcel_id,
        "parcel " + p.parcel_id + " is " + std::string(ParcelStateName(p.state)) +
            "; only clear reserve land (净地, state READY) can be supplied");
  }
  if (p.batch_state && *p.batch_state != BatchState::kExpropriated) {
    return Error::FailedPrecondition("BATCH_NOT_EXPROPRIATED", p.parcel_id,
                                     "the approval batch of parcel " + p.parcel_id + " is " +
                                         std::string(BatchStateName(*p.batch_state)) +
                                         "; land is supplied only after expropriation is complete");
  }
  return Ok();
}

StockLandStage StageBeforeSupply(const std::optional<BatchState>& batch_state) {
  if (!batch_state) return StockLandStage::kNone;
  if (*batch_state == BatchState::kExpropriated) return StockLandStage::kExpropriatedNotSupplied;
  if (*batch_state == BatchState::kApproved) return StockLandStage::kApprovedNotExpropriated;
  return StockLandStage::kNone;
}

}  // namespace nrp::land_supply
