#include "fixture.h"

#include <cstdio>
#include <thread>

#include "nrp/core/uuid.h"
#include "nrp/events/topics.h"
#include "nrp/rpc/auth.h"
#include "nrp/rpc/client.h"
#include "nrp/service/publish.h"
#include "nrp_migrations_planning.h"

namespace nrp::planning::testing {

namespace {
std::string Fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}
}  // namespace

std::string RectWkt(double lon0, double lat0, double lon1, double lat1) {
  return "POLYGON((" + Fmt(lon0) + " " + Fmt(lat0) + ", " + Fmt(lon1) + " " + Fmt(lat0) + ", " +
         Fmt(lon1) + " " + Fmt(lat1) + ", " + Fmt(lon0) + " " + Fmt(lat1) + ", " + Fmt(lon0) + " " +
         Fmt(lat0) + "))";
}

std::string SquareWkt(double lon, double lat, double side) {
  return RectWkt(lon, lat, lon + side, lat + side);
}

std::string SquareGeoJson(double lon, double lat, double side) {
  auto p = [](double x, double y) { return "[" + Fmt(x) + "," + Fmt(y) + "]"; };
  return R"({"type":"Polygon","coordinates":[[)" + p(lon, lat) + "," + p(lon + side, lat) + "," +
         p(lon + side, lat + side) + "," + p(lon, lat + side) + "," + p(lon, lat) + "]]}";
}

void PlanningFixture::SetUp() {
  db_ = std::make_unique<nrp::testing::TestDatabase>("planning");
  // 2023-07-02 00:00 in China Standard Time: half of the 2021–2025 period.
  clock_ = std::make_unique<ManualClock>(*ParseRfc3339("2023-07-01T16:00:00Z"));
  prefix_ = nrp::testing::NewTopicPrefix();
  const std::string tokens =
      std::string(R"({")") + kPlannerToken +
      R"(": {"agency": "henan-nrd", "scopes": ["planning.read", "planning.write"], "regions": ["41"]}, ")" +
      kReaderToken +
      R"(": {"agency": "henan-reader", "scopes": ["planning.read"], "regions": ["41"]}, ")" +
      kProvinceToken +
      R"(": {"agency": "national-nrd", "scopes": ["planning.read", "planning.write"], "regions": ["1", "2", "3", "4", "5", "6"]}})";
  auto o = nrp::testing::TestRuntimeOptions({.service = "planning",
                                             .conninfo = db_->conninfo(),
                                             .topic_prefix = prefix_,
                                             .tokens_json = tokens,
                                             .pool_size = 8,
                                             .rate_per_second = 10000,
                                             .burst = 10000});
  o.server.max_message_bytes = 16 << 20;
  rt_ = std::make_unique<service::Runtime>(std::move(o), *clock_);
  auto s = rt_->Init({nrp_migrations_planning()});
  ASSERT_TRUE(s.ok()) << s.error().message();
  PlanningConfig config;
  config.data_dir = NRP_PLANNING_DATA_DIR;
  config.recompute_interval = std::chrono::hours(24);
  Configure(config);
  service_ = std::make_unique<PlanningService>(*rt_, std::move(config));
  s = service_->Wire();
  ASSERT_TRUE(s.ok()) << s.error().message();
  s = rt_->Start();
  ASSERT_TRUE(s.ok()) << s.error().message();
  target_ = rt_->target();
  stub_ = Stub(kPlannerToken);
}

void PlanningFixture::TearDown() {
  stub_.reset();
  if (rt_) rt_->Stop();
  service_.reset();
  rt_.reset();
  db_.reset();
}

std::unique_ptr<v1::PlanningService::Stub> PlanningFixture::Stub(const std::string& token) const {
  rpc::ChannelOptions c;
  c.target = target_;
  c.bearer_token = token;
  c.max_message_bytes = 16 << 20;
  return v1::PlanningService::NewStub(rpc::MakeChannel(c));
}

v1::ZoneLayer PlanningFixture::CreateLayer(common::ZoneLayerKind kind, const std::string& region) {
  grpc::ClientContext ctx;
  v1::CreateZoneLayerRequest req;
  req.set_request_id(NewUuidV4());
  req.mutable_layer()->set_kind(kind);
  req.mutable_layer()->set_region_code(region);
  req.mutable_layer()->set_name(common::ZoneLayerKind_Name(kind) + " " + region);
  v1::ZoneLayer out;
  auto st = stub_->CreateZoneLayer(&ctx, req, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return out;
}

v1::LayerVersion PlanningFixture::NewVersion(const std::string& layer_id) {
  grpc::ClientContext ctx;
  v1::CreateLayerVersionRequest req;
  req.set_request_id(NewUuidV4());
  req.set_layer_id(layer_id);
  req.set_note("test delineation");
  v1::LayerVersion out;
  auto st = stub_->CreateLayerVersion(&ctx, req, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return out;
}

v1::ImportZonesResponse PlanningFixture::Import(const std::string& layer_id, int64_t version,
                                                const std::vector<ZoneSpec>& zones,
                                                size_t per_message) {
  grpc::ClientContext ctx;
  v1::ImportZonesResponse out;
  auto writer = stub_->ImportZones(&ctx, &out);
  const std::string request_id = NewUuidV4();
  for (size_t i = 0; i < zones.size(); i += per_message) {
    v1::ImportZonesRequest msg;
    if (i == 0) msg.set_request_id(request_id);
    msg.set_layer_id(layer_id);
    msg.set_version(version);
    for (size_t k = i; k < std::min(zones.size(), i + per_message); ++k) {
      auto* z = msg.add_zones();
      z->set_zone_id(zones[k].id);
      z->set_name(zones[k].name.empty() ? zones[k].id : zones[k].name);
      z->set_control_level(zones[k].level);
      z->mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_WKT);
      z->mutable_geometry()->set_text(zones[k].wkt);
    }
    EXPECT_TRUE(writer->Write(msg));
  }
  writer->WritesDone();
  auto st = writer->Finish();
  EXPECT_TRUE(st.ok()) << st.error_message();
  return out;
}

v1::LayerVersion PlanningFixture::Publish(const std::string& layer_id, int64_t version) {
  grpc::ClientContext ctx;
  v1::PublishLayerVersionRequest req;
  req.set_request_id(NewUuidV4());
  req.set_layer_id(layer_id);
  req.set_version(version);
  v1::LayerVersion out;
  auto st = stub_->PublishLayerVersion(&ctx, req, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return out;
}

v1::LayerVersion PlanningFixture::PublishLayer(const std::string& layer_id,
                                               const std::vector<ZoneSpec>& zones) {
  v1::LayerVersion v = NewVersion(layer_id);
  auto imported = Import(layer_id, v.version(), zones);
  EXPECT_EQ(imported.rejections_size(), 0) << imported.DebugString();
  return Publish(layer_id, v.version());
}

void PlanningFixture::ProduceEvent(const std::string& service, std::string_view base_topic,
                                   const google::protobuf::Message& payload,
                                   const std::string& region_code) {
  auto built = service::BuildEvent(payload, service, prefix_, region_code, "", *clock_);
  ASSERT_TRUE(built.ok()) << built.error().message();
  ASSERT_EQ(built->topic, prefix_ + std::string(base_topic));
  auto st = producer_.Produce(built->topic, built->event);
  ASSERT_TRUE(st.ok()) << st.error().ToString();
}

std::vector<events::CloudEvent> PlanningFixture::ReadPlanningEvents(
    const std::function<bool(const std::vector<events::CloudEvent>&)>& done,
    std::chrono::milliseconds timeout) {
  nrp::testing::TopicReader reader(prefix_ + std::string(events::kPlanningTopic),
                                   prefix_ + "reader-" + NewUuidV4().substr(0, 8));
  auto out = reader.ReadUntil(done, timeout);
  EXPECT_EQ(reader.undecodable(), 0);
  return out;
}

v1::Indicator PlanningFixture::Indicator(const std::string& id) {
  grpc::ClientContext ctx;
  v1::GetIndicatorRequest req;
  req.set_indicator_id(id);
  v1::Indicator out;
  auto st = stub_->GetIndicator(&ctx, req, &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return out;
}

v1::Indicator PlanningFixture::WaitForIndicator(
    const std::string& id, const std::function<bool(const v1::Indicator&)>& pred,
    std::chrono::milliseconds timeout) {
  v1::Indicator last;
  nrp::testing::WaitFor(
      [&] {
        last = Indicator(id);
        return pred(last);
      },
      timeout, std::chrono::milliseconds(100));
  return last;
}

int64_t PlanningFixture::Count(const std::string& sql) {
  pqxx::connection c(db_->conninfo());
  pqxx::nontransaction tx(c);
  return tx.exec(sql)[0][0].as<int64_t>();
}

}  // namespace nrp::planning::testing
