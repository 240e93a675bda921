// What planning needs to know about a mining right to count mines for the
// plan indicators (domain.md Mining rights: "Plan indicators fed from here:
// total solid-mineral mines (Luoyang < 300), share of large and medium mines
// (≥ 40%)").
#pragma once

#include <string_view>

namespace nrp::planning {

// Mineral classes as numbered in the mining-rights contract (MineralClass).
inline constexpr int kMineralClassEnergy = 1;
inline constexpr int kMineralClassMetal = 2;
inline constexpr int kMineralClassNonMetal = 3;
inline constexpr int kMineralClassWaterGas = 4;

// A solid mineral (固体矿产): every metallic and non-metallic mineral, and the
// solid energy minerals (coal of every kind, oil shale, uranium, thorium);
// not oil, natural gas, coalbed methane, shale gas, geothermal energy or the
// water and gas minerals.
bool IsSolidMineral(int mineral_class, std::string_view mineral_name);

}  // namespace nrp::planning
