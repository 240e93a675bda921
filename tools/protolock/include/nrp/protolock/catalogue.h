// The events catalogue, rendered from the descriptor set so that it cannot drift from protos/:
// docs/events.md for people and protos/asyncapi.yaml (AsyncAPI 2.6.0) for tools.
#pragma once

#include <string>
#include <vector>

#include "nrp/protolock/contract.h"

namespace nrp::protolock {

// One event type as the catalogue lists it.
struct CatalogueEvent {
  const google::protobuf::Descriptor* message = nullptr;
  EventSpec spec;
  std::string producer;  // service that publishes it, e.g. "land_supply"
};

// One topic with its events, in declaration order.
struct CatalogueTopic {
  std::string name;
  std::string producer;
  std::string description;  // leading comment of the events file
  std::vector<CatalogueEvent> events;
  std::vector<std::string> consumers;  // union of the events' consumers, sorted
};

// The topics of the contract, sorted by name.
std::vector<CatalogueTopic> CollectTopics(const Contract& contract);

// docs/events.md.
std::string RenderEventsMarkdown(const Contract& contract);

// protos/asyncapi.yaml.
std::string RenderAsyncApi(const Contract& contract);

}  // namespace nrp::protolock
