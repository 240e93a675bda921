// TLS and mutual TLS with certificates made by the test.
#include <gtest/gtest.h>

#include "nrp/rpc/client.h"
#include "nrp/rpc/server.h"
#include "test_support.h"

namespace nrp::rpc {
namespace {

using namespace std::chrono_literals;
using nrp::testing::v1::EchoRequest;
using nrp::testing::v1::EchoResponse;
using nrp::testing::v1::EchoService;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ca_ = testing::NewCa("NRP test province CA");
    rogue_ca_ = testing::NewCa("Somebody else's CA");
    auto server = testing::IssueCert(ca_, "localhost", true);
    cert_file_ = dir_.Write("server.crt", server.cert_pem);
    key_file_ = dir_.Write("server.key", server.key_pem);
    ca_file_ = dir_.Write("clients-ca.crt", ca_.cert_pem);
  }

  std::unique_ptr<testing::EchoServer> Start(bool mutual) {
    auto o = testing::TestOptions();
    o.tls_cert_file = cert_file_;
    o.tls_key_file = key_file_;
    if (mutual) o.tls_client_ca_file = ca_file_;
    return testing::StartEchoServer(o, testing::TestJwtAuthenticator());
  }

  grpc::Status Call(const Server& server, bool tls, const std::string& roots,
                    const testing::KeyPair* client_cert) {
    ChannelOptions o;
    o.target = server.target();
    o.tls = tls;
    o.ca_pem = roots;
    o.server_name_override = "localhost";
    o.bearer_token = testing::GoodToken();
    if (client_cert != nullptr) {
      o.client_cert_pem = client_cert->cert_pem;
      o.client_key_pem = client_cert->key_pem;
    }
    auto stub = EchoService::NewStub(MakeChannel(o));
    EchoRequest req;
    req.set_message("over tls");
    req.set_region_code("410302");
    EchoResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 5s);
    grpc::Status st = stub->Echo(&ctx, req, &resp);
    if (st.ok()) {
      EXPECT_EQ(resp.message(), "over tls");
    }
    return st;
  }

  testing::TempDir dir_;
  testing::KeyPair ca_, rogue_ca_;
  std::string cert_file_, key_file_, ca_file_;
};

TEST_F(TlsTest, TlsServesVerifiedClientsAndRefusesPlaintext) {
  auto s = Start(false);
  ASSERT_NE(s, nullptr);
  grpc::Status ok = Call(*s->server, true, ca_.cert_pem, nullptr);
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(Call(*s->server, false, "", nullptr).error_code(), grpc::StatusCode::UNAVAILABLE);
  // A client that does not trust the server's CA refuses the server.
  EXPECT_EQ(Call(*s->server, true, rogue_ca_.cert_pem, nullptr).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificateFromTheProvinceCa) {
  auto s = Start(true);
  ASSERT_NE(s, nullptr);
  auto agency = testing::IssueCert(ca_, "luoyang-registration", false);
  auto impostor = testing::IssueCert(rogue_ca_, "luoyang-registration", false);
  grpc::Status ok = Call(*s->server, true, ca_.cert_pem, &agency);
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  grpc::Status no_cert = Call(*s->server, true, ca_.cert_pem, nullptr);
  EXPECT_EQ(no_cert.error_code(), grpc::StatusCode::UNAVAILABLE) << no_cert.error_message();
  grpc::Status wrong_ca = Call(*s->server, true, ca_.cert_pem, &impostor);
  EXPECT_EQ(wrong_ca.error_code(), grpc::StatusCode::UNAVAILABLE) << wrong_ca.error_message();
}

TEST_F(TlsTest, TlsMayListenOffLoopback) {
  auto o = testing::TestOptions();
  o.address = "0.0.0.0:0";
  o.tls_cert_file = cert_file_;
  o.tls_key_file = key_file_;
  auto s = testing::StartEchoServer(o, testing::TestJwtAuthenticator());
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->server->target().rfind("127.0.0.1:", 0), 0u);
  EXPECT_TRUE(Call(*s->server, true, ca_.cert_pem, nullptr).ok());
}

}  // namespace
}  // namespace nrp::rpc
