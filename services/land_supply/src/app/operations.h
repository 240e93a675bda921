// The use cases of land supply that more than one entry point drives: the transitions the
// handlers (api/), the scheduler and the consumers (events/) share, each inside the caller's
// transaction on a row it locked. No gRPC here.
#pragma once

#include <optional>
#include <string>

#include "domain/idle_land.h"
#include "domain/rules.h"
#include "nrp/auction/live_board.h"
#include "nrp/core/calendar.h"
#include "nrp/land_supply/v1/land_supply.pb.h"  // the request messages Close and OpenIdleCase take
#include "nrp/restoration/v1/events.pb.h"
#include "nrp/service/deadlines.h"
#include "nrp/service/runtime.h"
#include "store/store.h"

namespace nrp::land_supply {

namespace v1 = ::nrp::land_supply::v1;

// What handlers, the scheduler and the consumers share.
struct Deps {
  service::Runtime& rt;
  const Rules& rules;
  auction::LiveBoard& board;
  const Clock& clock() const { return rt.clock(); }
};

// Transitions shared by the handlers, the scheduler and the consumers; each works inside the
// caller's transaction on a row it locked.
class Operations {
 public:
  explicit Operations(Deps deps) : d_(deps) {}
  Deps& deps() { return d_; }

  // PUBLISHED → BIDDING at the start of bidding (OfferBiddingOpened).
  Status OpenBidding(pqxx::work& tx, store::OfferRow& offer, TimePoint now);
  // Closes an offer: on the bids (tender, auction, listing) or on the agreed
  // grantee and price (allocation, negotiated grant, lease). OfferAwarded or
  // OfferFailed; a failed offer returns its parcel to READY.
  Result<v1::SupplyOffer> Close(pqxx::work& tx, store::OfferRow& offer,
                                const v1::CloseOfferRequest& request, TimePoint now);
  // A recount of the contract signing deadline after a calendar change: the offer's result
  // and the overdue check take the new date, ContractDueDateMoved when it moved. False when
  // the offer no longer waits on it (contracted or cancelled).
  Result<bool> ApplyContractDueRecount(pqxx::work& tx, const service::DeadlineChange& change);
  // ContractSigningOverdue, once.
  Status RaiseSigningOverdue(pqxx::work& tx, store::OfferRow& offer, TimePoint now);
  // PaymentOverdue for each installment not yet raised.
  Status RaisePaymentOverdue(pqxx::work& tx, store::ContractRow& contract, TimePoint now);
  // Opens the idle-land cases whose grounds hold today and that do not exist
  // yet (detected automatically). Returns how many were opened.
  Result<int> DetectIdleLand(pqxx::work& tx, store::ContractRow& contract, TimePoint now);

  // Opens one case; `automatic` marks the scheduler's own.
  Result<std::optional<v1::IdleLandCase>> OpenIdleCase(pqxx::work& tx, store::ContractRow& contract,
                                                       IdleGround ground, const Date& idle_since,
                                                       double idle_area_m2, bool automatic,
                                                       const v1::OpenIdleLandCaseRequest* request,
                                                       TimePoint now);

  // Restoration accepted a project (ProjectAccepted, event `source_event_id`): its new
  // cultivated land becomes a compensation credit (占补平衡) and its reclaimed rural
  // construction land a linkage quota (增减挂钩), each once (keyed by the source event).
  Status CreditAcceptedProject(pqxx::work& tx, const nrp::restoration::v1::ProjectAccepted& p,
                               const std::string& source_event_id);

  // Moves the live board to the recorded state (after a commit).
  void AdvanceBoard(const std::string& offer_id, const store::OfferRow& offer,
                    const BoardState& board);

 private:
  Deps d_;
};

// What idle-land detection needs to know about a contract.
DevelopmentFacts DevelopmentFactsOf(const store::ContractRow& row);

// A party's fields checked (INVALID_ARGUMENT naming `field`).
Status CheckParty(const nrp::common::v1::Party& party, std::string_view field);

}  // namespace nrp::land_supply
