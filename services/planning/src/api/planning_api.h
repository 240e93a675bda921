// The gRPC handlers of nrp.planning.v1.PlanningService, one per RPC:
// authorize → validate → domain → store, each mutation idempotent by
// request_id and writing its events through the outbox in its transaction.
// Split by resource: layers_api.cc (layers, versions, import, publish,
// zones), check_api.cc (CheckConflicts), plans_api.cc (plans, indicators,
// values, progress).
#pragma once

#include <memory>

#include "app/config.h"
#include "app/progress.h"
#include "nrp/cache/read_through_cache.h"
#include "nrp/planning/v1/planning.grpc.pb.h"
#include "nrp/service/runtime.h"

namespace nrp::planning::api {

inline constexpr std::string_view kReadScope = "planning.read";
inline constexpr std::string_view kWriteScope = "planning.write";
inline constexpr std::string_view kServiceName = "nrp.planning.v1.PlanningService";
inline constexpr std::string_view kErrorDomain = "planning.nrp";

class PlanningApi final : public v1::PlanningService::Service {
 public:
  PlanningApi(service::Runtime& runtime, const PlanningConfig& config, app::ProgressEngine& progress);

  grpc::Status CreateZoneLayer(grpc::ServerContext*, const v1::CreateZoneLayerRequest*,
                               v1::ZoneLayer*) override;
  grpc::Status GetZoneLayer(grpc::ServerContext*, const v1::GetZoneLayerRequest*,
                            v1::ZoneLayer*) override;
  grpc::Status ListZoneLayers(grpc::ServerContext*, const v1::ListZoneLayersRequest*,
                              v1::ListZoneLayersResponse*) override;
  grpc::Status CreateLayerVersion(grpc::ServerContext*, const v1::CreateLayerVersionRequest*,
                                  v1::LayerVersion*) override;
  grpc::Status GetLayerVersion(grpc::ServerContext*, const v1::GetLayerVersionRequest*,
                               v1::LayerVersion*) override;
  grpc::Status ListLayerVersions(grpc::ServerContext*, const v1::ListLayerVersionsRequest*,
                                 v1::ListLayerVersionsResponse*) override;
  grpc::Status ImportZones(grpc::ServerContext*, grpc::ServerReader<v1::ImportZonesRequest>*,
                           v1::ImportZonesResponse*) override;
  grpc::Status PublishLayerVersion(grpc::ServerContext*, const v1::PublishLayerVersionRequest*,
                                   v1::LayerVersion*) override;
  grpc::Status DiscardLayerVersion(grpc::ServerContext*, const v1::DiscardLayerVersionRequest*,
                                   v1::LayerVersion*) override;
  grpc::Status GetZone(grpc::ServerContext*, const v1::GetZoneRequest*, v1::Zone*) override;
  grpc::Status ListZones(grpc::ServerContext*, const v1::ListZonesRequest*,
                         v1::ListZonesResponse*) override;
  grpc::Status CheckConflicts(grpc::ServerContext*, const v1::CheckConflictsRequest*,
                              v1::CheckConflictsResponse*) override;

  grpc::Status CreatePlan(grpc::ServerContext*, const v1::CreatePlanRequest*, v1::Plan*) override;
  grpc::Status GetPlan(grpc::ServerContext*, const v1::GetPlanRequest*, v1::Plan*) override;
  grpc::Status ListPlans(grpc::ServerContext*, const v1::ListPlansRequest*,
                         v1::ListPlansResponse*) override;
  grpc::Status ApprovePlan(grpc::ServerContext*, const v1::ApprovePlanRequest*, v1::Plan*) override;
  grpc::Status CreateIndicator(grpc::ServerContext*, const v1::CreateIndicatorRequest*,
                               v1::Indicator*) override;
  grpc::Status GetIndicator(grpc::ServerContext*, const v1::GetIndicatorRequest*,
                            v1::Indicator*) override;
  grpc::Status ListIndicators(grpc::ServerContext*, const v1::ListIndicatorsRequest*,
                              v1::ListIndicatorsResponse*) override;
  grpc::Status ReportIndicatorValue(grpc::ServerContext*, const v1::ReportIndicatorValueRequest*,
                                    v1::IndicatorValue*) override;
  grpc::Status ListIndicatorValues(grpc::ServerContext*, const v1::ListIndicatorValuesRequest*,
                                   v1::ListIndicatorValuesResponse*) override;
  grpc::Status GetIndicatorProgress(grpc::ServerContext*, const v1::GetIndicatorProgressRequest*,
                                    v1::IndicatorProgress*) override;

  // Names the Redis keys of cached checks after this database (see
  // migrations/0003_instance.sql). Call before serving.
  void SetCacheNamespace(const std::string& instance_id);

  // Conflict checks served from Redis / computed (for the benchmark and metrics).
  cache::ReadThroughCache::Stats check_cache_stats() const { return check_cache_->stats(); }

 private:
  service::Runtime& rt_;
  const PlanningConfig& config_;
  app::ProgressEngine& progress_;
  std::unique_ptr<cache::ReadThroughCache> check_cache_;
};

}  // namespace nrp::planning::api
