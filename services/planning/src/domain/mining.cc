#include "domain/mining.h"

namespace nrp::planning {

bool IsSolidMineral(int mineral_class, std::string_view name) {
  if (mineral_class == kMineralClassMetal || mineral_class == kMineralClassNonMetal) return true;
  if (mineral_class != kMineralClassEnergy) return false;
  auto has = [&](std::string_view s) { return name.find(s) != std::string_view::npos; };
  if (has("气") || has("石油") || has("地热") || has("油砂"))
    return false;  // gases, oil, geothermal
  return has("煤") || has("油页岩") || has("铀") || has("钍");
}

}  // namespace nrp::planning
