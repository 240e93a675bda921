#include "nrp/nrpctl/cli.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include "commands.h"
#include "nrp/nrpctl/dynamic.h"
#include "nrp/nrpctl/format.h"

namespace nrp::nrpctl {
namespace internal {

Handler Wrap(Body body) {
  return [body = std::move(body)](Context& ctx, const ParsedArgs& args) -> int {
    auto options = ReadGlobalOptions(args);
    if (!options.ok()) {
      PrintFailure(ctx, args.Switch("json"), options.failure());
      return options.failure().exit_code;
    }
    Done done = body(ctx, args, options.value());
    if (!done.ok()) {
      PrintFailure(ctx, options.value().json, done.failure());
      return done.failure().exit_code;
    }
    return kExitOk;
  };
}

void PrintFailure(Context& ctx, bool json, const Failure& failure) {
  if (failure.reported) return;
  if (json) {
    *ctx.err << FormatErrorJson(failure.error) << "\n";
  } else if (failure.exit_code == kExitServer) {
    *ctx.err << "nrpctl: " << FormatErrorText(failure.error) << "\n";
  } else {
    *ctx.err << "nrpctl: " << failure.error.message() << "\n";
  }
}

Outcome<std::shared_ptr<grpc::Channel>> ChannelTo(const Context& ctx, const GlobalOptions& options,
                                                  const std::string& address) {
  NRPCTL_ASSIGN_OR_RETURN(rpc::ChannelOptions channel, ChannelOptionsFor(ctx, options, address));
  return rpc::MakeChannel(channel);
}

void PrintResponse(Context& ctx, bool json, const google::protobuf::Message& message) {
  if (json) {
    *ctx.out << MessageToJson(message) << "\n";
    return;
  }
  if (message.ByteSizeLong() == 0) {
    *ctx.out << "(empty " << message.GetDescriptor()->name() << ")\n";
    return;
  }
  RenderTree(message, *ctx.out);
}

Outcome<std::string> ReadInput(Context& ctx, const ParsedArgs& args, const std::string& flag) {
  auto read_stream = [](std::istream& in) {
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  if (!args.Has(flag)) {
    if (ctx.in_is_terminal) return std::string();
    return read_stream(*ctx.in);
  }
  std::string value = args.Get(flag);
  if (value == "-" || value == "@-") return read_stream(*ctx.in);
  if (!value.empty() && value[0] == '@') {
    std::ifstream in(value.substr(1), std::ios::binary);
    if (!in) return Failure::Usage("--" + flag + ": cannot read '" + value.substr(1) + "'");
    return read_stream(in);
  }
  return value;
}

}  // namespace internal

const Command& CommandTree() {
  static const Command* root = [] {
    auto* r = new Command("nrpctl", "Operator CLI of the Natural Resources Platform.");
    r->Describe(
        "Calls every rpc of the five services over gRPC (generic `call` from the contract's\n"
        "descriptors, friendly commands with tables for everyday work), checks health, and\n"
        "tails the CloudEvents of the platform's Kafka topics as JSON.\n"
        "\n"
        "Addresses default to the local stack (registration 127.0.0.1:50051, land-supply :50052,\n"
        "mining-rights :50053, restoration :50054, planning :50055) or NRP_<SERVICE>_ADDR.\n"
        "The bearer token defaults to NRP_TOKEN, else the local stack's .local/tokens.json.\n"
        "Exit codes: 0 ok, 1 incomplete, 2 usage, 3 server error, 4 cannot connect.");
    r->Example("nrpctl health");
    r->Example("nrpctl planning layers list");
    r->Example(
        "nrpctl call planning GetZoneLayer --data '{\"layer_id\":\"410300-ecological-red-line\"}'");
    r->Example("nrpctl events tail --type nrp.planning.zone_published.v1");
    internal::AddGenericCommands(*r);
    internal::AddEventCommands(*r);
    internal::AddServiceCommands(*r);
    return r;
  }();
  return *root;
}

int Run(const std::vector<std::string>& argv, Context& ctx) {
  std::vector<std::string> args = argv;
  if (args.empty()) {
    *ctx.err << Help(CommandTree(), GlobalFlags());
    return kExitUsage;
  }
  if (args.front() == "help") {
    args.erase(args.begin());
    args.push_back("--help");
  }
  auto parsed = Parse(CommandTree(), GlobalFlags(), args);
  if (!parsed.ok()) {
    bool json = false;
    for (const auto& a : args) json = json || a == "--json";
    internal::PrintFailure(ctx, json, parsed.failure());
    return parsed.failure().exit_code;
  }
  if (parsed.value().help) {
    *ctx.out << Help(*parsed.value().command, GlobalFlags());
    return kExitOk;
  }
  return parsed.value().command->handler()(ctx, parsed.value());
}

}  // namespace nrp::nrpctl
