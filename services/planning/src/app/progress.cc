#include "app/progress.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "convert/convert.h"
#include "nrp/core/log.h"
#include "nrp/core/uuid.h"
#include "nrp/db/transaction.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/service/publish.h"
#include "store/zone_store.h"

namespace nrp::planning::app {
namespace {

// Restoration project kinds (nrp.restoration.v1.ProjectKind).
constexpr int kProjectHistoricalMineSite = 1;
constexpr int kProjectMineHolderRestoration = 2;
// Stock land stages (nrp.land_supply.v1.StockLandStage): 批而未征, 征而未供.
constexpr int kStageApprovedNotExpropriated = 2;
constexpr int kStageExpropriatedNotSupplied = 3;

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

ProgressEngine::ProgressEngine(service::Runtime& runtime, const PlanningConfig& config)
    : rt_(runtime), config_(config) {}

Date ProgressEngine::Today() const {
  auto now = rt_.clock().Now() + std::chrono::hours(config_.utc_offset_hours);
  return Date::FromSysDays(std::chrono::floor<std::chrono::days>(now));
}

Result<std::optional<double>> ProgressEngine::ComputedValue(pqxx::work& txn,
                                                            const store::IndicatorRow& ind,
                                                            Date as_of, std::string* missing) {
  const Period plan = PlanPeriod(ind.plan_base_year, ind.target_year);
  const Date to = std::min(as_of, plan.end);
  const Date year_start(to.year(), 1, 1);
  // Event-fed measures have no data until the first fact of their kind arrives.
  auto known = [&](store::FactKind kind, const char* what) -> Result<bool> {
    NRP_ASSIGN_OR_RETURN(bool any, store::HasFacts(txn, kind, ind.region_code));
    if (!any)
      *missing =
          std::string("no ") + what + " event has been received for region " + ind.region_code;
    return any;
  };
  auto area = [&](double m2) -> Result<std::optional<double>> {
    NRP_ASSIGN_OR_RETURN(double v, SquareMetresToUnit(m2, ind.unit.empty() ? "平方米" : ind.unit));
    return std::optional<double>(v);
  };
  switch (ind.measure.kind) {
    case MeasureKind::kReported:
      return std::optional<double>();
    case MeasureKind::kLayerArea: {
      NRP_ASSIGN_OR_RETURN(double m2,
                           store::CurrentLayerArea(txn, ind.measure.layer_kind, ind.region_code));
      if (m2 <= 0) {
        *missing = "no published " + std::string(Name(ind.measure.layer_kind)) +
                   " layer covers region " + ind.region_code;
        return std::optional<double>();
      }
      return area(m2);
    }
    case MeasureKind::kSolidMineCount:
    case MeasureKind::kLargeMediumMineShare:
    case MeasureKind::kGreenMineShare: {
      NRP_ASSIGN_OR_RETURN(bool any, known(store::FactKind::kMines, "mining-right"));
      if (!any) return std::optional<double>();
      NRP_ASSIGN_OR_RETURN(store::MineStats s, store::SolidMineStats(txn, ind.region_code));
      if (ind.measure.kind == MeasureKind::kSolidMineCount) {
        return std::optional<double>(static_cast<double>(s.mines));
      }
      if (s.mines == 0) {
        *missing = "no valid solid-mineral mining right is known in region " + ind.region_code;
        return std::optional<double>();
      }
      const double part = ind.measure.kind == MeasureKind::kLargeMediumMineShare
                              ? static_cast<double>(s.large_medium)
                              : static_cast<double>(s.green);
      return std::optional<double>(100.0 * part / static_cast<double>(s.mines));
    }
    case MeasureKind::kHistoricalMineRestored: {
      NRP_ASSIGN_OR_RETURN(bool any,
                           known(store::FactKind::kRestoration, "restoration acceptance"));
      if (!any) return std::optional<double>();
      NRP_ASSIGN_OR_RETURN(double m2, store::SumRestoration(txn, {kProjectHistoricalMineSite},
                                                            ind.region_code, plan.start, to));
      return area(m2);
    }
    case MeasureKind::kMineEnvironmentRestored: {
      NRP_ASSIGN_OR_RETURN(bool any,
                           known(store::FactKind::kRestoration, "restoration acceptance"));
      if (!any) return std::optional<double>();
      NRP_ASSIGN_OR_RETURN(
          double m2,
          store::SumRestoration(txn, {kProjectHistoricalMineSite, kProjectMineHolderRestoration},
                                ind.region_code, plan.start, to));
      return area(m2);
    }
    case MeasureKind::kNewCultivatedLand: {
      NRP_ASSIGN_OR_RETURN(bool any,
                           known(store::FactKind::kRestoration, "restoration acceptance"));
      if (!any) return std::optional<double>();
      NRP_ASSIGN_OR_RETURN(double m2,
                           store::SumRestoration(txn, {}, ind.region_code, plan.start, to,
                                                 /*new_cultivated=*/true));
      return area(m2);
    }
    case MeasureKind::kStockLandRevitalised: {
      NRP_ASSIGN_OR_RETURN(bool any,
                           known(store::FactKind::kStockRevitalised, "stock-land revitalisation"));
      if (!any) return std::optional<double>();
      NRP_ASSIGN_OR_RETURN(
          double m2, store::SumStockFacts(txn, "revitalised", {}, ind.region_code, plan.start, to));
      return area(m2);
    }
    case MeasureKind::kNewConstructionLand: {
      NRP_ASSIGN_OR_RETURN(bool any, known(store::FactKind::kConstructionLand, "approval-batch"));
      if (!any) return std::optional<double>();
      NRP_ASSIGN_OR_RETURN(double m2,
                           store::SumConstructionLand(txn, ind.region_code, plan.start, to));
      return area(m2);
    }
    case MeasureKind::kUnsuppliedIdleLandDisposedArea:
    case MeasureKind::kUnsuppliedIdleLandDisposedRate: {
      NRP_ASSIGN_OR_RETURN(bool any, known(store::FactKind::kIdleDisposed, "stock-land"));
      if (!any) return std::optional<double>();
      NRP_ASSIGN_OR_RETURN(double supplied, store::SumStockFacts(txn, "revitalised",
                                                                 {kStageApprovedNotExpropriated,
                                                                  kStageExpropriatedNotSupplied},
                                                                 ind.region_code, year_start, to));
      NRP_ASSIGN_OR_RETURN(double idle, store::SumStockFacts(txn, "idle_disposed", {},
                                                             ind.region_code, year_start, to));
      if (ind.measure.kind == MeasureKind::kUnsuppliedIdleLandDisposedArea)
        return area(supplied + idle);
      NRP_ASSIGN_OR_RETURN(auto stock, store::StockAreaForYear(txn, ind.indicator_id, to.year()));
      if (!stock || *stock <= 0) {
        *missing = "the stock of approved-unsupplied and idle land at the start of " +
                   std::to_string(to.year()) + " has not been reported";
        return std::optional<double>();
      }
      return std::optional<double>(100.0 * (supplied + idle) / *stock);
    }
    case MeasureKind::kStockLandRevitalisedRate: {
      NRP_ASSIGN_OR_RETURN(bool any,
                           known(store::FactKind::kStockRevitalised, "stock-land revitalisation"));
      if (!any) return std::optional<double>();
      NRP_ASSIGN_OR_RETURN(
          double m2, store::SumStockFacts(txn, "revitalised", {}, ind.region_code, year_start, to));
      NRP_ASSIGN_OR_RETURN(auto stock, store::StockAreaForYear(txn, ind.indicator_id, to.year()));
      if (!stock || *stock <= 0) {
        *missing = "the stock of construction land at the start of " + std::to_string(to.year()) +
                   " has not been reported";
        return std::optional<double>();
      }
      return std::optional<double>(100.0 * m2 / *stock);
    }
  }
  return std::optional<double>();
}

Result<Progress> ProgressEngine::Evaluate(pqxx::work& txn, const store::IndicatorRow& ind) {
  Progress p;
  const Date today = Today();
  if (ind.measure.kind == MeasureKind::kReported) {
    NRP_ASSIGN_OR_RETURN(auto latest, store::LatestReported(txn, ind.indicator_id));
    if (!latest) {
      p.missing = "no value has been reported";
    } else {
      p.as_of = latest->as_of;
      p.value = latest->value;
    }
  } else {
    NRP_ASSIGN_OR_RETURN(p.value, ComputedValue(txn, ind, today, &p.missing));
    if (p.value) p.as_of = today;
  }
  if (!p.value) return p;

  // Where the trajectory starts and over which period.
  Period period = PlanPeriod(ind.plan_base_year, ind.target_year);
  std::optional<double> base = ind.trajectory_base ? ind.trajectory_base : ind.base_value;
  if (ind.annual || IsYearly(ind.measure.kind)) {
    const int year = std::clamp(p.as_of->year(), period.start.year(), ind.target_year);
    period = Period{Date(year, 1, 1), Date(year, 12, 31)};
    base = 0.0;  // a yearly amount or rate starts from nothing each year
  }
  p.base = base;
  p.elapsed = ElapsedFraction(period, *p.as_of);
  ProgressInput in{ind.target, base, *p.value, p.elapsed};
  p.result = AssessProgress(in, config_.progress);
  return p;
}

Status ProgressEngine::Recompute(pqxx::work& txn, const std::string& indicator_id) {
  NRP_ASSIGN_OR_RETURN(auto found, store::GetIndicator(txn, indicator_id, /*for_update=*/true));
  if (!found) return Error::NotFound("indicator " + indicator_id + " does not exist");
  const store::IndicatorRow& ind = *found;
  if (ind.plan_state != store::PlanState::kInForce) return Ok();
  NRP_ASSIGN_OR_RETURN(Progress p, Evaluate(txn, ind));

  const ProgressStatus previous = StatusFromNumber(ind.status);
  const ProgressStatus current = p.value ? p.result.status : ProgressStatus::kNotAssessed;
  const v1::ProgressStatus current_proto = StatusToProto(current, p.value.has_value());
  const bool value_changed = p.value != ind.latest_value || p.as_of != ind.latest_as_of;
  const bool status_changed = static_cast<int>(current_proto) != ind.status;
  const TimePoint now = rt_.clock().Now();

  // A computed value becomes a point of the series when it changes.
  if (p.value && ind.measure.kind != MeasureKind::kReported) {
    NRP_ASSIGN_OR_RETURN(auto last, store::LatestComputed(txn, ind.indicator_id));
    if (!last || last->value != *p.value) {
      store::ValueRow v;
      v.value_id = NewUuidV7();
      v.indicator_id = ind.indicator_id;
      v.value = *p.value;
      v.as_of = *p.as_of;
      v.origin = v1::VALUE_ORIGIN_COMPUTED;
      v.source_note = "computed by planning (" + std::string(Name(ind.measure.kind)) + ")";
      v.reported_by = "planning";
      v.recorded_at = now;
      NRP_RETURN_IF_ERROR(store::InsertValue(txn, v));
    }
  }
  if (!value_changed && !status_changed) return Ok();
  const std::string explanation = p.value ? p.result.explanation : p.missing;
  NRP_RETURN_IF_ERROR(store::SaveProgress(txn, ind.indicator_id, static_cast<int>(current_proto),
                                          p.value, p.as_of, explanation, now));
  if (!p.value) return Ok();

  v1::Target target;
  ToProto(ind.target, ind.target_as_written, ind.target_year, &target);
  v1::IndicatorProgressUpdated updated;
  updated.set_indicator_id(ind.indicator_id);
  updated.set_region_code(ind.region_code);
  updated.set_plan_id(ind.plan_id);
  updated.set_code(ind.code);
  updated.set_name(ind.name);
  updated.set_unit(ind.unit);
  updated.set_nature(NatureToProto(ind.nature));
  updated.set_value(*p.value);
  ToProto(*p.as_of, updated.mutable_as_of());
  updated.set_origin(ind.measure.kind == MeasureKind::kReported ? v1::VALUE_ORIGIN_REPORTED
                                                                : v1::VALUE_ORIGIN_COMPUTED);
  *updated.mutable_target() = target;
  if (auto ratio = ProgressRatio(ind.target, p.base, *p.value)) updated.set_progress_ratio(*ratio);
  updated.set_status(current_proto);
  NRP_RETURN_IF_ERROR(service::Publish(rt_, txn, updated, ind.region_code));

  if (RaisesWarning(ind.nature, previous, current)) {
    v1::IndicatorWarningRaised w;
    w.set_indicator_id(ind.indicator_id);
    w.set_region_code(ind.region_code);
    w.set_plan_id(ind.plan_id);
    w.set_code(ind.code);
    w.set_name(ind.name);
    w.set_status(current_proto);
    w.set_value(*p.value);
    ToProto(*p.as_of, w.mutable_as_of());
    auto projected = ProjectedValue(p.base, *p.value, p.elapsed);
    if (projected) w.set_projected_value(*projected);
    *w.mutable_target() = target;
    std::string msg =
        ind.name + (current == ProgressStatus::kBreached ? "已突破目标" : "偏离规划进度") + "：" +
        p.as_of->ToString() + " 为 " + Num(*p.value) + " " + ind.unit + "，目标 " + target.text();
    if (projected && current == ProgressStatus::kAtRisk) {
      msg += "；按当前速度 " + std::to_string(ind.target_year) + " 年预计 " + Num(*projected) +
             " " + ind.unit;
    }
    msg += "（" + p.result.explanation + "）";
    w.set_message(msg);
    ToProto(now, w.mutable_raised_at());
    NRP_RETURN_IF_ERROR(service::Publish(rt_, txn, w, ind.region_code));
    log::Warn("indicator warning raised", {{"indicator_id", ind.indicator_id},
                                           {"status", std::string(Name(current))},
                                           {"region", ind.region_code}});
  } else if (ClearsWarning(previous, current)) {
    v1::IndicatorWarningCleared c;
    c.set_indicator_id(ind.indicator_id);
    c.set_region_code(ind.region_code);
    c.set_plan_id(ind.plan_id);
    c.set_status(current_proto);
    c.set_value(*p.value);
    ToProto(*p.as_of, c.mutable_as_of());
    NRP_RETURN_IF_ERROR(service::Publish(rt_, txn, c, ind.region_code));
  }
  return Ok();
}

Status ProgressEngine::RecomputeMeasures(pqxx::work& txn, const std::vector<MeasureKind>& kinds) {
  for (MeasureKind k : kinds) {
    NRP_ASSIGN_OR_RETURN(auto ids, store::IndicatorIdsByMeasure(txn, k));
    for (const auto& id : ids) NRP_RETURN_IF_ERROR(Recompute(txn, id));
  }
  return Ok();
}

Status ProgressEngine::RecomputeAll() {
  NRP_ASSIGN_OR_RETURN(auto ids, db::Transact(rt_.db(), [&](pqxx::work& txn) {
                         return store::IndicatorIdsByMeasure(txn, std::nullopt);
                       }));
  Status first = Ok();
  for (const auto& id : ids) {
    auto st = db::Transact(rt_.db(), [&](pqxx::work& txn) { return Recompute(txn, id); });
    if (!st.ok()) {
      log::Error("indicator recomputation failed",
                 {{"indicator_id", id}, {"error", st.error().ToString()}});
      if (first.ok()) first = st;
    }
  }
  return first;
}

}  // namespace nrp::planning::app
