// Graceful drain: SIGTERM lets in-flight calls finish while new ones are refused.
#include <gtest/gtest.h>
#include <signal.h>

#include <future>

#include "nrp/rpc/server.h"
#include "test_support.h"

namespace nrp::rpc {
namespace {

using namespace std::chrono_literals;
using nrp::testing::v1::EchoRequest;
using nrp::testing::v1::EchoResponse;
using nrp::testing::v1::EchoService;

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

grpc::Status SlowCall(const std::shared_ptr<grpc::Channel>& ch, EchoResponse* resp) {
  auto stub = EchoService::NewStub(ch);
  EchoRequest req;
  req.set_message("in flight");
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 30s);
  return stub->SlowEcho(&ctx, req, resp);
}

grpc::Status QuickCall(const Server& server) {
  // A new connection each time, as a new client would make.
  auto stub = EchoService::NewStub(testing::Connect(server, testing::GoodToken()));
  EchoRequest req;
  req.set_region_code("410302");
  EchoResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 1s);
  return stub->Echo(&ctx, req, &resp);
}

TEST(Drain, SigtermLetsTheInFlightCallFinishAndRefusesNewOnes) {
  auto s = testing::StartEchoServer(testing::TestOptions(), testing::TestJwtAuthenticator());
  ASSERT_NE(s, nullptr);
  Server& server = *s->server;
  auto run = std::async(std::launch::async, [&] { return server.Run(); });
  ASSERT_TRUE(WaitUntil([&] { return server.waiting_for_signal(); }, 5s));
  ASSERT_TRUE(QuickCall(server).ok());

  EchoResponse slow_resp;
  auto slow = std::async(std::launch::async, [&] {
    return SlowCall(testing::Connect(server, testing::GoodToken()), &slow_resp);
  });
  ASSERT_TRUE(s->echo.WaitForSlowCall(5s));

  ASSERT_EQ(::raise(SIGTERM), 0);
  ASSERT_TRUE(WaitUntil([&] { return server.draining(); }, 5s));
  EXPECT_FALSE(server.health().serving());
  // New calls are refused while the slow one is still running. A connection
  // that raced the listener's closing may see its stream reset (CANCELLED);
  // once the listener is closed, a new client is refused as UNAVAILABLE, the
  // code clients retry elsewhere on. No other refusal is seen.
  grpc::Status refused;
  ASSERT_TRUE(WaitUntil(
      [&] {
        refused = QuickCall(server);
        EXPECT_TRUE(refused.ok() || refused.error_code() == grpc::StatusCode::UNAVAILABLE ||
                    refused.error_code() == grpc::StatusCode::CANCELLED)
            << refused.error_code() << " " << refused.error_message();
        return refused.error_code() == grpc::StatusCode::UNAVAILABLE;
      },
      5s))
      << refused.error_code() << " " << refused.error_message();
  EXPECT_EQ(slow.wait_for(0s), std::future_status::timeout);
  EXPECT_EQ(run.wait_for(0s), std::future_status::timeout);

  s->echo.ReleaseSlowCalls();
  grpc::Status slow_status = slow.get();
  EXPECT_TRUE(slow_status.ok()) << slow_status.error_message();
  EXPECT_EQ(slow_resp.message(), "slow:in flight");
  ASSERT_EQ(run.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(run.get().ok());
}

TEST(Drain, CallsStillRunningAtTheDrainDeadlineAreCancelled) {
  auto options = testing::TestOptions();
  options.drain_timeout = 300ms;
  auto s = testing::StartEchoServer(options, testing::TestJwtAuthenticator());
  ASSERT_NE(s, nullptr);
  Server& server = *s->server;
  auto run = std::async(std::launch::async, [&] { return server.Run(); });
  ASSERT_TRUE(WaitUntil([&] { return server.waiting_for_signal(); }, 5s));
  EchoResponse resp;
  auto slow = std::async(std::launch::async, [&] {
    return SlowCall(testing::Connect(server, testing::GoodToken()), &resp);
  });
  ASSERT_TRUE(s->echo.WaitForSlowCall(5s));
  server.RequestStop();          // same path as a signal, without one
  grpc::Status st = slow.get();  // never released: the drain deadline ends it
  EXPECT_FALSE(st.ok());
  // gRPC ends calls cut off by the shutdown deadline as UNAVAILABLE ("Cancelling all calls").
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  ASSERT_EQ(run.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(run.get().ok());
}

TEST(Drain, SigintAlsoStopsAndHandlersAreRestored) {
  auto s = testing::StartEchoServer(testing::TestOptions(), testing::TestJwtAuthenticator());
  ASSERT_NE(s, nullptr);
  auto run = std::async(std::launch::async, [&] { return s->server->Run(); });
  ASSERT_TRUE(WaitUntil([&] { return s->server->waiting_for_signal(); }, 5s));
  ASSERT_EQ(::raise(SIGINT), 0);
  ASSERT_EQ(run.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(run.get().ok());
  struct sigaction current {};
  ::sigaction(SIGTERM, nullptr, &current);
  EXPECT_EQ(current.sa_handler, SIG_DFL);
}

}  // namespace
}  // namespace nrp::rpc
