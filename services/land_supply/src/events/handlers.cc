#include "events/handlers.h"

#include "nrp/events/handler.h"
#include "nrp/events/topics.h"
#include "nrp/zones/replica.h"

namespace nrp::land_supply {

void Subscribe(service::Runtime& rt, Operations& ops) {
  zones::Replica(rt.clock()).Subscribe(rt);
  rt.Subscribe(
      events::kRestorationTopic, kProjectAcceptedType,
      events::Typed<nrp::restoration::v1::ProjectAccepted>(
          [&ops](pqxx::work& tx, const nrp::restoration::v1::ProjectAccepted& p,
                 const events::CloudEvent& e) { return ops.CreditAcceptedProject(tx, p, e.id); }));
}

}  // namespace nrp::land_supply
