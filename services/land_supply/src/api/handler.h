// Definitions of LandSupplyApi's call wrappers, included by the handler files.
#pragma once

#include "api/land_supply_api.h"
#include "domain/idle_land.h"
#include "domain/parcel.h"
#include "nrp/core/log.h"
#include "nrp/db/transaction.h"
#include "nrp/rpc/errors.h"
#include "nrp/rpc/interceptor.h"
#include "nrp/service/audit.h"
#include "nrp/service/idempotency.h"
#include "nrp/service/publish.h"

namespace nrp::land_supply {

template <class Resp>
grpc::Status LandSupplyApi::Serve(Ctx* ctx, std::string_view scope, Resp* out,
                                  const std::function<Result<Resp>(const rpc::Caller&)>& fn) {
  rpc::CallLogScope log_scope(ctx);
  auto caller = rpc::RequireCaller(ctx, scope);
  if (!caller.ok()) return rpc::ToGrpcStatus(caller.error(), kErrorDomain);
  if (auto admitted = d_.rt.Admit(*caller); !admitted.ok()) {
    return rpc::ToGrpcStatus(admitted.error(), kErrorDomain);
  }
  Result<Resp> result = fn(*caller);
  if (!result.ok()) {
    const Error& e = result.error();
    if (e.code() == Code::kInternal || e.code() == Code::kUnavailable) {
      log::Error("call failed", {{"error", e.ToString()}});
    }
    return rpc::ToGrpcStatus(e, kErrorDomain);
  }
  *out = std::move(*result);
  return grpc::Status::OK;
}

template <class Resp>
Result<Resp> LandSupplyApi::Mutate(Ctx* ctx, const rpc::Caller& caller, std::string_view method,
                                   const std::string& request_id,
                                   const google::protobuf::Message& request,
                                   const std::function<Result<Resp>(pqxx::work&, Audit&)>& work) {
  std::string trace = rpc::TraceIdOf(ctx);
  return service::Idempotent<Resp>(
      d_.rt, method, request_id, request, caller.agency, [&](pqxx::work& tx) -> Result<Resp> {
        Audit audit;
        NRP_ASSIGN_OR_RETURN(Resp response, work(tx, audit));
        service::AuditRecord record;
        record.method = "/nrp.land_supply.v1.LandSupplyService/" + std::string(method);
        record.region_code = audit.region_code;
        record.subject = audit.subject;
        record.trace_id = trace;
        NRP_RETURN_IF_ERROR(service::Audit(tx, caller, record));
        return response;
      });
}

template <class Resp>
Result<Resp> LandSupplyApi::Read(const std::function<Result<Resp>(pqxx::work&)>& work) {
  return db::Transact(d_.rt.db(), [&](pqxx::work& tx) -> Result<Resp> { return work(tx); });
}

// What the reserve and supply rules need to know about a parcel (its batch's state).
Result<ParcelFacts> ParcelFactsOf(pqxx::work& tx, const v1::Parcel& p);
// The spatial use a land use is checked as.
nrp::common::v1::SpatialUse SpatialUseOf(LandUse use, const Rules& rules);

// What idle-land detection needs to know about a contract.
DevelopmentFacts DevelopmentFactsOf(const store::ContractRow& row);

// StockLandRevitalised: stock land put back to use by a supply or a disposal.
Status PublishStockLandRevitalised(service::Runtime& rt, pqxx::work& tx,
                                   const std::string& parcel_id, const std::string& region_code,
                                   StockLandStage stage, double area_m2,
                                   const std::string& cause_id, const Date& day);

// Authorizes `caller` for `scope` in `region_code`.
inline Status InRegion(const rpc::Caller& caller, std::string_view scope,
                       const std::string& region_code) {
  return rpc::Authorize(caller, scope, region_code);
}

}  // namespace nrp::land_supply
