#include "nrp/nrpctl/events_tail.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <set>
#include <thread>
#include <utility>

#include "nrp/core/uuid.h"
#include "nrp/events/topics.h"
#include "nrp/nrpctl/contract.h"
#include "nrp/nrpctl/dynamic.h"
#include "nrp/nrpctl/format.h"

namespace nrp::nrpctl {
namespace {

using Json = nlohmann::ordered_json;
constexpr std::string_view kDlqReasonHeader = "nrp_dlq_reason";

Json HeaderOrNull(const events::Headers& headers, std::string_view name) {
  const std::string* v = events::FindHeader(headers, name);
  return v == nullptr ? Json(nullptr) : Json(*v);
}

std::string Dump(const Json& j, bool pretty) {
  return j.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// What the consumer's callbacks need; they run on the polling thread.
struct TailState {
  Context* ctx = nullptr;
  std::string bootstrap;
  bool from_beginning = false;
  bool warned_down = false;
  std::set<std::pair<std::string, int32_t>> started;  // partitions already positioned
  std::set<std::string> warned_topics;
};

void Warn(Context& ctx, const std::string& text) { *ctx.err << "nrpctl: " << text << "\n"; }

void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                 void* opaque) {
  auto* state = static_cast<TailState*>(opaque);
  bool cooperative = std::string_view(rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE";
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    for (int i = 0; i < parts->cnt; ++i) {
      auto& p = parts->elems[i];
      auto id = std::make_pair(std::string(p.topic), p.partition);
      // --from-beginning positions each partition once, also over committed offsets.
      if (state->from_beginning && !state->started.count(id)) p.offset = RD_KAFKA_OFFSET_BEGINNING;
      state->started.insert(id);
    }
    if (cooperative) {
      if (rd_kafka_error_t* e = rd_kafka_incremental_assign(rk, parts)) rd_kafka_error_destroy(e);
    } else {
      rd_kafka_assign(rk, parts);
    }
  } else {
    if (cooperative) {
      if (rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk, parts)) rd_kafka_error_destroy(e);
    } else {
      rd_kafka_assign(rk, nullptr);
    }
  }
}

void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* state = static_cast<TailState*>(opaque);
  auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
    if (!state->warned_down) {
      Warn(*state->ctx, "Kafka at " + state->bootstrap + " is unreachable; retrying");
      state->warned_down = true;
    }
    return;
  }
  if (code == RD_KAFKA_RESP_ERR__TRANSPORT || code == RD_KAFKA_RESP_ERR__RESOLVE) return;
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    char buf[512];
    rd_kafka_fatal_error(rk, buf, sizeof buf);
    Warn(*state->ctx, "Kafka fatal error: " + std::string(buf));
    return;
  }
  Warn(*state->ctx,
       "Kafka: " + events::KafkaErrorText(code) + (reason ? std::string(": ") + reason : ""));
}

}  // namespace

Json RecordToJson(const KafkaRecord& record) {
  Json j;
  j["topic"] = record.topic;
  j["partition"] = record.partition;
  j["offset"] = record.offset;
  j["key"] = record.key;
  j["ce_id"] = HeaderOrNull(record.headers, events::kHeaderId);
  j["ce_type"] = HeaderOrNull(record.headers, events::kHeaderType);
  j["ce_source"] = HeaderOrNull(record.headers, events::kHeaderSource);
  j["ce_subject"] = HeaderOrNull(record.headers, events::kHeaderSubject);
  j["ce_time"] = HeaderOrNull(record.headers, events::kHeaderTime);
  j["ce_dataschema"] = HeaderOrNull(record.headers, events::kHeaderDataSchema);
  j["traceparent"] = HeaderOrNull(record.headers, events::kHeaderTraceparent);
  j["data"] = nullptr;

  std::string data_error;
  const std::string* content_type = events::FindHeader(record.headers, events::kHeaderContentType);
  const std::string* schema = events::FindHeader(record.headers, events::kHeaderDataSchema);
  if (content_type != nullptr && *content_type == "application/json") {
    Json parsed = Json::parse(record.value, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      data_error = "content-type is application/json but the value is not JSON";
    } else {
      j["data"] = std::move(parsed);
    }
  } else if (content_type != nullptr && *content_type != events::kProtobufContentType) {
    data_error = "unsupported content-type '" + *content_type + "'";
  } else if (schema == nullptr || schema->empty()) {
    data_error = "no ce_dataschema header: the payload's message type is unknown";
  } else if (const auto* type = FindMessageType(*schema); type == nullptr) {
    data_error = "ce_dataschema '" + *schema + "' is not a message of the contract";
  } else {
    std::unique_ptr<google::protobuf::Message> message = NewMessage(type);
    if (!message->ParseFromString(record.value)) {
      data_error = "the value does not parse as " + *schema;
    } else {
      Json parsed = Json::parse(MessageToJson(*message), nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) {
        data_error = "the payload cannot be rendered as JSON";
      } else {
        j["data"] = std::move(parsed);
      }
    }
  }
  if (const std::string* reason = events::FindHeader(record.headers, kDlqReasonHeader)) {
    j["dlq_reason"] = *reason;
  }
  auto envelope = events::DecodeEvent(record.headers, record.key, record.value);
  if (!envelope.ok()) j["envelope_error"] = envelope.error().message();
  if (!data_error.empty()) {
    j["data_error"] = data_error;
    j["data_base64"] = Base64(record.value);
  }
  return j;
}

std::vector<std::string> TailTopics(const TailOptions& options) {
  std::vector<std::string> topics = options.topics;
  if (topics.empty() && !options.types.empty()) {
    for (const auto& t : options.types) {
      const EventType* e = Contract::Get().FindEvent(t);
      if (e == nullptr) {
        // A type this build does not know: it may be on any topic.
        topics.clear();
        break;
      }
      if (std::find(topics.begin(), topics.end(), e->topic) == topics.end()) {
        topics.push_back(e->topic);
      }
    }
  }
  if (topics.empty()) {
    for (std::string_view t : events::kPlatformTopics) topics.emplace_back(t);
  }
  if (options.dlq) {
    std::vector<std::string> with_dlq;
    for (const auto& t : topics) {
      with_dlq.push_back(t);
      if (!events::IsDlqTopic(t)) with_dlq.push_back(events::DlqTopic(t));
    }
    topics = std::move(with_dlq);
  }
  return topics;
}

int RunTail(Context& ctx, const events::KafkaOptions& kafka, const TailOptions& options) {
  std::vector<std::string> topics = TailTopics(options);
  bool commit = !options.group.empty();
  std::string group = commit ? options.group : "nrpctl-tail-" + NewUuidV4();
  TailState state;
  state.ctx = &ctx;
  state.bootstrap = kafka.bootstrap;
  state.from_beginning = options.from_beginning;

  events::KafkaProperties defaults = {
      {"auto.offset.reset", options.from_beginning ? "earliest" : "latest"},
      {"topic.metadata.refresh.interval.ms", "10000"},
      {"log_level", "3"},
  };
  events::KafkaProperties required = {
      {"group.id", group},
      {"enable.auto.commit", commit ? "true" : "false"},
      {"enable.auto.offset.store", commit ? "true" : "false"},
      {"enable.partition.eof", "false"},
  };
  auto client = events::CreateKafkaClient(RD_KAFKA_CONSUMER, kafka, defaults, required,
                                          [&state](rd_kafka_conf_t* conf) {
                                            rd_kafka_conf_set_opaque(conf, &state);
                                            rd_kafka_conf_set_rebalance_cb(conf, OnRebalance);
                                            rd_kafka_conf_set_error_cb(conf, OnError);
                                          });
  if (!client.ok()) {
    Warn(ctx, client.error().message());
    return kExitUsage;
  }
  rd_kafka_t* rk = client.value().get();
  rd_kafka_poll_set_consumer(rk);

  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &metadata,
                                              static_cast<int>(options.connect_timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    Warn(ctx, "cannot reach Kafka at " + kafka.bootstrap + ": " + events::KafkaErrorText(err));
    rd_kafka_consumer_close(rk);
    return kExitConnection;
  }
  std::set<std::string> existing;
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    if (metadata->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
      existing.insert(metadata->topics[i].topic);
  }
  rd_kafka_metadata_destroy(metadata);
  for (const auto& t : topics) {
    if (!existing.count(t)) {
      Warn(ctx, "topic " + t + " does not exist (yet); it is read once it appears");
      state.warned_topics.insert(t);
    }
  }

  events::TopicPartitionList subscription(
      rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const auto& t : topics) {
    rd_kafka_topic_partition_list_add(subscription.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
  }
  err = rd_kafka_subscribe(rk, subscription.get());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    Warn(ctx, "cannot subscribe: " + events::KafkaErrorText(err));
    rd_kafka_consumer_close(rk);
    return kExitUsage;
  }

  std::set<std::string> types(options.types.begin(), options.types.end());
  const auto start = std::chrono::steady_clock::now();
  int64_t printed = 0;
  bool timed_out = false;
  if (ctx.stop != nullptr) ctx.stop->armed = true;
  while (true) {
    if (ctx.stop != nullptr && ctx.stop->raised) break;
    if (options.max > 0 && printed >= options.max) break;
    auto wait = std::chrono::milliseconds(100);
    if (options.timeout) {
      auto left = *options.timeout - std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - start);
      if (left.count() <= 0) {
        timed_out = true;
        break;
      }
      wait = std::min(wait, left);
    }
    events::KafkaMessage message(rd_kafka_consumer_poll(rk, static_cast<int>(wait.count())));
    if (!message) continue;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
      std::string topic = events::MessageTopic(message.get());
      if (message->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
          message->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC) {
        if (state.warned_topics.insert(topic).second) {
          Warn(ctx, "topic " + topic + " does not exist (yet); it is read once it appears");
        }
        continue;
      }
      Warn(ctx, "Kafka: " + events::KafkaErrorText(message->err) +
                    (topic.empty() ? "" : " (" + topic + ")"));
      continue;
    }
    KafkaRecord record;
    record.topic = events::MessageTopic(message.get());
    record.partition = message->partition;
    record.offset = message->offset;
    record.key = events::MessageKey(message.get());
    record.headers = events::ReadHeaders(message.get());
    record.value = events::MessageValue(message.get());
    if (!types.empty()) {
      const std::string* type = events::FindHeader(record.headers, events::kHeaderType);
      if (type == nullptr || !types.count(*type)) continue;
    }
    *ctx.out << Dump(RecordToJson(record), options.pretty) << "\n";
    ctx.out->flush();
    ++printed;
  }
  if (ctx.stop != nullptr) ctx.stop->armed = false;
  rd_kafka_consumer_close(rk);
  if (timed_out && options.max > 0 && printed < options.max) {
    Warn(ctx, "--timeout reached after " + std::to_string(printed) + " of " +
                  std::to_string(options.max) + " events");
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace nrp::nrpctl
