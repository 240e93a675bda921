// The calendar a deadline was counted with, as the contract carries it
// (nrp.common.v1.DeadlineCalendar). Pure conversion, usable from domain code.
#pragma once

#include "nrp/common/v1/date.pb.h"
#include "nrp/core/calendar.h"

namespace nrp::service {

inline void FillCalendar(const CalendarBasis& basis, common::v1::DeadlineCalendar* out) {
  out->Clear();
  out->set_label(basis.label);
  out->set_provisional(basis.provisional());
  for (int y : basis.provisional_years) out->add_provisional_years(y);
}

}  // namespace nrp::service
