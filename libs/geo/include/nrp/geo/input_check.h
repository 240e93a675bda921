// Cheap checks of caller geometry before PostGIS does the real validation
// (ST_IsValid): syntax, coordinate ranges of CGCS2000 (EPSG:4490, longitude
// then latitude), a plausibility box around China that catches swapped axes
// and projected coordinates sent as degrees, ring closure and size limits.
#pragma once

#include <string>
#include <string_view>

#include "nrp/core/status.h"

namespace nrp::geo {

struct GeometryLimits {
  // Total vertices in one geometry.
  size_t max_vertices = 100000;
  // Rings (outer + holes) over all polygons.
  size_t max_rings = 10000;
  // Plausibility box (degrees); the default covers China's land and sea areas.
  double min_lon = 73.0, max_lon = 136.0, min_lat = 3.0, max_lat = 54.0;
};

struct GeometrySummary {
  std::string type;  // "POLYGON", "MULTIPOLYGON", "POINT", "LINESTRING", "MULTILINESTRING", "MULTIPOINT"
  size_t vertices = 0;
  size_t rings = 0;
  double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
};

// WKT (optionally "SRID=4490;" prefixed). INVALID_ARGUMENT naming `field`
// and the position of the first problem.
Result<GeometrySummary> CheckWkt(std::string_view wkt, std::string_view field,
                                 const GeometryLimits& limits = {});
// GeoJSON geometry object text (Point … MultiPolygon).
Result<GeometrySummary> CheckGeoJson(std::string_view json, std::string_view field,
                                     const GeometryLimits& limits = {});
// SRID must be 4490 (CGCS2000) — or 0, meaning the default 4490.
Status CheckSrid(int srid, std::string_view field);

}  // namespace nrp::geo
