#include "external_subscriber.h"

#include <librdkafka/rdkafka.h>

namespace nrp::e2e {
namespace {

rd_kafka_t* Rk(void* p) { return static_cast<rd_kafka_t*>(p); }

}  // namespace

std::optional<std::string> KafkaRecord::Header(const std::string& name) const {
  std::optional<std::string> found;
  for (const auto& [k, v] : headers) {
    if (k == name) found = v;
  }
  return found;
}

ExternalSubscriber::ExternalSubscriber(std::string bootstrap, std::string topic_regex,
                                       std::string group_id) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  const std::pair<const char*, std::string> settings[] = {
      {"bootstrap.servers", bootstrap},
      {"group.id", group_id},
      {"client.id", group_id},
      {"auto.offset.reset", "earliest"},
      {"enable.auto.commit", "true"},
      // New topics matching the pattern are picked up within a second.
      {"topic.metadata.refresh.interval.ms", "1000"},
      {"session.timeout.ms", "10000"},
  };
  for (const auto& [k, v] : settings) {
    if (rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      setup_error_ = std::string(k) + ": " + err;
      rd_kafka_conf_destroy(conf);
      return;
    }
  }
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (rk == nullptr) {
    setup_error_ = std::string("rd_kafka_new: ") + err;
    return;
  }
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic_regex.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t e = rd_kafka_subscribe(rk, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    setup_error_ = std::string("subscribe: ") + rd_kafka_err2str(e);
    rd_kafka_destroy(rk);
    return;
  }
  consumer_ = rk;
  thread_ = std::thread([this] { Loop(); });
}

ExternalSubscriber::~ExternalSubscriber() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
  if (consumer_ != nullptr) {
    rd_kafka_consumer_close(Rk(consumer_));
    rd_kafka_destroy(Rk(consumer_));
  }
}

void ExternalSubscriber::Loop() {
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(Rk(consumer_), 200);
    if (m == nullptr) continue;
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        std::lock_guard<std::mutex> lock(mu_);
        errors_.push_back(rd_kafka_message_errstr(m));
      }
      rd_kafka_message_destroy(m);
      continue;
    }
    KafkaRecord r;
    r.topic = rd_kafka_topic_name(m->rkt);
    r.partition = m->partition;
    r.offset = m->offset;
    if (m->key != nullptr) r.key.assign(static_cast<const char*>(m->key), m->key_len);
    if (m->payload != nullptr) r.value.assign(static_cast<const char*>(m->payload), m->len);
    rd_kafka_headers_t* hdrs = nullptr;
    if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs != nullptr) {
      const char* name = nullptr;
      const void* value = nullptr;
      size_t size = 0;
      for (size_t i = 0;
           rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
           ++i) {
        r.headers.emplace_back(
            name, value ? std::string(static_cast<const char*>(value), size) : std::string());
      }
    }
    rd_kafka_message_destroy(m);
    {
      std::lock_guard<std::mutex> lock(mu_);
      records_.push_back(std::move(r));
    }
    cv_.notify_all();
  }
}

std::vector<KafkaRecord> ExternalSubscriber::Records() const {
  std::lock_guard<std::mutex> lock(mu_);
  return records_;
}

std::vector<std::string> ExternalSubscriber::Errors() const {
  std::lock_guard<std::mutex> lock(mu_);
  return errors_;
}

bool ExternalSubscriber::WaitUntil(const std::function<bool(const std::vector<KafkaRecord>&)>& pred,
                                   std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return pred(records_); });
}

}  // namespace nrp::e2e
