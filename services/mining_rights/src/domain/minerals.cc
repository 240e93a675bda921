#include "domain/minerals.h"

#include <string>

namespace nrp::mining_rights {

namespace {

using C = MineralClass;

// code, name, English, class, rare earth, radioactive, sand/gravel/clay, construction stone, coal
constexpr Mineral kMinerals[] = {
    // 能源矿产
    {"10100", "煤", "coal", C::kEnergy, false, false, false, false, true},
    {"10200", "煤层气", "coalbed methane", C::kEnergy},
    {"10300", "石油", "oil", C::kEnergy},
    {"10400", "天然气", "natural gas", C::kEnergy},
    {"10500", "页岩气", "shale gas", C::kEnergy},
    {"10600", "油页岩", "oil shale", C::kEnergy},
    {"10700", "铀", "uranium", C::kEnergy, false, true},
    {"10800", "钍", "thorium", C::kEnergy, false, true},
    {"10900", "地热", "geothermal energy", C::kEnergy},
    // 金属矿产
    {"20100", "铁矿", "iron", C::kMetal},
    {"20200", "铜矿", "copper", C::kMetal},
    {"20300", "铅矿", "lead", C::kMetal},
    {"20400", "锌矿", "zinc", C::kMetal},
    {"20500", "铝土矿", "bauxite", C::kMetal},
    {"20600", "钼矿", "molybdenum", C::kMetal},
    {"20700", "金矿（岩金）", "gold (lode)", C::kMetal},
    {"20800", "银矿", "silver", C::kMetal},
    {"20900", "钨矿", "tungsten", C::kMetal},
    {"21000", "轻稀土", "light rare earths", C::kMetal, true},
    {"21100", "重稀土", "heavy rare earths", C::kMetal, true},
    // 非金属矿产
    {"30100", "硫铁矿", "pyrite", C::kNonMetal},
    {"30200", "萤石（普通萤石）", "fluorite", C::kNonMetal},
    {"30300", "高岭土", "kaolin", C::kNonMetal},
    {"30400", "水泥用灰岩", "limestone for cement", C::kNonMetal},
    {"30500", "建筑石料用灰岩", "limestone for construction aggregate", C::kNonMetal, false, false,
     true, true},
    {"30600", "建筑用花岗岩", "granite for construction aggregate", C::kNonMetal, false, false,
     true, true},
    {"30700", "冶金用石英岩", "quartzite for metallurgy", C::kNonMetal},
    {"30800", "玻璃用石英岩", "quartzite for glass", C::kNonMetal},
    {"30900", "耐火粘土", "refractory clay", C::kNonMetal},
    {"31000", "饰面用花岗岩", "granite for dimension stone", C::kNonMetal},
    {"31100", "建筑用砂", "construction sand", C::kNonMetal, false, false, true},
    {"31200", "砖瓦用粘土", "clay for bricks and tiles", C::kNonMetal, false, false, true},
    {"31300", "熔剂用灰岩", "limestone for flux", C::kNonMetal},
    {"31400", "白云岩", "dolomite", C::kNonMetal},
    // 水气矿产
    {"40100", "矿泉水", "mineral water", C::kWaterGas},
    {"40200", "二氧化碳气", "carbon dioxide gas", C::kWaterGas},
    {"40300", "氦气", "helium", C::kWaterGas},
};

}  // namespace

std::span<const Mineral> Minerals() { return kMinerals; }

const Mineral* FindMineral(std::string_view code) {
  for (const auto& m : kMinerals) {
    if (m.code == code) return &m;
  }
  return nullptr;
}

Result<const Mineral*> ValidateMineralCode(std::string_view code, std::string_view field) {
  bool digits = code.size() == 5;
  for (char c : code) digits = digits && c >= '0' && c <= '9';
  if (!digits) {
    return Error::InvalidArgument(
        std::string(field), "expected a 5-digit mineral code, got '" + std::string(code) + "'");
  }
  const Mineral* m = FindMineral(code);
  if (!m) {
    return Error::InvalidArgument(std::string(field),
                                  "unknown mineral code '" + std::string(code) + "'");
  }
  return m;
}

}  // namespace nrp::mining_rights
