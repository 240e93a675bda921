// call, describe, health, and the per-service `methods` listing.
#include <algorithm>
#include <future>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "nrp/nrpctl/call.h"
#include "nrp/nrpctl/contract.h"
#include "nrp/nrpctl/dynamic.h"
#include "nrp/nrpctl/format.h"

namespace nrp::nrpctl::internal {
namespace {

namespace pb = google::protobuf;
using Json = nlohmann::ordered_json;

std::string DumpJson(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

Outcome<std::vector<std::unique_ptr<pb::Message>>> BuildRequests(const pb::MethodDescriptor* method,
                                                                 const std::string& input) {
  std::vector<std::unique_ptr<pb::Message>> requests;
  if (!method->client_streaming()) {
    auto message = NewMessage(method->input_type());
    NRPCTL_RETURN_IF_FAILED(JsonToMessage(input, message.get()));
    FillRequestId(message.get());
    requests.push_back(std::move(message));
    return requests;
  }
  std::string text = Trim(input);
  if (!text.empty() && text[0] == '[') {
    Json array = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (array.is_discarded() || !array.is_array()) {
      return Failure::Usage("the input starts with '[' but is not a JSON array of requests");
    }
    for (size_t i = 0; i < array.size(); ++i) {
      auto message = NewMessage(method->input_type());
      NRPCTL_RETURN_IF_FAILED(
          JsonToMessage(DumpJson(array[i]), message.get(), "request #" + std::to_string(i + 1)));
      requests.push_back(std::move(message));
    }
  } else {
    size_t start = 0;
    int line_no = 0;
    while (start <= text.size()) {
      size_t nl = text.find('\n', start);
      std::string line =
          Trim(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      ++line_no;
      if (!line.empty()) {
        auto message = NewMessage(method->input_type());
        NRPCTL_RETURN_IF_FAILED(
            JsonToMessage(line, message.get(), "line " + std::to_string(line_no) + ":"));
        requests.push_back(std::move(message));
      }
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  if (requests.empty()) {
    return Failure::Usage(method->full_name() +
                          " is client-streaming: give its requests as NDJSON lines (one request "
                          "message a line) or a JSON array");
  }
  FillRequestId(requests.front().get());
  return requests;
}

std::string ShortType(const pb::Descriptor* type, const std::string& package) {
  const std::string& full = type->full_name();
  if (full.size() > package.size() + 1 && full.compare(0, package.size(), package) == 0 &&
      full[package.size()] == '.') {
    return full.substr(package.size() + 1);
  }
  return full;
}

std::string FieldTypeName(const pb::FieldDescriptor* f) {
  auto base = [](const pb::FieldDescriptor* x) -> std::string {
    if (x->message_type() != nullptr) return x->message_type()->full_name();
    if (x->enum_type() != nullptr) return x->enum_type()->full_name();
    return x->type_name();
  };
  if (f->is_map()) {
    return "map<" + base(f->message_type()->map_key()) + ", " +
           base(f->message_type()->map_value()) + ">";
  }
  std::string t = base(f);
  if (f->is_repeated()) return "repeated " + t;
  if (f->has_optional_keyword()) return "optional " + t;
  if (f->real_containing_oneof() != nullptr)
    return t + " (oneof " + f->real_containing_oneof()->name() + ")";
  return t;
}

void PrintHeading(Context& ctx, const std::string& heading, const std::string& comment) {
  *ctx.out << heading << "\n";
  if (!comment.empty()) {
    size_t start = 0;
    while (start <= comment.size()) {
      size_t nl = comment.find('\n', start);
      *ctx.out << "  "
               << comment.substr(start, nl == std::string::npos ? std::string::npos : nl - start)
               << "\n";
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  *ctx.out << "\n";
}

Json MessageJson(const pb::Descriptor* d) {
  const Contract& c = Contract::Get();
  Json j;
  j["element"] = "message";
  j["name"] = d->full_name();
  j["comment"] = c.Comment(d->full_name());
  Json fields = Json::array();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    fields.push_back({{"number", f->number()},
                      {"name", f->name()},
                      {"type", FieldTypeName(f)},
                      {"comment", c.Comment(f->full_name())}});
  }
  j["fields"] = std::move(fields);
  return j;
}

void DescribeMessage(Context& ctx, bool json, const pb::Descriptor* d) {
  if (json) {
    *ctx.out << DumpJson(MessageJson(d)) << "\n";
    return;
  }
  const Contract& c = Contract::Get();
  PrintHeading(ctx, "message " + d->full_name(), c.Comment(d->full_name()));
  Table t{{"NO", "FIELD", "TYPE", "DESCRIPTION"}, {}};
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    t.rows.push_back({std::to_string(f->number()), f->name(), FieldTypeName(f),
                      OneLine(c.Comment(f->full_name()))});
  }
  RenderTable(t, *ctx.out, "", 0);
}

void DescribeEnum(Context& ctx, bool json, const pb::EnumDescriptor* d) {
  const Contract& c = Contract::Get();
  if (json) {
    Json j;
    j["element"] = "enum";
    j["name"] = d->full_name();
    j["comment"] = c.Comment(d->full_name());
    Json values = Json::array();
    for (int i = 0; i < d->value_count(); ++i) {
      const pb::EnumValueDescriptor* v = d->value(i);
      values.push_back(
          {{"number", v->number()}, {"name", v->name()}, {"comment", c.Comment(v->full_name())}});
    }
    j["values"] = std::move(values);
    *ctx.out << DumpJson(j) << "\n";
    return;
  }
  PrintHeading(ctx, "enum " + d->full_name(), c.Comment(d->full_name()));
  Table t{{"NO", "NAME", "DESCRIPTION"}, {}};
  for (int i = 0; i < d->value_count(); ++i) {
    const pb::EnumValueDescriptor* v = d->value(i);
    t.rows.push_back({std::to_string(v->number()), v->name(), OneLine(c.Comment(v->full_name()))});
  }
  RenderTable(t, *ctx.out, "", 0);
}

Json MethodJson(const pb::MethodDescriptor* m) {
  Json j;
  j["name"] = m->name();
  j["full_name"] = m->full_name();
  j["kind"] = MethodKind(m);
  j["request"] = m->input_type()->full_name();
  j["response"] = m->output_type()->full_name();
  j["comment"] = Contract::Get().Comment(m->full_name());
  return j;
}

void DescribeMethod(Context& ctx, bool json, const pb::MethodDescriptor* m) {
  if (json) {
    Json j = MethodJson(m);
    j["element"] = "method";
    j["request_fields"] = MessageJson(m->input_type())["fields"];
    *ctx.out << DumpJson(j) << "\n";
    return;
  }
  std::string in = m->client_streaming() ? "stream " : "";
  std::string out = m->server_streaming() ? "stream " : "";
  PrintHeading(ctx,
               "rpc " + m->full_name() + "(" + in + m->input_type()->full_name() + ") returns (" +
                   out + m->output_type()->full_name() + ")",
               Contract::Get().Comment(m->full_name()));
  DescribeMessage(ctx, false, m->input_type());
}

// The health of one address: the serving status name, or why there is none.
Outcome<std::string> CheckHealth(const Context& ctx, const GlobalOptions& options,
                                 const std::string& address, const std::string& service) {
  NRPCTL_ASSIGN_OR_RETURN(auto channel, ChannelTo(ctx, options, address));
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options.timeout);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return FailureFromStatus(status, channel.get(), address);
  return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
}

Done Health(Context& ctx, const ParsedArgs& args, const GlobalOptions& options) {
  const ServiceInfo* only = nullptr;
  if (args.Has("service")) {
    only = FindService(args.Get("service"));
    if (only == nullptr) {
      return Failure::Usage("unknown service '" + args.Get("service") +
                            "'; one of: " + ServiceNames());
    }
  }
  // One address: the form deploy/local/status uses. One line, exit code says it all.
  if (!options.addr.empty() || only != nullptr) {
    std::string address = only != nullptr ? ServiceAddress(ctx, options, *only) : options.addr;
    std::string service = only != nullptr ? std::string(only->full_name) : "";
    auto result = CheckHealth(ctx, options, address, service);
    Failure failure;
    if (result.ok() && result.value() == "SERVING") {
      if (options.json) {
        *ctx.out << DumpJson({{"address", address}, {"service", service}, {"status", "SERVING"}})
                 << "\n";
      } else {
        *ctx.out << "SERVING\n";
      }
      return Success();
    }
    if (result.ok()) {
      failure = Failure::Server(Error(Code::kUnavailable, result.value()));
    } else {
      failure = result.failure();
    }
    std::string line = result.ok() ? result.value() : OneLine(FormatErrorText(failure.error));
    if (!result.ok() && failure.exit_code != kExitServer) line = OneLine(failure.error.message());
    if (options.json) {
      *ctx.out << DumpJson({{"address", address},
                            {"service", service},
                            {"status", result.ok() ? result.value() : "UNKNOWN"},
                            {"error", result.ok() ? "" : line}})
               << "\n";
    } else {
      *ctx.err << line << "\n";
    }
    failure.reported = true;
    return failure;
  }
  // Every service at its address.
  Table table{{"SERVICE", "ADDRESS", "STATUS", "DETAIL"}, {}};
  Json all = Json::array();
  int worst = kExitOk;
  // All at once: an address that does not answer costs one deadline, not five.
  std::vector<std::future<Outcome<std::string>>> checks;
  for (const auto& s : kServices) {
    std::string address = ServiceAddress(ctx, options, s);
    checks.push_back(std::async(std::launch::async, [&ctx, &options, address] {
      return CheckHealth(ctx, options, address, "");
    }));
  }
  for (size_t i = 0; i < kServices.size(); ++i) {
    const ServiceInfo& s = kServices[i];
    std::string address = ServiceAddress(ctx, options, s);
    auto result = checks[i].get();
    std::string status = result.ok() ? result.value() : "UNREACHABLE";
    std::string detail;
    if (!result.ok()) {
      const Failure& f = result.failure();
      if (f.exit_code == kExitServer) status = "ERROR";
      detail = f.exit_code == kExitServer ? OneLine(FormatErrorText(f.error)) : f.error.message();
      worst = std::max(worst, f.exit_code);
    } else if (status != "SERVING") {
      worst = std::max(worst, static_cast<int>(kExitServer));
    }
    // The table has the address already; of a transport error the last part
    // says what happened ("Connection refused").
    std::string brief = detail;
    if (status == "UNREACHABLE" && brief.rfind(": ") != std::string::npos) {
      brief = brief.substr(brief.rfind(": ") + 2);
    }
    table.rows.push_back({std::string(s.cli), address, status, brief});
    all.push_back(
        {{"service", s.name}, {"address", address}, {"status", status}, {"error", detail}});
  }
  if (options.json) {
    *ctx.out << DumpJson(all) << "\n";
  } else {
    RenderTable(table, *ctx.out, "", 100);
  }
  if (worst == kExitOk) return Success();
  Failure f{worst, Error(Code::kUnavailable, "not every service is SERVING")};
  f.reported = true;
  return f;
}

}  // namespace

Done CallMethod(Context& ctx, const ParsedArgs& args, const GlobalOptions& options,
                const ServiceInfo& service, const std::string& method_name) {
  NRPCTL_ASSIGN_OR_RETURN(const pb::ServiceDescriptor* sd, ServiceDescriptorOf(service));
  NRPCTL_ASSIGN_OR_RETURN(const pb::MethodDescriptor* method, FindMethod(sd, method_name));
  NRPCTL_ASSIGN_OR_RETURN(std::string input, ReadInput(ctx, args, "data"));
  NRPCTL_ASSIGN_OR_RETURN(auto requests, BuildRequests(method, input));
  std::string address = ServiceAddress(ctx, options, service);
  NRPCTL_ASSIGN_OR_RETURN(auto channel, ChannelTo(ctx, options, address));
  int responses = 0;
  return Invoke(channel, address, method, requests, options.timeout,
                [&](const pb::Message& response) {
                  if (responses++ > 0 && !options.json) *ctx.out << "---\n";
                  PrintResponse(ctx, options.json, response);
                });
}

Done PrintMethods(Context& ctx, const GlobalOptions& options,
                  const pb::ServiceDescriptor* service) {
  const Contract& c = Contract::Get();
  if (options.json) {
    Json list = Json::array();
    for (int i = 0; i < service->method_count(); ++i)
      list.push_back(MethodJson(service->method(i)));
    *ctx.out << DumpJson(list) << "\n";
    return Success();
  }
  PrintHeading(ctx, "service " + service->full_name(), c.Comment(service->full_name()));
  const std::string& package = service->file()->package();
  Table t{{"METHOD", "KIND", "REQUEST", "RESPONSE", "DESCRIPTION"}, {}};
  for (int i = 0; i < service->method_count(); ++i) {
    const pb::MethodDescriptor* m = service->method(i);
    t.rows.push_back({m->name(), MethodKind(m), ShortType(m->input_type(), package),
                      ShortType(m->output_type(), package), c.Summary(m->full_name())});
  }
  RenderTable(t, *ctx.out, "", 0);
  return Success();
}

void AddGenericCommands(Command& root) {
  root.Add("call", "Call any rpc of a service with a JSON request")
      .Args("<service> <Method>", 2, 2)
      .Describe(
          "Resolves nrp.<service>.v1.<Service>.<Method> in the contract, converts the JSON "
          "request\n"
          "(proto3 JSON mapping; proto or lowerCamel field names; enums by name) into the request\n"
          "message and prints the response as a tree, or as JSON with --json. An empty\n"
          "request_id of a mutation is filled with a fresh UUID.\n"
          "Client-streaming methods (planning ImportZones) take NDJSON, one request a line, or a\n"
          "JSON array. The request comes from --data, else stdin (unless it is a terminal).\n"
          "Services: registration, land-supply, mining-rights, restoration, planning; method\n"
          "names may also be written in kebab case (list-zone-layers).")
      .Flag({"data", "JSON|@FILE|-", "the request as JSON, @FILE to read a file, - for stdin"})
      .Example(
          "nrpctl call planning GetZoneLayer --data "
          "'{\"layer_id\":\"410300-ecological-red-line\"}'")
      .Example(
          "nrpctl call land-supply ListOffers --data '{\"filter\":\"region_code = "
          "\\\"410300\\\"\"}' --json")
      .Example("nrpctl call planning ImportZones --data @chunks.ndjson")
      .Run(Wrap([](Context& ctx, const ParsedArgs& args, const GlobalOptions& options) -> Done {
        const ServiceInfo* service = FindService(args.args[0]);
        if (service == nullptr) {
          return Failure::Usage("unknown service '" + args.args[0] +
                                "'; one of: " + ServiceNames());
        }
        return CallMethod(ctx, args, options, *service, args.args[1]);
      }));

  root.Add("describe", "Show a message, enum, service or method of the contract")
      .Args("<name>", 1, 1)
      .Describe(
          "Prints the fields of a message (number, name, type, comment), the values of an enum,\n"
          "the methods of a service or the signature and request fields of a method. The name is\n"
          "a full name (nrp.planning.v1.Zone) or a short name unique in the platform's packages.")
      .Example("nrpctl describe nrp.planning.v1.CheckConflictsRequest")
      .Example("nrpctl describe ZoneLayerKind")
      .Example("nrpctl describe nrp.planning.v1.PlanningService.ImportZones")
      .Run(Wrap([](Context& ctx, const ParsedArgs& args, const GlobalOptions& options) -> Done {
        NRPCTL_ASSIGN_OR_RETURN(NamedType t, FindType(args.args[0]));
        if (t.message != nullptr) {
          DescribeMessage(ctx, options.json, t.message);
        } else if (t.enumeration != nullptr) {
          DescribeEnum(ctx, options.json, t.enumeration);
        } else if (t.service != nullptr) {
          return PrintMethods(ctx, options, t.service);
        } else {
          DescribeMethod(ctx, options.json, t.method);
        }
        return Success();
      }));

  root.Add("health", "Check grpc.health.v1 of one address or of every service")
      .Describe(
          "With --addr (and/or --service): checks that one server and prints SERVING (exit 0), or\n"
          "prints one line saying why not: its status, the server's error (exit 3) or why it\n"
          "cannot be reached (exit 4). Without either: checks every service at its address and\n"
          "prints a table; the exit code is that of the worst.")
      .Flag({"service", "NAME",
             "check this service (its address and its health name) instead of the server"})
      .Example("nrpctl health")
      .Example("nrpctl --addr 127.0.0.1:50055 health")
      .Example("nrpctl health --service planning --json")
      .Run(Wrap(Health));
}

}  // namespace nrp::nrpctl::internal
