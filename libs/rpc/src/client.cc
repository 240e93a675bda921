#include "nrp/rpc/client.h"

#include <grpcpp/support/client_interceptor.h>

#include <fstream>
#include <sstream>

namespace nrp::rpc {
namespace {

class BearerInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit BearerInterceptor(std::string header) : header_(std::move(header)) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      auto* md = methods->GetSendInitialMetadata();
      if (md != nullptr && md->find("authorization") == md->end()) {
        md->emplace("authorization", header_);
      }
    }
    methods->Proceed();
  }

 private:
  std::string header_;
};

class BearerInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerInterceptorFactory(std::string token) : header_("Bearer " + token) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo*) override {
    return new BearerInterceptor(header_);
  }

 private:
  std::string header_;
};

Result<std::string> ReadFile(const std::string& path, const char* variable) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::InvalidArgument(variable, "cannot read '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Result<ChannelOptions> ChannelOptions::FromEnv(Env& env, std::string target) {
  ChannelOptions o;
  o.target = std::move(target);
  o.tls = env.Bool("NRP_CLIENT_TLS", false);
  std::string ca = env.String("NRP_CLIENT_CA_FILE", "");
  std::string cert = env.String("NRP_CLIENT_CERT_FILE", "");
  std::string key = env.String("NRP_CLIENT_KEY_FILE", "");
  o.server_name_override = env.String("NRP_CLIENT_SERVER_NAME", "");
  std::string token = env.String("NRP_CLIENT_TOKEN_FILE", "");
  if (!ca.empty()) {
    NRP_ASSIGN_OR_RETURN(o.ca_pem, ReadFile(ca, "NRP_CLIENT_CA_FILE"));
  }
  if (!cert.empty()) {
    NRP_ASSIGN_OR_RETURN(o.client_cert_pem, ReadFile(cert, "NRP_CLIENT_CERT_FILE"));
  }
  if (!key.empty()) {
    NRP_ASSIGN_OR_RETURN(o.client_key_pem, ReadFile(key, "NRP_CLIENT_KEY_FILE"));
  }
  if (cert.empty() != key.empty()) {
    return Error::InvalidArgument("NRP_CLIENT_CERT_FILE",
                                  "NRP_CLIENT_CERT_FILE and NRP_CLIENT_KEY_FILE go together");
  }
  if (!token.empty()) {
    NRP_ASSIGN_OR_RETURN(o.bearer_token, ReadFile(token, "NRP_CLIENT_TOKEN_FILE"));
    while (!o.bearer_token.empty() &&
           (o.bearer_token.back() == '\n' || o.bearer_token.back() == '\r' ||
            o.bearer_token.back() == ' ')) {
      o.bearer_token.pop_back();
    }
  }
  return o;
}

std::shared_ptr<grpc::Channel> MakeChannel(const ChannelOptions& options) {
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (options.tls) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options.ca_pem;
    ssl.pem_cert_chain = options.client_cert_pem;
    ssl.pem_private_key = options.client_key_pem;
    creds = grpc::SslCredentials(ssl);
  } else {
    creds = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  if (!options.server_name_override.empty()) {
    args.SetSslTargetNameOverride(options.server_name_override);
  }
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> factories;
  if (!options.bearer_token.empty()) {
    factories.push_back(std::make_unique<BearerInterceptorFactory>(options.bearer_token));
  }
  return grpc::experimental::CreateCustomChannelWithInterceptors(options.target, creds, args,
                                                                 std::move(factories));
}

void SetBearerToken(grpc::ClientContext* context, std::string_view token) {
  context->AddMetadata("authorization", "Bearer " + std::string(token));
}

}  // namespace nrp::rpc
