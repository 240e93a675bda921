// The platform's Kafka topics (architecture §1, §3): one event topic per
// owning service, each with a dead-letter topic "<topic>.dlq" that consumers
// send events to when they can never apply them.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace nrp::events {

inline constexpr std::string_view kRegistrationTopic = "nrp.registration.events.v1";
inline constexpr std::string_view kLandSupplyTopic = "nrp.land_supply.events.v1";
inline constexpr std::string_view kMiningRightsTopic = "nrp.mining_rights.events.v1";
inline constexpr std::string_view kRestorationTopic = "nrp.restoration.events.v1";
inline constexpr std::string_view kPlanningTopic = "nrp.planning.events.v1";

// Every service's event topic, in the order of the architecture's table.
inline constexpr std::array<std::string_view, 5> kPlatformTopics = {
    kRegistrationTopic, kLandSupplyTopic, kMiningRightsTopic, kRestorationTopic, kPlanningTopic};

inline constexpr std::string_view kDlqSuffix = ".dlq";

// "<topic>.dlq".
inline std::string DlqTopic(std::string_view topic) {
  std::string out(topic);
  out += kDlqSuffix;
  return out;
}

// True when `topic` is a dead-letter topic.
inline bool IsDlqTopic(std::string_view topic) {
  return topic.size() > kDlqSuffix.size() &&
         topic.substr(topic.size() - kDlqSuffix.size()) == kDlqSuffix;
}

}  // namespace nrp::events
