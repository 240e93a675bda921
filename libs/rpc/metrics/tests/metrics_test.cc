#include "nrp/metrics/metrics.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <limits>
#include <thread>

#include "nrp/metrics/http_server.h"

namespace nrp::metrics {
namespace {

// Sends `request` to 127.0.0.1:port and returns everything until the server closes.
std::string Exchange(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return "connect failed";
  }
  (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
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

TEST(Metrics, RendersCountersGaugesAndHistogramsInTextFormat) {
  Registry r;
  auto& requests =
      r.AddCounter("demo_requests_total", "Requests.\nSecond line", {"method", "code"});
  requests.WithLabels({"/a.B/C", "OK"}).Inc();
  requests.WithLabels({"/a.B/C", "OK"}).Inc(2);
  requests.WithLabels({"x\"y\\z\nw", "NOT_FOUND"}).Inc();
  auto& backlog = r.AddGauge("demo_outbox_backlog", "Unpublished rows.");
  backlog.WithLabels({}).Set(42);
  backlog.WithLabels({}).Dec(2);
  auto& latency = r.AddHistogram("demo_seconds", "Latency.", {"method"}, {0.1, 1});
  auto& h = latency.WithLabels({"m"});
  h.Observe(0.05);
  h.Observe(0.1);  // le is inclusive
  h.Observe(0.5);
  h.Observe(3);

  std::string text = r.Render();
  EXPECT_NE(text.find("# HELP demo_requests_total Requests.\\nSecond line\n"
                      "# TYPE demo_requests_total counter\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("demo_requests_total{method=\"/a.B/C\",code=\"OK\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("demo_requests_total{method=\"x\\\"y\\\\z\\nw\",code=\"NOT_FOUND\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE demo_outbox_backlog gauge\ndemo_outbox_backlog 40\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE demo_seconds histogram\n"
                      "demo_seconds_bucket{method=\"m\",le=\"0.1\"} 2\n"
                      "demo_seconds_bucket{method=\"m\",le=\"1\"} 3\n"
                      "demo_seconds_bucket{method=\"m\",le=\"+Inf\"} 4\n"
                      "demo_seconds_sum{method=\"m\"} 3.65\n"
                      "demo_seconds_count{method=\"m\"} 4\n"),
            std::string::npos)
      << text;
  // Families come out sorted by name.
  EXPECT_LT(text.find("demo_outbox_backlog"), text.find("demo_requests_total"));
  EXPECT_LT(text.find("demo_requests_total"), text.find("demo_seconds"));
}

TEST(Metrics, RegistrationIsIdempotentAndLabelCountsAreForgiving) {
  Registry r;
  auto& a = r.AddCounter("x_total", "X.", {"k"});
  auto& b = r.AddCounter("x_total", "X.", {"k"});
  EXPECT_EQ(&a, &b);
  a.WithLabels({"v"}).Inc();
  EXPECT_EQ(b.WithLabels({"v"}).Value(), 1);
  // Wrong arity is padded, never a crash in production.
  a.WithLabels({"v", "extra"}).Inc();
  EXPECT_EQ(a.WithLabels({"v"}).Value(), 2);
}

TEST(MetricsDeathTest, ConflictingRegistrationAborts) {
  Registry r;
  r.AddCounter("y_total", "Y.", {"k"});
  EXPECT_DEATH(r.AddGauge("y_total", "Y.", {"k"}), "registered twice");
  EXPECT_DEATH(r.AddCounter("bad-name", "B."), "invalid metric name");
  EXPECT_DEATH(r.AddCounter("ok_total", "B.", {"__reserved"}), "invalid label name");
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  Registry r;
  auto& c = r.AddCounter("c_total", "C.", {"t"});
  auto& h = r.AddHistogram("h_seconds", "H.");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        c.WithLabels({std::to_string(t % 2)}).Inc();
        h.WithLabels({}).Observe(0.002);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.WithLabels({"0"}).Value() + c.WithLabels({"1"}).Value(), 40000);
  EXPECT_EQ(h.WithLabels({}).Take().count, 40000u);
  EXPECT_EQ(h.WithLabels({}).Take().cumulative[1], 40000u);  // all in le=0.0025
}

TEST(Metrics, FormatValue) {
  EXPECT_EQ(FormatValue(3), "3");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(1e21), "1e+21");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
}

TEST(MetricsHttp, ServesMetricsAndRefusesEverythingElse) {
  Registry r;
  r.AddCounter("served_total", "S.").WithLabels({}).Inc(7);
  HttpServerOptions o;
  o.address = "127.0.0.1:0";
  o.max_request_bytes = 512;
  o.io_timeout = std::chrono::milliseconds(300);
  auto server = MetricsHttpServer::Start(o, r);
  ASSERT_TRUE(server.ok()) << server.error().ToString();
  int port = (*server)->port();
  ASSERT_GT(port, 0);

  std::string ok = Exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(ok.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << ok;
  EXPECT_NE(ok.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(
      ok.find("\r\n\r\n# HELP served_total S.\n# TYPE served_total counter\nserved_total 7\n"),
      std::string::npos)
      << ok;

  std::string head = Exchange(port, "HEAD /metrics HTTP/1.0\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_EQ(head.find("served_total 7"), std::string::npos);

  EXPECT_EQ(Exchange(port, "GET / HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404", 0), 0u);
  EXPECT_EQ(Exchange(port, "GET /metricsx HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404", 0), 0u);
  EXPECT_EQ(Exchange(port, "POST /metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 405", 0), 0u);
  EXPECT_EQ(Exchange(port, "GET /metrics HTTP/1.1\r\nX: " + std::string(2000, 'a') + "\r\n\r\n")
                .rfind("HTTP/1.1 431", 0),
            0u);
  EXPECT_EQ(Exchange(port, "garbage\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
  // A client that never finishes its request is dropped after io_timeout,
  // and the endpoint keeps serving.
  EXPECT_EQ(Exchange(port, "GET /metr"), "");
  EXPECT_EQ(Exchange(port, "GET /metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 200", 0), 0u);

  (*server)->Stop();
  EXPECT_EQ(Exchange(port, "GET /metrics HTTP/1.1\r\n\r\n"), "connect failed");
}

TEST(MetricsHttp, BusyAddressIsUnavailable) {
  HttpServerOptions o;
  o.address = "127.0.0.1:0";
  Registry r;
  auto first = MetricsHttpServer::Start(o, r);
  ASSERT_TRUE(first.ok());
  o.address = (*first)->address();
  auto second = MetricsHttpServer::Start(o, r);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), Code::kUnavailable);
  EXPECT_NE(second.error().message().find(o.address), std::string::npos);
}

}  // namespace
}  // namespace nrp::metrics
