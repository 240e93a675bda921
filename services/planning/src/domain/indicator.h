// Five-year plans, their indicators and the arithmetic of targets
// (domain.md "Planning": each plan has indicators with unit, base value,
// target ≥, ≤, =, a range or a text target, binding 约束性 or expected
// 预期性; a target may lie below its base).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/zone.h"
#include "nrp/core/calendar.h"
#include "nrp/core/status.h"

namespace nrp::planning {

enum class TargetKind : int {
  kAtLeast = 1,      // ≥
  kAtMost = 2,       // ≤
  kEqual = 3,        // =
  kRange = 4,        // low ≤ v ≤ high
  kText = 5,         // "完成国家下达任务"
  kGreaterThan = 6,  // >
  kLessThan = 7,     // <
};
std::string_view Name(TargetKind kind);  // "at_least", …

// A target value. Numeric kinds compare a value; a text target is judged by
// people and never gets a computed status.
class Target {
 public:
  static Result<Target> Compare(TargetKind kind, double value, std::string_view field = "target");
  static Result<Target> Range(double low, double high, std::string_view field = "target");
  static Result<Target> Text(std::string text, std::string_view field = "target");
  // "≥5649", "≤16.768", ">50", "<300", "=7.34", "10~15" (or "10-15"), or any
  // text without a number ("完成国家下达任务"). A bare number is refused: it
  // does not say which way the target points.
  static Result<Target> Parse(std::string_view text, std::string_view field = "target");

  TargetKind kind() const { return kind_; }
  bool numeric() const { return kind_ != TargetKind::kText; }
  double value() const { return value_; }
  double low() const { return low_; }
  double high() const { return high_; }
  const std::string& text() const { return text_; }

  // Whether `v` meets the target. An EQUAL target accepts |v − value| ≤
  // equal_tolerance × |value| (relative; 0 means exact). Text targets: false.
  bool SatisfiedBy(double v, double equal_tolerance = 0) const;
  // The value a trajectory from `base` heads for: the target value, or the
  // nearer bound of a range.
  double GoalFrom(double base) const;
  // "≥5649", "10~15", or the text.
  std::string ToString() const;

 private:
  TargetKind kind_ = TargetKind::kText;
  double value_ = 0, low_ = 0, high_ = 0;
  std::string text_;
};

enum class Attribute : int {
  kBinding = 1,   // 约束性
  kExpected = 2,  // 预期性
  kUnstated = 3,  // the source does not say (Wuzhong's draft)
};
std::string_view Name(Attribute attribute);

enum class ProgressStatus : int {
  kNotAssessed = 0,  // text target: judged by people
  kOnTrack = 1,
  kAtRisk = 2,
  kBreached = 3,
  kAchieved = 4,  // a target to reach is met, or the period ended with it met
};
std::string_view Name(ProgressStatus status);

// Where an indicator's current value comes from.
enum class MeasureKind : int {
  kReported = 1,              // an agency reports it (with source and date)
  kLayerArea = 2,             // area of the current zones of a layer kind in the region
  kStockLandRevitalised = 3,  // Σ land_supply.stock_land_revitalised area in the period
  kStockLandRevitalisedRate =
      4,  // that sum in the year ÷ stock at the start of the year (reported), %
  kUnsuppliedIdleLandDisposedRate =
      5,  // 批而未供 and idle land disposed in the year ÷ that stock (reported), %
  kSolidMineCount = 6,            // valid mining rights for solid minerals
  kLargeMediumMineShare = 7,      // % of those that are large or medium
  kGreenMineShare = 8,            // % of those designated green mines
  kHistoricalMineRestored = 9,    // accepted restored area of historical mine sites in the period
  kMineEnvironmentRestored = 10,  // accepted restored area of all mine sites in the period
  kNewConstructionLand = 11,      // Σ new construction land of approved batches in the period
  kUnsuppliedIdleLandDisposedArea = 12,  // 批而未供 and idle land disposed in the year (area)
  kNewCultivatedLand = 13,  // Σ new cultivated land of accepted restoration in the period
};
std::string_view Name(MeasureKind kind);
Result<MeasureKind> ParseMeasureKind(std::string_view text, std::string_view field);
// True for rates computed per calendar year from events and a reported stock.
bool IsAnnualRate(MeasureKind kind);
// True for measures summed per calendar year rather than over the period.
bool IsYearly(MeasureKind kind);
// True for measures whose value is an area (converted into the indicator's unit).
bool IsAreaMeasure(MeasureKind kind);

struct Measure {
  MeasureKind kind = MeasureKind::kReported;
  LayerKind layer_kind = LayerKind::kPermanentBasicFarmland;  // for kLayerArea
};

struct SourceRef {
  std::string file;  // "shared/seeds/000_….txt"
  int line = 0;
  std::string text;  // the row or sentence as written
};

struct Indicator {
  std::string code;     // "410300-07"
  std::string plan_id;  // "410300-2021-2025"
  std::string region_code;
  std::string group;              // 一级指标
  std::string name;               // 二级指标 without its unit
  std::string unit;               // "万公顷", "%", "个", "" when the source gives none
  std::optional<double> base;     // 2020 value; none for "-"
  std::string base_as_written;    // when the base cell is text
  std::string target_as_written;  // the target cell as written
  Target target;
  Attribute attribute = Attribute::kExpected;
  Measure measure;
  // The value a linear trajectory starts from when it differs from `base`
  // (e.g. 0 for an amount accumulated during the period).
  std::optional<double> trajectory_base;
  std::string trajectory_base_reason;
  bool annual = false;  // the target applies to every calendar year
  int target_year = 0;  // the plan's, unless the source sets another
  std::string comparator_basis;
  SourceRef source;
};

struct Plan {
  std::string plan_id;
  std::string region_code;
  std::string region_name;
  std::string title;
  std::string status_of_document;
  int base_year = 0;
  int target_year = 0;
  std::string source_file;
  std::string notes_file;
  std::vector<Indicator> indicators;
  struct Omitted {
    int line = 0;
    std::string text;
    std::string reason;
  };
  std::vector<Omitted> omitted_targets;
};

// Parses one plan data file (services/planning/data/plans/*.json). Every
// problem is INVALID_ARGUMENT naming `origin` and the JSON path.
Result<Plan> ParsePlan(std::string_view json, std::string_view origin);

// ---- Progress arithmetic ------------------------------------------------

struct ProgressOptions {
  // How far a value may lag the linear trajectory, as a share of the planned
  // change |goal − base|, before the indicator is at risk.
  double at_risk_tolerance = 0.10;
  // Relative tolerance of EQUAL targets.
  double equal_tolerance = 0.005;
};

// The period an indicator's progress is measured over: from 1 January after
// the base year to 31 December of the target year (or of `year` for annual
// indicators).
struct Period {
  Date start;
  Date end;
};
Period PlanPeriod(int base_year, int target_year);
// Elapsed share of the period on `as_of` (inclusive of that day), in [0, 1].
double ElapsedFraction(const Period& period, Date as_of);

struct ProgressInput {
  Target target;
  // Where the linear trajectory starts; none when unknown.
  std::optional<double> base;
  double value = 0;
  double elapsed = 0;  // ElapsedFraction()
};

struct ProgressResult {
  ProgressStatus status = ProgressStatus::kNotAssessed;
  std::optional<double> expected_now;  // the trajectory's value now, when there is one
  std::string explanation;             // why, in one sentence
};

// The status rule (docs/services/planning.md "Indicator status"):
//  - text target → NOT_ASSESSED;
//  - the period is over: met → ACHIEVED, not met → BREACHED;
//  - the base already met the target (a limit to keep, e.g. a floor of
//    protected area or a ceiling of water use): not met now → BREACHED;
//    met, but the headroom |goal − base| used up faster than linearly by more
//    than the tolerance → AT_RISK; else ON_TRACK;
//  - the target is still to be reached: met → ACHIEVED; otherwise the value
//    is compared with the linear trajectory base → goal: behind it by more
//    than tolerance × |goal − base| → AT_RISK, else ON_TRACK; with no base:
//    met → ACHIEVED, not met yet → AT_RISK.
ProgressResult AssessProgress(const ProgressInput& in, const ProgressOptions& options);

// Warnings (预警): a binding indicator whose status got worse (ON_TRACK or
// NOT_ASSESSED → AT_RISK or BREACHED, AT_RISK → BREACHED) raises one
// warning; recomputing the same status raises none.
bool RaisesWarning(Attribute attribute, ProgressStatus previous, ProgressStatus current);
// A raised warning no longer applies: the status went from AT_RISK or
// BREACHED back to ON_TRACK or ACHIEVED.
bool ClearsWarning(ProgressStatus previous, ProgressStatus current);

// The share of the way from base to goal covered by `value` (0 at the base,
// 1 at the goal); none without a base or when base and goal coincide.
std::optional<double> ProgressRatio(const Target& target, std::optional<double> base, double value);
// The value at the end of the period if the pace since the base continues;
// none without a base or before any time has elapsed.
std::optional<double> ProjectedValue(std::optional<double> base, double value, double elapsed);

// Conversion of an area in m² to an indicator unit: 平方米, 亩, 万亩, 公顷,
// 万公顷, 平方公里. INVALID_ARGUMENT for other units.
Result<double> SquareMetresToUnit(double m2, std::string_view unit);

}  // namespace nrp::planning
