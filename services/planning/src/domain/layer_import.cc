#include "domain/layer_import.h"

#include <nlohmann/json.hpp>
#include <set>

namespace nrp::planning {

using nlohmann::json;

std::string FeatureLabel(size_t index, std::string_view code) {
  std::string out = "features[" + std::to_string(index) + "]";
  if (!code.empty()) {
    out += " (id ";
    out += code;
    out += ")";
  }
  return out;
}

namespace {

std::string IdText(const json& id) {
  if (id.is_string()) return id.get<std::string>();
  if (id.is_number_integer()) return std::to_string(id.get<long long>());
  return "";
}

Result<ZoneFeature> ReadFeature(const json& f, size_t index, LayerKind kind,
                                const geo::GeometryLimits& limits) {
  ZoneFeature z;
  z.index = index;
  if (!f.is_object() || f.value("type", "") != "Feature") {
    return Error::InvalidArgument(FeatureLabel(index, ""), "is not a GeoJSON Feature");
  }
  const json* props = nullptr;
  if (auto p = f.find("properties"); p != f.end() && p->is_object()) props = &*p;
  if (auto id = f.find("id"); id != f.end()) z.code = IdText(*id);
  if (z.code.empty() && props) {
    if (auto c = props->find("zone_code"); c != props->end()) z.code = IdText(*c);
  }
  const std::string label = FeatureLabel(index, z.code);
  if (z.code.empty()) {
    return Error::InvalidArgument(label, "has no id (Feature \"id\" or properties.zone_code)");
  }
  if (auto st = CheckZoneCode(z.code, label + ".id"); !st.ok()) return st.error();
  z.name = z.code;
  if (props) {
    if (auto n = props->find("name");
        n != props->end() && n->is_string() && !n->get<std::string>().empty()) {
      z.name = n->get<std::string>();
    }
  }
  if (z.name.size() > 200)
    return Error::InvalidArgument(label + ".properties.name", "is longer than 200 bytes");
  const json* level = nullptr;
  if (props) {
    if (auto l = props->find("control_level"); l != props->end() && !l->is_null()) level = &*l;
  }
  if (level == nullptr) {
    if (LevelsOf(kind).size() != 1) {
      return Error::InvalidArgument(label + ".properties.control_level",
                                    "is required in a " + std::string(Name(kind)) + " layer");
    }
    z.level = LevelsOf(kind).front();
  } else {
    if (!level->is_string()) {
      return Error::InvalidArgument(label + ".properties.control_level", "must be a string");
    }
    NRP_ASSIGN_OR_RETURN(
        z.level, ParseControlLevel(level->get<std::string>(), label + ".properties.control_level"));
    NRP_RETURN_IF_ERROR(CheckLevel(kind, z.level, label + ".properties.control_level"));
  }
  if (props) {
    for (const auto& [key, value] : props->items()) {
      if (key == "name" || key == "zone_code" || key == "control_level" || value.is_null())
        continue;
      z.attributes[key] = value.is_string() ? value.get<std::string>() : value.dump();
    }
  }
  auto g = f.find("geometry");
  if (g == f.end() || !g->is_object()) {
    return Error::InvalidArgument(label + ".geometry", "is missing");
  }
  z.geometry_json = g->dump();
  NRP_ASSIGN_OR_RETURN(z.summary, geo::CheckGeoJson(z.geometry_json, label + ".geometry", limits));
  if (z.summary.type != "POLYGON" && z.summary.type != "MULTIPOLYGON") {
    return Error::InvalidArgument(
        label + ".geometry", "a zone must be a Polygon or MultiPolygon, got " + z.summary.type);
  }
  return z;
}

}  // namespace

Error CombineRefusals(const std::vector<Error>& refusals, size_t max_listed) {
  Error out(Code::kInvalidArgument, refusals.front().message());
  if (refusals.size() > 1) {
    out.Prefix(std::to_string(refusals.size()) + " features refused; first");
  }
  size_t listed = 0;
  for (const Error& e : refusals) {
    for (const auto& v : e.field_violations()) {
      if (listed++ < max_listed) out.AddField(v.field, v.description);
    }
  }
  return out;
}

Result<std::vector<ZoneFeature>> ParseFeatures(std::string_view geojson, size_t first_index,
                                               LayerKind kind, const geo::GeometryLimits& limits) {
  json doc = json::parse(geojson.begin(), geojson.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Error::InvalidArgument("geojson", "is not valid JSON");
  }
  const json* list = nullptr;
  json single = json::array();
  if (doc.is_array()) {
    list = &doc;
  } else if (doc.is_object() && doc.value("type", "") == "FeatureCollection") {
    auto f = doc.find("features");
    if (f == doc.end() || !f->is_array()) {
      return Error::InvalidArgument("geojson.features", "must be an array");
    }
    list = &*f;
  } else if (doc.is_object() && doc.value("type", "") == "Feature") {
    single.push_back(std::move(doc));
    list = &single;
  } else {
    return Error::InvalidArgument("geojson",
                                  "must be a FeatureCollection, a Feature or an array of Features");
  }
  std::vector<ZoneFeature> out;
  out.reserve(list->size());
  std::vector<Error> refusals;
  std::set<std::string> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    auto z = ReadFeature((*list)[i], first_index + i, kind, limits);
    if (z.ok() && !seen.insert(z->code).second) {
      z = Error::InvalidArgument(FeatureLabel(first_index + i, z->code),
                                 "repeats an id used by an earlier feature");
    }
    if (!z.ok()) {
      refusals.push_back(std::move(z.error()));
      continue;
    }
    out.push_back(std::move(*z));
  }
  if (refusals.empty()) return out;
  return CombineRefusals(refusals);
}

LayerDiff DiffVersions(const std::map<std::string, std::string>& current,
                       const std::map<std::string, std::string>& next) {
  LayerDiff d;
  for (const auto& [code, digest] : next) {
    auto it = current.find(code);
    if (it == current.end()) {
      d.added.push_back(code);
    } else if (it->second != digest) {
      d.changed.push_back(code);
    } else {
      ++d.unchanged;
    }
  }
  for (const auto& [code, digest] : current) {
    if (!next.count(code)) d.removed.push_back(code);
  }
  return d;
}

}  // namespace nrp::planning
