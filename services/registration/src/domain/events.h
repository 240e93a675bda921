// Events a domain transition produces. The payload is one of the contract's event messages
// (protos/nrp/registration/v1/events.proto), whose `event` option names its CloudEvents type
// and topic; the store writes each one to the outbox in the transition's transaction.
#pragma once

#include <google/protobuf/message.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nrp::registration {

struct DomainEvent {
  std::shared_ptr<const google::protobuf::Message> payload;
  // Aggregate id: the Kafka key and ce_subject (case id, unit code or unit id).
  std::string subject;
  // Region of the aggregate, for ce_source "/nrp/registration/<region>".
  std::string region_code;

  template <class M>
  static DomainEvent Of(M message, std::string subject, std::string region_code) {
    return DomainEvent{std::make_shared<M>(std::move(message)), std::move(subject),
                       std::move(region_code)};
  }
  template <class M>
  const M* As() const {
    return dynamic_cast<const M*>(payload.get());
  }
};

using DomainEvents = std::vector<DomainEvent>;

}  // namespace nrp::registration
