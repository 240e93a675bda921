// CheckConflicts: a geometry and an intended use against the zones in force.
#include <algorithm>

#include "api/planning_api.h"
#include "convert/convert.h"
#include "domain/conflict_rules.h"
#include "nrp/db/migrations.h"
#include "nrp/db/transaction.h"
#include "nrp/geo/input_check.h"
#include "nrp/rpc/auth.h"
#include "nrp/service/call.h"
#include "store/zone_store.h"

namespace nrp::planning::api {

namespace {

common::ZoneCheckResult ToProto(const Assessment& a, SpatialUse use,
                                const std::vector<store::LayerInForce>& layers,
                                TimePoint checked_at) {
  common::ZoneCheckResult out;
  out.set_verdict(static_cast<common::ZoneVerdict>(static_cast<int>(a.verdict)));
  for (const Conflict& c : a.conflicts) {
    auto* z = out.add_conflicts();
    z->set_zone_id(c.zone.zone_id);
    z->set_zone_name(c.zone.zone_name);
    z->mutable_layer()->set_layer_id(c.zone.layer_id);
    z->mutable_layer()->set_layer_kind(
        static_cast<common::ZoneLayerKind>(static_cast<int>(c.zone.kind)));
    z->mutable_layer()->set_version(c.zone.version);
    z->set_control_level(static_cast<common::ZoneControlLevel>(static_cast<int>(c.zone.level)));
    z->mutable_overlap_area()->set_square_metres(c.zone.overlap_m2);
    z->set_verdict(static_cast<common::ZoneVerdict>(static_cast<int>(c.verdict)));
    z->set_required_approval(c.required_approval);
    z->set_rule(c.rule);
  }
  for (const auto& l : layers) {
    auto* r = out.add_layers_used();
    r->set_layer_id(l.layer_id);
    r->set_layer_kind(static_cast<common::ZoneLayerKind>(static_cast<int>(l.kind)));
    r->set_version(l.version);
  }
  out.set_intended_use(static_cast<common::SpatialUse>(static_cast<int>(use)));
  planning::ToProto(checked_at, out.mutable_checked_at());
  for (const FailedRule& f : a.failed_rules) out.add_failed_rules(f.type + ": " + f.description);
  return out;
}

}  // namespace

grpc::Status PlanningApi::CheckConflicts(grpc::ServerContext* ctx,
                                         const v1::CheckConflictsRequest* req,
                                         v1::CheckConflictsResponse* resp) {
  return service::Serve<v1::CheckConflictsResponse>(
      rt_, ctx, kReadScope, kErrorDomain, resp,
      [&](const rpc::Caller& caller) -> Result<v1::CheckConflictsResponse> {
        // Validate: geometry (cheap checks first), use, region, kinds.
        const auto& g = req->geometry();
        NRP_RETURN_IF_ERROR(geo::CheckSrid(g.srid(), "geometry.srid"));
        store::CheckGeometry geometry;
        geometry.text = g.text();
        switch (g.encoding()) {
          case common::GEOMETRY_ENCODING_WKT:
            geometry.encoding = 1;
            NRP_RETURN_IF_ERROR(geo::CheckWkt(g.text(), "geometry", config_.geometry_limits));
            break;
          case common::GEOMETRY_ENCODING_GEOJSON:
            geometry.encoding = 2;
            NRP_RETURN_IF_ERROR(geo::CheckGeoJson(g.text(), "geometry", config_.geometry_limits));
            break;
          case common::GEOMETRY_ENCODING_UNSPECIFIED:
            return Error::InvalidArgument("geometry.encoding", "must be set");
          default:
            return Error::InvalidArgument("geometry.encoding",
                                          "unknown encoding " + std::to_string(g.encoding()));
        }
        NRP_ASSIGN_OR_RETURN(SpatialUse use,
                             SpatialUseFromNumber(req->intended_use(), "intended_use"));
        if (!req->region_code().empty()) {
          NRP_RETURN_IF_ERROR(CheckRegionCode(req->region_code(), "region_code"));
          NRP_RETURN_IF_ERROR(rpc::Authorize(caller, kReadScope, req->region_code()));
        }
        std::vector<LayerKind> kinds;
        for (int i = 0; i < req->layer_kinds_size(); ++i) {
          NRP_ASSIGN_OR_RETURN(
              LayerKind k,
              LayerKindFromNumber(req->layer_kinds(i), "layer_kinds[" + std::to_string(i) + "]"));
          if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
        }
        std::sort(kinds.begin(), kinds.end());
        std::optional<TimePoint> as_of;
        if (req->has_as_of()) as_of = FromProto(req->as_of());

        NRP_ASSIGN_OR_RETURN(auto layers, db::Transact(rt_.db(), [&](pqxx::work& tx) {
                               return store::LayersInForce(tx, req->region_code(), kinds, as_of);
                             }));

        // Cache key: the geometry and the question, and the exact layer versions
        // consulted — a newly published version changes the key, so it misses.
        std::string question = std::to_string(geometry.encoding) + "\n" + g.text() + "\n" +
                               std::to_string(static_cast<int>(use)) + "\n" + req->region_code() +
                               "\n";
        for (LayerKind k : kinds) question += std::to_string(static_cast<int>(k)) + ",";
        question += "\n" + std::to_string(config_.conflict.urban_construction_only_in_boundary) +
                    std::to_string(config_.conflict.open_pit_only_in_key_zones);
        std::string versions;
        for (const auto& l : layers) versions += l.layer_id + "@" + std::to_string(l.version) + ";";
        const std::string key = db::Sha256Hex(question) + ":" + db::Sha256Hex(versions);

        auto load = [&]() -> Result<std::string> {
          auto facts = db::Transact(rt_.db(), [&](pqxx::work& tx) -> Result<CheckFacts> {
            NRP_RETURN_IF_ERROR(store::ValidateCheckGeometry(tx, geometry, "geometry"));
            return store::CollectCheckFacts(tx, geometry, layers);
          });
          if (!facts.ok()) return facts.error();
          facts->use = use;
          Assessment a = Assess(*facts, config_.conflict);
          common::ZoneCheckResult result = ToProto(a, use, layers, rt_.clock().Now());
          std::string out;
          result.SerializeToString(&out);
          return out;
        };
        NRP_ASSIGN_OR_RETURN(std::string bytes, check_cache_->GetOrLoad(key, load));
        v1::CheckConflictsResponse out;
        if (!out.mutable_result()->ParseFromString(bytes)) {
          return Error::Internal("a cached conflict check could not be read");
        }
        return out;
      });
}

}  // namespace nrp::planning::api
