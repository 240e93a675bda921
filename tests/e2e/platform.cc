#include "platform.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "certificate_check.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "nrp/core/calendar.h"
#include "nrp/core/uuid.h"
#include "nrp/rpc/client.h"

namespace nrp::e2e {
namespace {

std::string Hex(size_t n) {
  std::string s;
  while (s.size() < n) {
    std::string u = NewUuidV4();
    for (char c : u) {
      if (c != '-') s += c;
    }
  }
  return s.substr(0, n);
}

void WriteFile(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  ::chmod(path.c_str(), mode);
}

// SERVING for "" and for `service`.
bool Serving(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
             std::string* status) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  for (const std::string& name : {std::string(), service}) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(name);
    grpc::health::v1::HealthCheckResponse resp;
    grpc::Status st = stub->Check(&ctx, req, &resp);
    if (!st.ok()) {
      *status = "Check('" + name + "'): " + st.error_message();
      return false;
    }
    if (resp.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
      *status = "Check('" + name +
                "'): " + grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status());
      return false;
    }
  }
  return true;
}

}  // namespace

Platform::Platform(std::vector<std::string> regions) {
  id_ = Hex(8);
  prefix_ = "e2e" + id_ + ".";
  agency_ = "e2e-henan-nrd-" + id_;
  token_ = Hex(40);
  if (const char* state = std::getenv("NRP_TEST_STATE_DIR"); state != nullptr && *state) {
    dir_ = std::string(state) + "/e2e-" + id_;
    keep_dir_ = true;  // scripts/test keeps the state folder on failure only
  } else {
    dir_ = "/tmp/nrp-e2e-" + id_;
  }
  std::filesystem::create_directories(dir_);
  std::string region_list;
  for (const auto& r : regions) region_list += (region_list.empty() ? "\"" : ", \"") + r + "\"";
  const std::string tokens = R"({
  ")" + token_ + R"(": {"agency": ")" +
                             agency_ + R"(",
    "scopes": ["planning.read", "planning.write", "land_supply.read", "land_supply.write",
               "land_supply.pii", "registration.read", "registration.write", "registration.pii",
               "mining_rights.read", "mining_rights.write", "mining_rights.pii",
               "restoration.read", "restoration.write", "restoration.pii"],
    "regions": [)" + region_list +
                             R"(]}
})";
  WriteFile(dir_ + "/tokens.json", tokens, 0600);
  KeyPair key = GenerateSm2KeyPair();
  public_pem_ = key.public_pem;
  WriteFile(dir_ + "/registry-signing-key.pem", key.private_pem, 0600);
}

Platform::~Platform() {
  Stop();
  running_.clear();
  if (!keep_dir_ && !::testing::Test::HasFailure()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::chrono::seconds ClockOffset() {
  static const std::chrono::seconds offset = [] {
    const char* text = std::getenv("NRP_E2E_DATE");
    if (text == nullptr || *text == '\0') return std::chrono::seconds(0);
    auto day = Date::Parse(text, "NRP_E2E_DATE");
    if (!day.ok()) {
      std::fprintf(stderr, "%s\n", day.error().ToString().c_str());
      std::abort();
    }
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto china_today = floor<days>(now + hours(8));
    return duration_cast<seconds>(day->sys_days() - china_today);
  }();
  return offset;
}

std::chrono::system_clock::time_point PlatformNow() {
  return std::chrono::system_clock::now() + ClockOffset();
}

std::map<std::string, std::string> ClockEnvironment() {
  if (ClockOffset().count() == 0) return {};
  return {{"NRP_CLOCK_OFFSET_SECONDS", std::to_string(ClockOffset().count())}};
}

bool Platform::Start(std::vector<ServiceBinary> services, std::chrono::seconds timeout,
                     std::string* error) {
  const auto& infra = nrp::testing::GetInfra();
  for (auto& s : services) {
    Running r;
    r.db = std::make_unique<nrp::testing::TestDatabase>("e2e_" + s.name);
    int port = FreeLoopbackPort();
    int metrics_port = FreeLoopbackPort();
    r.target = "127.0.0.1:" + std::to_string(port);
    r.grpc_service = s.grpc_service;
    r.binary = s.binary;
    r.env = {
        {"PATH", "/usr/local/bin:/usr/bin:/bin"},
        {"LANG", "C.UTF-8"},
        {"NRP_LOG_LEVEL", "info"},
        {"NRP_DB_URL", r.db->conninfo()},
        {"NRP_REDIS_ADDR", infra.redis_addr},
        {"NRP_KAFKA_BOOTSTRAP", infra.kafka_bootstrap},
        {"NRP_KAFKA_TOPIC_PREFIX", prefix_},
        {"NRP_KAFKA_ENSURE_TOPICS", "true"},
        {"NRP_CONSUMER_GROUP", prefix_ + s.name},
        {"NRP_GRPC_ADDR", r.target},
        {"NRP_METRICS_ADDR", "127.0.0.1:" + std::to_string(metrics_port)},
        {"NRP_AUTH_MODE", "static"},
        {"NRP_AUTH_TOKENS_FILE", dir_ + "/tokens.json"},
        // The test polls for effects of events; the per-agency limit stays on.
        {"NRP_RATE_LIMIT_RPS", "500"},
        {"NRP_RATE_LIMIT_BURST", "1000"},
        {"NRP_CONSUMER_RETRY_INITIAL", "100ms"},
    };
    for (const auto& [k, v] : ClockEnvironment()) r.env[k] = v;
    for (const auto& [k, v] : s.env) r.env[k] = v;
    running_[s.name] = std::move(r);
    if (!Launch(s.name, 0, error)) return false;
  }
  return WaitServing(timeout, error);
}

bool Platform::Launch(const std::string& name, int generation, std::string* error) {
  Running& r = running_[name];
  const std::string log =
      dir_ + "/" + name + (generation == 0 ? "" : "." + std::to_string(generation)) + ".log";
  r.process = std::make_unique<ChildProcess>(name, r.binary, r.env, log);
  std::string why;
  if (!r.process->Start(&why)) {
    *error = name + ": " + why;
    return false;
  }
  return true;
}

bool Platform::WaitServing(std::chrono::seconds timeout, std::string* error) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::map<std::string, std::string> waiting;
  for (const auto& [name, r] : running_) waiting[name] = "not asked yet";
  while (!waiting.empty()) {
    for (auto it = waiting.begin(); it != waiting.end();) {
      Running& r = running_[it->first];
      if (!r.process->Running()) {
        *error = it->first + " stopped during start (" + r.process->ExitDescription() + "); log " +
                 r.process->log_path() + ":\n" + r.process->LogTail(30);
        return false;
      }
      if (Serving(AnonymousChannel(it->first), r.grpc_service, &it->second)) {
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
    if (waiting.empty()) break;
    if (std::chrono::steady_clock::now() > deadline) {
      *error = "not SERVING within " + std::to_string(timeout.count()) + " s:";
      for (const auto& [name, why] : waiting) {
        *error += "\n" + name + ": " + why + "; log " + running_[name].process->log_path() +
                  ":\n" + running_[name].process->LogTail(20);
      }
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

std::map<std::string, std::string> Platform::Restart(
    const std::map<std::string, std::string>& extra_env, std::chrono::seconds timeout,
    std::string* error) {
  std::map<std::string, std::string> stopped = Stop();
  ++generation_;
  for (auto& [name, r] : running_) {
    for (const auto& [k, v] : extra_env) {
      std::string value = v;
      // "{service}" stands for the service's name (a consumer group of its own).
      if (auto at = value.find("{service}"); at != std::string::npos) value.replace(at, 9, name);
      r.env[k] = value;
    }
    if (!Launch(name, generation_, error)) return stopped;
  }
  if (!WaitServing(timeout, error)) return stopped;
  error->clear();
  return stopped;
}

std::string Platform::Conninfo(const std::string& service) const {
  auto it = running_.find(service);
  return it == running_.end() || !it->second.db ? std::string() : it->second.db->conninfo();
}

std::map<std::string, std::string> Platform::Stop() {
  std::map<std::string, std::string> out;
  // All drain at once.
  for (auto& [name, r] : running_) {
    if (r.process && r.process->pid() > 0) r.process->Terminate();
  }
  for (auto& [name, r] : running_) {
    if (r.process && r.process->pid() > 0) {
      r.process->Stop(std::chrono::seconds(60));
      out[name] = r.process->ExitDescription();
    }
  }
  return out;
}

std::shared_ptr<grpc::Channel> Platform::Channel(const std::string& service) const {
  rpc::ChannelOptions o;
  o.target = Target(service);
  o.bearer_token = token_;
  return rpc::MakeChannel(o);
}

std::shared_ptr<grpc::Channel> Platform::AnonymousChannel(const std::string& service) const {
  rpc::ChannelOptions o;
  o.target = Target(service);
  return rpc::MakeChannel(o);
}

std::string Platform::Target(const std::string& service) const {
  auto it = running_.find(service);
  return it == running_.end() ? std::string() : it->second.target;
}

std::string Platform::LogTails(size_t lines) const {
  std::string out;
  for (const auto& [name, r] : running_) {
    if (!r.process) continue;
    out += "---- " + name + " (" + r.process->log_path() + ")\n" + r.process->LogTail(lines);
  }
  return out;
}

}  // namespace nrp::e2e
