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
  return std::string("/") + kServiceName + "/" + std::string(method);
}

inline grpc::Status ToStatus(const Error& e) { return rpc::ToGrpcStatus(e, kErrorDomain); }

template <class T>
grpc::Status Reply(Result<T> result, T* out) {
  if (!result.ok()) return ToStatus(result.error());
  *out = std::move(result).value();
  return grpc::Status::OK;
}

inline bool SeesPii(const rpc::Caller& caller) { return caller.HasScope(kScopePii); }

template <class Resp>
Result<Resp> RegistrationApi::Mutate(
    const grpc::ServerContext* ctx, const rpc::Caller& caller, std::string_view method,
    const std::string& request_id, const google::protobuf::Message& request,
    const std::function<Result<Resp>(pqxx::work&, AuditInfo&)>& work) {
  const std::string trace_id = rpc::TraceIdOf(ctx);
  return service::Idempotent<Resp>(rt_, method, request_id, request, caller.agency,
                                   [&](pqxx::work& tx) -> Result<Resp> {
                                     AuditInfo audit;
                                     NRP_ASSIGN_OR_RETURN(Resp out, work(tx, audit));
                                     service::AuditRecord record;
                                     record.method = MethodName(method);
                                     record.region_code = audit.region_code;
                                     record.subject = audit.subject;
                                     record.trace_id = trace_id;
                                     NRP_RETURN_IF_ERROR(service::Audit(tx, caller, record));
                                     return out;
                                   });
}

}  // namespace nrp::registration
