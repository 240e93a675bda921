#include "test_support.h"

#include <arpa/inet.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "nrp/rpc/auth.h"
#include "nrp/rpc/client.h"
#include "nrp/rpc/errors.h"
#include "nrp/rpc/interceptor.h"
#include "nrp/testing/v1/reflection_mirror.pb.h"

namespace nrp::rpc::testing {
namespace {

using nrp::testing::v1::EchoRequest;
using nrp::testing::v1::EchoResponse;

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string PrivatePem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::string out = BioToString(bio);
  BIO_free(bio);
  return out;
}

EVP_PKEY* ParsePrivate(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return key;
}

X509* ParseCert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

void AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) std::abort();
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

KeyPair MakeCert(const std::string& cn, const KeyPair* ca, bool is_ca, bool server) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  uint64_t serial = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof serial);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial >> 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("NRP test"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* issuer = cert;
  EVP_PKEY* signer = key;
  if (ca != nullptr) {
    issuer = ParseCert(ca->cert_pem);
    signer = ParsePrivate(ca->key_pem);
  }
  X509_set_issuer_name(cert, X509_get_subject_name(issuer));
  AddExt(cert, issuer, NID_subject_key_identifier, "hash");
  if (is_ca) {
    AddExt(cert, issuer, NID_basic_constraints, "critical,CA:TRUE");
    AddExt(cert, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExt(cert, issuer, NID_basic_constraints, "critical,CA:FALSE");
    AddExt(cert, issuer, NID_authority_key_identifier, "keyid:always");
    AddExt(cert, issuer, NID_key_usage, "critical,digitalSignature,keyAgreement");
    AddExt(cert, issuer, NID_ext_key_usage, server ? "serverAuth" : "clientAuth");
    if (server) AddExt(cert, issuer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  }
  X509_sign(cert, signer, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  KeyPair out{BioToString(bio), PrivatePem(key)};
  BIO_free(bio);
  if (ca != nullptr) {
    X509_free(issuer);
    EVP_PKEY_free(signer);
  }
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

std::string Sign(const json& header, const json& claims,
                 const std::function<std::string(std::string_view)>& signer) {
  std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
  return input + "." + Base64UrlEncode(signer(input));
}

int ListenLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 64) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

int PortOf(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

}  // namespace

json Claims(std::string agency, std::vector<std::string> scopes, std::vector<std::string> regions,
            std::chrono::seconds ttl) {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  std::string scope;
  for (const auto& s : scopes) scope += (scope.empty() ? "" : " ") + s;
  return json{{"agency", agency},
              {"scope", scope},
              {"regions", regions},
              {"iat", now},
              {"exp", now + ttl.count()}};
}

std::string MintHs256(const json& claims, std::string_view secret, const json& header) {
  return Sign(header, claims, [&](std::string_view input) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
    return std::string(reinterpret_cast<char*>(mac), len);
  });
}

Ed25519Key NewEd25519Key() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  Ed25519Key out;
  out.private_pem = PrivatePem(key);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  out.public_pem = BioToString(bio);
  BIO_free(bio);
  EVP_PKEY_free(key);
  return out;
}

std::string MintEdDsa(const json& claims, const Ed25519Key& key, const json& header) {
  return Sign(header, claims, [&](std::string_view input) {
    EVP_PKEY* pkey = ParsePrivate(key.private_pem);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned char sig[64];
    size_t len = sizeof sig;
    EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, pkey);
    EVP_DigestSign(ctx, sig, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return std::string(reinterpret_cast<char*>(sig), len);
  });
}

KeyPair NewCa(const std::string& common_name) {
  return MakeCert(common_name, nullptr, true, false);
}

KeyPair IssueCert(const KeyPair& ca, const std::string& common_name, bool server) {
  return MakeCert(common_name, &ca, false, server);
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "nrp-rpc-test-XXXXXX").string();
  char* made = ::mkdtemp(tmpl.data());
  path_ = made != nullptr ? std::filesystem::path(made) : std::filesystem::temp_directory_path();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  auto p = path_ / name;
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

grpc::Status EchoServiceImpl::Echo(grpc::ServerContext* ctx, const EchoRequest* req,
                                   EchoResponse* resp) {
  auto caller = RequireCaller(ctx, "echo.read", req->region_code());
  if (!caller.ok()) return ToGrpcStatus(caller.error());
  CallLogScope log_scope(ctx);
  resp->set_message(req->message());
  resp->set_agency(caller->agency);
  resp->set_trace_id(TraceIdOf(ctx));
  resp->set_traceparent(trace::Current());
  resp->set_payload_bytes(static_cast<int64_t>(req->payload().size()));
  return grpc::Status::OK;
}

grpc::Status EchoServiceImpl::SlowEcho(grpc::ServerContext* ctx, const EchoRequest* req,
                                       EchoResponse* resp) {
  auto caller = RequireCaller(ctx, "echo.read");
  if (!caller.ok()) return ToGrpcStatus(caller.error());
  std::unique_lock lock(mu_);
  ++slow_inside_;
  cv_.notify_all();
  // Waits for the test, and gives up when the call is cancelled (drain
  // deadline passed, client gone) — bounded either way.
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!released_) {
    if (ctx->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
    if (std::chrono::steady_clock::now() > give_up) {
      return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "never released");
    }
    cv_.wait_for(lock, std::chrono::milliseconds(50));
  }
  resp->set_message("slow:" + req->message());
  resp->set_agency(caller->agency);
  return grpc::Status::OK;
}

bool EchoServiceImpl::WaitForSlowCall(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return slow_inside_ > 0; });
}

void EchoServiceImpl::ReleaseSlowCalls() {
  std::lock_guard lock(mu_);
  released_ = true;
  cv_.notify_all();
}

Error FailError(const std::string& kind) {
  if (kind == "invalid") {
    Error e = Error::InvalidArgument("unit.unit_code", "must have 19 characters");
    e.AddField("unit.area_m2", "must be positive");
    return e;
  }
  if (kind == "precondition") {
    Error e = Error::FailedPrecondition("SEIZED", "410302001001GB00001",
                                        "the unit is seized (查封) and cannot be transferred");
    e.WithMetadata("court", "洛阳市中级人民法院");
    return e;
  }
  return Error::Internal("unexpected kind " + kind);
}

grpc::Status EchoServiceImpl::Fail(grpc::ServerContext* ctx,
                                   const nrp::testing::v1::FailRequest* req, EchoResponse*) {
  auto caller = RequireCaller(ctx, "echo.read");
  if (!caller.ok()) return ToGrpcStatus(caller.error());
  return ToGrpcStatus(FailError(req->kind()), "echo.nrp");
}

grpc::Status EchoServiceImpl::Unchecked(grpc::ServerContext*, const EchoRequest* req,
                                        EchoResponse* resp) {
  unchecked_runs.fetch_add(1);
  resp->set_message("secret:" + req->message());
  return grpc::Status::OK;
}

std::unique_ptr<EchoServer> StartEchoServer(ServerOptions options,
                                            std::shared_ptr<const Authenticator> auth,
                                            HealthProbe probe) {
  auto s = std::make_unique<EchoServer>();
  s->server = std::make_unique<Server>(std::move(options), std::move(auth), std::move(probe));
  Status added = s->server->AddService(&s->echo, "nrp.testing.v1.EchoService");
  EXPECT_TRUE(added.ok());
  Status st = s->server->Start();
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  if (!st.ok()) return nullptr;
  return s;
}

ServerOptions TestOptions() {
  ServerOptions o;
  o.address = "127.0.0.1:0";
  o.metrics_address = "127.0.0.1:0";
  o.max_message_bytes = 64 * 1024;
  o.drain_timeout = std::chrono::seconds(10);
  o.health_interval = std::chrono::milliseconds(50);
  return o;
}

std::shared_ptr<const Authenticator> TestJwtAuthenticator() {
  JwtOptions o;
  o.algorithm = JwtOptions::Algorithm::kHs256;
  o.key = kTestSecret;
  auto a = MakeJwtAuthenticator(o);
  EXPECT_TRUE(a.ok());
  return a.ok() ? *a : nullptr;
}

std::shared_ptr<grpc::Channel> Connect(const Server& server, const std::string& token) {
  ChannelOptions o;
  o.target = server.target();
  o.bearer_token = token;
  return MakeChannel(o);
}

std::string GoodToken() {
  return MintHs256(Claims("luoyang-registration", {"echo.read"}, {"4103"}), kTestSecret);
}

Result<std::vector<std::string>> ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::system_clock::now() + timeout;
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(deadline);
  grpc::CompletionQueue cq;
  auto call =
      stub.PrepareCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  auto step = [&](int tag_value) -> bool {
    void* tag = nullptr;
    bool ok = false;
    auto r = cq.AsyncNext(&tag, &ok, deadline);
    return r == grpc::CompletionQueue::GOT_EVENT && ok &&
           tag == reinterpret_cast<void*>(static_cast<intptr_t>(tag_value));
  };
  call->StartCall(reinterpret_cast<void*>(1));
  if (!step(1)) return Error::Unavailable("reflection: cannot start the call");
  nrp::testing::v1::ReflectionRequest req;
  req.set_list_services("");
  std::string bytes = req.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer out(&slice, 1);
  call->Write(out, reinterpret_cast<void*>(2));
  if (!step(2)) return Error::Unavailable("reflection: write failed");
  call->WritesDone(reinterpret_cast<void*>(3));
  if (!step(3)) return Error::Unavailable("reflection: writes-done failed");
  grpc::ByteBuffer in;
  call->Read(&in, reinterpret_cast<void*>(4));
  bool got = step(4);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  void* tag;
  bool ok;
  while (cq.AsyncNext(&tag, &ok, deadline) == grpc::CompletionQueue::GOT_EVENT &&
         tag != reinterpret_cast<void*>(5)) {
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (!got) return Error::Unavailable("reflection: no response (" + status.error_message() + ")");
  std::vector<grpc::Slice> slices;
  if (!in.Dump(&slices).ok()) return Error::Internal("reflection: unreadable response");
  std::string data;
  for (const auto& s : slices) data.append(reinterpret_cast<const char*>(s.begin()), s.size());
  nrp::testing::v1::ReflectionResponse resp;
  if (!resp.ParseFromString(data)) return Error::Internal("reflection: undecodable response");
  if (resp.has_error_response()) {
    return Error::Internal("reflection error: " + resp.error_response().error_message());
  }
  std::vector<std::string> names;
  for (const auto& s : resp.list_services_response().service()) names.push_back(s.name());
  return names;
}

std::string HttpGet(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return "";
  }
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[8192];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

int FreePort() {
  int fd = ListenLoopback(0);
  int port = PortOf(fd);
  ::close(fd);
  return port;
}

Listener::Listener() = default;

Listener::~Listener() { Stop(); }

bool Listener::Start() {
  Stop();
  fd_ = ListenLoopback(port_);
  if (fd_ < 0) return false;
  port_ = PortOf(fd_);
  stop_.store(false);
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c >= 0) ::close(c);
    }
  });
  return true;
}

void Listener::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

}  // namespace nrp::rpc::testing
