#include "domain/unit_code.h"

#include <gtest/gtest.h>

#include "domain/region.h"

namespace nrp::registration {
namespace {

void ExpectRejected(const std::string& code, const std::string& message) {
  auto r = UnitCode::Parse(code);
  ASSERT_FALSE(r.ok()) << code;
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.error().message(), message);
  ASSERT_EQ(r.error().field_violations().size(), 1u);
  EXPECT_EQ(r.error().field_violations()[0].field, "unit_code");
}

TEST(UnitCode, ParsesAValidBuildingUnit) {
  auto r = UnitCode::Parse("410302001001GB00012F00010001");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->county_code(), "410302");
  EXPECT_EQ(r->cadastral_zone(), "001");
  EXPECT_EQ(r->sub_zone(), "001");
  EXPECT_EQ(r->parcel_feature_code(), "GB");
  EXPECT_EQ(r->parcel_sequence(), "00012");
  EXPECT_EQ(r->fixture_code(), 'F');
  EXPECT_EQ(r->fixture_number(), "00010001");
  EXPECT_EQ(r->parcel_code(), "410302001001GB00012");
  EXPECT_EQ(r->ownership(), v1::LAND_OWNERSHIP_CODE_STATE);
  EXPECT_EQ(r->parcel_type(), v1::PARCEL_FEATURE_TYPE_CONSTRUCTION_SURFACE);
  EXPECT_EQ(r->fixture_type(), v1::FIXTURE_TYPE_BUILDING);
}

TEST(UnitCode, ParsesEveryParcelTypeAndFixture) {
  for (char type : std::string("BSXCDEFHGWY")) {
    std::string code = std::string("410302001001G") + type + "00012W00000000";
    EXPECT_TRUE(UnitCode::Parse(code).ok()) << code;
  }
  EXPECT_TRUE(UnitCode::Parse("410324002003JA00001W00000000").ok());
  EXPECT_TRUE(UnitCode::Parse("410324002003JC00001F00010001").ok());
  EXPECT_TRUE(UnitCode::Parse("410324002003ZW00001Q00000001").ok());
  EXPECT_TRUE(UnitCode::Parse("410324002003GE00001L00000001").ok());
  auto r = UnitCode::Parse("410324002003JD00001W00000000");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->parcel_type(), v1::PARCEL_FEATURE_TYPE_CONTRACTED_ARABLE);
  EXPECT_EQ(r->fixture_type(), v1::FIXTURE_TYPE_NONE);
}

TEST(UnitCode, RejectsEmpty) { ExpectRejected("", "unit_code: is required"); }

TEST(UnitCode, RejectsWrongLength) {
  ExpectRejected("410302001001GB00012F0001000",
                 "unit_code: must be 28 characters (GB/T 37346-2019), got 27");
  ExpectRejected("410302001001GB00012F000100011",
                 "unit_code: must be 28 characters (GB/T 37346-2019), got 29");
  // Characters, not bytes: a Chinese character counts once.
  ExpectRejected("410302001001GB00012F00010号",
                 "unit_code: must be 28 characters (GB/T 37346-2019), got 26");
}

TEST(UnitCode, RejectsCountyCode) {
  ExpectRejected("41030A001001GB00012F00010001",
                 "unit_code: county code '41030A' (characters 1-6) must be 6 digits");
  ExpectRejected("990302001001GB00012F00010001",
                 "unit_code: county code '990302' (characters 1-6) has no GB/T 2260 province '99'");
}

TEST(UnitCode, RejectsZones) {
  ExpectRejected("4103020A1001GB00012F00010001",
                 "unit_code: cadastral zone '0A1' (characters 7-9) must be 3 digits");
  ExpectRejected("410302001 01GB00012F00010001",
                 "unit_code: cadastral sub-zone ' 01' (characters 10-12) must be 3 digits");
}

TEST(UnitCode, RejectsParcelFeatureCode) {
  ExpectRejected("410302001001XB00012F00010001",
                 "unit_code: parcel feature code 'XB' (characters 13-14): ownership letter 'X' "
                 "must be G (state), J (collective) or Z (undetermined)");
  ExpectRejected("410302001001gB00012F00010001",
                 "unit_code: parcel feature code 'gB' (characters 13-14): ownership letter 'g' "
                 "must be G (state), J (collective) or Z (undetermined)");
  ExpectRejected("410302001001GK00012F00010001",
                 "unit_code: parcel feature code 'GK' (characters 13-14): type letter 'K' must "
                 "be one of A, B, S, X, C, D, E, F, H, G, W, Y");
  ExpectRejected("410302001001GA00012W00000000",
                 "unit_code: parcel feature code 'GA': type A (collective land ownership parcel) "
                 "requires ownership letter J (collective)");
  ExpectRejected("410302001001JH00012W00000000",
                 "unit_code: parcel feature code 'JH': sea areas (H) and uninhabited islands (G) "
                 "are state-owned and cannot have ownership letter J");
}

TEST(UnitCode, RejectsParcelSequence) {
  ExpectRejected("410302001001GB0001AF00010001",
                 "unit_code: parcel sequence '0001A' (characters 15-19) must be 5 digits");
  ExpectRejected("410302001001GB00000F00010001",
                 "unit_code: parcel sequence '00000' (characters 15-19) must be 00001 to 99999");
}

TEST(UnitCode, RejectsFixtureFeatureCode) {
  ExpectRejected("410302001001GB00012A00010001",
                 "unit_code: fixture feature code 'A' (character 20) must be F (building), L "
                 "(forest/trees), Q (other) or W (none)");
}

TEST(UnitCode, RejectsFixtureUnitNumber) {
  ExpectRejected("410302001001GB00012F0001000X",
                 "unit_code: fixture unit number '0001000X' (characters 21-28) must be 8 digits");
  ExpectRejected("410302001001GB00012W00010001",
                 "unit_code: fixture unit number '00010001' must be 00000000 when the fixture "
                 "feature code is W (no fixture)");
  ExpectRejected("410302001001GB00012F00000000",
                 "unit_code: fixture unit number '00000000' is only valid with fixture feature "
                 "code W (no fixture), not 'F'");
}

TEST(UnitCode, NamesTheCallersField) {
  auto r = UnitCode::Parse("410302001001GB00012F0001000X", "registration_case.unit_code");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field_violations()[0].field, "registration_case.unit_code");
}

TEST(Region, ValidatesCodes) {
  EXPECT_TRUE(ValidateRegionCode("410302").ok());
  auto e = ValidateRegionCode("41030");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message(), "region_code: must be a 6-digit GB/T 2260 code, got '41030'");
  e = ValidateRegionCode("000000");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message(), "region_code: '00' is not a GB/T 2260 province code");
  EXPECT_EQ(ProvinceAbbreviation("410300"), "豫");
  EXPECT_EQ(ProvinceAbbreviation("140000"), "晋");
  EXPECT_EQ(ProvinceAbbreviation("640300"), "宁");
  EXPECT_EQ(ProvinceAbbreviation("220000"), "吉");
}

TEST(Region, CallersActOnlyWithinTheirPrefixes) {
  EXPECT_TRUE(CheckRegionScope("410302", {"4103"}).ok());
  EXPECT_TRUE(CheckRegionScope("410302", {"4102", "41"}).ok());
  auto e = CheckRegionScope("410302", {"4102"});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Code::kPermissionDenied);
  EXPECT_EQ(e.error().message(), "region 410302 is outside the caller's regions (4102)");
  e = CheckRegionScope("410302", {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message(), "region 410302 is outside the caller's regions (none)");
}

}  // namespace
}  // namespace nrp::registration
