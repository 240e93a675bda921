// Mapping between nrp::Error and gRPC statuses (architecture §4). The rich
// error travels as google.rpc.Status in the `grpc-status-details-bin` trailer:
//   field violations -> google.rpc.BadRequest
//   rule violations  -> google.rpc.PreconditionFailure
//   reason/metadata  -> google.rpc.ErrorInfo{reason, domain, metadata}
// so any gRPC client (not only ours) can read which field or rule failed.
#pragma once

#include <grpcpp/support/status.h>

#include <string_view>

#include "nrp/core/status.h"

namespace nrp::rpc {

// `domain` names the producer in ErrorInfo, e.g. "registration.nrp".
grpc::Status ToGrpcStatus(const Error& error, std::string_view domain = "nrp");
grpc::Status ToGrpcStatus(const Status& status, std::string_view domain = "nrp");

// The reverse, for clients and tests: code, message and every detail we send.
// OK maps to Ok(). Undecodable details are ignored (the code and message stay).
Status FromGrpcStatus(const grpc::Status& status);

}  // namespace nrp::rpc
