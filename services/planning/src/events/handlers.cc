#include "events/handlers.h"

#include <google/protobuf/timestamp.pb.h>

#include "domain/mining.h"
#include "domain/zone.h"
#include "nrp/core/log.h"
#include "nrp/events/cloud_event.h"
#include "nrp/events/handler.h"
#include "nrp/events/topics.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/mining_rights/v1/events.pb.h"
#include "nrp/restoration/v1/events.pb.h"
#include "store/plan_store.h"

namespace nrp::planning::events {

namespace {

using nrp::events::CloudEvent;
using nrp::events::HandlerResult;

Date CivilDate(const google::protobuf::Timestamp& t, int utc_offset_hours) {
  auto secs = std::chrono::seconds(t.seconds()) + std::chrono::hours(utc_offset_hours);
  return Date::FromSysDays(std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds(secs)));
}

Result<Date> DateOf(const nrp::common::v1::Date& d, std::string_view field) {
  Date out(d.year(), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  if (d.year() < 1900 || !out.ok())
    return Error::InvalidArgument(std::string(field), "is not a valid date");
  return out;
}

Status CheckIdAndRegion(const std::string& id, std::string_view id_field,
                        const std::string& region) {
  if (id.empty()) return Error::InvalidArgument(std::string(id_field), "is empty");
  return CheckRegionCode(region, "region_code");
}

namespace ls = nrp::land_supply::v1;
namespace mr = nrp::mining_rights::v1;
namespace rs = nrp::restoration::v1;

store::MineFact FactOf(const mr::MiningRight& r, const std::string& right_id,
                       const std::string& region) {
  store::MineFact f;
  f.right_id = right_id;
  f.region_code = region;
  f.mining = r.kind() == mr::MINING_RIGHT_KIND_MINING;
  f.solid =
      IsSolidMineral(static_cast<int>(r.main_mineral().mineral_class()), r.main_mineral().name());
  f.scale_class = static_cast<int>(r.scale_class());
  f.valid =
      r.state() == mr::MINING_RIGHT_STATE_VALID || r.state() == mr::MINING_RIGHT_STATE_UNSPECIFIED;
  f.green = r.green_mine() == mr::GREEN_MINE_STATUS_DESIGNATED;
  return f;
}

const std::vector<MeasureKind> kMineMeasures = {
    MeasureKind::kSolidMineCount, MeasureKind::kLargeMediumMineShare, MeasureKind::kGreenMineShare};

}  // namespace

void Register(service::Runtime& runtime_in, app::ProgressEngine& progress, int utc_offset_hours) {
  using nrp::events::kLandSupplyTopic;
  using nrp::events::kMiningRightsTopic;
  using nrp::events::kRestorationTopic;
  app::ProgressEngine* engine = &progress;
  service::Runtime* runtime = &runtime_in;
  // Types of these topics without a handler here feed no indicator; the consumer passes
  // over them (libs/events).
  service::Runtime& rt = runtime_in;

  // ---- land supply --------------------------------------------------------
  rt.Subscribe(
      kLandSupplyTopic, "nrp.land_supply.stock_land_revitalised.v1",
      nrp::events::Typed<ls::StockLandRevitalised>([engine](pqxx::work& tx,
                                                            const ls::StockLandRevitalised& m,
                                                            const CloudEvent& e) -> Status {
        NRP_RETURN_IF_ERROR(CheckIdAndRegion(m.parcel_id(), "parcel_id", m.region_code()));
        NRP_ASSIGN_OR_RETURN(Date on, DateOf(m.revitalised_on(), "revitalised_on"));
        store::StockFact f{e.id,
                           m.region_code(),
                           "revitalised",
                           static_cast<int>(m.stage()),
                           m.area().square_metres(),
                           on};
        NRP_RETURN_IF_ERROR(store::InsertStockFact(tx, f));
        return engine->RecomputeMeasures(
            tx, {MeasureKind::kStockLandRevitalised, MeasureKind::kStockLandRevitalisedRate,
                 MeasureKind::kUnsuppliedIdleLandDisposedRate,
                 MeasureKind::kUnsuppliedIdleLandDisposedArea});
      }));
  rt.Subscribe(kLandSupplyTopic, "nrp.land_supply.idle_land_disposed.v1",
               nrp::events::Typed<ls::IdleLandDisposed>(
                   [engine, utc_offset_hours](pqxx::work& tx, const ls::IdleLandDisposed& m,
                                              const CloudEvent& e) -> Status {
                     NRP_RETURN_IF_ERROR(CheckIdAndRegion(m.case_id(), "case_id", m.region_code()));
                     store::StockFact f{e.id,
                                        m.region_code(),
                                        "idle_disposed",
                                        0,
                                        m.idle_area().square_metres(),
                                        CivilDate(m.disposed_at(), utc_offset_hours)};
                     NRP_RETURN_IF_ERROR(store::InsertStockFact(tx, f));
                     return engine->RecomputeMeasures(
                         tx, {MeasureKind::kUnsuppliedIdleLandDisposedRate,
                              MeasureKind::kUnsuppliedIdleLandDisposedArea});
                   }));
  rt.Subscribe(
      kLandSupplyTopic, "nrp.land_supply.approval_batch_approved.v1",
      nrp::events::Typed<ls::ApprovalBatchApproved>(
          [engine, utc_offset_hours](pqxx::work& tx, const ls::ApprovalBatchApproved& m,
                                     const CloudEvent&) -> Status {
            NRP_RETURN_IF_ERROR(CheckIdAndRegion(m.batch_id(), "batch_id", m.region_code()));
            NRP_RETURN_IF_ERROR(store::UpsertConstructionLand(
                tx, m.batch_id(), m.region_code(), m.total_area().square_metres(),
                CivilDate(m.approved_at(), utc_offset_hours)));
            return engine->RecomputeMeasures(tx, {MeasureKind::kNewConstructionLand});
          }));

  // ---- mining rights ------------------------------------------------------
  auto upsert_right = [engine, runtime](pqxx::work& tx, const std::string& right_id,
                                        const std::string& region,
                                        const mr::MiningRight& right) -> Status {
    NRP_RETURN_IF_ERROR(CheckIdAndRegion(right_id, "right_id", region));
    NRP_RETURN_IF_ERROR(
        store::UpsertMine(tx, FactOf(right, right_id, region), runtime->clock().Now()));
    return engine->RecomputeMeasures(tx, kMineMeasures);
  };
  rt.Subscribe(kMiningRightsTopic, "nrp.mining_rights.right_granted.v1",
               nrp::events::Typed<mr::RightGranted>(
                   [upsert_right](pqxx::work& tx, const mr::RightGranted& m, const CloudEvent&) {
                     return upsert_right(tx, m.right_id(), m.region_code(), m.right());
                   }));
  rt.Subscribe(kMiningRightsTopic, "nrp.mining_rights.right_changed.v1",
               nrp::events::Typed<mr::RightChanged>(
                   [upsert_right](pqxx::work& tx, const mr::RightChanged& m, const CloudEvent&) {
                     return upsert_right(tx, m.right_id(), m.region_code(), m.right());
                   }));
  rt.Subscribe(
      kMiningRightsTopic, "nrp.mining_rights.right_split.v1",
      nrp::events::Typed<mr::RightSplit>(
          [engine, runtime](pqxx::work& tx, const mr::RightSplit& m, const CloudEvent&) -> Status {
            NRP_RETURN_IF_ERROR(CheckIdAndRegion(m.right_id(), "right_id", m.region_code()));
            // One part may keep the original number and id; the others are new rights.
            bool kept = false;
            for (const auto& part : m.parts()) {
              const std::string id = part.right_id().empty() ? m.right_id() : part.right_id();
              kept = kept || id == m.right_id();
              const std::string region =
                  part.region_code().empty() ? m.region_code() : part.region_code();
              NRP_RETURN_IF_ERROR(
                  store::UpsertMine(tx, FactOf(part, id, region), runtime->clock().Now()));
            }
            if (!kept)
              NRP_RETURN_IF_ERROR(
                  store::EndMine(tx, m.right_id(), m.region_code(), 0, runtime->clock().Now()));
            return engine->RecomputeMeasures(tx, kMineMeasures);
          }));
  rt.Subscribe(kMiningRightsTopic, "nrp.mining_rights.rights_merged.v1",
               nrp::events::Typed<mr::RightsMerged>([engine, runtime](pqxx::work& tx,
                                                                      const mr::RightsMerged& m,
                                                                      const CloudEvent&) -> Status {
                 NRP_RETURN_IF_ERROR(CheckIdAndRegion(m.right_id(), "right_id", m.region_code()));
                 for (const auto& old : m.merged_right_ids()) {
                   if (old != m.right_id())
                     NRP_RETURN_IF_ERROR(
                         store::EndMine(tx, old, m.region_code(), 0, runtime->clock().Now()));
                 }
                 NRP_RETURN_IF_ERROR(store::UpsertMine(
                     tx, FactOf(m.right(), m.right_id(), m.region_code()), runtime->clock().Now()));
                 return engine->RecomputeMeasures(tx, kMineMeasures);
               }));
  auto end_right = [engine, runtime](pqxx::work& tx, const std::string& right_id,
                                     const std::string& region, int scale) -> Status {
    NRP_RETURN_IF_ERROR(CheckIdAndRegion(right_id, "right_id", region));
    NRP_RETURN_IF_ERROR(store::EndMine(tx, right_id, region, scale, runtime->clock().Now()));
    return engine->RecomputeMeasures(tx, kMineMeasures);
  };
  rt.Subscribe(kMiningRightsTopic, "nrp.mining_rights.mine_closed.v1",
               nrp::events::Typed<mr::MineClosed>(
                   [end_right](pqxx::work& tx, const mr::MineClosed& m, const CloudEvent&) {
                     return end_right(tx, m.right_id(), m.region_code(), 0);
                   }));
  rt.Subscribe(kMiningRightsTopic, "nrp.mining_rights.right_cancelled.v1",
               nrp::events::Typed<mr::RightCancelled>(
                   [end_right](pqxx::work& tx, const mr::RightCancelled& m, const CloudEvent&) {
                     return end_right(tx, m.right_id(), m.region_code(),
                                      static_cast<int>(m.scale_class()));
                   }));
  rt.Subscribe(kMiningRightsTopic, "nrp.mining_rights.right_expired.v1",
               nrp::events::Typed<mr::RightExpired>(
                   [end_right](pqxx::work& tx, const mr::RightExpired& m, const CloudEvent&) {
                     return end_right(tx, m.right_id(), m.region_code(),
                                      static_cast<int>(m.scale_class()));
                   }));
  auto set_green = [engine, runtime](pqxx::work& tx, const std::string& right_id,
                                     const std::string& region, bool green) -> Status {
    NRP_RETURN_IF_ERROR(CheckIdAndRegion(right_id, "right_id", region));
    NRP_RETURN_IF_ERROR(store::SetGreen(tx, right_id, green, runtime->clock().Now()));
    return engine->RecomputeMeasures(tx, {MeasureKind::kGreenMineShare});
  };
  rt.Subscribe(
      kMiningRightsTopic, "nrp.mining_rights.green_mine_designated.v1",
      nrp::events::Typed<mr::GreenMineDesignated>(
          [set_green](pqxx::work& tx, const mr::GreenMineDesignated& m, const CloudEvent&) {
            return set_green(tx, m.right_id(), m.region_code(), true);
          }));
  rt.Subscribe(kMiningRightsTopic, "nrp.mining_rights.green_mine_revoked.v1",
               nrp::events::Typed<mr::GreenMineRevoked>(
                   [set_green](pqxx::work& tx, const mr::GreenMineRevoked& m, const CloudEvent&) {
                     return set_green(tx, m.right_id(), m.region_code(), false);
                   }));

  // ---- restoration ----------------------------------------------------------
  rt.Subscribe(
      kRestorationTopic, "nrp.restoration.project_accepted.v1",
      nrp::events::Typed<rs::ProjectAccepted>(
          [engine](pqxx::work& tx, const rs::ProjectAccepted& m, const CloudEvent&) -> Status {
            NRP_RETURN_IF_ERROR(CheckIdAndRegion(m.project_id(), "project_id", m.region_code()));
            NRP_ASSIGN_OR_RETURN(Date on, DateOf(m.accepted_on(), "accepted_on"));
            NRP_RETURN_IF_ERROR(store::UpsertRestoration(
                tx, m.project_id(), m.region_code(), static_cast<int>(m.kind()),
                m.total_restored_area().square_metres(),
                m.new_cultivated_land().area().square_metres(), on));
            return engine->RecomputeMeasures(
                tx, {MeasureKind::kHistoricalMineRestored, MeasureKind::kMineEnvironmentRestored,
                     MeasureKind::kNewCultivatedLand});
          }));
}

}  // namespace nrp::planning::events
