#include "support.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "nrp/core/uuid.h"
#include "nrp/db/migrations.h"
#include "nrp/events/outbox.h"

namespace nrp::events::testsupport {
namespace {

using SteadyClock = std::chrono::steady_clock;

KafkaHandle Client(rd_kafka_type_t type, const std::string& bootstrap,
                   const KafkaProperties& extra = {}) {
  KafkaProperties props = {{"enable.auto.commit", "false"}};
  if (type == RD_KAFKA_PRODUCER) props = {{"enable.idempotence", "true"}, {"acks", "all"}};
  for (const auto& [k, v] : extra) props[k] = v;
  auto rk = CreateKafkaClient(type, TestKafka(bootstrap, "nrp-events-test"), props, {});
  if (!rk.ok()) {
    ADD_FAILURE() << rk.error().ToString();
    return nullptr;
  }
  return std::move(rk).value();
}

int PartitionCount(rd_kafka_t* rk, const std::string& topic) {
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  int count = -1;
  for (int attempt = 0; attempt < 50 && count <= 0; ++attempt) {
    if (rd_kafka_metadata(rk, 0, rkt, &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        count = md->topics[0].partition_cnt;
      }
      rd_kafka_metadata_destroy(md);
    }
    if (count <= 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  rd_kafka_topic_destroy(rkt);
  return count;
}

void DeliveryReport(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  if (m->_private) *static_cast<rd_kafka_resp_err_t*>(m->_private) = m->err;
}

}  // namespace

std::string UniqueTopic(const std::string& prefix) {
  return "nrp.test." + prefix + "." + NewUuidV4().substr(0, 8);
}

KafkaOptions TestKafka(const std::string& bootstrap, const std::string& client_id) {
  KafkaOptions o;
  o.bootstrap = bootstrap;
  o.client_id = client_id;
  o.properties = {{"reconnect.backoff.ms", "50"},
                  {"reconnect.backoff.max.ms", "500"},
                  {"topic.metadata.refresh.interval.ms", "2000"}};
  return o;
}

std::shared_ptr<db::Pool> PoolWithEvents(const std::string& conninfo, size_t size) {
  auto pool = db::Pool::Create({.conninfo = conninfo,
                                .application_name = "nrp-events-test",
                                .size = size,
                                .acquire_timeout = std::chrono::milliseconds(3000)});
  auto applied = db::ApplyMigrations(*pool, {Migrations()});
  EXPECT_TRUE(applied.ok()) << applied.error().ToString();
  return pool;
}

std::vector<ReadMessage> ReadAll(const std::string& bootstrap, const std::string& topic,
                                 std::chrono::milliseconds timeout) {
  std::vector<ReadMessage> out;
  KafkaHandle rk = Client(RD_KAFKA_CONSUMER, bootstrap,
                          {{"group.id", "nrp-events-test-reader-" + NewUuidV4().substr(0, 8)}});
  if (!rk) return out;
  int partitions = PartitionCount(rk.get(), topic);
  if (partitions <= 0) {
    ADD_FAILURE() << "no metadata for topic " << topic;
    return out;
  }
  TopicPartitionList list(rd_kafka_topic_partition_list_new(partitions));
  std::map<int32_t, int64_t> end;
  std::map<int32_t, int64_t> next;
  for (int p = 0; p < partitions; ++p) {
    int64_t lo = 0, hi = 0;
    rd_kafka_resp_err_t err =
        rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &lo, &hi, 10000);
    if (err) {
      ADD_FAILURE() << "watermarks of " << topic << "[" << p << "]: " << KafkaErrorText(err);
      return out;
    }
    end[p] = hi;
    next[p] = lo;
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(rk.get(), list.get());
  auto done = [&] {
    for (const auto& [p, hi] : end) {
      if (next[p] < hi) return false;
    }
    return true;
  };
  std::map<int32_t, std::vector<ReadMessage>> by_partition;
  auto deadline = SteadyClock::now() + timeout;
  while (!done() && SteadyClock::now() < deadline) {
    KafkaMessage m(rd_kafka_consumer_poll(rk.get(), 100));
    if (!m || m->err) continue;
    if (m->offset >= end[m->partition]) continue;
    ReadMessage r;
    r.topic = topic;
    r.partition = m->partition;
    r.offset = m->offset;
    r.key = MessageKey(m.get());
    r.value = MessageValue(m.get());
    r.headers = ReadHeaders(m.get());
    next[m->partition] = m->offset + 1;
    by_partition[m->partition].push_back(std::move(r));
  }
  EXPECT_TRUE(done()) << "timed out reading " << topic;
  rd_kafka_consumer_close(rk.get());
  for (auto& [p, msgs] : by_partition) {
    for (auto& m : msgs) out.push_back(std::move(m));
  }
  return out;
}

int64_t EndOffsetsTotal(const std::string& bootstrap, const std::string& topic) {
  KafkaHandle rk = Client(RD_KAFKA_CONSUMER, bootstrap,
                          {{"group.id", "nrp-events-test-reader-" + NewUuidV4().substr(0, 8)}});
  if (!rk) return -1;
  int partitions = PartitionCount(rk.get(), topic);
  int64_t total = 0;
  for (int p = 0; p < partitions; ++p) {
    int64_t lo = 0, hi = 0;
    if (rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &lo, &hi, 10000)) return -1;
    total += hi;
  }
  return total;
}

Status Produce(const std::string& bootstrap, const std::string& topic, const std::string& key,
               const std::string& value, const Headers& headers) {
  auto rk = CreateKafkaClient(
      RD_KAFKA_PRODUCER, TestKafka(bootstrap, "nrp-events-test-producer"),
      {{"partitioner", "murmur2_random"}}, {{"enable.idempotence", "true"}, {"acks", "all"}},
      [](rd_kafka_conf_t* conf) { rd_kafka_conf_set_dr_msg_cb(conf, DeliveryReport); });
  if (!rk.ok()) return std::move(rk.error());
  rd_kafka_resp_err_t result = RD_KAFKA_RESP_ERR__IN_PROGRESS;
  rd_kafka_headers_t* h = NewKafkaHeaders(headers);
  rd_kafka_resp_err_t err = rd_kafka_producev(
      rk->get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
      RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_OPAQUE(&result),
      RD_KAFKA_V_END);
  if (err) {
    rd_kafka_headers_destroy(h);
    return Error::Unavailable(KafkaErrorText(err));
  }
  rd_kafka_flush(rk->get(), 30000);
  if (result == RD_KAFKA_RESP_ERR__IN_PROGRESS) {
    rd_kafka_purge(rk->get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_flush(rk->get(), 5000);
    return Error::DeadlineExceeded("no acknowledgement for the test message");
  }
  if (result) return Error::Unavailable(KafkaErrorText(result));
  return Ok();
}

std::map<int32_t, int64_t> CommittedOffsets(const std::string& bootstrap, const std::string& group,
                                            const std::string& topic, int partitions) {
  std::map<int32_t, int64_t> out;
  KafkaHandle rk = Client(RD_KAFKA_CONSUMER, bootstrap, {{"group.id", group}});
  if (!rk) return out;
  TopicPartitionList list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p);
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  for (int attempt = 0; attempt < 5; ++attempt) {
    err = rd_kafka_committed(rk.get(), list.get(), 10000);
    if (!err) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << KafkaErrorText(err);
  for (int i = 0; i < list->cnt; ++i) out[list->elems[i].partition] = list->elems[i].offset;
  return out;
}

CloudEvent TestEvent(const std::string& type, const std::string& subject,
                     const std::string& payload) {
  auto e = NewEvent(payload, "nrp.test.v1.Payload",
                    {.type = type, .source = MakeSource("test", "410300"), .subject = subject});
  EXPECT_TRUE(e.ok()) << e.error().ToString();
  return e.ok() ? *e : CloudEvent{};
}

ChildDevBroker::ChildDevBroker(int brokers, int partitions) {
  char tmpl[] = "/tmp/nrp-devbroker-XXXXXX";
  if (!::mkdtemp(tmpl)) {
    ADD_FAILURE() << "mkdtemp failed";
    return;
  }
  dir_ = tmpl;
  control_ = dir_ + "/control.sock";
  const std::string bootstrap_file = dir_ + "/bootstrap";
  const std::string log_file = dir_ + "/devbroker.log";
  std::vector<std::string> args = {NRP_DEVBROKER_PATH,
                                   "--brokers",
                                   std::to_string(brokers),
                                   "--partitions",
                                   std::to_string(partitions),
                                   "--bootstrap-file",
                                   bootstrap_file,
                                   "--control",
                                   control_,
                                   "--log-level",
                                   "warn"};
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    // The broker goes when the test process goes, even if it aborts.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) std::_Exit(1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    FILE* log = std::fopen(log_file.c_str(), "w");
    if (log) ::dup2(::fileno(log), 2);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  if (pid_ < 0) {
    ADD_FAILURE() << "fork failed";
    return;
  }
  auto deadline = SteadyClock::now() + std::chrono::seconds(20);
  while (SteadyClock::now() < deadline) {
    std::ifstream in(bootstrap_file);
    std::string line;
    if (in && std::getline(in, line) && !line.empty()) {
      bootstrap_ = line;
      return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      ADD_FAILURE() << "nrp-devbroker exited early; see " << log_file;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "nrp-devbroker did not write its bootstrap file; see " << log_file;
}

ChildDevBroker::~ChildDevBroker() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    auto deadline = SteadyClock::now() + std::chrono::seconds(10);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (SteadyClock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

}  // namespace nrp::events::testsupport
