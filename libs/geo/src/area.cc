#include "nrp/geo/area.h"

#include <cmath>
#include <cstdio>

namespace nrp::geo {

double SquareMetresPer(AreaUnit unit) {
  switch (unit) {
    case AreaUnit::kSquareMetre: return 1.0;
    case AreaUnit::kHectare: return 10000.0;
    case AreaUnit::kMu: return 10000.0 / 15.0;
    case AreaUnit::kSquareKilometre: return 1e6;
  }
  return 1.0;
}

double ConvertArea(double value, AreaUnit from, AreaUnit to) {
  return value * SquareMetresPer(from) / SquareMetresPer(to);
}

Result<AreaUnit> ParseAreaUnit(std::string_view t) {
  if (t == "m2" || t == "m²" || t == "平方米" || t == "sqm") return AreaUnit::kSquareMetre;
  if (t == "ha" || t == "公顷" || t == "hectare") return AreaUnit::kHectare;
  if (t == "mu" || t == "亩") return AreaUnit::kMu;
  if (t == "km2" || t == "km²" || t == "平方公里" || t == "平方千米") {
    return AreaUnit::kSquareKilometre;
  }
  return Error::InvalidArgument("unit", "unknown area unit '" + std::string(t) +
                                            "' (use m2, ha/公顷, mu/亩 or km2/平方公里)");
}

const char* AreaUnitName(AreaUnit unit) {
  switch (unit) {
    case AreaUnit::kSquareMetre: return "平方米";
    case AreaUnit::kHectare: return "公顷";
    case AreaUnit::kMu: return "亩";
    case AreaUnit::kSquareKilometre: return "平方公里";
  }
  return "";
}

Result<Area> Area::Of(double value, AreaUnit unit, std::string_view field) {
  if (!std::isfinite(value) || value < 0) {
    return Error::InvalidArgument(std::string(field), "must be a finite number ≥ 0");
  }
  return Area(value * SquareMetresPer(unit));
}

std::string Area::Format(AreaUnit unit, int decimals) const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f %s", decimals, In(unit), AreaUnitName(unit));
  return buf;
}

}  // namespace nrp::geo
