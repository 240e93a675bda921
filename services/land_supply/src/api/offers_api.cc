// Supply offers, bidders and bids.
#include <cstdio>

#include "api/handler.h"
#include "nrp/auction/bidding.h"
#include "convert/convert.h"
#include "domain/offer.h"
#include "domain/zone_gate.h"
#include "nrp/core/uuid.h"
#include "nrp/land_supply/v1/events.pb.h"

namespace nrp::land_supply {

namespace {

OfferTerms TermsOf(const v1::SupplyOffer& o) {
  OfferTerms t;
  t.region_code = o.region_code();
  t.parcel_id = o.parcel_id();
  t.method = static_cast<int>(o.method());
  t.land_use = static_cast<int>(o.land_use());
  t.term_years = o.term_years();
  t.starting_price_fen = o.starting_price().fen();
  t.reserve_price_fen = o.reserve_price().fen();
  t.bid_increment_fen = o.bid_increment().fen();
  t.deposit_fen = o.deposit().fen();
  t.intending_users = o.intending_users();
  t.allocation_catalogue_item = o.allocation_catalogue_item();
  t.special_conditions = o.special_conditions();
  if (o.has_bidding_start()) t.bidding_start = FromTimestamp(o.bidding_start());
  if (o.has_bidding_end()) t.bidding_end = FromTimestamp(o.bidding_end());
  return t;
}

OfferSchedule ScheduleOf(const v1::SupplyOffer& o) {
  OfferSchedule s;
  s.offer_id = o.offer_id();
  s.state = static_cast<OfferState>(o.state());
  s.method = static_cast<SupplyMethod>(o.method());
  if (o.has_bidding_start()) s.bidding_start = FromTimestamp(o.bidding_start());
  if (o.has_bidding_end()) s.bidding_end = FromTimestamp(o.bidding_end());
  return s;
}

BidRules BidRulesOf(const v1::SupplyOffer& o) {
  BidRules r;
  r.offer_id = o.offer_id();
  r.state = static_cast<OfferState>(o.state());
  r.method = static_cast<SupplyMethod>(o.method());
  r.bidding_start = o.has_bidding_start() ? FromTimestamp(o.bidding_start()) : TimePoint::max();
  r.bidding_end = o.has_bidding_end() ? FromTimestamp(o.bidding_end()) : TimePoint::min();
  r.starting_price_fen = o.starting_price().fen();
  r.bid_increment_fen = o.bid_increment().fen();
  return r;
}

// An offer as the bidding engine's lot: its row locked, the caller's region and the offer's
// state checked, bidding opened when it starts now; an accepted bid stored with the offer's
// new board, and BidPlaced published for auction and listing (a tender's bids stay sealed).
class OfferLot final : public auction::LotTable {
 public:
  OfferLot(service::Runtime& rt, Operations& ops, const rpc::Caller& caller,
           const std::string& offer_id)
      : rt_(rt), ops_(ops), caller_(caller), offer_id_(offer_id) {}

  Result<auction::LockedLot> Lock(pqxx::work& tx, TimePoint now) override {
    NRP_ASSIGN_OR_RETURN(row_, store::GetOffer(tx, offer_id_, true));
    NRP_RETURN_IF_ERROR(InRegion(caller_, kWriteScope, row_.offer.region_code()));
    const BidRules rules = BidRulesOf(row_.offer);
    NRP_RETURN_IF_ERROR(CheckBiddable(rules));
    if (row_.offer.state() == v1::OFFER_STATE_PUBLISHED) {
      NRP_RETURN_IF_ERROR(ops_.OpenBidding(tx, row_, now));
    }
    return auction::LockedLot{LotOf(rules), row_.board};
  }
  Result<bool> HasBid(pqxx::work& tx, const std::string& bidder_number) override {
    return store::BidderHasBid(tx, offer_id_, bidder_number);
  }
  Status Record(pqxx::work& tx, const auction::Bid& accepted, TimePoint placed_at,
                bool raises) override {
    v1::Bid& bid = recorded_;
    bid.set_bid_id(accepted.bid_id);
    bid.set_offer_id(offer_id_);
    bid.set_bidder_number(accepted.bidder_number);
    bid.mutable_amount()->set_fen(accepted.amount_fen);
    *bid.mutable_placed_at() = ToTimestamp(placed_at);
    bid.set_valid(true);
    NRP_RETURN_IF_ERROR(store::InsertBid(tx, bid, accepted.seq, raises));
    if (!raises) return Ok();
    v1::BidPlaced ev;
    ev.set_offer_id(offer_id_);
    ev.set_region_code(row_.offer.region_code());
    ev.set_bid_id(bid.bid_id());
    ev.set_bidder_number(bid.bidder_number());
    *ev.mutable_amount() = bid.amount();
    *ev.mutable_placed_at() = bid.placed_at();
    return service::Publish(rt_, tx, ev, row_.offer.region_code());
  }

  const std::string& region_code() const { return row_.offer.region_code(); }
  const v1::Bid& recorded() const { return recorded_; }

 private:
  service::Runtime& rt_;
  Operations& ops_;
  const rpc::Caller& caller_;
  std::string offer_id_;
  store::OfferRow row_;
  v1::Bid recorded_;
};

bool IsClosed(v1::OfferState s) {
  return s == v1::OFFER_STATE_AWARDED || s == v1::OFFER_STATE_FAILED ||
         s == v1::OFFER_STATE_CANCELLED || s == v1::OFFER_STATE_CONTRACTED;
}

}  // namespace

grpc::Status LandSupplyApi::CreateOffer(Ctx* ctx, const v1::CreateOfferRequest* req,
                                        v1::SupplyOffer* out) {
  return Serve<v1::SupplyOffer>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::SupplyOffer> {
        OfferTerms terms = TermsOf(req->offer());
        NRP_RETURN_IF_ERROR(ValidateOfferTerms(terms, d_.rules));
        NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, terms.region_code));
        return Mutate<v1::SupplyOffer>(caller, "CreateOffer", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::SupplyOffer> {
              auto parcel = store::GetParcel(tx, terms.parcel_id, true);
              if (!parcel.ok())
                return Error::InvalidArgument("offer.parcel_id", parcel.error().message());
              NRP_RETURN_IF_ERROR(CheckOfferRegion(terms.region_code, parcel->region_code()));
              NRP_ASSIGN_OR_RETURN(ParcelFacts facts, ParcelFactsOf(tx, *parcel));
              NRP_RETURN_IF_ERROR(CheckOfferable(facts));
              if (static_cast<int>(parcel->planned_use()) != terms.land_use) {
                return Error::FailedPrecondition(
                    "LAND_USE_MISMATCH", parcel->parcel_id(),
                    "the offer grants " +
                        std::string(LandUseName(static_cast<LandUse>(terms.land_use))) +
                        " use but parcel " + parcel->parcel_id() + " is planned for " +
                        std::string(LandUseName(static_cast<LandUse>(parcel->planned_use()))) +
                        " use (规划条件)");
              }
              NRP_ASSIGN_OR_RETURN(auto open, store::OpenOfferOf(tx, parcel->parcel_id()));
              if (open) {
                return Error::AlreadyExists("parcel " + parcel->parcel_id() +
                                            " already has open offer " + *open);
              }
              TimePoint now = d_.clock().Now();
              v1::SupplyOffer o = req->offer();
              o.set_offer_id(NewUuidV7());
              if (!o.has_planning_conditions())
                *o.mutable_planning_conditions() = parcel->planning_conditions();
              o.set_state(v1::OFFER_STATE_DRAFT);
              o.clear_published_at();
              o.clear_notice();
              o.clear_result();
              o.clear_zone_check();
              *o.mutable_create_time() = ToTimestamp(now);
              *o.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::InsertOffer(tx, o));
              v1::OfferDrafted ev;
              ev.set_offer_id(o.offer_id());
              ev.set_region_code(o.region_code());
              ev.set_parcel_id(o.parcel_id());
              ev.set_method(o.method());
              ev.set_land_use(o.land_use());
              *ev.mutable_drafted_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, o.region_code()));
              audit = {o.region_code(), o.offer_id()};
              return o;
            });
      });
}

grpc::Status LandSupplyApi::GetOffer(Ctx* ctx, const v1::GetOfferRequest* req,
                                     v1::SupplyOffer* out) {
  return Serve<v1::SupplyOffer>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::SupplyOffer> {
        NRP_ASSIGN_OR_RETURN(auto row, Read<store::OfferRow>([&](pqxx::work& tx) {
                               return store::GetOffer(tx, req->offer_id(), false);
                             }));
        NRP_RETURN_IF_ERROR(InRegion(caller, kReadScope, row.offer.region_code()));
        api::RedactOffer(caller, &row.offer);
        return row.offer;
      });
}

grpc::Status LandSupplyApi::ListOffers(Ctx* ctx, const v1::ListOffersRequest* req,
                                       v1::ListOffersResponse* out) {
  return Serve<v1::ListOffersResponse>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::ListOffersResponse> {
        NRP_ASSIGN_OR_RETURN(auto q,
                             ListQueryFor(caller, list::RequestOf(*req), store::OfferList()));
        return Read<v1::ListOffersResponse>([&](pqxx::work& tx) -> Result<v1::ListOffersResponse> {
          NRP_ASSIGN_OR_RETURN(auto page, store::ListOffers(tx, q));
          v1::ListOffersResponse resp;
          for (auto& r : page.items) {
            api::RedactOffer(caller, &r.offer);
            *resp.add_offers() = std::move(r.offer);
          }
          resp.set_next_page_token(page.next_page_token);
          return resp;
        });
      });
}

grpc::Status LandSupplyApi::PublishOffer(Ctx* ctx, const v1::PublishOfferRequest* req,
                                         v1::SupplyOffer* out) {
  return Serve<v1::SupplyOffer>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::SupplyOffer> {
        return Mutate<v1::SupplyOffer>(caller, "PublishOffer", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::SupplyOffer> {
              NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, req->offer_id(), true));
              v1::SupplyOffer& o = row.offer;
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, o.region_code()));
              TimePoint now = d_.clock().Now();
              NRP_RETURN_IF_ERROR(CheckPublish(ScheduleOf(o), now, d_.rules));
              NRP_ASSIGN_OR_RETURN(v1::Parcel parcel, store::GetParcel(tx, o.parcel_id(), true));
              NRP_ASSIGN_OR_RETURN(ParcelFacts facts, ParcelFactsOf(tx, parcel));
              NRP_RETURN_IF_ERROR(CheckOfferable(facts));
              // The spatial gate on the replica of planning's zones (current versions).
              auto use = static_cast<LandUse>(o.land_use());
              NRP_ASSIGN_OR_RETURN(ZoneMeasurement m, store::MeasureZones(tx, parcel.parcel_id()));
              GateResult gate = EvaluateZoneGate(m, use, GateStage::kOffer, d_.rules);
              if (gate.refusal) return *gate.refusal;
              o.set_state(v1::OFFER_STATE_PUBLISHED);
              *o.mutable_published_at() = ToTimestamp(now);
              *o.mutable_notice() = req->notice();
              *o.mutable_zone_check() = api::ZoneCheckOf(gate, SpatialUseOf(use, d_.rules), now);
              *o.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateOffer(tx, row, ""));
              parcel.set_state(v1::PARCEL_STATE_OFFERED);
              *parcel.mutable_zone_check() = o.zone_check();
              *parcel.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateParcel(tx, parcel, "", ""));
              v1::OfferPublished ev;
              ev.set_offer_id(o.offer_id());
              ev.set_region_code(o.region_code());
              ev.set_parcel_id(o.parcel_id());
              ev.set_method(o.method());
              ev.set_land_use(o.land_use());
              ev.set_term_years(o.term_years());
              *ev.mutable_area() = parcel.area();
              *ev.mutable_starting_price() = o.starting_price();
              *ev.mutable_deposit() = o.deposit();
              if (o.has_bidding_start()) *ev.mutable_bidding_start() = o.bidding_start();
              if (o.has_bidding_end()) *ev.mutable_bidding_end() = o.bidding_end();
              *ev.mutable_notice() = o.notice();
              *ev.mutable_published_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, o.region_code()));
              audit = {o.region_code(), o.offer_id()};
              return o;
            });
      });
}

grpc::Status LandSupplyApi::CancelOffer(Ctx* ctx, const v1::CancelOfferRequest* req,
                                        v1::SupplyOffer* out) {
  return Serve<v1::SupplyOffer>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::SupplyOffer> {
        if (req->reason().empty())
          return Error::InvalidArgument("reason", "required; it is published");
        if (req->reason().size() > 4000)
          return Error::InvalidArgument("reason", "at most 4000 bytes");
        auto result = Mutate<v1::SupplyOffer>(caller, "CancelOffer", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::SupplyOffer> {
              NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, req->offer_id(), true));
              v1::SupplyOffer& o = row.offer;
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, o.region_code()));
              TimePoint now = d_.clock().Now();
              bool overdue = row.contract_due && api::Today(d_.clock()) > *row.contract_due;
              NRP_RETURN_IF_ERROR(CheckCancel(ScheduleOf(o), overdue));
              NRP_ASSIGN_OR_RETURN(v1::Parcel parcel, store::GetParcel(tx, o.parcel_id(), true));
              o.set_state(v1::OFFER_STATE_CANCELLED);
              *o.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateOffer(tx, row, req->reason()));
              service::Deadlines::Close(tx, "offers/" + o.offer_id());
              if (parcel.state() == v1::PARCEL_STATE_OFFERED) {
                parcel.set_state(v1::PARCEL_STATE_READY);
                *parcel.mutable_update_time() = ToTimestamp(now);
                NRP_RETURN_IF_ERROR(store::UpdateParcel(tx, parcel, "", ""));
              }
              v1::OfferCancelled ev;
              ev.set_offer_id(o.offer_id());
              ev.set_region_code(o.region_code());
              ev.set_parcel_id(o.parcel_id());
              ev.set_reason(req->reason());
              *ev.mutable_cancelled_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, o.region_code()));
              audit = {o.region_code(), o.offer_id()};
              return o;
            });
        if (result.ok()) {
          if (auto st = d_.board.Remove(result->offer_id()); !st.ok()) {
            log::Warn("live board not removed",
                      {{"offer_id", result->offer_id()}, {"error", st.error().ToString()}});
          }
          api::RedactOffer(caller, &*result);
        }
        return result;
      });
}

grpc::Status LandSupplyApi::RegisterBidder(Ctx* ctx, const v1::RegisterBidderRequest* req,
                                           v1::BidderRegistration* out) {
  return Serve<v1::BidderRegistration>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::BidderRegistration> {
        NRP_RETURN_IF_ERROR(CheckParty(req->bidder(), "bidder"));
        auto result = Mutate<v1::BidderRegistration>(caller, "RegisterBidder", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::BidderRegistration> {
              NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, req->offer_id(), true));
              v1::SupplyOffer& o = row.offer;
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, o.region_code()));
              TimePoint now = d_.clock().Now();
              NRP_RETURN_IF_ERROR(CheckRegisterBidder(ScheduleOf(o), o.deposit().fen(),
                                                      req->deposit_paid().fen(), now));
              char number[16];
              std::snprintf(number, sizeof number, "%03d", row.bidder_count + 1);
              v1::BidderRegistration b;
              b.set_registration_id(NewUuidV7());
              b.set_offer_id(o.offer_id());
              *b.mutable_bidder() = req->bidder();
              b.set_bidder_number(number);
              *b.mutable_deposit_paid() = req->deposit_paid();
              *b.mutable_deposit_receipt() = req->deposit_receipt();
              *b.mutable_registered_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::InsertBidder(tx, b, api::IdentityKey(req->bidder())));
              NRP_RETURN_IF_ERROR(store::SetBidderCount(tx, o.offer_id(), row.bidder_count + 1));
              v1::BidderRegistered ev;
              ev.set_offer_id(o.offer_id());
              ev.set_region_code(o.region_code());
              ev.set_registration_id(b.registration_id());
              ev.set_bidder_number(b.bidder_number());
              *ev.mutable_registered_at() = b.registered_at();
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, o.region_code()));
              audit = {o.region_code(), o.offer_id() + "/" + b.bidder_number()};
              return b;
            });
        if (result.ok()) api::MaskParty(caller, result->mutable_bidder());
        return result;
      });
}

grpc::Status LandSupplyApi::PlaceBid(Ctx* ctx, const v1::PlaceBidRequest* req, v1::Bid* out) {
  return Serve<v1::Bid>(ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::Bid> {
    if (req->bidder_number().empty()) return Error::InvalidArgument("bidder_number", "required");
    if (req->amount().fen() <= 0)
      return Error::InvalidArgument("amount.fen", "must be more than 0 fen");
    if (!IsUuid(req->offer_id())) return Error::NotFound("offer " + req->offer_id() + " not found");
    // The bidding engine (libs/auction): the live board's refusal first, then the offer's row
    // lock orders concurrent bids, and the board moves after the commit.
    auction::Bidding bidding(d_.board);
    NRP_RETURN_IF_ERROR(bidding.Precheck(req->offer_id(), "offer", req->amount().fen()));
    std::optional<auction::PlacedBid> placed;
    auto result = Mutate<v1::Bid>(caller, "PlaceBid", req->request_id(), *req,
        [&](pqxx::work& tx, Audit& audit) -> Result<v1::Bid> {
          placed.reset();
          // A registration never changes: looked up before the lock is taken.
          NRP_ASSIGN_OR_RETURN(auto bidder,
                               store::FindBidder(tx, req->offer_id(), req->bidder_number()));
          if (!bidder) {
            NRP_ASSIGN_OR_RETURN(store::OfferRow seen, store::GetOffer(tx, req->offer_id(), false));
            NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, seen.offer.region_code()));
            return Error::FailedPrecondition("BIDDER_NOT_REGISTERED", req->bidder_number(),
                                             "bidder number " + req->bidder_number() +
                                                 " is not registered for offer " + req->offer_id());
          }
          OfferLot lot(d_.rt, ops_, caller, req->offer_id());
          NRP_ASSIGN_OR_RETURN(auto p, bidding.Place(tx, lot, req->bidder_number(),
                                                     req->amount().fen(), d_.clock().Now()));
          audit = {lot.region_code(), req->offer_id() + "/" + p.bid.bid_id};
          placed = std::move(p);
          return lot.recorded();
        });
    if (result.ok() && placed) bidding.Publish(req->offer_id(), *placed);
    return result;
  });
}

grpc::Status LandSupplyApi::ListBids(Ctx* ctx, const v1::ListBidsRequest* req,
                                     v1::ListBidsResponse* out) {
  return Serve<v1::ListBidsResponse>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::ListBidsResponse> {
        NRP_ASSIGN_OR_RETURN(
            auto q, ListQueryFor(caller, list::RequestOf(*req, req->offer_id()), store::BidList()));
        return Read<v1::ListBidsResponse>([&](pqxx::work& tx) -> Result<v1::ListBidsResponse> {
          NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, req->offer_id(), false));
          NRP_RETURN_IF_ERROR(InRegion(caller, kReadScope, row.offer.region_code()));
          bool closed = IsClosed(row.offer.state());
          if (!closed && row.offer.method() == v1::SUPPLY_METHOD_TENDER) {
            return Error::FailedPrecondition(
                "SEALED_BIDS", row.offer.offer_id(),
                "the sealed bids of a tender are listed once it is closed");
          }
          NRP_ASSIGN_OR_RETURN(auto page, store::ListBids(tx, req->offer_id(), q));
          v1::ListBidsResponse resp;
          for (auto& b : page.items) {
            if (!closed) {
              b.clear_bidder();
            } else {
              api::MaskParty(caller, b.mutable_bidder());
            }
            *resp.add_bids() = std::move(b);
          }
          resp.set_next_page_token(page.next_page_token);
          return resp;
        });
      });
}

grpc::Status LandSupplyApi::CloseOffer(Ctx* ctx, const v1::CloseOfferRequest* req,
                                       v1::SupplyOffer* out) {
  return Serve<v1::SupplyOffer>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::SupplyOffer> {
        auto result = Mutate<v1::SupplyOffer>(caller, "CloseOffer", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::SupplyOffer> {
              NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, req->offer_id(), true));
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, row.offer.region_code()));
              audit = {row.offer.region_code(), row.offer.offer_id()};
              return ops_.Close(tx, row, *req, d_.clock().Now());
            });
        if (result.ok()) api::RedactOffer(caller, &*result);
        return result;
      });
}

grpc::Status LandSupplyApi::GetBidBoard(Ctx* ctx, const v1::GetBidBoardRequest* req,
                                        v1::BidBoard* out) {
  return Serve<v1::BidBoard>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::BidBoard> {
        NRP_ASSIGN_OR_RETURN(auto row, Read<store::OfferRow>([&](pqxx::work& tx) {
                               return store::GetOffer(tx, req->offer_id(), false);
                             }));
        const v1::SupplyOffer& o = row.offer;
        NRP_RETURN_IF_ERROR(InRegion(caller, kReadScope, o.region_code()));
        BoardState board = row.board;
        // The live board, when it is at least as recent as the row just read;
        // else the record wins and the live board is repaired.
        auto live = d_.board.Read(o.offer_id());
        if (live.ok() && live->has_value() && (*live)->board.seq >= board.seq) {
          board = (*live)->board;
        } else if (IsAscending(static_cast<SupplyMethod>(o.method())) && board.seq > 0) {
          ops_.AdvanceBoard(o.offer_id(), row, board);
        }
        v1::BidBoard b;
        b.set_offer_id(o.offer_id());
        b.set_region_code(o.region_code());
        b.set_state(o.state());
        b.set_method(o.method());
        b.set_bid_count(board.seq);
        auto method = static_cast<SupplyMethod>(o.method());
        if (IsAscending(method) && board.seq > 0) {
          b.mutable_highest_bid()->set_fen(board.highest_fen);
          b.set_highest_bidder_number(board.highest_bidder_number);
        }
        b.mutable_minimum_next_bid()->set_fen(MinimumAcceptableBid(BidRulesOf(o), board));
        *b.mutable_bid_increment() = o.bid_increment();
        if (o.has_bidding_start()) *b.mutable_bidding_start() = o.bidding_start();
        if (o.has_bidding_end()) *b.mutable_bidding_end() = o.bidding_end();
        *b.mutable_as_of() = ToTimestamp(d_.clock().Now());
        return b;
      });
}

}  // namespace nrp::land_supply
