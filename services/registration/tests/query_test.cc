#include "domain/query.h"

#include <gtest/gtest.h>

#include "domain/real_estate_unit.h"
#include "test_support.h"

namespace nrp::registration {
namespace {

using namespace testsupport;

TEST(QueryReason, PurposeAndLegalBasisAreRequired) {
  v1::QueryReason r;
  auto e = ValidateQueryReason(r);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(e.error().message(),
            "reason.purpose: is required: a query of personal data in the register must state "
            "its purpose");
  r.set_purpose(v1::QUERY_PURPOSE_ADMINISTRATIVE);
  e = ValidateQueryReason(r);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message(),
            "reason.legal_basis: is required: a query of personal data in the register must "
            "name its legal basis");
  r.set_legal_basis("不动产登记资料查询暂行办法 第二十一条");
  EXPECT_TRUE(ValidateQueryReason(r).ok());
  r.set_purpose(v1::QUERY_PURPOSE_JUDICIAL);
  e = ValidateQueryReason(r);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message(),
            "reason.reference: is required for QUERY_PURPOSE_JUDICIAL: the case, order or "
            "proof-of-interest number");
  r.set_reference("(2026)豫03民初123号");
  EXPECT_TRUE(ValidateQueryReason(r).ok());
  r.set_purpose(static_cast<v1::QueryPurpose>(99));
  EXPECT_FALSE(ValidateQueryReason(r).ok());
}

TEST(Masking, RegisterAndCaseMaskPersonalIdNumbers) {
  v1::UnitRegister reg;
  v1::Right right = HouseRight(Zhang());
  *reg.add_current_rights() = right;
  *reg.add_entries()->mutable_right() = right;
  MaskUnitRegister(&reg);
  const std::string id = Zhang().id_number();
  EXPECT_EQ(reg.current_rights(0).holders(0).party().id_number(),
            id.substr(0, 6) + "********" + id.substr(14));
  EXPECT_EQ(reg.entries(0).right().holders(0).party().id_number(),
            id.substr(0, 6) + "********" + id.substr(14));
  v1::RegistrationCase c = MortgageCase("x", Zhang(), Bank());
  MaskCase(&c);
  EXPECT_NE(c.applicants(1).party().id_number(), id);
  EXPECT_EQ(c.applicants(0).party().id_number(), Bank().id_number());
  EXPECT_NE(c.proposed_right().mortgage().mortgagors(0).id_number(), id);
}

v1::RealEstateUnit Unit() {
  v1::RealEstateUnit u;
  u.set_unit_code(kUnit);
  u.set_location("洛阳市老城区中州东路 1 号 1 幢 1 单元 101");
  u.mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
  u.mutable_geometry()->set_text(
      "POLYGON((112.47 34.68, 112.471 34.68, 112.471 34.681, 112.47 34.681, 112.47 34.68))");
  u.mutable_land_area()->set_square_metres(1000);
  u.mutable_building_area()->set_square_metres(120);
  u.set_land_use_code("0701");
  return u;
}

TEST(RealEstateUnit, DecodesTheCodeOnCreation) {
  auto u = NewRealEstateUnit(Unit(), At(2026, 9, 28));
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_EQ(u->region_code(), "410302");
  EXPECT_EQ(u->parcel_code(), "410302001001GB00012");
  EXPECT_EQ(u->land_ownership(), v1::LAND_OWNERSHIP_CODE_STATE);
  EXPECT_EQ(u->parcel_feature(), v1::PARCEL_FEATURE_TYPE_CONSTRUCTION_SURFACE);
  EXPECT_EQ(u->fixture_type(), v1::FIXTURE_TYPE_BUILDING);
  EXPECT_EQ(u->status(), v1::UNIT_STATUS_ACTIVE);
  EXPECT_EQ(u->geometry().srid(), 4490);
}

TEST(RealEstateUnit, RejectsBadFields) {
  auto check = [](v1::RealEstateUnit u, const std::string& message) {
    auto e = ValidateRealEstateUnit(u, "unit");
    ASSERT_FALSE(e.ok()) << message;
    EXPECT_EQ(e.error().code(), Code::kInvalidArgument);
    EXPECT_EQ(e.error().message(), message);
  };
  auto u = Unit();
  u.set_region_code("410303");
  check(u, "unit.region_code: must equal the unit code's county code 410302 or be empty");
  u = Unit();
  u.set_location("");
  check(u, "unit.location: is required");
  u = Unit();
  u.clear_geometry();
  check(u, "unit.geometry: is required (宗地图形)");
  u = Unit();
  u.mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_UNSPECIFIED);
  check(u, "unit.geometry.encoding: must be GEOMETRY_ENCODING_WKT or GEOMETRY_ENCODING_GEOJSON");
  u = Unit();
  u.mutable_geometry()->set_text("POINT(112.47 34.68)");
  check(u, "unit.geometry.text: a parcel boundary must be a polygon or multipolygon, got POINT");
  u = Unit();
  u.mutable_land_area()->set_square_metres(-1);
  check(u, "unit.land_area.square_metres: must not be negative");
  u = Unit();
  u.set_unit_code("410302001001GB00012W00000000");
  check(u, "unit.building_area: is only for units with a building (fixture code F)");
  u = Unit();
  u.set_land_use_code("7");
  check(u, "unit.land_use_code: '7' is not a GB/T 21010-2017 land use class code");
}

}  // namespace
}  // namespace nrp::registration
