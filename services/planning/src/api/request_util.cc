#include "api/request_util.h"

#include <cctype>

#include "api/planning_api.h"
#include "nrp/rpc/auth.h"
#include "nrp/rpc/errors.h"
#include "nrp/rpc/interceptor.h"
#include "nrp/service/call.h"

namespace nrp::planning::api {

Result<rpc::Caller> Admit(service::Runtime& rt, const grpc::ServerContextBase* ctx,
                          std::string_view scope) {
  return service::Enter(rt, ctx, scope);
}

grpc::Status ToGrpc(const Error& error) { return service::Reply(error, kErrorDomain); }
grpc::Status ToGrpc(const Status& status) {
  return status.ok() ? grpc::Status::OK : service::Reply(status.error(), kErrorDomain);
}

}  // namespace nrp::planning::api
