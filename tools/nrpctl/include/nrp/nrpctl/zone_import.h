// `nrpctl planning import-zones`: a GeoJSON FeatureCollection (RFC 7946) as
// the ImportZones stream of planning. Each feature becomes one zone:
//   zone_id        properties[id_property] (default "zone_id"), else the feature's "id"
//   name           properties.name
//   control_level  properties.control_level (e.g. "core_protection"), else --control-level
//   region_code    properties.region_code, else --region
//   geometry       the feature's geometry object as GeoJSON text (srid --srid)
//   attributes     every other property, as text
// Zones are sent in chunks of at most `chunk_zones` zones and about
// `chunk_bytes` bytes (the service takes messages up to 4 MiB).
#pragma once

#include <google/protobuf/message.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/nrpctl/context.h"

namespace nrp::nrpctl {

struct ZoneImportOptions {
  std::string layer_id;
  int64_t version = 0;
  std::string request_id;  // empty: a fresh UUID
  std::string id_property = "zone_id";
  std::string region_code;
  std::string control_level;
  int32_t srid = 0;
  size_t chunk_zones = 500;
  size_t chunk_bytes = 3u << 20;
};

// The ImportZones request messages for `geojson`; a usage failure names the
// feature (by position) that cannot become a zone.
Outcome<std::vector<std::unique_ptr<google::protobuf::Message>>> ZoneImportRequests(
    std::string_view geojson, const ZoneImportOptions& options);

}  // namespace nrp::nrpctl
