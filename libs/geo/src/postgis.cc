#include "nrp/geo/postgis.h"

namespace nrp::geo {

std::string GeometryFromContract(const std::string& enc, const std::string& text) {
  return "(CASE WHEN " + enc + "::integer = 2 THEN ST_SetSRID(ST_GeomFromGeoJSON(" + text +
         "), 4490) WHEN " + text + " LIKE 'SRID=%' THEN ST_SetSRID(ST_GeomFromEWKT(" + text +
         "), 4490) ELSE ST_GeomFromText(" + text + ", 4490) END)";
}

Result<Polygonal> ReadPolygonal(pqxx::work& tx, int encoding, const std::string& text,
                                const std::string& field) {
  try {
    pqxx::subtransaction sub(tx, "read_geometry");
    auto r = sub.exec_params1("WITH g AS (SELECT " + GeometryFromContract("$1", "$2") +
                                  " AS geom) SELECT ST_IsValid(geom), ST_IsValidReason(geom), "
                                  "ST_Area(geography(geom)), ST_Dimension(geom), "
                                  "ST_AsHexEWKB(geom) FROM g",
                              encoding, text);
    sub.commit();
    if (!r[0].as<bool>()) {
      return Error::InvalidArgument(field, std::string("invalid geometry: ") + r[1].c_str());
    }
    if (r[3].as<int>() != 2) {
      return Error::InvalidArgument(field, "must be a polygon or multipolygon");
    }
    return Polygonal{r[2].as<double>(), r[4].c_str()};
  } catch (const pqxx::data_exception& e) {
    return Error::InvalidArgument(
        field, std::string("PostGIS could not read it: ") + std::string(e.what()).substr(0, 200));
  } catch (const pqxx::sql_error& e) {
    // PostGIS parse errors are raised as XX000 internal errors.
    if (std::string(e.sqlstate()) == "XX000") {
      std::string what = e.what();
      if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
      return Error::InvalidArgument(field, "PostGIS could not read it: " + what.substr(0, 200));
    }
    throw;
  }
}

}  // namespace nrp::geo
