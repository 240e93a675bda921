// Zone layers through gRPC: import, version, re-import; invalid features refused.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <set>

#include "client/geojson_import.h"
#include "fixture.h"
#include "nrp/core/uuid.h"
#include "nrp/rpc/auth.h"
#include "nrp/rpc/errors.h"

namespace nrp::planning::testing {
namespace {

using common::ZONE_CONTROL_LEVEL_CORE_PROTECTION;
using common::ZONE_CONTROL_LEVEL_GENERAL_CONTROL;

class LayersTest : public PlanningFixture {
 protected:
  void Configure(PlanningConfig& c) override { c.max_event_bytes = 64 * 1024; }

  std::vector<v1::Zone> Zones(const std::string& layer_id, int64_t version) {
    std::vector<v1::Zone> out;
    std::string token;
    do {
      grpc::ClientContext ctx;
      v1::ListZonesRequest req;
      req.set_layer_id(layer_id);
      req.set_version(version);
      req.set_page_size(2);
      req.set_page_token(token);
      v1::ListZonesResponse resp;
      auto st = stub_->ListZones(&ctx, req, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      if (!st.ok()) break;
      for (const auto& z : resp.zones()) out.push_back(z);
      token = resp.next_page_token();
    } while (!token.empty());
    return out;
  }
};

TEST_F(LayersTest, ImportVersionAndReimport) {
  v1::ZoneLayer layer = CreateLayer(common::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE, "410300");
  EXPECT_EQ(layer.layer_id(), "410300-ecological-red-line");
  EXPECT_EQ(layer.current_version(), 0);

  v1::LayerVersion v1 = NewVersion(layer.layer_id());
  EXPECT_EQ(v1.version(), 1);
  EXPECT_EQ(v1.state(), v1::LAYER_VERSION_STATE_DRAFT);
  // Streamed in chunks of two, one zone in GeoJSON.
  grpc::ClientContext ctx;
  v1::ImportZonesResponse imported;
  {
    auto writer = stub_->ImportZones(&ctx, &imported);
    v1::ImportZonesRequest first;
    first.set_request_id(NewUuidV4());
    first.set_layer_id(layer.layer_id());
    first.set_version(1);
    auto* a = first.add_zones();
    a->set_zone_id("HX-01");
    a->set_name("伊洛河湿地");
    a->set_control_level(ZONE_CONTROL_LEVEL_CORE_PROTECTION);
    a->mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_GEOJSON);
    a->mutable_geometry()->set_text(SquareGeoJson(112.40, 34.60, 0.01));
    (*a->mutable_attributes())["hxlx"] = "水源涵养";
    auto* b = first.add_zones();
    b->set_zone_id("HX-02");
    b->set_control_level(ZONE_CONTROL_LEVEL_GENERAL_CONTROL);
    b->mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_WKT);
    b->mutable_geometry()->set_text(SquareWkt(112.50, 34.60, 0.01));
    ASSERT_TRUE(writer->Write(first));
    v1::ImportZonesRequest second;
    second.set_layer_id(layer.layer_id());
    second.set_version(1);
    auto* c = second.add_zones();
    c->set_zone_id("HX-03");
    c->set_control_level(ZONE_CONTROL_LEVEL_GENERAL_CONTROL);
    c->mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_WKT);
    c->mutable_geometry()->set_text(SquareWkt(112.60, 34.60, 0.01));
    ASSERT_TRUE(writer->Write(second));
    writer->WritesDone();
    auto st = writer->Finish();
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  EXPECT_EQ(imported.zones_received(), 3);
  EXPECT_EQ(imported.zones_accepted(), 3);
  EXPECT_EQ(imported.zone_count(), 3);
  EXPECT_EQ(imported.rejections_size(), 0);

  v1::LayerVersion p1 = Publish(layer.layer_id(), 1);
  EXPECT_EQ(p1.state(), v1::LAYER_VERSION_STATE_PUBLISHED);
  EXPECT_EQ(p1.zone_count(), 3);
  EXPECT_EQ(p1.checksum().size(), 64u);
  // Areas on the ellipsoid: 0.01° × 0.01° at 34.6°N ≈ 1.01 km².
  EXPECT_NEAR(p1.total_area().square_metres() / 3, 1.0154e6, 0.01e6);

  // Version 2: HX-01 unchanged, HX-02 moved, HX-03 withdrawn, HX-04 new.
  v1::LayerVersion v2 = NewVersion(layer.layer_id());
  EXPECT_EQ(v2.version(), 2);
  auto imported2 =
      Import(layer.layer_id(), 2,
             {{"HX-01", "", ZONE_CONTROL_LEVEL_CORE_PROTECTION, "伊洛河湿地"},
              {"HX-02", SquareWkt(112.52, 34.62, 0.01), ZONE_CONTROL_LEVEL_GENERAL_CONTROL, ""},
              {"HX-04", SquareWkt(112.70, 34.60, 0.02), ZONE_CONTROL_LEVEL_GENERAL_CONTROL, ""}});
  // HX-01 had no geometry above: refused, named with its position.
  ASSERT_EQ(imported2.rejections_size(), 1);
  EXPECT_EQ(imported2.rejections(0).zone_id(), "HX-01");
  EXPECT_EQ(imported2.rejections(0).reason().rfind("zones[0] (id HX-01): ", 0), 0u)
      << imported2.rejections(0).reason();
  // Sent again correctly (the same GeoJSON as in version 1), the rejection clears.
  {
    grpc::ClientContext again_ctx;
    v1::ImportZonesResponse again;
    auto writer = stub_->ImportZones(&again_ctx, &again);
    v1::ImportZonesRequest m;
    m.set_request_id(NewUuidV4());
    m.set_layer_id(layer.layer_id());
    m.set_version(2);
    auto* a = m.add_zones();
    a->set_zone_id("HX-01");
    a->set_name("伊洛河湿地");
    a->set_control_level(ZONE_CONTROL_LEVEL_CORE_PROTECTION);
    a->mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_GEOJSON);
    a->mutable_geometry()->set_text(SquareGeoJson(112.40, 34.60, 0.01));
    (*a->mutable_attributes())["hxlx"] = "水源涵养";
    ASSERT_TRUE(writer->Write(m));
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
    EXPECT_EQ(again.rejections_size(), 0);
    EXPECT_EQ(again.zone_count(), 3);
  }
  v1::LayerVersion p2 = Publish(layer.layer_id(), 2);
  EXPECT_EQ(p2.zone_count(), 3);
  EXPECT_NE(p2.checksum(), p1.checksum());

  // The new version is current; the old one stays queryable.
  grpc::ClientContext gctx;
  v1::GetLayerVersionRequest get;
  get.set_layer_id(layer.layer_id());
  get.set_version(1);
  v1::LayerVersion old;
  ASSERT_TRUE(stub_->GetLayerVersion(&gctx, get, &old).ok());
  EXPECT_EQ(old.state(), v1::LAYER_VERSION_STATE_SUPERSEDED);
  EXPECT_EQ(old.checksum(), p1.checksum());

  auto z1 = Zones(layer.layer_id(), 1);
  auto z2 = Zones(layer.layer_id(), 0);  // current
  ASSERT_EQ(z1.size(), 3u);
  ASSERT_EQ(z2.size(), 3u);
  EXPECT_EQ(z1[2].zone_id(), "HX-03");
  EXPECT_EQ(z2[2].zone_id(), "HX-04");
  EXPECT_EQ(z2[0].layer_version(), 2);
  EXPECT_EQ(z1[0].zone_digest(), z2[0].zone_digest());  // HX-01 unchanged
  EXPECT_NE(z1[1].zone_digest(), z2[1].zone_digest());  // HX-02 moved
  EXPECT_EQ(z2[0].attributes().at("hxlx"), "水源涵养");
  EXPECT_EQ(z2[0].control_level(), ZONE_CONTROL_LEVEL_CORE_PROTECTION);
  // One row for the unchanged zone across both versions.
  EXPECT_EQ(Count("SELECT count(*) FROM zones WHERE zone_id = 'HX-01'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM zones WHERE zone_id = 'HX-02'"), 2);

  grpc::ClientContext lctx;
  v1::GetZoneLayerRequest gl;
  gl.set_layer_id(layer.layer_id());
  v1::ZoneLayer after;
  ASSERT_TRUE(stub_->GetZoneLayer(&lctx, gl, &after).ok());
  EXPECT_EQ(after.current_version(), 2);

  // A published version takes no more zones.
  grpc::ClientContext ictx;
  v1::ImportZonesResponse late;
  auto writer = stub_->ImportZones(&ictx, &late);
  v1::ImportZonesRequest m;
  m.set_request_id(NewUuidV4());
  m.set_layer_id(layer.layer_id());
  m.set_version(2);
  auto* z = m.add_zones();
  z->set_zone_id("HX-09");
  z->set_control_level(ZONE_CONTROL_LEVEL_GENERAL_CONTROL);
  z->mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_WKT);
  z->mutable_geometry()->set_text(SquareWkt(112.9, 34.6, 0.01));
  ASSERT_TRUE(writer->Write(m));
  writer->WritesDone();
  auto st = writer->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(st.error_message(),
            "version 2 of layer 410300-ecological-red-line is not a draft; create a new version");
}

TEST_F(LayersTest, ImportsAGeoJsonFeatureCollection) {
  v1::ZoneLayer layer = CreateLayer(common::ZONE_LAYER_KIND_PROTECTED_AREA, "410300");
  NewVersion(layer.layer_id());
  const std::string fc = R"({"type":"FeatureCollection","features":[
    {"type":"Feature","id":"ZR-01","properties":{"name":"河南伏牛山国家级自然保护区","control_level":"核心保护区","bsm":"41032400001"},
     "geometry":)" + SquareGeoJson(111.80, 33.70, 0.02) +
                         R"(},
    {"type":"Feature","id":"ZR-02","properties":{"name":"伏牛山一般控制区","control_level":"general_control","grade":2},
     "geometry":)" + SquareGeoJson(111.82, 33.70, 0.02) +
                         R"(}]})";
  client::GeoJsonImport import;
  import.layer_id = layer.layer_id();
  import.version = 1;
  import.kind = LayerKind::kProtectedArea;
  import.request_id = NewUuidV4();
  import.max_message_bytes = 200;  // one zone a message
  grpc::ClientContext ctx;
  auto r = client::ImportGeoJson(*stub_, &ctx, import, fc);
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->zones_accepted(), 2);
  EXPECT_EQ(r->rejections_size(), 0);
  Publish(layer.layer_id(), 1);
  auto zones = Zones(layer.layer_id(), 0);
  ASSERT_EQ(zones.size(), 2u);
  EXPECT_EQ(zones[0].name(), "河南伏牛山国家级自然保护区");
  EXPECT_EQ(zones[0].control_level(), ZONE_CONTROL_LEVEL_CORE_PROTECTION);
  EXPECT_EQ(zones[0].attributes().at("bsm"), "41032400001");
  EXPECT_EQ(zones[1].attributes().at("grade"), "2");
  EXPECT_EQ(zones[1].geometry().encoding(), common::GEOMETRY_ENCODING_WKT);

  // A feature the local check refuses stops the import before anything is sent.
  grpc::ClientContext ctx2;
  import.request_id = NewUuidV4();
  auto bad = client::ImportGeoJson(*stub_, &ctx2, import,
                                   R"({"type":"Feature","id":"X","properties":{},"geometry":)" +
                                       SquareGeoJson(111.8, 33.7, 0.01) + "}");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(),
            "features[0] (id X).properties.control_level: is required in a protected_area layer");
}

TEST_F(LayersTest, ARetriedImportHasOneEffect) {
  v1::ZoneLayer layer = CreateLayer(common::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND, "410300");
  NewVersion(layer.layer_id());
  v1::ImportZonesRequest m;
  m.set_request_id(NewUuidV4());
  m.set_layer_id(layer.layer_id());
  m.set_version(1);
  auto* z = m.add_zones();
  z->set_zone_id("PBF-1");
  z->mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_WKT);
  z->mutable_geometry()->set_text(SquareWkt(112.4, 34.6, 0.01));
  v1::ImportZonesResponse first, second;
  for (auto* out : {&first, &second}) {
    grpc::ClientContext ctx;
    auto writer = stub_->ImportZones(&ctx, out);
    ASSERT_TRUE(writer->Write(m));
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
  }
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE method LIKE '%ImportZones'"), 1);
}

TEST_F(LayersTest, InvalidFeaturesAreRefusedNamingTheFeatureAndTheReason) {
  v1::ZoneLayer layer = CreateLayer(common::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE, "410300");
  NewVersion(layer.layer_id());
  // A bow tie: closed, in range, but self-intersecting — only PostGIS sees it.
  const std::string bowtie =
      "POLYGON((112.40 34.60, 112.41 34.61, 112.41 34.60, 112.40 34.61, 112.40 34.60))";
  // A ring with a spike back along itself, latitude and longitude swapped, a
  // level the red line does not have, and a zone too large for one event.
  std::string big = "POLYGON((";
  for (int i = 0; i <= 4000; ++i) {
    const double a = 2 * 3.14159265358979 * (i % 4000) / 4000;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%.7f %.7f", i ? ", " : "", 112.2 + 0.1 * std::cos(a),
                  34.2 + 0.1 * std::sin(a));
    big += buf;
  }
  big += "))";
  auto r = Import(
      layer.layer_id(), 1,
      {{"OK-1", SquareWkt(112.3, 34.6, 0.01), ZONE_CONTROL_LEVEL_CORE_PROTECTION, ""},
       {"BAD-BOWTIE", bowtie, ZONE_CONTROL_LEVEL_CORE_PROTECTION, ""},
       {"BAD-SWAPPED", SquareWkt(34.6, 112.4, 0.01), ZONE_CONTROL_LEVEL_GENERAL_CONTROL, ""},
       {"BAD-LEVEL", SquareWkt(112.5, 34.6, 0.01), common::ZONE_CONTROL_LEVEL_KEY_MINING, ""},
       {"BAD-BIG", big, ZONE_CONTROL_LEVEL_GENERAL_CONTROL, ""}},
      5);
  EXPECT_EQ(r.zones_received(), 5);
  EXPECT_EQ(r.zones_accepted(), 1);
  EXPECT_EQ(r.zone_count(), 1);
  ASSERT_EQ(r.rejections_size(), 4);
  EXPECT_EQ(r.rejections(0).zone_id(), "BAD-BOWTIE");
  EXPECT_EQ(r.rejections(0).reason(),
            "zones[1] (id BAD-BOWTIE): geometry: not a valid geometry: Self-intersection[112.405 "
            "34.605]");
  EXPECT_EQ(r.rejections(1).zone_id(), "BAD-SWAPPED");
  EXPECT_EQ(r.rejections(1).reason().rfind("zones[2] (id BAD-SWAPPED): geometry: ", 0), 0u)
      << r.rejections(1).reason();
  EXPECT_EQ(r.rejections(2).reason(),
            "zones[3] (id BAD-LEVEL): control_level: control level key_mining does not occur in a "
            "ecological_red_line layer (allowed: core_protection, general_control)");
  EXPECT_EQ(r.rejections(3).zone_id(), "BAD-BIG");
  EXPECT_NE(r.rejections(3).reason().find(
                "above the limit of 65536 bytes (NRP_PLANNING_MAX_EVENT_BYTES); split "
                "the zone into smaller parts"),
            std::string::npos)
      << r.rejections(3).reason();

  // The draft cannot be published while refused zones are pending.
  grpc::ClientContext ctx;
  v1::PublishLayerVersionRequest pub;
  pub.set_request_id(NewUuidV4());
  pub.set_layer_id(layer.layer_id());
  pub.set_version(1);
  v1::LayerVersion out;
  auto st = stub_->PublishLayerVersion(&ctx, pub, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(st.error_message(),
            "version 1 has 4 rejected zone(s); first: BAD-BIG: zones[4] (id BAD-BIG): " +
                r.rejections(3).reason().substr(std::string("zones[4] (id BAD-BIG): ").size()) +
                "; send them again or discard the version");
  auto details = rpc::FromGrpcStatus(st);
  ASSERT_FALSE(details.ok());
  ASSERT_EQ(details.error().rule_violations().size(), 1u);
  EXPECT_EQ(details.error().rule_violations()[0].type, "REJECTED_ZONES_PENDING");
  EXPECT_EQ(Count("SELECT count(*) FROM zones"), 0);
}

TEST_F(LayersTest, RequestsAreAuthorizedAndValidated) {
  // No token.
  auto anonymous = Stub("");
  grpc::ClientContext c1;
  v1::CreateZoneLayerRequest req;
  req.set_request_id(NewUuidV4());
  req.mutable_layer()->set_kind(common::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND);
  req.mutable_layer()->set_region_code("220000");
  req.mutable_layer()->set_name("吉林省永久基本农田");
  v1::ZoneLayer out;
  EXPECT_EQ(anonymous->CreateZoneLayer(&c1, req, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // Henan's planner cannot act in Jilin.
  grpc::ClientContext c2;
  auto st = stub_->CreateZoneLayer(&c2, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A reader cannot write.
  grpc::ClientContext c3;
  req.mutable_layer()->set_region_code("410300");
  EXPECT_EQ(Stub(kReaderToken)->CreateZoneLayer(&c3, req, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Unspecified kind and a malformed region code.
  grpc::ClientContext c4;
  req.mutable_layer()->set_kind(common::ZONE_LAYER_KIND_UNSPECIFIED);
  st = stub_->CreateZoneLayer(&c4, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "layer.kind: layer kind must be set");
  grpc::ClientContext c5;
  req.mutable_layer()->set_kind(common::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND);
  req.mutable_layer()->set_region_code("4103");
  st = stub_->CreateZoneLayer(&c5, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "layer.region_code: must be a 6-digit GB/T 2260 code");
  // The same kind and region twice.
  CreateLayer(common::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND, "410300");
  grpc::ClientContext c6;
  req.set_request_id(NewUuidV4());
  req.mutable_layer()->set_region_code("410300");
  st = stub_->CreateZoneLayer(&c6, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(st.error_message(),
            "a permanent_basic_farmland layer for region 410300 already exists");
  // No draft to publish.
  grpc::ClientContext c7;
  v1::PublishLayerVersionRequest pub;
  pub.set_request_id(NewUuidV4());
  pub.set_layer_id("410300-permanent-basic-farmland");
  pub.set_version(7);
  v1::LayerVersion v;
  st = stub_->PublishLayerVersion(&c7, pub, &v);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(st.error_message(), "layer 410300-permanent-basic-farmland has no version 7");
}

TEST_F(LayersTest, ListsFilterByRegionPrefixAndPageOverTies) {
  for (const char* region : {"410300", "410305", "410311", "410400"}) {
    CreateLayer(common::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE, region);
    CreateLayer(common::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND, region);
  }
  auto call = [&](const std::string& filter, const std::string& order_by, int page_size,
                  const std::string& token, v1::ListZoneLayersResponse* resp) {
    grpc::ClientContext ctx;
    v1::ListZoneLayersRequest req;
    req.set_filter(filter);
    req.set_order_by(order_by);
    req.set_page_size(page_size);
    req.set_page_token(token);
    return stub_->ListZoneLayers(&ctx, req, resp);
  };
  auto walk = [&](const std::string& filter, const std::string& order_by, int page_size,
                  int* pages) {
    std::vector<v1::ZoneLayer> out;
    std::string token;
    *pages = 0;
    do {
      v1::ListZoneLayersResponse resp;
      auto st = call(filter, order_by, page_size, token, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      if (!st.ok()) break;
      ++*pages;
      for (const auto& l : resp.layers()) out.push_back(l);
      token = resp.next_page_token();
    } while (!token.empty() && *pages < 50);
    return out;
  };
  auto ids = [](const std::vector<v1::ZoneLayer>& layers) {
    std::vector<std::string> out;
    for (const auto& l : layers) out.push_back(l.layer_id());
    return out;
  };
  int pages = 0;
  const std::vector<std::string> all = ids(walk("", "", 1000, &pages));
  ASSERT_GE(all.size(), 8u);
  // Two kinds per region: region_code ties, broken by the layer id.
  for (const std::string order : {"", "region_code desc", "kind desc, region_code"}) {
    auto walked = ids(walk("", order, 3, &pages));
    EXPECT_EQ(walked.size(), all.size()) << order;
    EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()),
              std::set<std::string>(all.begin(), all.end()))
        << order;
    EXPECT_EQ(pages, static_cast<int>((all.size() + 2) / 3)) << order;
  }
  auto luoyang = walk("region_code = \"4103\"", "region_code", 2, &pages);
  ASSERT_EQ(luoyang.size(), 6u);
  EXPECT_EQ(pages, 3);
  for (const auto& l : luoyang) EXPECT_EQ(l.region_code().rfind("4103", 0), 0u) << l.region_code();
  EXPECT_EQ(luoyang.front().region_code(), "410300");
  EXPECT_EQ(luoyang.back().region_code(), "410311");
  EXPECT_EQ(
      walk("region_code = 4103 AND kind = ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE", "", 10, &pages)
          .size(),
      3u);

  v1::ListZoneLayersResponse resp;
  auto st = call("kind = ZONE_LAYER_KIND_UNSPECIFIED", "", 0, "", &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "filter: 'ZONE_LAYER_KIND_UNSPECIFIED' is not a value of kind (ZoneLayerKind)");
  st = call("", "name", 0, "", &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "order_by: cannot order by 'name'; orderable: kind, region_code");
  st = call("", "", 2, rpc::Base64UrlEncode("p1:02|410300|410300-ecological-red-line"), &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(),
            "page_token: issued by an earlier version of the service; start again from the "
            "first page (no page_token)");
  ASSERT_TRUE(call("", "", 2, "", &resp).ok());
  ASSERT_FALSE(resp.next_page_token().empty());
  st = call("region_code = 41", "", 2, resp.next_page_token(), &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message().rfind("page_token: was issued for another filter or order_by", 0),
            0u)
      << st.error_message();
}

}  // namespace
}  // namespace nrp::planning::testing
