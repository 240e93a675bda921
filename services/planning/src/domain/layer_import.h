// Importing a zone layer from GeoJSON: the cheap per-feature checks done
// before PostGIS validates the geometry (ST_IsValid), and the difference
// between two versions of a layer, which decides the per-zone change events.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/zone.h"
#include "nrp/core/status.h"
#include "nrp/geo/input_check.h"

namespace nrp::planning {

// One zone as read from a GeoJSON Feature.
struct ZoneFeature {
  size_t index = 0;                             // position in the import, from 0
  std::string code;                             // Feature "id", or properties.zone_code
  std::string name;                             // properties.name (defaults to the code)
  ControlLevel level = ControlLevel::kUniform;  // properties.control_level
  std::string geometry_json;                    // the Feature's geometry object, compact
  // The other properties, as text (numbers and booleans as JSON writes them).
  std::map<std::string, std::string> attributes;
  geo::GeometrySummary summary;
};

// "features[12] (id HN-0012)" — how refusals name a feature.
std::string FeatureLabel(size_t index, std::string_view code);

// Reads a GeoJSON FeatureCollection, a single Feature, or a JSON array of
// Features. `first_index` numbers the features across the chunks of a
// streamed import. Each feature must have an id (Feature "id" or
// properties.zone_code), a Polygon or MultiPolygon geometry that passes the
// cheap coordinate checks of libs/geo, and a control level valid for `kind`
// (properties.control_level, by name or in Chinese; uniform layers may omit
// it). Other properties become the zone's attributes. Every refusal is INVALID_ARGUMENT naming the
// feature and the reason; all refusals of the chunk are listed as field violations.
Result<std::vector<ZoneFeature>> ParseFeatures(std::string_view geojson, size_t first_index,
                                               LayerKind kind,
                                               const geo::GeometryLimits& limits = {});

// One INVALID_ARGUMENT for several refused features: the first one's
// message (prefixed "N features refused; first: " when there are more) and
// up to `max_listed` field violations.
Error CombineRefusals(const std::vector<Error>& refusals, size_t max_listed = 100);

// The difference between the zones of the current version and of a new one,
// by zone code, comparing each zone's digest (attributes and geometry).
struct LayerDiff {
  std::vector<std::string> added;
  std::vector<std::string> changed;
  std::vector<std::string> removed;
  size_t unchanged = 0;
  bool empty() const { return added.empty() && changed.empty() && removed.empty(); }
};
LayerDiff DiffVersions(const std::map<std::string, std::string>& current,
                       const std::map<std::string, std::string>& next);

}  // namespace nrp::planning
