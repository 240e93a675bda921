#include "domain/rules.h"

#include <algorithm>

namespace nrp::restoration {

Status Rules::Validate() const {
  if (obligation_due_days < 30 || obligation_due_days > 3650) {
    return Error::InvalidArgument("obligation_due_days", "must be 30 to 3650 days");
  }
  if (!(area_tolerance_m2 >= 0) || area_tolerance_m2 > 100) {
    return Error::InvalidArgument("area_tolerance_m2", "must be 0 to 100 m²");
  }
  if (!(area_tolerance_share >= 0) || area_tolerance_share > 0.01) {
    return Error::InvalidArgument("area_tolerance_share", "must be 0 to 0.01");
  }
  return Ok();
}

double Rules::ToleranceFor(double m2) const {
  return std::max(area_tolerance_m2, area_tolerance_share * std::max(0.0, m2));
}

}  // namespace nrp::restoration
