// The contract's descriptor set with source info (protos/ compiled with
// --include_source_info), embedded into nrpctl at build time: the comments
// `methods` and `describe` print, and the list of event types (messages
// carrying the nrp.common.v1.event option) that `events` uses.
#pragma once

#include <google/protobuf/descriptor.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nrp::nrpctl {

struct EventType {
  std::string ce_type;  // "nrp.planning.zone_published.v1"
  std::string topic;    // "nrp.planning.events.v1"
  std::string key;      // payload field that is the Kafka key
  std::string message;  // "nrp.planning.v1.ZonePublished"
  std::vector<std::string> consumers;
};

class Contract {
 public:
  // Built once, on first use.
  static const Contract& Get();

  // The leading comment of a message, field, enum, enum value, service or
  // method by full name, trimmed; "" when there is none.
  std::string Comment(std::string_view full_name) const;
  // Its first line.
  std::string Summary(std::string_view full_name) const;

  // Every event type of the contract, ordered by topic then type.
  const std::vector<EventType>& events() const { return events_; }
  const EventType* FindEvent(std::string_view ce_type) const;

 private:
  Contract();
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  std::vector<EventType> events_;
};

}  // namespace nrp::nrpctl
