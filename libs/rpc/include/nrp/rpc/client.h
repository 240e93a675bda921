// Channels for tests, tools (nrpctl) and service-to-service calls: plaintext
// or TLS, optionally with a client certificate (mutual TLS), and a bearer
// token added to every call as `authorization: Bearer <token>`. The token is
// sent as plain metadata by a client interceptor rather than as call
// credentials, because gRPC drops call credentials on plaintext channels and
// the local stack runs plaintext on loopback.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "nrp/core/config.h"
#include "nrp/core/status.h"

namespace nrp::rpc {

struct ChannelOptions {
  std::string target;  // host:port
  bool tls = false;
  std::string ca_pem;           // trusted roots; empty = the system's
  std::string client_cert_pem;  // mutual TLS (with client_key_pem)
  std::string client_key_pem;
  std::string server_name_override;  // TLS name to verify instead of the target's host
  std::string bearer_token;          // empty = none
  int max_message_bytes = 4 << 20;

  // NRP_CLIENT_TLS (false), NRP_CLIENT_CA_FILE, NRP_CLIENT_CERT_FILE,
  // NRP_CLIENT_KEY_FILE, NRP_CLIENT_SERVER_NAME, NRP_CLIENT_TOKEN_FILE.
  static Result<ChannelOptions> FromEnv(Env& env, std::string target);
};

std::shared_ptr<grpc::Channel> MakeChannel(const ChannelOptions& options);

// Adds the bearer token to one call (when the channel has none).
void SetBearerToken(grpc::ClientContext* context, std::string_view token);

}  // namespace nrp::rpc
