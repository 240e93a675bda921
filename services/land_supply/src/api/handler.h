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
  return service::Serve<Resp>(d_.rt, ctx, scope, kErrorDomain, out, fn);
}

template <class Resp>
Result<Resp> LandSupplyApi::Mutate(const rpc::Caller& caller, std::string_view method,
                                   const std::string& request_id,
                                   const google::protobuf::Message& request,
                                   const std::function<Result<Resp>(pqxx::work&, Audit&)>& work) {
  return service::Mutate<Resp>(d_.rt, caller, {kServiceName, method}, request_id, request, work);
}

template <class Resp>
Result<Resp> LandSupplyApi::Read(const std::function<Result<Resp>(pqxx::work&)>& work) {
  return service::Read<Resp>(d_.rt, work);
}

// What the reserve and supply rules need to know about a parcel (its batch's state).
Result<ParcelFacts> ParcelFactsOf(pqxx::work& tx, const v1::Parcel& p);
// The spatial use a land use is checked as.
nrp::common::v1::SpatialUse SpatialUseOf(LandUse use, const Rules& rules);

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
