#include "nrp/nrpctl/zone_import.h"

#include <nlohmann/json.hpp>

#include "nrp/core/uuid.h"
#include "nrp/nrpctl/dynamic.h"
#include "nrp/planning/v1/planning.pb.h"

namespace nrp::nrpctl {
namespace {

using Json = nlohmann::json;
namespace planning = nrp::planning::v1;

std::string Text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Outcome<planning::Zone> FeatureToZone(const Json& feature, size_t index,
                                      const ZoneImportOptions& options) {
  std::string where = "feature #" + std::to_string(index + 1);
  if (!feature.is_object() || feature.value("type", "") != "Feature") {
    return Failure::Usage(where + " is not a GeoJSON Feature");
  }
  Json properties = Json::object();
  if (auto p = feature.find("properties"); p != feature.end() && p->is_object()) properties = *p;
  planning::Zone zone;
  if (auto id = properties.find(options.id_property);
      id != properties.end() && !id->is_null() && !Text(*id).empty()) {
    zone.set_zone_id(Text(*id));
  } else if (auto fid = feature.find("id"); fid != feature.end() && !fid->is_null()) {
    zone.set_zone_id(Text(*fid));
  } else {
    return Failure::Usage(where + " has no zone id (set the feature's \"id\" or properties." +
                          options.id_property + ")");
  }
  where += " (" + zone.zone_id() + ")";
  auto geometry = feature.find("geometry");
  if (geometry == feature.end() || !geometry->is_object() || !geometry->contains("type")) {
    return Failure::Usage(where + " has no geometry object");
  }
  zone.mutable_geometry()->set_encoding(nrp::common::v1::GEOMETRY_ENCODING_GEOJSON);
  zone.mutable_geometry()->set_text(geometry->dump(-1, ' ', false, Json::error_handler_t::replace));
  zone.mutable_geometry()->set_srid(options.srid);
  if (auto name = properties.find("name"); name != properties.end() && !name->is_null()) {
    zone.set_name(Text(*name));
  }
  std::string level = options.control_level;
  if (auto l = properties.find("control_level"); l != properties.end() && !l->is_null()) {
    level = Text(*l);
  }
  if (!level.empty()) {
    auto v = ParseEnum(nrp::common::v1::ZoneControlLevel_descriptor(), level);
    if (!v.ok()) return Failure::Usage(where + ": " + v.failure().error.message());
    zone.set_control_level(static_cast<nrp::common::v1::ZoneControlLevel>(v.value()->number()));
  }
  zone.set_region_code(options.region_code);
  if (auto r = properties.find("region_code"); r != properties.end() && !r->is_null()) {
    zone.set_region_code(Text(*r));
  }
  for (auto it = properties.begin(); it != properties.end(); ++it) {
    const std::string& k = it.key();
    if (k == options.id_property || k == "name" || k == "control_level" || k == "region_code" ||
        it->is_null()) {
      continue;
    }
    (*zone.mutable_attributes())[k] = Text(*it);
  }
  return zone;
}

}  // namespace

Outcome<std::vector<std::unique_ptr<google::protobuf::Message>>> ZoneImportRequests(
    std::string_view geojson, const ZoneImportOptions& options) {
  Json doc = Json::parse(geojson.begin(), geojson.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Failure::Usage("the zones file is not valid JSON");
  std::vector<Json> features;
  if (doc.is_object() && doc.value("type", "") == "FeatureCollection" && doc.contains("features") &&
      doc["features"].is_array()) {
    for (const auto& f : doc["features"]) features.push_back(f);
  } else if (doc.is_object() && doc.value("type", "") == "Feature") {
    features.push_back(doc);
  } else {
    return Failure::Usage("the zones file is not a GeoJSON FeatureCollection");
  }
  if (features.empty()) return Failure::Usage("the FeatureCollection has no features");
  if (options.layer_id.empty()) return Failure::Usage("--layer is required");
  if (options.version <= 0)
    return Failure::Usage("--version must name the draft version (1, 2, …)");

  std::string request_id = options.request_id.empty() ? NewUuidV4() : options.request_id;
  std::vector<std::unique_ptr<google::protobuf::Message>> out;
  auto start_chunk = [&]() {
    auto r = std::make_unique<planning::ImportZonesRequest>();
    r->set_request_id(request_id);
    r->set_layer_id(options.layer_id);
    r->set_version(options.version);
    out.push_back(std::move(r));
    return static_cast<planning::ImportZonesRequest*>(out.back().get());
  };
  planning::ImportZonesRequest* chunk = nullptr;
  size_t chunk_bytes = 0;
  for (size_t i = 0; i < features.size(); ++i) {
    NRPCTL_ASSIGN_OR_RETURN(planning::Zone zone, FeatureToZone(features[i], i, options));
    size_t bytes = zone.ByteSizeLong();
    if (chunk == nullptr || static_cast<size_t>(chunk->zones_size()) >= options.chunk_zones ||
        (chunk->zones_size() > 0 && chunk_bytes + bytes > options.chunk_bytes)) {
      chunk = start_chunk();
      chunk_bytes = 0;
    }
    *chunk->add_zones() = std::move(zone);
    chunk_bytes += bytes;
  }
  return out;
}

}  // namespace nrp::nrpctl
