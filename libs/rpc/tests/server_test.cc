// Chassis tests against real servers on loopback.
#include "nrp/rpc/server.h"

#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "grpc/health/v1/health.grpc.pb.h"
#include "nrp/core/log.h"
#include "nrp/rpc/client.h"
#include "nrp/rpc/errors.h"
#include "test_support.h"

namespace nrp::rpc {
namespace {

using namespace std::chrono_literals;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using nrp::testing::v1::EchoRequest;
using nrp::testing::v1::EchoResponse;
using nrp::testing::v1::EchoService;
using testing::Claims;
using testing::kTestSecret;
using testing::MintHs256;

constexpr const char* kEcho = "nrp.testing.v1.EchoService";

std::unique_ptr<grpc::ClientContext> Ctx(std::chrono::milliseconds timeout = 5s) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->set_deadline(std::chrono::system_clock::now() + timeout);
  return c;
}

grpc::Status CallEcho(const std::shared_ptr<grpc::Channel>& ch, const std::string& region,
                      EchoResponse* resp = nullptr, const std::string& payload = "") {
  auto stub = EchoService::NewStub(ch);
  EchoRequest req;
  req.set_message("hello");
  req.set_region_code(region);
  req.set_payload(payload);
  EchoResponse local;
  auto ctx = Ctx();
  return stub->Echo(ctx.get(), req, resp != nullptr ? resp : &local);
}

HealthCheckResponse::ServingStatus CheckHealth(const std::shared_ptr<grpc::Channel>& ch,
                                               const std::string& service,
                                               grpc::Status* status_out = nullptr) {
  auto stub = Health::NewStub(ch);
  HealthCheckRequest req;
  req.set_service(service);
  HealthCheckResponse resp;
  auto ctx = Ctx();
  grpc::Status st = stub->Check(ctx.get(), req, &resp);
  if (status_out != nullptr) *status_out = st;
  return st.ok() ? resp.status() : HealthCheckResponse::UNKNOWN;
}

// ---- health ----------------------------------------------------------------

TEST(Health, ServingOnlyWhileTheProbedResourceIsReachable) {
  testing::Listener database;  // stands in for PostgreSQL: reachable or not
  database.Start();
  int port = database.port();
  database.Stop();  // down when the service starts
  auto s = testing::StartEchoServer(testing::TestOptions(), testing::TestJwtAuthenticator(),
                                    TcpConnectProbe("127.0.0.1:" + std::to_string(port), 200ms));
  ASSERT_NE(s, nullptr);
  auto ch = testing::Connect(*s->server);  // no token: health is public

  EXPECT_EQ(CheckHealth(ch, ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(CheckHealth(ch, kEcho), HealthCheckResponse::NOT_SERVING);

  auto stub = Health::NewStub(ch);
  grpc::ClientContext watch_ctx;
  watch_ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  HealthCheckRequest watch_req;
  watch_req.set_service(kEcho);
  auto watch = stub->Watch(&watch_ctx, watch_req);
  HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthCheckResponse::NOT_SERVING);

  ASSERT_TRUE(database.Start());
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthCheckResponse::SERVING);
  EXPECT_EQ(CheckHealth(ch, ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(CheckHealth(ch, kEcho), HealthCheckResponse::SERVING);

  database.Stop();
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(CheckHealth(ch, ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_NE(s->server->health().last_problem().find("127.0.0.1:" + std::to_string(port)),
            std::string::npos);

  // Draining ends the Watch stream with a last NOT_SERVING.
  s->server->Drain();
  while (watch->Read(&update)) EXPECT_EQ(update.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_TRUE(watch->Finish().ok());
}

TEST(Health, UnknownServices) {
  auto s = testing::StartEchoServer(testing::TestOptions(), testing::TestJwtAuthenticator());
  ASSERT_NE(s, nullptr);
  auto ch = testing::Connect(*s->server);
  grpc::Status st;
  CheckHealth(ch, "nrp.nothing.v1.Nope", &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(st.error_message().find("nrp.nothing.v1.Nope"), std::string::npos);

  auto stub = Health::NewStub(ch);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 10s);
  HealthCheckRequest req;
  req.set_service("nrp.nothing.v1.Nope");
  auto watch = stub->Watch(&ctx, req);
  HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthCheckResponse::SERVICE_UNKNOWN);
  ctx.TryCancel();
  while (watch->Read(&update)) {
  }
  EXPECT_EQ(watch->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

// ---- reflection --------------------------------------------------------------

TEST(Reflection, ListsTheServices) {
  auto s = testing::StartEchoServer(testing::TestOptions(), testing::TestJwtAuthenticator());
  ASSERT_NE(s, nullptr);
  auto names = testing::ListServicesByReflection(testing::Connect(*s->server), 5s);
  ASSERT_TRUE(names.ok()) << names.error().ToString();
  auto has = [&](const std::string& n) {
    return std::find(names->begin(), names->end(), n) != names->end();
  };
  EXPECT_TRUE(has(kEcho));
  EXPECT_TRUE(has("grpc.health.v1.Health"));
  EXPECT_TRUE(has("grpc.reflection.v1alpha.ServerReflection"));
}

// ---- authentication and authorization ------------------------------------------

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = testing::StartEchoServer(testing::TestOptions(), testing::TestJwtAuthenticator());
    ASSERT_NE(s_, nullptr);
  }
  grpc::Status Echo(const std::string& token, const std::string& region,
                    EchoResponse* resp = nullptr) {
    return CallEcho(testing::Connect(*s_->server, token), region, resp);
  }
  std::unique_ptr<testing::EchoServer> s_;
};

TEST_F(AuthTest, MissingTokenIsUnauthenticated) {
  grpc::Status st = Echo("", "410302");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(st.error_message().find("missing bearer token"), std::string::npos)
      << st.error_message();
}

TEST_F(AuthTest, BadSignatureAndExpiredTokensAreUnauthenticated) {
  auto claims = Claims("luoyang-registration", {"echo.read"}, {"4103"});
  grpc::Status forged =
      Echo(MintHs256(claims, "not-the-server-secret-but-long-enough-1234"), "410302");
  EXPECT_EQ(forged.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(forged.error_message().find("signature"), std::string::npos);

  auto expired = Claims("luoyang-registration", {"echo.read"}, {"4103"}, -3600s);
  grpc::Status old = Echo(MintHs256(expired, kTestSecret), "410302");
  EXPECT_EQ(old.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(old.error_message().find("expired"), std::string::npos) << old.error_message();

  grpc::Status garbage = Echo("not-a-jwt", "410302");
  EXPECT_EQ(garbage.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthTest, WrongScopeOrRegionIsPermissionDeniedNamingIt) {
  auto writer_only = Claims("luoyang-registration", {"echo.write"}, {"4103"});
  grpc::Status scope = Echo(MintHs256(writer_only, kTestSecret), "410302");
  EXPECT_EQ(scope.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(scope.error_message().find("echo.read"), std::string::npos) << scope.error_message();
  Status mapped = FromGrpcStatus(scope);
  EXPECT_EQ(mapped.error().reason(), "MISSING_SCOPE");

  grpc::Status region = Echo(testing::GoodToken(), "410200");  // Kaifeng, not Luoyang
  EXPECT_EQ(region.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(region.error_message().find("410200"), std::string::npos) << region.error_message();
  EXPECT_EQ(FromGrpcStatus(region).error().reason(), "REGION_NOT_ALLOWED");
}

TEST_F(AuthTest, AValidTokenReachesTheHandlerWithItsCaller) {
  EchoResponse resp;
  grpc::Status st = Echo(testing::GoodToken(), "410302", &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.message(), "hello");
  EXPECT_EQ(resp.agency(), "luoyang-registration");
  EXPECT_EQ(resp.trace_id().size(), 32u);
}

TEST_F(AuthTest, AHandlerThatForgetsToAuthorizeStillRefusesUnauthenticatedCallers) {
  auto stub = EchoService::NewStub(testing::Connect(*s_->server));
  EchoRequest req;
  req.set_message("x");
  EchoResponse resp;
  auto ctx = Ctx();
  grpc::Status st = stub->Unchecked(ctx.get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(resp.message(), "");  // the handler's answer never left the server

  auto authed = EchoService::NewStub(testing::Connect(*s_->server, testing::GoodToken()));
  auto ctx2 = Ctx();
  ASSERT_TRUE(authed->Unchecked(ctx2.get(), req, &resp).ok());
  EXPECT_EQ(resp.message(), "secret:x");
}

TEST(StaticTokenServer, TheLocalStackTokenTableAuthenticates) {
  auto table = MakeStaticTokenAuthenticator(R"({
    "local-dev-token-registration": {"agency": "local-registration", "scopes": ["echo.read"],
                                     "regions": ["41"]}})");
  ASSERT_TRUE(table.ok());
  auto s = testing::StartEchoServer(testing::TestOptions(), *table);
  ASSERT_NE(s, nullptr);
  EchoResponse resp;
  ASSERT_TRUE(
      CallEcho(testing::Connect(*s->server, "local-dev-token-registration"), "410302", &resp).ok());
  EXPECT_EQ(resp.agency(), "local-registration");
  grpc::Status unknown = CallEcho(testing::Connect(*s->server, "guessed-token"), "410302");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(unknown.error_message().find("unknown token"), std::string::npos);
}

// ---- errors ------------------------------------------------------------------

TEST(ErrorsOverTheWire, DetailsSurviveTheRoundTrip) {
  auto s = testing::StartEchoServer(testing::TestOptions(), testing::TestJwtAuthenticator());
  ASSERT_NE(s, nullptr);
  auto stub = EchoService::NewStub(testing::Connect(*s->server, testing::GoodToken()));
  for (std::string kind : {"invalid", "precondition"}) {
    nrp::testing::v1::FailRequest req;
    req.set_kind(kind);
    EchoResponse resp;
    auto ctx = Ctx();
    grpc::Status st = stub->Fail(ctx.get(), req, &resp);
    Error sent = testing::FailError(kind);
    EXPECT_EQ(static_cast<int>(st.error_code()), static_cast<int>(sent.code()));
    Status got = FromGrpcStatus(st);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().message(), sent.message());
    EXPECT_EQ(got.error().field_violations(), sent.field_violations());
    EXPECT_EQ(got.error().rule_violations(), sent.rule_violations());
    EXPECT_EQ(got.error().reason(), sent.reason());
    EXPECT_EQ(got.error().metadata(), sent.metadata());
  }
}

// ---- limits ----------------------------------------------------------------------

TEST(Limits, MessagesOverTheMaximumAreResourceExhausted) {
  auto s = testing::StartEchoServer(testing::TestOptions(), testing::TestJwtAuthenticator());
  ASSERT_NE(s, nullptr);  // max 64 KiB
  auto ch = testing::Connect(*s->server, testing::GoodToken());
  EchoResponse resp;
  ASSERT_TRUE(CallEcho(ch, "410302", &resp, std::string(60 * 1024, 'x')).ok());
  EXPECT_EQ(resp.payload_bytes(), 60 * 1024);
  grpc::Status big = CallEcho(ch, "410302", nullptr, std::string(70 * 1024, 'x'));
  EXPECT_EQ(big.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << big.error_message();
}

// ---- observability ----------------------------------------------------------------

double Sample(const std::string& text, const std::string& series) {
  size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return 0;
  return std::stod(text.substr(at + series.size() + 2));
}

TEST(Observability, MetricsEndpointServesRequestCountersAndLatency) {
  auto s = testing::StartEchoServer(testing::TestOptions(), testing::TestJwtAuthenticator());
  ASSERT_NE(s, nullptr);
  int port = s->server->metrics_port();
  ASSERT_GT(port, 0);
  const std::string ok_series =
      "nrp_grpc_requests_total{method=\"nrp.testing.v1.EchoService/Echo\",code=\"OK\"}";
  const std::string denied_series =
      "nrp_grpc_requests_total{method=\"nrp.testing.v1.EchoService/"
      "Echo\",code=\"UNAUTHENTICATED\"}";
  const std::string count_series =
      "nrp_grpc_request_duration_seconds_count{method=\"nrp.testing.v1.EchoService/Echo\"}";
  std::string before = testing::HttpGet(port, "/metrics");
  ASSERT_EQ(before.rfind("HTTP/1.1 200 OK", 0), 0u) << before;

  auto good = testing::Connect(*s->server, testing::GoodToken());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(CallEcho(good, "410302").ok());
  EXPECT_EQ(CallEcho(testing::Connect(*s->server), "410302").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  std::string after = testing::HttpGet(port, "/metrics");
  EXPECT_NE(after.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(after.find("# TYPE nrp_grpc_requests_total counter"), std::string::npos);
  EXPECT_NE(after.find("# TYPE nrp_grpc_request_duration_seconds histogram"), std::string::npos);
  EXPECT_EQ(Sample(after, ok_series) - Sample(before, ok_series), 3) << after;
  EXPECT_EQ(Sample(after, denied_series) - Sample(before, denied_series), 1);
  EXPECT_EQ(Sample(after, count_series) - Sample(before, count_series), 4);
  EXPECT_EQ(testing::HttpGet(port, "/").rfind("HTTP/1.1 404", 0), 0u);
}

TEST(Observability, OneLogLinePerCallWithTraceIdEchoedBack) {
  auto s = testing::StartEchoServer(testing::TestOptions(), testing::TestJwtAuthenticator());
  ASSERT_NE(s, nullptr);
  std::ostringstream logs;
  log::Configure("echo-test", log::Level::kInfo, &logs);
  std::string token = testing::GoodToken();
  auto stub = EchoService::NewStub(testing::Connect(*s->server, token));

  EchoRequest req;
  req.set_message("traced");
  req.set_region_code("410302");
  EchoResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 5s);
  ctx.AddMetadata("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(stub->Echo(&ctx, req, &resp).ok());
  auto echoed = ctx.GetServerInitialMetadata().find("trace-id");
  ASSERT_NE(echoed, ctx.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(echoed->second.data(), echoed->second.size()),
            "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(resp.trace_id(), "4bf92f3577b34da6a3ce929d0e0e4736");
  // In the handler the caller's trace is in force with a span of the call's own.
  EXPECT_TRUE(std::regex_match(
      resp.traceparent(), std::regex("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")))
      << resp.traceparent();
  EXPECT_NE(resp.traceparent().substr(36, 16), "00f067aa0ba902b7");

  grpc::ClientContext ctx2;
  ctx2.set_deadline(std::chrono::system_clock::now() + 5s);
  ASSERT_TRUE(stub->Echo(&ctx2, req, &resp).ok());
  auto generated = ctx2.GetServerInitialMetadata().find("trace-id");
  ASSERT_NE(generated, ctx2.GetServerInitialMetadata().end());
  std::string trace2(generated->second.data(), generated->second.size());
  EXPECT_TRUE(std::regex_match(trace2, std::regex("[0-9a-f]{32}"))) << trace2;
  EXPECT_EQ(resp.traceparent().substr(0, 36), "00-" + trace2 + "-") << resp.traceparent();
  log::Configure("nrp", log::Level::kInfo, nullptr);

  std::vector<std::string> rpc_lines;
  std::istringstream in(logs.str());
  for (std::string line; std::getline(in, line);) {
    if (line.find("\"msg\":\"rpc\"") != std::string::npos) rpc_lines.push_back(line);
  }
  ASSERT_EQ(rpc_lines.size(), 2u) << logs.str();
  const std::string& first = rpc_lines[0];
  for (const char* part :
       {"\"method\":\"/nrp.testing.v1.EchoService/Echo\"", "\"code\":\"OK\"",
        "\"agency\":\"luoyang-registration\"", "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"",
        "\"peer\":\"ipv4:127.0.0.1:", "\"duration_us\":", "\"service\":\"echo-test\""}) {
    EXPECT_NE(first.find(part), std::string::npos) << part << " in " << first;
  }
  EXPECT_NE(rpc_lines[1].find("\"trace_id\":\"" + trace2 + "\""), std::string::npos);
  // Tokens are identified, never logged.
  EXPECT_EQ(logs.str().find(token), std::string::npos);
}

}  // namespace
}  // namespace nrp::rpc

namespace nrp::rpc {
namespace {

TEST(Observability, UnknownMethodsDoNotCreateNewMetricLabels) {
  auto s = testing::StartEchoServer(testing::TestOptions(), testing::TestJwtAuthenticator());
  ASSERT_NE(s, nullptr);
  auto ch = testing::Connect(*s->server, testing::GoodToken());
  grpc::GenericStub stub(ch);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 5s);
  grpc::CompletionQueue cq;
  grpc::ByteBuffer request, response;
  grpc::Slice empty("");
  request = grpc::ByteBuffer(&empty, 1);
  auto call = stub.PrepareUnaryCall(&ctx, "/nrp.made.up.v1.Guess/Anything", request, &cq);
  call->StartCall();
  grpc::Status status;
  call->Finish(&response, &status, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  ASSERT_EQ(cq.AsyncNext(&tag, &ok, std::chrono::system_clock::now() + 5s),
            grpc::CompletionQueue::GOT_EVENT);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  std::string text = testing::HttpGet(s->server->metrics_port(), "/metrics");
  EXPECT_NE(text.find("nrp_grpc_requests_total{method=\"unknown\",code=\"UNIMPLEMENTED\"}"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("nrp.made.up"), std::string::npos);
}

}  // namespace
}  // namespace nrp::rpc
