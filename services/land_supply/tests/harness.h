// The land supply service started in-process against the real PostgreSQL,
// Redis and development broker (scripts/test), with a hand-set clock, its own
// database, topic prefix and consumer group; a gRPC client with tokens; and
// helpers that produce planning's and restoration's events to the broker the
// way those services do (contract messages in the events library's envelope).
#pragma once

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "land_supply_service.h"
#include "nrp/core/clock.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/land_supply/v1/land_supply.grpc.pb.h"
#include "nrp/rpc/errors.h"
#include "nrp/testing/calendar_folder.h"
#include "nrp/testing/infra.h"
#include "nrp/testing/service_kit.h"

namespace nrp::land_supply::testing {

namespace v1 = ::nrp::land_supply::v1;

// Bearer tokens of the test's token table.
inline constexpr char kWriter[] = "henan-land-writer-0123456789abcdef";  // read, write, pii in "41"
inline constexpr char kReader[] = "henan-land-reader-0123456789abcdef";  // read in "41"
inline constexpr char kJilin[] = "jilin-land-writer-0123456789abcdef";   // read, write in "22"

struct Zone {
  std::string zone_id;
  std::string name;
  int control_level = 1;
  std::string wkt;
};

class Harness {
 public:
  // `start` is the clock's first reading. `scheduler_job` runs the scheduler
  // on its own thread too (most tests call RunScheduler() instead).
  explicit Harness(TimePoint start, bool scheduler_job = false);
  ~Harness();

  ManualClock& clock() { return clock_; }
  // The service's calendar folder: a copy of the shipped years the test may add to.
  const nrp::testing::CalendarFolder& calendar() const { return calendar_; }
  service::Runtime& runtime() { return *rt_; }
  LandSupplyService& service() { return *svc_; }
  v1::LandSupplyService::Stub& stub() { return *stub_; }
  const std::string& prefix() const { return prefix_; }

  // Calls `method` with `token`; returns the status as nrp::Status (code,
  // message and details of the gRPC status).
  template <class Req, class Resp>
  Status Call(grpc::Status (v1::LandSupplyService::Stub::*method)(grpc::ClientContext*, const Req&,
                                                                  Resp*),
              const Req& req, Resp* resp, const std::string& token = kWriter) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    ctx.AddMetadata("authorization", "Bearer " + token);
    if (!traceparent_.empty()) ctx.AddMetadata("traceparent", traceparent_);
    return rpc::FromGrpcStatus(((*stub_).*method)(&ctx, req, resp));
  }
  // The W3C traceparent later calls send; empty: none.
  void SetTraceparent(std::string traceparent) { traceparent_ = std::move(traceparent); }

  SchedulerReport RunScheduler() { return svc_->scheduler().RunOnce(); }

  // Produces an event message to `base_topic` (prefixed), keyed and typed by
  // its contract option.
  void Produce(const google::protobuf::Message& payload, const std::string& region_code);
  // Publishes one layer version the way planning does: ZonePublished for each
  // zone, ZoneWithdrawn for each withdrawn id, then (unless `marker` is false)
  // LayerVersionPublished with the count and checksum. `checksum_override`
  // replaces the marker's checksum (to simulate lost events).
  void PublishLayerVersion(const std::string& layer_id, const std::string& region_code, int kind,
                           int64_t version, const std::vector<Zone>& zones,
                           const std::vector<std::string>& withdrawn = {}, bool marker = true,
                           int64_t zone_count_override = -1);
  // Waits (bounded) until the replica's current version of the layer is `version`.
  bool WaitForLayerVersion(const std::string& layer_id, int64_t version);
  // The usual three control lines around Luoyang (version 1 of each layer).
  void PublishStandardZones();

  // SQL helpers on the service's database.
  int64_t Count(const std::string& sql);
  std::string Scalar(const std::string& sql);
  // Payloads of the outbox's events of one type, in commit order.
  template <class M>
  std::vector<M> Events(const std::string& ce_type) {
    std::vector<M> out;
    for (const auto& bytes : OutboxPayloads(ce_type)) {
      M m;
      m.ParseFromString(bytes);
      out.push_back(std::move(m));
    }
    return out;
  }
  std::vector<std::string> OutboxPayloads(const std::string& ce_type);

  // Flows used by several tests.
  v1::Parcel CreateParcel(const std::string& wkt, v1::LandUse use,
                          const std::string& region = "410311",
                          v1::SoilPollutionStatus soil = v1::SOIL_POLLUTION_STATUS_CLEAN);
  // Registered → reserved → ready.
  v1::Parcel ReadyParcel(const std::string& wkt, v1::LandUse use,
                         const std::string& region = "410311");
  // A DRAFT listing of a ready parcel, bidding from now + 21 days for 10 days.
  v1::SupplyOffer DraftListing(const v1::Parcel& parcel, int64_t starting_fen, int64_t reserve_fen,
                               int64_t increment_fen,
                               v1::SupplyMethod method = v1::SUPPLY_METHOD_LISTING);
  v1::BidderRegistration RegisterBidder(const std::string& offer_id, const std::string& name,
                                        const std::string& credit_code);

 private:
  ManualClock clock_;
  nrp::testing::CalendarFolder calendar_;
  std::unique_ptr<nrp::testing::TestDatabase> db_;
  std::unique_ptr<service::Runtime> rt_;
  std::unique_ptr<LandSupplyService> svc_;
  std::unique_ptr<v1::LandSupplyService::Stub> stub_;
  std::string prefix_;
  std::string traceparent_;
  nrp::testing::EventProducer producer_;
};

// Well-formed unified social credit codes (GB 32100-2015) for bidders.
std::string CreditCode(int n);
// An axis-aligned rectangle as WKT.
std::string Box(double lon0, double lat0, double lon1, double lat1);
nrp::common::v1::Party Company(const std::string& name, const std::string& credit_code);
std::string NewRequestId();

}  // namespace nrp::land_supply::testing
