// Indicator progress: the current value of an indicator (from planning's own
// layers, from the facts kept from other services' events, or from reported
// values), its status against the target, and the events that follow from a
// change: IndicatorProgressUpdated, and IndicatorWarningRaised (预警) once per
// worsening of a binding indicator, IndicatorWarningCleared when it recovers.
// Runs inside the caller's transaction, so the state and its events commit
// together; the indicator row is locked, so concurrent recomputations of one
// indicator (two replicas, an event and the periodic job) raise one warning.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "app/config.h"
#include "domain/indicator.h"
#include "nrp/core/calendar.h"
#include "nrp/core/status.h"
#include "nrp/service/runtime.h"
#include "store/plan_store.h"

namespace nrp::planning::app {

struct Progress {
  std::optional<double> value;
  std::optional<Date> as_of;
  ProgressResult result;
  double elapsed = 0;
  std::optional<double> base;  // where the trajectory starts
  std::string missing;         // why there is no value, when there is none
};

class ProgressEngine {
 public:
  ProgressEngine(service::Runtime& runtime, const PlanningConfig& config);

  // Today's civil date in China Standard Time from the runtime's clock.
  Date Today() const;

  // The indicator's value and status now, without saving anything.
  Result<Progress> Evaluate(pqxx::work& txn, const store::IndicatorRow& indicator);
  // Recomputes, saves and publishes what changed. No-op for plans not in force.
  Status Recompute(pqxx::work& txn, const std::string& indicator_id);
  // Every indicator of a plan in force measured by one of `kinds`.
  Status RecomputeMeasures(pqxx::work& txn, const std::vector<MeasureKind>& kinds);
  // Every indicator of plans in force, one transaction each (the periodic job).
  Status RecomputeAll();

 private:
  Result<std::optional<double>> ComputedValue(pqxx::work& txn, const store::IndicatorRow& ind,
                                              Date as_of, std::string* missing);
  service::Runtime& rt_;
  const PlanningConfig& config_;
};

}  // namespace nrp::planning::app
