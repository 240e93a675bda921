#include "planning_service.h"

#include "app/reference_data.h"
#include "events/handlers.h"
#include "nrp/core/log.h"
#include "nrp/db/transaction.h"
#include "store/zone_store.h"

namespace nrp::planning {

PlanningService::PlanningService(service::Runtime& runtime, PlanningConfig config)
    : rt_(runtime), config_(std::move(config)) {
  progress_ = std::make_unique<app::ProgressEngine>(rt_, config_);
  api_ = std::make_unique<api::PlanningApi>(rt_, config_, *progress_);
}

Status PlanningService::Wire() {
  NRP_ASSIGN_OR_RETURN(std::string instance, db::Transact(rt_.db(), [](pqxx::work& tx) {
                         return store::InstanceId(tx);
                       }));
  api_->SetCacheNamespace(instance);
  NRP_ASSIGN_OR_RETURN(app::LoadReport report,
                       app::LoadReferenceData(rt_.db(), config_.data_dir, rt_.clock()));
  log::Info(
      "plan reference data loaded",
      {{"plans", report.plans}, {"indicators", report.indicators}, {"dir", config_.data_dir}});
  NRP_RETURN_IF_ERROR(rt_.AddService(api_.get(), "nrp.planning.v1.PlanningService"));
  events::Register(rt_, *progress_, config_.utc_offset_hours);
  app::ProgressEngine* progress = progress_.get();
  rt_.Every("indicator-recompute", config_.recompute_interval, [progress] {
    auto st = progress->RecomputeAll();
    if (!st.ok())
      log::Warn("indicator recomputation incomplete", {{"error", st.error().ToString()}});
  });
  return progress_->RecomputeAll();
}

}  // namespace nrp::planning
