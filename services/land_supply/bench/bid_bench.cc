// Bid throughput of the land supply service, measured through gRPC against
// the real PostgreSQL, Redis and broker (the NRP_TEST_* variables, as
// scripts/test sets them), beside two baselines measured in the same run:
//   redis-lua   the live board's Lua script alone (one hot key)
//   pg-row      the bid's database work alone: lock one row, insert one row,
//               update the locked row, commit (one hot row)
//   hot         PlaceBid on one listing from every client thread
//   overall     PlaceBid spread over several listings
// Usage: nrp_land_supply_bid_bench [--seconds S] [--threads T] [--listings L]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "../tests/harness.h"
#include "baselines.h"
#include "nrp/auction/live_board.h"
#include "convert/convert.h"
#include "nrp/core/log.h"
#include "nrp/core/uuid.h"

namespace nrp::land_supply::testing {
namespace {

using Stub = v1::LandSupplyService::Stub;
using nrp::testing::Figures;
using nrp::testing::Outcome;
using nrp::testing::PrintFigures;
using nrp::testing::RunThroughput;

int Main(int argc, char** argv) {
  double seconds = 10;
  int threads = 16;
  int listings = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--listings")) listings = std::max(2, std::atoi(argv[i + 1]));
  }
  log::Configure("land_supply_bench", log::Level::kError);
  Harness h(ParseRfc3339("2025-06-02T02:00:00Z").value());
  h.PublishStandardZones();

  // Listings with ten bidders each, bidding open.
  struct Listing {
    std::string offer_id;
    std::vector<std::string> bidders;
    std::atomic<int64_t> next{0};
  };
  std::vector<std::unique_ptr<Listing>> all;
  const int64_t start_fen = 100'000'000, inc = 10'000;
  v1::SupplyOffer first;
  for (int l = 0; l < listings; ++l) {
    double lon = 112.41 + 0.003 * l;
    v1::Parcel p = h.ReadyParcel(Box(lon, 34.64, lon + 0.002, 34.642), v1::LAND_USE_COMMERCIAL);
    v1::SupplyOffer o = h.DraftListing(p, start_fen, start_fen, inc);
    v1::PublishOfferRequest pub;
    pub.set_request_id(NewRequestId());
    pub.set_offer_id(o.offer_id());
    if (!h.Call(&Stub::PublishOffer, pub, &o).ok()) return 1;
    auto listing = std::make_unique<Listing>();
    listing->offer_id = o.offer_id();
    for (int b = 0; b < 10; ++b) {
      listing->bidders.push_back(
          h.RegisterBidder(o.offer_id(), "竞买人" + std::to_string(b), CreditCode(1000 * l + b))
              .bidder_number());
    }
    all.push_back(std::move(listing));
    if (l == 0) first = o;
  }
  h.clock().Set(FromTimestamp(first.bidding_start()) + std::chrono::hours(1));

  auto bid = [&](Listing& l, int t) -> Outcome {
    v1::PlaceBidRequest req;
    req.set_request_id(NewUuidV4());
    req.set_offer_id(l.offer_id);
    req.set_bidder_number(l.bidders[t % l.bidders.size()]);
    req.mutable_amount()->set_fen(start_fen + inc * l.next.fetch_add(1));
    v1::Bid out;
    Status st = h.Call(&Stub::PlaceBid, req, &out);
    if (st.ok()) return Outcome::kAccepted;
    return st.error().reason() == "BID_TOO_LOW" ? Outcome::kRefused : Outcome::kError;
  };

  // The same-run baselines (libs/auction/bench): the board's Lua script, the bare row lock.
  Figures lua = auction::bench::LiveBoardBaseline(h.runtime().redis(), threads, seconds);
  Figures pg = auction::bench::RowLockBaseline(h.runtime().options().db_url, threads, seconds);

  Figures hot = RunThroughput(threads, seconds, [&](int t, int64_t) { return bid(*all[0], t); });
  Figures overall = RunThroughput(threads, seconds, [&](int t, int64_t i) {
    return bid(*all[1 + static_cast<size_t>((t + i) % (all.size() - 1))], t);
  });

  std::printf("land supply bid throughput, %d client threads, %.0f s per run\n", threads, seconds);
  PrintFigures("redis-lua", lua, "updates");
  PrintFigures("pg-row", pg, "txns");
  PrintFigures("hot", hot, "bids");
  char name[32];
  std::snprintf(name, sizeof name, "overall(%d)", listings - 1);
  PrintFigures(name, overall, "bids");
  std::printf("hot listing reaches %.1f%% of the bare row-lock transaction rate\n",
              100.0 * hot.rate() / pg.rate());
  // The board and the record agree after the runs.
  auto rec = h.Count("SELECT count(*) FROM bids WHERE offer_id = '" + all[0]->offer_id + "'");
  auto lb = h.service().board().Read(all[0]->offer_id);
  std::printf("hot listing: %lld bids recorded, live board seq %lld\n", static_cast<long long>(rec),
              lb.ok() && lb->has_value() ? static_cast<long long>((*lb)->board.seq) : -1LL);
  return 0;
}

}  // namespace
}  // namespace nrp::land_supply::testing

int main(int argc, char** argv) { return nrp::land_supply::testing::Main(argc, argv); }
