#include "nrp/nrpctl/settings.h"

#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace nrp::nrpctl {
namespace {

Outcome<std::string> ReadWholeFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Failure::Usage("cannot read " + what + " '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TrimRight(std::string s) {
  while (!s.empty() &&
         (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
    s.pop_back();
  }
  size_t b = s.find_first_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b);
}

std::string Upper(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

const std::vector<FlagSpec>& GlobalFlags() {
  static const std::vector<FlagSpec> flags = {
      {"addr", "HOST:PORT",
       "service address (default: NRP_<SERVICE>_ADDR, else the local stack's port)"},
      {"token", "TOKEN",
       "bearer token (default: NRP_TOKEN, else the local stack's operator token)"},
      {"token-file", "PATH", "file holding the bearer token"},
      {"tls", "", "use TLS (default: NRP_CLIENT_TLS)"},
      {"ca-file", "PATH", "trusted CA certificates, PEM (TLS)"},
      {"cert-file", "PATH", "client certificate, PEM (mutual TLS, with --key-file)"},
      {"key-file", "PATH", "client private key, PEM (mutual TLS)"},
      {"server-name", "NAME", "TLS name to verify instead of the address's host"},
      {"json", "", "print JSON for scripts instead of tables"},
      {"timeout", "DURATION", "deadline of each call, e.g. 500ms, 10s, 2m (default 10s)"},
      {"bootstrap", "LIST",
       "Kafka bootstrap servers for events (default: NRP_KAFKA_BOOTSTRAP, else the local stack's "
       "broker)"},
  };
  return flags;
}

Outcome<GlobalOptions> ReadGlobalOptions(const ParsedArgs& args) {
  GlobalOptions o;
  o.addr = args.Get("addr");
  o.token = args.Get("token");
  o.token_file = args.Get("token-file");
  o.tls = args.Switch("tls");
  o.ca_file = args.Get("ca-file");
  o.cert_file = args.Get("cert-file");
  o.key_file = args.Get("key-file");
  o.server_name = args.Get("server-name");
  o.json = args.Switch("json");
  o.bootstrap = args.Get("bootstrap");
  if (args.Has("timeout")) {
    auto d = ParseDuration(args.Get("timeout"));
    if (!d.ok() || d.value().count() <= 0) {
      return Failure::Usage(
          "--timeout: expected a positive duration such as 500ms, 10s or 2m, got '" +
          args.Get("timeout") + "'");
    }
    o.timeout = d.value();
    o.timeout_given = true;
  }
  if (!o.token.empty() && !o.token_file.empty()) {
    return Failure::Usage("give either --token or --token-file, not both");
  }
  if (o.cert_file.empty() != o.key_file.empty()) {
    return Failure::Usage("--cert-file and --key-file go together");
  }
  if (!o.addr.empty() && o.addr.find(':') == std::string::npos &&
      o.addr.compare(0, 5, "unix:") != 0) {
    return Failure::Usage("--addr: expected HOST:PORT, got '" + o.addr + "'");
  }
  return o;
}

std::string ServiceAddress(const Context& ctx, const GlobalOptions& options,
                           const ServiceInfo& service) {
  if (!options.addr.empty()) return options.addr;
  if (auto v = ctx.Getenv("NRP_" + Upper(service.name) + "_ADDR"); v && !v->empty()) return *v;
  int port = service.default_port;
  if (auto base = ctx.Getenv("NRP_LOCAL_GRPC_BASE_PORT"); base && !base->empty()) {
    int b = 0;
    auto [ptr, ec] = std::from_chars(base->data(), base->data() + base->size(), b);
    if (ec == std::errc() && ptr == base->data() + base->size() && b > 0 && b < 65531) {
      port = b + (service.default_port - kServices[0].default_port);
    }
  }
  return "127.0.0.1:" + std::to_string(port);
}

std::optional<std::string> FindLocalStateFile(const Context& ctx, const std::string& name) {
  for (const std::string& dir : ctx.LocalStateDirs()) {
    std::error_code ec;
    std::filesystem::path p = std::filesystem::path(dir) / name;
    if (std::filesystem::is_regular_file(p, ec)) return p.string();
  }
  return std::nullopt;
}

std::optional<std::string> LocalStackToken(const Context& ctx) {
  auto path = FindLocalStateFile(ctx, "tokens.json");
  if (!path) return std::nullopt;
  std::ifstream in(*path);
  if (!in) return std::nullopt;
  // The token table keeps the order it was written in; the first is the operator's.
  auto table = nlohmann::ordered_json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!table.is_object() || table.empty()) return std::nullopt;
  return table.begin().key();
}

Outcome<rpc::ChannelOptions> ChannelOptionsFor(const Context& ctx, const GlobalOptions& options,
                                               std::string target) {
  Env env = ctx.MakeEnv();
  auto from_env = rpc::ChannelOptions::FromEnv(env, std::move(target));
  if (!from_env.ok()) return Failure::Usage(from_env.error().message());
  rpc::ChannelOptions o = std::move(from_env).value();
  if (options.tls) o.tls = true;
  if (!options.ca_file.empty()) {
    NRPCTL_ASSIGN_OR_RETURN(o.ca_pem, ReadWholeFile(options.ca_file, "--ca-file"));
    o.tls = true;
  }
  if (!options.cert_file.empty()) {
    NRPCTL_ASSIGN_OR_RETURN(o.client_cert_pem, ReadWholeFile(options.cert_file, "--cert-file"));
    NRPCTL_ASSIGN_OR_RETURN(o.client_key_pem, ReadWholeFile(options.key_file, "--key-file"));
    o.tls = true;
  }
  if (!options.server_name.empty()) o.server_name_override = options.server_name;
  if (!options.token.empty()) {
    o.bearer_token = options.token;
  } else if (!options.token_file.empty()) {
    NRPCTL_ASSIGN_OR_RETURN(std::string t, ReadWholeFile(options.token_file, "--token-file"));
    o.bearer_token = TrimRight(std::move(t));
  } else if (auto t = ctx.Getenv("NRP_TOKEN"); t && !t->empty()) {
    o.bearer_token = *t;
  } else if (o.bearer_token.empty()) {
    if (auto local = LocalStackToken(ctx)) o.bearer_token = *local;
  }
  return o;
}

Outcome<events::KafkaOptions> KafkaOptionsFor(const Context& ctx, const GlobalOptions& options) {
  Env env = ctx.MakeEnv();
  auto from_env = events::KafkaOptions::FromEnv(env, "nrpctl");
  if (!from_env.ok()) return Failure::Usage(from_env.error().message());
  events::KafkaOptions o = std::move(from_env).value();
  bool env_bootstrap = ctx.Getenv("NRP_KAFKA_BOOTSTRAP").value_or("") != "" ||
                       ctx.Getenv("NRP_KAFKA_BOOTSTRAP_FILE").value_or("") != "";
  if (!options.bootstrap.empty()) {
    o.bootstrap = options.bootstrap;
  } else if (!env_bootstrap) {
    if (auto file = FindLocalStateFile(ctx, "kafka.bootstrap")) {
      std::ifstream in(*file);
      std::string line;
      if (in && std::getline(in, line) && !TrimRight(line).empty()) o.bootstrap = TrimRight(line);
    }
  }
  return o;
}

}  // namespace nrp::nrpctl
