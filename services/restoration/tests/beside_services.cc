#include "beside_services.h"

#include <optional>

#include "land_supply_service.h"
#include "nrp/testing/infra.h"
#include "nrp/testing/service_kit.h"
#include "nrp_migrations_planning.h"
#include "planning_service.h"

namespace nrp::restoration::testing {

struct BesideServices::Impl {
  std::string prefix, calendar_dir, tokens;
  const Clock& clock;
  nrp::testing::TestDatabase ls_db{"rsls"};
  nrp::testing::TestDatabase planning_db{"rspl"};
  std::unique_ptr<service::Runtime> ls_rt, planning_rt;
  std::unique_ptr<land_supply::LandSupplyService> ls;
  std::unique_ptr<planning::PlanningService> planning;
  Impl(std::string p, std::string c, std::string t, const Clock& k)
      : prefix(std::move(p)), calendar_dir(std::move(c)), tokens(std::move(t)), clock(k) {}
};

BesideServices::BesideServices(const std::string& topic_prefix, const std::string& calendar_dir,
                               const std::string& tokens_json, const Clock& clock)
    : impl_(std::make_unique<Impl>(topic_prefix, calendar_dir, tokens_json, clock)) {}

BesideServices::~BesideServices() { Stop(); }

Status BesideServices::Start() {
  Impl& i = *impl_;
  i.ls_rt = std::make_unique<service::Runtime>(
      nrp::testing::TestRuntimeOptions({.service = "land_supply",
                                        .conninfo = i.ls_db.conninfo(),
                                        .topic_prefix = i.prefix,
                                        .tokens_json = i.tokens,
                                        .calendar_dir = i.calendar_dir,
                                        .pool_size = 8}),
      i.clock);
  NRP_RETURN_IF_ERROR(i.ls_rt->Init(land_supply::Migrations()));
  land_supply::LandSupplyConfig ls_config;
  ls_config.scheduler = false;
  i.ls = std::make_unique<land_supply::LandSupplyService>(*i.ls_rt, ls_config);
  NRP_RETURN_IF_ERROR(i.ls->Wire());
  NRP_RETURN_IF_ERROR(i.ls_rt->Start());

  i.planning_rt = std::make_unique<service::Runtime>(
      nrp::testing::TestRuntimeOptions({.service = "planning",
                                        .conninfo = i.planning_db.conninfo(),
                                        .topic_prefix = i.prefix,
                                        .tokens_json = i.tokens,
                                        .pool_size = 8}),
      i.clock);
  NRP_RETURN_IF_ERROR(i.planning_rt->Init({nrp_migrations_planning()}));
  planning::PlanningConfig config;
  config.data_dir = NRP_PLANNING_DATA_DIR;
  config.recompute_interval = std::chrono::hours(24);
  i.planning = std::make_unique<planning::PlanningService>(*i.planning_rt, std::move(config));
  NRP_RETURN_IF_ERROR(i.planning->Wire());
  return i.planning_rt->Start();
}

void BesideServices::Stop() {
  Impl& i = *impl_;
  if (i.planning_rt) i.planning_rt->Stop();
  if (i.ls_rt) i.ls_rt->Stop();
  i.planning.reset();
  i.ls.reset();
  i.planning_rt.reset();
  i.ls_rt.reset();
}

std::string BesideServices::land_supply_conninfo() const { return impl_->ls_db.conninfo(); }
std::string BesideServices::planning_target() const { return impl_->planning_rt->target(); }
int64_t BesideServices::land_supply_duplicates() const {
  return impl_->ls_rt->consumer()->stats().duplicates;
}
int64_t BesideServices::land_supply_dead_lettered() const {
  return impl_->ls_rt->consumer()->stats().dead_lettered;
}
int64_t BesideServices::planning_dead_lettered() const {
  return impl_->planning_rt->consumer()->stats().dead_lettered;
}

}  // namespace nrp::restoration::testing
