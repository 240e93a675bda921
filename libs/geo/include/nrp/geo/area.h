// Areas are stored in square metres and shown in the unit the plans use:
// 公顷 (hectare), 亩 (1 ha = 15 亩) or 平方公里 (km²).
#pragma once

#include <string>
#include <string_view>

#include "nrp/core/status.h"

namespace nrp::geo {

enum class AreaUnit { kSquareMetre, kHectare, kMu, kSquareKilometre };

// Square metres in one unit: 1, 10 000, 10 000/15, 1 000 000.
double SquareMetresPer(AreaUnit unit);
double ConvertArea(double value, AreaUnit from, AreaUnit to);
// Accepts m2, m², 平方米, ha, 公顷, mu, 亩, km2, km², 平方公里.
Result<AreaUnit> ParseAreaUnit(std::string_view text);
// "公顷", "亩", "平方公里", "平方米".
const char* AreaUnitName(AreaUnit unit);

// A non-negative area, held in square metres.
class Area {
 public:
  static Result<Area> Of(double value, AreaUnit unit, std::string_view field = "area");
  static Area SquareMetres(double m2) { return Area(m2); }
  double square_metres() const { return m2_; }
  double hectares() const { return m2_ / 10000.0; }
  double mu() const { return m2_ * 15.0 / 10000.0; }
  double square_kilometres() const { return m2_ / 1e6; }
  double In(AreaUnit unit) const { return m2_ / SquareMetresPer(unit); }
  // "12.3456 公顷" with `decimals` digits.
  std::string Format(AreaUnit unit, int decimals = 4) const;

 private:
  explicit Area(double m2) : m2_(m2) {}
  double m2_ = 0;
};

}  // namespace nrp::geo
