// The platform as an operator runs it, for one test: the real service
// binaries (planning, land supply, registration, mining rights) as child processes on free
// loopback ports, each with its own database, one topic prefix shared by all
// of them, consumer groups of their own, a static token table and the
// registry's signing key written by the test. Nothing of the services is
// linked in: the test reaches them only through gRPC and Kafka.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "child_process.h"
#include "nrp/testing/infra.h"

namespace nrp::e2e {

// The day the platform runs on. NRP_E2E_DATE ("2028-01-25") moves every service's clock, the
// demo loader's and the test's own to that day at the present China time of day
// (NRP_CLOCK_OFFSET_SECONDS for the processes); unset, the platform runs today. It shows the
// platform keeps working on any day, whatever year the test is run in.
std::chrono::seconds ClockOffset();
// The platform's time: the system clock moved by ClockOffset(). gRPC deadlines stay on the
// system clock.
std::chrono::system_clock::time_point PlatformNow();
// The environment entry that shifts a child process like the platform ({} when not shifted).
std::map<std::string, std::string> ClockEnvironment();

struct ServiceBinary {
  std::string name;          // "planning", "land_supply", "registration", "mining_rights"
  std::string binary;        // path to the executable
  std::string grpc_service;  // full name of its gRPC service
  // Service-specific variables (docs/services/<name>.md).
  std::map<std::string, std::string> env;
};

class Platform {
 public:
  // The province's agency may act in the region-code prefixes `regions`.
  explicit Platform(std::vector<std::string> regions = {"41"});
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  // Starts every service and waits (bounded) until each reports SERVING on
  // grpc.health.v1 for "" and its service name. False with `error` (and the
  // tail of the failing service's log) otherwise.
  bool Start(std::vector<ServiceBinary> services, std::chrono::seconds timeout, std::string* error);
  // SIGTERM to every service, waiting for each to drain and exit; the exit
  // descriptions by service name.
  std::map<std::string, std::string> Stop();

  // A channel to `service` carrying the bearer token of the province's agency.
  std::shared_ptr<grpc::Channel> Channel(const std::string& service) const;
  // A channel without any token.
  std::shared_ptr<grpc::Channel> AnonymousChannel(const std::string& service) const;
  std::string Target(const std::string& service) const;
  // The connection string of `service`'s database (what the test reads to measure, never to
  // drive the flow).
  std::string Conninfo(const std::string& service) const;
  // Stops every service (SIGTERM, drain) and starts each again on its database, port and
  // environment with `extra_env` on top ("{service}" in a value stands for the service's
  // name); the exit descriptions of the stop. `error` is empty when all are SERVING again.
  std::map<std::string, std::string> Restart(const std::map<std::string, std::string>& extra_env,
                                             std::chrono::seconds timeout, std::string* error);

  const std::string& topic_prefix() const { return prefix_; }
  const std::string& agency() const { return agency_; }
  const std::string& dir() const { return dir_; }
  std::string tokens_file() const { return dir_ + "/tokens.json"; }
  const std::string& registry_public_key_pem() const { return public_pem_; }
  // The file registration writes its public key to (NRP_REGISTRATION_PUBLIC_KEY_OUT).
  std::string registry_public_key_out() const { return dir_ + "/registry-public.pem"; }
  // The last lines of every service's log, for a failure message.
  std::string LogTails(size_t lines) const;

 private:
  struct Running {
    std::unique_ptr<nrp::testing::TestDatabase> db;
    std::unique_ptr<ChildProcess> process;
    std::string target;
    std::string grpc_service;
    std::string binary;
    std::map<std::string, std::string> env;
  };
  bool Launch(const std::string& name, int generation, std::string* error);
  bool WaitServing(std::chrono::seconds timeout, std::string* error);
  int generation_ = 0;

  std::string id_;
  std::string prefix_;
  std::string agency_;
  std::string token_;
  std::string dir_;
  bool keep_dir_ = false;
  std::string public_pem_;
  std::map<std::string, Running> running_;
};

}  // namespace nrp::e2e
