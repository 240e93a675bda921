// Mineral reference data (矿种): code, Chinese and English names, class, and the flags the
// grant and scale rules need. Covers every mineral of the Luoyang plan's Box 8
// (shared/seeds/000, L309-336), the minerals of 自然资规〔2023〕6号's negotiation grounds and
// exclusions (rare earth, radioactive minerals, ordinary sand, gravel and clay), and coal.
//
// Codes: "10100" for coal is the code the contract uses (protos/nrp/mining_rights/v1
// Mineral.code). The national list (矿产资源分类细目) is not in the sources (shared/seeds,
// design/domain.md, the protos), so the other codes follow the same shape as an assumption
// of this table: five digits, the first the class as in the 18-character licence number
// (1 energy, 2 metal, 3 non-metal, 4 water/gas), then a number within the class.
#pragma once

#include <span>
#include <string_view>

#include "domain/types.h"

namespace nrp::mining_rights {

struct Mineral {
  std::string_view code;
  std::string_view name;  // Chinese, as the plans write it
  std::string_view name_en;
  MineralClass mineral_class = MineralClass::kUnspecified;
  bool rare_earth = false;   // 稀土
  bool radioactive = false;  // 放射性矿产 (uranium, thorium)
  // 普通建筑用砂石土: never granted by negotiation (自然资规〔2023〕6号).
  bool ordinary_sand_gravel_clay = false;
  // 建筑石料: granted clean (净矿) and by competition (Luoyang L307); county minimum scale
  // (Luoyang L299).
  bool construction_stone = false;
  bool coal = false;  // 煤: minimum 60 万t/yr, 90 in an outburst mine (Box 8 note 2)
};

// Where the table comes from, as ListMinerals reports it.
inline constexpr std::string_view kMineralSource =
    "Luoyang 14th Five-Year natural resources plan, Box 8 (新建矿山最低开采规模表) and Ch4; "
    "自然资规〔2023〕6号 (negotiation grounds and exclusions); coal 10100 as the contract uses "
    "it; the other codes are the service's own until the national list (矿产资源分类细目) is "
    "loaded";

// Every mineral of the table, by code.
std::span<const Mineral> Minerals();
// nullptr when the code is not in the table.
const Mineral* FindMineral(std::string_view code);
// INVALID_ARGUMENT naming `field` for a code that is not five digits or not in the table.
Result<const Mineral*> ValidateMineralCode(std::string_view code, std::string_view field);

// The coal code of the contract.
inline constexpr std::string_view kCoalCode = "10100";

}  // namespace nrp::mining_rights
