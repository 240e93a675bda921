// The figures of restoration's rules that configuration may set, with their defaults. None of
// them is a statutory period: the plans (shared/seeds/notes) and domain.md fix the flow and
// the yields, not a number of days, so each default below is the platform's and a province
// may set its own within the range Validate() allows.
#pragma once

#include "nrp/core/status.h"

namespace nrp::restoration {

struct Rules {
  // Days from the closure, cancellation or lapse of a mine to the due date of the obligation
  // it leaves (NRP_RESTORATION_OBLIGATION_DUE_DAYS).
  int obligation_due_days = 365;
  // How far a claimed area may differ from the area of its geometry (on the ellipsoid):
  // the larger of an absolute figure and a share of the geometry's area. Survey drawings are
  // exact to well under a square metre; the tolerance absorbs rounding, not survey error.
  double area_tolerance_m2 = 1.0;
  double area_tolerance_share = 0.001;

  static Rules Defaults() { return {}; }
  // INVALID_ARGUMENT naming the first field out of range.
  Status Validate() const;
  // The tolerance for an area of `m2`.
  double ToleranceFor(double m2) const;
};

}  // namespace nrp::restoration
