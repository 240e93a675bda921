// Client of the development broker's control socket (tools/devbroker): one
// command line per connection, one reply line, "ok …" or "error …". Fault
// tests use it to take brokers down and up, add latency and create topics.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "nrp/core/status.h"

namespace nrp::events {

class DevBrokerControl {
 public:
  // Every broker of the cluster, for Down/Up/SetRtt.
  static constexpr int kAllBrokers = -1;

  explicit DevBrokerControl(std::string socket_path,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Sends `command` (without the newline) and returns the reply after "ok ".
  // UNAVAILABLE when the socket cannot be reached or does not answer within
  // the timeout; FAILED_PRECONDITION carrying the broker's text when it
  // replies "error …".
  Result<std::string> Send(std::string_view command) const;

  // "brokers=3 up=1,2,3 down=none rtt_ms=1:0,2:0,3:0 topics=… bootstrap=…".
  Result<std::string> Status() const { return Send("status"); }
  // Drops the broker's connections and refuses new ones until Up().
  nrp::Status Down(int broker_id) const;
  nrp::Status Up(int broker_id) const;
  // Adds `ms` of round-trip delay to every request the broker answers.
  nrp::Status SetRtt(int broker_id, int ms) const;
  // Creates a topic with the cluster's replication factor.
  nrp::Status CreateTopic(std::string_view name, int partitions) const;

  const std::string& socket_path() const { return path_; }

 private:
  std::string path_;
  std::chrono::milliseconds timeout_;
};

}  // namespace nrp::events
