// How a consumer's step outcome becomes the consumer's decision, written once for every
// service: which errors are worth a retry and which send the event to the dead-letter topic,
// and a typed handler that decodes the payload before the service's code sees it.
//
//   rt.Subscribe(kPlanningTopic, "nrp.planning.zone_published.v1",
//                events::Typed<pv1::ZonePublished>(
//                    [&](pqxx::work& tx, const pv1::ZonePublished& m, const events::CloudEvent& e)
//                        -> Status { return replica.Apply(tx, m); }));
#pragma once

#include <functional>
#include <utility>

#include "nrp/core/status.h"
#include "nrp/events/cloud_event.h"
#include "nrp/events/consumer.h"

namespace nrp::events {

// Transient — retried with the partition paused, the event kept: UNAVAILABLE (a database or
// broker that is down), ABORTED (a lost race, a lock), DEADLINE_EXCEEDED (a statement that
// timed out) and RESOURCE_EXHAUSTED (a pool or rate limit that is full). Every other code —
// a payload that breaks an invariant, a reference that does not exist, a caller error —
// can never be applied by retrying: permanent, to the dead-letter topic with the reason.
bool IsTransient(Code code);
HandlerResult Classify(const Error& error);
HandlerResult Classify(const Status& status);

// Ok when the payload decodes as `message`'s type; permanent, with the reason, when it does
// not (another dataschema, or bytes that do not parse).
HandlerResult Decode(const CloudEvent& event, google::protobuf::Message* message);

template <class Message>
using TypedApply = std::function<Status(pqxx::work&, const Message&, const CloudEvent&)>;

// Decodes the payload as `Message` (a payload that does not decode is permanent) and runs
// `apply`, classified as above.
template <class Message>
EventHandler Typed(TypedApply<Message> apply) {
  return [apply = std::move(apply)](pqxx::work& tx, const CloudEvent& event) -> HandlerResult {
    Message m;
    if (HandlerResult bad = Decode(event, &m); !bad.ok()) return bad;
    return Classify(apply(tx, m, event));
  };
}

}  // namespace nrp::events
