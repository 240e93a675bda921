#include "app/config.h"

#include <filesystem>

namespace nrp::planning {

std::string DefaultDataDir() {
  namespace fs = std::filesystem;
  for (const char* dir : {"/usr/share/nrp/planning", "/usr/local/share/nrp/planning"}) {
    if (fs::exists(fs::path(dir) / "plans")) return dir;
  }
  return NRP_PLANNING_SOURCE_DATA_DIR;
}

PlanningConfig PlanningConfig::FromEnv(Env& env) {
  PlanningConfig c;
  c.max_event_bytes = env.Int("NRP_PLANNING_MAX_EVENT_BYTES", c.max_event_bytes, 16384, 1LL << 30);
  c.max_import_zones = env.Int("NRP_PLANNING_MAX_IMPORT_ZONES", c.max_import_zones, 1, 10000000);
  c.geometry_limits.max_vertices = static_cast<size_t>(
      env.Int("NRP_PLANNING_MAX_VERTICES", static_cast<int64_t>(c.geometry_limits.max_vertices), 4,
              100000000));
  c.conflict.urban_construction_only_in_boundary = env.Bool(
      "NRP_PLANNING_URBAN_ONLY_IN_BOUNDARY", c.conflict.urban_construction_only_in_boundary);
  c.conflict.open_pit_only_in_key_zones =
      env.Bool("NRP_PLANNING_OPEN_PIT_ONLY_IN_KEY_ZONES", c.conflict.open_pit_only_in_key_zones);
  c.progress.at_risk_tolerance =
      env.Double("NRP_PLANNING_AT_RISK_TOLERANCE", c.progress.at_risk_tolerance, 0.0, 1.0);
  c.progress.equal_tolerance =
      env.Double("NRP_PLANNING_EQUAL_TOLERANCE", c.progress.equal_tolerance, 0.0, 0.5);
  c.check_cache_ttl = env.Duration("NRP_PLANNING_CHECK_CACHE_TTL", c.check_cache_ttl);
  c.recompute_interval = env.Duration("NRP_PLANNING_RECOMPUTE_INTERVAL", c.recompute_interval);
  c.data_dir = env.String("NRP_PLANNING_DATA_DIR", DefaultDataDir());
  return c;
}

}  // namespace nrp::planning
