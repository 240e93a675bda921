// Minimum production scale of new mines (新建矿山最低开采规模), from the Luoyang plan
// (shared/seeds/000_9bb4b98783138fb0.txt; notes 000.md §2.4):
//  - Box 8 (专栏 8 新建矿山最低开采规模表, L309-336), reproduced row by row below: the columns
//    大型/中型/小型 are the reserve size of the deposit the mine occupies (note 1, L337:
//    国土资发〔2000〕133号), figures in 万 units a year; "/" means no figure, read as no new
//    mine on a deposit of that size (explicit for dimension stone at L299: "禁止新设…资源储量
//    规模为小型的饰面用石材矿山"; inferred for 建筑石料用灰岩 from "原则上不再新建小型矿山", L287).
//  - Note 2 (L337): coal at least 60 万t/yr, 90 in a coal-and-gas-outburst mine (煤与瓦斯突出
//    矿井); this is what "60/90" in row 1 means, and it binds coal mined any way.
//  - Construction aggregate by county (L299): 偃师区 (410307) at least 500 万t/yr, 新安县
//    (410323) and 伊川县 (410329) 300, other counties 100. Region codes are GB/T 2260 as in
//    registration's table (services/registration/src/domain/certificate_number.cc).
//  - Rights created to restore historical mine sites are exempt (L297).
// Box 8 and the county figures are the only minimum-scale tables in the sources; as
// domain.md does, they apply to every new mine the platform grants.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "domain/types.h"

namespace nrp::mining_rights {

// Which mining methods a Box 8 row covers: 铁矿 and 铝土矿 have a row each for open pit
// (露天) and underground (地下); 煤炭 has only the underground row.
enum class MethodScope { kAny, kUnderground, kOpenPit };

struct ScaleCell {
  std::optional<double> minimum;           // 万 units a year; unset for "/"
  std::optional<double> outburst_minimum;  // coal's "60/90": the figure in an outburst mine
};

struct Box8Row {
  std::string_view number;     // 序号 as printed; "" on the second row of 铁矿 and 铝土矿
  std::string_view name;       // 矿种名称
  std::string_view unit_text;  // 开采规模单位
  OutputUnit unit = OutputUnit::kUnspecified;
  ScaleCell large, medium, small;
  std::string_view mineral_code;  // minerals.h
  MethodScope scope = MethodScope::kAny;

  const ScaleCell& Cell(ScaleClass deposit) const;
};

// The 20 data rows of Box 8 in the order printed.
std::span<const Box8Row> Box8();
// A cell as Box 8 prints it: "120", "60/90", "/".
std::string CellText(const ScaleCell& c);

// County figures for new construction-aggregate mines (万t/yr, L299).
inline constexpr std::string_view kYanshiDistrict = "410307";  // 偃师区: provincial base
inline constexpr std::string_view kXin_anCounty = "410323";    // 新安县: regional centre
inline constexpr std::string_view kYichuanCounty = "410329";   // 伊川县: regional centre
double AggregateMinimumForCounty(std::string_view region_code);

struct NewMine {
  std::string offer_id;
  std::string mineral_code;
  MiningMethod method = MiningMethod::kUnspecified;
  ScaleClass deposit_scale = ScaleClass::kUnspecified;
  ProductionScale planned;
  bool gas_outburst = false;
  std::string region_code;  // the county the block lies in
  bool historical_site_restoration = false;
};

struct MinimumScale {
  double minimum_wan = 0;  // 万 units a year
  OutputUnit unit = OutputUnit::kUnspecified;
  std::string basis;  // where the binding figure comes from
};

// The minimum a new mine must reach; unset when none applies (exempt, or a mineral
// neither in Box 8 nor coal nor construction stone). INVALID_ARGUMENT for an unknown
// mineral ("main_mineral.code"), a method Box 8 needs to choose a row ("mining_method"), an
// unset deposit size where Box 8 has a row ("deposit_scale"), or a unit other than the
// row's ("planned_scale.unit"); FAILED_PRECONDITION DEPOSIT_TOO_SMALL_FOR_NEW_MINE where
// Box 8 prints "/".
Result<std::optional<MinimumScale>> MinimumProductionScale(const NewMine& m);

// FAILED_PRECONDITION BELOW_MINIMUM_PRODUCTION_SCALE naming the mineral, the deposit size,
// the minimum and the planned scale; the errors of MinimumProductionScale; INVALID_ARGUMENT
// "planned_scale.annual_output" unless positive.
Status CheckMinimumProductionScale(const NewMine& m);

}  // namespace nrp::mining_rights
