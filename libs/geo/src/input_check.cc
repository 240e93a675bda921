#include "nrp/geo/input_check.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <vector>

namespace nrp::geo {
namespace {

struct Point {
  double lon, lat;
};

// A parenthesised list: either coordinates (innermost) or sub-lists.
struct Node {
  std::vector<Node> children;
  std::vector<Point> coords;
};

class WktParser {
 public:
  WktParser(std::string_view text, std::string field) : s_(text), field_(std::move(field)) {}

  Error Fail(const std::string& why) const {
    if (pos_ >= s_.size()) return Error::InvalidArgument(field_, why + " at the end of the text");
    return Error::InvalidArgument(field_, why + " at character " + std::to_string(pos_ + 1));
  }
  void Skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool Eat(char c) {
    Skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string Word() {
    Skip();
    size_t b = pos_;
    while (pos_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    std::string w(s_.substr(b, pos_ - b));
    for (auto& c : w) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return w;
  }
  bool Number(double* out) {
    Skip();
    size_t b = pos_;
    while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) ||
                                s_[pos_] == '.' || s_[pos_] == '-' || s_[pos_] == '+' ||
                                s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
    }
    if (b == pos_) return false;
    std::string num(s_.substr(b, pos_ - b));
    char* end = nullptr;
    *out = std::strtod(num.c_str(), &end);
    return end == num.c_str() + num.size() && std::isfinite(*out);
  }
  // Parses "( … )"; `depth` 1 means a coordinate list.
  Result<Node> List(int depth, size_t* vertices, size_t max_vertices) {
    Node n;
    if (!Eat('(')) return Fail("expected '('");
    do {
      if (depth == 1) {
        Point p;
        // MULTIPOINT may wrap each point in parentheses.
        bool wrapped = Eat('(');
        if (!Number(&p.lon)) return Fail("expected a longitude");
        if (!Number(&p.lat)) return Fail("expected a latitude");
        double extra;
        size_t save = pos_;
        if (Number(&extra)) {
          pos_ = save;
          return Fail("only 2D coordinates (longitude latitude) are accepted");
        }
        if (wrapped && !Eat(')')) return Fail("expected ')'");
        n.coords.push_back(p);
        if (++*vertices > max_vertices) {
          return Error::InvalidArgument(field_, "more than " + std::to_string(max_vertices) +
                                                    " vertices");
        }
      } else {
        NRP_ASSIGN_OR_RETURN(Node child, List(depth - 1, vertices, max_vertices));
        n.children.push_back(std::move(child));
      }
    } while (Eat(','));
    if (!Eat(')')) return Fail("expected ',' or ')'");
    return n;
  }
  bool AtEnd() {
    Skip();
    return pos_ == s_.size();
  }
  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }

 private:
  std::string_view s_;
  std::string field_;
  size_t pos_ = 0;
};

class Checker {
 public:
  Checker(std::string field, const GeometryLimits& limits) : field_(std::move(field)), l_(limits) {}

  Status Coord(const Point& p) {
    ++index_;
    std::string where = "coordinate " + std::to_string(index_) + " (" + Fmt(p.lon) + " " +
                        Fmt(p.lat) + ")";
    if (p.lon < -180 || p.lon > 180 || p.lat < -90 || p.lat > 90) {
      std::string hint = (p.lat > 90 || p.lat < -90) && p.lon >= -90 && p.lon <= 90
                             ? " — are longitude and latitude swapped?"
                             : " — EPSG:4490 takes degrees of longitude then latitude";
      return Error::InvalidArgument(field_, where + " is outside -180..180, -90..90" + hint);
    }
    if (p.lon < l_.min_lon || p.lon > l_.max_lon || p.lat < l_.min_lat || p.lat > l_.max_lat) {
      std::string hint = (p.lat >= l_.min_lon && p.lat <= l_.max_lon && p.lon >= l_.min_lat &&
                          p.lon <= l_.max_lat)
                             ? " — are longitude and latitude swapped?"
                             : "";
      return Error::InvalidArgument(field_, where + " lies outside the service area " +
                                                Fmt(l_.min_lon) + ".." + Fmt(l_.max_lon) + "E, " +
                                                Fmt(l_.min_lat) + ".." + Fmt(l_.max_lat) + "N" +
                                                hint);
    }
    if (first_) {
      s_.min_lon = s_.max_lon = p.lon;
      s_.min_lat = s_.max_lat = p.lat;
      first_ = false;
    } else {
      s_.min_lon = std::min(s_.min_lon, p.lon);
      s_.max_lon = std::max(s_.max_lon, p.lon);
      s_.min_lat = std::min(s_.min_lat, p.lat);
      s_.max_lat = std::max(s_.max_lat, p.lat);
    }
    ++s_.vertices;
    return Ok();
  }

  Status Ring(const std::vector<Point>& ring, size_t polygon, size_t ring_index) {
    std::string where = "polygon " + std::to_string(polygon + 1) + " ring " +
                        std::to_string(ring_index + 1);
    if (ring.size() < 4) {
      return Error::InvalidArgument(field_, where + " has " + std::to_string(ring.size()) +
                                                " points; a ring needs at least 4");
    }
    if (ring.front().lon != ring.back().lon || ring.front().lat != ring.back().lat) {
      return Error::InvalidArgument(field_, where + " is not closed (first point ≠ last point)");
    }
    if (++s_.rings > l_.max_rings) {
      return Error::InvalidArgument(field_, "more than " + std::to_string(l_.max_rings) +
                                                " rings");
    }
    for (const auto& p : ring) NRP_RETURN_IF_ERROR(Coord(p));
    return Ok();
  }

  Status Line(const std::vector<Point>& line) {
    if (line.size() < 2) return Error::InvalidArgument(field_, "a line needs at least 2 points");
    for (const auto& p : line) NRP_RETURN_IF_ERROR(Coord(p));
    return Ok();
  }

  GeometrySummary& summary() { return s_; }

 private:
  static std::string Fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
  }
  std::string field_;
  const GeometryLimits& l_;
  GeometrySummary s_;
  size_t index_ = 0;
  bool first_ = true;
};

}  // namespace

Status CheckSrid(int srid, std::string_view field) {
  if (srid == 0 || srid == 4490) return Ok();
  return Error::InvalidArgument(std::string(field),
                                "SRID " + std::to_string(srid) +
                                    " is not accepted; send CGCS2000 coordinates (EPSG:4490)");
}

Result<GeometrySummary> CheckWkt(std::string_view wkt, std::string_view field,
                                 const GeometryLimits& limits) {
  std::string f(field);
  if (wkt.size() > 64 * 1024 * 1024) return Error::InvalidArgument(f, "geometry text too large");
  if (wkt.rfind("SRID=", 0) == 0) {
    auto semi = wkt.find(';');
    if (semi == std::string_view::npos) return Error::InvalidArgument(f, "SRID prefix without ';'");
    int srid = std::atoi(std::string(wkt.substr(5, semi - 5)).c_str());
    NRP_RETURN_IF_ERROR(CheckSrid(srid, field));
    wkt = wkt.substr(semi + 1);
  }
  WktParser p(wkt, f);
  std::string type = p.Word();
  if (type.empty()) return p.Fail("expected a geometry type such as POLYGON");
  size_t save = p.pos();
  std::string dim = p.Word();
  if (dim == "Z" || dim == "M" || dim == "ZM") {
    return Error::InvalidArgument(f, "only 2D geometries are accepted, got " + type + " " + dim);
  }
  if (dim == "EMPTY") return Error::InvalidArgument(f, "geometry is empty");
  p.set_pos(save);
  Checker c(f, limits);
  c.summary().type = type;
  size_t vertices = 0;
  if (type == "POINT") {
    NRP_ASSIGN_OR_RETURN(Node n, p.List(1, &vertices, limits.max_vertices));
    if (n.coords.size() != 1) return Error::InvalidArgument(f, "a POINT has one coordinate");
    NRP_RETURN_IF_ERROR(c.Coord(n.coords[0]));
  } else if (type == "MULTIPOINT") {
    NRP_ASSIGN_OR_RETURN(Node n, p.List(1, &vertices, limits.max_vertices));
    for (const auto& pt : n.coords) NRP_RETURN_IF_ERROR(c.Coord(pt));
  } else if (type == "LINESTRING") {
    NRP_ASSIGN_OR_RETURN(Node n, p.List(1, &vertices, limits.max_vertices));
    NRP_RETURN_IF_ERROR(c.Line(n.coords));
  } else if (type == "MULTILINESTRING") {
    NRP_ASSIGN_OR_RETURN(Node n, p.List(2, &vertices, limits.max_vertices));
    for (const auto& l : n.children) NRP_RETURN_IF_ERROR(c.Line(l.coords));
  } else if (type == "POLYGON") {
    NRP_ASSIGN_OR_RETURN(Node n, p.List(2, &vertices, limits.max_vertices));
    for (size_t r = 0; r < n.children.size(); ++r) {
      NRP_RETURN_IF_ERROR(c.Ring(n.children[r].coords, 0, r));
    }
  } else if (type == "MULTIPOLYGON") {
    NRP_ASSIGN_OR_RETURN(Node n, p.List(3, &vertices, limits.max_vertices));
    for (size_t i = 0; i < n.children.size(); ++i) {
      for (size_t r = 0; r < n.children[i].children.size(); ++r) {
        NRP_RETURN_IF_ERROR(c.Ring(n.children[i].children[r].coords, i, r));
      }
    }
  } else {
    return Error::InvalidArgument(f, "unsupported geometry type '" + type + "'");
  }
  if (!p.AtEnd()) return p.Fail("unexpected text after the geometry");
  return c.summary();
}

Result<GeometrySummary> CheckGeoJson(std::string_view text, std::string_view field,
                                     const GeometryLimits& limits) {
  std::string f(field);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error::InvalidArgument(f, "not valid JSON");
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) {
    return Error::InvalidArgument(f, "a GeoJSON geometry needs a \"type\"");
  }
  if (!j.contains("coordinates") || !j["coordinates"].is_array()) {
    return Error::InvalidArgument(f, "a GeoJSON geometry needs \"coordinates\"");
  }
  std::string type = j["type"].get<std::string>();
  Checker c(f, limits);
  size_t vertices = 0;
  auto point = [&](const nlohmann::json& a) -> Result<Point> {
    if (!a.is_array() || a.size() != 2 || !a[0].is_number() || !a[1].is_number()) {
      return Error::InvalidArgument(f, "a position must be [longitude, latitude]");
    }
    if (++vertices > limits.max_vertices) {
      return Error::InvalidArgument(f, "more than " + std::to_string(limits.max_vertices) +
                                           " vertices");
    }
    return Point{a[0].get<double>(), a[1].get<double>()};
  };
  auto points = [&](const nlohmann::json& a) -> Result<std::vector<Point>> {
    if (!a.is_array()) return Error::InvalidArgument(f, "expected an array of positions");
    std::vector<Point> out;
    for (const auto& e : a) {
      NRP_ASSIGN_OR_RETURN(Point pt, point(e));
      out.push_back(pt);
    }
    return out;
  };
  const auto& co = j["coordinates"];
  if (type == "Point") {
    NRP_ASSIGN_OR_RETURN(Point pt, point(co));
    NRP_RETURN_IF_ERROR(c.Coord(pt));
    c.summary().type = "POINT";
  } else if (type == "MultiPoint" || type == "LineString") {
    NRP_ASSIGN_OR_RETURN(auto pts, points(co));
    if (type == "LineString") {
      NRP_RETURN_IF_ERROR(c.Line(pts));
    } else {
      for (const auto& pt : pts) NRP_RETURN_IF_ERROR(c.Coord(pt));
    }
    c.summary().type = type == "LineString" ? "LINESTRING" : "MULTIPOINT";
  } else if (type == "MultiLineString") {
    for (const auto& l : co) {
      NRP_ASSIGN_OR_RETURN(auto pts, points(l));
      NRP_RETURN_IF_ERROR(c.Line(pts));
    }
    c.summary().type = "MULTILINESTRING";
  } else if (type == "Polygon") {
    for (size_t r = 0; r < co.size(); ++r) {
      NRP_ASSIGN_OR_RETURN(auto ring, points(co[r]));
      NRP_RETURN_IF_ERROR(c.Ring(ring, 0, r));
    }
    c.summary().type = "POLYGON";
  } else if (type == "MultiPolygon") {
    for (size_t i = 0; i < co.size(); ++i) {
      if (!co[i].is_array()) return Error::InvalidArgument(f, "expected an array of rings");
      for (size_t r = 0; r < co[i].size(); ++r) {
        NRP_ASSIGN_OR_RETURN(auto ring, points(co[i][r]));
        NRP_RETURN_IF_ERROR(c.Ring(ring, i, r));
      }
    }
    c.summary().type = "MULTIPOLYGON";
  } else {
    return Error::InvalidArgument(f, "unsupported GeoJSON type '" + type + "'");
  }
  if (c.summary().vertices == 0) return Error::InvalidArgument(f, "geometry is empty");
  return c.summary();
}

}  // namespace nrp::geo
