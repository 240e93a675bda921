// nrp-devbroker: a development Kafka broker. It hosts librdkafka's built-in
// mock cluster (the Kafka wire protocol on loopback, in memory, not durable),
// creates the platform's topics, writes the bootstrap list to a file and
// accepts control commands on a unix socket so fault tests can take brokers
// down and up and add latency. For development and tests only.
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/log.h"
#include "nrp/events/devbroker_control.h"
#include "nrp/events/topics.h"

namespace {

namespace log = nrp::log;
using SteadyClock = std::chrono::steady_clock;

constexpr char kUsage[] = R"(usage: nrp-devbroker [options]
       nrp-devbroker ctl --control PATH COMMAND...

A development Kafka broker: librdkafka's mock cluster speaking the Kafka
protocol on 127.0.0.1 only. Everything is held in memory and lost when the
process stops; there is no durability, no security and a bounded log per
partition (librdkafka keeps about 5 MB or 100,000 message sets). Use it for
development and tests only, never in production.

options:
  --brokers N            brokers in the cluster (default 3)
  --partitions N         partitions of each platform topic (default 6)
  --replication N        replication factor of created topics (default 3,
                         at most the number of brokers)
  --bootstrap-file PATH  where to write the bootstrap list once every topic
                         exists (written atomically)
  --control PATH         unix socket accepting control commands
  --log-level LEVEL      debug, info, warn or error (default info)
  --help                 this text

Topics created at start, each also with "<topic>.dlq":
  nrp.registration.events.v1 nrp.land_supply.events.v1
  nrp.mining_rights.events.v1 nrp.restoration.events.v1 nrp.planning.events.v1

Control commands (one line in, one line out: "ok ..." or "error ..."):
  status                          brokers, their state, latency, bootstrap
  down <broker-id|all>            drop connections and refuse new ones
  up <broker-id|all>              accept connections again
  rtt <broker-id|all> <ms>        delay every response by ms
  create-topic <name> <partitions>
  help
Send them with "nrp-devbroker ctl --control PATH down all" or any client of
unix stream sockets (e.g. socat - UNIX-CONNECT:PATH).

Runs until SIGTERM or SIGINT; then it removes the control socket and the
bootstrap file.
)";

struct Options {
  int brokers = 3;
  int partitions = 6;
  int replication = 3;
  std::string bootstrap_file;
  std::string control_path;
  log::Level level = log::Level::kInfo;
};

bool ParseInt(std::string_view text, int min, int max, int* out) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

bool ValidTopicName(std::string_view name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

std::vector<std::string> SplitWords(std::string_view line) {
  std::vector<std::string> words;
  std::istringstream in{std::string(line)};
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

void RdKafkaLog(const rd_kafka_t*, int level, const char* fac, const char* buf) {
  // The instance hosting the cluster is never used as a client, so its
  // warning about having no bootstrap servers says nothing.
  if (std::string_view(fac) == "CONFWARN" && std::strstr(buf, "bootstrap.servers")) return;
  log::Level l = level <= 3   ? log::Level::kError
                 : level == 4 ? log::Level::kWarn
                 : level <= 6 ? log::Level::kInfo
                              : log::Level::kDebug;
  log::Write(l, "librdkafka", {{"facility", fac}, {"detail", buf}});
}

class Broker {
 public:
  explicit Broker(Options options) : options_(std::move(options)) {}
  ~Broker() { Shutdown(); }

  bool Start() {
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "client.id", "nrp-devbroker", err, sizeof err) !=
        RD_KAFKA_CONF_OK) {
      log::Error("librdkafka configuration failed", {{"error", err}});
      rd_kafka_conf_destroy(conf);
      return false;
    }
    rd_kafka_conf_set_log_cb(conf, RdKafkaLog);
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk_) {
      log::Error("cannot create the librdkafka instance hosting the cluster", {{"error", err}});
      return false;
    }
    mcluster_ = rd_kafka_mock_cluster_new(rk_, options_.brokers);
    if (!mcluster_) {
      log::Error("cannot create the mock cluster");
      return false;
    }
    bootstrap_ = rd_kafka_mock_cluster_bootstraps(mcluster_);
    for (int id = 1; id <= options_.brokers; ++id) {
      up_[id] = true;
      rtt_[id] = 0;
    }
    for (std::string_view t : nrp::events::kPlatformTopics) {
      for (const std::string& name : {std::string(t), nrp::events::DlqTopic(t)}) {
        std::string reply;
        if (!CreateTopic(name, options_.partitions, &reply)) {
          log::Error("cannot create topic", {{"topic", name}, {"error", reply}});
          return false;
        }
      }
    }
    if (!options_.control_path.empty() && !OpenControlSocket()) return false;
    if (!options_.bootstrap_file.empty() && !WriteBootstrapFile()) return false;
    log::Info("development broker ready", {{"bootstrap", bootstrap_},
                                           {"brokers", options_.brokers},
                                           {"partitions", options_.partitions},
                                           {"replication", Replication()},
                                           {"control", options_.control_path},
                                           {"durable", false}});
    return true;
  }

  // Serves control connections until a signal arrives on `signal_fd`.
  void Run(int signal_fd) {
    struct Client {
      int fd;
      std::string in;
      SteadyClock::time_point since;
    };
    std::vector<Client> clients;
    constexpr auto kIdleLimit = std::chrono::seconds(30);
    constexpr size_t kMaxLine = 4096;
    while (true) {
      std::vector<pollfd> fds;
      fds.push_back({signal_fd, POLLIN, 0});
      if (listen_fd_ >= 0) fds.push_back({listen_fd_, POLLIN, 0});
      for (const auto& c : clients) fds.push_back({c.fd, POLLIN, 0});
      int n = ::poll(fds.data(), fds.size(), 1000);
      if (n < 0) {
        if (errno == EINTR) continue;
        log::Error("poll failed", {{"error", std::strerror(errno)}});
        break;
      }
      if (fds[0].revents & POLLIN) {
        signalfd_siginfo si{};
        if (::read(signal_fd, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
          log::Info("stopping on signal", {{"signal", strsignal(static_cast<int>(si.ssi_signo))}});
        }
        break;
      }
      size_t first_client = 1;
      if (listen_fd_ >= 0) {
        first_client = 2;
        if (fds[1].revents & POLLIN) {
          int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
          if (fd >= 0) clients.push_back({fd, {}, SteadyClock::now()});
        }
      }
      std::vector<Client> keep;
      const auto now = SteadyClock::now();
      for (size_t i = 0; i < clients.size(); ++i) {
        Client& c = clients[i];
        bool close_it = false;
        if (fds[first_client + i].revents & (POLLIN | POLLHUP | POLLERR)) {
          char buf[1024];
          ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
          if (r > 0) {
            c.in.append(buf, static_cast<size_t>(r));
          } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
            close_it = true;
          }
        }
        size_t nl;
        while (!close_it && (nl = c.in.find('\n')) != std::string::npos) {
          std::string line = c.in.substr(0, nl);
          c.in.erase(0, nl + 1);
          if (!line.empty() && line.back() == '\r') line.pop_back();
          std::string reply = Execute(line) + "\n";
          if (::send(c.fd, reply.data(), reply.size(), MSG_NOSIGNAL) !=
              static_cast<ssize_t>(reply.size())) {
            close_it = true;
          }
          c.since = now;
        }
        if (c.in.size() > kMaxLine) {
          std::string reply = "error command longer than 4096 bytes\n";
          (void)::send(c.fd, reply.data(), reply.size(), MSG_NOSIGNAL);
          close_it = true;
        }
        if (now - c.since > kIdleLimit) close_it = true;
        if (close_it) {
          ::close(c.fd);
        } else {
          keep.push_back(std::move(c));
        }
      }
      clients.swap(keep);
    }
    for (auto& c : clients) ::close(c.fd);
  }

  void Shutdown() {
    if (listen_fd_ >= 0) {
      ::close(listen_fd_);
      listen_fd_ = -1;
      std::error_code ec;
      std::filesystem::remove(options_.control_path, ec);
    }
    if (wrote_bootstrap_) {
      std::error_code ec;
      std::filesystem::remove(options_.bootstrap_file, ec);
      wrote_bootstrap_ = false;
    }
    if (mcluster_) {
      rd_kafka_mock_cluster_destroy(mcluster_);
      mcluster_ = nullptr;
    }
    if (rk_) {
      rd_kafka_destroy(rk_);
      rk_ = nullptr;
    }
  }

 private:
  int Replication() const { return std::min(options_.replication, options_.brokers); }

  bool CreateTopic(const std::string& name, int partitions, std::string* reply) {
    rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(mcluster_, name.c_str(), partitions, Replication());
    if (err) {
      *reply = std::string(rd_kafka_err2name(err)) + ": " + rd_kafka_err2str(err);
      return false;
    }
    topics_[name] = partitions;
    return true;
  }

  bool OpenControlSocket() {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string& path = options_.control_path;
    if (path.size() >= sizeof(addr.sun_path)) {
      log::Error("control socket path too long", {{"path", path}});
      return false;
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    // A socket file left by a process that died is removed; a live one is not.
    if (std::filesystem::exists(path)) {
      nrp::events::DevBrokerControl probe(path, std::chrono::milliseconds(500));
      if (probe.Status().ok()) {
        log::Error("another devbroker answers on the control socket", {{"path", path}});
        return false;
      }
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (listen_fd_ < 0 ||
        ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      log::Error("cannot listen on the control socket",
                 {{"path", path}, {"error", std::strerror(errno)}});
      if (listen_fd_ >= 0) ::close(listen_fd_);
      listen_fd_ = -1;
      return false;
    }
    ::chmod(path.c_str(), 0660);
    return true;
  }

  bool WriteBootstrapFile() {
    const std::string tmp = options_.bootstrap_file + ".tmp." + std::to_string(::getpid());
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << bootstrap_ << '\n';
      out.flush();
      if (!out) {
        log::Error("cannot write the bootstrap file", {{"path", tmp}});
        return false;
      }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, options_.bootstrap_file, ec);
    if (ec) {
      log::Error("cannot move the bootstrap file into place",
                 {{"path", options_.bootstrap_file}, {"error", ec.message()}});
      std::filesystem::remove(tmp, ec);
      return false;
    }
    wrote_bootstrap_ = true;
    return true;
  }

  // Broker ids named by `arg`: "all" or one id; empty when invalid.
  std::vector<int> BrokerIds(const std::string& arg) const {
    std::vector<int> ids;
    if (arg == "all") {
      for (int id = 1; id <= options_.brokers; ++id) ids.push_back(id);
    } else {
      int id = 0;
      if (ParseInt(arg, 1, options_.brokers, &id)) ids.push_back(id);
    }
    return ids;
  }

  std::string StatusLine() const {
    std::string up, down, rtt;
    for (const auto& [id, is_up] : up_) {
      std::string& list = is_up ? up : down;
      if (!list.empty()) list += ',';
      list += std::to_string(id);
    }
    for (const auto& [id, ms] : rtt_) {
      if (!rtt.empty()) rtt += ',';
      rtt += std::to_string(id) + ":" + std::to_string(ms);
    }
    return "ok brokers=" + std::to_string(options_.brokers) + " up=" + (up.empty() ? "none" : up) +
           " down=" + (down.empty() ? "none" : down) + " rtt_ms=" + rtt +
           " topics=" + std::to_string(topics_.size()) + " bootstrap=" + bootstrap_;
  }

  std::string Execute(const std::string& line) {
    std::vector<std::string> w = SplitWords(line);
    std::string reply = ExecuteWords(w);
    log::Write(reply.rfind("ok", 0) == 0 ? log::Level::kInfo : log::Level::kWarn, "control command",
               {{"command", line}, {"reply", reply}});
    return reply;
  }

  std::string ExecuteWords(const std::vector<std::string>& w) {
    if (w.empty()) return "error empty command; try help";
    const std::string& cmd = w[0];
    if (cmd == "help") {
      return "ok commands: status | down <broker-id|all> | up <broker-id|all> | "
             "rtt <broker-id|all> <ms> | create-topic <name> <partitions>";
    }
    if (cmd == "status") {
      if (w.size() != 1) return "error usage: status";
      return StatusLine();
    }
    if (cmd == "down" || cmd == "up") {
      if (w.size() != 2) return "error usage: " + cmd + " <broker-id|all>";
      std::vector<int> ids = BrokerIds(w[1]);
      if (ids.empty()) {
        return "error no broker '" + w[1] + "'; ids are 1.." + std::to_string(options_.brokers) +
               " or all";
      }
      for (int id : ids) {
        rd_kafka_resp_err_t err = cmd == "down" ? rd_kafka_mock_broker_set_down(mcluster_, id)
                                                : rd_kafka_mock_broker_set_up(mcluster_, id);
        if (err) return "error broker " + std::to_string(id) + ": " + rd_kafka_err2str(err);
        up_[id] = cmd == "up";
      }
      return "ok " + cmd + " " + w[1];
    }
    if (cmd == "rtt") {
      int ms = 0;
      if (w.size() != 3 || !ParseInt(w[2], 0, 600000, &ms)) {
        return "error usage: rtt <broker-id|all> <ms> (0..600000)";
      }
      std::vector<int> ids = BrokerIds(w[1]);
      if (ids.empty()) return "error no broker '" + w[1] + "'";
      for (int id : ids) {
        rd_kafka_resp_err_t err = rd_kafka_mock_broker_set_rtt(mcluster_, id, ms);
        if (err) return "error broker " + std::to_string(id) + ": " + rd_kafka_err2str(err);
        rtt_[id] = ms;
      }
      return "ok rtt " + w[1] + " " + std::to_string(ms);
    }
    if (cmd == "create-topic") {
      int partitions = 0;
      if (w.size() != 3 || !ParseInt(w[2], 1, 1000, &partitions)) {
        return "error usage: create-topic <name> <partitions> (1..1000)";
      }
      if (!ValidTopicName(w[1])) {
        return "error invalid topic name '" + w[1] + "' (letters, digits, . _ -; at most 249)";
      }
      std::string error;
      if (!CreateTopic(w[1], partitions, &error)) return "error " + error;
      return "ok created " + w[1] + " partitions=" + std::to_string(partitions) +
             " replication=" + std::to_string(Replication());
    }
    return "error unknown command '" + cmd + "'; try help";
  }

  Options options_;
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_mock_cluster_t* mcluster_ = nullptr;
  std::string bootstrap_;
  int listen_fd_ = -1;
  bool wrote_bootstrap_ = false;
  std::map<int, bool> up_;
  std::map<int, int> rtt_;
  std::map<std::string, int> topics_;
};

int RunControlClient(int argc, char** argv) {
  std::string path;
  std::string command;
  for (int i = 2; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--control" && i + 1 < argc) {
      path = argv[++i];
    } else {
      if (!command.empty()) command += ' ';
      command += a;
    }
  }
  if (path.empty() || command.empty()) {
    std::cerr << "usage: nrp-devbroker ctl --control PATH COMMAND...\n";
    return 2;
  }
  auto reply = nrp::events::DevBrokerControl(path).Send(command);
  if (!reply.ok()) {
    std::cerr << reply.error().message() << "\n";
    return 1;
  }
  std::cout << "ok" << (reply->empty() ? "" : " ") << *reply << "\n";
  return 0;
}

int ParseOptions(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](std::string_view name) -> const char* {
      if (i + 1 >= argc) {
        std::cerr << "nrp-devbroker: " << name << " needs a value\n";
        return nullptr;
      }
      return argv[++i];
    };
    const char* v = nullptr;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--brokers") {
      if (!(v = value(a)) || !ParseInt(v, 1, 16, &o->brokers)) {
        std::cerr << "nrp-devbroker: --brokers expects 1..16\n";
        return 2;
      }
    } else if (a == "--partitions") {
      if (!(v = value(a)) || !ParseInt(v, 1, 1000, &o->partitions)) {
        std::cerr << "nrp-devbroker: --partitions expects 1..1000\n";
        return 2;
      }
    } else if (a == "--replication") {
      if (!(v = value(a)) || !ParseInt(v, 1, 16, &o->replication)) {
        std::cerr << "nrp-devbroker: --replication expects 1..16\n";
        return 2;
      }
    } else if (a == "--bootstrap-file") {
      if (!(v = value(a))) return 2;
      o->bootstrap_file = v;
    } else if (a == "--control") {
      if (!(v = value(a))) return 2;
      o->control_path = v;
    } else if (a == "--log-level") {
      if (!(v = value(a)) || !log::ParseLevel(v, &o->level)) {
        std::cerr << "nrp-devbroker: --log-level expects debug, info, warn or error\n";
        return 2;
      }
    } else {
      std::cerr << "nrp-devbroker: unknown argument '" << a << "'; see --help\n";
      return 2;
    }
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "ctl") return RunControlClient(argc, argv);
  Options options;
  if (int rc = ParseOptions(argc, argv, &options); rc >= 0) return rc;
  log::Configure("devbroker", options.level);

  // Signals are read from a signalfd; block them before librdkafka starts its
  // threads so that every thread inherits the mask.
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0) return 1;
  ::signal(SIGPIPE, SIG_IGN);
  int signal_fd = ::signalfd(-1, &mask, SFD_CLOEXEC);
  if (signal_fd < 0) {
    log::Error("signalfd failed", {{"error", std::strerror(errno)}});
    return 1;
  }

  Broker broker(options);
  if (!broker.Start()) {
    broker.Shutdown();
    return 1;
  }
  broker.Run(signal_fd);
  broker.Shutdown();
  ::close(signal_fd);
  log::Info("development broker stopped");
  return 0;
}
