// Transitions driven by calls, by the scheduler and by consumers.
#include "app/operations.h"

#include "convert/convert.h"
#include "domain/contract.h"
#include "domain/idle_land.h"
#include "domain/offer.h"
#include "domain/party.h"
#include "nrp/core/log.h"
#include "nrp/core/uuid.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/service/calendar_proto.h"
#include "nrp/service/publish.h"

namespace nrp::land_supply {

Status Operations::OpenBidding(pqxx::work& tx, store::OfferRow& row, TimePoint now) {
  v1::SupplyOffer& o = row.offer;
  if (o.state() != v1::OFFER_STATE_PUBLISHED) return Ok();
  if (!IsCompetitive(static_cast<SupplyMethod>(o.method()))) return Ok();
  if (!o.has_bidding_start() || now < FromTimestamp(o.bidding_start())) return Ok();
  o.set_state(v1::OFFER_STATE_BIDDING);
  *o.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateOffer(tx, row, ""));
  v1::OfferBiddingOpened ev;
  ev.set_offer_id(o.offer_id());
  ev.set_region_code(o.region_code());
  ev.set_parcel_id(o.parcel_id());
  ev.set_method(o.method());
  *ev.mutable_bidding_start() = o.bidding_start();
  if (o.has_bidding_end()) *ev.mutable_bidding_end() = o.bidding_end();
  ev.set_bidder_count(row.bidder_count);
  return service::Publish(d_.rt, tx, ev, o.region_code());
}

Result<v1::SupplyOffer> Operations::Close(pqxx::work& tx, store::OfferRow& row,
                                          const v1::CloseOfferRequest& request, TimePoint now) {
  v1::SupplyOffer& o = row.offer;
  auto method = static_cast<SupplyMethod>(o.method());
  CloseFacts facts;
  facts.offer_id = o.offer_id();
  facts.state = static_cast<OfferState>(o.state());
  facts.method = method;
  if (o.has_bidding_end()) facts.bidding_end = FromTimestamp(o.bidding_end());
  facts.starting_price_fen = o.starting_price().fen();
  facts.reserve_price_fen = o.reserve_price().fen();

  CloseDecision decision;
  nrp::common::v1::Party grantee;
  std::string grantee_number;
  if (IsCompetitive(method)) {
    if (request.has_agreed_grantee() || request.has_agreed_price()) {
      return Error::InvalidArgument("agreed_grantee",
                                    "a tender, auction or listing is closed on its bids");
    }
    NRP_ASSIGN_OR_RETURN(facts.bids, store::BidsOf(tx, o.offer_id()));
    NRP_ASSIGN_OR_RETURN(decision, DecideCompetitiveClose(facts, now, request.winning_bid_id()));
    if (decision.winner) {
      NRP_ASSIGN_OR_RETURN(auto bidder,
                           store::FindBidder(tx, o.offer_id(), decision.winner->bidder_number));
      if (!bidder)
        return Error::Internal("winning bidder " + decision.winner->bidder_number + " missing");
      grantee = bidder->bidder();
      grantee_number = bidder->bidder_number();
    }
  } else {
    if (!request.winning_bid_id().empty()) {
      return Error::InvalidArgument("winning_bid_id", "only a tender names its winning bid");
    }
    if (request.has_agreed_grantee()) {
      NRP_RETURN_IF_ERROR(CheckParty(request.agreed_grantee(), "agreed_grantee"));
    }
    NRP_ASSIGN_OR_RETURN(decision, DecideAgreedClose(facts, request.agreed_price().fen(),
                                                     request.has_agreed_grantee()));
    grantee = request.agreed_grantee();
  }

  Date today = DateInChina(now);
  v1::SupplyResult result;
  result.set_outcome(static_cast<v1::ResultOutcome>(decision.outcome));
  result.mutable_highest_bid()->set_fen(decision.highest_fen);
  result.set_valid_bid_count(decision.valid_bid_count);
  *result.mutable_determined_at() = ToTimestamp(now);
  *result.mutable_confirmation() = request.confirmation();
  row.result_on = today;
  v1::Parcel parcel;
  NRP_ASSIGN_OR_RETURN(parcel, store::GetParcel(tx, o.parcel_id(), true));
  if (decision.outcome == ResultOutcome::kAwarded) {
    const DeadlineRule due_rule = ContractDueRule(today, d_.rules);
    NRP_ASSIGN_OR_RETURN(Deadline due, d_.rt.Calendar()->Compute(due_rule));
    *result.mutable_grantee() = grantee;
    result.set_grantee_bidder_number(grantee_number);
    result.mutable_price()->set_fen(decision.price_fen);
    *result.mutable_contract_due_date() = ToProtoDate(due.date);
    service::FillCalendar(due.basis, result.mutable_contract_due_date_calendar());
    service::Deadlines::Put(tx, "offers/" + o.offer_id(), "contract_due_date", due_rule, due, now);
    row.contract_due = due.date;
    row.price_fen = decision.price_fen;
    row.grantee_bidder_number = grantee_number;
    o.set_state(v1::OFFER_STATE_AWARDED);
  } else {
    result.set_failure_reason(decision.failure_reason);
    o.set_state(v1::OFFER_STATE_FAILED);
    parcel.set_state(v1::PARCEL_STATE_READY);
    *parcel.mutable_update_time() = ToTimestamp(now);
    NRP_RETURN_IF_ERROR(store::UpdateParcel(tx, parcel, "", ""));
  }
  *o.mutable_result() = result;
  *o.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateOffer(tx, row, ""));
  if (decision.outcome == ResultOutcome::kAwarded) {
    v1::OfferAwarded ev;
    ev.set_offer_id(o.offer_id());
    ev.set_region_code(o.region_code());
    ev.set_parcel_id(o.parcel_id());
    ev.set_method(o.method());
    *ev.mutable_result() = result;
    NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, o.region_code()));
  } else {
    v1::OfferFailed ev;
    ev.set_offer_id(o.offer_id());
    ev.set_region_code(o.region_code());
    ev.set_parcel_id(o.parcel_id());
    ev.set_method(o.method());
    *ev.mutable_result() = result;
    NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, o.region_code()));
  }
  return o;
}

Result<bool> Operations::ApplyContractDueRecount(pqxx::work& tx,
                                                 const service::DeadlineChange& change) {
  const std::string offer_id = change.subject.substr(std::string_view("offers/").size());
  if (change.name != "contract_due_date") {
    return Error::InvalidArgument("deadline", "an offer has no deadline '" + change.name + "'");
  }
  NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, offer_id, true));
  v1::SupplyOffer& o = row.offer;
  if (o.state() != v1::OFFER_STATE_AWARDED) return false;
  const TimePoint now = d_.clock().Now();
  *o.mutable_result()->mutable_contract_due_date() = ToProtoDate(change.now.date);
  service::FillCalendar(change.now.basis, o.mutable_result()->mutable_contract_due_date_calendar());
  row.contract_due = change.now.date;
  if (change.moved()) *o.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateOffer(tx, row, ""));
  // An overdue raised by the date counted before is checked again by the new one.
  if (change.moved() && row.signing_overdue_raised && !(change.now.date < DateInChina(now))) {
    NRP_RETURN_IF_ERROR(store::ClearSigningOverdue(tx, offer_id));
  }
  if (!change.moved()) return true;
  v1::ContractDueDateMoved ev;
  ev.set_offer_id(o.offer_id());
  ev.set_region_code(o.region_code());
  ev.set_parcel_id(o.parcel_id());
  *ev.mutable_old_date() = ToProtoDate(change.old_date);
  *ev.mutable_new_date() = ToProtoDate(change.now.date);
  ev.set_old_calendar(change.old_calendar);
  service::FillCalendar(change.now.basis, ev.mutable_calendar());
  *ev.mutable_moved_at() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, o.region_code()));
  return true;
}

Status Operations::RaiseSigningOverdue(pqxx::work& tx, store::OfferRow& row, TimePoint now) {
  const v1::SupplyOffer& o = row.offer;
  if (o.state() != v1::OFFER_STATE_AWARDED || row.signing_overdue_raised || !row.contract_due) {
    return Ok();
  }
  if (!(DateInChina(now) > *row.contract_due)) return Ok();
  NRP_RETURN_IF_ERROR(store::MarkSigningOverdue(tx, o.offer_id(), now));
  row.signing_overdue_raised = true;
  v1::ContractSigningOverdue ev;
  ev.set_offer_id(o.offer_id());
  ev.set_region_code(o.region_code());
  ev.set_parcel_id(o.parcel_id());
  ev.set_grantee_bidder_number(row.grantee_bidder_number);
  *ev.mutable_contract_due_date() = ToProtoDate(*row.contract_due);
  *ev.mutable_contract_due_date_calendar() = o.result().contract_due_date_calendar();
  *ev.mutable_detected_at() = ToTimestamp(now);
  return service::Publish(d_.rt, tx, ev, o.region_code());
}

Status Operations::RaisePaymentOverdue(pqxx::work& tx, store::ContractRow& row, TimePoint now) {
  const v1::GrantContract& c = row.contract;
  if (c.state() != v1::CONTRACT_STATE_SIGNED) return Ok();
  std::vector<InstallmentInput> schedule;
  for (const auto& in : c.installments()) {
    schedule.push_back({FromProtoDate(in.due_date()).value_or(Date()), in.amount().fen()});
  }
  NRP_ASSIGN_OR_RETURN(auto raised, store::InstallmentRaisedFlags(tx, c.contract_id()));
  int64_t cumulative = 0;
  std::vector<int64_t> due_totals;
  for (const auto& in : schedule) due_totals.push_back(cumulative += in.amount_fen);
  for (size_t idx : OverdueInstallments(schedule, c.paid().fen(), DateInChina(now))) {
    if (idx < raised.size() && raised[idx].second) continue;
    NRP_RETURN_IF_ERROR(
        store::MarkInstallmentOverdue(tx, c.contract_id(), static_cast<int32_t>(idx), now));
    v1::PaymentOverdue ev;
    ev.set_contract_id(c.contract_id());
    ev.set_region_code(c.region_code());
    ev.set_installment_number(static_cast<int32_t>(idx + 1));
    *ev.mutable_due_date() = ToProtoDate(schedule[idx].due);
    ev.mutable_due_total()->set_fen(due_totals[idx]);
    ev.mutable_paid_total()->set_fen(c.paid().fen());
    *ev.mutable_detected_at() = ToTimestamp(now);
    NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, c.region_code()));
  }
  return Ok();
}

namespace {

DevelopmentFacts DevelopmentOf(const store::ContractRow& row) {
  const v1::GrantContract& c = row.contract;
  DevelopmentFacts f;
  f.contract_id = c.contract_id();
  f.state = static_cast<ContractState>(c.state());
  f.agreed_construction_start = FromProtoDate(c.agreed_construction_start()).value_or(Date());
  if (c.has_construction_started_on())
    f.construction_started_on = FromProtoDate(c.construction_started_on());
  f.area_m2 = c.area().square_metres();
  f.developed_area_m2 = c.developed_area().square_metres();
  f.agreed_investment_fen = c.agreed_investment().fen();
  f.invested_fen = c.invested().fen();
  if (c.has_work_stopped_since()) f.work_stopped_since = FromProtoDate(c.work_stopped_since());
  return f;
}

}  // namespace

DevelopmentFacts DevelopmentFactsOf(const store::ContractRow& row) { return DevelopmentOf(row); }

Status CheckParty(const nrp::common::v1::Party& party, std::string_view field) {
  PartyInput p{static_cast<int>(party.kind()), party.name(), static_cast<int>(party.id_type()),
               party.id_number()};
  return ValidateParty(p, field);
}

Result<std::optional<v1::IdleLandCase>> Operations::OpenIdleCase(
    pqxx::work& tx, store::ContractRow& row, IdleGround ground, const Date& idle_since,
    double idle_area_m2, bool automatic, const v1::OpenIdleLandCaseRequest* request,
    TimePoint now) {
  const v1::GrantContract& c = row.contract;
  v1::IdleLandCase k;
  k.set_case_id(NewUuidV7());
  k.set_region_code(row.parcel.region_code());
  k.set_contract_id(c.contract_id());
  k.set_parcel_id(c.parcel_id());
  *k.mutable_land_user() = c.grantee();
  k.set_ground(static_cast<v1::IdleGround>(ground));
  *k.mutable_idle_since() = ToProtoDate(idle_since);
  k.mutable_idle_area()->set_square_metres(idle_area_m2);
  k.set_detected_automatically(automatic);
  k.set_state(v1::IDLE_CASE_STATE_INVESTIGATING);
  if (request) *k.mutable_investigation_notice() = request->investigation_notice();
  // The fee that applies if the land user is at fault (Order 53 art. 14):
  // 20% of the price for the one-year ground; charged at disposal.
  if (ground == IdleGround::kNoStartOneYear) {
    k.mutable_fee()->set_fen(IdleFee(c.price().fen(), d_.rules));
  }
  *k.mutable_opened_at() = ToTimestamp(now);
  NRP_ASSIGN_OR_RETURN(bool inserted, store::InsertIdleCase(tx, k));
  if (!inserted) return std::optional<v1::IdleLandCase>();
  v1::IdleLandCaseOpened ev;
  ev.set_case_id(k.case_id());
  ev.set_region_code(k.region_code());
  ev.set_contract_id(k.contract_id());
  ev.set_parcel_id(k.parcel_id());
  ev.set_ground(k.ground());
  *ev.mutable_idle_since() = k.idle_since();
  *ev.mutable_idle_area() = k.idle_area();
  ev.set_detected_automatically(automatic);
  NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, k.region_code()));
  return std::optional<v1::IdleLandCase>(k);
}

Result<int> Operations::DetectIdleLand(pqxx::work& tx, store::ContractRow& row, TimePoint now) {
  int opened = 0;
  for (const auto& f : FindIdleGrounds(DevelopmentOf(row), DateInChina(now), d_.rules)) {
    NRP_ASSIGN_OR_RETURN(
        auto k, OpenIdleCase(tx, row, f.ground, f.idle_since, f.idle_area_m2, true, nullptr, now));
    if (k) ++opened;
  }
  return opened;
}

void Operations::AdvanceBoard(const std::string& offer_id, const store::OfferRow& row,
                              const BoardState& board) {
  auction::LiveBoardState s;
  s.board = board;
  s.method = AuctionMethodOf(static_cast<SupplyMethod>(row.offer.method()));
  s.increment_fen = row.offer.bid_increment().fen();
  s.starting_price_fen = row.offer.starting_price().fen();
  auto moved = d_.board.Advance(offer_id, s);
  if (!moved.ok()) {
    // The record has the bid; the board catches up with the next bid or read.
    log::Warn("live board not updated", {{"offer_id", offer_id},
                                         {"seq", static_cast<int64_t>(board.seq)},
                                         {"error", moved.error().ToString()}});
  }
}

}  // namespace nrp::land_supply
