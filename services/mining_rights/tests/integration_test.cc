// Mining rights through gRPC against the real PostgreSQL+PostGIS, Redis and the development
// broker: a listing grant from its notice to the registered right, the spatial gate on
// planning's zones (from planning's events) and on the service's own rights, Box 8 at the
// offer, extension and lapse by an injected clock, and closure with the restoration duty
// unfulfilled producing what restoration needs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <pqxx/pqxx>
#include <thread>

#include "nrp/core/uuid.h"
#include "nrp/db/migrations.h"
#include "nrp/mining_rights/v1/events.pb.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/restoration/v1/events.pb.h"
#include "nrp/rpc/client.h"
#include "nrp/rpc/errors.h"
#include "nrp/service/wire_time.h"
#include "nrp/testing/calendar_folder.h"
#include "nrp/testing/infra.h"
#include "nrp/testing/service_kit.h"
#include "nrp/zones/replica.h"
#include "nrp_migrations_planning.h"
#include "planning_service.h"
#include "wiring.h"

namespace nrp::mining_rights {
namespace {

namespace cpb = ::nrp::common::v1;
using Stub = v1::MiningRightsService::Stub;
using service::ToTimestamp;

constexpr char kTokens[] = R"({
  "henan-mine-writer-0123456789abcdef": {"agency": "henan-nrd",
      "scopes": ["mining_rights.read", "mining_rights.write", "mining_rights.pii"],
      "regions": ["41"]},
  "public-reader-0123456789abcdef": {"agency": "citizen-portal",
      "scopes": ["mining_rights.read"], "regions": []}
})";
constexpr char kWriter[] = "henan-mine-writer-0123456789abcdef";
constexpr char kPublic[] = "public-reader-0123456789abcdef";

constexpr char kYanshi[] = "410307";  // 偃师区

TimePoint At(int y, unsigned m, unsigned d, int hour = 10) {
  return TimePoint(std::chrono::sys_days(Date(y, m, d).sys_days())) + std::chrono::hours(hour - 8);
}

std::string Box(double lon0, double lat0, double lon1, double lat1) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "POLYGON((%.6f %.6f,%.6f %.6f,%.6f %.6f,%.6f %.6f,%.6f %.6f))",
                lon0, lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0);
  return buf;
}

cpb::Party Company(const std::string& name, const std::string& code) {
  cpb::Party p;
  p.set_kind(cpb::PARTY_KIND_ORGANISATION);
  p.set_name(name);
  p.set_id_type(cpb::ID_DOCUMENT_TYPE_UNIFIED_SOCIAL_CREDIT_CODE);
  p.set_id_number(code);
  return p;
}

cpb::Date D(int y, int m, int d) {
  cpb::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

class MiningRightsIT : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<nrp::testing::TestDatabase>("mr");
    prefix_ = nrp::testing::NewTopicPrefix();
    auto o = nrp::testing::TestRuntimeOptions({.service = "mining_rights",
                                               .conninfo = db_->conninfo(),
                                               .topic_prefix = prefix_,
                                               .tokens_json = kTokens,
                                               .calendar_dir = calendar_.dir().string()});
    rt_ = std::make_unique<service::Runtime>(std::move(o), clock_);
    auto init = rt_->Init(Migrations());
    ASSERT_TRUE(init.ok()) << init.error().ToString();
    MiningRightsConfig config;
    config.scheduler = false;  // the tests run the pass themselves, at the clock they set
    svc_ = std::make_unique<MiningRightsService>(*rt_, config);
    ASSERT_TRUE(svc_->Wire().ok());
    auto started = rt_->Start();
    ASSERT_TRUE(started.ok()) << started.error().ToString();
    rpc::ChannelOptions channel;
    channel.target = rt_->target();
    stub_ = v1::MiningRightsService::NewStub(rpc::MakeChannel(channel));
    PublishZones();
  }
  void TearDown() override {
    stub_.reset();
    if (rt_) rt_->Stop();
    svc_.reset();
    rt_.reset();
    db_.reset();
  }

  template <class Req, class Resp>
  Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*), const Req& req,
              Resp* resp, const std::string& token = kWriter) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    ctx.AddMetadata("authorization", "Bearer " + token);
    return rpc::FromGrpcStatus(((*stub_).*method)(&ctx, req, resp));
  }

  // One layer version as planning publishes it: the zones, then the marker.
  void PublishLayer(const std::string& layer_id, int kind, int64_t version,
                    const std::vector<std::tuple<std::string, int, std::string>>& zones) {
    std::map<std::string, std::string> digests;
    int64_t seq = 0;
    for (const auto& [id, level, wkt] : zones) {
      nrp::planning::v1::ZonePublished ev;
      ev.set_layer_id(layer_id);
      ev.set_region_code("410300");
      ev.set_layer_kind(static_cast<cpb::ZoneLayerKind>(kind));
      ev.set_layer_version(version);
      ev.set_zone_id(id);
      ev.set_name(id);
      ev.set_control_level(static_cast<cpb::ZoneControlLevel>(level));
      ev.mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
      ev.mutable_geometry()->set_text(wkt);
      ev.mutable_geometry()->set_srid(4490);
      ev.set_zone_region_code("410300");
      ev.set_change(nrp::planning::v1::ZONE_CHANGE_ADDED);
      ev.set_zone_digest(zones::ZoneDigest(ev));
      ev.set_sequence(++seq);
      digests[id] = ev.zone_digest();
      ASSERT_TRUE(producer_.Produce(ev, "410300", prefix_, clock_).ok());
    }
    std::string text;
    for (const auto& [id, digest] : digests) text += id + ":" + digest + "\n";
    nrp::planning::v1::LayerVersionPublished m;
    m.set_layer_id(layer_id);
    m.set_region_code("410300");
    m.set_layer_kind(static_cast<cpb::ZoneLayerKind>(kind));
    m.set_version(version);
    m.set_previous_version(version - 1);
    m.set_zone_count(static_cast<int64_t>(zones.size()));
    m.set_checksum(db::Sha256Hex(text));
    *m.mutable_published_at() = ToTimestamp(clock_.Now());
    ASSERT_TRUE(producer_.Produce(m, "410300", prefix_, clock_).ok());
  }

  // Luoyang's control lines around 偃师 and the mineral planning zones: a key mining zone
  // 112.70–112.80 E × 34.60–34.65 N, a prohibited zone north of it.
  void PublishZones() {
    PublishLayer("ly-erl", 2, 1, {{"erl-1", 2, Box(112.60, 34.70, 112.65, 34.75)}});
    PublishLayer("ly-pbf", 1, 1, {{"pbf-1", 1, Box(112.55, 34.60, 112.60, 34.65)}});
    PublishLayer("ly-udb", 3, 1, {{"udb-1", 1, Box(112.50, 34.60, 112.55, 34.65)}});
    PublishLayer("ly-min", 5, 3,
                 {{"key-1", 4, Box(112.70, 34.60, 112.80, 34.65)},
                  {"ban-1", 6, Box(112.70, 34.66, 112.80, 34.70)}});
    for (const char* layer : {"ly-erl", "ly-pbf", "ly-udb", "ly-min"}) {
      ASSERT_TRUE(nrp::testing::WaitFor(
          [&] {
            return Scalar("SELECT count(*) FROM zone_replica_layers WHERE layer_id = '" +
                          std::string(layer) + "' AND current_version > 0") == "1";
          },
          std::chrono::seconds(60), std::chrono::milliseconds(50)))
          << layer;
    }
  }

  std::string Scalar(const std::string& sql) {
    pqxx::connection c(db_->conninfo());
    pqxx::nontransaction tx(c);
    auto r = tx.exec(sql);
    return r[0][0].is_null() ? "" : r[0][0].c_str();
  }

  v1::GrantOffer GoldListing(const std::string& wkt, double output_t = 120'000) {
    v1::GrantOffer o;
    o.set_region_code(kYanshi);
    o.set_kind(v1::MINING_RIGHT_KIND_MINING);
    o.set_project_name("偃师区某金矿");
    o.mutable_main_mineral()->set_code("20700");
    o.mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
    o.mutable_geometry()->set_text(wkt);
    o.set_mining_method(v1::MINING_METHOD_UNDERGROUND);
    o.mutable_planned_scale()->set_annual_output(output_t);
    o.mutable_planned_scale()->set_unit(v1::OUTPUT_UNIT_TONNES_PER_YEAR);
    o.set_deposit_scale(v1::SCALE_CLASS_MEDIUM);
    o.set_method(v1::GRANT_METHOD_LISTING);
    o.set_term_years(20);
    o.mutable_starting_price()->set_fen(50'000'000);
    o.mutable_reserve_price()->set_fen(60'000'000);
    o.mutable_bid_increment()->set_fen(1'000'000);
    o.mutable_deposit()->set_fen(10'000'000);
    *o.mutable_bidding_start() = ToTimestamp(clock_.Now() + std::chrono::hours(24 * 21));
    *o.mutable_bidding_end() = ToTimestamp(clock_.Now() + std::chrono::hours(24 * 32));
    o.set_restoration_requirements("边开采、边治理");
    return o;
  }

  Result<v1::GrantOffer> Create(const v1::GrantOffer& o) {
    v1::CreateGrantOfferRequest req;
    req.set_request_id(NewUuidV4());
    *req.mutable_offer() = o;
    v1::GrantOffer out;
    NRP_RETURN_IF_ERROR(Call(&Stub::CreateGrantOffer, req, &out));
    return out;
  }

  // Notice → two bidders → three bids → close → contract → right.
  v1::MiningRight GrantByListing(const std::string& wkt) {
    auto offer = Create(GoldListing(wkt));
    EXPECT_TRUE(offer.ok()) << offer.error().ToString();
    v1::PublishGrantOfferRequest pub;
    pub.set_request_id(NewUuidV4());
    pub.set_offer_id(offer->offer_id());
    pub.mutable_notice()->set_title("偃师区金矿采矿权挂牌出让公告");
    v1::GrantOffer published;
    EXPECT_TRUE(Call(&Stub::PublishGrantOffer, pub, &published).ok());
    std::vector<std::string> numbers;
    for (auto [name, code] : {std::pair{"洛阳某矿业有限公司", "91410300MA00000017"},
                              std::pair{"河南某黄金股份有限公司", "91410300MA00000025"}}) {
      v1::RegisterGrantBidderRequest reg;
      reg.set_request_id(NewUuidV4());
      reg.set_offer_id(offer->offer_id());
      *reg.mutable_bidder() = Company(name, code);
      reg.mutable_deposit_paid()->set_fen(10'000'000);
      v1::GrantBidder b;
      auto s = Call(&Stub::RegisterGrantBidder, reg, &b);
      EXPECT_TRUE(s.ok()) << s.error().ToString();
      numbers.push_back(b.bidder_number());
    }
    clock_.Set(FromTs(offer->bidding_start()) + std::chrono::hours(1));
    int64_t amount = 50'000'000;
    for (int i = 0; i < 3; ++i) {
      v1::PlaceGrantBidRequest bid;
      bid.set_request_id(NewUuidV4());
      bid.set_offer_id(offer->offer_id());
      bid.set_bidder_number(numbers[static_cast<size_t>(i % 2)]);
      bid.mutable_amount()->set_fen(amount + i * 10'000'000);
      v1::GrantBid out;
      auto s = Call(&Stub::PlaceGrantBid, bid, &out);
      EXPECT_TRUE(s.ok()) << s.error().ToString();
    }
    clock_.Set(FromTs(offer->bidding_end()) + std::chrono::minutes(1));
    v1::CloseGrantOfferRequest close;
    close.set_request_id(NewUuidV4());
    close.set_offer_id(offer->offer_id());
    v1::GrantOffer closed;
    auto cs = Call(&Stub::CloseGrantOffer, close, &closed);
    EXPECT_TRUE(cs.ok()) << cs.error().ToString();
    EXPECT_EQ(closed.state(), v1::GRANT_OFFER_STATE_AWARDED);
    EXPECT_EQ(closed.result().price().fen(), 70'000'000);
    EXPECT_EQ(closed.result().grantee_bidder_number(), numbers[0]);

    v1::SignGrantContractRequest sign;
    sign.set_request_id(NewUuidV4());
    sign.mutable_contract()->set_offer_id(offer->offer_id());
    sign.mutable_contract()->set_contract_number("豫偃矿出〔" + NewUuidV4().substr(0, 6) + "〕");
    auto* duty = sign.mutable_contract()->mutable_restoration_duty();
    duty->set_plan_summary("矿山地质环境保护与土地复垦方案：边开采、边治理");
    duty->mutable_estimated_cost()->set_fen(8'000'000);
    v1::GrantContract contract;
    auto ss = Call(&Stub::SignGrantContract, sign, &contract);
    EXPECT_TRUE(ss.ok()) << ss.error().ToString();

    v1::GrantRightRequest grant;
    grant.set_request_id(NewUuidV4());
    grant.set_contract_id(contract.contract_id());
    const Date today = ChinaCivilDate(clock_.Now());
    *grant.mutable_valid_from() =
        D(today.year(), static_cast<int>(today.month()), static_cast<int>(today.day()));
    grant.set_scale_class(v1::SCALE_CLASS_MEDIUM);
    v1::MiningRight right;
    auto gs = Call(&Stub::GrantRight, grant, &right);
    EXPECT_TRUE(gs.ok()) << gs.error().ToString();
    return right;
  }

  Status Transfer(const std::string& right_id, const cpb::Party& to, v1::MiningRight* out) {
    v1::TransferRightRequest req;
    req.set_request_id(NewUuidV4());
    req.set_right_id(right_id);
    *req.mutable_new_holder() = to;
    req.mutable_price()->set_fen(120'000'000);
    return Call(&Stub::TransferRight, req, out);
  }

  Status Designate(const std::string& right_id, v1::MiningRight* out, bool with_assessment = true) {
    v1::DesignateGreenMineRequest req;
    req.set_request_id(NewUuidV4());
    req.set_right_id(right_id);
    if (with_assessment) req.mutable_assessment()->set_title("绿色矿山第三方评估报告");
    return Call(&Stub::DesignateGreenMine, req, out);
  }

  Status Revoke(const std::string& right_id, const std::string& reason, v1::MiningRight* out) {
    v1::RevokeGreenMineRequest req;
    req.set_request_id(NewUuidV4());
    req.set_right_id(right_id);
    req.set_reason(reason);
    return Call(&Stub::RevokeGreenMine, req, out);
  }

  Status Report(const std::string& right_id, int year, v1::AnnualReport* out,
                double recovery = 0.92) {
    v1::SubmitAnnualReportRequest req;
    req.set_request_id(NewUuidV4());
    auto* r = req.mutable_report();
    r->set_right_id(right_id);
    r->set_year(year);
    r->mutable_actual_output()->set_annual_output(110'000);
    r->mutable_actual_output()->set_unit(v1::OUTPUT_UNIT_TONNES_PER_YEAR);
    r->set_remaining_reserves("保有资源量 86 万吨");
    r->set_mining_recovery_rate(recovery);
    r->set_beneficiation_recovery_rate(0.88);
    r->set_comprehensive_utilisation_rate(0.6);
    r->mutable_restored_area()->set_square_metres(12'000);
    r->mutable_document()->set_title(std::to_string(year) + " 年度矿业权人勘查开采信息公示");
    return Call(&Stub::SubmitAnnualReport, req, out);
  }

  std::vector<v1::AbnormalEntry> Entries(const std::string& filter,
                                         const std::string& token = kWriter) {
    v1::ListAbnormalEntriesRequest req;
    req.set_filter(filter);
    v1::ListAbnormalEntriesResponse resp;
    auto s = Call(&Stub::ListAbnormalEntries, req, &resp, token);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return {resp.entries().begin(), resp.entries().end()};
  }

  v1::MiningRight Right(const std::string& right_id) {
    v1::GetRightRequest req;
    req.set_right_id(right_id);
    v1::MiningRight out;
    auto s = Call(&Stub::GetRight, req, &out);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return out;
  }

  static TimePoint FromTs(const google::protobuf::Timestamp& t) {
    return service::FromTimestamp(t);
  }

  ManualClock clock_{At(2026, 12, 28)};
  nrp::testing::CalendarFolder calendar_;
  std::unique_ptr<nrp::testing::TestDatabase> db_;
  std::string prefix_;
  std::unique_ptr<service::Runtime> rt_;
  std::unique_ptr<MiningRightsService> svc_;
  std::unique_ptr<Stub> stub_;
  nrp::testing::EventProducer producer_;
};

void ExpectRefusal(const Status& s, Code code, const std::string& reason) {
  ASSERT_FALSE(s.ok()) << "expected " << reason;
  EXPECT_EQ(s.error().code(), code) << s.error().ToString();
  EXPECT_EQ(s.error().reason(), reason) << s.error().ToString();
}

void ExpectCode(const Status& s, Code code) {
  ASSERT_FALSE(s.ok()) << "expected code " << static_cast<int>(code);
  EXPECT_EQ(s.error().code(), code) << s.error().ToString();
}

// INVALID_ARGUMENT naming `field`.
void ExpectInvalid(const Status& s, const std::string& field) {
  ASSERT_FALSE(s.ok()) << "expected INVALID_ARGUMENT " << field;
  EXPECT_EQ(s.error().code(), Code::kInvalidArgument) << s.error().ToString();
  EXPECT_NE(s.error().message().find(field), std::string::npos) << s.error().ToString();
}

TEST_F(MiningRightsIT, AListingGrantRunsFromItsNoticeToARegisteredRight) {
  const v1::MiningRight right = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  ASSERT_FALSE(right.right_id().empty());
  EXPECT_EQ(right.state(), v1::MINING_RIGHT_STATE_VALID);
  // The 23-character number: C + the county + the year of issue + the sequence.
  EXPECT_EQ(right.licence_number().size(), 23u);
  EXPECT_EQ(right.licence_number().substr(0, 11), "C4103072027");
  EXPECT_EQ(right.restoration_duty().fund_account(), "RF-" + right.licence_number());
  // The term: 20 years, the medium mine's most (开采登记管理办法 art. 7).
  EXPECT_EQ(right.valid_to().year(), right.valid_from().year() + 20);

  // The public register: a caller without the PII scope and without a region reads it.
  v1::ListRightsRequest list;
  v1::ListRightsResponse listed;
  ASSERT_TRUE(Call(&Stub::ListRights, list, &listed, kPublic).ok());
  ASSERT_EQ(listed.rights_size(), 1);
  EXPECT_EQ(listed.rights(0).licence_number(), right.licence_number());
  EXPECT_NE(listed.rights(0).holder().id_number(), "91410300MA00000017");
  EXPECT_EQ(listed.rights(0).holder().name(), "洛阳某矿业有限公司");

  // What planning counts: the right in RightGranted, without the holder's id number.
  auto granted = nrp::testing::OutboxMessages<v1::RightGranted>(
      db_->conninfo(), "nrp.mining_rights.right_granted.v1");
  ASSERT_EQ(granted.size(), 1u);
  EXPECT_EQ(granted[0].right().licence_number(), right.licence_number());
  EXPECT_EQ(granted[0].right().scale_class(), v1::SCALE_CLASS_MEDIUM);
  EXPECT_NE(granted[0].right().holder().id_number(), "91410300MA00000017");
  EXPECT_EQ(
      nrp::testing::OutboxPayloads(db_->conninfo(), "nrp.mining_rights.grant_bid_placed.v1").size(),
      3u);
}

TEST_F(MiningRightsIT, ANewBlockOverlappingAValidRightIsRefusedWithTheOverlap) {
  const v1::MiningRight right = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  auto overlapping = Create(GoldListing(Box(112.725, 34.61, 112.735, 34.62)));
  ExpectRefusal(overlapping.ok() ? Ok() : Status(overlapping.error()), Code::kFailedPrecondition,
                "OVERLAPS_VALID_RIGHT");
  EXPECT_NE(overlapping.error().message().find(right.licence_number()), std::string::npos)
      << overlapping.error().message();
  EXPECT_NE(overlapping.error().message().find(" m² of overlap"), std::string::npos);
  // Beside it, touching only along an edge, is allowed.
  EXPECT_TRUE(Create(GoldListing(Box(112.73, 34.61, 112.74, 34.62))).ok());
}

TEST_F(MiningRightsIT, TheZonesRefuseWithTheLayerVersion) {
  auto red_line = Create(GoldListing(Box(112.61, 34.71, 112.62, 34.72)));
  ExpectRefusal(red_line.ok() ? Ok() : Status(red_line.error()), Code::kFailedPrecondition,
                "OVERLAPS_ECOLOGICAL_RED_LINE");
  EXPECT_NE(red_line.error().message().find("layer ly-erl version 1"), std::string::npos);
  auto banned = Create(GoldListing(Box(112.71, 34.67, 112.72, 34.68)));
  ExpectRefusal(banned.ok() ? Ok() : Status(banned.error()), Code::kFailedPrecondition,
                "OVERLAPS_PROHIBITED_MINING_ZONE");
  // An open-pit mine outside the key mining zone.
  v1::GrantOffer open_pit = GoldListing(Box(112.81, 34.61, 112.82, 34.62));
  open_pit.set_mining_method(v1::MINING_METHOD_OPEN_PIT);
  auto outside = Create(open_pit);
  ExpectRefusal(outside.ok() ? Ok() : Status(outside.error()), Code::kFailedPrecondition,
                "OPEN_PIT_OUTSIDE_KEY_MINING_ZONE");
  EXPECT_NE(outside.error().message().find("layer ly-min version 3"), std::string::npos);
  open_pit.mutable_geometry()->set_text(Box(112.75, 34.61, 112.76, 34.62));
  EXPECT_TRUE(Create(open_pit).ok()) << "inside the key mining zone";
}

TEST_F(MiningRightsIT, BoxEightBindsAtTheOfferAndTheHistoricalSiteIsExempt) {
  auto small = Create(GoldListing(Box(112.74, 34.61, 112.745, 34.615), 50'000));
  ExpectRefusal(small.ok() ? Ok() : Status(small.error()), Code::kFailedPrecondition,
                "BELOW_MINIMUM_PRODUCTION_SCALE");
  v1::GrantOffer restoring = GoldListing(Box(112.74, 34.61, 112.745, 34.615), 50'000);
  restoring.set_historical_site_restoration(true);
  EXPECT_TRUE(Create(restoring).ok());
  // A malformed block names the field.
  v1::GrantOffer bad = GoldListing("POLYGON((112.7 34.6, 112.8 34.7, 112.7 34.7))");
  auto refused = Create(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Code::kInvalidArgument);
}

TEST_F(MiningRightsIT, NegotiationIsRefusedForGravelWhateverTheGround) {
  v1::GrantOffer sand = GoldListing(Box(112.76, 34.63, 112.765, 34.635));
  sand.mutable_main_mineral()->set_code("31100");
  sand.set_method(v1::GRANT_METHOD_NEGOTIATION);
  sand.set_negotiation_basis(v1::NEGOTIATION_BASIS_STATE_COUNCIL_KEY_PROJECT);
  sand.clear_bidding_start();
  sand.clear_bidding_end();
  auto refused = Create(sand);
  ExpectRefusal(refused.ok() ? Ok() : Status(refused.error()), Code::kFailedPrecondition,
                "NEGOTIATION_EXCLUDES_SAND_GRAVEL_CLAY");
}

TEST_F(MiningRightsIT, ExtensionNeedsThirtyDaysAndARightLapsesOnItsEndDate) {
  const v1::MiningRight right = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  // A second right, never extended, granted a month later.
  const v1::MiningRight other = GrantByListing(Box(112.76, 34.61, 112.77, 34.62));
  const Date valid_to(right.valid_to().year(), static_cast<unsigned>(right.valid_to().month()),
                      static_cast<unsigned>(right.valid_to().day()));
  auto extend = [&](const Date& applied) {
    clock_.Set(At(applied.year(), applied.month(), applied.day()));
    v1::ExtendRightRequest req;
    req.set_request_id(NewUuidV4());
    req.set_right_id(right.right_id());
    *req.mutable_applied_on() = service::ToProtoDate(applied);
    *req.mutable_new_valid_to() = service::ToProtoDate(valid_to.AddYears(10));
    v1::MiningRight out;
    return Call(&Stub::ExtendRight, req, &out);
  };
  ExpectRefusal(extend(valid_to.AddDays(-29)), Code::kFailedPrecondition,
                "EXTENSION_APPLIED_TOO_LATE");
  auto ok = extend(valid_to.AddDays(-31));
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();

  // The right not extended lapses at 00:00 China time the day after its last day.
  const Date last(other.valid_to().year(), static_cast<unsigned>(other.valid_to().month()),
                  static_cast<unsigned>(other.valid_to().day()));
  clock_.Set(At(last.year(), last.month(), last.day(), 23) + std::chrono::minutes(59));
  EXPECT_EQ(svc_->app().RunScheduledPass().lapsed, 0) << "still valid on its last day";
  clock_.Set(At(last.AddDays(1).year(), last.AddDays(1).month(), last.AddDays(1).day(), 0));
  EXPECT_EQ(svc_->app().RunScheduledPass().lapsed, 1);
  EXPECT_EQ(svc_->app().RunScheduledPass().lapsed, 0) << "once";
  auto expired = nrp::testing::OutboxMessages<v1::RightExpired>(
      db_->conninfo(), "nrp.mining_rights.right_expired.v1");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].licence_number(), other.licence_number());
}

TEST_F(MiningRightsIT, ClosingAMineWithItsDutyUnfulfilledTellsRestoration) {
  const v1::MiningRight right = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  v1::CloseMineRequest close;
  close.set_request_id(NewUuidV4());
  close.set_right_id(right.right_id());
  const Date today = ChinaCivilDate(clock_.Now());
  *close.mutable_closed_on() = service::ToProtoDate(today);
  close.mutable_closure_report()->set_title("闭坑地质报告");
  close.set_restoration_duty_fulfilled(false);
  v1::MiningRight closed;
  auto s = Call(&Stub::CloseMine, close, &closed);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(closed.state(), v1::MINING_RIGHT_STATE_CLOSED);
  EXPECT_TRUE(closed.restoration_pending());
  auto events = nrp::testing::OutboxMessages<v1::MineClosed>(db_->conninfo(),
                                                             "nrp.mining_rights.mine_closed.v1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].restoration_duty_fulfilled());
  EXPECT_EQ(events[0].restoration_duty().fund_account(), "RF-" + right.licence_number());
  EXPECT_FALSE(events[0].geometry().text().empty());
  // The same request again gets the first answer.
  v1::MiningRight again;
  ASSERT_TRUE(Call(&Stub::CloseMine, close, &again).ok());
  EXPECT_EQ(again.update_time().seconds(), closed.update_time().seconds());
  EXPECT_EQ(
      nrp::testing::OutboxPayloads(db_->conninfo(), "nrp.mining_rights.mine_closed.v1").size(), 1u);
}

TEST_F(MiningRightsIT, ACancellationWaitsForRestorationAndCompletesOnItsEvent) {
  const v1::MiningRight right = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  v1::CancelRightRequest cancel;
  cancel.set_request_id(NewUuidV4());
  cancel.set_right_id(right.right_id());
  cancel.set_reason(v1::CANCELLATION_REASON_HOLDER_APPLICATION);
  cancel.set_restoration_duty_fulfilled(false);
  v1::MiningRight waiting;
  auto s = Call(&Stub::CancelRight, cancel, &waiting);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(waiting.state(), v1::MINING_RIGHT_STATE_CLOSED);
  EXPECT_TRUE(waiting.restoration_pending());
  EXPECT_EQ(waiting.pending_cancellation(), v1::CANCELLATION_REASON_HOLDER_APPLICATION);

  // Restoration's event, as restoration publishes it.
  restoration::v1::ObligationFulfilled done;
  done.set_obligation_id(NewUuidV4());
  done.set_region_code(kYanshi);
  done.set_mining_right_id(right.right_id());
  done.set_project_id(NewUuidV4());
  ASSERT_TRUE(producer_.Produce(done, kYanshi, prefix_, clock_).ok());
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] {
        return Scalar("SELECT state FROM mining_rights WHERE right_id = '" + right.right_id() +
                      "'") == "4";
      },
      std::chrono::seconds(60), std::chrono::milliseconds(50)));
  auto cancelled = nrp::testing::OutboxMessages<v1::RightCancelled>(
      db_->conninfo(), "nrp.mining_rights.right_cancelled.v1");
  ASSERT_EQ(cancelled.size(), 2u);
  EXPECT_FALSE(cancelled[0].restoration_duty_fulfilled()) << "what restoration opens on";
  EXPECT_TRUE(cancelled[1].restoration_duty_fulfilled()) << "the cancellation completed";
  // The public register no longer lists it.
  v1::ListRightsRequest list;
  v1::ListRightsResponse listed;
  ASSERT_TRUE(Call(&Stub::ListRights, list, &listed, kPublic).ok());
  EXPECT_EQ(listed.rights_size(), 0);
}

// The right shows its restoration fund's balance as restoration books it: the entry latest in
// the fund's ledger wins, a late copy of an earlier entry changes nothing.
TEST_F(MiningRightsIT, TheRightShowsItsFundBalanceFromRestorationsEntries) {
  const v1::MiningRight right = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  EXPECT_EQ(right.restoration_fund_balance().fen(), 0);
  auto booked = [&](int64_t sequence, int64_t balance) {
    restoration::v1::FundEntryBooked e;
    e.set_mining_right_id(right.right_id());
    e.set_region_code(kYanshi);
    e.mutable_entry()->set_entry_id(NewUuidV4());
    e.mutable_entry()->set_account_id(right.restoration_duty().fund_account());
    e.mutable_entry()->set_sequence(sequence);
    e.mutable_entry()->mutable_balance_after()->set_fen(balance);
    ASSERT_TRUE(producer_.Produce(e, kYanshi, prefix_, clock_).ok());
  };
  booked(2, 50'000'000);
  booked(1, 30'000'000);  // the first deposit, arriving late
  booked(3, 20'000'000);  // a withdrawal
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] {
        return Scalar("SELECT fund_entry_seq FROM mining_rights WHERE right_id = '" +
                      right.right_id() + "'") == "3";
      },
      std::chrono::seconds(60), std::chrono::milliseconds(50)));
  EXPECT_EQ(Right(right.right_id()).restoration_fund_balance().fen(), 20'000'000);
  booked(2, 50'000'000);  // a copy of an applied entry
  booked(4, 0);
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] {
        return Scalar("SELECT fund_entry_seq FROM mining_rights WHERE right_id = '" +
                      right.right_id() + "'") == "4";
      },
      std::chrono::seconds(60), std::chrono::milliseconds(50)));
  EXPECT_EQ(Right(right.right_id()).restoration_fund_balance().fen(), 0);
}

// Planning in-process beside the service, on the same broker and topics: its mine indicators
// move from the events this service's relay publishes, not from hand-made ones.
TEST_F(MiningRightsIT, PlanningCountsTheMinesFromThisServicesEvents) {
  nrp::testing::TestDatabase planning_db("mrpl");
  const std::string planner = "henan-planner-0123456789abcdef";
  auto o = nrp::testing::TestRuntimeOptions(
      {.service = "planning",
       .conninfo = planning_db.conninfo(),
       .topic_prefix = prefix_,
       .tokens_json =
           R"({")" + planner +
           R"(": {"agency": "henan-nrd", "scopes": ["planning.read"], "regions": ["41"]}})",
       .pool_size = 8});
  service::Runtime planning_rt(std::move(o), clock_);
  ASSERT_TRUE(planning_rt.Init({nrp_migrations_planning()}).ok());
  planning::PlanningConfig config;
  config.data_dir = NRP_PLANNING_DATA_DIR;
  config.recompute_interval = std::chrono::hours(24);
  planning::PlanningService planning(planning_rt, std::move(config));
  ASSERT_TRUE(planning.Wire().ok());
  ASSERT_TRUE(planning_rt.Start().ok());
  rpc::ChannelOptions channel;
  channel.target = planning_rt.target();
  auto stub = planning::v1::PlanningService::NewStub(rpc::MakeChannel(channel));
  auto indicator = [&](const std::string& id) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + planner);
    planning::v1::GetIndicatorRequest req;
    req.set_indicator_id(id);
    planning::v1::Indicator out;
    auto st = stub->GetIndicator(&ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  };
  constexpr char kMines[] = "410300-2021-2025-07";        // 固体矿山总数 (Luoyang Box 1)
  constexpr char kLargeMedium[] = "410300-2021-2025-08";  // 大中型矿山比例
  const v1::MiningRight right = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  ASSERT_TRUE(nrp::testing::WaitFor([&] { return indicator(kMines).latest_value() == 1; },
                                    std::chrono::seconds(60), std::chrono::milliseconds(100)));
  EXPECT_EQ(indicator(kLargeMedium).latest_value(), 100) << "one medium mine of one";

  // The mine closed and cancelled with its duty fulfilled leaves the count.
  v1::CancelRightRequest cancel;
  cancel.set_request_id(NewUuidV4());
  cancel.set_right_id(right.right_id());
  cancel.set_reason(v1::CANCELLATION_REASON_HOLDER_APPLICATION);
  cancel.set_restoration_duty_fulfilled(true);
  v1::MiningRight cancelled;
  ASSERT_TRUE(Call(&Stub::CancelRight, cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.state(), v1::MINING_RIGHT_STATE_CANCELLED);
  EXPECT_TRUE(nrp::testing::WaitFor([&] { return indicator(kMines).latest_value() == 0; },
                                    std::chrono::seconds(60), std::chrono::milliseconds(100)));
  EXPECT_EQ(planning_rt.consumer()->stats().dead_lettered, 0);
  stub.reset();
  planning_rt.Stop();
}

// 自然资规〔2023〕6号: a gap of about 300 m between one holder's rights may be granted to it
// by negotiation; a wider gap may not.
TEST_F(MiningRightsIT, ANegotiatedGrantFillsAGapOfAbout300MetresBetweenOneHoldersRights) {
  const v1::MiningRight west = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  const v1::MiningRight east = GrantByListing(Box(112.732, 34.61, 112.742, 34.62));  // ~183 m
  const v1::MiningRight far = GrantByListing(Box(112.747, 34.61, 112.757, 34.62));   // ~458 m
  auto negotiated = [&](const std::string& wkt, const std::string& a, const std::string& b) {
    v1::GrantOffer o = GoldListing(wkt);
    o.set_method(v1::GRANT_METHOD_NEGOTIATION);
    o.set_negotiation_basis(v1::NEGOTIATION_BASIS_ADJACENT_GAP);
    o.clear_bidding_start();
    o.clear_bidding_end();
    o.clear_bid_increment();
    *o.mutable_applicant() = Company("洛阳某矿业有限公司", "91410300MA00000017");
    o.add_adjacent_right_ids(a);
    o.add_adjacent_right_ids(b);
    return Create(o);
  };
  auto wide = negotiated(Box(112.742, 34.61, 112.747, 34.62), east.right_id(), far.right_id());
  ExpectRefusal(wide.ok() ? Ok() : Status(wide.error()), Code::kFailedPrecondition,
                "NEGOTIATION_GAP_TOO_WIDE");
  EXPECT_NE(wide.error().message().find("wider than the 300 m"), std::string::npos)
      << wide.error().message();

  auto gap = negotiated(Box(112.73, 34.61, 112.732, 34.62), west.right_id(), east.right_id());
  ASSERT_TRUE(gap.ok()) << gap.error().ToString();
  v1::PublishGrantOfferRequest pub;
  pub.set_request_id(NewUuidV4());
  pub.set_offer_id(gap->offer_id());
  v1::GrantOffer published;
  ASSERT_TRUE(Call(&Stub::PublishGrantOffer, pub, &published).ok());
  // Only the applicant can be the grantee.
  v1::CloseGrantOfferRequest close;
  close.set_request_id(NewUuidV4());
  close.set_offer_id(gap->offer_id());
  *close.mutable_agreed_grantee() = Company("河南某黄金股份有限公司", "91410300MA00000025");
  close.mutable_agreed_price()->set_fen(60'000'000);
  v1::GrantOffer closed;
  ExpectRefusal(Call(&Stub::CloseGrantOffer, close, &closed), Code::kFailedPrecondition,
                "GRANTEE_NOT_APPLICANT");
  close.set_request_id(NewUuidV4());
  *close.mutable_agreed_grantee() = Company("洛阳某矿业有限公司", "91410300MA00000017");
  ASSERT_TRUE(Call(&Stub::CloseGrantOffer, close, &closed).ok());
  EXPECT_EQ(closed.state(), v1::GRANT_OFFER_STATE_AWARDED);
  EXPECT_EQ(closed.result().price().fen(), 60'000'000);
}

TEST_F(MiningRightsIT, ATransferPassesTheRightAndItsDutyAndItsEventCarriesNoIdNumber) {
  const v1::MiningRight right = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  const cpb::Party buyer = Company("洛阳新矿业有限公司", "91410300MA00000033");
  v1::MiningRight out;
  cpb::Party nameless = buyer;
  nameless.clear_name();
  ExpectInvalid(Transfer(right.right_id(), nameless, &out), "new_holder.name");
  cpb::Party no_number = buyer;
  no_number.clear_id_number();
  ExpectInvalid(Transfer(right.right_id(), no_number, &out), "new_holder.id_number");
  // To its own holder (the same id number, however written).
  ExpectInvalid(
      Transfer(right.right_id(), Company("洛阳某矿业有限公司", "91410300ma00000017"), &out),
      "new_holder");
  v1::TransferRightRequest unknown;
  unknown.set_request_id(NewUuidV4());
  unknown.set_right_id(NewUuidV4());
  *unknown.mutable_new_holder() = buyer;
  ExpectCode(Call(&Stub::TransferRight, unknown, &out), Code::kNotFound);

  auto s = Transfer(right.right_id(), buyer, &out);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(out.state(), v1::MINING_RIGHT_STATE_VALID);
  EXPECT_EQ(out.holder().name(), "洛阳新矿业有限公司");
  EXPECT_EQ(out.licence_number(), right.licence_number()) << "the number is permanent";
  // The restoration duty and its fund account pass with the right.
  EXPECT_EQ(out.restoration_duty().fund_account(), "RF-" + right.licence_number());
  EXPECT_EQ(out.restoration_duty().plan_summary(), right.restoration_duty().plan_summary());

  auto events = nrp::testing::OutboxMessages<v1::RightTransferred>(
      db_->conninfo(), "nrp.mining_rights.right_transferred.v1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].licence_number(), right.licence_number());
  EXPECT_EQ(events[0].previous_holder().name(), "洛阳某矿业有限公司");
  EXPECT_EQ(events[0].holder().name(), "洛阳新矿业有限公司");
  EXPECT_EQ(events[0].price().fen(), 120'000'000);
  for (const auto& payload :
       nrp::testing::OutboxPayloads(db_->conninfo(), "nrp.mining_rights.right_transferred.v1")) {
    EXPECT_EQ(payload.find("91410300MA00000017"), std::string::npos) << "PII in the event";
    EXPECT_EQ(payload.find("91410300MA00000033"), std::string::npos) << "PII in the event";
  }
  // The public register shows the new holder, masked.
  v1::GetRightRequest get;
  get.set_right_id(right.right_id());
  v1::MiningRight shown;
  ASSERT_TRUE(Call(&Stub::GetRight, get, &shown, kPublic).ok());
  EXPECT_EQ(shown.holder().name(), "洛阳新矿业有限公司");
  EXPECT_NE(shown.holder().id_number(), "91410300MA00000033");

  // Past its last day (before the pass has lapsed it) and once cancelled it is not transferred.
  const Date last(right.valid_to().year(), static_cast<unsigned>(right.valid_to().month()),
                  static_cast<unsigned>(right.valid_to().day()));
  const TimePoint before = clock_.Now();
  clock_.Set(At(last.AddDays(1).year(), last.AddDays(1).month(), last.AddDays(1).day(), 9));
  ExpectRefusal(Transfer(right.right_id(), Company("某公司", "91410300MA00000041"), &out),
                Code::kFailedPrecondition, "RIGHT_LAPSED");
  clock_.Set(before);
  v1::CancelRightRequest cancel;
  cancel.set_request_id(NewUuidV4());
  cancel.set_right_id(right.right_id());
  cancel.set_reason(v1::CANCELLATION_REASON_HOLDER_APPLICATION);
  cancel.set_restoration_duty_fulfilled(true);
  v1::MiningRight cancelled;
  ASSERT_TRUE(Call(&Stub::CancelRight, cancel, &cancelled).ok());
  ExpectRefusal(Transfer(right.right_id(), Company("某公司", "91410300MA00000041"), &out),
                Code::kFailedPrecondition, "RIGHT_STATE");
}

TEST_F(MiningRightsIT, AGreenMineIsDesignatedAndRevokedFromTheRightStatus) {
  const v1::MiningRight right = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  EXPECT_EQ(right.green_mine(), v1::GREEN_MINE_STATUS_NOT_DESIGNATED);
  v1::MiningRight out;
  ExpectRefusal(Revoke(right.right_id(), "复核不合格", &out), Code::kFailedPrecondition,
                "GREEN_MINE_STATUS");
  ExpectInvalid(Designate(right.right_id(), &out, /*with_assessment=*/false), "assessment");
  auto s = Designate(right.right_id(), &out);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(out.green_mine(), v1::GREEN_MINE_STATUS_DESIGNATED);
  ExpectRefusal(Designate(right.right_id(), &out), Code::kFailedPrecondition, "GREEN_MINE_STATUS");
  ExpectInvalid(Revoke(right.right_id(), "", &out), "reason");
  s = Revoke(right.right_id(), "复核不合格", &out);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(out.green_mine(), v1::GREEN_MINE_STATUS_REVOKED);
  ExpectRefusal(Revoke(right.right_id(), "复核不合格", &out), Code::kFailedPrecondition,
                "GREEN_MINE_STATUS");

  // What planning reads: the right, its county, and for the designation the mine.
  auto designated = nrp::testing::OutboxMessages<v1::GreenMineDesignated>(
      db_->conninfo(), "nrp.mining_rights.green_mine_designated.v1");
  ASSERT_EQ(designated.size(), 1u);
  EXPECT_EQ(designated[0].right_id(), right.right_id());
  EXPECT_EQ(designated[0].region_code(), kYanshi);
  EXPECT_EQ(designated[0].licence_number(), right.licence_number());
  EXPECT_EQ(designated[0].project_name(), right.project_name());
  EXPECT_EQ(designated[0].assessment().title(), "绿色矿山第三方评估报告");
  EXPECT_TRUE(designated[0].has_designated_at());
  auto revoked = nrp::testing::OutboxMessages<v1::GreenMineRevoked>(
      db_->conninfo(), "nrp.mining_rights.green_mine_revoked.v1");
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].right_id(), right.right_id());
  EXPECT_EQ(revoked[0].region_code(), kYanshi);
  EXPECT_EQ(revoked[0].reason(), "复核不合格");
  EXPECT_TRUE(revoked[0].has_revoked_at());

  // A right past its last day, and a right no longer valid, are not designated.
  const Date last(right.valid_to().year(), static_cast<unsigned>(right.valid_to().month()),
                  static_cast<unsigned>(right.valid_to().day()));
  const TimePoint before = clock_.Now();
  clock_.Set(At(last.AddDays(1).year(), last.AddDays(1).month(), last.AddDays(1).day(), 9));
  ExpectRefusal(Designate(right.right_id(), &out), Code::kFailedPrecondition, "RIGHT_LAPSED");
  clock_.Set(before);
  v1::CancelRightRequest cancel;
  cancel.set_request_id(NewUuidV4());
  cancel.set_right_id(right.right_id());
  cancel.set_reason(v1::CANCELLATION_REASON_HOLDER_APPLICATION);
  cancel.set_restoration_duty_fulfilled(true);
  v1::MiningRight cancelled;
  ASSERT_TRUE(Call(&Stub::CancelRight, cancel, &cancelled).ok());
  ExpectRefusal(Designate(right.right_id(), &out), Code::kFailedPrecondition, "RIGHT_STATE");
}

// 年度信息公示 and 异常名录 over three report years: the report on a year is due by 30 June
// of the next, a right without it is listed on 1 July, once, and leaves the list when it
// reports or an operator removes it.
TEST_F(MiningRightsIT, AnnualReportsAndTheAbnormalListAcrossTheYears) {
  const v1::MiningRight a = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  const v1::MiningRight b = GrantByListing(Box(112.76, 34.61, 112.77, 34.62));
  ASSERT_EQ(a.valid_from().year(), 2027);
  ASSERT_EQ(b.valid_from().year(), 2027);
  v1::AnnualReport report;

  // Refusals: the year not over (one minute before midnight in China), before the grant, rates
  // that are not fractions, an unknown right.
  clock_.Set(At(2027, 12, 31, 23) + std::chrono::minutes(59));
  ExpectRefusal(Report(b.right_id(), 2027, &report), Code::kFailedPrecondition,
                "REPORT_YEAR_NOT_ENDED");
  EXPECT_EQ(svc_->app().RunScheduledPass().listed_abnormal, 0);
  clock_.Set(At(2028, 1, 1, 0) + std::chrono::minutes(1));
  ExpectRefusal(Report(b.right_id(), 2026, &report), Code::kFailedPrecondition,
                "REPORT_YEAR_BEFORE_GRANT");
  ExpectInvalid(Report(b.right_id(), 2027, &report, 1.2), "report.mining_recovery_rate");
  ExpectInvalid(Report(b.right_id(), 2027, &report, -0.1), "report.mining_recovery_rate");
  ExpectCode(Report(NewUuidV4(), 2027, &report), Code::kNotFound);

  // b reports on the last day, 30 June 2028: accepted, not late; a second report is refused.
  clock_.Set(At(2028, 6, 30, 23) + std::chrono::minutes(30));
  auto s = Report(b.right_id(), 2027, &report);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_FALSE(report.late());
  EXPECT_EQ(report.year(), 2027);
  EXPECT_FALSE(report.report_id().empty());
  ExpectCode(Report(b.right_id(), 2027, &report), Code::kAlreadyExists);

  // Not yet listed on 30 June; a is listed at 00:00 on 1 July, once.
  clock_.Set(At(2028, 6, 30, 23) + std::chrono::minutes(59));
  EXPECT_EQ(svc_->app().RunScheduledPass().listed_abnormal, 0);
  clock_.Set(At(2028, 7, 1, 0));
  EXPECT_EQ(svc_->app().RunScheduledPass().listed_abnormal, 1);
  EXPECT_EQ(svc_->app().RunScheduledPass().listed_abnormal, 0) << "once";
  clock_.Set(At(2028, 7, 1, 0) + std::chrono::minutes(5));
  EXPECT_EQ(svc_->app().RunScheduledPass().listed_abnormal, 0) << "once";
  auto listed = Entries("year = 2027 AND listed = true");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].right_id(), a.right_id());
  EXPECT_EQ(listed[0].licence_number(), a.licence_number());
  EXPECT_EQ(listed[0].reason(), v1::ABNORMAL_REASON_ANNUAL_REPORT_MISSING);
  EXPECT_FALSE(listed[0].has_removed_at());
  EXPECT_TRUE(Right(a.right_id()).abnormal());
  EXPECT_FALSE(Right(b.right_id()).abnormal());
  // The list is public; the holder's id number only with the PII scope.
  auto shown = Entries("", kPublic);
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].holder().name(), "洛阳某矿业有限公司");
  EXPECT_NE(shown[0].holder().id_number(), "91410300MA00000017");
  auto listed_events = nrp::testing::OutboxMessages<v1::RightListedAbnormal>(
      db_->conninfo(), "nrp.mining_rights.right_listed_abnormal.v1");
  ASSERT_EQ(listed_events.size(), 1u);
  EXPECT_EQ(listed_events[0].entry_id(), listed[0].entry_id());
  EXPECT_EQ(listed_events[0].year(), 2027);
  EXPECT_NE(listed_events[0].holder().id_number(), "91410300MA00000017");

  // a reports late, on 1 July: accepted, late, and its entry removed.
  clock_.Set(At(2028, 7, 1, 10));
  s = Report(a.right_id(), 2027, &report);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_TRUE(report.late());
  EXPECT_TRUE(Entries("listed = true").empty());
  auto removed = Entries("right_id = \"" + a.right_id() + "\"");
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_TRUE(removed[0].has_removed_at());
  EXPECT_NE(removed[0].removal_reason().find("2027"), std::string::npos);
  EXPECT_FALSE(Right(a.right_id()).abnormal());
  auto removal_events = nrp::testing::OutboxMessages<v1::RightRemovedFromAbnormalList>(
      db_->conninfo(), "nrp.mining_rights.right_removed_from_abnormal_list.v1");
  ASSERT_EQ(removal_events.size(), 1u);
  EXPECT_EQ(removal_events[0].entry_id(), listed[0].entry_id());
  // Only a listed entry is removed, and with a reason.
  v1::RemoveFromAbnormalListRequest remove;
  remove.set_request_id(NewUuidV4());
  remove.set_entry_id(listed[0].entry_id());
  remove.set_reason("已补报");
  v1::AbnormalEntry entry;
  ExpectRefusal(Call(&Stub::RemoveFromAbnormalList, remove, &entry), Code::kFailedPrecondition,
                "ENTRY_NOT_LISTED");
  remove.set_entry_id(NewUuidV4());
  ExpectCode(Call(&Stub::RemoveFromAbnormalList, remove, &entry), Code::kNotFound);

  // The reports, through the one list grammar.
  v1::ListAnnualReportsRequest list;
  list.set_filter("year = 2027");
  v1::ListAnnualReportsResponse reports;
  ASSERT_TRUE(Call(&Stub::ListAnnualReports, list, &reports, kPublic).ok());
  EXPECT_EQ(reports.reports_size(), 2);
  list.set_filter("right_id = \"" + b.right_id() + "\" AND late = false");
  ASSERT_TRUE(Call(&Stub::ListAnnualReports, list, &reports).ok());
  ASSERT_EQ(reports.reports_size(), 1);
  EXPECT_EQ(reports.reports(0).right_id(), b.right_id());
  list.set_filter("colour = 1");
  ExpectCode(Call(&Stub::ListAnnualReports, list, &reports), Code::kInvalidArgument);

  // 2028: neither reports. Two replicas run the pass at once on 1 July 2029: each (right,
  // year) is listed once.
  clock_.Set(At(2029, 7, 1, 0) + std::chrono::minutes(1));
  MiningRightsConfig config;
  config.scheduler = false;
  MiningRightsApp replica(*rt_, config, svc_->app().board());
  int by_one = 0;
  int by_other = 0;
  std::thread t1([&] { by_one = svc_->app().RunScheduledPass().listed_abnormal; });
  std::thread t2([&] { by_other = replica.RunScheduledPass().listed_abnormal; });
  t1.join();
  t2.join();
  EXPECT_EQ(by_one + by_other, 2);
  auto year_2028 = Entries("year = 2028");
  ASSERT_EQ(year_2028.size(), 2u);
  EXPECT_EQ(
      nrp::testing::OutboxPayloads(db_->conninfo(), "nrp.mining_rights.right_listed_abnormal.v1")
          .size(),
      3u);

  // The operator removes b's entry with a reason; it is not listed again.
  const auto& b_entry = year_2028[0].right_id() == b.right_id() ? year_2028[0] : year_2028[1];
  remove.set_request_id(NewUuidV4());
  remove.set_entry_id(b_entry.entry_id());
  remove.set_reason("");
  ExpectInvalid(Call(&Stub::RemoveFromAbnormalList, remove, &entry), "reason");
  remove.set_reason("经核查已在其他平台公示");
  s = Call(&Stub::RemoveFromAbnormalList, remove, &entry);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_TRUE(entry.has_removed_at());
  EXPECT_EQ(entry.removal_reason(), "经核查已在其他平台公示");
  EXPECT_FALSE(Right(b.right_id()).abnormal());
  EXPECT_TRUE(Right(a.right_id()).abnormal());
  clock_.Set(At(2029, 7, 2, 0) + std::chrono::minutes(1));
  EXPECT_EQ(svc_->app().RunScheduledPass().listed_abnormal, 0);
  EXPECT_EQ(Entries("listed = true").size(), 1u);
}

// 分立 and 合并: on a split one part keeps the number and the others get new ones; on a merge
// the earliest number survives.
TEST_F(MiningRightsIT, ASplitKeepsTheNumberOnOnePartAndAMergeKeepsTheEarliest) {
  const v1::MiningRight right = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  auto part = [](const std::string& wkt, const std::string& name) {
    v1::SplitPart p;
    p.mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
    p.mutable_geometry()->set_text(wkt);
    p.set_project_name(name);
    return p;
  };
  auto split = [&](const std::vector<v1::SplitPart>& parts, int keeps,
                   v1::SplitRightResponse* out) {
    v1::SplitRightRequest req;
    req.set_request_id(NewUuidV4());
    req.set_right_id(right.right_id());
    for (const auto& p : parts) *req.add_parts() = p;
    req.set_keeps_number_index(keeps);
    return Call(&Stub::SplitRight, req, out);
  };
  const v1::SplitPart west = part(Box(112.72, 34.61, 112.724, 34.62), "西矿段");
  const v1::SplitPart middle = part(Box(112.724, 34.61, 112.727, 34.62), "中矿段");
  v1::SplitPart east = part(Box(112.727, 34.61, 112.73, 34.62), "东矿段");
  *east.mutable_holder() = Company("河南某黄金股份有限公司", "91410300MA00000025");
  v1::SplitRightResponse parts;
  ExpectInvalid(split({west}, 0, &parts), "parts");
  ExpectInvalid(split({west, middle, east}, 3, &parts), "keeps_number_index");
  ExpectInvalid(split({west, part(Box(112.727, 34.61, 112.735, 34.62), "外"), east}, 1, &parts),
                "parts[1].geometry");
  ExpectInvalid(split({west, part(Box(112.722, 34.61, 112.727, 34.62), "叠"), east}, 1, &parts),
                "parts[1].geometry");
  // The parts cover the block: without the middle one, 30 % of it is left out.
  auto gap = split({west, east}, 0, &parts);
  ExpectInvalid(gap, "parts");
  EXPECT_NE(gap.error().message().find("m² (30.00 %) of the "), std::string::npos)
      << gap.error().message();
  EXPECT_NE(gap.error().message().find("block of right " + right.licence_number() + " uncovered"),
            std::string::npos)
      << gap.error().message();
  EXPECT_EQ(Right(right.right_id()).state(), v1::MINING_RIGHT_STATE_VALID) << "nothing split";
  auto s = split({west, middle, east}, 1, &parts);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  ASSERT_EQ(parts.rights_size(), 3);
  EXPECT_EQ(parts.rights(1).licence_number(), right.licence_number()) << "keeps the number";
  for (int i : {0, 2}) {
    EXPECT_EQ(parts.rights(i).licence_number().size(), 23u);
    EXPECT_NE(parts.rights(i).licence_number(), right.licence_number());
    EXPECT_EQ(parts.rights(i).licence_number().substr(0, 7), "C410307");
  }
  EXPECT_NE(parts.rights(0).licence_number(), parts.rights(2).licence_number());
  for (const auto& p : parts.rights()) {
    EXPECT_EQ(p.state(), v1::MINING_RIGHT_STATE_VALID);
    ASSERT_EQ(p.parent_right_ids_size(), 1);
    EXPECT_EQ(p.parent_right_ids(0), right.right_id());
    EXPECT_EQ(p.restoration_duty().fund_account(), "RF-" + p.licence_number());
    EXPECT_EQ(p.valid_to().year(), right.valid_to().year());
  }
  EXPECT_EQ(parts.rights(0).project_name(), "西矿段");
  EXPECT_EQ(parts.rights(2).holder().name(), "河南某黄金股份有限公司");
  EXPECT_LT(parts.rights(0).area().square_metres(), right.area().square_metres());
  EXPECT_EQ(Right(right.right_id()).state(), v1::MINING_RIGHT_STATE_SUPERSEDED);
  auto split_events = nrp::testing::OutboxMessages<v1::RightSplit>(
      db_->conninfo(), "nrp.mining_rights.right_split.v1");
  ASSERT_EQ(split_events.size(), 1u);
  ASSERT_EQ(split_events[0].parts_size(), 3);
  EXPECT_EQ(split_events[0].parts(0).licence_number(), right.licence_number()) << "first";
  for (const auto& p : split_events[0].parts()) {
    EXPECT_NE(p.holder().id_number(), "91410300MA00000017");
    EXPECT_NE(p.holder().id_number(), "91410300MA00000025");
  }
  ExpectRefusal(split({west, middle}, 0, &parts), Code::kFailedPrecondition, "RIGHT_STATE");

  auto merge = [&](const std::vector<std::string>& ids, v1::ScaleClass scale,
                   v1::MiningRight* out) {
    v1::MergeRightsRequest req;
    req.set_request_id(NewUuidV4());
    for (const auto& id : ids) req.add_right_ids(id);
    req.set_project_name("偃师区某金矿（整合）");
    req.set_scale_class(scale);
    return Call(&Stub::MergeRights, req, out);
  };
  const std::string w = parts.rights(0).right_id();
  const std::string m = parts.rights(1).right_id();
  const std::string e = parts.rights(2).right_id();
  v1::MiningRight merged;
  ExpectInvalid(merge({w}, v1::SCALE_CLASS_MEDIUM, &merged), "right_ids");
  ExpectInvalid(merge({w, w}, v1::SCALE_CLASS_MEDIUM, &merged), "right_ids");
  ExpectInvalid(merge({w, "not-a-uuid"}, v1::SCALE_CLASS_MEDIUM, &merged), "right_ids[1]");
  ExpectInvalid(merge({w, m}, v1::SCALE_CLASS_UNSPECIFIED, &merged), "scale_class");
  ExpectRefusal(merge({w, e}, v1::SCALE_CLASS_MEDIUM, &merged), Code::kFailedPrecondition,
                "MERGE_HOLDERS_DIFFER");
  ExpectRefusal(merge({w, right.right_id()}, v1::SCALE_CLASS_MEDIUM, &merged),
                Code::kFailedPrecondition, "RIGHT_STATE");
  s = merge({w, m}, v1::SCALE_CLASS_MEDIUM, &merged);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  // The earliest number survives: both parts begin on one day, and the original number is
  // the earlier.
  EXPECT_EQ(merged.licence_number(), right.licence_number());
  EXPECT_EQ(merged.state(), v1::MINING_RIGHT_STATE_VALID);
  EXPECT_EQ(merged.project_name(), "偃师区某金矿（整合）");
  EXPECT_EQ(merged.parent_right_ids_size(), 2);
  EXPECT_NEAR(merged.area().square_metres(),
              parts.rights(0).area().square_metres() + parts.rights(1).area().square_metres(), 1.0);
  EXPECT_EQ(Right(w).state(), v1::MINING_RIGHT_STATE_SUPERSEDED);
  EXPECT_EQ(Right(m).state(), v1::MINING_RIGHT_STATE_SUPERSEDED);
  auto merge_events = nrp::testing::OutboxMessages<v1::RightsMerged>(
      db_->conninfo(), "nrp.mining_rights.rights_merged.v1");
  ASSERT_EQ(merge_events.size(), 1u);
  EXPECT_EQ(merge_events[0].right_id(), merged.right_id());
  EXPECT_EQ(merge_events[0].merged_right_ids_size(), 2);
  EXPECT_EQ(merge_events[0].right().licence_number(), right.licence_number());
  EXPECT_NE(merge_events[0].right().holder().id_number(), "91410300MA00000017");
  // The register: the merged right and the east part.
  v1::ListRightsRequest list;
  list.set_filter("state = MINING_RIGHT_STATE_VALID");
  v1::ListRightsResponse listed;
  ASSERT_TRUE(Call(&Stub::ListRights, list, &listed, kPublic).ok());
  EXPECT_EQ(listed.rights_size(), 2);
}

TEST_F(MiningRightsIT, TheBidBoardAndTheMineralClassificationAreReadable) {
  auto offer = Create(GoldListing(Box(112.72, 34.61, 112.73, 34.62)));
  ASSERT_TRUE(offer.ok()) << offer.error().ToString();
  v1::PublishGrantOfferRequest pub;
  pub.set_request_id(NewUuidV4());
  pub.set_offer_id(offer->offer_id());
  v1::GrantOffer published;
  ASSERT_TRUE(Call(&Stub::PublishGrantOffer, pub, &published).ok());
  v1::RegisterGrantBidderRequest reg;
  reg.set_request_id(NewUuidV4());
  reg.set_offer_id(offer->offer_id());
  *reg.mutable_bidder() = Company("洛阳某矿业有限公司", "91410300MA00000017");
  reg.mutable_deposit_paid()->set_fen(10'000'000);
  v1::GrantBidder bidder;
  ASSERT_TRUE(Call(&Stub::RegisterGrantBidder, reg, &bidder).ok());
  v1::GetGrantBidBoardRequest get;
  get.set_offer_id(offer->offer_id());
  v1::GrantBidBoard board;
  ASSERT_TRUE(Call(&Stub::GetGrantBidBoard, get, &board).ok());
  EXPECT_EQ(board.bid_count(), 0);
  EXPECT_EQ(board.minimum_next_bid().fen(), 50'000'000) << "the starting price";
  clock_.Set(FromTs(offer->bidding_start()) + std::chrono::hours(1));
  v1::PlaceGrantBidRequest bid;
  bid.set_request_id(NewUuidV4());
  bid.set_offer_id(offer->offer_id());
  bid.set_bidder_number(bidder.bidder_number());
  bid.mutable_amount()->set_fen(55'000'000);
  v1::GrantBid placed;
  ASSERT_TRUE(Call(&Stub::PlaceGrantBid, bid, &placed).ok());
  ASSERT_TRUE(Call(&Stub::GetGrantBidBoard, get, &board).ok());
  EXPECT_EQ(board.bid_count(), 1);
  EXPECT_EQ(board.highest_bid().fen(), 55'000'000);
  EXPECT_EQ(board.highest_bidder_number(), bidder.bidder_number());
  EXPECT_EQ(board.minimum_next_bid().fen(), 56'000'000) << "highest plus the increment";
  // Below it, refused with the amount.
  bid.set_request_id(NewUuidV4());
  bid.mutable_amount()->set_fen(55'500'000);
  ExpectRefusal(Call(&Stub::PlaceGrantBid, bid, &placed), Code::kFailedPrecondition, "BID_TOO_LOW");

  v1::GetMineralClassificationRequest minerals_req;
  v1::MineralClassification minerals;
  ASSERT_TRUE(Call(&Stub::GetMineralClassification, minerals_req, &minerals, kPublic).ok());
  EXPECT_NE(minerals.source().find("Box 8"), std::string::npos);
  bool coal = false;
  for (const auto& m : minerals.minerals()) coal = coal || (m.code() == "10100" && m.coal());
  EXPECT_TRUE(coal);
  // An unknown mineral code at the offer names the field.
  v1::GrantOffer unknown = GoldListing(Box(112.74, 34.61, 112.745, 34.615));
  unknown.mutable_main_mineral()->set_code("99999");
  auto refused = Create(unknown);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Code::kInvalidArgument);
  ASSERT_FALSE(refused.error().field_violations().empty());
  EXPECT_EQ(refused.error().field_violations()[0].field, "offer.main_mineral.code");
}

// ---------------------------------------------------------------- change (变更) and existing
// rights entered as the register holds them

class MiningRightsRegisterIT : public MiningRightsIT {
 protected:
  Status ChangeRight(const v1::MiningRight& right, const std::vector<std::string>& paths,
                     v1::MiningRight* out, const std::string& reason = "矿区范围及生产规模变更") {
    v1::ChangeRightRequest req;
    req.set_request_id(NewUuidV4());
    *req.mutable_right() = right;
    for (const auto& p : paths) req.mutable_update_mask()->add_paths(p);
    req.set_reason(reason);
    return Call(&Stub::ChangeRight, req, out);
  }

  // A right as a province's register holds it.
  v1::MiningRight Existing(const std::string& number, v1::MiningRightKind kind,
                           const std::string& wkt, const cpb::Date& from, const cpb::Date& to,
                           v1::ScaleClass scale = v1::SCALE_CLASS_UNSPECIFIED) {
    v1::MiningRight r;
    r.set_licence_number(number);
    r.set_kind(kind);
    r.set_region_code(kYanshi);
    *r.mutable_holder() = Company("偃师某矿业有限公司", "91410300MA00000068");
    r.set_project_name(kind == v1::MINING_RIGHT_KIND_EXPLORATION ? "偃师区某金矿勘探"
                                                                 : "偃师区某金矿");
    r.mutable_main_mineral()->set_code("20700");
    r.mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
    r.mutable_geometry()->set_text(wkt);
    r.set_mining_method(v1::MINING_METHOD_UNDERGROUND);
    r.mutable_production_scale()->set_annual_output(60'000);
    r.mutable_production_scale()->set_unit(v1::OUTPUT_UNIT_TONNES_PER_YEAR);
    r.set_scale_class(scale);
    r.set_deposit_scale(v1::SCALE_CLASS_SMALL);
    *r.mutable_valid_from() = from;
    *r.mutable_valid_to() = to;
    r.set_grant_method(v1::GRANT_METHOD_LISTING);
    r.set_extension_count(1);
    r.mutable_restoration_duty()->set_plan_summary("矿山地质环境保护与土地复垦方案");
    r.mutable_restoration_duty()->mutable_estimated_cost()->set_fen(3'000'000);
    return r;
  }

  Status Enter(const v1::MiningRight& right, v1::MiningRight* out) {
    v1::RegisterExistingRightRequest req;
    req.set_request_id(NewUuidV4());
    *req.mutable_right() = right;
    return Call(&Stub::RegisterExistingRight, req, out);
  }
};

// An 18-character exploration number: T, authority 41, listing (4), May 2018, metal (02),
// sequence 123.
constexpr char kLegacyNumber[] = "T41420180502000123";

TEST_F(MiningRightsRegisterIT, AChangeOfNameAndScaleIsRegisteredAndTold) {
  const v1::MiningRight right = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  v1::MiningRight in = right;
  in.set_project_name("偃师区某金矿（扩能）");
  in.mutable_production_scale()->set_annual_output(180'000);
  v1::MiningRight changed;
  auto s = ChangeRight(in, {"project_name", "production_scale"}, &changed);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(changed.project_name(), "偃师区某金矿（扩能）");
  EXPECT_EQ(changed.production_scale().annual_output(), 180'000);
  EXPECT_EQ(changed.licence_number(), right.licence_number()) << "a 23-character number stays";
  EXPECT_TRUE(changed.legacy_licence_number().empty());
  EXPECT_EQ(Right(right.right_id()).project_name(), "偃师区某金矿（扩能）");

  auto events = nrp::testing::OutboxMessages<v1::RightChanged>(
      db_->conninfo(), "nrp.mining_rights.right_changed.v1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].right_id(), right.right_id());
  EXPECT_EQ(events[0].reason(), "矿区范围及生产规模变更");
  EXPECT_EQ(std::vector<std::string>(events[0].changed_fields().begin(),
                                     events[0].changed_fields().end()),
            (std::vector<std::string>{"project_name", "production_scale"}));
  EXPECT_EQ(events[0].right().production_scale().annual_output(), 180'000);
  EXPECT_NE(events[0].right().holder().id_number(), "91410300MA00000017");

  // Below Box 8's minimum the scale is not changed; without a reason nothing is.
  in.mutable_production_scale()->set_annual_output(20'000);
  ExpectRefusal(ChangeRight(in, {"production_scale"}, &changed), Code::kFailedPrecondition,
                "BELOW_MINIMUM_PRODUCTION_SCALE");
  ExpectInvalid(ChangeRight(in, {"project_name"}, &changed, ""), "reason");
}

TEST_F(MiningRightsRegisterIT, AChangedBlockIsGatedWithoutItselfAndAnUnknownPathIsRefused) {
  const v1::MiningRight first = GrantByListing(Box(112.72, 34.61, 112.73, 34.62));
  const v1::MiningRight second = GrantByListing(Box(112.74, 34.61, 112.75, 34.62));
  v1::MiningRight in = second;
  in.mutable_geometry()->set_text(Box(112.725, 34.61, 112.745, 34.62));
  v1::MiningRight out;
  auto refused = ChangeRight(in, {"geometry"}, &out);
  ExpectRefusal(refused, Code::kFailedPrecondition, "OVERLAPS_VALID_RIGHT");
  EXPECT_NE(refused.error().message().find(first.licence_number()), std::string::npos)
      << refused.error().message();
  // Enlarged over its own block only: the right does not overlap itself.
  in.mutable_geometry()->set_text(Box(112.74, 34.61, 112.755, 34.62));
  auto s = ChangeRight(in, {"geometry"}, &out);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_GT(out.area().square_metres(), second.area().square_metres() * 1.4);
  // Into the prohibited mining zone.
  in.mutable_geometry()->set_text(Box(112.74, 34.61, 112.75, 34.67));
  ExpectRefusal(ChangeRight(in, {"geometry"}, &out), Code::kFailedPrecondition,
                "OVERLAPS_PROHIBITED_MINING_ZONE");

  ExpectInvalid(ChangeRight(in, {"holder.name"}, &out), "update_mask");
  ExpectInvalid(ChangeRight(in, {"project_name", "valid_to"}, &out), "update_mask");
  ExpectInvalid(ChangeRight(in, {}, &out), "update_mask");
  in.mutable_main_mineral()->set_code("99999");
  ExpectInvalid(ChangeRight(in, {"main_mineral"}, &out), "right.main_mineral.code");
}

TEST_F(MiningRightsRegisterIT, ALegacyExplorationNumberGivesWayToA23CharacterOneAtAChange) {
  v1::MiningRight entered;
  auto s = Enter(Existing(kLegacyNumber, v1::MINING_RIGHT_KIND_EXPLORATION,
                          Box(112.76, 34.63, 112.77, 34.64), D(2024, 3, 1), D(2029, 3, 1)),
                 &entered);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(entered.state(), v1::MINING_RIGHT_STATE_VALID);
  EXPECT_EQ(entered.licence_number(), kLegacyNumber);
  EXPECT_EQ(entered.restoration_duty().fund_account(), std::string("RF-") + kLegacyNumber);
  EXPECT_EQ(entered.extension_count(), 1);
  EXPECT_GT(entered.area().square_metres(), 0);
  EXPECT_EQ(entered.main_mineral().name(), "金矿（岩金）");
  auto granted = nrp::testing::OutboxMessages<v1::RightGranted>(
      db_->conninfo(), "nrp.mining_rights.right_granted.v1");
  ASSERT_EQ(granted.size(), 1u);
  EXPECT_EQ(granted[0].right().licence_number(), kLegacyNumber);
  EXPECT_NE(granted[0].right().holder().id_number(), "91410300MA00000068");

  // A mining right does not carry an exploration number.
  v1::MiningRight out;
  ExpectRefusal(
      Enter(Existing(kLegacyNumber, v1::MINING_RIGHT_KIND_MINING, Box(112.78, 34.63, 112.79, 34.64),
                     D(2024, 3, 1), D(2029, 3, 1), v1::SCALE_CLASS_SMALL),
            &out),
      Code::kFailedPrecondition, "LICENCE_KIND_MISMATCH");
  ExpectInvalid(Enter(Existing("T4142018050200012", v1::MINING_RIGHT_KIND_EXPLORATION,
                               Box(112.78, 34.63, 112.79, 34.64), D(2024, 3, 1), D(2029, 3, 1)),
                      &out),
                "right.licence_number");
  // Six years of exploration exceed the five the law allows.
  ExpectRefusal(Enter(Existing("T41420180502000124", v1::MINING_RIGHT_KIND_EXPLORATION,
                               Box(112.78, 34.63, 112.79, 34.64), D(2024, 3, 1), D(2029, 3, 2)),
                      &out),
                Code::kFailedPrecondition, "TERM_EXCEEDS_MAXIMUM");
  // Over the entered right's block.
  ExpectRefusal(Enter(Existing("T41420180502000125", v1::MINING_RIGHT_KIND_EXPLORATION,
                               Box(112.765, 34.63, 112.775, 34.64), D(2024, 3, 1), D(2029, 3, 1)),
                      &out),
                Code::kFailedPrecondition, "OVERLAPS_VALID_RIGHT");

  v1::MiningRight in = entered;
  in.set_project_name("偃师区某金矿详查");
  v1::MiningRight changed;
  s = ChangeRight(in, {"project_name"}, &changed, "勘查阶段变更");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(changed.licence_number().size(), 23u);
  EXPECT_EQ(changed.licence_number().substr(0, 11), "T4103072026");
  EXPECT_EQ(changed.legacy_licence_number(), kLegacyNumber);
  const v1::MiningRight read = Right(entered.right_id());
  EXPECT_EQ(read.licence_number(), changed.licence_number());
  EXPECT_EQ(read.legacy_licence_number(), kLegacyNumber);
  EXPECT_EQ(Scalar("SELECT licence_number || '/' || legacy_number FROM mining_rights WHERE "
                   "right_id = '" +
                   entered.right_id() + "'"),
            changed.licence_number() + "/" + kLegacyNumber);
  auto events = nrp::testing::OutboxMessages<v1::RightChanged>(
      db_->conninfo(), "nrp.mining_rights.right_changed.v1");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].right().licence_number(), changed.licence_number());
  EXPECT_EQ(std::vector<std::string>(events[0].changed_fields().begin(),
                                     events[0].changed_fields().end()),
            (std::vector<std::string>{"project_name", "licence_number", "legacy_licence_number"}));
  // The old number stays taken.
  ExpectCode(Enter(Existing(kLegacyNumber, v1::MINING_RIGHT_KIND_EXPLORATION,
                            Box(112.78, 34.63, 112.79, 34.64), D(2024, 3, 1), D(2029, 3, 1)),
                   &out),
             Code::kAlreadyExists);
}

// An 18-character number stays only until the right's next registration (domain.md): an
// extension, a transfer, a split (the part keeping the number) and a merge (the surviving
// number) each replace it with a 23-character one and keep it as the legacy number.
TEST_F(MiningRightsRegisterIT, EachRegistrationReplacesALegacyExplorationNumber) {
  const std::string year = std::to_string(ChinaCivilDate(clock_.Now()).year());
  auto enter = [&](const std::string& number, const std::string& wkt, const cpb::Date& from,
                   const cpb::Date& to) {
    v1::MiningRight out;
    auto s = Enter(Existing(number, v1::MINING_RIGHT_KIND_EXPLORATION, wkt, from, to), &out);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    EXPECT_EQ(out.licence_number(), number);
    return out;
  };
  auto expect_renumbered = [&](const v1::MiningRight& r, const std::string& legacy) {
    EXPECT_EQ(r.licence_number().size(), 23u) << r.licence_number();
    EXPECT_EQ(r.licence_number().substr(0, 11), "T410307" + year) << r.licence_number();
    EXPECT_EQ(r.legacy_licence_number(), legacy);
  };
  const Date today = ChinaCivilDate(clock_.Now());
  auto extend = [&](const v1::MiningRight& r, const Date& new_valid_to, v1::MiningRight* out) {
    v1::ExtendRightRequest req;
    req.set_request_id(NewUuidV4());
    req.set_right_id(r.right_id());
    *req.mutable_applied_on() = service::ToProtoDate(today);
    *req.mutable_new_valid_to() = service::ToProtoDate(new_valid_to);
    req.set_proven_reserves(true);
    return Call(&Stub::ExtendRight, req, out);
  };

  // Extension (延续).
  const v1::MiningRight a =
      enter("T41420180502000201", Box(112.76, 34.63, 112.77, 34.64), D(2024, 3, 1), D(2029, 3, 1));
  v1::MiningRight extended;
  auto s = extend(a, Date(2034, 3, 1), &extended);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  expect_renumbered(extended, "T41420180502000201");
  EXPECT_EQ(extended.valid_to().year(), 2034);
  EXPECT_EQ(extended.restoration_duty().fund_account(), "RF-T41420180502000201")
      << "the account stays";
  EXPECT_EQ(Right(a.right_id()).licence_number(), extended.licence_number());
  EXPECT_EQ(Scalar("SELECT licence_number || '/' || legacy_number FROM mining_rights WHERE "
                   "right_id = '" +
                   a.right_id() + "'"),
            extended.licence_number() + "/T41420180502000201");
  auto extensions = nrp::testing::OutboxMessages<v1::RightExtended>(
      db_->conninfo(), "nrp.mining_rights.right_extended.v1");
  ASSERT_EQ(extensions.size(), 1u);
  EXPECT_EQ(extensions[0].licence_number(), extended.licence_number());
  // The next extension keeps the 23-character number.
  v1::MiningRight again;
  s = extend(extended, Date(2039, 3, 1), &again);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(again.licence_number(), extended.licence_number());
  EXPECT_EQ(again.legacy_licence_number(), "T41420180502000201");

  // Transfer (转让).
  const v1::MiningRight b =
      enter("T41420180502000202", Box(112.78, 34.63, 112.79, 34.64), D(2024, 3, 1), D(2029, 3, 1));
  v1::MiningRight transferred;
  s = Transfer(b.right_id(), Company("洛阳新矿业有限公司", "91410300MA00000033"), &transferred);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  expect_renumbered(transferred, "T41420180502000202");
  EXPECT_NE(transferred.licence_number(), extended.licence_number());
  auto transfers = nrp::testing::OutboxMessages<v1::RightTransferred>(
      db_->conninfo(), "nrp.mining_rights.right_transferred.v1");
  ASSERT_EQ(transfers.size(), 1u);
  EXPECT_EQ(transfers[0].licence_number(), transferred.licence_number());

  // Split (分立): the part keeping the number takes a 23-character one and the old one as its
  // legacy number; the other part a number of its own.
  const v1::MiningRight c =
      enter("T41420180502000203", Box(112.76, 34.60, 112.78, 34.61), D(2024, 3, 1), D(2029, 3, 1));
  v1::SplitRightRequest split;
  split.set_request_id(NewUuidV4());
  split.set_right_id(c.right_id());
  for (const auto& wkt : {Box(112.76, 34.60, 112.77, 34.61), Box(112.77, 34.60, 112.78, 34.61)}) {
    auto* p = split.add_parts();
    p->mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
    p->mutable_geometry()->set_text(wkt);
  }
  split.set_keeps_number_index(1);
  v1::SplitRightResponse parts;
  s = Call(&Stub::SplitRight, split, &parts);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  ASSERT_EQ(parts.rights_size(), 2);
  expect_renumbered(parts.rights(1), "T41420180502000203");
  EXPECT_EQ(parts.rights(0).licence_number().size(), 23u);
  EXPECT_TRUE(parts.rights(0).legacy_licence_number().empty());
  EXPECT_NE(parts.rights(0).licence_number(), parts.rights(1).licence_number());
  EXPECT_EQ(Right(c.right_id()).licence_number(), "T41420180502000203") << "the superseded right";
  auto splits = nrp::testing::OutboxMessages<v1::RightSplit>(db_->conninfo(),
                                                             "nrp.mining_rights.right_split.v1");
  ASSERT_EQ(splits.size(), 1u);
  EXPECT_EQ(splits[0].parts(0).licence_number(), parts.rights(1).licence_number());
  EXPECT_EQ(splits[0].parts(0).legacy_licence_number(), "T41420180502000203");

  // Merge (合并): the earliest number survives, as a 23-character number; the duties pass on
  // the surviving account.
  const v1::MiningRight d =
      enter("T41420180502000204", Box(112.80, 34.60, 112.81, 34.61), D(2023, 6, 1), D(2028, 6, 1));
  const v1::MiningRight e = enter("T4103072021000000000051", Box(112.81, 34.60, 112.82, 34.61),
                                  D(2024, 6, 1), D(2029, 6, 1));
  v1::MergeRightsRequest merge;
  merge.set_request_id(NewUuidV4());
  merge.add_right_ids(e.right_id());
  merge.add_right_ids(d.right_id());
  v1::MiningRight merged;
  s = Call(&Stub::MergeRights, merge, &merged);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  expect_renumbered(merged, "T41420180502000204");
  EXPECT_EQ(merged.restoration_duty().fund_account(), "RF-T41420180502000204");
  auto merges = nrp::testing::OutboxMessages<v1::RightsMerged>(
      db_->conninfo(), "nrp.mining_rights.rights_merged.v1");
  ASSERT_EQ(merges.size(), 1u);
  EXPECT_EQ(merges[0].right().licence_number(), merged.licence_number());

  // The numbers given up stay taken.
  v1::MiningRight out;
  for (const char* old :
       {"T41420180502000201", "T41420180502000202", "T41420180502000203", "T41420180502000204"}) {
    ExpectCode(Enter(Existing(old, v1::MINING_RIGHT_KIND_EXPLORATION,
                              Box(112.84, 34.60, 112.85, 34.61), D(2024, 3, 1), D(2029, 3, 1)),
                     &out),
               Code::kAlreadyExists);
  }
}

TEST_F(MiningRightsRegisterIT, AnExistingRightPastItsLastDayIsEnteredExpiredAndOnce) {
  // A small mine, ten years to 31 December 2025; the clock is at 28 December 2026.
  const v1::MiningRight r = Existing("C4103072020000000000077", v1::MINING_RIGHT_KIND_MINING,
                                     Box(112.76, 34.63, 112.77, 34.64), D(2016, 1, 1),
                                     D(2025, 12, 31), v1::SCALE_CLASS_SMALL);
  v1::MiningRight entered;
  auto s = Enter(r, &entered);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(entered.state(), v1::MINING_RIGHT_STATE_EXPIRED);
  auto expired = nrp::testing::OutboxMessages<v1::RightExpired>(
      db_->conninfo(), "nrp.mining_rights.right_expired.v1");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].licence_number(), "C4103072020000000000077");
  // An expired right is not changed.
  v1::MiningRight changed;
  v1::MiningRight in = entered;
  in.set_project_name("另一名称");
  ExpectRefusal(ChangeRight(in, {"project_name"}, &changed), Code::kFailedPrecondition,
                "RIGHT_STATE");

  // The same number again, whatever the rest.
  v1::MiningRight out;
  v1::MiningRight again = r;
  again.mutable_geometry()->set_text(Box(112.78, 34.63, 112.79, 34.64));
  ExpectCode(Enter(again, &out), Code::kAlreadyExists);
  // Eleven years for a small mine exceed its ten; valid_to before valid_from is no term.
  again.set_licence_number("C4103072020000000000078");
  *again.mutable_valid_to() = D(2027, 1, 2);
  ExpectRefusal(Enter(again, &out), Code::kFailedPrecondition, "TERM_EXCEEDS_MAXIMUM");
  *again.mutable_valid_to() = D(2015, 12, 31);
  ExpectInvalid(Enter(again, &out), "right.valid_to");
  *again.mutable_valid_to() = D(2025, 2, 30);
  ExpectInvalid(Enter(again, &out), "right.valid_to");
  again.mutable_holder()->clear_id_number();
  *again.mutable_valid_to() = D(2025, 12, 31);
  ExpectInvalid(Enter(again, &out), "right.holder.id_number");
}

TEST_F(MiningRightsRegisterIT, AnEnteredRightLapsesAtMidnightChinaTimeAcrossTheYearsEnd) {
  // Ten years to 31 December 2026, entered on 28 December 2026.
  v1::MiningRight entered;
  auto s = Enter(Existing("C4103072020000000000091", v1::MINING_RIGHT_KIND_MINING,
                          Box(112.76, 34.63, 112.77, 34.64), D(2017, 1, 1), D(2026, 12, 31),
                          v1::SCALE_CLASS_SMALL),
                 &entered);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(entered.state(), v1::MINING_RIGHT_STATE_VALID);
  clock_.Set(At(2026, 12, 31, 23) + std::chrono::minutes(59));
  EXPECT_EQ(svc_->app().RunScheduledPass().lapsed, 0) << "still valid on its last day";
  clock_.Set(At(2027, 1, 1, 0));
  EXPECT_EQ(svc_->app().RunScheduledPass().lapsed, 1);
  EXPECT_EQ(svc_->app().RunScheduledPass().lapsed, 0) << "once";
  EXPECT_EQ(Right(entered.right_id()).state(), v1::MINING_RIGHT_STATE_EXPIRED);
  auto expired = nrp::testing::OutboxMessages<v1::RightExpired>(
      db_->conninfo(), "nrp.mining_rights.right_expired.v1");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].licence_number(), "C4103072020000000000091");
  EXPECT_EQ(expired[0].valid_to().year(), 2026);
}

// A right entered from the earlier register owes here only the reports whose listing day comes
// after its entry; its past years are the earlier system's.
TEST_F(MiningRightsRegisterIT, AnEnteredRightOwesOnlyTheReportsDueAfterItsEntry) {
  v1::MiningRight entered;
  auto s = Enter(Existing("C4103072020000000000077", v1::MINING_RIGHT_KIND_MINING,
                          Box(112.78, 34.61, 112.785, 34.615), D(2020, 3, 1), D(2040, 2, 29),
                          v1::SCALE_CLASS_MEDIUM),
                 &entered);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  auto listed = [&] {
    v1::ListAbnormalEntriesRequest req;
    req.set_filter("right_id = \"" + entered.right_id() + "\"");
    v1::ListAbnormalEntriesResponse resp;
    EXPECT_TRUE(Call(&Stub::ListAbnormalEntries, req, &resp).ok());
    std::vector<int> years;
    for (const auto& e : resp.entries()) years.push_back(e.year());
    return years;
  };
  // Entered on 28 December 2026: the 2025 report was due in the earlier system.
  svc_->app().RunScheduledPass();
  EXPECT_TRUE(listed().empty());
  // 1 July 2027: the 2026 report, due here by 30 June, is missing.
  clock_.Set(At(2027, 7, 1, 0));
  svc_->app().RunScheduledPass();
  EXPECT_EQ(listed(), std::vector<int>{2026});
}

// The refusals along a grant: the deposit, the end of bidding, a failed sale, the contract's
// instalments, the outburst class fixed at the offer, a right registered twice, and a
// negotiated price below the reserve.
TEST_F(MiningRightsIT, EachStepOfAGrantRefusesWhatItMust) {
  auto offer = Create(GoldListing(Box(112.72, 34.61, 112.73, 34.62)));
  ASSERT_TRUE(offer.ok()) << offer.error().ToString();
  v1::PublishGrantOfferRequest pub;
  pub.set_request_id(NewUuidV4());
  pub.set_offer_id(offer->offer_id());
  v1::GrantOffer published;
  ASSERT_TRUE(Call(&Stub::PublishGrantOffer, pub, &published).ok());
  auto reg = [&](const std::string& code, int64_t deposit) {
    v1::RegisterGrantBidderRequest r;
    r.set_request_id(NewUuidV4());
    r.set_offer_id(offer->offer_id());
    *r.mutable_bidder() = Company("竞买人 " + code, code);
    r.mutable_deposit_paid()->set_fen(deposit);
    v1::GrantBidder b;
    return std::pair{Call(&Stub::RegisterGrantBidder, r, &b), b};
  };
  ExpectRefusal(reg("91410300MA00000041", 9'999'999).first, Code::kFailedPrecondition,
                "DEPOSIT_NOT_PAID");
  auto [ok, bidder] = reg("91410300MA00000041", 10'000'000);
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  // One bid below the reserve (60 000 000 fen): the sale fails (流拍).
  clock_.Set(FromTs(offer->bidding_start()) + std::chrono::hours(1));
  v1::PlaceGrantBidRequest bid;
  bid.set_request_id(NewUuidV4());
  bid.set_offer_id(offer->offer_id());
  bid.set_bidder_number(bidder.bidder_number());
  bid.mutable_amount()->set_fen(55'000'000);
  v1::GrantBid placed;
  ASSERT_TRUE(Call(&Stub::PlaceGrantBid, bid, &placed).ok());
  clock_.Set(FromTs(offer->bidding_end()) + std::chrono::minutes(1));
  ExpectRefusal(reg("91410300MA00000058", 10'000'000).first, Code::kFailedPrecondition,
                "BIDDING_ENDED");
  v1::CloseGrantOfferRequest close;
  close.set_request_id(NewUuidV4());
  close.set_offer_id(offer->offer_id());
  v1::GrantOffer failed;
  ASSERT_TRUE(Call(&Stub::CloseGrantOffer, close, &failed).ok());
  EXPECT_EQ(failed.state(), v1::GRANT_OFFER_STATE_FAILED);
  EXPECT_EQ(failed.result().outcome(), v1::GRANT_OUTCOME_FAILED);
  EXPECT_EQ(nrp::testing::OutboxPayloads(db_->conninfo(), "nrp.mining_rights.grant_offer_failed.v1")
                .size(),
            1u);
  // No contract for a failed sale.
  v1::SignGrantContractRequest sign;
  sign.set_request_id(NewUuidV4());
  sign.mutable_contract()->set_offer_id(offer->offer_id());
  sign.mutable_contract()->set_contract_number("豫偃矿出〔失败〕");
  sign.mutable_contract()->mutable_restoration_duty()->set_plan_summary("复垦方案");
  sign.mutable_contract()->mutable_restoration_duty()->mutable_estimated_cost()->set_fen(1);
  v1::GrantContract contract;
  ExpectRefusal(Call(&Stub::SignGrantContract, sign, &contract), Code::kFailedPrecondition,
                "OFFER_STATE");

  // A grant that succeeds: its contract's instalments must add up to the price, its right is
  // registered once and with the outburst class of the offer.
  const v1::MiningRight right = GrantByListing(Box(112.74, 34.61, 112.75, 34.62));
  v1::GrantRightRequest again;
  again.set_request_id(NewUuidV4());
  again.set_contract_id(right.contract_id());
  *again.mutable_valid_from() = right.valid_from();
  again.set_scale_class(v1::SCALE_CLASS_MEDIUM);
  v1::MiningRight twice;
  ExpectRefusal(Call(&Stub::GrantRight, again, &twice), Code::kFailedPrecondition,
                "CONTRACT_STATE");
  // A negotiated rare-earth exploration grant: the price at least the reserve, the
  // instalments adding up to it, the right with the offer's outburst class.
  v1::GrantOffer negotiated = GoldListing(Box(112.78, 34.61, 112.785, 34.615));
  negotiated.mutable_main_mineral()->set_code("21000");
  negotiated.set_method(v1::GRANT_METHOD_NEGOTIATION);
  negotiated.set_negotiation_basis(v1::NEGOTIATION_BASIS_RARE_EARTH_OR_RADIOACTIVE);
  negotiated.clear_bidding_start();
  negotiated.clear_bidding_end();
  negotiated.clear_bid_increment();
  negotiated.set_kind(v1::MINING_RIGHT_KIND_EXPLORATION);
  negotiated.set_term_years(5);
  auto n = Create(negotiated);
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  pub.set_request_id(NewUuidV4());
  pub.set_offer_id(n->offer_id());
  ASSERT_TRUE(Call(&Stub::PublishGrantOffer, pub, &published).ok());
  close.set_request_id(NewUuidV4());
  close.set_offer_id(n->offer_id());
  *close.mutable_agreed_grantee() = Company("洛阳某稀土有限公司", "91410300MA00000066");
  close.mutable_agreed_price()->set_fen(59'999'999);
  v1::GrantOffer awarded;
  ExpectRefusal(Call(&Stub::CloseGrantOffer, close, &awarded), Code::kFailedPrecondition,
                "BELOW_RESERVE_PRICE");
  close.set_request_id(NewUuidV4());
  close.mutable_agreed_price()->set_fen(60'000'000);
  ASSERT_TRUE(Call(&Stub::CloseGrantOffer, close, &awarded).ok());
  sign.set_request_id(NewUuidV4());
  sign.mutable_contract()->set_offer_id(n->offer_id());
  sign.mutable_contract()->set_contract_number("豫偃矿出〔协议〕");
  auto* inst = sign.mutable_contract()->add_installments();
  *inst->mutable_due_date() = D(2027, 3, 1);
  inst->mutable_amount()->set_fen(50'000'000);
  ExpectRefusal(Call(&Stub::SignGrantContract, sign, &contract), Code::kFailedPrecondition,
                "INSTALMENTS_MISMATCH");
  sign.set_request_id(NewUuidV4());
  inst->mutable_amount()->set_fen(60'000'000);
  ASSERT_TRUE(Call(&Stub::SignGrantContract, sign, &contract).ok());
  v1::GrantRightRequest grant;
  grant.set_request_id(NewUuidV4());
  grant.set_contract_id(contract.contract_id());
  *grant.mutable_valid_from() = D(2027, 3, 1);
  grant.set_gas_outburst(true);
  v1::MiningRight granted;
  ExpectRefusal(Call(&Stub::GrantRight, grant, &granted), Code::kFailedPrecondition,
                "OUTBURST_CLASS_CHANGED");
  grant.set_request_id(NewUuidV4());
  grant.set_gas_outburst(false);
  auto g = Call(&Stub::GrantRight, grant, &granted);
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  EXPECT_EQ(granted.licence_number().substr(0, 1), "T") << "an exploration right";
}

}  // namespace
}  // namespace nrp::mining_rights
