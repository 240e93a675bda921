// Helpers for the events tests: plain Kafka reads and writes that bypass the
// library under test, a private devbroker, fresh topics and databases.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nrp/db/pool.h"
#include "nrp/events/cloud_event.h"
#include "nrp/events/kafka.h"

namespace nrp::events::testsupport {

// "nrp.test.<prefix>.<random>" — a topic name nobody else uses.
std::string UniqueTopic(const std::string& prefix);

// Client options for tests: short reconnect backoffs so that recovery after
// an outage takes a second, not a minute.
KafkaOptions TestKafka(const std::string& bootstrap, const std::string& client_id);

// A pool on `conninfo` with the events migrations applied.
std::shared_ptr<db::Pool> PoolWithEvents(const std::string& conninfo, size_t size = 8);

struct ReadMessage {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
  Headers headers;
  const std::string* header(std::string_view name) const { return FindHeader(headers, name); }
};

// Every message of every partition of `topic`, from the beginning up to the
// high watermarks at the time of the call, partition by partition in offset
// order. Uses a plain consumer without a group. Fails the test on timeout.
std::vector<ReadMessage> ReadAll(const std::string& bootstrap, const std::string& topic,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Total of the high watermarks of `topic`.
int64_t EndOffsetsTotal(const std::string& bootstrap, const std::string& topic);

// Produces one message and waits for its acknowledgement.
Status Produce(const std::string& bootstrap, const std::string& topic, const std::string& key,
               const std::string& value, const Headers& headers);

// The committed offset of `group` for each partition of `topic` (-1001 when
// none), read through a separate client that does not join the group.
std::map<int32_t, int64_t> CommittedOffsets(const std::string& bootstrap, const std::string& group,
                                            const std::string& topic, int partitions);

// A test event of `type` for aggregate `subject` with `payload` bytes.
CloudEvent TestEvent(const std::string& type, const std::string& subject,
                     const std::string& payload);

// A private nrp-devbroker child process with its own control socket, for
// tests that take brokers down. Stopped (SIGTERM, then SIGKILL) on
// destruction, and by the kernel when the test process dies first.
class ChildDevBroker {
 public:
  explicit ChildDevBroker(int brokers = 3, int partitions = 3);
  ~ChildDevBroker();
  ChildDevBroker(const ChildDevBroker&) = delete;
  ChildDevBroker& operator=(const ChildDevBroker&) = delete;

  bool ok() const { return !bootstrap_.empty(); }
  const std::string& bootstrap() const { return bootstrap_; }
  const std::string& control() const { return control_; }

 private:
  std::string dir_;
  std::string control_;
  std::string bootstrap_;
  pid_t pid_ = -1;
};

}  // namespace nrp::events::testsupport
