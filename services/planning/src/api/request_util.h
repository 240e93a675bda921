// Shared request handling: page sizes and tokens (AIP-158), a small AIP-160
// filter of `field = value` terms joined by AND, and mapping errors to gRPC.
#pragma once

#include <grpcpp/support/status.h>

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "nrp/core/status.h"
#include "nrp/rpc/auth.h"
#include "nrp/service/runtime.h"

namespace grpc {
class ServerContextBase;
}  // namespace grpc

namespace nrp::planning::api {

// 0 → 50; above 1000 → 1000; negative → INVALID_ARGUMENT.
Result<int> PageSize(int requested);
// Opaque tokens wrapping a key; INVALID_ARGUMENT for a token not made here.
std::string EncodePageToken(std::string_view key);
Result<std::string> DecodePageToken(std::string_view token);

// `a = "x" AND b = Y`: field → value (quotes removed). Only the fields in
// `allowed`; anything else (other operators, OR, unknown fields) is refused
// naming `filter`.
Result<std::map<std::string, std::string>> ParseFilter(std::string_view filter,
                                                       const std::set<std::string>& allowed);

// The caller, holding `scope`, within the per-agency rate limit
// (RESOURCE_EXHAUSTED when over it). Every handler starts with it.
Result<rpc::Caller> Admit(service::Runtime& rt, const grpc::ServerContextBase* ctx,
                          std::string_view scope);

grpc::Status ToGrpc(const Error& error);
grpc::Status ToGrpc(const Status& status);

}  // namespace nrp::planning::api
