// SQL of plans, indicators, indicator values and the facts kept from other
// services' events. The only code that knows these tables.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/indicator.h"
#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/list/list.h"

namespace nrp::planning::store {

enum class PlanState : int { kDraft = 1, kInForce = 2, kClosed = 3 };

struct PlanRow {
  std::string plan_id;
  std::string name;
  std::string region_code;
  int period_start_year = 0;
  int period_end_year = 0;
  int base_year = 0;
  std::string document;  // serialized DocumentReference
  PlanState state = PlanState::kDraft;
  std::string reference_data;
  TimePoint create_time{};
  TimePoint update_time{};
};

struct IndicatorRow {
  std::string indicator_id;
  std::string plan_id;
  std::string region_code;  // of the plan
  std::string code;
  int position = 0;
  std::string name;
  std::string category;
  std::string unit;
  std::optional<double> base_value;
  Target target;
  std::string target_as_written;  // the target cell as the plan writes it
  int target_year = 0;
  Attribute nature = Attribute::kExpected;
  Measure measure;
  std::optional<double> trajectory_base;
  bool annual = false;
  std::string source_note;
  // progress as last computed (ProgressStatus of the contract, by number)
  int status = 1;
  std::optional<double> latest_value;
  std::optional<Date> latest_as_of;
  std::string status_explanation;
  TimePoint create_time{};
  TimePoint update_time{};
  // of the plan, for the period
  int plan_base_year = 0;
  int plan_end_year = 0;
  PlanState plan_state = PlanState::kDraft;
};

struct ValueRow {
  std::string value_id;
  std::string indicator_id;
  double value = 0;
  std::string text_value;
  Date as_of;
  int origin = 2;      // 1 computed, 2 reported
  std::string source;  // serialized DocumentReference
  std::string source_note;
  std::string reported_by;
  std::optional<double> stock_area_m2;
  TimePoint recorded_at{};
};

// ---- plans ------------------------------------------------------------------
// Inserts or, for reference data, refreshes the plan's definition (state kept).
Status UpsertPlan(pqxx::work& txn, const PlanRow& plan);
Status InsertPlan(pqxx::work& txn, const PlanRow& plan);  // ALREADY_EXISTS
Result<std::optional<PlanRow>> GetPlan(pqxx::work& txn, const std::string& plan_id,
                                       bool for_update = false);
// What the lists filter and order on (libs/list grammar).
const list::Spec& PlanList();
const list::Spec& IndicatorList();
const list::Spec& ValueList();
Result<list::Page<PlanRow>> ListPlans(pqxx::work& txn, const list::Query& q);
Status SetPlanState(pqxx::work& txn, const std::string& plan_id, PlanState state,
                    const std::string& document, TimePoint now);

// ---- indicators ---------------------------------------------------------------
// Inserts, or refreshes the definition of reference data (progress kept).
Status UpsertIndicator(pqxx::work& txn, const IndicatorRow& ind);
Status InsertIndicator(pqxx::work& txn, const IndicatorRow& ind);  // ALREADY_EXISTS on (plan, code)
Result<std::optional<IndicatorRow>> GetIndicator(pqxx::work& txn, const std::string& indicator_id,
                                                 bool for_update = false);
Result<list::Page<IndicatorRow>> ListIndicators(pqxx::work& txn, const list::Query& q);
// Every indicator of a plan, by position.
Result<std::vector<IndicatorRow>> IndicatorsOfPlan(pqxx::work& txn, const std::string& plan_id);
// Indicators of plans in force measured by `kind` (any kind when nullopt).
Result<std::vector<std::string>> IndicatorIdsByMeasure(pqxx::work& txn,
                                                       std::optional<MeasureKind> kind);
Status SaveProgress(pqxx::work& txn, const std::string& indicator_id, int status,
                    const std::optional<double>& value, const std::optional<Date>& as_of,
                    const std::string& explanation, TimePoint now);

// ---- values ----------------------------------------------------------------------
Status InsertValue(pqxx::work& txn, const ValueRow& v);
// Values, newest first by default (as_of, recorded_at).
Result<list::Page<ValueRow>> ListValues(pqxx::work& txn, const list::Query& q);
// Oldest first, for a progress series.
Result<std::vector<ValueRow>> ValueSeries(pqxx::work& txn, const std::string& indicator_id);
// The latest reported value (by as_of, then recorded_at), if any.
Result<std::optional<ValueRow>> LatestReported(pqxx::work& txn, const std::string& indicator_id);
// The latest computed value, if any.
Result<std::optional<ValueRow>> LatestComputed(pqxx::work& txn, const std::string& indicator_id);
// The latest stock area reported for the year `year` (as_of within it), m².
Result<std::optional<double>> StockAreaForYear(pqxx::work& txn, const std::string& indicator_id,
                                               int year);

// ---- facts from other services' events ---------------------------------------------
struct MineFact {
  std::string right_id;
  std::string region_code;
  bool mining = false;
  bool solid = false;
  int scale_class = 0;
  bool valid = false;
  std::optional<bool> green;  // unchanged when nullopt
};
Status UpsertMine(pqxx::work& txn, const MineFact& fact, TimePoint now);
// Marks a right no longer valid (closed, cancelled, expired, superseded).
Status EndMine(pqxx::work& txn, const std::string& right_id, const std::string& region_code,
               int scale_class, TimePoint now);
Status SetGreen(pqxx::work& txn, const std::string& right_id, bool green, TimePoint now);
struct MineStats {
  int64_t mines = 0;         // valid mining rights for solid minerals
  int64_t large_medium = 0;  // of those, large or medium
  int64_t green = 0;         // of those, on the green-mine list
};
Result<MineStats> SolidMineStats(pqxx::work& txn, const std::string& region_code);

struct StockFact {
  std::string fact_id;
  std::string region_code;
  std::string kind;  // "revitalised" | "idle_disposed"
  int stage = 0;
  double area_m2 = 0;
  Date occurred_on;
};
Status InsertStockFact(pqxx::work& txn, const StockFact& f);
// Σ area of facts of `kind` (stages any when empty) in the region within [from, to].
Result<double> SumStockFacts(pqxx::work& txn, const std::string& kind,
                             const std::vector<int>& stages, const std::string& region_code,
                             Date from, Date to);

Status UpsertConstructionLand(pqxx::work& txn, const std::string& batch_id,
                              const std::string& region_code, double area_m2, Date approved_on);
Result<double> SumConstructionLand(pqxx::work& txn, const std::string& region_code, Date from,
                                   Date to);

Status UpsertRestoration(pqxx::work& txn, const std::string& project_id,
                         const std::string& region_code, int project_kind, double area_m2,
                         double new_cultivated_m2, Date accepted_on);
// Σ restored area of accepted projects of the kinds (all when empty) in the
// region within [from, to]; `new_cultivated` sums the new cultivated land instead.
Result<double> SumRestoration(pqxx::work& txn, const std::vector<int>& project_kinds,
                              const std::string& region_code, Date from, Date to,
                              bool new_cultivated = false);

// Whether any fact of a kind is known for the region: until the first one
// arrives planning cannot tell "nothing happened" from "not connected yet",
// so the indicators fed by it have no data rather than a zero.
enum class FactKind { kMines, kStockRevitalised, kIdleDisposed, kConstructionLand, kRestoration };
Result<bool> HasFacts(pqxx::work& txn, FactKind kind, const std::string& region_code);

// The significant prefix of a region code: "41" for 410000, "4103" for 410300.
std::string RegionPrefix(const std::string& region_code);

}  // namespace nrp::planning::store
