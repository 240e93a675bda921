// What happens by the clock: bidding opens at its start, auctions and
// listings close at their end, overdue contract signing and payments raise
// their events once, and idle land is detected at the one- and two-year marks.
// Every replica may run it: each item is handled in its own transaction on
// the row it locks, with its state checked again under the lock, and every
// effect is guarded (marker columns, unique keys) so it happens once.
#pragma once

#include "app/operations.h"

namespace nrp::land_supply {

struct SchedulerReport {
  int bidding_opened = 0;
  int offers_closed = 0;
  int signing_overdue = 0;
  int payment_overdue = 0;
  int idle_cases_opened = 0;
  int failures = 0;
};

class Scheduler {
 public:
  explicit Scheduler(Operations& ops, int batch_size = 200) : ops_(ops), batch_(batch_size) {}
  // One pass over everything due by the runtime's clock.
  SchedulerReport RunOnce();

 private:
  Operations& ops_;
  int batch_;
};

}  // namespace nrp::land_supply
