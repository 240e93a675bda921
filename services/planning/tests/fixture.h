// The planning service started in-process against the real PostgreSQL+PostGIS,
// Redis and development broker (scripts/test), with a fresh database, its own
// topic prefix and consumer group, a manual clock, and clients that call it
// through gRPC and talk to the broker as the other services would.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nrp/core/clock.h"
#include "nrp/events/cloud_event.h"
#include "nrp/planning/v1/planning.grpc.pb.h"
#include "nrp/service/runtime.h"
#include "nrp/testing/infra.h"
#include "nrp/testing/service_kit.h"
#include "planning_service.h"

namespace nrp::planning::testing {

namespace v1 = ::nrp::planning::v1;
namespace common = ::nrp::common::v1;

// Tokens of the static table the fixture serves.
inline constexpr char kPlannerToken[] =
    "henan-planner-token-0123456789";                                    // planning.read+write, 41
inline constexpr char kReaderToken[] = "henan-reader-token-0123456789";  // planning.read, 41
inline constexpr char kProvinceToken[] =
    "all-regions-token-0123456789";  // read+write, every region

// A square polygon (lon, lat of the south-west corner, side in degrees).
std::string SquareWkt(double lon, double lat, double side);
std::string SquareGeoJson(double lon, double lat, double side);
std::string RectWkt(double lon0, double lat0, double lon1, double lat1);

class PlanningFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Settings a test changes before the service starts.
  virtual void Configure(PlanningConfig&) {}

  std::unique_ptr<v1::PlanningService::Stub> Stub(const std::string& token) const;
  std::unique_ptr<v1::PlanningService::Stub>& stub() { return stub_; }

  // A layer with one published version holding the zones (WKT).
  struct ZoneSpec {
    std::string id;
    std::string wkt;
    common::ZoneControlLevel level = common::ZONE_CONTROL_LEVEL_UNSPECIFIED;
    std::string name;
  };
  v1::ZoneLayer CreateLayer(common::ZoneLayerKind kind, const std::string& region);
  v1::LayerVersion NewVersion(const std::string& layer_id);
  v1::ImportZonesResponse Import(const std::string& layer_id, int64_t version,
                                 const std::vector<ZoneSpec>& zones, size_t per_message = 2);
  v1::LayerVersion Publish(const std::string& layer_id, int64_t version);
  v1::LayerVersion PublishLayer(const std::string& layer_id, const std::vector<ZoneSpec>& zones);

  // Produces a contract event to `<prefix><base_topic>` with the events
  // library's envelope, as the owning service's relay would.
  void ProduceEvent(const std::string& service, std::string_view base_topic,
                    const google::protobuf::Message& payload, const std::string& region_code);
  // Reads the planning topic from the start until `done` holds for the events
  // read so far or the timeout passes.
  std::vector<events::CloudEvent> ReadPlanningEvents(
      const std::function<bool(const std::vector<events::CloudEvent>&)>& done,
      std::chrono::milliseconds timeout = std::chrono::seconds(60));

  v1::Indicator Indicator(const std::string& id);
  // Waits until the indicator satisfies `pred` (events are consumed asynchronously).
  v1::Indicator WaitForIndicator(const std::string& id,
                                 const std::function<bool(const v1::Indicator&)>& pred,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(60));

  int64_t Count(const std::string& sql);

  std::unique_ptr<nrp::testing::TestDatabase> db_;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<service::Runtime> rt_;
  std::unique_ptr<PlanningService> service_;
  std::unique_ptr<v1::PlanningService::Stub> stub_;
  std::string prefix_;
  nrp::testing::EventProducer producer_;
  std::string target_;
};

}  // namespace nrp::planning::testing
