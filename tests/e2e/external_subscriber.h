// A subscriber in another agency: a plain librdkafka consumer (C API), not the
// platform's events library. It subscribes to every topic matching a regular
// expression, in a consumer group of its own, from the earliest offset, and
// keeps each record as Kafka delivered it: topic, partition, offset, key,
// value and headers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace nrp::e2e {

struct KafkaRecord {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  std::string key;
  std::string value;
  std::vector<std::pair<std::string, std::string>> headers;

  // The last header of that name, if any.
  std::optional<std::string> Header(const std::string& name) const;
};

class ExternalSubscriber {
 public:
  // `topic_regex` is a librdkafka subscription pattern, e.g. "^e2eab12\\..*".
  ExternalSubscriber(std::string bootstrap, std::string topic_regex, std::string group_id);
  ~ExternalSubscriber();
  ExternalSubscriber(const ExternalSubscriber&) = delete;
  ExternalSubscriber& operator=(const ExternalSubscriber&) = delete;

  // Empty while the consumer runs; the reason when it could not be created.
  const std::string& setup_error() const { return setup_error_; }
  // Every record received so far, in the order of arrival.
  std::vector<KafkaRecord> Records() const;
  // Waits (bounded) until `pred` holds for the records received.
  bool WaitUntil(const std::function<bool(const std::vector<KafkaRecord>&)>& pred,
                 std::chrono::milliseconds timeout) const;
  // Consumer errors reported by librdkafka (besides partition EOF).
  std::vector<std::string> Errors() const;

 private:
  void Loop();

  void* consumer_ = nullptr;  // rd_kafka_t*
  std::string setup_error_;
  bool stop_ = false;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<KafkaRecord> records_;
  std::vector<std::string> errors_;
  std::thread thread_;
};

}  // namespace nrp::e2e
