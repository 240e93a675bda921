#include "store/plan_store.h"

#include "nrp/db/pool.h"
#include "nrp/planning/v1/resources.pb.h"
#include "store/sql.h"

namespace nrp::planning::store {

namespace v1 = ::nrp::planning::v1;
namespace {

#define TS(col) "(extract(epoch from " col ") * 1000000)::bigint"

template <class Fn>
auto Guard(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return db::MapException(e);
  }
}

#define PLAN_COLUMNS                                                                          \
  "plan_id, name, region_code, period_start_year, period_end_year, base_year, "               \
  "coalesce(encode(document, 'hex'), ''), state, reference_data, " TS("create_time") ", " TS( \
      "update_time")

PlanRow ReadPlan(const pqxx::row& r) {
  PlanRow p;
  p.plan_id = r[0].as<std::string>();
  p.name = r[1].as<std::string>();
  p.region_code = r[2].as<std::string>();
  p.period_start_year = r[3].as<int>();
  p.period_end_year = r[4].as<int>();
  p.base_year = r[5].as<int>();
  p.document = HexDecode(r[6].as<std::string>());
  p.state = static_cast<PlanState>(r[7].as<int>());
  p.reference_data = r[8].as<std::string>();
  p.create_time = FromMicros(r[9].as<int64_t>());
  p.update_time = FromMicros(r[10].as<int64_t>());
  return p;
}

// comparator/strict of the contract from the domain's kind, and back.
std::pair<int, bool> Comparator(TargetKind k) {
  switch (k) {
    case TargetKind::kAtLeast:
      return {1, false};
    case TargetKind::kGreaterThan:
      return {1, true};
    case TargetKind::kAtMost:
      return {2, false};
    case TargetKind::kLessThan:
      return {2, true};
    case TargetKind::kEqual:
      return {3, false};
    case TargetKind::kRange:
      return {4, false};
    case TargetKind::kText:
      return {5, false};
  }
  return {5, false};
}

Target ReadTarget(int comparator, bool strict, double value, double lower, double upper,
                  const std::string& text) {
  Result<Target> t = Target::Text(text.empty() ? "-" : text);
  switch (comparator) {
    case 1:
      t = Target::Compare(strict ? TargetKind::kGreaterThan : TargetKind::kAtLeast, value);
      break;
    case 2:
      t = Target::Compare(strict ? TargetKind::kLessThan : TargetKind::kAtMost, value);
      break;
    case 3:
      t = Target::Compare(TargetKind::kEqual, value);
      break;
    case 4:
      t = Target::Range(lower, upper);
      break;
    default:
      break;
  }
  return t.ok() ? *t : *Target::Text(text.empty() ? "-" : text);
}

#define INDICATOR_COLUMNS \
  "i.indicator_id, i.plan_id, p.region_code, i.code, i.position, i.name, i.category, i.unit, "  \
  "i.base_value, i.comparator, i.strict, i.target_value, i.target_lower, i.target_upper, "      \
  "i.target_text, i.target_year, i.nature, i.measure, i.measure_layer_kind, i.trajectory_base, " \
  "i.annual, i.source_note, i.status, i.latest_value, to_char(i.latest_as_of, 'YYYY-MM-DD'), "   \
  "i.status_explanation, " TS("i.create_time") ", " TS("i.update_time") ", p.base_year, "        \
  "p.period_end_year, p.state"

IndicatorRow ReadIndicator(const pqxx::row& r) {
  IndicatorRow i;
  i.indicator_id = r[0].as<std::string>();
  i.plan_id = r[1].as<std::string>();
  i.region_code = r[2].as<std::string>();
  i.code = r[3].as<std::string>();
  i.position = r[4].as<int>();
  i.name = r[5].as<std::string>();
  i.category = r[6].as<std::string>();
  i.unit = r[7].as<std::string>();
  i.base_value = OptionalDouble(r[8]);
  i.target = ReadTarget(r[9].as<int>(), r[10].as<bool>(), r[11].as<double>(), r[12].as<double>(),
                        r[13].as<double>(), r[14].as<std::string>());
  i.target_as_written = r[14].as<std::string>();
  i.target_year = r[15].as<int>();
  int nature = r[16].as<int>();
  i.nature = nature == 1   ? Attribute::kBinding
             : nature == 2 ? Attribute::kExpected
                           : Attribute::kUnstated;
  auto mk = ParseMeasureKind(r[17].as<std::string>(), "measure");
  i.measure.kind = mk.ok() ? *mk : MeasureKind::kReported;
  if (!r[18].is_null()) i.measure.layer_kind = static_cast<LayerKind>(r[18].as<int>());
  i.trajectory_base = OptionalDouble(r[19]);
  i.annual = r[20].as<bool>();
  i.source_note = r[21].as<std::string>();
  i.status = r[22].as<int>();
  i.latest_value = OptionalDouble(r[23]);
  i.latest_as_of = OptionalDate(r[24]);
  i.status_explanation = r[25].as<std::string>();
  i.create_time = FromMicros(r[26].as<int64_t>());
  i.update_time = FromMicros(r[27].as<int64_t>());
  i.plan_base_year = r[28].as<int>();
  i.plan_end_year = r[29].as<int>();
  i.plan_state = static_cast<PlanState>(r[30].as<int>());
  return i;
}

#define VALUE_COLUMNS                                                                  \
  "value_id, indicator_id, value, text_value, to_char(as_of, 'YYYY-MM-DD'), origin, "  \
  "coalesce(encode(source, 'hex'), ''), source_note, reported_by, stock_area_m2, " TS( \
      "recorded_at")

ValueRow ReadValue(const pqxx::row& r) {
  ValueRow v;
  v.value_id = r[0].as<std::string>();
  v.indicator_id = r[1].as<std::string>();
  v.value = r[2].as<double>();
  v.text_value = r[3].as<std::string>();
  v.as_of = OptionalDate(r[4]).value_or(Date(1970, 1, 1));
  v.origin = r[5].as<int>();
  v.source = HexDecode(r[6].as<std::string>());
  v.source_note = r[7].as<std::string>();
  v.reported_by = r[8].as<std::string>();
  v.stock_area_m2 = OptionalDouble(r[9]);
  v.recorded_at = FromMicros(r[10].as<int64_t>());
  return v;
}

int NatureNumber(Attribute a) {
  return a == Attribute::kBinding ? 1 : a == Attribute::kExpected ? 2 : 0;
}

std::string TargetText(const IndicatorRow& i) {
  if (!i.target_as_written.empty()) return i.target_as_written;
  return i.target.numeric() ? i.target.ToString() : i.target.text();
}

}  // namespace

std::string RegionPrefix(const std::string& region_code) {
  if (region_code.size() == 6 && region_code.substr(2) == "0000") return region_code.substr(0, 2);
  if (region_code.size() == 6 && region_code.substr(4) == "00") return region_code.substr(0, 4);
  return region_code;
}

Status UpsertPlan(pqxx::work& txn, const PlanRow& p) {
  return Guard([&]() -> Status {
    Exec(txn, "planning_upsert_plan",
         "INSERT INTO plans (plan_id, name, region_code, period_start_year, period_end_year, "
         "base_year, document, state, reference_data, create_time, update_time) VALUES ($1, $2, "
         "$3, $4, $5, $6, CASE WHEN $7 = '' THEN NULL ELSE decode($7, 'hex') END, $8, $9, $10, "
         "$10) ON CONFLICT (plan_id) DO UPDATE SET name = EXCLUDED.name, region_code = "
         "EXCLUDED.region_code, period_start_year = EXCLUDED.period_start_year, period_end_year = "
         "EXCLUDED.period_end_year, base_year = EXCLUDED.base_year, document = EXCLUDED.document, "
         "reference_data = EXCLUDED.reference_data, update_time = CASE WHEN (plans.name, "
         "plans.document) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.document) THEN "
         "EXCLUDED.update_time "
         "ELSE plans.update_time END",
         p.plan_id, p.name, p.region_code, p.period_start_year, p.period_end_year, p.base_year,
         HexEncode(p.document), static_cast<int>(p.state), p.reference_data,
         TimeParam(p.create_time));
    return Ok();
  });
}

Status InsertPlan(pqxx::work& txn, const PlanRow& p) {
  return Guard([&]() -> Status {
    pqxx::result r = Exec(
        txn, "planning_insert_plan",
        "INSERT INTO plans (plan_id, name, region_code, period_start_year, period_end_year, "
        "base_year, document, state, reference_data, create_time, update_time) VALUES ($1, $2, "
        "$3, $4, $5, $6, CASE WHEN $7 = '' THEN NULL ELSE decode($7, 'hex') END, $8, '', $9, $9) "
        "ON CONFLICT (plan_id) DO NOTHING RETURNING plan_id",
        p.plan_id, p.name, p.region_code, p.period_start_year, p.period_end_year, p.base_year,
        HexEncode(p.document), static_cast<int>(p.state), TimeParam(p.create_time));
    if (r.empty()) return Error::AlreadyExists("plan " + p.plan_id + " already exists");
    return Ok();
  });
}

Result<std::optional<PlanRow>> GetPlan(pqxx::work& txn, const std::string& plan_id,
                                       bool for_update) {
  return Guard([&]() -> Result<std::optional<PlanRow>> {
    pqxx::result r =
        for_update
            ? Exec(txn, "planning_get_plan_for_update",
                   "SELECT " PLAN_COLUMNS " FROM plans WHERE plan_id = $1 FOR UPDATE", plan_id)
            : Exec(txn, "planning_get_plan",
                   "SELECT " PLAN_COLUMNS " FROM plans WHERE plan_id = $1", plan_id);
    if (r.empty()) return std::optional<PlanRow>();
    return std::optional<PlanRow>(ReadPlan(r[0]));
  });
}

const list::Spec& PlanList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "planning.ListPlans",
      .fields = {{.name = "region_code", .sql = "region_code", .prefix = true}},
      .orders = {{"region_code", {{"region_code", Type::kText}}}},
      .default_order = "region_code",
      .id = {"plan_id", Type::kText},
  };
  return spec;
}

Result<list::Page<PlanRow>> ListPlans(pqxx::work& txn, const list::Query& q) {
  return Guard([&]() -> Result<list::Page<PlanRow>> {
    list::Params params;
    std::string sql = "SELECT " PLAN_COLUMNS + q.CursorColumns() + " FROM plans WHERE true" +
                      q.Where(params) + q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql), [](const pqxx::row& row) { return ReadPlan(row); });
  });
}

Status SetPlanState(pqxx::work& txn, const std::string& plan_id, PlanState state,
                    const std::string& document, TimePoint now) {
  return Guard([&]() -> Status {
    Exec(txn, "planning_set_plan_state",
         "UPDATE plans SET state = $2, document = CASE WHEN $3 = '' THEN document ELSE "
         "decode($3, 'hex') END, update_time = $4 WHERE plan_id = $1",
         plan_id, static_cast<int>(state), HexEncode(document), TimeParam(now));
    return Ok();
  });
}

namespace {
constexpr const char* kIndicatorInsert =
    "INSERT INTO indicators (indicator_id, plan_id, code, position, name, category, unit, "
    "base_value, comparator, strict, target_value, target_lower, target_upper, target_text, "
    "target_year, nature, measure, measure_layer_kind, trajectory_base, annual, source_note, "
    "status, create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::double precision, "
    "$9, $10, $11, $12, $13, $14, $15, $16, $17, $18::smallint, $19::double precision, $20, $21, "
    "$22, $23, $23) ";
}  // namespace

#define INDICATOR_ARGS(i)                                                                          \
  i.indicator_id, i.plan_id, i.code, i.position, i.name, i.category, i.unit,                       \
      Nullable(NumberOrNull(i.base_value)), Comparator(i.target.kind()).first,                     \
      Comparator(i.target.kind()).second, i.target.value(), i.target.low(), i.target.high(),       \
      TargetText(i), i.target_year, NatureNumber(i.nature), std::string(Name(i.measure.kind)),     \
      Nullable(                                                                                    \
          i.measure.kind == MeasureKind::kLayerArea                                                \
              ? std::optional<std::string>(std::to_string(static_cast<int>(i.measure.layer_kind))) \
              : std::nullopt),                                                                     \
      Nullable(NumberOrNull(i.trajectory_base)), i.annual, i.source_note, i.status,                \
      TimeParam(i.create_time)

Status UpsertIndicator(pqxx::work& txn, const IndicatorRow& i) {
  return Guard([&]() -> Status {
    const std::string sql =
        std::string(kIndicatorInsert) +
        "ON CONFLICT (indicator_id) DO UPDATE SET code = EXCLUDED.code, position = "
        "EXCLUDED.position, name = EXCLUDED.name, category = EXCLUDED.category, unit = "
        "EXCLUDED.unit, base_value = EXCLUDED.base_value, comparator = EXCLUDED.comparator, "
        "strict = EXCLUDED.strict, target_value = EXCLUDED.target_value, target_lower = "
        "EXCLUDED.target_lower, target_upper = EXCLUDED.target_upper, target_text = "
        "EXCLUDED.target_text, target_year = EXCLUDED.target_year, nature = EXCLUDED.nature, "
        "measure = EXCLUDED.measure, measure_layer_kind = EXCLUDED.measure_layer_kind, "
        "trajectory_base = EXCLUDED.trajectory_base, annual = EXCLUDED.annual, source_note = "
        "EXCLUDED.source_note";
    txn.conn().prepare("planning_upsert_indicator", sql);
    txn.exec_prepared("planning_upsert_indicator", INDICATOR_ARGS(i));
    return Ok();
  });
}

Status InsertIndicator(pqxx::work& txn, const IndicatorRow& i) {
  return Guard([&]() -> Status {
    const std::string sql =
        std::string(kIndicatorInsert) + "ON CONFLICT DO NOTHING RETURNING indicator_id";
    txn.conn().prepare("planning_insert_indicator", sql);
    pqxx::result r = txn.exec_prepared("planning_insert_indicator", INDICATOR_ARGS(i));
    if (r.empty()) {
      return Error::AlreadyExists("plan " + i.plan_id + " already has an indicator with code " +
                                  i.code);
    }
    return Ok();
  });
}

Result<std::optional<IndicatorRow>> GetIndicator(pqxx::work& txn, const std::string& id,
                                                 bool for_update) {
  return Guard([&]() -> Result<std::optional<IndicatorRow>> {
    pqxx::result r = for_update
                         ? Exec(txn, "planning_get_indicator_for_update",
                                "SELECT " INDICATOR_COLUMNS
                                " FROM indicators i JOIN plans p ON "
                                "p.plan_id = i.plan_id WHERE i.indicator_id = $1 FOR UPDATE OF i",
                                id)
                         : Exec(txn, "planning_get_indicator",
                                "SELECT " INDICATOR_COLUMNS
                                " FROM indicators i JOIN plans p ON "
                                "p.plan_id = i.plan_id WHERE i.indicator_id = $1",
                                id);
    if (r.empty()) return std::optional<IndicatorRow>();
    return std::optional<IndicatorRow>(ReadIndicator(r[0]));
  });
}

const list::Spec& IndicatorList() {
  using list::Type;
  // The nature as stored (NatureNumber).
  static const list::EnumType kNature = {"IndicatorNature",
                                         {{"INDICATOR_NATURE_BINDING", 1},
                                          {"INDICATOR_NATURE_EXPECTED", 2},
                                          {"INDICATOR_NATURE_NOT_STATED", 0}}};
  static const list::Spec spec = {
      .name = "planning.ListIndicators",
      .fields = {{.name = "plan_id", .sql = "i.plan_id"},
                 {.name = "region_code", .sql = "p.region_code", .prefix = true},
                 {.name = "nature", .sql = "i.nature", .type = Type::kEnum, .enum_type = kNature}},
      .orders = {{"plan_id", {{"i.plan_id", Type::kText}}},
                 {"position", {{"i.position", Type::kInt}}}},
      .default_order = "plan_id, position",
      .id = {"i.indicator_id", Type::kText},
  };
  return spec;
}

Result<std::vector<IndicatorRow>> IndicatorsOfPlan(pqxx::work& txn, const std::string& plan_id) {
  return Guard([&]() -> Result<std::vector<IndicatorRow>> {
    pqxx::result r = Exec(txn, "planning_indicators_of_plan",
                          "SELECT " INDICATOR_COLUMNS
                          " FROM indicators i JOIN plans p ON p.plan_id = i.plan_id WHERE "
                          "i.plan_id = $1 ORDER BY i.position, "
                          "i.indicator_id",
                          plan_id);
    std::vector<IndicatorRow> out;
    for (const auto& row : r) out.push_back(ReadIndicator(row));
    return out;
  });
}

Result<list::Page<IndicatorRow>> ListIndicators(pqxx::work& txn, const list::Query& q) {
  return Guard([&]() -> Result<list::Page<IndicatorRow>> {
    list::Params params;
    std::string sql = "SELECT " INDICATOR_COLUMNS + q.CursorColumns() +
                      " FROM indicators i JOIN plans p ON p.plan_id = i.plan_id WHERE true" +
                      q.Where(params) + q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql),
                     [](const pqxx::row& row) { return ReadIndicator(row); });
  });
}

Result<std::vector<std::string>> IndicatorIdsByMeasure(pqxx::work& txn,
                                                       std::optional<MeasureKind> kind) {
  return Guard([&]() -> Result<std::vector<std::string>> {
    pqxx::result r = Exec(txn, "planning_indicators_by_measure",
                          "SELECT i.indicator_id FROM indicators i JOIN plans p ON p.plan_id = "
                          "i.plan_id WHERE p.state = 2 AND ($1 = '' OR i.measure = $1) "
                          "ORDER BY i.indicator_id",
                          kind ? std::string(Name(*kind)) : std::string());
    std::vector<std::string> out;
    for (const auto& row : r) out.push_back(row[0].as<std::string>());
    return out;
  });
}

Status SaveProgress(pqxx::work& txn, const std::string& id, int status,
                    const std::optional<double>& value, const std::optional<Date>& as_of,
                    const std::string& explanation, TimePoint now) {
  return Guard([&]() -> Status {
    Exec(txn, "planning_save_progress",
         "UPDATE indicators SET status = $2, latest_value = $3::double precision, latest_as_of = "
         "$4::date, status_explanation = $5, update_time = $6 WHERE indicator_id = $1",
         id, status, Nullable(NumberOrNull(value)), Nullable(DateOrNull(as_of)), explanation,
         TimeParam(now));
    return Ok();
  });
}

Status InsertValue(pqxx::work& txn, const ValueRow& v) {
  return Guard([&]() -> Status {
    Exec(txn, "planning_insert_value",
         "INSERT INTO indicator_values (value_id, indicator_id, value, text_value, as_of, origin, "
         "source, source_note, reported_by, stock_area_m2, recorded_at) VALUES ($1, $2, $3, $4, "
         "$5::date, $6, CASE WHEN $7 = '' THEN NULL ELSE decode($7, 'hex') END, $8, $9, "
         "$10::double precision, $11)",
         v.value_id, v.indicator_id, v.value, v.text_value, v.as_of.ToString(), v.origin,
         HexEncode(v.source), v.source_note, v.reported_by, Nullable(NumberOrNull(v.stock_area_m2)),
         TimeParam(v.recorded_at));
    return Ok();
  });
}

const list::Spec& ValueList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "planning.ListIndicatorValues",
      .fields = {{.name = "indicator_id", .sql = "indicator_id"},
                 {.name = "origin",
                  .sql = "origin",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::ValueOrigin_descriptor(), false)}},
      // Values of one day by the time they were recorded.
      .orders = {{"as_of", {{"as_of", Type::kDate}, {"recorded_at", Type::kTimestamp}}}},
      .default_order = "as_of desc",
      .id = {"value_id", Type::kText},
  };
  return spec;
}

Result<list::Page<ValueRow>> ListValues(pqxx::work& txn, const list::Query& q) {
  return Guard([&]() -> Result<list::Page<ValueRow>> {
    list::Params params;
    std::string sql = "SELECT " VALUE_COLUMNS + q.CursorColumns() +
                      " FROM indicator_values WHERE true" + q.Where(params) + q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql), [](const pqxx::row& row) { return ReadValue(row); });
  });
}

Result<std::vector<ValueRow>> ValueSeries(pqxx::work& txn, const std::string& indicator_id) {
  return Guard([&]() -> Result<std::vector<ValueRow>> {
    pqxx::result r = Exec(txn, "planning_value_series",
                          "SELECT " VALUE_COLUMNS
                          " FROM indicator_values WHERE indicator_id = $1 "
                          "ORDER BY as_of, recorded_at, value_id",
                          indicator_id);
    std::vector<ValueRow> out;
    for (const auto& row : r) out.push_back(ReadValue(row));
    return out;
  });
}

Result<std::optional<ValueRow>> LatestReported(pqxx::work& txn, const std::string& indicator_id) {
  return Guard([&]() -> Result<std::optional<ValueRow>> {
    pqxx::result r = Exec(txn, "planning_latest_reported",
                          "SELECT " VALUE_COLUMNS
                          " FROM indicator_values WHERE indicator_id = $1 "
                          "AND origin = 2 AND stock_area_m2 IS NULL ORDER BY as_of DESC, "
                          "recorded_at DESC LIMIT 1",
                          indicator_id);
    if (r.empty()) return std::optional<ValueRow>();
    return std::optional<ValueRow>(ReadValue(r[0]));
  });
}

Result<std::optional<ValueRow>> LatestComputed(pqxx::work& txn, const std::string& indicator_id) {
  return Guard([&]() -> Result<std::optional<ValueRow>> {
    pqxx::result r = Exec(txn, "planning_latest_computed",
                          "SELECT " VALUE_COLUMNS
                          " FROM indicator_values WHERE indicator_id = $1 "
                          "AND origin = 1 ORDER BY as_of DESC, recorded_at DESC LIMIT 1",
                          indicator_id);
    if (r.empty()) return std::optional<ValueRow>();
    return std::optional<ValueRow>(ReadValue(r[0]));
  });
}

Result<std::optional<double>> StockAreaForYear(pqxx::work& txn, const std::string& indicator_id,
                                               int year) {
  return Guard([&]() -> Result<std::optional<double>> {
    pqxx::result r = Exec(txn, "planning_stock_area",
                          "SELECT stock_area_m2 FROM indicator_values WHERE indicator_id = $1 AND "
                          "stock_area_m2 IS NOT NULL AND extract(year from as_of) = $2 ORDER BY "
                          "as_of DESC, recorded_at DESC LIMIT 1",
                          indicator_id, year);
    if (r.empty()) return std::optional<double>();
    return std::optional<double>(r[0][0].as<double>());
  });
}

Status UpsertMine(pqxx::work& txn, const MineFact& f, TimePoint now) {
  return Guard([&]() -> Status {
    Exec(txn, "planning_upsert_mine",
         "INSERT INTO mine_facts (right_id, region_code, mining, solid, scale_class, valid, green, "
         "updated_at) VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::boolean, false), $8) "
         "ON CONFLICT (right_id) DO UPDATE SET region_code = EXCLUDED.region_code, mining = "
         "EXCLUDED.mining, solid = EXCLUDED.solid, scale_class = EXCLUDED.scale_class, valid = "
         "EXCLUDED.valid, green = coalesce($7::boolean, mine_facts.green), updated_at = "
         "EXCLUDED.updated_at",
         f.right_id, f.region_code, f.mining, f.solid, f.scale_class, f.valid,
         Nullable(f.green ? std::optional<std::string>(*f.green ? "true" : "false") : std::nullopt),
         TimeParam(now));
    return Ok();
  });
}

Status EndMine(pqxx::work& txn, const std::string& right_id, const std::string& region_code,
               int scale_class, TimePoint now) {
  return Guard([&]() -> Status {
    // A right never seen valid is recorded as ended, so a late grant event
    // cannot revive it.
    Exec(txn, "planning_end_mine",
         "INSERT INTO mine_facts (right_id, region_code, mining, solid, scale_class, valid, "
         "updated_at) VALUES ($1, $2, false, false, $3, false, $4) ON CONFLICT (right_id) DO "
         "UPDATE SET valid = false, updated_at = EXCLUDED.updated_at",
         right_id, region_code, scale_class, TimeParam(now));
    return Ok();
  });
}

Status SetGreen(pqxx::work& txn, const std::string& right_id, bool green, TimePoint now) {
  return Guard([&]() -> Status {
    Exec(txn, "planning_set_green",
         "UPDATE mine_facts SET green = $2, updated_at = $3 WHERE right_id = $1", right_id, green,
         TimeParam(now));
    return Ok();
  });
}

Result<MineStats> SolidMineStats(pqxx::work& txn, const std::string& region_code) {
  return Guard([&]() -> Result<MineStats> {
    pqxx::result r = Exec(txn, "planning_mine_stats",
                          "SELECT count(*), count(*) FILTER (WHERE scale_class IN (1, 2)), "
                          "count(*) FILTER (WHERE green) FROM mine_facts WHERE valid AND mining "
                          "AND solid AND region_code LIKE $1 || '%'",
                          RegionPrefix(region_code));
    MineStats s;
    s.mines = r[0][0].as<int64_t>();
    s.large_medium = r[0][1].as<int64_t>();
    s.green = r[0][2].as<int64_t>();
    return s;
  });
}

Status InsertStockFact(pqxx::work& txn, const StockFact& f) {
  return Guard([&]() -> Status {
    Exec(txn, "planning_insert_stock_fact",
         "INSERT INTO stock_land_facts (fact_id, region_code, kind, stage, area_m2, occurred_on) "
         "VALUES ($1, $2, $3, $4, $5, $6::date) ON CONFLICT (fact_id) DO NOTHING",
         f.fact_id, f.region_code, f.kind, f.stage, f.area_m2, f.occurred_on.ToString());
    return Ok();
  });
}

Result<double> SumStockFacts(pqxx::work& txn, const std::string& kind,
                             const std::vector<int>& stages, const std::string& region_code,
                             Date from, Date to) {
  return Guard([&]() -> Result<double> {
    std::vector<std::string> st;
    for (int s : stages) st.push_back(std::to_string(s));
    pqxx::result r =
        Exec(txn, "planning_sum_stock",
             "SELECT coalesce(sum(area_m2), 0) FROM stock_land_facts WHERE kind = $1 "
             "AND (cardinality($2::int[]) = 0 OR stage = ANY($2::int[])) AND "
             "region_code LIKE $3 || '%' AND occurred_on BETWEEN $4::date AND $5::date",
             kind, TextArray(st), RegionPrefix(region_code), from.ToString(), to.ToString());
    return r[0][0].as<double>();
  });
}

Status UpsertConstructionLand(pqxx::work& txn, const std::string& batch_id,
                              const std::string& region_code, double area_m2, Date approved_on) {
  return Guard([&]() -> Status {
    Exec(txn, "planning_upsert_construction",
         "INSERT INTO construction_land_facts (batch_id, region_code, area_m2, approved_on) VALUES "
         "($1, $2, $3, $4::date) ON CONFLICT (batch_id) DO UPDATE SET region_code = "
         "EXCLUDED.region_code, area_m2 = EXCLUDED.area_m2, approved_on = EXCLUDED.approved_on",
         batch_id, region_code, area_m2, approved_on.ToString());
    return Ok();
  });
}

Result<double> SumConstructionLand(pqxx::work& txn, const std::string& region_code, Date from,
                                   Date to) {
  return Guard([&]() -> Result<double> {
    pqxx::result r =
        Exec(txn, "planning_sum_construction",
             "SELECT coalesce(sum(area_m2), 0) FROM construction_land_facts WHERE "
             "region_code LIKE $1 || '%' AND approved_on BETWEEN $2::date AND $3::date",
             RegionPrefix(region_code), from.ToString(), to.ToString());
    return r[0][0].as<double>();
  });
}

Status UpsertRestoration(pqxx::work& txn, const std::string& project_id,
                         const std::string& region_code, int project_kind, double area_m2,
                         double new_cultivated_m2, Date accepted_on) {
  return Guard([&]() -> Status {
    Exec(txn, "planning_upsert_restoration",
         "INSERT INTO restoration_facts (project_id, region_code, project_kind, restored_area_m2, "
         "new_cultivated_m2, accepted_on) VALUES ($1, $2, $3, $4, $5, $6::date) ON CONFLICT "
         "(project_id) DO UPDATE SET region_code = EXCLUDED.region_code, project_kind = "
         "EXCLUDED.project_kind, restored_area_m2 = EXCLUDED.restored_area_m2, new_cultivated_m2 = "
         "EXCLUDED.new_cultivated_m2, accepted_on = EXCLUDED.accepted_on",
         project_id, region_code, project_kind, area_m2, new_cultivated_m2, accepted_on.ToString());
    return Ok();
  });
}

Result<double> SumRestoration(pqxx::work& txn, const std::vector<int>& kinds,
                              const std::string& region_code, Date from, Date to,
                              bool new_cultivated) {
  return Guard([&]() -> Result<double> {
    std::vector<std::string> k;
    for (int x : kinds) k.push_back(std::to_string(x));
    pqxx::result r = Exec(
        txn, "planning_sum_restoration",
        "SELECT coalesce(sum(CASE WHEN $5 THEN new_cultivated_m2 ELSE "
        "restored_area_m2 END), 0) FROM restoration_facts WHERE "
        "(cardinality($1::int[]) = 0 OR project_kind = ANY($1::int[])) AND "
        "region_code LIKE $2 || '%' AND accepted_on BETWEEN $3::date AND $4::date",
        TextArray(k), RegionPrefix(region_code), from.ToString(), to.ToString(), new_cultivated);
    return r[0][0].as<double>();
  });
}

Result<bool> HasFacts(pqxx::work& txn, FactKind kind, const std::string& region_code) {
  return Guard([&]() -> Result<bool> {
    const std::string prefix = RegionPrefix(region_code);
    pqxx::result r;
    switch (kind) {
      case FactKind::kMines:
        r = Exec(txn, "planning_has_mines",
                 "SELECT EXISTS (SELECT 1 FROM mine_facts WHERE region_code LIKE $1 || '%')",
                 prefix);
        break;
      case FactKind::kStockRevitalised:
        r = Exec(txn, "planning_has_revitalised",
                 "SELECT EXISTS (SELECT 1 FROM stock_land_facts WHERE kind = 'revitalised' AND "
                 "region_code LIKE $1 || '%')",
                 prefix);
        break;
      case FactKind::kIdleDisposed:
        r = Exec(txn, "planning_has_stock",
                 "SELECT EXISTS (SELECT 1 FROM stock_land_facts WHERE region_code LIKE $1 || '%')",
                 prefix);
        break;
      case FactKind::kConstructionLand:
        r = Exec(txn, "planning_has_construction",
                 "SELECT EXISTS (SELECT 1 FROM construction_land_facts WHERE region_code LIKE $1 "
                 "|| '%')",
                 prefix);
        break;
      case FactKind::kRestoration:
        r = Exec(txn, "planning_has_restoration",
                 "SELECT EXISTS (SELECT 1 FROM restoration_facts WHERE region_code LIKE $1 || '%')",
                 prefix);
        break;
    }
    return r[0][0].as<bool>();
  });
}

}  // namespace nrp::planning::store
