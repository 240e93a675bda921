// Shared request handling: admission and mapping errors to gRPC. Lists use
// libs/list (nrp/list/list.h).
#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

#include "nrp/core/status.h"
#include "nrp/rpc/auth.h"
#include "nrp/service/runtime.h"

namespace grpc {
class ServerContextBase;
}  // namespace grpc

namespace nrp::planning::api {

// The caller, holding `scope`, within the per-agency rate limit
// (RESOURCE_EXHAUSTED when over it). Every handler starts with it.
Result<rpc::Caller> Admit(service::Runtime& rt, const grpc::ServerContextBase* ctx,
                          std::string_view scope);

grpc::Status ToGrpc(const Error& error);
grpc::Status ToGrpc(const Status& status);

}  // namespace nrp::planning::api
