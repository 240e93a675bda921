// Bid throughput of a mining-right grant, measured through gRPC against the real PostgreSQL,
// Redis and broker (the NRP_TEST_* variables, as scripts/test sets them), beside the same-run
// baselines of land supply's bid benchmark (libs/auction/bench):
//   redis-lua   the live board's Lua script alone (one hot key)
//   pg-row      the bid's database work alone on one hot row
//   hot         PlaceGrantBid on one listing from every client thread
//   overall     PlaceGrantBid spread over several listings
// Usage: nrp_mining_rights_bid_bench [--seconds S] [--threads T] [--listings L]
#include <atomic>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "baselines.h"
#include "nrp/core/log.h"
#include "nrp/core/uuid.h"
#include "nrp/db/migrations.h"
#include "nrp/db/transaction.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/rpc/client.h"
#include "nrp/rpc/errors.h"
#include "nrp/service/wire_time.h"
#include "nrp/testing/calendar_folder.h"
#include "nrp/testing/infra.h"
#include "nrp/testing/service_kit.h"
#include "nrp/zones/replica.h"
#include "wiring.h"

namespace nrp::mining_rights {
namespace {

namespace cpb = ::nrp::common::v1;
using nrp::testing::Figures;
using nrp::testing::Outcome;
using nrp::testing::PrintFigures;
using nrp::testing::RunThroughput;
using Stub = v1::MiningRightsService::Stub;

constexpr char kToken[] = "henan-mine-bench-0123456789abcdef";

std::string Box(double lon0, double lat0, double lon1, double lat1) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "POLYGON((%.6f %.6f,%.6f %.6f,%.6f %.6f,%.6f %.6f,%.6f %.6f))",
                lon0, lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0);
  return buf;
}

// Planning's four layers around 偃师, applied to the replica as planning's events would be.
Status SeedZones(db::Pool& pool, const Clock& clock) {
  const zones::Replica replica(clock);
  struct Layer {
    const char* id;
    int kind;
    int level;
    std::string wkt;
  };
  const Layer layers[] = {{"b-erl", 2, 2, Box(112.60, 34.70, 112.65, 34.75)},
                          {"b-pbf", 1, 1, Box(112.55, 34.60, 112.60, 34.65)},
                          {"b-udb", 3, 1, Box(112.50, 34.60, 112.55, 34.65)},
                          {"b-min", 5, 4, Box(112.70, 34.60, 112.80, 34.65)}};
  return db::Transact(pool, [&](pqxx::work& tx) -> Status {
    for (const Layer& l : layers) {
      planning::v1::ZonePublished z;
      z.set_layer_id(l.id);
      z.set_region_code("410300");
      z.set_layer_kind(static_cast<cpb::ZoneLayerKind>(l.kind));
      z.set_layer_version(1);
      z.set_zone_id(std::string(l.id) + "-1");
      z.set_name(z.zone_id());
      z.set_control_level(static_cast<cpb::ZoneControlLevel>(l.level));
      z.mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
      z.mutable_geometry()->set_text(l.wkt);
      z.mutable_geometry()->set_srid(4490);
      z.set_zone_region_code("410300");
      z.set_change(planning::v1::ZONE_CHANGE_ADDED);
      z.set_zone_digest(zones::ZoneDigest(z));
      z.set_sequence(1);
      NRP_RETURN_IF_ERROR(replica.Apply(tx, z));
      planning::v1::LayerVersionPublished m;
      m.set_layer_id(l.id);
      m.set_region_code("410300");
      m.set_layer_kind(z.layer_kind());
      m.set_version(1);
      m.set_zone_count(1);
      m.set_checksum(db::Sha256Hex(z.zone_id() + ":" + z.zone_digest() + "\n"));
      *m.mutable_published_at() = service::ToTimestamp(clock.Now());
      NRP_RETURN_IF_ERROR(replica.Apply(tx, m));
    }
    return Ok();
  });
}

int Main(int argc, char** argv) {
  double seconds = 10;
  int threads = 16;
  int listings = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--listings")) listings = std::max(2, std::atoi(argv[i + 1]));
  }
  log::Configure("mining_rights_bench", log::Level::kError);
  ManualClock clock(*ParseRfc3339("2026-12-28T02:00:00Z"));
  nrp::testing::TestDatabase db("mrbench");
  nrp::testing::CalendarFolder calendar;
  auto options = nrp::testing::TestRuntimeOptions(
      {.service = "mining_rights",
       .conninfo = db.conninfo(),
       .topic_prefix = nrp::testing::NewTopicPrefix(),
       .tokens_json = std::string(R"({")") + kToken +
                      R"(": {"agency": "henan-nrd", "scopes": ["mining_rights.read",
                      "mining_rights.write"], "regions": ["41"]}})",
       .calendar_dir = calendar.dir().string(),
       .pool_size = 24});
  options.redis.pool_size = 16;
  service::Runtime rt(std::move(options), clock);
  auto fail = [](const char* step, const Status& s) {
    std::fprintf(stderr, "%s: %s\n", step, s.error().ToString().c_str());
    return 1;
  };
  if (Status s = rt.Init(Migrations()); !s.ok()) return fail("init", s);
  if (Status s = SeedZones(rt.db(), clock); !s.ok()) return fail("zones", s);
  MiningRightsConfig config;
  config.scheduler = false;
  MiningRightsService svc(rt, config);
  if (Status s = svc.Wire(); !s.ok()) return fail("wire", s);
  if (Status s = rt.Start(); !s.ok()) return fail("start", s);
  rpc::ChannelOptions channel;
  channel.target = rt.target();
  auto stub = v1::MiningRightsService::NewStub(rpc::MakeChannel(channel));
  auto call = [&](auto method, const auto& req, auto* out) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    ctx.AddMetadata("authorization", std::string("Bearer ") + kToken);
    return rpc::FromGrpcStatus(((*stub).*method)(&ctx, req, out));
  };

  struct Listing {
    std::string offer_id;
    std::vector<std::string> bidders;
    std::atomic<int64_t> next{0};
  };
  std::vector<std::unique_ptr<Listing>> all;
  const int64_t start_fen = 100'000'000, inc = 10'000;
  TimePoint bidding_start;
  for (int l = 0; l < listings; ++l) {
    const double lon = 112.71 + 0.005 * l;
    v1::CreateGrantOfferRequest create;
    create.set_request_id(NewUuidV4());
    v1::GrantOffer* o = create.mutable_offer();
    o->set_region_code("410307");
    o->set_kind(v1::MINING_RIGHT_KIND_MINING);
    o->set_project_name("偃师区金矿 " + std::to_string(l));
    o->mutable_main_mineral()->set_code("20700");
    o->mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
    o->mutable_geometry()->set_text(Box(lon, 34.61, lon + 0.004, 34.615));
    o->set_mining_method(v1::MINING_METHOD_UNDERGROUND);
    o->mutable_planned_scale()->set_annual_output(120'000);
    o->mutable_planned_scale()->set_unit(v1::OUTPUT_UNIT_TONNES_PER_YEAR);
    o->set_deposit_scale(v1::SCALE_CLASS_MEDIUM);
    o->set_method(v1::GRANT_METHOD_LISTING);
    o->set_term_years(20);
    o->mutable_starting_price()->set_fen(start_fen);
    o->mutable_bid_increment()->set_fen(inc);
    bidding_start = clock.Now() + std::chrono::hours(24 * 21);
    *o->mutable_bidding_start() = service::ToTimestamp(bidding_start);
    *o->mutable_bidding_end() = service::ToTimestamp(bidding_start + std::chrono::hours(24 * 11));
    v1::GrantOffer offer;
    if (auto s = call(&Stub::CreateGrantOffer, create, &offer); !s.ok()) {
      std::fprintf(stderr, "create: %s\n", s.error().ToString().c_str());
      return 1;
    }
    v1::PublishGrantOfferRequest pub;
    pub.set_request_id(NewUuidV4());
    pub.set_offer_id(offer.offer_id());
    if (auto s = call(&Stub::PublishGrantOffer, pub, &offer); !s.ok()) {
      std::fprintf(stderr, "publish: %s\n", s.error().ToString().c_str());
      return 1;
    }
    auto listing = std::make_unique<Listing>();
    listing->offer_id = offer.offer_id();
    for (int b = 0; b < 10; ++b) {
      v1::RegisterGrantBidderRequest reg;
      reg.set_request_id(NewUuidV4());
      reg.set_offer_id(offer.offer_id());
      reg.mutable_bidder()->set_kind(cpb::PARTY_KIND_ORGANISATION);
      reg.mutable_bidder()->set_name("竞买人" + std::to_string(b));
      reg.mutable_bidder()->set_id_type(cpb::ID_DOCUMENT_TYPE_UNIFIED_SOCIAL_CREDIT_CODE);
      reg.mutable_bidder()->set_id_number("9141030" + std::to_string(1000000 + 100 * l + b));
      v1::GrantBidder bidder;
      if (auto s = call(&Stub::RegisterGrantBidder, reg, &bidder); !s.ok()) {
        std::fprintf(stderr, "register: %s\n", s.error().ToString().c_str());
        return 1;
      }
      listing->bidders.push_back(bidder.bidder_number());
    }
    all.push_back(std::move(listing));
  }
  clock.Set(bidding_start + std::chrono::hours(1));

  auto bid = [&](Listing& l, int t) -> Outcome {
    v1::PlaceGrantBidRequest req;
    req.set_request_id(NewUuidV4());
    req.set_offer_id(l.offer_id);
    req.set_bidder_number(l.bidders[static_cast<size_t>(t) % l.bidders.size()]);
    req.mutable_amount()->set_fen(start_fen + inc * l.next.fetch_add(1));
    v1::GrantBid out;
    Status st = call(&Stub::PlaceGrantBid, req, &out);
    if (st.ok()) return Outcome::kAccepted;
    return st.error().reason() == "BID_TOO_LOW" ? Outcome::kRefused : Outcome::kError;
  };

  Figures lua = auction::bench::LiveBoardBaseline(rt.redis(), threads, seconds);
  Figures pg = auction::bench::RowLockBaseline(rt.options().db_url, threads, seconds);
  Figures hot = RunThroughput(threads, seconds, [&](int t, int64_t) { return bid(*all[0], t); });
  Figures overall = RunThroughput(threads, seconds, [&](int t, int64_t i) {
    return bid(*all[1 + static_cast<size_t>((t + i) % (all.size() - 1))], t);
  });

  std::printf("mining-right grant bid throughput, %d client threads, %.0f s per run\n", threads,
              seconds);
  PrintFigures("redis-lua", lua, "updates");
  PrintFigures("pg-row", pg, "txns");
  PrintFigures("hot", hot, "bids");
  char name[32];
  std::snprintf(name, sizeof name, "overall(%d)", listings - 1);
  PrintFigures(name, overall, "bids");
  std::printf("hot listing reaches %.1f%% of the bare row-lock transaction rate\n",
              100.0 * hot.rate() / pg.rate());
  // The record and the live board agree after the runs.
  pqxx::connection c(db.conninfo());
  pqxx::nontransaction tx(c);
  const auto recorded =
      tx.exec_params1("SELECT count(*), COALESCE(max(seq), 0) FROM grant_bids WHERE offer_id = $1",
                      all[0]->offer_id);
  auto live = svc.app().board().Read(all[0]->offer_id);
  std::printf("hot listing: %lld bids recorded (last seq %lld), live board seq %lld\n",
              static_cast<long long>(recorded[0].as<int64_t>()),
              static_cast<long long>(recorded[1].as<int64_t>()),
              live.ok() && live->has_value() ? static_cast<long long>((*live)->board.seq) : -1LL);
  stub.reset();
  rt.Stop();
  return recorded[0].as<int64_t>() == hot.accepted ? 0 : 3;
}

}  // namespace
}  // namespace nrp::mining_rights

int main(int argc, char** argv) { return nrp::mining_rights::Main(argc, argv); }
