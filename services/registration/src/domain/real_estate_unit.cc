#include "domain/real_estate_unit.h"

#include "domain/convert.h"
#include "domain/region.h"
#include "domain/unit_code.h"
#include "nrp/geo/input_check.h"

namespace nrp::registration {

namespace cpb = nrp::common::v1;

namespace {

bool IsLandUseCode(const std::string& code) {
  // GB/T 21010-2017: first-class "07", second-class "0701", with a few lettered classes such
  // as "05H1" or "0810A".
  if (code.size() < 2 || code.size() > 6) return false;
  if (code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9') return false;
  for (char c : code) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

}  // namespace

Status ValidateRealEstateUnit(const v1::RealEstateUnit& u, const std::string& f) {
  NRP_ASSIGN_OR_RETURN(UnitCode code, UnitCode::Parse(u.unit_code(), f + ".unit_code"));
  if (!u.region_code().empty() && u.region_code() != code.county_code()) {
    return Error::InvalidArgument(f + ".region_code", "must equal the unit code's county code " +
                                                          code.county_code() + " or be empty");
  }
  if (u.location().empty()) return Error::InvalidArgument(f + ".location", "is required");
  if (Utf8Length(u.location()) > 500) {
    return Error::InvalidArgument(f + ".location", "must be at most 500 characters");
  }
  if (!u.has_geometry() || u.geometry().text().empty()) {
    return Error::InvalidArgument(f + ".geometry", "is required (宗地图形)");
  }
  NRP_RETURN_IF_ERROR(geo::CheckSrid(u.geometry().srid(), f + ".geometry.srid"));
  std::string type;
  switch (u.geometry().encoding()) {
    case cpb::GEOMETRY_ENCODING_WKT: {
      NRP_ASSIGN_OR_RETURN(auto s, geo::CheckWkt(u.geometry().text(), f + ".geometry.text"));
      type = s.type;
      break;
    }
    case cpb::GEOMETRY_ENCODING_GEOJSON: {
      NRP_ASSIGN_OR_RETURN(auto s, geo::CheckGeoJson(u.geometry().text(), f + ".geometry.text"));
      type = s.type;
      break;
    }
    default:
      return Error::InvalidArgument(f + ".geometry.encoding",
                                    "must be GEOMETRY_ENCODING_WKT or GEOMETRY_ENCODING_GEOJSON");
  }
  if (type != "POLYGON" && type != "MULTIPOLYGON") {
    return Error::InvalidArgument(
        f + ".geometry.text", "a parcel boundary must be a polygon or multipolygon, got " + type);
  }
  if (u.has_land_area() && !(u.land_area().square_metres() >= 0)) {
    return Error::InvalidArgument(f + ".land_area.square_metres", "must not be negative");
  }
  if (u.has_building_area()) {
    if (!(u.building_area().square_metres() >= 0)) {
      return Error::InvalidArgument(f + ".building_area.square_metres", "must not be negative");
    }
    if (code.fixture_type() != v1::FIXTURE_TYPE_BUILDING) {
      return Error::InvalidArgument(f + ".building_area",
                                    "is only for units with a building (fixture code F)");
    }
  }
  if (!u.land_use_code().empty() && !IsLandUseCode(u.land_use_code())) {
    return Error::InvalidArgument(
        f + ".land_use_code",
        "'" + u.land_use_code() + "' is not a GB/T 21010-2017 land use class code");
  }
  if (u.status() == v1::UNIT_STATUS_EXTINGUISHED) {
    return Error::InvalidArgument(f + ".status", "a new unit cannot be extinguished");
  }
  if (!v1::UnitStatus_IsValid(u.status())) {
    return Error::InvalidArgument(f + ".status", "is not a known status");
  }
  if (u.source_parcel_id().size() > 100) {
    return Error::InvalidArgument(f + ".source_parcel_id", "must be at most 100 characters");
  }
  return Ok();
}

Result<v1::RealEstateUnit> NewRealEstateUnit(const v1::RealEstateUnit& input, TimePoint now) {
  NRP_RETURN_IF_ERROR(ValidateRealEstateUnit(input, "unit"));
  NRP_ASSIGN_OR_RETURN(UnitCode code, UnitCode::Parse(input.unit_code(), "unit.unit_code"));
  v1::RealEstateUnit u;
  u.set_unit_code(code.str());
  u.set_region_code(code.county_code());
  u.set_parcel_code(code.parcel_code());
  u.set_land_ownership(code.ownership());
  u.set_parcel_feature(code.parcel_type());
  u.set_fixture_type(code.fixture_type());
  u.set_location(input.location());
  *u.mutable_geometry() = input.geometry();
  if (u.geometry().srid() == 0) u.mutable_geometry()->set_srid(4490);
  if (input.has_land_area()) *u.mutable_land_area() = input.land_area();
  if (input.has_building_area()) *u.mutable_building_area() = input.building_area();
  u.set_land_use_code(input.land_use_code());
  u.set_status(v1::UNIT_STATUS_ACTIVE);
  u.set_source_parcel_id(input.source_parcel_id());
  *u.mutable_create_time() = ToTimestamp(now);
  *u.mutable_update_time() = ToTimestamp(now);
  return u;
}

}  // namespace nrp::registration
