// The planning service's own settings (NRP_PLANNING_*), each with the value
// domain.md implies as default. The shared settings (database, Redis, Kafka,
// gRPC, auth) are read by libs/service.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "domain/conflict_rules.h"
#include "domain/indicator.h"
#include "nrp/core/config.h"
#include "nrp/geo/input_check.h"

namespace nrp::planning {

struct PlanningConfig {
  // Largest event (payload plus envelope) a zone may produce; a zone whose
  // ZonePublished would be larger is refused at import. librdkafka's default
  // message.max.bytes is 1 000 000; raise both together.
  int64_t max_event_bytes = 900000;
  // Bytes reserved for the CloudEvents headers and the Kafka record.
  int64_t event_envelope_bytes = 2048;
  // Zones in one ImportZones stream.
  int64_t max_import_zones = 200000;
  // Cheap geometry limits before PostGIS (libs/geo).
  geo::GeometryLimits geometry_limits;
  ConflictOptions conflict;
  ProgressOptions progress;
  // How long a conflict-check result stays in Redis (the key names the layer
  // versions, so a new version misses anyway).
  std::chrono::milliseconds check_cache_ttl{std::chrono::minutes(10)};
  // How often every indicator's status is recomputed (time moves the
  // trajectory even without new values).
  std::chrono::milliseconds recompute_interval{std::chrono::hours(1)};
  // Folder of the plan reference data (plans/*.json).
  std::string data_dir;
  // Hours added to UTC to get the civil date values are "as of" (China Standard Time).
  int utc_offset_hours = 8;

  // NRP_PLANNING_MAX_EVENT_BYTES, NRP_PLANNING_MAX_IMPORT_ZONES,
  // NRP_PLANNING_MAX_VERTICES, NRP_PLANNING_URBAN_ONLY_IN_BOUNDARY,
  // NRP_PLANNING_OPEN_PIT_ONLY_IN_KEY_ZONES, NRP_PLANNING_AT_RISK_TOLERANCE,
  // NRP_PLANNING_EQUAL_TOLERANCE, NRP_PLANNING_CHECK_CACHE_TTL,
  // NRP_PLANNING_RECOMPUTE_INTERVAL, NRP_PLANNING_DATA_DIR. Problems are
  // recorded in `env`.
  static PlanningConfig FromEnv(Env& env);
};

// Where the shipped reference data is: the installed folder when present,
// else the source tree's services/planning/data.
std::string DefaultDataDir();

}  // namespace nrp::planning
