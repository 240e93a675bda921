// Handlers of other services' events (idempotent: the consumer's inbox row
// and these effects commit in one transaction).
//
// Planning's zone layers (nrp.planning.events.v1) feed the shared zone
// replica (libs/zones) the spatial gate reads.
//
// Restoration's acceptance (nrp.restoration.events.v1 ProjectAccepted) credits
// the ledgers: new cultivated land → a compensation credit (占补平衡),
// reclaimed rural construction land → a linkage quota (增减挂钩).
#pragma once

#include "api/land_supply_api.h"
#include "nrp/events/consumer.h"

namespace nrp::land_supply {

class EventHandlers {
 public:
  explicit EventHandlers(Deps deps) : d_(deps) {}

  events::HandlerResult OnProjectAccepted(pqxx::work& tx, const events::CloudEvent& e);

  // Registers the handlers with the runtime's consumer.
  void Subscribe(service::Runtime& rt);

 private:
  Deps d_;
};

}  // namespace nrp::land_supply
