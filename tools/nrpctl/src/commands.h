// Internal to nrpctl: the pieces the command files share.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "nrp/nrpctl/args.h"
#include "nrp/nrpctl/context.h"
#include "nrp/nrpctl/dynamic.h"
#include "nrp/nrpctl/settings.h"

namespace nrp::nrpctl::internal {

using Body = std::function<Done(Context&, const ParsedArgs&, const GlobalOptions&)>;

// A handler that reads the global flags, runs `body` and prints its failure.
Handler Wrap(Body body);

// Prints a failure to ctx.err: text with one violation a line, or JSON.
void PrintFailure(Context& ctx, bool json, const Failure& failure);

// A channel to `address` with the TLS and token settings.
Outcome<std::shared_ptr<grpc::Channel>> ChannelTo(const Context& ctx, const GlobalOptions& options,
                                                  const std::string& address);

// A response: compact JSON on one line, or a tree for people.
void PrintResponse(Context& ctx, bool json, const google::protobuf::Message& message);

// The text of an input flag: the value itself, @FILE for a file, - or @- for
// stdin; without the flag, stdin unless it is a terminal.
Outcome<std::string> ReadInput(Context& ctx, const ParsedArgs& args, const std::string& flag);

// `call`: reads the request(s) from --data/stdin, calls `method` of
// `service`, prints each response.
Done CallMethod(Context& ctx, const ParsedArgs& args, const GlobalOptions& options,
                const ServiceInfo& service, const std::string& method);

// `<service> methods`: the rpcs with kind, types and their one-line comment.
Done PrintMethods(Context& ctx, const GlobalOptions& options,
                  const google::protobuf::ServiceDescriptor* service);

void AddGenericCommands(Command& root);
void AddEventCommands(Command& root);
void AddServiceCommands(Command& root);

}  // namespace nrp::nrpctl::internal
