#include "land_supply_service.h"

#include "nrp/core/log.h"

namespace nrp::land_supply {

LandSupplyConfig LandSupplyConfig::FromEnv(Env& env) {
  LandSupplyConfig c;
  c.rules = Rules::FromEnv(env);
  c.scheduler = env.Bool("NRP_LAND_SUPPLY_SCHEDULER", true);
  c.scheduler_interval =
      env.Duration("NRP_LAND_SUPPLY_SCHEDULER_INTERVAL", std::chrono::seconds(1));
  c.calendar_dir = env.String("NRP_CALENDAR_DIR", "");
  return c;
}

LandSupplyService::LandSupplyService(service::Runtime& runtime, LandSupplyConfig config)
    : rt_(runtime), config_(std::move(config)) {}

Status LandSupplyService::Wire() {
  auto dir = config_.calendar_dir.empty() ? DefaultCalendarDir()
                                          : std::filesystem::path(config_.calendar_dir);
  NRP_ASSIGN_OR_RETURN(calendar_, WorkingCalendar::LoadDirectory(dir));
  board_ = std::make_unique<LiveBoard>(rt_.redis(), rt_.Topic("land_supply"));
  Deps deps{rt_, config_.rules, calendar_, *board_};
  ops_ = std::make_unique<Operations>(deps);
  api_ = std::make_unique<LandSupplyApi>(deps, *ops_);
  scheduler_ = std::make_unique<Scheduler>(*ops_);
  handlers_ = std::make_unique<EventHandlers>(deps);
  NRP_RETURN_IF_ERROR(rt_.AddService(api_.get(), "nrp.land_supply.v1.LandSupplyService"));
  handlers_->Subscribe(rt_);
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
            {{"calendar_years", static_cast<int64_t>(calendar_.years().size())},
             {"scheduler", config_.scheduler}});
  return Ok();
}

}  // namespace nrp::land_supply
