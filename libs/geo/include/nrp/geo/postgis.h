// A caller's geometry read by PostGIS, written once for every service: the SQL that turns the
// contract's (encoding, text) pair (nrp.common.v1.Geometry: WKT, EWKT or GeoJSON) into a
// geometry in EPSG:4490 (CGCS2000), and the check that it is a valid polygon or multipolygon
// with its area on the ellipsoid. A geometry PostGIS cannot read, or reads as invalid, is
// INVALID_ARGUMENT naming the caller's field with PostGIS's reason.
#pragma once

#include <pqxx/pqxx>
#include <string>

#include "nrp/core/status.h"

namespace nrp::geo {

// "(CASE WHEN <enc>::integer = 2 THEN ST_SetSRID(ST_GeomFromGeoJSON(<text>), 4490) …)" for
// the statement parameters `enc` and `text` ("$1", "$2").
std::string GeometryFromContract(const std::string& enc, const std::string& text);

struct Polygonal {
  double area_m2 = 0;    // on the ellipsoid
  std::string hex_ewkb;  // the geometry as ST_AsHexEWKB gives it, for later statements
};

// Reads the geometry inside `tx` (in a subtransaction, so a refusal leaves `tx` usable).
Result<Polygonal> ReadPolygonal(pqxx::work& tx, int encoding, const std::string& text,
                                const std::string& field);

}  // namespace nrp::geo
