// Natural-resource registration units (自然资源统一确权登记): create, revise, public notice,
// registration, with the public control requirements of planning's zones attached.
#include "api/internal.h"
#include "domain/natural_resource_unit.h"
#include "domain/region.h"
#include "nrp/core/uuid.h"
#include "nrp/db/transaction.h"
#include "nrp/registration/v1/events.pb.h"
#include "nrp/service/publish.h"
#include "store/store.h"

namespace nrp::registration {

namespace {

Status RequireUnitId(const std::string& id) {
  if (id.empty()) return Error::InvalidArgument("unit_id", "is required");
  if (!IsUuid(id)) return Error::InvalidArgument("unit_id", "must be a UUID, got '" + id + "'");
  return Ok();
}

}  // namespace

grpc::Status RegistrationApi::CreateNaturalResourceUnit(
    grpc::ServerContext* ctx, const v1::CreateNaturalResourceUnitRequest* req,
    v1::NaturalResourceUnit* out) {
  return Serve<v1::NaturalResourceUnit>(
      ctx, kScopeWrite, out, [&](const rpc::Caller& caller) -> Result<v1::NaturalResourceUnit> {
        auto r = Mutate<v1::NaturalResourceUnit>(
            caller, "CreateNaturalResourceUnit", req->request_id(), *req,
            [&](pqxx::work& tx, AuditInfo& audit) -> Result<v1::NaturalResourceUnit> {
              NRP_RETURN_IF_ERROR(ValidateNaturalResourceUnit(req->unit(), "unit"));
              NRP_RETURN_IF_ERROR(rpc::Authorize(caller, "", req->unit().region_code()));
              NRP_ASSIGN_OR_RETURN(
                  int64_t seq,
                  store::NextValue(tx, "natural_resource_unit:" + req->unit().region_code()));
              v1::NaturalResourceUnit u =
                  NewNaturalResourceUnit(req->unit(), NewUuidV7(),
                                         FormatNaturalResourceUnitNumber(req->unit().region_code(),
                                                                         req->unit().kind(), seq),
                                         rt_.clock().Now());
              NRP_ASSIGN_OR_RETURN(u, store::InsertNaturalResourceUnit(tx, std::move(u)));
              NRP_ASSIGN_OR_RETURN(u, app_.RefreshZoneControls(tx, std::move(u)));
              NRP_ASSIGN_OR_RETURN(u, store::UpdateNaturalResourceUnit(tx, std::move(u), false));
              v1::NaturalResourceUnitCreated e;
              e.set_unit_id(u.unit_id());
              e.set_unit_number(u.unit_number());
              e.set_region_code(u.region_code());
              e.set_kind(u.kind());
              e.set_name(u.name());
              *e.mutable_boundary() = u.boundary();
              *e.mutable_area() = u.area();
              e.set_key_area(u.key_area());
              *e.mutable_public_controls() = u.public_controls();
              NRP_RETURN_IF_ERROR(service::Publish(rt_, tx, e, u.region_code()));
              audit = {u.region_code(), "naturalResourceUnits/" + u.unit_id()};
              return u;
            });
        return r;
      });
}

grpc::Status RegistrationApi::GetNaturalResourceUnit(grpc::ServerContext* ctx,
                                                     const v1::GetNaturalResourceUnitRequest* req,
                                                     v1::NaturalResourceUnit* out) {
  return Serve<v1::NaturalResourceUnit>(
      ctx, kScopeRead, out, [&](const rpc::Caller& caller) -> Result<v1::NaturalResourceUnit> {
        v1::NaturalResourceUnit resp;
        auto valid = RequireUnitId(req->unit_id());
        if (!valid.ok()) return valid.error();
        auto u = db::Transact(rt_.db(), [&](pqxx::work& tx) {
          return store::GetNaturalResourceUnit(tx, req->unit_id());
        });
        if (!u.ok()) return u.error();
        if (!*u) return Error::NotFound("natural-resource unit " + req->unit_id() + " not found");
        auto allowed = rpc::Authorize(caller, "", (*u)->region_code());
        if (!allowed.ok()) return allowed.error();
        resp = std::move(**u);
        return resp;
      });
}

grpc::Status RegistrationApi::ListNaturalResourceUnits(
    grpc::ServerContext* ctx, const v1::ListNaturalResourceUnitsRequest* req,
    v1::ListNaturalResourceUnitsResponse* out) {
  return Serve<v1::ListNaturalResourceUnitsResponse>(
      ctx, kScopeRead, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListNaturalResourceUnitsResponse> {
        v1::ListNaturalResourceUnitsResponse resp;
        auto query = list::Parse(store::NaturalResourceUnitList(), list::RequestOf(*req));
        if (!query.ok()) return query.error();
        auto rows = db::Transact(rt_.db(), [&](pqxx::work& tx) {
          return store::ListNaturalResourceUnits(tx, caller.region_prefixes, *query);
        });
        if (!rows.ok()) return rows.error();
        resp.set_next_page_token(rows->next_page_token);
        for (size_t i = 0; i < rows->items.size(); ++i) {
          *resp.add_units() = std::move(rows->items[i]);
        }
        return resp;
      });
}

grpc::Status RegistrationApi::ReviseNaturalResourceUnit(
    grpc::ServerContext* ctx, const v1::ReviseNaturalResourceUnitRequest* req,
    v1::NaturalResourceUnit* out) {
  return Serve<v1::NaturalResourceUnit>(
      ctx, kScopeWrite, out, [&](const rpc::Caller& caller) -> Result<v1::NaturalResourceUnit> {
        auto valid = RequireUnitId(req->unit().unit_id());
        if (!valid.ok())
          return Error::InvalidArgument("unit.unit_id",
                                        valid.error().field_violations()[0].description);
        auto r = Mutate<v1::NaturalResourceUnit>(
            caller, "ReviseNaturalResourceUnit", req->request_id(), *req,
            [&](pqxx::work& tx, AuditInfo& audit) -> Result<v1::NaturalResourceUnit> {
              NRP_ASSIGN_OR_RETURN(auto current,
                                   store::GetNaturalResourceUnit(tx, req->unit().unit_id(), true));
              if (!current) {
                return Error::NotFound("natural-resource unit " + req->unit().unit_id() +
                                       " not found");
              }
              NRP_RETURN_IF_ERROR(rpc::Authorize(caller, "", current->region_code()));
              audit = {current->region_code(), "naturalResourceUnits/" + current->unit_id()};
              NRP_ASSIGN_OR_RETURN(auto t,
                                   registration::ReviseNaturalResourceUnit(
                                       *current, req->unit(), req->reason(), rt_.clock().Now()));
              NRP_ASSIGN_OR_RETURN(auto u,
                                   store::UpdateNaturalResourceUnit(tx, std::move(t.next), true));
              NRP_ASSIGN_OR_RETURN(u, app_.RefreshZoneControls(tx, std::move(u)));
              NRP_ASSIGN_OR_RETURN(u, store::UpdateNaturalResourceUnit(tx, std::move(u), false));
              v1::NaturalResourceUnitRevised e;
              e.set_unit_id(u.unit_id());
              e.set_unit_number(u.unit_number());
              e.set_region_code(u.region_code());
              e.set_kind(u.kind());
              e.set_name(u.name());
              e.set_version(u.version());
              e.set_reason(req->reason());
              *e.mutable_boundary() = u.boundary();
              *e.mutable_area() = u.area();
              e.set_state(u.state());
              NRP_RETURN_IF_ERROR(service::Publish(rt_, tx, e, u.region_code()));
              return u;
            });
        return r;
      });
}

grpc::Status RegistrationApi::StartNaturalResourceUnitNotice(
    grpc::ServerContext* ctx, const v1::StartNaturalResourceUnitNoticeRequest* req,
    v1::NaturalResourceUnit* out) {
  return Serve<v1::NaturalResourceUnit>(
      ctx, kScopeWrite, out, [&](const rpc::Caller& caller) -> Result<v1::NaturalResourceUnit> {
        auto valid = RequireUnitId(req->unit_id());
        if (!valid.ok()) return valid.error();
        auto r = Mutate<v1::NaturalResourceUnit>(
            caller, "StartNaturalResourceUnitNotice", req->request_id(), *req,
            [&](pqxx::work& tx, AuditInfo& audit) -> Result<v1::NaturalResourceUnit> {
              NRP_ASSIGN_OR_RETURN(auto current,
                                   store::GetNaturalResourceUnit(tx, req->unit_id(), true));
              if (!current)
                return Error::NotFound("natural-resource unit " + req->unit_id() + " not found");
              NRP_RETURN_IF_ERROR(rpc::Authorize(caller, "", current->region_code()));
              audit = {current->region_code(), "naturalResourceUnits/" + current->unit_id()};
              // The notice publishes the controls as they stand today.
              NRP_ASSIGN_OR_RETURN(auto refreshed, app_.RefreshZoneControls(tx, *current));
              NRP_ASSIGN_OR_RETURN(int64_t pending,
                                   store::CountUnregisteredKeyUnits(tx, current->region_code()));
              NRP_ASSIGN_OR_RETURN(auto t, StartNaturalResourceNotice(
                                               refreshed, req->notice_start(), req->working_days(),
                                               config().key_areas_first, pending, Flow()));
              for (const DeadlineSet& d : t.deadlines) {
                service::Deadlines::Put(tx, "naturalResourceUnits/" + t.next.unit_id(), d.name,
                                        d.rule, d.deadline, rt_.clock().Now());
              }
              NRP_ASSIGN_OR_RETURN(auto u,
                                   store::UpdateNaturalResourceUnit(tx, std::move(t.next), false));
              NRP_RETURN_IF_ERROR(app_.PublishAll(tx, t.events));
              return u;
            });
        return r;
      });
}

grpc::Status RegistrationApi::RegisterNaturalResourceUnit(
    grpc::ServerContext* ctx, const v1::RegisterNaturalResourceUnitRequest* req,
    v1::NaturalResourceUnit* out) {
  return Serve<v1::NaturalResourceUnit>(
      ctx, kScopeWrite, out, [&](const rpc::Caller& caller) -> Result<v1::NaturalResourceUnit> {
        auto valid = RequireUnitId(req->unit_id());
        if (!valid.ok()) return valid.error();
        auto r = Mutate<v1::NaturalResourceUnit>(
            caller, "RegisterNaturalResourceUnit", req->request_id(), *req,
            [&](pqxx::work& tx, AuditInfo& audit) -> Result<v1::NaturalResourceUnit> {
              NRP_ASSIGN_OR_RETURN(auto current,
                                   store::GetNaturalResourceUnit(tx, req->unit_id(), true));
              if (!current)
                return Error::NotFound("natural-resource unit " + req->unit_id() + " not found");
              NRP_RETURN_IF_ERROR(rpc::Authorize(caller, "", current->region_code()));
              audit = {current->region_code(), "naturalResourceUnits/" + current->unit_id()};
              NRP_ASSIGN_OR_RETURN(auto t, RegisterNaturalResource(*current, Flow()));
              service::Deadlines::Close(tx, "naturalResourceUnits/" + current->unit_id());
              NRP_ASSIGN_OR_RETURN(auto u,
                                   store::UpdateNaturalResourceUnit(tx, std::move(t.next), false));
              NRP_RETURN_IF_ERROR(store::InsertNaturalResourceRegisterVersion(tx, u));
              NRP_RETURN_IF_ERROR(app_.PublishAll(tx, t.events));
              return u;
            });
        return r;
      });
}

}  // namespace nrp::registration
