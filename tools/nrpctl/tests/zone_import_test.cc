// GeoJSON FeatureCollection -> the ImportZones stream.
#include "nrp/nrpctl/zone_import.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "nrp/core/uuid.h"
#include "nrp/planning/v1/planning.pb.h"

namespace nrp::nrpctl {
namespace {

namespace planning = nrp::planning::v1;

const char* kThreeZones = R"({
  "type": "FeatureCollection",
  "features": [
    {"type": "Feature", "id": "Z1",
     "properties": {"name": "伊洛河湿地", "control_level": "core_protection", "hxlx": "水源涵养", "bsm": 410300001},
     "geometry": {"type": "Polygon", "coordinates": [[[112.4,34.6],[112.41,34.6],[112.41,34.61],[112.4,34.6]]]}},
    {"type": "Feature",
     "properties": {"zone_id": "Z2", "region_code": "410323", "note": null},
     "geometry": {"type": "Point", "coordinates": [112.5, 34.7]}},
    {"type": "Feature", "id": 3,
     "properties": {"control_level": "GENERAL_CONTROL"},
     "geometry": {"type": "Point", "coordinates": [112.6, 34.8]}}
  ]})";

const planning::ImportZonesRequest& At(
    const std::vector<std::unique_ptr<google::protobuf::Message>>& v, size_t i) {
  return static_cast<const planning::ImportZonesRequest&>(*v.at(i));
}

TEST(ZoneImport, FeaturesBecomeZonesInChunks) {
  ZoneImportOptions o;
  o.layer_id = "L1";
  o.version = 2;
  o.region_code = "410300";
  o.chunk_zones = 2;
  auto requests = ZoneImportRequests(kThreeZones, o);
  ASSERT_TRUE(requests.ok()) << requests.failure().error.message();
  ASSERT_EQ(requests.value().size(), 2u);
  const auto& first = At(requests.value(), 0);
  const auto& second = At(requests.value(), 1);
  EXPECT_TRUE(IsUuid(first.request_id()));
  EXPECT_EQ(second.request_id(), first.request_id()) << "one idempotency key for the import";
  EXPECT_EQ(first.layer_id(), "L1");
  EXPECT_EQ(second.version(), 2);
  ASSERT_EQ(first.zones_size(), 2);
  ASSERT_EQ(second.zones_size(), 1);

  const planning::Zone& z1 = first.zones(0);
  EXPECT_EQ(z1.zone_id(), "Z1");
  EXPECT_EQ(z1.name(), "伊洛河湿地");
  EXPECT_EQ(z1.control_level(), nrp::common::v1::ZONE_CONTROL_LEVEL_CORE_PROTECTION);
  EXPECT_EQ(z1.region_code(), "410300") << "--region for features without one";
  EXPECT_EQ(z1.geometry().encoding(), nrp::common::v1::GEOMETRY_ENCODING_GEOJSON);
  auto geometry = nlohmann::json::parse(z1.geometry().text());
  EXPECT_EQ(geometry["type"], "Polygon");
  EXPECT_EQ(z1.attributes().at("hxlx"), "水源涵养");
  EXPECT_EQ(z1.attributes().at("bsm"), "410300001");
  EXPECT_EQ(z1.attributes().count("name"), 0u);

  const planning::Zone& z2 = first.zones(1);
  EXPECT_EQ(z2.zone_id(), "Z2") << "from properties.zone_id";
  EXPECT_EQ(z2.region_code(), "410323");
  EXPECT_EQ(z2.attributes().count("note"), 0u) << "null properties are dropped";
  EXPECT_EQ(second.zones(0).zone_id(), "3") << "numeric feature ids become text";
  EXPECT_EQ(second.zones(0).control_level(), nrp::common::v1::ZONE_CONTROL_LEVEL_GENERAL_CONTROL);
}

TEST(ZoneImport, ByteLimitSplitsChunks) {
  ZoneImportOptions o;
  o.layer_id = "L1";
  o.version = 1;
  o.request_id = "5f0c9a52-1f7e-4d0e-9a51-2b8c1c4f9d10";
  o.chunk_bytes = 10;  // every zone alone
  auto requests = ZoneImportRequests(kThreeZones, o);
  ASSERT_TRUE(requests.ok());
  EXPECT_EQ(requests.value().size(), 3u);
  EXPECT_EQ(At(requests.value(), 2).request_id(), o.request_id);
}

TEST(ZoneImport, ProblemsNameTheFeature) {
  ZoneImportOptions o;
  o.layer_id = "L1";
  o.version = 1;
  struct Case {
    std::string doc;
    std::string says;
  };
  std::vector<Case> cases = {
      {"not json", "not valid JSON"},
      {R"({"type":"Point","coordinates":[1,2]})", "not a GeoJSON FeatureCollection"},
      {R"({"type":"FeatureCollection","features":[]})", "has no features"},
      {R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"A","geometry":{"type":"Point","coordinates":[1,2]}},
          {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]})",
       "feature #2 has no zone id"},
      {R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"A"}]})",
       "feature #1 (A) has no geometry object"},
      {R"({"type":"FeatureCollection","features":[{"type":"Feature","id":"A","properties":{"control_level":"lava"},
          "geometry":{"type":"Point","coordinates":[1,2]}}]})",
       "feature #1 (A): 'lava' is not a ZoneControlLevel"},
  };
  for (const auto& c : cases) {
    auto r = ZoneImportRequests(c.doc, o);
    ASSERT_FALSE(r.ok()) << c.says;
    EXPECT_EQ(r.failure().exit_code, kExitUsage);
    EXPECT_NE(r.failure().error.message().find(c.says), std::string::npos)
        << r.failure().error.message();
  }
  ZoneImportOptions no_layer;
  no_layer.version = 1;
  EXPECT_FALSE(ZoneImportRequests(kThreeZones, no_layer).ok());
}

}  // namespace
}  // namespace nrp::nrpctl
