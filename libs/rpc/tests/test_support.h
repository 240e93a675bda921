// Helpers of the chassis tests: token minting, a throwaway PKI, the echo
// service, a reflection client, a plain-socket HTTP GET and a TCP listener.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "nrp/core/status.h"
#include "nrp/rpc/auth.h"
#include "nrp/rpc/health.h"
#include "nrp/rpc/server.h"
#include "nrp/testing/v1/echo.grpc.pb.h"

namespace nrp::rpc::testing {

using nlohmann::json;

// ---- tokens ----
// Claims with exp = now + ttl (negative ttl: already expired).
json Claims(std::string agency, std::vector<std::string> scopes, std::vector<std::string> regions,
            std::chrono::seconds ttl = std::chrono::seconds(300));
std::string MintHs256(const json& claims, std::string_view secret,
                      const json& header = {{"alg", "HS256"}, {"typ", "JWT"}});
struct Ed25519Key {
  std::string private_pem;
  std::string public_pem;
};
Ed25519Key NewEd25519Key();
std::string MintEdDsa(const json& claims, const Ed25519Key& key,
                      const json& header = {{"alg", "EdDSA"}, {"typ", "JWT"}});

// ---- certificates (EC P-256, signed with SHA-256) ----
struct KeyPair {
  std::string cert_pem;
  std::string key_pem;
};
KeyPair NewCa(const std::string& common_name);
// A leaf signed by `ca`. Server certificates name DNS:localhost and IP:127.0.0.1.
KeyPair IssueCert(const KeyPair& ca, const std::string& common_name, bool server);

class TempDir {
 public:
  TempDir();
  ~TempDir();
  std::string Write(const std::string& name, const std::string& content) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// ---- the echo service ----
class EchoServiceImpl final : public nrp::testing::v1::EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext* ctx, const nrp::testing::v1::EchoRequest* req,
                    nrp::testing::v1::EchoResponse* resp) override;
  grpc::Status SlowEcho(grpc::ServerContext* ctx, const nrp::testing::v1::EchoRequest* req,
                        nrp::testing::v1::EchoResponse* resp) override;
  grpc::Status Fail(grpc::ServerContext* ctx, const nrp::testing::v1::FailRequest* req,
                    nrp::testing::v1::EchoResponse* resp) override;
  grpc::Status Unchecked(grpc::ServerContext* ctx, const nrp::testing::v1::EchoRequest* req,
                         nrp::testing::v1::EchoResponse* resp) override;

  // SlowEcho: wait until one call is inside, then let them all finish.
  bool WaitForSlowCall(std::chrono::milliseconds timeout);
  void ReleaseSlowCalls();
  std::atomic<int> unchecked_runs{0};

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int slow_inside_ = 0;
  bool released_ = false;
};

// The error Fail() returns for kind "invalid" (two field violations) and
// "precondition" (a rule with reason and metadata).
Error FailError(const std::string& kind);

// A started server with the echo service; fails the test when it cannot start.
struct EchoServer {
  EchoServiceImpl echo;
  std::unique_ptr<Server> server;
};
std::unique_ptr<EchoServer> StartEchoServer(ServerOptions options,
                                            std::shared_ptr<const Authenticator> auth,
                                            HealthProbe probe = nullptr);
// Loopback options with free ports and small limits for tests.
ServerOptions TestOptions();
// An HS256 authenticator with kTestSecret.
inline const std::string kTestSecret = "test-secret-for-the-chassis-at-least-32-bytes";
std::shared_ptr<const Authenticator> TestJwtAuthenticator();
// A channel to the server with an optional bearer token.
std::shared_ptr<grpc::Channel> Connect(const Server& server, const std::string& token = "");
// A token with echo.read for region 4103 (Luoyang) from agency "luoyang-registration".
std::string GoodToken();

// ---- reflection ----
// The service names a server lists through grpc.reflection.v1alpha.
Result<std::vector<std::string>> ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel, std::chrono::milliseconds timeout);

// ---- network ----
// GET path from 127.0.0.1:port; returns the whole response ("" on failure).
std::string HttpGet(int port, const std::string& path);
int FreePort();

// A TCP listener that accepts and closes connections on a thread; Stop()
// closes it, Start() reopens on the same port.
class Listener {
 public:
  Listener();
  ~Listener();
  bool Start();
  void Stop();
  int port() const { return port_; }

 private:
  int port_ = 0;
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace nrp::rpc::testing
