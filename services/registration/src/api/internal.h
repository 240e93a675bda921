// Helpers shared by the handler files (not a public interface).
#pragma once

#include <grpcpp/grpcpp.h>

#include "api/registration_api.h"
#include "nrp/core/log.h"
#include "nrp/rpc/interceptor.h"
#include "nrp/service/audit.h"
#include "nrp/service/call.h"

namespace nrp::registration {

inline std::string MethodName(std::string_view method) {
  return service::MethodName{kServiceName, method}.Full();
}

inline bool SeesPii(const rpc::Caller& caller) { return caller.HasScope(kScopePii); }

template <class Resp>
grpc::Status RegistrationApi::Serve(grpc::ServerContext* ctx, std::string_view scope, Resp* out,
                                    const std::function<Result<Resp>(const rpc::Caller&)>& fn) {
  return service::Serve<Resp>(rt_, ctx, scope, kErrorDomain, out, fn);
}

template <class Resp>
Result<Resp> RegistrationApi::Mutate(
    const rpc::Caller& caller, std::string_view method, const std::string& request_id,
    const google::protobuf::Message& request,
    const std::function<Result<Resp>(pqxx::work&, AuditInfo&)>& work) {
  return service::Mutate<Resp>(rt_, caller, {kServiceName, method}, request_id, request, work);
}

}  // namespace nrp::registration
