// Zone layers, their versions, streamed import, publication and zones.
#include <algorithm>
#include <map>
#include <set>

#include "api/planning_api.h"
#include "convert/convert.h"
#include "domain/layer_import.h"
#include "nrp/core/log.h"
#include "nrp/db/transaction.h"
#include "nrp/geo/input_check.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/rpc/auth.h"
#include "nrp/rpc/interceptor.h"
#include "nrp/service/call.h"
#include "nrp/service/publish.h"
#include "store/zone_store.h"

namespace nrp::planning::api {

namespace {

std::string LayerIdFor(LayerKind kind, const std::string& region_code) {
  std::string name(Name(kind));
  std::replace(name.begin(), name.end(), '_', '-');
  return region_code + "-" + name;
}

Result<store::LayerRow> LoadLayer(pqxx::work& tx, const std::string& layer_id,
                                  bool for_update = false) {
  NRP_ASSIGN_OR_RETURN(auto layer, store::GetLayer(tx, layer_id, for_update));
  if (!layer) return Error::NotFound("layer " + layer_id + " does not exist");
  return *layer;
}

// Resolves "0 = current" and reads the version; NOT_FOUND when absent.
Result<store::VersionRow> LoadVersion(pqxx::work& tx, const store::LayerRow& layer,
                                      int64_t version) {
  if (version < 0) return Error::InvalidArgument("version", "must not be negative");
  if (version == 0) {
    if (layer.current_version == 0) {
      return Error::NotFound("layer " + layer.layer_id + " has no published version yet");
    }
    version = layer.current_version;
  }
  NRP_ASSIGN_OR_RETURN(auto v, store::GetVersion(tx, layer.layer_id, version));
  if (!v) {
    return Error::NotFound("layer " + layer.layer_id + " has no version " +
                           std::to_string(version));
  }
  return *v;
}

// The event a published zone becomes (also used at import to check its size).
v1::ZonePublished ZoneEvent(const store::LayerRow& layer, int64_t version, const store::ZoneRow& z,
                            v1::ZoneChange change, int64_t sequence) {
  v1::ZonePublished e;
  e.set_layer_id(layer.layer_id);
  e.set_region_code(layer.region_code);
  e.set_layer_kind(static_cast<common::ZoneLayerKind>(static_cast<int>(layer.kind)));
  e.set_layer_version(version);
  e.set_zone_id(z.zone_id);
  e.set_name(z.name);
  e.set_control_level(static_cast<common::ZoneControlLevel>(static_cast<int>(z.level)));
  e.mutable_geometry()->set_encoding(common::GEOMETRY_ENCODING_WKT);
  e.mutable_geometry()->set_text(z.wkt);
  e.mutable_geometry()->set_srid(4490);
  e.mutable_area()->set_square_metres(z.area_m2);
  for (const auto& [k, v] : z.attributes) (*e.mutable_attributes())[k] = v;
  e.set_zone_region_code(z.region_code);
  e.set_change(change);
  e.set_zone_digest(z.digest);
  e.set_sequence(sequence);
  return e;
}

struct ZoneCheck {
  store::ImportZone zone;
  std::string refusal;  // "<field>: <why>", empty when the cheap checks passed
};

// Cheap checks of one zone of an import (before PostGIS).
ZoneCheck CheckZone(const v1::Zone& in, size_t index, const store::LayerRow& layer,
                    const geo::GeometryLimits& limits) {
  ZoneCheck c;
  store::ImportZone& z = c.zone;
  z.index = index;
  z.zone_id = in.zone_id();
  auto refuse = [&](const Error& e) {
    c.refusal = e.message();
    return c;
  };
  if (auto st = CheckZoneCode(in.zone_id(), "zone_id"); !st.ok()) return refuse(st.error());
  z.name = in.name().empty() ? in.zone_id() : in.name();
  if (z.name.size() > 200)
    return refuse(Error::InvalidArgument("name", "is longer than 200 bytes"));
  auto level = ControlLevelFromNumber(in.control_level(), "control_level");
  if (!level.ok()) {
    // A uniform layer may leave the level unset.
    if (in.control_level() == 0 && LevelsOf(layer.kind).size() == 1) {
      level = LevelsOf(layer.kind).front();
    } else {
      return refuse(level.error());
    }
  }
  if (auto st = CheckLevel(layer.kind, *level, "control_level"); !st.ok())
    return refuse(st.error());
  z.level = *level;
  z.region_code = in.region_code().empty() ? layer.region_code : in.region_code();
  if (auto st = CheckRegionCode(z.region_code, "region_code"); !st.ok()) return refuse(st.error());
  if (!RegionContains(layer.region_code, z.region_code)) {
    return refuse(Error::InvalidArgument(
        "region_code", z.region_code + " lies outside the layer's region " + layer.region_code));
  }
  if (in.attributes_size() > 100)
    return refuse(Error::InvalidArgument("attributes", "more than 100 attributes"));
  for (const auto& [k, v] : in.attributes()) {
    if (k.empty() || k.size() > 64) {
      return refuse(Error::InvalidArgument("attributes", "keys must be 1 to 64 bytes"));
    }
    if (v.size() > 1000)
      return refuse(Error::InvalidArgument("attributes." + k, "is longer than 1000 bytes"));
    z.attributes[k] = v;
  }
  const auto& g = in.geometry();
  if (auto st = geo::CheckSrid(g.srid(), "geometry.srid"); !st.ok()) return refuse(st.error());
  Result<geo::GeometrySummary> summary = Error::InvalidArgument("geometry.encoding", "must be set");
  switch (g.encoding()) {
    case common::GEOMETRY_ENCODING_WKT:
      z.encoding = 1;
      summary = geo::CheckWkt(g.text(), "geometry", limits);
      break;
    case common::GEOMETRY_ENCODING_GEOJSON:
      z.encoding = 2;
      summary = geo::CheckGeoJson(g.text(), "geometry", limits);
      break;
    case common::GEOMETRY_ENCODING_UNSPECIFIED:
      break;
    default:
      summary = Error::InvalidArgument("geometry.encoding",
                                       "unknown encoding " + std::to_string(g.encoding()));
  }
  if (!summary.ok()) return refuse(summary.error());
  if (summary->type != "POLYGON" && summary->type != "MULTIPOLYGON") {
    return refuse(Error::InvalidArgument(
        "geometry", "a zone must be a Polygon or MultiPolygon, got " + summary->type));
  }
  z.text = g.text();
  return c;
}

}  // namespace

PlanningApi::PlanningApi(service::Runtime& runtime, const PlanningConfig& config,
                         app::ProgressEngine& progress)
    : rt_(runtime), config_(config), progress_(progress) {
  SetCacheNamespace("default");
}

void PlanningApi::SetCacheNamespace(const std::string& instance_id) {
  check_cache_ = std::make_unique<cache::ReadThroughCache>(
      rt_.redis(), "nrp:planning:" + instance_id + ":check:", config_.check_cache_ttl);
}

grpc::Status PlanningApi::CreateZoneLayer(grpc::ServerContext* ctx,
                                          const v1::CreateZoneLayerRequest* req,
                                          v1::ZoneLayer* resp) {
  return service::Serve<v1::ZoneLayer>(
      rt_, ctx, kWriteScope, kErrorDomain, resp,
      [&](const rpc::Caller& caller) -> Result<v1::ZoneLayer> {
        const auto& in = req->layer();
        NRP_ASSIGN_OR_RETURN(LayerKind kind, LayerKindFromNumber(in.kind(), "layer.kind"));
        NRP_RETURN_IF_ERROR(CheckRegionCode(in.region_code(), "layer.region_code"));
        if (in.name().empty() || in.name().size() > 200) {
          return Error::InvalidArgument("layer.name", "must be 1 to 200 bytes");
        }
        if (in.description().size() > 4000) {
          return Error::InvalidArgument("layer.description", "is longer than 4000 bytes");
        }
        NRP_RETURN_IF_ERROR(rpc::Authorize(caller, kWriteScope, in.region_code()));
        return service::Mutate<v1::ZoneLayer>(
            rt_, caller, {kServiceName, "CreateZoneLayer"}, req->request_id(), *req,
            [&](pqxx::work& tx, service::AuditSubject& audit) -> Result<v1::ZoneLayer> {
              store::LayerRow row;
              row.layer_id = LayerIdFor(kind, in.region_code());
              row.kind = kind;
              row.region_code = in.region_code();
              row.name = in.name();
              row.description = in.description();
              row.create_time = row.update_time = rt_.clock().Now();
              NRP_RETURN_IF_ERROR(store::InsertLayer(tx, row));
              NRP_ASSIGN_OR_RETURN(auto stored, LoadLayer(tx, row.layer_id));
              audit = {row.region_code, row.layer_id};
              return ToProto(stored);
            });
      });
}

grpc::Status PlanningApi::GetZoneLayer(grpc::ServerContext* ctx, const v1::GetZoneLayerRequest* req,
                                       v1::ZoneLayer* resp) {
  return service::Serve<v1::ZoneLayer>(
      rt_, ctx, kReadScope, kErrorDomain, resp, [&](const rpc::Caller&) -> Result<v1::ZoneLayer> {
        NRP_RETURN_IF_ERROR(CheckLayerId(req->layer_id(), "layer_id"));
        NRP_ASSIGN_OR_RETURN(auto row, db::Transact(rt_.db(), [&](pqxx::work& tx) {
                               return LoadLayer(tx, req->layer_id());
                             }));
        return ToProto(row);
      });
}

grpc::Status PlanningApi::ListZoneLayers(grpc::ServerContext* ctx,
                                         const v1::ListZoneLayersRequest* req,
                                         v1::ListZoneLayersResponse* resp) {
  return service::Serve<v1::ListZoneLayersResponse>(
      rt_, ctx, kReadScope, kErrorDomain, resp,
      [&](const rpc::Caller&) -> Result<v1::ListZoneLayersResponse> {
        NRP_ASSIGN_OR_RETURN(auto query, list::Parse(store::LayerList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto page, db::Transact(rt_.db(), [&](pqxx::work& tx) {
                               return store::ListLayers(tx, query);
                             }));
        v1::ListZoneLayersResponse out;
        for (const auto& l : page.items) *out.add_layers() = ToProto(l);
        out.set_next_page_token(page.next_page_token);
        return out;
      });
}

grpc::Status PlanningApi::CreateLayerVersion(grpc::ServerContext* ctx,
                                             const v1::CreateLayerVersionRequest* req,
                                             v1::LayerVersion* resp) {
  return service::Serve<v1::LayerVersion>(
      rt_, ctx, kWriteScope, kErrorDomain, resp,
      [&](const rpc::Caller& caller) -> Result<v1::LayerVersion> {
        NRP_RETURN_IF_ERROR(CheckLayerId(req->layer_id(), "layer_id"));
        std::optional<Date> effective;
        if (req->has_effective_from()) {
          NRP_ASSIGN_OR_RETURN(effective, DateFromProto(req->effective_from(), "effective_from"));
        }
        if (req->note().size() > 4000)
          return Error::InvalidArgument("note", "is longer than 4000 bytes");
        std::string approval;
        if (req->has_approval()) req->approval().SerializeToString(&approval);
        return service::Mutate<v1::LayerVersion>(
            rt_, caller, {kServiceName, "CreateLayerVersion"}, req->request_id(), *req,
            [&](pqxx::work& tx, service::AuditSubject& audit) -> Result<v1::LayerVersion> {
              NRP_ASSIGN_OR_RETURN(auto layer, LoadLayer(tx, req->layer_id(), /*for_update=*/true));
              NRP_RETURN_IF_ERROR(rpc::Authorize(caller, kWriteScope, layer.region_code));
              NRP_ASSIGN_OR_RETURN(
                  auto v, store::InsertDraftVersion(tx, layer.layer_id, approval, effective,
                                                    req->note(), rt_.clock().Now()));
              audit = {layer.region_code, layer.layer_id + "@" + std::to_string(v.version)};
              return ToProto(v);
            });
      });
}

grpc::Status PlanningApi::GetLayerVersion(grpc::ServerContext* ctx,
                                          const v1::GetLayerVersionRequest* req,
                                          v1::LayerVersion* resp) {
  return service::Serve<v1::LayerVersion>(
      rt_, ctx, kReadScope, kErrorDomain, resp,
      [&](const rpc::Caller&) -> Result<v1::LayerVersion> {
        NRP_RETURN_IF_ERROR(CheckLayerId(req->layer_id(), "layer_id"));
        auto r = db::Transact(rt_.db(), [&](pqxx::work& tx) -> Result<store::VersionRow> {
          NRP_ASSIGN_OR_RETURN(auto layer, LoadLayer(tx, req->layer_id()));
          return LoadVersion(tx, layer, req->version());
        });
        if (!r.ok()) return r.error();
        return ToProto(*r);
      });
}

grpc::Status PlanningApi::ListLayerVersions(grpc::ServerContext* ctx,
                                            const v1::ListLayerVersionsRequest* req,
                                            v1::ListLayerVersionsResponse* resp) {
  return service::Serve<v1::ListLayerVersionsResponse>(
      rt_, ctx, kReadScope, kErrorDomain, resp,
      [&](const rpc::Caller&) -> Result<v1::ListLayerVersionsResponse> {
        NRP_RETURN_IF_ERROR(CheckLayerId(req->layer_id(), "layer_id"));
        NRP_ASSIGN_OR_RETURN(
            auto query, list::Parse(store::VersionList(), list::RequestOf(*req, req->layer_id())));
        auto page =
            db::Transact(rt_.db(), [&](pqxx::work& tx) -> Result<list::Page<store::VersionRow>> {
              NRP_RETURN_IF_ERROR(LoadLayer(tx, req->layer_id()));
              return store::ListVersions(tx, req->layer_id(), query);
            });
        if (!page.ok()) return page.error();
        v1::ListLayerVersionsResponse out;
        for (const auto& v : page->items) *out.add_versions() = ToProto(v);
        out.set_next_page_token(page->next_page_token);
        return out;
      });
}

grpc::Status PlanningApi::ImportZones(grpc::ServerContext* ctx,
                                      grpc::ServerReader<v1::ImportZonesRequest>* reader,
                                      v1::ImportZonesResponse* resp) {
  // A client stream: the frame of service::Serve, spelt out around reading it.
  rpc::CallLogScope log_scope(ctx);
  auto caller = service::Enter(rt_, ctx, kWriteScope);
  if (!caller.ok()) return service::Reply(caller.error(), kErrorDomain);
  auto result = [&]() -> Result<v1::ImportZonesResponse> {
    // The whole stream is read first: the import is one transaction, retried as
    // a whole, and its request_id covers every zone sent.
    v1::ImportZonesRequest all;
    v1::ImportZonesRequest msg;
    int64_t messages = 0;
    while (reader->Read(&msg)) {
      if (messages++ == 0) {
        all.set_request_id(msg.request_id());
        all.set_layer_id(msg.layer_id());
        all.set_version(msg.version());
      } else {
        if (!msg.request_id().empty() && msg.request_id() != all.request_id()) {
          return Error::InvalidArgument(
              "request_id",
              "message " + std::to_string(messages) + " names another request_id than the first");
        }
        if (!msg.layer_id().empty() && msg.layer_id() != all.layer_id()) {
          return Error::InvalidArgument("layer_id", "message " + std::to_string(messages) +
                                                        " names another layer than the first");
        }
        if (msg.version() != 0 && msg.version() != all.version()) {
          return Error::InvalidArgument("version", "message " + std::to_string(messages) +
                                                       " names another version than the first");
        }
      }
      if (all.zones_size() + msg.zones_size() > config_.max_import_zones) {
        return Error::InvalidArgument(
            "zones", "more than " + std::to_string(config_.max_import_zones) +
                         " zones in one import (NRP_PLANNING_MAX_IMPORT_ZONES); split it into "
                         "several imports");
      }
      for (auto& z : *msg.mutable_zones()) *all.add_zones() = std::move(z);
    }
    if (messages == 0) return Error::InvalidArgument("request", "the stream carried no message");
    NRP_RETURN_IF_ERROR(CheckLayerId(all.layer_id(), "layer_id"));
    if (all.version() <= 0)
      return Error::InvalidArgument("version", "must name a draft version (≥ 1)");
    if (all.zones_size() == 0) return Error::InvalidArgument("zones", "the import carries no zone");

    return service::Mutate<v1::ImportZonesResponse>(
        rt_, *caller, {kServiceName, "ImportZones"}, all.request_id(), all,
        [&](pqxx::work& tx, service::AuditSubject& audit) -> Result<v1::ImportZonesResponse> {
          NRP_ASSIGN_OR_RETURN(auto layer, LoadLayer(tx, all.layer_id()));
          NRP_RETURN_IF_ERROR(rpc::Authorize(*caller, kWriteScope, layer.region_code));
          NRP_ASSIGN_OR_RETURN(auto version,
                               store::GetVersion(tx, layer.layer_id, all.version(), true));
          if (!version) {
            return Error::NotFound("layer " + layer.layer_id + " has no version " +
                                   std::to_string(all.version()));
          }
          if (version->state != store::VersionState::kDraft) {
            return Error::FailedPrecondition(
                "VERSION_NOT_DRAFT", layer.layer_id + "@" + std::to_string(all.version()),
                "version " + std::to_string(all.version()) + " of layer " + layer.layer_id +
                    " is not a draft; create a new version");
          }
          v1::ImportZonesResponse out;
          out.set_layer_id(layer.layer_id);
          out.set_version(all.version());
          out.set_zones_received(all.zones_size());
          // A zone sent again replaces the earlier one: only the last copy counts.
          std::map<std::string, int> last;
          for (int i = 0; i < all.zones_size(); ++i) last[all.zones(i).zone_id()] = i;
          std::vector<store::ImportZone> staged_input;
          std::map<std::string, std::string> refused;  // zone id → reason
          std::vector<std::pair<int, v1::ZoneRejection>> rejections;
          auto reject = [&](int index, const std::string& zone_id, const std::string& why) {
            v1::ZoneRejection r;
            r.set_zone_id(zone_id);
            r.set_reason(FeatureLabel(index, zone_id).replace(0, 8, "zones") + ": " + why);
            rejections.emplace_back(index, r);
            if (!zone_id.empty() && CheckZoneCode(zone_id, "zone_id").ok())
              refused[zone_id] = r.reason();
          };
          for (int i = 0; i < all.zones_size(); ++i) {
            const auto& z = all.zones(i);
            if (!z.zone_id().empty() && last[z.zone_id()] != i) continue;
            ZoneCheck c = CheckZone(z, static_cast<size_t>(i), layer, config_.geometry_limits);
            if (!c.refusal.empty()) {
              reject(i, z.zone_id(), c.refusal);
              continue;
            }
            staged_input.push_back(std::move(c.zone));
          }
          NRP_ASSIGN_OR_RETURN(auto staged, store::StageZones(tx, staged_input));
          int64_t accepted = 0;
          for (size_t k = 0; k < staged.size(); ++k) {
            const store::StagedZone& s = staged[k];
            const int index = static_cast<int>(s.index);
            if (!s.refusal.empty()) {
              reject(index, s.zone_id, "geometry: " + s.refusal);
              continue;
            }
            if (s.geometry_type != "POLYGON" && s.geometry_type != "MULTIPOLYGON") {
              reject(index, s.zone_id,
                     "geometry: a zone must be a Polygon or MultiPolygon, got " + s.geometry_type);
              continue;
            }
            store::ZoneRow row;
            row.zone_id = s.zone_id;
            row.name = staged_input[k].name;
            row.level = staged_input[k].level;
            row.region_code = staged_input[k].region_code;
            row.attributes = staged_input[k].attributes;
            row.wkt = s.wkt;
            row.digest = s.digest;
            row.area_m2 = s.area_m2;
            const int64_t bytes = static_cast<int64_t>(
                ZoneEvent(layer, all.version(), row, v1::ZONE_CHANGE_MODIFIED, INT32_MAX)
                    .ByteSizeLong());
            if (bytes + config_.event_envelope_bytes > config_.max_event_bytes) {
              reject(
                  index, s.zone_id,
                  "geometry: the zone's event would be " +
                      std::to_string(bytes + config_.event_envelope_bytes) +
                      " bytes, above the limit of " + std::to_string(config_.max_event_bytes) +
                      " bytes (NRP_PLANNING_MAX_EVENT_BYTES); split the zone into smaller parts");
              continue;
            }
            ++accepted;
          }
          NRP_RETURN_IF_ERROR(store::CommitStaged(tx, layer.layer_id, all.version(), refused));
          std::sort(rejections.begin(), rejections.end(),
                    [](const auto& a, const auto& b) { return a.first < b.first; });
          for (auto& [index, r] : rejections) *out.add_rejections() = std::move(r);
          out.set_zones_accepted(accepted);
          NRP_ASSIGN_OR_RETURN(int64_t count,
                               store::DraftZoneCount(tx, layer.layer_id, all.version()));
          out.set_zone_count(count);
          audit = {layer.region_code, layer.layer_id + "@" + std::to_string(all.version())};
          return out;
        });
  }();
  if (!result.ok()) return service::Reply(result.error(), kErrorDomain);
  *resp = std::move(*result);
  return grpc::Status::OK;
}

grpc::Status PlanningApi::PublishLayerVersion(grpc::ServerContext* ctx,
                                              const v1::PublishLayerVersionRequest* req,
                                              v1::LayerVersion* resp) {
  return service::Serve<v1::LayerVersion>(
      rt_, ctx, kWriteScope, kErrorDomain, resp,
      [&](const rpc::Caller& caller) -> Result<v1::LayerVersion> {
        NRP_RETURN_IF_ERROR(CheckLayerId(req->layer_id(), "layer_id"));
        if (req->version() <= 0)
          return Error::InvalidArgument("version", "must name a draft version (≥ 1)");
        return service::Mutate<v1::LayerVersion>(
            rt_, caller, {kServiceName, "PublishLayerVersion"}, req->request_id(), *req,
            [&](pqxx::work& tx, service::AuditSubject& audit) -> Result<v1::LayerVersion> {
              NRP_ASSIGN_OR_RETURN(auto layer, LoadLayer(tx, req->layer_id(), /*for_update=*/true));
              NRP_RETURN_IF_ERROR(rpc::Authorize(caller, kWriteScope, layer.region_code));
              const TimePoint now = rt_.clock().Now();
              NRP_ASSIGN_OR_RETURN(store::Publication pub,
                                   store::PublishVersion(tx, layer, req->version(), now));
              // Replication events, all keyed by layer id: every zone of the
              // version, the zones withdrawn, then the marker.
              for (const auto& p : pub.zones) {
                v1::ZonePublished e =
                    ZoneEvent(layer, req->version(), p.zone,
                              static_cast<v1::ZoneChange>(static_cast<int>(p.change)), p.sequence);
                NRP_RETURN_IF_ERROR(service::Publish(rt_, tx, e, layer.region_code));
              }
              for (const auto& zone_id : pub.withdrawn) {
                v1::ZoneWithdrawn w;
                w.set_layer_id(layer.layer_id);
                w.set_region_code(layer.region_code);
                w.set_layer_kind(static_cast<common::ZoneLayerKind>(static_cast<int>(layer.kind)));
                w.set_layer_version(req->version());
                w.set_zone_id(zone_id);
                w.set_previous_version(pub.previous_version);
                NRP_RETURN_IF_ERROR(service::Publish(rt_, tx, w, layer.region_code));
              }
              v1::LayerVersionPublished m;
              m.set_layer_id(layer.layer_id);
              m.set_region_code(layer.region_code);
              m.set_layer_kind(static_cast<common::ZoneLayerKind>(static_cast<int>(layer.kind)));
              m.set_version(req->version());
              m.set_previous_version(pub.previous_version);
              m.set_zone_count(pub.version.zone_count);
              m.set_withdrawn_count(static_cast<int64_t>(pub.withdrawn.size()));
              m.set_checksum(pub.version.checksum);
              m.mutable_total_area()->set_square_metres(pub.version.total_area_m2);
              if (pub.version.effective_from)
                ToProto(*pub.version.effective_from, m.mutable_effective_from());
              if (!pub.version.approval.empty())
                m.mutable_approval()->ParseFromString(pub.version.approval);
              ToProto(now, m.mutable_published_at());
              NRP_RETURN_IF_ERROR(service::Publish(rt_, tx, m, layer.region_code));
              // Indicators measured on this layer kind move with it.
              NRP_RETURN_IF_ERROR(progress_.RecomputeMeasures(tx, {MeasureKind::kLayerArea}));
              audit = {layer.region_code, layer.layer_id + "@" + std::to_string(req->version())};
              log::Info("layer version published",
                        {{"layer_id", layer.layer_id},
                         {"version", static_cast<int64_t>(req->version())},
                         {"zones", pub.version.zone_count},
                         {"withdrawn", static_cast<int64_t>(pub.withdrawn.size())}});
              return ToProto(pub.version);
            });
      });
}

grpc::Status PlanningApi::DiscardLayerVersion(grpc::ServerContext* ctx,
                                              const v1::DiscardLayerVersionRequest* req,
                                              v1::LayerVersion* resp) {
  return service::Serve<v1::LayerVersion>(
      rt_, ctx, kWriteScope, kErrorDomain, resp,
      [&](const rpc::Caller& caller) -> Result<v1::LayerVersion> {
        NRP_RETURN_IF_ERROR(CheckLayerId(req->layer_id(), "layer_id"));
        if (req->version() <= 0)
          return Error::InvalidArgument("version", "must name a draft version (≥ 1)");
        if (req->reason().empty() || req->reason().size() > 2000) {
          return Error::InvalidArgument("reason", "must say why, in 1 to 2000 bytes");
        }
        return service::Mutate<v1::LayerVersion>(
            rt_, caller, {kServiceName, "DiscardLayerVersion"}, req->request_id(), *req,
            [&](pqxx::work& tx, service::AuditSubject& audit) -> Result<v1::LayerVersion> {
              NRP_ASSIGN_OR_RETURN(auto layer, LoadLayer(tx, req->layer_id(), /*for_update=*/true));
              NRP_RETURN_IF_ERROR(rpc::Authorize(caller, kWriteScope, layer.region_code));
              NRP_ASSIGN_OR_RETURN(auto v, LoadVersion(tx, layer, req->version()));
              if (v.state != store::VersionState::kDraft) {
                return Error::FailedPrecondition(
                    "VERSION_NOT_DRAFT", layer.layer_id + "@" + std::to_string(v.version),
                    "version " + std::to_string(v.version) + " of layer " + layer.layer_id +
                        " is not a draft and cannot be discarded");
              }
              NRP_RETURN_IF_ERROR(
                  store::DiscardVersion(tx, layer.layer_id, v.version, req->reason()));
              NRP_ASSIGN_OR_RETURN(auto after, LoadVersion(tx, layer, v.version));
              audit = {layer.region_code, layer.layer_id + "@" + std::to_string(v.version)};
              return ToProto(after);
            });
      });
}

namespace {
// Which rows hold a version's zones: the draft table for a draft, the
// published table otherwise; a discarded version has none.
Result<bool> ZonesAreDraft(const store::VersionRow& v) {
  if (v.state == store::VersionState::kDiscarded) {
    return Error::FailedPrecondition("VERSION_DISCARDED",
                                     v.layer_id + "@" + std::to_string(v.version),
                                     "version " + std::to_string(v.version) + " was discarded");
  }
  return v.state == store::VersionState::kDraft;
}
}  // namespace

grpc::Status PlanningApi::GetZone(grpc::ServerContext* ctx, const v1::GetZoneRequest* req,
                                  v1::Zone* resp) {
  return service::Serve<v1::Zone>(
      rt_, ctx, kReadScope, kErrorDomain, resp, [&](const rpc::Caller&) -> Result<v1::Zone> {
        NRP_RETURN_IF_ERROR(CheckLayerId(req->layer_id(), "layer_id"));
        NRP_RETURN_IF_ERROR(CheckZoneCode(req->zone_id(), "zone_id"));
        auto r = db::Transact(rt_.db(), [&](pqxx::work& tx) -> Result<store::ZoneRow> {
          NRP_ASSIGN_OR_RETURN(auto layer, LoadLayer(tx, req->layer_id()));
          NRP_ASSIGN_OR_RETURN(auto v, LoadVersion(tx, layer, req->version()));
          NRP_ASSIGN_OR_RETURN(bool draft, ZonesAreDraft(v));
          NRP_ASSIGN_OR_RETURN(auto z, store::GetZone(tx, layer, v.version, draft, req->zone_id()));
          if (!z) {
            return Error::NotFound("version " + std::to_string(v.version) + " of layer " +
                                   layer.layer_id + " has no zone " + req->zone_id());
          }
          return *z;
        });
        if (!r.ok()) return r.error();
        return ToProto(*r);
      });
}

grpc::Status PlanningApi::ListZones(grpc::ServerContext* ctx, const v1::ListZonesRequest* req,
                                    v1::ListZonesResponse* resp) {
  return service::Serve<v1::ListZonesResponse>(
      rt_, ctx, kReadScope, kErrorDomain, resp,
      [&](const rpc::Caller&) -> Result<v1::ListZonesResponse> {
        NRP_RETURN_IF_ERROR(CheckLayerId(req->layer_id(), "layer_id"));
        NRP_ASSIGN_OR_RETURN(
            auto query, list::Parse(store::ZoneList(),
                                    list::RequestOf(*req, req->layer_id() + "@" +
                                                              std::to_string(req->version()))));
        auto page =
            db::Transact(rt_.db(), [&](pqxx::work& tx) -> Result<list::Page<store::ZoneRow>> {
              NRP_ASSIGN_OR_RETURN(auto layer, LoadLayer(tx, req->layer_id()));
              NRP_ASSIGN_OR_RETURN(auto v, LoadVersion(tx, layer, req->version()));
              NRP_ASSIGN_OR_RETURN(bool draft, ZonesAreDraft(v));
              return store::ListZones(tx, layer, v.version, draft, query);
            });
        if (!page.ok()) return page.error();
        v1::ListZonesResponse out;
        for (const auto& z : page->items) *out.add_zones() = ToProto(z);
        out.set_next_page_token(page->next_page_token);
        return out;
      });
}

}  // namespace nrp::planning::api
