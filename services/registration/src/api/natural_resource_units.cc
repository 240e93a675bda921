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
  rpc::CallLogScope log_scope(ctx);
  auto caller = Enter(ctx, kScopeWrite);
  if (!caller.ok()) return ToStatus(caller.error());
  const std::string tp = Traceparent(ctx);
  auto r = Mutate<v1::NaturalResourceUnit>(
      ctx, *caller, "CreateNaturalResourceUnit", req->request_id(), *req,
      [&](pqxx::work& tx, AuditInfo& audit) -> Result<v1::NaturalResourceUnit> {
        NRP_RETURN_IF_ERROR(ValidateNaturalResourceUnit(req->unit(), "unit"));
        NRP_RETURN_IF_ERROR(rpc::Authorize(*caller, "", req->unit().region_code()));
        NRP_ASSIGN_OR_RETURN(int64_t seq, store::NextValue(tx, "natural_resource_unit:" +
                                                                   req->unit().region_code()));
        v1::NaturalResourceUnit u = NewNaturalResourceUnit(
            req->unit(), NewUuidV7(),
            FormatNaturalResourceUnitNumber(req->unit().region_code(), req->unit().kind(), seq),
            rt_.clock().Now());
        NRP_ASSIGN_OR_RETURN(u, store::InsertNaturalResourceUnit(tx, std::move(u)));
        NRP_ASSIGN_OR_RETURN(u, RefreshZoneControls(tx, std::move(u)));
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
        NRP_RETURN_IF_ERROR(service::Publish(rt_, tx, e, u.region_code(), tp));
        audit = {u.region_code(), "naturalResourceUnits/" + u.unit_id()};
        return u;
      });
  return Reply(std::move(r), out);
}

grpc::Status RegistrationApi::GetNaturalResourceUnit(grpc::ServerContext* ctx,
                                                     const v1::GetNaturalResourceUnitRequest* req,
                                                     v1::NaturalResourceUnit* out) {
  rpc::CallLogScope log_scope(ctx);
  auto caller = Enter(ctx, kScopeRead);
  if (!caller.ok()) return ToStatus(caller.error());
  auto valid = RequireUnitId(req->unit_id());
  if (!valid.ok()) return ToStatus(valid.error());
  auto u = db::Transact(
      rt_.db(), [&](pqxx::work& tx) { return store::GetNaturalResourceUnit(tx, req->unit_id()); });
  if (!u.ok()) return ToStatus(u.error());
  if (!*u)
    return ToStatus(Error::NotFound("natural-resource unit " + req->unit_id() + " not found"));
  auto allowed = rpc::Authorize(*caller, "", (*u)->region_code());
  if (!allowed.ok()) return ToStatus(allowed.error());
  *out = std::move(**u);
  return grpc::Status::OK;
}

grpc::Status RegistrationApi::ListNaturalResourceUnits(
    grpc::ServerContext* ctx, const v1::ListNaturalResourceUnitsRequest* req,
    v1::ListNaturalResourceUnitsResponse* out) {
  rpc::CallLogScope log_scope(ctx);
  auto caller = Enter(ctx, kScopeRead);
  if (!caller.ok()) return ToStatus(caller.error());
  auto query = list::Parse(store::NaturalResourceUnitList(), list::RequestOf(*req));
  if (!query.ok()) return ToStatus(query.error());
  auto rows = db::Transact(rt_.db(), [&](pqxx::work& tx) {
    return store::ListNaturalResourceUnits(tx, caller->region_prefixes, *query);
  });
  if (!rows.ok()) return ToStatus(rows.error());
  out->set_next_page_token(rows->next_page_token);
  for (size_t i = 0; i < rows->items.size(); ++i) {
    *out->add_units() = std::move(rows->items[i]);
  }
  return grpc::Status::OK;
}

grpc::Status RegistrationApi::ReviseNaturalResourceUnit(
    grpc::ServerContext* ctx, const v1::ReviseNaturalResourceUnitRequest* req,
    v1::NaturalResourceUnit* out) {
  rpc::CallLogScope log_scope(ctx);
  auto caller = Enter(ctx, kScopeWrite);
  if (!caller.ok()) return ToStatus(caller.error());
  auto valid = RequireUnitId(req->unit().unit_id());
  if (!valid.ok())
    return ToStatus(
        Error::InvalidArgument("unit.unit_id", valid.error().field_violations()[0].description));
  const std::string tp = Traceparent(ctx);
  auto r = Mutate<v1::NaturalResourceUnit>(
      ctx, *caller, "ReviseNaturalResourceUnit", req->request_id(), *req,
      [&](pqxx::work& tx, AuditInfo& audit) -> Result<v1::NaturalResourceUnit> {
        NRP_ASSIGN_OR_RETURN(auto current,
                             store::GetNaturalResourceUnit(tx, req->unit().unit_id(), true));
        if (!current) {
          return Error::NotFound("natural-resource unit " + req->unit().unit_id() + " not found");
        }
        NRP_RETURN_IF_ERROR(rpc::Authorize(*caller, "", current->region_code()));
        audit = {current->region_code(), "naturalResourceUnits/" + current->unit_id()};
        NRP_ASSIGN_OR_RETURN(auto t, registration::ReviseNaturalResourceUnit(
                                         *current, req->unit(), req->reason(), rt_.clock().Now()));
        NRP_ASSIGN_OR_RETURN(auto u, store::UpdateNaturalResourceUnit(tx, std::move(t.next), true));
        NRP_ASSIGN_OR_RETURN(u, RefreshZoneControls(tx, std::move(u)));
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
        NRP_RETURN_IF_ERROR(service::Publish(rt_, tx, e, u.region_code(), tp));
        return u;
      });
  return Reply(std::move(r), out);
}

grpc::Status RegistrationApi::StartNaturalResourceUnitNotice(
    grpc::ServerContext* ctx, const v1::StartNaturalResourceUnitNoticeRequest* req,
    v1::NaturalResourceUnit* out) {
  rpc::CallLogScope log_scope(ctx);
  auto caller = Enter(ctx, kScopeWrite);
  if (!caller.ok()) return ToStatus(caller.error());
  auto valid = RequireUnitId(req->unit_id());
  if (!valid.ok()) return ToStatus(valid.error());
  const std::string tp = Traceparent(ctx);
  auto r = Mutate<v1::NaturalResourceUnit>(
      ctx, *caller, "StartNaturalResourceUnitNotice", req->request_id(), *req,
      [&](pqxx::work& tx, AuditInfo& audit) -> Result<v1::NaturalResourceUnit> {
        NRP_ASSIGN_OR_RETURN(auto current, store::GetNaturalResourceUnit(tx, req->unit_id(), true));
        if (!current)
          return Error::NotFound("natural-resource unit " + req->unit_id() + " not found");
        NRP_RETURN_IF_ERROR(rpc::Authorize(*caller, "", current->region_code()));
        audit = {current->region_code(), "naturalResourceUnits/" + current->unit_id()};
        // The notice publishes the controls as they stand today.
        NRP_ASSIGN_OR_RETURN(auto refreshed, RefreshZoneControls(tx, *current));
        NRP_ASSIGN_OR_RETURN(int64_t pending,
                             store::CountUnregisteredKeyUnits(tx, current->region_code()));
        NRP_ASSIGN_OR_RETURN(
            auto t, StartNaturalResourceNotice(refreshed, req->notice_start(), req->working_days(),
                                               config_.key_areas_first, pending, Flow()));
        for (const DeadlineSet& d : t.deadlines) {
          service::Deadlines::Put(tx, "naturalResourceUnits/" + t.next.unit_id(), d.name, d.rule,
                                  d.deadline, rt_.clock().Now());
        }
        NRP_ASSIGN_OR_RETURN(auto u,
                             store::UpdateNaturalResourceUnit(tx, std::move(t.next), false));
        NRP_RETURN_IF_ERROR(PublishAll(rt_, tx, t.events, tp));
        return u;
      });
  return Reply(std::move(r), out);
}

grpc::Status RegistrationApi::RegisterNaturalResourceUnit(
    grpc::ServerContext* ctx, const v1::RegisterNaturalResourceUnitRequest* req,
    v1::NaturalResourceUnit* out) {
  rpc::CallLogScope log_scope(ctx);
  auto caller = Enter(ctx, kScopeWrite);
  if (!caller.ok()) return ToStatus(caller.error());
  auto valid = RequireUnitId(req->unit_id());
  if (!valid.ok()) return ToStatus(valid.error());
  const std::string tp = Traceparent(ctx);
  auto r = Mutate<v1::NaturalResourceUnit>(
      ctx, *caller, "RegisterNaturalResourceUnit", req->request_id(), *req,
      [&](pqxx::work& tx, AuditInfo& audit) -> Result<v1::NaturalResourceUnit> {
        NRP_ASSIGN_OR_RETURN(auto current, store::GetNaturalResourceUnit(tx, req->unit_id(), true));
        if (!current)
          return Error::NotFound("natural-resource unit " + req->unit_id() + " not found");
        NRP_RETURN_IF_ERROR(rpc::Authorize(*caller, "", current->region_code()));
        audit = {current->region_code(), "naturalResourceUnits/" + current->unit_id()};
        NRP_ASSIGN_OR_RETURN(auto t, RegisterNaturalResource(*current, Flow()));
        service::Deadlines::Close(tx, "naturalResourceUnits/" + current->unit_id());
        NRP_ASSIGN_OR_RETURN(auto u,
                             store::UpdateNaturalResourceUnit(tx, std::move(t.next), false));
        NRP_RETURN_IF_ERROR(store::InsertNaturalResourceRegisterVersion(tx, u));
        NRP_RETURN_IF_ERROR(PublishAll(rt_, tx, t.events, tp));
        return u;
      });
  return Reply(std::move(r), out);
}

Result<bool> RegistrationApi::ApplyUnitNotice(pqxx::work& tx,
                                              const service::DeadlineChange& change) {
  const std::string unit_id =
      change.subject.substr(std::string_view("naturalResourceUnits/").size());
  if (change.name != "notice_end") {
    return Error::InvalidArgument("deadline", "a unit has no deadline '" + change.name + "'");
  }
  NRP_ASSIGN_OR_RETURN(auto unit, store::GetNaturalResourceUnit(tx, unit_id, true));
  if (!unit) return false;
  NRP_ASSIGN_OR_RETURN(
      auto t, RecountNoticeEnd(*unit, change.old_date, change.old_calendar, change.now, Flow()));
  if (!t) return false;
  NRP_ASSIGN_OR_RETURN(auto u, store::UpdateNaturalResourceUnit(tx, std::move(t->next), false));
  (void)u;
  NRP_RETURN_IF_ERROR(PublishAll(rt_, tx, t->events, ""));
  return true;
}

}  // namespace nrp::registration
