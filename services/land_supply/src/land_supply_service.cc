#include "land_supply_service.h"

#include "nrp/core/log.h"
#include "nrp/zones/replica.h"
#include "nrp_migrations_land_supply.h"

namespace nrp::land_supply {

std::vector<db::MigrationSet> Migrations() {
  return {zones::Migrations(), nrp_migrations_land_supply()};
}

LandSupplyConfig LandSupplyConfig::FromEnv(Env& env) {
  LandSupplyConfig c;
  c.rules = Rules::FromEnv(env);
  c.scheduler = env.Bool("NRP_LAND_SUPPLY_SCHEDULER", true);
  c.scheduler_interval =
      env.Duration("NRP_LAND_SUPPLY_SCHEDULER_INTERVAL", std::chrono::seconds(1));
  return c;
}

LandSupplyService::LandSupplyService(service::Runtime& runtime, LandSupplyConfig config)
    : rt_(runtime), config_(std::move(config)) {}

Status LandSupplyService::Wire() {
  board_ = std::make_unique<auction::LiveBoard>(rt_.redis(), rt_.Topic("land_supply"));
  Deps deps{rt_, config_.rules, *board_};
  ops_ = std::make_unique<Operations>(deps);
  api_ = std::make_unique<LandSupplyApi>(deps, *ops_);
  scheduler_ = std::make_unique<Scheduler>(*ops_);
  NRP_RETURN_IF_ERROR(rt_.AddService(api_.get(), "nrp.land_supply.v1.LandSupplyService"));
  Subscribe(rt_, *ops_);
  rt_.deadlines().Handle("offers/", [this](pqxx::work& tx, const service::DeadlineChange& c) {
    return ops_->ApplyContractDueRecount(tx, c);
  });
  if (config_.scheduler) {
    rt_.Every("land-supply-scheduler", config_.scheduler_interval, [this] {
      SchedulerReport r = scheduler_->RunOnce();
      if (r.bidding_opened + r.offers_closed + r.signing_overdue + r.payment_overdue +
              r.idle_cases_opened + r.failures >
          0) {
        log::Info("scheduler pass", {{"bidding_opened", r.bidding_opened},
                                     {"offers_closed", r.offers_closed},
                                     {"signing_overdue", r.signing_overdue},
                                     {"payment_overdue", r.payment_overdue},
                                     {"idle_cases_opened", r.idle_cases_opened},
                                     {"failures", r.failures}});
      }
    });
  }
  log::Info("land supply wired",
            {{"calendar", rt_.calendar().Describe()}, {"scheduler", config_.scheduler}});
  return Ok();
}

}  // namespace nrp::land_supply
