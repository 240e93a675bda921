// events tail, events types.
#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "nrp/nrpctl/contract.h"
#include "nrp/nrpctl/events_tail.h"
#include "nrp/nrpctl/format.h"

namespace nrp::nrpctl::internal {
namespace {

Done Tail(Context& ctx, const ParsedArgs& args, const GlobalOptions& options) {
  TailOptions tail;
  tail.topics = args.GetAll("topic");
  tail.types = args.GetAll("type");
  tail.dlq = args.Switch("dlq");
  tail.from_beginning = args.Switch("from-beginning");
  tail.group = args.Get("group");
  tail.pretty = args.Switch("pretty");
  if (options.timeout_given) {
    tail.timeout = options.timeout;
    tail.connect_timeout = std::min(tail.connect_timeout, options.timeout);
  }
  if (args.Has("max")) {
    std::string max = args.Get("max");
    auto [ptr, ec] = std::from_chars(max.data(), max.data() + max.size(), tail.max);
    if (ec != std::errc() || ptr != max.data() + max.size() || tail.max <= 0) {
      return Failure::Usage("--max: expected a positive number of events, got '" + max + "'");
    }
  }
  for (const auto& type : tail.types) {
    if (Contract::Get().FindEvent(type) == nullptr) {
      *ctx.err << "nrpctl: warning: '" << type
               << "' is not an event type of the contract (see 'nrpctl events types')\n";
    }
  }
  NRPCTL_ASSIGN_OR_RETURN(events::KafkaOptions kafka, KafkaOptionsFor(ctx, options));
  int code = RunTail(ctx, kafka, tail);
  if (code == kExitOk) return Success();
  Failure f{code, Error(Code::kUnavailable, "events tail ended early")};
  f.reported = true;  // RunTail said why
  return f;
}

Done Types(Context& ctx, const ParsedArgs&, const GlobalOptions& options) {
  const auto& events = Contract::Get().events();
  if (options.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& e : events) {
      list.push_back({{"ce_type", e.ce_type},
                      {"topic", e.topic},
                      {"key", e.key},
                      {"payload", e.message},
                      {"consumers", e.consumers}});
    }
    *ctx.out << list.dump() << "\n";
    return Success();
  }
  Table t{{"TYPE", "TOPIC", "KEY", "PAYLOAD", "CONSUMERS"}, {}};
  for (const auto& e : events) {
    std::string consumers;
    for (const auto& c : e.consumers) consumers += (consumers.empty() ? "" : ",") + c;
    t.rows.push_back({e.ce_type, e.topic, e.key, e.message, consumers});
  }
  RenderTable(t, *ctx.out, "", 0);
  return Success();
}

}  // namespace

void AddEventCommands(Command& root) {
  Command& events = root.Add("events", "Read the platform's CloudEvents from Kafka");
  events.Add("tail", "Print the CloudEvents of the platform's topics as JSON, one a line")
      .Describe(
          "Consumes every platform topic (nrp.<service>.events.v1), or the --topic ones, and\n"
          "prints each record as one JSON object: topic, partition, offset, key, the CloudEvents\n"
          "headers (ce_id, ce_type, ce_source, ce_subject, ce_time, ce_dataschema, traceparent)\n"
          "and data, the payload decoded by ce_dataschema through the contract. A payload that\n"
          "cannot be decoded is printed with data_error and data_base64; dead-letter records\n"
          "carry dlq_reason. With --type and no --topic only the topics of those types are read.\n"
          "Without --group the consumer uses a group of its own and commits nothing. Runs until\n"
          "SIGINT/SIGTERM, --max events, or --timeout (here: how long to tail). Exit code 1 when\n"
          "--timeout ends it before --max events; 4 when the broker cannot be reached.\n"
          "Kafka: --bootstrap, else NRP_KAFKA_BOOTSTRAP, else the local stack's broker;\n"
          "NRP_KAFKA_PROPERTIES adds librdkafka properties (e.g. security.protocol=ssl).")
      .Flag({"topic", "TOPIC", "read this topic (default: every platform topic)", true})
      .Flag({"type", "CE_TYPE", "print only events of this ce_type", true})
      .Flag({"dlq", "", "also read the .dlq topic of each topic"})
      .Flag({"from-beginning", "", "start at the oldest retained record instead of new ones"})
      .Flag({"max", "N", "stop after N events"})
      .Flag({"group", "ID", "consume in this consumer group and commit offsets"})
      .Flag({"pretty", "", "indent each event's JSON over several lines"})
      .Example("nrpctl events tail")
      .Example("nrpctl events tail --type nrp.registration.certificate_issued.v1 --from-beginning")
      .Example("nrpctl events tail --topic nrp.planning.events.v1 --dlq --max 10 --timeout 30s")
      .Run(Wrap(Tail));
  events.Add("types", "List every event type of the contract with its topic, key and payload")
      .Example("nrpctl events types")
      .Example("nrpctl events types --json")
      .Run(Wrap(Types));
}

}  // namespace nrp::nrpctl::internal
