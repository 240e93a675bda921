#include "convert/convert.h"

namespace nrp::land_supply {

std::optional<Date> FromProtoDate(const nrp::common::v1::Date& d) {
  if (d.year() == 0 && d.month() == 0 && d.day() == 0) return std::nullopt;
  if (d.month() < 0 || d.day() < 0) return Date(d.year(), 13, 1);  // invalid
  return Date(d.year(), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::optional<Date> OptionalDate(bool has, const nrp::common::v1::Date& d) {
  if (!has) return std::nullopt;
  return FromProtoDate(d);
}

nrp::common::v1::Money Fen(int64_t fen) {
  nrp::common::v1::Money m;
  m.set_fen(fen);
  return m;
}

}  // namespace nrp::land_supply
