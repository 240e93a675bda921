#include "api/request_util.h"

#include "nrp/rpc/auth.h"
#include "nrp/rpc/errors.h"
#include "nrp/rpc/interceptor.h"

namespace nrp::planning::api {

Result<rpc::Caller> Admit(service::Runtime& rt, const grpc::ServerContextBase* ctx,
                          std::string_view scope) {
  NRP_ASSIGN_OR_RETURN(rpc::Caller caller, rpc::RequireCaller(ctx, scope));
  NRP_RETURN_IF_ERROR(rt.Admit(caller));
  return caller;
}

grpc::Status ToGrpc(const Error& error) { return rpc::ToGrpcStatus(error, "planning.nrp"); }
grpc::Status ToGrpc(const Status& status) { return rpc::ToGrpcStatus(status, "planning.nrp"); }

}  // namespace nrp::planning::api
