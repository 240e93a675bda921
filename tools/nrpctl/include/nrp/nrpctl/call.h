// Calls any rpc of the contract by its descriptor through grpc::GenericStub:
// the request messages are serialized by the CLI, the response bytes parsed
// into the method's output type. Unary, client-streaming (several requests,
// one response), server-streaming and bidi methods all go through Invoke.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nrp/nrpctl/context.h"

namespace nrp::nrpctl {

using ResponseSink = std::function<void(const google::protobuf::Message&)>;

// Sends `requests` (exactly one unless the method is client- or
// bidi-streaming) and hands each response to `on_response` as it arrives. The
// whole call has `timeout` as its deadline. Failures: kExitConnection when the
// address cannot be reached (the channel is not connected and the call ended
// UNAVAILABLE or DEADLINE_EXCEEDED), kExitServer with the decoded
// google.rpc.Status details for any other error status.
Done Invoke(const std::shared_ptr<grpc::Channel>& channel, std::string_view address,
            const google::protobuf::MethodDescriptor* method,
            const std::vector<std::unique_ptr<google::protobuf::Message>>& requests,
            std::chrono::milliseconds timeout, const ResponseSink& on_response);

// The Failure a non-OK status means (see Invoke).
Failure FailureFromStatus(const grpc::Status& status, grpc::Channel* channel,
                          std::string_view address);

}  // namespace nrp::nrpctl
