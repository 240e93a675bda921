// The steps of a flow through planning and land supply an agency makes, shared by the
// end-to-end tests: small builders of contract values, and the calls (a layer published, a
// parcel created, reserved and cleared, a listing drafted and published, bids, payments) on the
// platform's stubs. Each call's failure is a test failure where it happens.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "nrp/land_supply/v1/land_supply.grpc.pb.h"
#include "nrp/planning/v1/planning.grpc.pb.h"
#include "nrp/rpc/errors.h"
#include "platform.h"

namespace nrp::e2e {

namespace cv1 = ::nrp::common::v1;
namespace lv1 = ::nrp::land_supply::v1;
namespace pv1 = ::nrp::planning::v1;
using Clock = std::chrono::system_clock;
using namespace std::chrono_literals;

template <class Stub, class Req, class Resp>
Status Call(Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
            const Req& req, Resp* resp) {
  grpc::ClientContext ctx;
  ctx.set_deadline(Clock::now() + 60s);
  return rpc::FromGrpcStatus((stub->*method)(&ctx, req, resp));
}

// A fresh request id.
std::string Rid();
// A rectangle as WKT (EPSG:4490), corners at 4 decimals.
std::string Box(double lon0, double lat0, double lon1, double lat1);
cv1::Geometry Wkt(const std::string& text);
// Legal dates are China Standard Time: the platform's day there.
std::chrono::sys_days TodayInChina();
cv1::Date ProtoDate(std::chrono::sys_days d);
google::protobuf::Timestamp Ts(Clock::time_point t);
cv1::DocumentReference Doc(const std::string& title, const std::string& number = "",
                           const std::string& issuer = "");
// A unified social credit code (GB 32100-2015) with a valid check character.
std::string CreditCode(int n);
cv1::Party Company(const std::string& name, int n, const std::string& representative);
// Polls `probe` every `step` until it returns true or `timeout` passes.
bool Eventually(const std::function<bool()>& probe, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step = 250ms);
std::string Describe(const Status& st);

// Phase durations, printed at the end (and recorded as test properties).
class Phases {
 public:
  void Mark(const std::string& name) {
    auto now = std::chrono::steady_clock::now();
    phases_.emplace_back(name, std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }
  void Print() const {
    double total = 0;
    std::printf("end-to-end phases:\n");
    for (const auto& [name, secs] : phases_) {
      std::printf("  %-58s %7.2f s\n", name.c_str(), secs);
      total += secs;
    }
    std::printf("  %-58s %7.2f s\n", "total", total);
    std::fflush(stdout);
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, double>> phases_;
};


struct ZoneSpec {
  std::string id;
  std::string name;
  cv1::ZoneControlLevel level;
  std::string wkt;
};

// Planning's and land supply's calls of a flow in `region` (a city, e.g. 410300) and its
// `county` (where parcels lie).
class LandFlows {
 public:
  LandFlows(pv1::PlanningService::Stub* planning, lv1::LandSupplyService::Stub* land,
            std::string region, std::string county)
      : planning_(planning), land_(land), region_(std::move(region)), county_(std::move(county)) {}

  // Creates a layer (when `layer_id` is empty), imports `zones` into a new version and
  // publishes it.
  pv1::LayerVersion PublishLayer(cv1::ZoneLayerKind kind, const std::string& name,
                                 const std::vector<ZoneSpec>& zones, const std::string& note,
                                 std::string* layer_id);
  lv1::Parcel CreateParcel(const std::string& code, const std::string& name,
                           const std::string& wkt);
  Status Reserve(const std::string& parcel_id, lv1::Parcel* out);
  void Clear(const std::string& parcel_id);
  lv1::SupplyOffer DraftListing(const lv1::Parcel& parcel, Clock::time_point start,
                                Clock::time_point end);
  Status PublishOffer(const std::string& offer_id, lv1::SupplyOffer* out);
  lv1::SupplyOffer GetOffer(const std::string& offer_id);
  Status Bid(const std::string& offer_id, const std::string& number, int64_t fen);
  Status Pay(const std::string& contract_id, lv1::PaymentKind kind, int64_t fen);
  pv1::Indicator GetIndicator(const std::string& id);

  // Prices of the listing (fen): 1.20 亿元 start, 1.25 亿元 reserve, 100 万元 steps.
  static constexpr int64_t kStartingFen = 12'000'000'000;
  static constexpr int64_t kReserveFen = 12'500'000'000;
  static constexpr int64_t kIncrementFen = 100'000'000;
  static constexpr int64_t kDepositFen = 2'400'000'000;

 private:
  pv1::PlanningService::Stub* planning_;
  lv1::LandSupplyService::Stub* land_;
  std::string region_;
  std::string county_;
};

}  // namespace nrp::e2e
