// Helpers shared by the handler files (not a public interface).
#pragma once

#include <grpcpp/grpcpp.h>

#include "api/registration_api.h"
#include "nrp/core/log.h"
#include "nrp/rpc/errors.h"
#include "nrp/rpc/interceptor.h"
#include "nrp/service/audit.h"
#include "nrp/service/idempotency.h"

namespace nrp::registration {

inline std::string MethodName(std::string_view method) {
  return service::MethodName{kServiceName, method}.Full();
}

inline grpc::Status ToStatus(const Error& e) { return service::Reply(e, kErrorDomain); }

template <class T>
grpc::Status Reply(Result<T> result, T* out) {
  if (!result.ok()) return ToStatus(result.error());
  *out = std::move(result).value();
  return grpc::Status::OK;
}

inline bool SeesPii(const rpc::Caller& caller) { return caller.HasScope(kScopePii); }

template <class Resp>
Result<Resp> RegistrationApi::Mutate(
    const grpc::ServerContext*, const rpc::Caller& caller, std::string_view method,
    const std::string& request_id, const google::protobuf::Message& request,
    const std::function<Result<Resp>(pqxx::work&, AuditInfo&)>& work) {
  return service::Mutate<Resp>(rt_, caller, {kServiceName, method}, request_id, request, work);
}

}  // namespace nrp::registration
