// Where to connect and as whom, from the global flags, the environment and the
// local stack's state folder (.local/ of the checkout):
//   address    --addr, else NRP_<SERVICE>_ADDR, else 127.0.0.1:<port of the
//              local stack> (NRP_LOCAL_GRPC_BASE_PORT shifts them as in deploy/local)
//   token      --token, --token-file, NRP_TOKEN, NRP_CLIENT_TOKEN_FILE, else
//              the first token of .local/tokens.json when there is one
//   TLS        --tls --ca-file --cert-file --key-file --server-name, else the
//              NRP_CLIENT_* variables of nrp::rpc::ChannelOptions::FromEnv
//   deadline   --timeout (default 10s) per call
//   Kafka      --bootstrap, else NRP_KAFKA_BOOTSTRAP / NRP_KAFKA_BOOTSTRAP_FILE,
//              else .local/kafka.bootstrap, else 127.0.0.1:9092;
//              NRP_KAFKA_PROPERTIES adds librdkafka properties (security)
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "nrp/events/kafka.h"
#include "nrp/nrpctl/args.h"
#include "nrp/nrpctl/context.h"
#include "nrp/nrpctl/dynamic.h"
#include "nrp/rpc/client.h"

namespace nrp::nrpctl {

// The flags every command accepts.
const std::vector<FlagSpec>& GlobalFlags();

struct GlobalOptions {
  std::string addr;
  std::string token;
  std::string token_file;
  bool tls = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string server_name;
  bool json = false;
  std::chrono::milliseconds timeout{10000};
  bool timeout_given = false;
  std::string bootstrap;
};

Outcome<GlobalOptions> ReadGlobalOptions(const ParsedArgs& args);

// The address of a service (see above).
std::string ServiceAddress(const Context& ctx, const GlobalOptions& options,
                           const ServiceInfo& service);

// Channel options for `target`: TLS and token as described above.
Outcome<rpc::ChannelOptions> ChannelOptionsFor(const Context& ctx, const GlobalOptions& options,
                                               std::string target);

// The first token of the local stack's tokens.json, if one is found.
std::optional<std::string> LocalStackToken(const Context& ctx);

// The path of a file in the local stack's state folder, if it exists.
std::optional<std::string> FindLocalStateFile(const Context& ctx, const std::string& name);

// Kafka client options for nrpctl (see above).
Outcome<events::KafkaOptions> KafkaOptionsFor(const Context& ctx, const GlobalOptions& options);

}  // namespace nrp::nrpctl
