#include <gtest/gtest.h>

#include "nrp/geo/area.h"
#include "nrp/geo/input_check.h"

namespace nrp::geo {
namespace {

TEST(Area, UnitConversions) {
  // 1 公顷 = 15 亩 = 10 000 m²; 1 km² = 100 公顷.
  EXPECT_DOUBLE_EQ(ConvertArea(1, AreaUnit::kHectare, AreaUnit::kMu), 15);
  EXPECT_DOUBLE_EQ(ConvertArea(1, AreaUnit::kSquareKilometre, AreaUnit::kHectare), 100);
  EXPECT_NEAR(ConvertArea(1, AreaUnit::kMu, AreaUnit::kSquareMetre), 666.6667, 1e-4);
  // Luoyang's binding target: 6.28 km² of historical mine sites restored.
  auto a = Area::Of(6.28, AreaUnit::kSquareKilometre);
  ASSERT_TRUE(a.ok());
  EXPECT_DOUBLE_EQ(a->hectares(), 628);
  EXPECT_DOUBLE_EQ(a->mu(), 9420);
  EXPECT_EQ(a->Format(AreaUnit::kHectare, 2), "628.00 公顷");
  EXPECT_EQ(*ParseAreaUnit("亩"), AreaUnit::kMu);
  EXPECT_EQ(*ParseAreaUnit("平方公里"), AreaUnit::kSquareKilometre);
  auto bad = ParseAreaUnit("acre");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Code::kInvalidArgument);
  auto negative = Area::Of(-1, AreaUnit::kHectare, "restored_area");
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().message(), "restored_area: must be a finite number ≥ 0");
}

constexpr char kLuoyangSquare[] =
    "POLYGON((112.40 34.60, 112.41 34.60, 112.41 34.61, 112.40 34.61, 112.40 34.60))";

TEST(CheckWkt, AcceptsPolygonsAndSummarises) {
  auto s = CheckWkt(kLuoyangSquare, "parcel.boundary");
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(s->type, "POLYGON");
  EXPECT_EQ(s->vertices, 5u);
  EXPECT_EQ(s->rings, 1u);
  EXPECT_DOUBLE_EQ(s->max_lon, 112.41);
  auto m = CheckWkt(
      "SRID=4490;MULTIPOLYGON(((112.4 34.6,112.5 34.6,112.5 34.7,112.4 34.6)),"
      "((113 34,113.1 34,113.1 34.1,113 34)))",
      "zone.geometry");
  ASSERT_TRUE(m.ok()) << m.error().message();
  EXPECT_EQ(m->rings, 2u);
}

TEST(CheckWkt, RefusesWithTheFieldAndReason) {
  auto expect = [](const std::string& wkt, const std::string& message) {
    auto r = CheckWkt(wkt, "parcel.boundary");
    ASSERT_FALSE(r.ok()) << wkt;
    EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
    EXPECT_EQ(r.error().message(), message) << wkt;
    ASSERT_EQ(r.error().field_violations().size(), 1u);
    EXPECT_EQ(r.error().field_violations()[0].field, "parcel.boundary");
  };
  expect("POLYGON((34.60 112.40, 34.60 112.41, 34.61 112.41, 34.61 112.40, 34.60 112.40))",
         "parcel.boundary: coordinate 1 (34.6 112.4) is outside -180..180, -90..90 — are "
         "longitude and latitude swapped?");
  expect("POLYGON((500000 3830000, 500100 3830000, 500100 3830100, 500000 3830000))",
         "parcel.boundary: coordinate 1 (500000 3.83e+06) is outside -180..180, -90..90 — "
         "EPSG:4490 takes degrees of longitude then latitude");
  expect("POLYGON((2.35 48.85, 2.36 48.85, 2.36 48.86, 2.35 48.85))",
         "parcel.boundary: coordinate 1 (2.35 48.85) lies outside the service area 73..136E, "
         "3..54N");
  expect("POLYGON((112.40 34.60, 112.41 34.60, 112.41 34.61, 112.40 34.62))",
         "parcel.boundary: polygon 1 ring 1 is not closed (first point ≠ last point)");
  expect("POLYGON((112.40 34.60, 112.41 34.60, 112.40 34.60))",
         "parcel.boundary: polygon 1 ring 1 has 3 points; a ring needs at least 4");
  expect("POLYGON((112.40 34.60, 112.41 34.60", "parcel.boundary: expected ',' or ')' at "
                                                 "the end of the text");
  expect("POLYGON Z((112.4 34.6 1, 112.5 34.6 1, 112.5 34.7 1, 112.4 34.6 1))",
         "parcel.boundary: only 2D geometries are accepted, got POLYGON Z");
  expect("CIRCLE(1 2)", "parcel.boundary: unsupported geometry type 'CIRCLE'");
  expect("POLYGON EMPTY", "parcel.boundary: geometry is empty");
  expect(std::string(kLuoyangSquare) + " trailing",
         "parcel.boundary: unexpected text after the geometry at character 81");
  expect("SRID=3857;POINT(112 34)",
         "parcel.boundary: SRID 3857 is not accepted; send CGCS2000 coordinates (EPSG:4490)");
}

TEST(CheckWkt, VertexLimit) {
  GeometryLimits limits;
  limits.max_vertices = 4;
  auto r = CheckWkt(kLuoyangSquare, "zone.geometry", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "zone.geometry: more than 4 vertices");
}

TEST(CheckGeoJson, AcceptsAndRefuses) {
  auto ok = CheckGeoJson(
      R"({"type":"Polygon","coordinates":[[[112.4,34.6],[112.41,34.6],[112.41,34.61],[112.4,34.6]]]})",
      "feature.geometry");
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_EQ(ok->type, "POLYGON");
  auto swapped = CheckGeoJson(R"({"type":"Point","coordinates":[34.6,112.4]})", "f");
  ASSERT_FALSE(swapped.ok());
  EXPECT_NE(swapped.error().message().find("swapped"), std::string::npos);
  auto bad = CheckGeoJson("{not json", "f");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "f: not valid JSON");
  auto three_d = CheckGeoJson(R"({"type":"Point","coordinates":[112.4,34.6,10]})", "f");
  ASSERT_FALSE(three_d.ok());
  EXPECT_EQ(three_d.error().message(), "f: a position must be [longitude, latitude]");
}

}  // namespace
}  // namespace nrp::geo
