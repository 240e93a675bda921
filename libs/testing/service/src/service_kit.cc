#include "nrp/testing/service_kit.h"

#include <librdkafka/rdkafka.h>

#include <pqxx/pqxx>

#include "nrp/core/uuid.h"
#include "nrp/rpc/auth.h"
#include "nrp/service/publish.h"
#include "nrp/testing/infra.h"

namespace nrp::testing {

std::string NewTopicPrefix() { return "t" + NewUuidV4().substr(0, 8) + "."; }

service::RuntimeOptions TestRuntimeOptions(const TestRuntimeSettings& s) {
  const Infra& infra = GetInfra();
  service::RuntimeOptions o;
  o.service = s.service;
  o.db_url = s.conninfo;
  o.pool.conninfo = s.conninfo;
  o.pool.size = s.pool_size;
  o.pool.acquire_timeout = s.acquire_timeout;
  o.redis = cache::RedisOptions::FromAddress(infra.redis_addr).value();
  o.rate_limit.scope = s.service + "-" + s.topic_prefix + NewUuidV4().substr(0, 8);
  o.rate_limit.rate_per_second = s.rate_per_second;
  o.rate_limit.burst = s.burst;
  o.topic_prefix = s.topic_prefix;
  o.ensure_topics = true;
  o.calendar_dir = s.calendar_dir;
  // The test loads calendar files with RefreshCalendar(), not by waiting for the poll.
  o.calendar_poll = std::chrono::hours(1);
  o.server.address = "127.0.0.1:0";
  o.server.metrics_address = "off";
  o.relay.service = s.service;
  o.relay.conninfo = s.conninfo;
  o.relay.kafka.bootstrap = infra.kafka_bootstrap;
  o.relay.poll_interval = std::chrono::milliseconds(200);
  o.consumer.kafka.bootstrap = infra.kafka_bootstrap;
  o.consumer.group_id = s.topic_prefix + s.service;
  o.consumer.retry_initial = std::chrono::milliseconds(50);
  auto auth = rpc::MakeStaticTokenAuthenticator(s.tokens_json);
  if (!auth.ok()) {
    std::fprintf(stderr, "the test's token table does not load: %s\n",
                 auth.error().ToString().c_str());
    std::abort();
  }
  o.authenticator = std::move(auth).value();
  return o;
}

EventProducer::EventProducer() {
  auto p = events::CreateKafkaClient(RD_KAFKA_PRODUCER, {.bootstrap = GetInfra().kafka_bootstrap},
                                     {{"enable.idempotence", "true"}, {"acks", "all"}}, {});
  if (p.ok()) producer_ = std::move(p).value();
}

EventProducer::~EventProducer() {
  if (producer_) rd_kafka_flush(producer_.get(), 10000);
}

Status EventProducer::Produce(const google::protobuf::Message& payload,
                              std::string_view region_code, std::string_view topic_prefix,
                              const Clock& clock) {
  NRP_ASSIGN_OR_RETURN(auto spec, service::SpecOf(payload));
  // "nrp.<owner>.events.v1": the owner names the source.
  const size_t end = spec.topic.find(".events");
  if (spec.topic.rfind("nrp.", 0) != 0 || end == std::string::npos) {
    return Error::InvalidArgument("topic", "not a platform topic: " + spec.topic);
  }
  const std::string owner = spec.topic.substr(4, end - 4);
  NRP_ASSIGN_OR_RETURN(auto built,
                       service::BuildEvent(payload, owner, topic_prefix, region_code, "", clock));
  return Produce(built.topic, built.event);
}

Status EventProducer::Produce(const std::string& topic, const events::CloudEvent& e) {
  if (!producer_) return Error::Unavailable("no Kafka producer");
  rd_kafka_headers_t* headers = events::NewKafkaHeaders(events::EncodeHeaders(e));
  rd_kafka_resp_err_t err = rd_kafka_producev(
      producer_.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
      RD_KAFKA_V_KEY(const_cast<char*>(e.key.data()), e.key.size()),
      RD_KAFKA_V_VALUE(const_cast<char*>(e.payload.data()), e.payload.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_headers_destroy(headers);
    return Error::Unavailable(events::KafkaErrorText(err));
  }
  if (rd_kafka_flush(producer_.get(), 30000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Error::Unavailable("the broker did not acknowledge the event within 30 s");
  }
  return Ok();
}

TopicReader::TopicReader(const std::string& topic, const std::string& group) {
  auto c = events::CreateKafkaClient(
      RD_KAFKA_CONSUMER, {.bootstrap = GetInfra().kafka_bootstrap},
      {{"group.id", group}, {"auto.offset.reset", "earliest"}, {"enable.auto.commit", "false"}},
      {});
  if (!c.ok()) return;
  consumer_ = std::move(c).value();
  rd_kafka_poll_set_consumer(consumer_.get());
  auto* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer_.get(), list);
  rd_kafka_topic_partition_list_destroy(list);
}

TopicReader::~TopicReader() {
  if (consumer_) rd_kafka_consumer_close(consumer_.get());
}

const std::vector<events::CloudEvent>& TopicReader::ReadUntil(
    const std::function<bool(const std::vector<events::CloudEvent>&)>& done,
    std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (consumer_ && !done(events_) && std::chrono::steady_clock::now() < deadline) {
    events::KafkaMessage m(rd_kafka_consumer_poll(consumer_.get(), 200));
    if (!m || m->err) continue;
    auto e = events::DecodeEvent(events::ReadHeaders(m.get()), events::MessageKey(m.get()),
                                 events::MessageValue(m.get()));
    if (e.ok()) {
      events_.push_back(std::move(e).value());
    } else {
      ++undecodable_;
    }
  }
  return events_;
}

std::vector<std::string> OutboxPayloads(const std::string& conninfo, const std::string& ce_type) {
  pqxx::connection c(conninfo);
  pqxx::nontransaction tx(c);
  std::vector<std::string> out;
  for (const auto& r :
       tx.exec_params("SELECT payload FROM outbox WHERE ce_type = $1 ORDER BY id", ce_type)) {
    out.push_back(pqxx::binarystring(r[0]).str());
  }
  return out;
}

}  // namespace nrp::testing
