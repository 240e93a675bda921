#include "harness.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <pqxx/pqxx>

#include "convert/convert.h"
#include "events/handlers.h"
#include "nrp/core/uuid.h"
#include "nrp/db/migrations.h"
#include "nrp/events/cloud_event.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/rpc/client.h"
#include "nrp/service/publish.h"
#include "nrp/zones/replica.h"

namespace nrp::land_supply::testing {

namespace {

constexpr char kTokens[] = R"({
  "henan-land-writer-0123456789abcdef": {"agency": "henan-nrd",
      "scopes": ["land_supply.read", "land_supply.write", "land_supply.pii"], "regions": ["41"]},
  "henan-land-reader-0123456789abcdef": {"agency": "henan-stats",
      "scopes": ["land_supply.read"], "regions": ["41"]},
  "jilin-land-writer-0123456789abcdef": {"agency": "jilin-nrd",
      "scopes": ["land_supply.read", "land_supply.write"], "regions": ["22"]}
})";

}  // namespace

std::string CreditCode(int n) {
  static const std::string kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  char body[32];
  std::snprintf(body, sizeof body, "91410300MA%07d", n % 10000000);
  std::string code(body, 17);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(kChars.find(code[i])) * kWeights[i];
  code += kChars[(31 - sum % 31) % 31];
  return code;
}

std::string Box(double lon0, double lat0, double lon1, double lat1) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "POLYGON((%.6f %.6f,%.6f %.6f,%.6f %.6f,%.6f %.6f,%.6f %.6f))",
                lon0, lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0);
  return buf;
}

nrp::common::v1::Party Company(const std::string& name, const std::string& credit_code) {
  nrp::common::v1::Party p;
  p.set_kind(nrp::common::v1::PARTY_KIND_ORGANISATION);
  p.set_name(name);
  p.set_id_type(nrp::common::v1::ID_DOCUMENT_TYPE_UNIFIED_SOCIAL_CREDIT_CODE);
  p.set_id_number(credit_code);
  p.set_legal_representative("张三");
  return p;
}

std::string NewRequestId() { return NewUuidV4(); }

Harness::Harness(TimePoint start, bool scheduler_job) : clock_(start) {
  db_ = std::make_unique<nrp::testing::TestDatabase>("ls");
  prefix_ = nrp::testing::NewTopicPrefix();
  auto o = nrp::testing::TestRuntimeOptions({.service = "land_supply",
                                             .conninfo = db_->conninfo(),
                                             .topic_prefix = prefix_,
                                             .tokens_json = kTokens,
                                             .calendar_dir = calendar_.dir().string(),
                                             .pool_size = 24,
                                             .acquire_timeout = std::chrono::seconds(20)});
  o.redis.pool_size = 16;
  rt_ = std::make_unique<service::Runtime>(std::move(o), clock_);
  auto init = rt_->Init(Migrations());
  if (!init.ok()) ADD_FAILURE() << init.error().ToString();
  LandSupplyConfig config;
  config.scheduler = scheduler_job;
  config.scheduler_interval = std::chrono::milliseconds(100);
  svc_ = std::make_unique<LandSupplyService>(*rt_, config);
  auto wired = svc_->Wire();
  if (!wired.ok()) ADD_FAILURE() << wired.error().ToString();
  auto started = rt_->Start();
  if (!started.ok()) ADD_FAILURE() << started.error().ToString();
  rpc::ChannelOptions channel;
  channel.target = rt_->target();
  stub_ = v1::LandSupplyService::NewStub(rpc::MakeChannel(channel));
}

Harness::~Harness() {
  stub_.reset();
  rt_->Stop();
  svc_.reset();
  rt_.reset();
  db_.reset();
}

void Harness::Produce(const google::protobuf::Message& payload, const std::string& region_code) {
  auto st = producer_.Produce(payload, region_code, prefix_, clock_);
  ASSERT_TRUE(st.ok()) << st.error().ToString();
}

void Harness::PublishLayerVersion(const std::string& layer_id, const std::string& region_code,
                                  int kind, int64_t version, const std::vector<Zone>& zones,
                                  const std::vector<std::string>& withdrawn, bool marker,
                                  int64_t zone_count_override) {
  std::map<std::string, std::string> digests;
  int64_t sequence = 0;
  std::vector<Zone> sorted = zones;
  std::sort(sorted.begin(), sorted.end(),
            [](const Zone& a, const Zone& b) { return a.zone_id < b.zone_id; });
  for (const auto& z : sorted) {
    nrp::planning::v1::ZonePublished ev;
    ev.set_layer_id(layer_id);
    ev.set_region_code(region_code);
    ev.set_layer_kind(static_cast<nrp::common::v1::ZoneLayerKind>(kind));
    ev.set_layer_version(version);
    ev.set_zone_id(z.zone_id);
    ev.set_name(z.name);
    ev.set_control_level(static_cast<nrp::common::v1::ZoneControlLevel>(z.control_level));
    ev.mutable_geometry()->set_encoding(nrp::common::v1::GEOMETRY_ENCODING_WKT);
    ev.mutable_geometry()->set_text(z.wkt);
    ev.mutable_geometry()->set_srid(4490);
    (*ev.mutable_attributes())["source"] = "三区三线划定成果";
    ev.set_zone_region_code(region_code);
    ev.set_change(nrp::planning::v1::ZONE_CHANGE_ADDED);
    ev.set_zone_digest(zones::ZoneDigest(ev));
    ev.set_sequence(++sequence);
    digests[z.zone_id] = ev.zone_digest();
    Produce(ev, region_code);
  }
  for (const auto& id : withdrawn) {
    nrp::planning::v1::ZoneWithdrawn ev;
    ev.set_layer_id(layer_id);
    ev.set_region_code(region_code);
    ev.set_layer_kind(static_cast<nrp::common::v1::ZoneLayerKind>(kind));
    ev.set_layer_version(version);
    ev.set_zone_id(id);
    ev.set_previous_version(version - 1);
    Produce(ev, region_code);
  }
  if (!marker) return;
  std::string text;
  for (const auto& [id, digest] : digests) text += id + ":" + digest + "\n";
  nrp::planning::v1::LayerVersionPublished m;
  m.set_layer_id(layer_id);
  m.set_region_code(region_code);
  m.set_layer_kind(static_cast<nrp::common::v1::ZoneLayerKind>(kind));
  m.set_version(version);
  m.set_previous_version(version - 1);
  m.set_zone_count(zone_count_override >= 0 ? zone_count_override
                                            : static_cast<int64_t>(zones.size()));
  m.set_withdrawn_count(static_cast<int64_t>(withdrawn.size()));
  m.set_checksum(db::Sha256Hex(text));
  *m.mutable_published_at() = ToTimestamp(clock_.Now());
  Produce(m, region_code);
}

bool Harness::WaitForLayerVersion(const std::string& layer_id, int64_t version) {
  return nrp::testing::WaitFor(
      [&] {
        return Scalar(
                   "SELECT COALESCE((SELECT current_version FROM zone_replica_layers WHERE "
                   "layer_id = '" +
                   layer_id + "'), 0)") == std::to_string(version);
      },
      std::chrono::seconds(60), std::chrono::milliseconds(50));
}

void Harness::PublishStandardZones() {
  // Urban development boundary 112.40–112.50 E, 34.60–34.70 N; permanent basic
  // farmland east of it; a red-line wetland inside the boundary's north-east.
  PublishLayerVersion(
      "ly-udb", "410300", 3, 1,
      {{"udb-1", "洛阳中心城区城镇开发边界", 1, Box(112.40, 34.60, 112.50, 34.70)}});
  PublishLayerVersion(
      "ly-pbf", "410300", 1, 1,
      {{"pbf-1", "洛龙区永久基本农田保护区", 1, Box(112.50, 34.60, 112.55, 34.65)}});
  PublishLayerVersion("ly-erl", "410300", 2, 1,
                      {{"erl-1", "伊洛河湿地生态保护红线", 2, Box(112.45, 34.68, 112.47, 34.70)}});
  ASSERT_TRUE(WaitForLayerVersion("ly-udb", 1));
  ASSERT_TRUE(WaitForLayerVersion("ly-pbf", 1));
  ASSERT_TRUE(WaitForLayerVersion("ly-erl", 1));
}

int64_t Harness::Count(const std::string& sql) { return std::stoll(Scalar(sql)); }

std::string Harness::Scalar(const std::string& sql) {
  pqxx::connection c(db_->conninfo());
  pqxx::nontransaction tx(c);
  auto r = tx.exec(sql);
  return r[0][0].is_null() ? "" : r[0][0].c_str();
}

std::vector<std::string> Harness::OutboxPayloads(const std::string& ce_type) {
  return nrp::testing::OutboxPayloads(db_->conninfo(), ce_type);
}

v1::Parcel Harness::CreateParcel(const std::string& wkt, v1::LandUse use, const std::string& region,
                                 v1::SoilPollutionStatus soil) {
  v1::CreateParcelRequest req;
  req.set_request_id(NewRequestId());
  auto* p = req.mutable_parcel();
  p->set_region_code(region);
  p->set_name("洛龙区 LLQ-2025-" + NewUuidV4().substr(0, 4) + " 号地块");
  p->set_location("洛阳市洛龙区开元大道南侧");
  p->mutable_geometry()->set_encoding(nrp::common::v1::GEOMETRY_ENCODING_WKT);
  p->mutable_geometry()->set_text(wkt);
  p->set_planned_use(use);
  p->set_land_use_code("05H1");
  p->set_soil_status(soil);
  p->mutable_planning_conditions()->set_plot_ratio_max(2.5);
  v1::Parcel out;
  auto st = Call(&v1::LandSupplyService::Stub::CreateParcel, req, &out);
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  return out;
}

v1::Parcel Harness::ReadyParcel(const std::string& wkt, v1::LandUse use,
                                const std::string& region) {
  v1::Parcel p = CreateParcel(wkt, use, region);
  v1::ReserveParcelRequest reserve;
  reserve.set_request_id(NewRequestId());
  reserve.set_parcel_id(p.parcel_id());
  reserve.mutable_reserve_decision()->set_title("收储决定");
  auto st = Call(&v1::LandSupplyService::Stub::ReserveParcel, reserve, &p);
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  v1::ClearParcelRequest clear;
  clear.set_request_id(NewRequestId());
  clear.set_parcel_id(p.parcel_id());
  clear.mutable_evidence()->set_title("净地证明");
  st = Call(&v1::LandSupplyService::Stub::ClearParcel, clear, &p);
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  return p;
}

v1::SupplyOffer Harness::DraftListing(const v1::Parcel& parcel, int64_t starting_fen,
                                      int64_t reserve_fen, int64_t increment_fen,
                                      v1::SupplyMethod method) {
  v1::CreateOfferRequest req;
  req.set_request_id(NewRequestId());
  auto* o = req.mutable_offer();
  o->set_region_code("410300");
  o->set_parcel_id(parcel.parcel_id());
  o->set_method(method);
  o->set_land_use(parcel.planned_use());
  o->set_term_years(40);
  o->mutable_starting_price()->set_fen(starting_fen);
  o->mutable_reserve_price()->set_fen(reserve_fen);
  o->mutable_bid_increment()->set_fen(increment_fen);
  o->mutable_deposit()->set_fen(starting_fen / 5);
  o->set_intending_users(2);
  TimePoint start = clock_.Now() + std::chrono::hours(24 * 21);
  *o->mutable_bidding_start() = ToTimestamp(start);
  *o->mutable_bidding_end() = ToTimestamp(start + std::chrono::hours(24 * 10));
  v1::SupplyOffer out;
  auto st = Call(&v1::LandSupplyService::Stub::CreateOffer, req, &out);
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  return out;
}

v1::BidderRegistration Harness::RegisterBidder(const std::string& offer_id, const std::string& name,
                                               const std::string& credit_code) {
  v1::GetOfferRequest get;
  get.set_offer_id(offer_id);
  v1::SupplyOffer offer;
  EXPECT_TRUE(Call(&v1::LandSupplyService::Stub::GetOffer, get, &offer).ok());
  v1::RegisterBidderRequest req;
  req.set_request_id(NewRequestId());
  req.set_offer_id(offer_id);
  *req.mutable_bidder() = Company(name, credit_code);
  *req.mutable_deposit_paid() = offer.deposit();
  req.mutable_deposit_receipt()->set_title("保证金缴款凭证");
  v1::BidderRegistration out;
  auto st = Call(&v1::LandSupplyService::Stub::RegisterBidder, req, &out);
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  return out;
}

}  // namespace nrp::land_supply::testing
