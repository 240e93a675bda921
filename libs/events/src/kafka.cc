#include "nrp/events/kafka.h"

#include <fstream>

#include "nrp/core/log.h"

namespace nrp::events {
namespace {

void LogFromLibrdkafka(const rd_kafka_t* rk, int level, const char* facility, const char* buf) {
  log::Level l = level <= 3   ? log::Level::kError
                 : level == 4 ? log::Level::kWarn
                 : level <= 6 ? log::Level::kInfo
                              : log::Level::kDebug;
  // A broker that cannot be reached is an outage librdkafka rides out by
  // reconnecting with backoff, not an error of this process.
  if (l == log::Level::kError && std::string_view(facility) == "FAIL") l = log::Level::kWarn;
  if (!log::Enabled(l)) return;
  log::Write(l, "librdkafka",
             {{"client", rk ? rd_kafka_name(rk) : ""}, {"facility", facility}, {"detail", buf}});
}

// Errors librdkafka reports outside any request. Unreachable brokers are an
// outage it rides out by reconnecting: a warning. Fatal errors are errors.
void LogKafkaError(rd_kafka_t* rk, int err, const char* reason, void*) {
  auto code = static_cast<rd_kafka_resp_err_t>(err);
  bool outage = code == RD_KAFKA_RESP_ERR__TRANSPORT ||
                code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN || code == RD_KAFKA_RESP_ERR__RESOLVE ||
                code == RD_KAFKA_RESP_ERR__TIMED_OUT;
  log::Write(outage ? log::Level::kWarn : log::Level::kError, "kafka client error",
             {{"client", rk ? rd_kafka_name(rk) : ""},
              {"error", KafkaErrorText(code)},
              {"detail", reason ? reason : ""}});
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

Result<KafkaOptions> KafkaOptions::FromEnv(Env& env, std::string_view default_client_id) {
  KafkaOptions o;
  o.bootstrap = env.String("NRP_KAFKA_BOOTSTRAP", o.bootstrap);
  std::string file = env.String("NRP_KAFKA_BOOTSTRAP_FILE", "");
  o.client_id = env.String("NRP_KAFKA_CLIENT_ID", std::string(default_client_id));
  for (const std::string& item : env.List("NRP_KAFKA_PROPERTIES", {})) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Error::InvalidArgument("NRP_KAFKA_PROPERTIES",
                                    "expected key=value items, got '" + item + "'");
    }
    o.properties[Trim(item.substr(0, eq))] = Trim(item.substr(eq + 1));
  }
  if (!file.empty()) {
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line) || Trim(line).empty()) {
      return Error::InvalidArgument("NRP_KAFKA_BOOTSTRAP_FILE",
                                    "cannot read a bootstrap list from '" + file + "'");
    }
    o.bootstrap = Trim(line);
  }
  if (o.bootstrap.empty()) {
    return Error::InvalidArgument("NRP_KAFKA_BOOTSTRAP", "empty bootstrap list");
  }
  return o;
}

Result<KafkaHandle> CreateKafkaClient(rd_kafka_type_t type, const KafkaOptions& options,
                                      const KafkaProperties& defaults,
                                      const KafkaProperties& required,
                                      const std::function<void(rd_kafka_conf_t*)>& configure) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  auto set = [&](const std::string& k, const std::string& v) -> Status {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      return Error::InvalidArgument(k, err);
    }
    return Ok();
  };
  KafkaProperties merged = defaults;
  for (const auto& [k, v] : options.properties) merged[k] = v;
  for (const auto& [k, v] : required) merged[k] = v;
  merged["bootstrap.servers"] = options.bootstrap;
  merged["client.id"] = options.client_id;
  for (const auto& [k, v] : merged) {
    Status s = set(k, v);
    if (!s.ok()) {
      rd_kafka_conf_destroy(conf);
      return std::move(s.error()).Prefix("kafka configuration");
    }
  }
  rd_kafka_conf_set_log_cb(conf, LogFromLibrdkafka);
  rd_kafka_conf_set_error_cb(conf, LogKafkaError);
  if (configure) configure(conf);
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (!rk) {
    // rd_kafka_new() keeps the configuration only on success.
    rd_kafka_conf_destroy(conf);
    return Error::InvalidArgument("kafka", std::string("cannot create client: ") + err);
  }
  return KafkaHandle(rk);
}

Headers ReadHeaders(const rd_kafka_message_t* message) {
  Headers out;
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(message, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR || !hdrs) return out;
  const char* name = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  for (size_t i = 0;
       rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
    out.emplace_back(name,
                     value ? std::string(static_cast<const char*>(value), size) : std::string());
  }
  return out;
}

rd_kafka_headers_t* NewKafkaHeaders(const Headers& headers) {
  rd_kafka_headers_t* h = rd_kafka_headers_new(headers.size());
  for (const auto& [k, v] : headers) {
    rd_kafka_header_add(h, k.data(), static_cast<ssize_t>(k.size()), v.data(),
                        static_cast<ssize_t>(v.size()));
  }
  return h;
}

std::string MessageKey(const rd_kafka_message_t* m) {
  return m->key ? std::string(static_cast<const char*>(m->key), m->key_len) : std::string();
}

std::string MessageValue(const rd_kafka_message_t* m) {
  return m->payload ? std::string(static_cast<const char*>(m->payload), m->len) : std::string();
}

std::string MessageTopic(const rd_kafka_message_t* m) {
  return m->rkt ? std::string(rd_kafka_topic_name(m->rkt)) : std::string();
}

std::string KafkaErrorText(rd_kafka_resp_err_t err) {
  return std::string(rd_kafka_err2name(err)) + ": " + rd_kafka_err2str(err);
}

}  // namespace nrp::events
