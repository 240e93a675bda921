// Real-estate units: create, get (read-through cache), list.
#include "api/internal.h"
#include "domain/real_estate_unit.h"
#include "domain/unit_code.h"
#include "nrp/db/transaction.h"
#include "store/store.h"

namespace nrp::registration {

grpc::Status RegistrationApi::CreateRealEstateUnit(grpc::ServerContext* ctx,
                                                   const v1::CreateRealEstateUnitRequest* req,
                                                   v1::RealEstateUnit* out) {
  return Serve<v1::RealEstateUnit>(
      ctx, kScopeWrite, out, [&](const rpc::Caller& caller) -> Result<v1::RealEstateUnit> {
        auto r = Mutate<v1::RealEstateUnit>(
            caller, "CreateRealEstateUnit", req->request_id(), *req,
            [&](pqxx::work& tx, AuditInfo& audit) -> Result<v1::RealEstateUnit> {
              NRP_ASSIGN_OR_RETURN(v1::RealEstateUnit unit,
                                   NewRealEstateUnit(req->unit(), rt_.clock().Now()));
              NRP_RETURN_IF_ERROR(rpc::Authorize(caller, "", unit.region_code()));
              audit = {unit.region_code(), unit.unit_code()};
              return store::InsertUnit(tx, std::move(unit));
            });
        if (r.ok()) InvalidateUnit(r->unit_code());
        return r;
      });
}

grpc::Status RegistrationApi::GetRealEstateUnit(grpc::ServerContext* ctx,
                                                const v1::GetRealEstateUnitRequest* req,
                                                v1::RealEstateUnit* out) {
  return Serve<v1::RealEstateUnit>(ctx, kScopeRead, out,
                                   [&](const rpc::Caller& caller) -> Result<v1::RealEstateUnit> {
                                     v1::RealEstateUnit resp;
                                     auto code = UnitCode::Parse(req->unit_code());
                                     if (!code.ok()) return code.error();
                                     auto unit = LoadUnit(code->str());
                                     if (!unit.ok()) return unit.error();
                                     auto allowed = rpc::Authorize(caller, "", unit->region_code());
                                     if (!allowed.ok()) return allowed.error();
                                     resp = std::move(unit).value();
                                     return resp;
                                   });
}

grpc::Status RegistrationApi::ListRealEstateUnits(grpc::ServerContext* ctx,
                                                  const v1::ListRealEstateUnitsRequest* req,
                                                  v1::ListRealEstateUnitsResponse* out) {
  return Serve<v1::ListRealEstateUnitsResponse>(
      ctx, kScopeRead, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListRealEstateUnitsResponse> {
        v1::ListRealEstateUnitsResponse resp;
        auto query = list::Parse(store::UnitList(), list::RequestOf(*req));
        if (!query.ok()) return query.error();
        auto rows = db::Transact(rt_.db(), [&](pqxx::work& tx) {
          return store::ListUnits(tx, caller.region_prefixes, *query);
        });
        if (!rows.ok()) return rows.error();
        resp.set_next_page_token(rows->next_page_token);
        for (size_t i = 0; i < rows->items.size(); ++i) {
          *resp.add_units() = std::move(rows->items[i]);
        }
        return resp;
      });
}

}  // namespace nrp::registration
