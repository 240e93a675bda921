// The land supply service assembled on a Runtime: the gRPC handlers, the
// consumers of planning's zone layers and restoration's acceptances, and the
// scheduler. main.cc and the integration tests build it the same way.
#pragma once

#include <chrono>
#include <memory>

#include "api/land_supply_api.h"
#include "nrp/auction/live_board.h"
#include "app/scheduler.h"
#include "domain/rules.h"
#include "events/handlers.h"
#include "nrp/core/calendar.h"
#include "nrp/core/config.h"
#include "nrp/db/migrations.h"
#include "nrp/service/runtime.h"

namespace nrp::land_supply {

struct LandSupplyConfig {
  Rules rules = Rules::Defaults();
  // NRP_LAND_SUPPLY_SCHEDULER (true): run the scheduler in this process.
  bool scheduler = true;
  // NRP_LAND_SUPPLY_SCHEDULER_INTERVAL (1s).
  std::chrono::milliseconds scheduler_interval{1000};
  // The working-day calendar is the runtime's (NRP_CALENDAR_DIR, reloaded while running).

  // Problems are recorded in `env` (Env::Check).
  static LandSupplyConfig FromEnv(Env& env);
};

// The schema: the shared zone replica's, then land supply's own.
std::vector<db::MigrationSet> Migrations();

class LandSupplyService {
 public:
  LandSupplyService(service::Runtime& runtime, LandSupplyConfig config);

  // Loads the calendar, registers the gRPC service, the event handlers and
  // (when configured) the scheduler job. Call before runtime.Start().
  Status Wire();

  LandSupplyApi& api() { return *api_; }
  Operations& operations() { return *ops_; }
  Scheduler& scheduler() { return *scheduler_; }
  auction::LiveBoard& board() { return *board_; }
  const LandSupplyConfig& config() const { return config_; }

 private:
  service::Runtime& rt_;
  LandSupplyConfig config_;
  std::unique_ptr<auction::LiveBoard> board_;
  std::unique_ptr<Operations> ops_;
  std::unique_ptr<LandSupplyApi> api_;
  std::unique_ptr<Scheduler> scheduler_;
};

}  // namespace nrp::land_supply
