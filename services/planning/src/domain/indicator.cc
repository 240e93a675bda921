#include "domain/indicator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace nrp::planning {

std::string_view Name(TargetKind kind) {
  switch (kind) {
    case TargetKind::kAtLeast:
      return "at_least";
    case TargetKind::kAtMost:
      return "at_most";
    case TargetKind::kEqual:
      return "equal";
    case TargetKind::kRange:
      return "range";
    case TargetKind::kText:
      return "text";
    case TargetKind::kGreaterThan:
      return "greater_than";
    case TargetKind::kLessThan:
      return "less_than";
  }
  return "unknown";
}

std::string_view Name(Attribute attribute) {
  switch (attribute) {
    case Attribute::kBinding:
      return "binding";
    case Attribute::kExpected:
      return "expected";
    case Attribute::kUnstated:
      return "unstated";
  }
  return "unknown";
}

std::string_view Name(ProgressStatus status) {
  switch (status) {
    case ProgressStatus::kNotAssessed:
      return "not_assessed";
    case ProgressStatus::kOnTrack:
      return "on_track";
    case ProgressStatus::kAtRisk:
      return "at_risk";
    case ProgressStatus::kBreached:
      return "breached";
    case ProgressStatus::kAchieved:
      return "achieved";
  }
  return "unknown";
}

namespace {
constexpr std::pair<MeasureKind, std::string_view> kMeasureNames[] = {
    {MeasureKind::kReported, "reported"},
    {MeasureKind::kLayerArea, "layer_area"},
    {MeasureKind::kStockLandRevitalised, "stock_land_revitalised"},
    {MeasureKind::kStockLandRevitalisedRate, "stock_land_revitalised_rate"},
    {MeasureKind::kUnsuppliedIdleLandDisposedRate, "unsupplied_idle_land_disposed_rate"},
    {MeasureKind::kSolidMineCount, "solid_mine_count"},
    {MeasureKind::kLargeMediumMineShare, "large_medium_mine_share"},
    {MeasureKind::kGreenMineShare, "green_mine_share"},
    {MeasureKind::kHistoricalMineRestored, "historical_mine_restored"},
    {MeasureKind::kMineEnvironmentRestored, "mine_environment_restored"},
    {MeasureKind::kNewConstructionLand, "new_construction_land"},
    {MeasureKind::kUnsuppliedIdleLandDisposedArea, "unsupplied_idle_land_disposed_area"},
    {MeasureKind::kNewCultivatedLand, "new_cultivated_land"},
};

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}
}  // namespace

std::string_view Name(MeasureKind kind) {
  for (const auto& [k, n] : kMeasureNames) {
    if (k == kind) return n;
  }
  return "unknown";
}

Result<MeasureKind> ParseMeasureKind(std::string_view text, std::string_view field) {
  for (const auto& [k, n] : kMeasureNames) {
    if (n == text) return k;
  }
  return Error::InvalidArgument(std::string(field),
                                "unknown measure kind '" + std::string(text) + "'");
}

bool IsAnnualRate(MeasureKind kind) {
  return kind == MeasureKind::kStockLandRevitalisedRate ||
         kind == MeasureKind::kUnsuppliedIdleLandDisposedRate;
}

bool IsYearly(MeasureKind kind) {
  return IsAnnualRate(kind) || kind == MeasureKind::kUnsuppliedIdleLandDisposedArea;
}

bool IsAreaMeasure(MeasureKind kind) {
  switch (kind) {
    case MeasureKind::kLayerArea:
    case MeasureKind::kStockLandRevitalised:
    case MeasureKind::kHistoricalMineRestored:
    case MeasureKind::kMineEnvironmentRestored:
    case MeasureKind::kNewConstructionLand:
    case MeasureKind::kUnsuppliedIdleLandDisposedArea:
    case MeasureKind::kNewCultivatedLand:
      return true;
    default:
      return false;
  }
}

// ---- Target ---------------------------------------------------------------

Result<Target> Target::Compare(TargetKind kind, double value, std::string_view field) {
  if (kind == TargetKind::kRange || kind == TargetKind::kText) {
    return Error::InvalidArgument(std::string(field), "a comparison needs ≥, >, ≤, < or =");
  }
  if (!std::isfinite(value)) {
    return Error::InvalidArgument(std::string(field), "target value must be a finite number");
  }
  Target t;
  t.kind_ = kind;
  t.value_ = value;
  return t;
}

Result<Target> Target::Range(double low, double high, std::string_view field) {
  if (!std::isfinite(low) || !std::isfinite(high)) {
    return Error::InvalidArgument(std::string(field), "range bounds must be finite numbers");
  }
  if (low > high) {
    return Error::InvalidArgument(std::string(field),
                                  "range low " + Num(low) + " is above high " + Num(high));
  }
  Target t;
  t.kind_ = TargetKind::kRange;
  t.low_ = low;
  t.high_ = high;
  return t;
}

Result<Target> Target::Text(std::string text, std::string_view field) {
  if (text.empty()) return Error::InvalidArgument(std::string(field), "text target is empty");
  Target t;
  t.kind_ = TargetKind::kText;
  t.text_ = std::move(text);
  return t;
}

namespace {
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A whole decimal number (optionally signed), nothing else.
bool WholeNumber(std::string_view s, double* out) {
  s = Trim(s);
  if (s.empty()) return false;
  std::string buf(s);
  char* end = nullptr;
  *out = std::strtod(buf.c_str(), &end);
  return end == buf.c_str() + buf.size() && std::isfinite(*out);
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
}  // namespace

Result<Target> Target::Parse(std::string_view text, std::string_view field) {
  std::string_view s = Trim(text);
  if (s.empty()) return Error::InvalidArgument(std::string(field), "target is empty");
  struct Op {
    std::string_view sign;
    TargetKind kind;
  };
  static const Op kOps[] = {{"≥", TargetKind::kAtLeast},     {">=", TargetKind::kAtLeast},
                            {"≤", TargetKind::kAtMost},      {"<=", TargetKind::kAtMost},
                            {">", TargetKind::kGreaterThan}, {"<", TargetKind::kLessThan},
                            {"=", TargetKind::kEqual}};
  for (const Op& op : kOps) {
    if (StartsWith(s, op.sign)) {
      double v;
      if (!WholeNumber(s.substr(op.sign.size()), &v)) {
        return Error::InvalidArgument(std::string(field),
                                      "expected a number after '" + std::string(op.sign) + "'");
      }
      return Compare(op.kind, v, field);
    }
  }
  for (std::string_view sep : {std::string_view("~"), std::string_view("～"), std::string_view("-"),
                               std::string_view("—")}) {
    size_t at = s.find(sep, 1);
    if (at == std::string_view::npos) continue;
    double lo, hi;
    if (WholeNumber(s.substr(0, at), &lo) && WholeNumber(s.substr(at + sep.size()), &hi)) {
      return Range(lo, hi, field);
    }
  }
  double bare;
  if (WholeNumber(s, &bare)) {
    return Error::InvalidArgument(std::string(field),
                                  "a bare number does not say which way the target points; "
                                  "write ≥, >, ≤, < or = before it");
  }
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      return Error::InvalidArgument(
          std::string(field), "'" + std::string(s) +
                                  "' mixes a number with text; give a comparison or a range, or "
                                  "a text target without numbers");
    }
  }
  return Text(std::string(s), field);
}

bool Target::SatisfiedBy(double v, double equal_tolerance) const {
  switch (kind_) {
    case TargetKind::kAtLeast:
      return v >= value_;
    case TargetKind::kGreaterThan:
      return v > value_;
    case TargetKind::kAtMost:
      return v <= value_;
    case TargetKind::kLessThan:
      return v < value_;
    case TargetKind::kEqual:
      return std::fabs(v - value_) <= equal_tolerance * std::fabs(value_);
    case TargetKind::kRange:
      return v >= low_ && v <= high_;
    case TargetKind::kText:
      return false;
  }
  return false;
}

double Target::GoalFrom(double base) const {
  if (kind_ == TargetKind::kRange) {
    if (base < low_) return low_;
    if (base > high_) return high_;
    return base;
  }
  return value_;
}

std::string Target::ToString() const {
  switch (kind_) {
    case TargetKind::kAtLeast:
      return "≥" + Num(value_);
    case TargetKind::kGreaterThan:
      return ">" + Num(value_);
    case TargetKind::kAtMost:
      return "≤" + Num(value_);
    case TargetKind::kLessThan:
      return "<" + Num(value_);
    case TargetKind::kEqual:
      return "=" + Num(value_);
    case TargetKind::kRange:
      return Num(low_) + "~" + Num(high_);
    case TargetKind::kText:
      return text_;
  }
  return "";
}

// ---- Progress ---------------------------------------------------------------

Period PlanPeriod(int base_year, int target_year) {
  return Period{Date(base_year + 1, 1, 1), Date(target_year, 12, 31)};
}

double ElapsedFraction(const Period& period, Date as_of) {
  auto total = (period.end.sys_days() - period.start.sys_days()).count() + 1;
  auto done = (as_of.sys_days() - period.start.sys_days()).count() + 1;
  if (total <= 0) return 1.0;
  return std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0);
}

ProgressResult AssessProgress(const ProgressInput& in, const ProgressOptions& options) {
  ProgressResult r;
  const Target& t = in.target;
  if (!t.numeric()) {
    r.explanation = "text target: judged by the responsible agency, not computed";
    return r;
  }
  const bool met = t.SatisfiedBy(in.value, options.equal_tolerance);
  const std::string target_text = t.ToString();
  if (in.elapsed >= 1.0) {
    r.status = met ? ProgressStatus::kAchieved : ProgressStatus::kBreached;
    r.explanation = met ? "period over; " + Num(in.value) + " meets " + target_text
                        : "period over; " + Num(in.value) + " misses " + target_text;
    return r;
  }
  if (!in.base) {
    r.status = met ? ProgressStatus::kAchieved : ProgressStatus::kAtRisk;
    r.explanation = met ? Num(in.value) + " already meets " + target_text
                        : "no base value to draw a trajectory from and " + Num(in.value) +
                              " does not yet meet " + target_text;
    return r;
  }
  const double base = *in.base;
  const double goal = t.GoalFrom(base);
  const double expected = base + (goal - base) * in.elapsed;
  r.expected_now = expected;
  const double span = std::fabs(goal - base);
  const double allowance = options.at_risk_tolerance * span;
  // +1 when the value should move up towards the goal, −1 when down.
  double dir = goal > base ? 1.0 : goal < base ? -1.0 : 0.0;
  if (dir == 0.0) {
    dir = (t.kind() == TargetKind::kAtMost || t.kind() == TargetKind::kLessThan) ? -1.0 : 1.0;
  }

  if (t.SatisfiedBy(base, options.equal_tolerance)) {
    // A limit to keep for the whole period.
    if (!met) {
      r.status = ProgressStatus::kBreached;
      r.explanation =
          Num(in.value) + " crosses the limit " + target_text + " kept since the base " + Num(base);
      return r;
    }
    // Headroom used: how far the value moved towards the limit beyond the
    // linear share of the allowed change.
    const double overshoot = dir * (expected - in.value);  // > 0: moved past the trajectory
    if (span > 0 && overshoot < -allowance) {
      r.status = ProgressStatus::kAtRisk;
      r.explanation = Num(in.value) + " uses the headroom towards " + target_text +
                      " faster than the linear trajectory (" + Num(expected) + " now)";
      return r;
    }
    r.status = ProgressStatus::kOnTrack;
    r.explanation = Num(in.value) + " keeps within " + target_text;
    return r;
  }

  if (met) {
    r.status = ProgressStatus::kAchieved;
    r.explanation = Num(in.value) + " already meets " + target_text;
    return r;
  }
  const double behind = dir * (expected - in.value);  // > 0: lagging the trajectory
  if (behind > allowance) {
    r.status = ProgressStatus::kAtRisk;
    r.explanation = Num(in.value) + " lags the linear trajectory " + Num(base) + " → " + Num(goal) +
                    " (" + Num(expected) + " now) by more than the tolerance";
    return r;
  }
  r.status = ProgressStatus::kOnTrack;
  r.explanation = Num(in.value) + " is on the linear trajectory " + Num(base) + " → " + Num(goal) +
                  " (" + Num(expected) + " now)";
  return r;
}

bool RaisesWarning(Attribute attribute, ProgressStatus previous, ProgressStatus current) {
  if (attribute != Attribute::kBinding) return false;
  auto severity = [](ProgressStatus s) {
    switch (s) {
      case ProgressStatus::kAtRisk:
        return 1;
      case ProgressStatus::kBreached:
        return 2;
      default:
        return 0;
    }
  };
  return severity(current) > severity(previous);
}

bool ClearsWarning(ProgressStatus previous, ProgressStatus current) {
  const bool was = previous == ProgressStatus::kAtRisk || previous == ProgressStatus::kBreached;
  const bool fine = current == ProgressStatus::kOnTrack || current == ProgressStatus::kAchieved;
  return was && fine;
}

std::optional<double> ProgressRatio(const Target& target, std::optional<double> base,
                                    double value) {
  if (!target.numeric() || !base) return std::nullopt;
  const double goal = target.GoalFrom(*base);
  if (goal == *base) return std::nullopt;
  return (value - *base) / (goal - *base);
}

std::optional<double> ProjectedValue(std::optional<double> base, double value, double elapsed) {
  if (!base || elapsed <= 0) return std::nullopt;
  return *base + (value - *base) / elapsed;
}

Result<double> SquareMetresToUnit(double m2, std::string_view unit) {
  struct U {
    std::string_view name;
    double m2;
  };
  static const U kUnits[] = {{"平方米", 1.0},  {"亩", 10000.0 / 15.0}, {"万亩", 1e8 / 15.0},
                             {"公顷", 1e4},    {"万公顷", 1e8},        {"平方公里", 1e6},
                             {"平方千米", 1e6}};
  for (const U& u : kUnits) {
    if (u.name == unit) return m2 / u.m2;
  }
  return Error::InvalidArgument("unit", "'" + std::string(unit) + "' is not an area unit");
}

// ---- Plan data files -------------------------------------------------------

namespace {
using nlohmann::json;

class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}
  Error Fail(const std::string& path, const std::string& why) const {
    return Error::InvalidArgument(origin_ + ":" + path, why);
  }
  Result<std::string> Str(const json& j, const std::string& key, const std::string& path,
                          bool required = true) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) return Fail(path + "." + key, "is required");
      return std::string();
    }
    if (!it->is_string()) return Fail(path + "." + key, "must be a string");
    return it->get<std::string>();
  }
  Result<std::optional<double>> OptNum(const json& j, const std::string& key,
                                       const std::string& path) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::optional<double>();
    if (!it->is_number()) return Fail(path + "." + key, "must be a number or null");
    return std::optional<double>(it->get<double>());
  }
  Result<int> Int(const json& j, const std::string& key, const std::string& path) const {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer())
      return Fail(path + "." + key, "must be an integer");
    return it->get<int>();
  }

 private:
  std::string origin_;
};

Result<Target> ReadTarget(const Reader& rd, const json& j, const std::string& path) {
  if (!j.is_object()) return rd.Fail(path, "must be an object");
  NRP_ASSIGN_OR_RETURN(std::string kind, rd.Str(j, "kind", path));
  if (kind == "text") {
    NRP_ASSIGN_OR_RETURN(std::string text, rd.Str(j, "text", path));
    return Target::Text(text, path);
  }
  if (kind == "range") {
    NRP_ASSIGN_OR_RETURN(auto low, rd.OptNum(j, "low", path));
    NRP_ASSIGN_OR_RETURN(auto high, rd.OptNum(j, "high", path));
    if (!low || !high) return rd.Fail(path, "a range needs low and high");
    return Target::Range(*low, *high, path);
  }
  static const std::pair<std::string_view, TargetKind> kKinds[] = {
      {"at_least", TargetKind::kAtLeast},
      {"greater_than", TargetKind::kGreaterThan},
      {"at_most", TargetKind::kAtMost},
      {"less_than", TargetKind::kLessThan},
      {"equal", TargetKind::kEqual}};
  for (const auto& [name, k] : kKinds) {
    if (kind == name) {
      NRP_ASSIGN_OR_RETURN(auto v, rd.OptNum(j, "value", path));
      if (!v) return rd.Fail(path + ".value", "is required");
      return Target::Compare(k, *v, path);
    }
  }
  return rd.Fail(path + ".kind", "unknown target kind '" + kind + "'");
}

Result<LayerKind> ParseLayerKindName(const Reader& rd, const std::string& name,
                                     const std::string& path) {
  for (LayerKind k : kAllLayerKinds) {
    if (Name(k) == name) return k;
  }
  return rd.Fail(path, "unknown layer kind '" + name + "'");
}
}  // namespace

Result<Plan> ParsePlan(std::string_view text, std::string_view origin) {
  Reader rd{std::string(origin)};
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return rd.Fail("$", "is not a JSON object");
  Plan p;
  NRP_ASSIGN_OR_RETURN(p.plan_id, rd.Str(doc, "plan_id", "$"));
  NRP_ASSIGN_OR_RETURN(p.region_code, rd.Str(doc, "region_code", "$"));
  NRP_RETURN_IF_ERROR(CheckRegionCode(p.region_code, std::string(origin) + ":$.region_code"));
  NRP_ASSIGN_OR_RETURN(p.region_name, rd.Str(doc, "region_name", "$"));
  NRP_ASSIGN_OR_RETURN(p.title, rd.Str(doc, "title", "$"));
  NRP_ASSIGN_OR_RETURN(p.status_of_document, rd.Str(doc, "status_of_document", "$", false));
  NRP_ASSIGN_OR_RETURN(p.base_year, rd.Int(doc, "base_year", "$"));
  NRP_ASSIGN_OR_RETURN(p.target_year, rd.Int(doc, "target_year", "$"));
  if (p.target_year <= p.base_year) return rd.Fail("$.target_year", "must follow base_year");
  NRP_ASSIGN_OR_RETURN(p.source_file, rd.Str(doc, "source_file", "$"));
  NRP_ASSIGN_OR_RETURN(p.notes_file, rd.Str(doc, "notes_file", "$", false));

  auto inds = doc.find("indicators");
  if (inds == doc.end() || !inds->is_array() || inds->empty()) {
    return rd.Fail("$.indicators", "must be a non-empty array");
  }
  for (size_t i = 0; i < inds->size(); ++i) {
    const json& j = (*inds)[i];
    const std::string path = "$.indicators[" + std::to_string(i) + "]";
    if (!j.is_object()) return rd.Fail(path, "must be an object");
    Indicator ind;
    ind.plan_id = p.plan_id;
    ind.region_code = p.region_code;
    NRP_ASSIGN_OR_RETURN(ind.code, rd.Str(j, "code", path));
    for (const Indicator& other : p.indicators) {
      if (other.code == ind.code) return rd.Fail(path + ".code", "duplicate code " + ind.code);
    }
    NRP_ASSIGN_OR_RETURN(ind.group, rd.Str(j, "group", path, false));
    NRP_ASSIGN_OR_RETURN(ind.name, rd.Str(j, "name", path));
    NRP_ASSIGN_OR_RETURN(ind.unit, rd.Str(j, "unit", path, false));
    NRP_ASSIGN_OR_RETURN(ind.base, rd.OptNum(j, "base", path));
    NRP_ASSIGN_OR_RETURN(ind.base_as_written, rd.Str(j, "base_as_written", path, false));
    NRP_ASSIGN_OR_RETURN(ind.target_as_written, rd.Str(j, "target_as_written", path));
    auto tj = j.find("target");
    if (tj == j.end()) return rd.Fail(path + ".target", "is required");
    NRP_ASSIGN_OR_RETURN(ind.target, ReadTarget(rd, *tj, path + ".target"));
    NRP_ASSIGN_OR_RETURN(std::string attr, rd.Str(j, "attribute", path));
    if (attr == "binding") {
      ind.attribute = Attribute::kBinding;
    } else if (attr == "expected") {
      ind.attribute = Attribute::kExpected;
    } else if (attr == "unstated") {
      ind.attribute = Attribute::kUnstated;
    } else {
      return rd.Fail(path + ".attribute", "must be binding, expected or unstated");
    }
    auto mj = j.find("measure");
    if (mj == j.end() || !mj->is_object()) return rd.Fail(path + ".measure", "is required");
    NRP_ASSIGN_OR_RETURN(std::string mkind, rd.Str(*mj, "kind", path + ".measure"));
    NRP_ASSIGN_OR_RETURN(ind.measure.kind, ParseMeasureKind(mkind, path + ".measure.kind"));
    if (ind.measure.kind == MeasureKind::kLayerArea) {
      NRP_ASSIGN_OR_RETURN(std::string lk, rd.Str(*mj, "layer_kind", path + ".measure"));
      NRP_ASSIGN_OR_RETURN(ind.measure.layer_kind,
                           ParseLayerKindName(rd, lk, path + ".measure.layer_kind"));
      if (!ind.unit.empty()) {
        auto conv = SquareMetresToUnit(1, ind.unit);
        if (!conv.ok()) return rd.Fail(path + ".unit", "a layer area needs an area unit");
      }
    }
    NRP_ASSIGN_OR_RETURN(ind.trajectory_base, rd.OptNum(j, "trajectory_base", path));
    NRP_ASSIGN_OR_RETURN(ind.trajectory_base_reason,
                         rd.Str(j, "trajectory_base_reason", path, false));
    if (ind.trajectory_base && ind.trajectory_base_reason.empty()) {
      return rd.Fail(path + ".trajectory_base_reason", "must say why the trajectory base differs");
    }
    auto an = j.find("annual");
    if (an != j.end()) {
      if (!an->is_boolean()) return rd.Fail(path + ".annual", "must be true or false");
      ind.annual = an->get<bool>();
    }
    if (IsAnnualRate(ind.measure.kind) && !ind.annual) {
      return rd.Fail(path + ".annual", "a yearly rate must be annual");
    }
    ind.target_year = p.target_year;
    if (j.contains("target_year")) {
      NRP_ASSIGN_OR_RETURN(ind.target_year, rd.Int(j, "target_year", path));
      if (ind.target_year <= p.base_year || ind.target_year > p.target_year) {
        return rd.Fail(path + ".target_year", "must lie within the plan period");
      }
    }
    NRP_ASSIGN_OR_RETURN(ind.comparator_basis, rd.Str(j, "comparator_basis", path, false));
    auto sj = j.find("source");
    if (sj == j.end() || !sj->is_object()) return rd.Fail(path + ".source", "is required");
    NRP_ASSIGN_OR_RETURN(ind.source.line, rd.Int(*sj, "line", path + ".source"));
    if (ind.source.line <= 0) return rd.Fail(path + ".source.line", "must be ≥ 1");
    NRP_ASSIGN_OR_RETURN(ind.source.text, rd.Str(*sj, "text", path + ".source"));
    ind.source.file = p.source_file;
    p.indicators.push_back(std::move(ind));
  }
  auto om = doc.find("omitted_targets");
  if (om != doc.end()) {
    if (!om->is_array()) return rd.Fail("$.omitted_targets", "must be an array");
    for (size_t i = 0; i < om->size(); ++i) {
      const std::string path = "$.omitted_targets[" + std::to_string(i) + "]";
      Plan::Omitted o;
      NRP_ASSIGN_OR_RETURN(o.line, rd.Int((*om)[i], "line", path));
      NRP_ASSIGN_OR_RETURN(o.text, rd.Str((*om)[i], "text", path));
      NRP_ASSIGN_OR_RETURN(o.reason, rd.Str((*om)[i], "reason", path));
      p.omitted_targets.push_back(std::move(o));
    }
  }
  return p;
}

}  // namespace nrp::planning
