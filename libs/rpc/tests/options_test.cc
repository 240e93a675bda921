#include <gtest/gtest.h>

#include "nrp/rpc/server.h"
#include "test_support.h"

namespace nrp::rpc {
namespace {

using namespace std::chrono_literals;

TEST(ServerOptionsTest, DefaultsAndEnvironment) {
  Env empty(std::map<std::string, std::string>{});
  auto d = ServerOptions::FromEnv(empty, 50051, 9464);
  EXPECT_TRUE(empty.Check().ok());
  EXPECT_EQ(d.address, "127.0.0.1:50051");
  EXPECT_EQ(d.metrics_address, "127.0.0.1:9464");
  EXPECT_EQ(d.max_message_bytes, 4 << 20);
  EXPECT_EQ(d.drain_timeout, 20s);
  EXPECT_EQ(d.health_interval, 1s);
  EXPECT_FALSE(d.allow_plaintext);

  Env env(std::map<std::string, std::string>{{"NRP_GRPC_ADDR", "0.0.0.0:7000"},
                                             {"NRP_GRPC_MAX_MESSAGE_BYTES", "65536"},
                                             {"NRP_DRAIN_TIMEOUT", "5s"},
                                             {"NRP_HEALTH_INTERVAL", "250ms"},
                                             {"NRP_ALLOW_PLAINTEXT", "true"},
                                             {"NRP_METRICS_ADDR", "off"}});
  auto o = ServerOptions::FromEnv(env, 50051, 9464);
  EXPECT_TRUE(env.Check().ok());
  EXPECT_EQ(o.address, "0.0.0.0:7000");
  EXPECT_EQ(o.max_message_bytes, 65536);
  EXPECT_EQ(o.drain_timeout, 5s);
  EXPECT_EQ(o.health_interval, 250ms);
  EXPECT_TRUE(o.allow_plaintext);

  Env bad(std::map<std::string, std::string>{{"NRP_GRPC_MAX_MESSAGE_BYTES", "lots"},
                                             {"NRP_DRAIN_TIMEOUT", "soon"}});
  ServerOptions::FromEnv(bad, 1, 2);
  auto check = bad.Check();
  ASSERT_FALSE(check.ok());
  EXPECT_NE(check.error().message().find("NRP_GRPC_MAX_MESSAGE_BYTES"), std::string::npos);
  EXPECT_NE(check.error().message().find("NRP_DRAIN_TIMEOUT"), std::string::npos);
}

TEST(ServerOptionsTest, LoopbackDetection) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("127.10.0.3:1"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:50051"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_TRUE(IsLoopbackAddress("unix:/run/nrp/registration.sock"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.1.2.3:50051"));
  EXPECT_FALSE(IsLoopbackAddress("registration.nrp.svc:50051"));
}

TEST(ServerStart, RefusesPlaintextOffLoopback) {
  ServerOptions o;
  o.address = "0.0.0.0:0";
  o.metrics_address = "off";
  Server server(o, nullptr, nullptr);
  Status st = server.Start();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Code::kInvalidArgument);
  EXPECT_NE(st.error().message().find("NRP_ALLOW_PLAINTEXT"), std::string::npos)
      << st.error().message();
  EXPECT_EQ(st.error().field_violations().at(0).field, "NRP_GRPC_ADDR");
}

TEST(ServerStart, TlsOptionsAreCheckedByVariable) {
  testing::TempDir dir;
  auto ca = testing::NewCa("NRP test CA");
  auto server_cert = testing::IssueCert(ca, "localhost", true);
  auto other = testing::IssueCert(ca, "other", true);
  std::string cert = dir.Write("server.crt", server_cert.cert_pem);
  std::string wrong_key = dir.Write("other.key", other.key_pem);

  ServerOptions only_cert;
  only_cert.address = "127.0.0.1:0";
  only_cert.metrics_address = "off";
  only_cert.tls_cert_file = cert;
  auto st = Server(only_cert, nullptr, nullptr).Start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("NRP_TLS_KEY"), std::string::npos);

  ServerOptions mismatch = only_cert;
  mismatch.tls_key_file = wrong_key;
  st = Server(mismatch, nullptr, nullptr).Start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("does not match NRP_TLS_CERT"), std::string::npos)
      << st.error().message();

  ServerOptions ca_only;
  ca_only.address = "127.0.0.1:0";
  ca_only.metrics_address = "off";
  ca_only.tls_client_ca_file = dir.Write("ca.crt", ca.cert_pem);
  st = Server(ca_only, nullptr, nullptr).Start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("NRP_TLS_CLIENT_CA"), std::string::npos);

  ServerOptions unreadable = only_cert;
  unreadable.tls_key_file = "/nonexistent/key.pem";
  st = Server(unreadable, nullptr, nullptr).Start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("NRP_TLS_KEY"), std::string::npos);
}


}  // namespace
}  // namespace nrp::rpc
