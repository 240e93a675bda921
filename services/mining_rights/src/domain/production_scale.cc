#include "domain/production_scale.h"

#include <algorithm>
#include <vector>

#include "domain/minerals.h"

namespace nrp::mining_rights {

namespace {

using U = OutputUnit;
using S = MethodScope;
constexpr std::optional<double> kNone = std::nullopt;

// 专栏 8 新建矿山最低开采规模表 (shared/seeds/000_9bb4b98783138fb0.txt L309-336). Row 11's name
// is printed "萤石（CaF ₂ ）" in the extracted text (spaces from the PDF); written here as
// the notes (000.md §2.4) write it.
constexpr Box8Row kBox8[] = {
    {"1",
     "煤炭（地下）",
     "原煤 万吨/年",
     U::kTonnesPerYear,
     {120},
     {60, 90},
     {60, 90},
     "10100",
     S::kUnderground},
    {"2",
     "铁矿（地下）",
     "矿石 万吨/年",
     U::kTonnesPerYear,
     {100},
     {30},
     {10},
     "20100",
     S::kUnderground},
    {"",
     "铁矿（露天）",
     "矿石 万吨/年",
     U::kTonnesPerYear,
     {200},
     {60},
     {30},
     "20100",
     S::kOpenPit},
    {"3", "铜矿", "矿石 万吨/年", U::kTonnesPerYear, {100}, {30}, {3}, "20200", S::kAny},
    {"4", "铅矿", "矿石 万吨/年", U::kTonnesPerYear, {100}, {30}, {10}, "20300", S::kAny},
    {"5", "锌矿", "矿石 万吨/年", U::kTonnesPerYear, {100}, {30}, {10}, "20400", S::kAny},
    {"6",
     "铝土矿（露天）",
     "矿石 万吨/年",
     U::kTonnesPerYear,
     {100},
     {30},
     {10},
     "20500",
     S::kOpenPit},
    {"",
     "铝土矿（地下）",
     "矿石 万吨/年",
     U::kTonnesPerYear,
     {100},
     {30},
     {30},
     "20500",
     S::kUnderground},
    {"7", "钼矿", "矿石 万吨/年", U::kTonnesPerYear, {100}, {50}, {50}, "20600", S::kAny},
    {"8", "金矿（岩金）", "矿石 万吨/年", U::kTonnesPerYear, {15}, {9}, {9}, "20700", S::kAny},
    {"9", "银矿", "矿石 万吨/年", U::kTonnesPerYear, {30}, {20}, {9}, "20800", S::kAny},
    {"10", "硫铁矿", "矿石 万吨/年", U::kTonnesPerYear, {100}, {30}, {30}, "30100", S::kAny},
    {"11", "萤石（CaF₂）", "矿石 万吨/年", U::kTonnesPerYear, {10}, {9}, {9}, "30200", S::kAny},
    {"12", "高岭土", "矿石 万吨/年", U::kTonnesPerYear, {10}, {5}, {3}, "30300", S::kAny},
    {"13", "水泥用灰岩", "矿石 万吨/年", U::kTonnesPerYear, {100}, {50}, {30}, "30400", S::kAny},
    {"14",
     "建筑石料用灰岩",
     "矿石 万吨/年",
     U::kTonnesPerYear,
     {300},
     {100},
     {kNone},
     "30500",
     S::kAny},
    {"15", "冶金用石英岩", "矿石 万吨/年", U::kTonnesPerYear, {60}, {20}, {10}, "30700", S::kAny},
    {"16", "玻璃用石英岩", "矿石 万吨/年", U::kTonnesPerYear, {30}, {10}, {5}, "30800", S::kAny},
    {"17", "耐火粘土", "矿石 万吨/年", U::kTonnesPerYear, {100}, {30}, {10}, "30900", S::kAny},
    {"18",
     "饰面用花岗岩",
     "万立方米/年",
     U::kCubicMetresPerYear,
     {10},
     {10},
     {kNone},
     "31000",
     S::kAny},
};

// Box 8 note 2 (L337).
constexpr double kCoalMinimum = 60;
constexpr double kCoalOutburstMinimum = 90;

std::string UnitText(OutputUnit u) {
  return u == U::kCubicMetresPerYear ? "万立方米/年" : "万吨/年";
}

std::string DepositText(ScaleClass s) {
  if (s == ScaleClass::kUnspecified) return "deposit of unstated size";
  return std::string(ScaleClassChinese(s)) + " deposit";
}

std::string Wan(double v, OutputUnit u) { return FormatNumber(v) + " " + UnitText(u); }

bool Covers(MethodScope scope, MiningMethod method) {
  switch (scope) {
    case S::kAny:
      return true;
    case S::kUnderground:
      return method == MiningMethod::kUnderground || method == MiningMethod::kCombined;
    case S::kOpenPit:
      return method == MiningMethod::kOpenPit || method == MiningMethod::kCombined;
  }
  return false;
}

}  // namespace

const ScaleCell& Box8Row::Cell(ScaleClass deposit) const {
  switch (deposit) {
    case ScaleClass::kLarge:
      return large;
    case ScaleClass::kMedium:
      return medium;
    default:
      return small;
  }
}

std::span<const Box8Row> Box8() { return kBox8; }

std::string CellText(const ScaleCell& c) {
  if (!c.minimum) return "/";
  std::string s = FormatNumber(*c.minimum);
  if (c.outburst_minimum) s += "/" + FormatNumber(*c.outburst_minimum);
  return s;
}

double AggregateMinimumForCounty(std::string_view region_code) {
  if (region_code == kYanshiDistrict) return 500;
  if (region_code == kXin_anCounty || region_code == kYichuanCounty) return 300;
  return 100;
}

Result<std::optional<MinimumScale>> MinimumProductionScale(const NewMine& m) {
  if (m.historical_site_restoration) return std::optional<MinimumScale>();
  NRP_ASSIGN_OR_RETURN(const Mineral* mineral,
                       ValidateMineralCode(m.mineral_code, "main_mineral.code"));
  const std::string mineral_text =
      std::string(mineral->name) + " (" + std::string(mineral->code) + ")";

  std::vector<const Box8Row*> rows;
  bool scoped = false;
  for (const auto& row : kBox8) {
    if (row.mineral_code != mineral->code) continue;
    if (row.scope != S::kAny) scoped = true;
    rows.push_back(&row);
  }
  // 铁矿 and 铝土矿 have one row per method and 煤炭 an underground row: the method chooses
  // (both rows, the stricter figure, for combined mining).
  if (scoped) {
    if (m.method != MiningMethod::kOpenPit && m.method != MiningMethod::kUnderground &&
        m.method != MiningMethod::kCombined) {
      return Error::InvalidArgument("mining_method",
                                    "Box 8 sets the minimum of " + mineral_text +
                                        " by open-pit or underground mining; got " +
                                        std::string(MiningMethodName(m.method)));
    }
  }
  std::erase_if(rows, [&](const Box8Row* r) { return !Covers(r->scope, m.method); });

  std::optional<MinimumScale> best;
  auto consider = [&](double v, OutputUnit unit, std::string basis) {
    if (!best || v > best->minimum_wan) best = MinimumScale{v, unit, std::move(basis)};
  };

  if (!rows.empty()) {
    if (m.deposit_scale == ScaleClass::kUnspecified) {
      return Error::InvalidArgument("deposit_scale", "the minimum scale of " + mineral_text +
                                                         " depends on the deposit's reserve "
                                                         "size: LARGE, MEDIUM or SMALL");
    }
    for (const Box8Row* r : rows) {
      const ScaleCell& cell = r->Cell(m.deposit_scale);
      if (!cell.minimum) {
        return Error::FailedPrecondition(
            "DEPOSIT_TOO_SMALL_FOR_NEW_MINE", std::string(mineral->code),
            "no new mine of " + mineral_text + " on a " +
                std::string(ScaleClassChinese(m.deposit_scale)) + " deposit: Luoyang plan Box 8 (" +
                std::string(r->name) + ") sets no scale for it (\"/\")");
      }
      double v = m.gas_outburst && cell.outburst_minimum ? *cell.outburst_minimum : *cell.minimum;
      consider(v, r->unit,
               "Luoyang plan Box 8 " + std::string(r->name) + " " +
                   std::string(ScaleClassChinese(m.deposit_scale)) + " " + CellText(cell));
    }
  }
  if (mineral->coal) {
    consider(m.gas_outburst ? kCoalOutburstMinimum : kCoalMinimum, U::kTonnesPerYear,
             m.gas_outburst ? "Luoyang plan Box 8 note 2: coal-and-gas-outburst mine"
                            : "Luoyang plan Box 8 note 2: coal");
  }
  if (mineral->construction_stone) {
    consider(AggregateMinimumForCounty(m.region_code), U::kTonnesPerYear,
             "Luoyang plan L299: construction aggregate in region " + m.region_code);
  }
  if (best && m.planned.unit != best->unit) {
    return Error::InvalidArgument(
        "planned_scale.unit",
        "the scale of " + mineral_text + " is measured in " + UnitText(best->unit));
  }
  return best;
}

Status CheckMinimumProductionScale(const NewMine& m) {
  if (m.historical_site_restoration) return Ok();
  if (!(m.planned.annual_output > 0)) {
    return Error::InvalidArgument("planned_scale.annual_output", "must be positive");
  }
  NRP_ASSIGN_OR_RETURN(auto minimum, MinimumProductionScale(m));
  if (!minimum) return Ok();
  const double planned_wan = m.planned.annual_output / 10000.0;
  if (planned_wan + 1e-9 < minimum->minimum_wan) {
    const Mineral* mineral = FindMineral(m.mineral_code);
    return Error::FailedPrecondition(
        "BELOW_MINIMUM_PRODUCTION_SCALE", m.mineral_code,
        "a new mine of " + std::string(mineral->name) + " (" + m.mineral_code + ") on a " +
            DepositText(m.deposit_scale) + " must produce at least " +
            Wan(minimum->minimum_wan, minimum->unit) + " (" + minimum->basis + "); planned " +
            Wan(planned_wan, minimum->unit));
  }
  return Ok();
}

}  // namespace nrp::mining_rights
