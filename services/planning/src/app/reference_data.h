// Loads the plans of the reference data folder (plans/*.json: the indicator
// tables of the five plans in shared/seeds) at start: each plan is put in
// force and its indicators are created, or refreshed when the files changed
// (their progress is kept).
#pragma once

#include <string>

#include "nrp/core/clock.h"
#include "nrp/core/status.h"
#include "nrp/db/pool.h"

namespace nrp::planning::app {

struct LoadReport {
  int plans = 0;
  int indicators = 0;
};

// INVALID_ARGUMENT naming the file and field of a malformed file; nothing is
// loaded then.
Result<LoadReport> LoadReferenceData(db::Pool& pool, const std::string& data_dir,
                                     const Clock& clock);

}  // namespace nrp::planning::app
