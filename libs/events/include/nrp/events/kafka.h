// Thin helpers over librdkafka's C API shared by the relay, the consumer, the
// tools and the tests: client options from the environment, owned handles,
// and headers to and from Kafka messages.
#pragma once

#include <librdkafka/rdkafka.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "nrp/core/config.h"
#include "nrp/core/status.h"
#include "nrp/events/cloud_event.h"

namespace nrp::events {

using KafkaProperties = std::map<std::string, std::string>;

struct KafkaOptions {
  // "host:port,host:port".
  std::string bootstrap = "127.0.0.1:9092";
  std::string client_id = "nrp";
  // Extra librdkafka properties from the operator (security.protocol, ssl.*,
  // sasl.*, tuning). They override the library's defaults but not the
  // settings the outbox and the consumer need for their guarantees.
  KafkaProperties properties;

  // NRP_KAFKA_BOOTSTRAP    bootstrap list (default 127.0.0.1:9092)
  // NRP_KAFKA_BOOTSTRAP_FILE  when set, the bootstrap list is the first line of
  //                        this file (the devbroker writes one); wins over
  //                        NRP_KAFKA_BOOTSTRAP
  // NRP_KAFKA_CLIENT_ID    client.id (default `default_client_id`)
  // NRP_KAFKA_PROPERTIES   extra properties "key=value,key=value"
  // Problems are recorded in `env` (see Env::Check); a bootstrap file that
  // cannot be read is an error here.
  static Result<KafkaOptions> FromEnv(Env& env, std::string_view default_client_id);
};

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

struct KafkaTopicPartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const {
    rd_kafka_topic_partition_list_destroy(l);
  }
};
using TopicPartitionList =
    std::unique_ptr<rd_kafka_topic_partition_list_t, KafkaTopicPartitionListDeleter>;

struct KafkaMessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
using KafkaMessage = std::unique_ptr<rd_kafka_message_t, KafkaMessageDeleter>;

// Creates a producer or consumer. Properties are applied in this order, later
// ones winning: `defaults`, options.properties, `required`; then
// bootstrap.servers and client.id from `options`. `configure` may install
// callbacks and an opaque on the configuration before the handle is made.
// librdkafka's own log lines and errors go to nrp::log (an unreachable broker
// is a warning). INVALID_ARGUMENT names a bad
// property.
Result<KafkaHandle> CreateKafkaClient(rd_kafka_type_t type, const KafkaOptions& options,
                                      const KafkaProperties& defaults,
                                      const KafkaProperties& required,
                                      const std::function<void(rd_kafka_conf_t*)>& configure = {});

// The message's headers (a header without a value reads as "").
Headers ReadHeaders(const rd_kafka_message_t* message);
// A new librdkafka header list; ownership passes to rd_kafka_producev on
// success, else the caller destroys it.
rd_kafka_headers_t* NewKafkaHeaders(const Headers& headers);

std::string MessageKey(const rd_kafka_message_t* message);
std::string MessageValue(const rd_kafka_message_t* message);
std::string MessageTopic(const rd_kafka_message_t* message);

// "NAME: description" of a librdkafka error code.
std::string KafkaErrorText(rd_kafka_resp_err_t err);

}  // namespace nrp::events
