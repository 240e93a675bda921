// Land supply through gRPC against the real PostgreSQL+PostGIS, Redis and the
// development Kafka broker: a listing from notice to contract to delivery, a
// failed sale, the spatial gate on zones received as events, 100 concurrent
// bids, idle land exactly at the one- and two-year marks, a credit reserved by
// two approvals at once, overdue events, idempotency and access control.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "convert/convert.h"
#include "harness.h"
#include "nrp/db/migrations.h"
#include "nrp/db/transaction.h"
#include "nrp/restoration/v1/events.pb.h"
#include "nrp/testing/infra.h"
#include "nrp/zones/replica.h"
#include "nrp_migrations_land_supply.h"

namespace nrp::land_supply::testing {
namespace {

using Stub = v1::LandSupplyService::Stub;
using namespace std::chrono_literals;

TimePoint At(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

// Monday 2 June 2025, 10:00 China Standard Time.
const char* kStart = "2025-06-02T02:00:00Z";

// Inside the urban development boundary, clear of farmland and red line.
std::string GoodBox(int i) {
  double lon = 112.41 + 0.003 * (i % 20);
  double lat = 34.61 + 0.003 * (i / 20);
  return Box(lon, lat, lon + 0.002, lat + 0.002);
}

void ExpectStatus(const Status& st, Code code, const std::string& message) {
  ASSERT_FALSE(st.ok()) << "expected " << CodeName(code);
  EXPECT_EQ(st.error().code(), code) << st.error().ToString();
  EXPECT_EQ(st.error().message(), message);
}

v1::SupplyOffer GetOffer(Harness& h, const std::string& id) {
  v1::GetOfferRequest req;
  req.set_offer_id(id);
  v1::SupplyOffer out;
  auto st = h.Call(&Stub::GetOffer, req, &out);
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  return out;
}

v1::Parcel GetParcel(Harness& h, const std::string& id) {
  v1::GetParcelRequest req;
  req.set_parcel_id(id);
  v1::Parcel out;
  auto st = h.Call(&Stub::GetParcel, req, &out);
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  return out;
}

Status Publish(Harness& h, const std::string& offer_id, v1::SupplyOffer* out) {
  v1::PublishOfferRequest req;
  req.set_request_id(NewRequestId());
  req.set_offer_id(offer_id);
  req.mutable_notice()->set_title("国有建设用地使用权挂牌出让公告");
  return h.Call(&Stub::PublishOffer, req, out);
}

Status Bid(Harness& h, const std::string& offer_id, const std::string& number, int64_t fen,
           v1::Bid* out = nullptr) {
  v1::PlaceBidRequest req;
  req.set_request_id(NewRequestId());
  req.set_offer_id(offer_id);
  req.set_bidder_number(number);
  req.mutable_amount()->set_fen(fen);
  v1::Bid bid;
  return h.Call(&Stub::PlaceBid, req, out ? out : &bid);
}

TimePoint BiddingStart(const v1::SupplyOffer& o) { return FromTimestamp(o.bidding_start()); }
TimePoint BiddingEnd(const v1::SupplyOffer& o) { return FromTimestamp(o.bidding_end()); }

// A ready parcel listed, two bidders, bids of `amounts` alternating between
// them, closed by the scheduler at the end of bidding.
v1::SupplyOffer ListAndClose(Harness& h, const v1::Parcel& parcel, int64_t reserve,
                             const std::vector<int64_t>& amounts) {
  v1::SupplyOffer offer = h.DraftListing(parcel, 100'000'000, reserve, 1'000'000);
  EXPECT_TRUE(Publish(h, offer.offer_id(), &offer).ok());
  auto a = h.RegisterBidder(offer.offer_id(), "洛阳甲置业有限公司", CreditCode(101));
  auto b = h.RegisterBidder(offer.offer_id(), "洛阳乙置业有限公司", CreditCode(102));
  h.clock().Set(BiddingStart(offer) + 1h);
  for (size_t i = 0; i < amounts.size(); ++i) {
    auto st =
        Bid(h, offer.offer_id(), i % 2 == 0 ? a.bidder_number() : b.bidder_number(), amounts[i]);
    EXPECT_TRUE(st.ok()) << st.error().ToString();
  }
  h.clock().Set(BiddingEnd(offer) + 1s);
  SchedulerReport r = h.RunScheduler();
  EXPECT_EQ(r.offers_closed, 1);
  return GetOffer(h, offer.offer_id());
}

v1::GrantContract Sign(Harness& h, const v1::SupplyOffer& offer, const Date& agreed_start) {
  Date today = DateInChina(h.clock().Now());
  v1::SignContractRequest req;
  req.set_request_id(NewRequestId());
  auto* c = req.mutable_contract();
  c->set_offer_id(offer.offer_id());
  c->set_contract_number("410311-2025-" + offer.offer_id().substr(0, 8));
  c->set_grantor("洛阳市自然资源和规划局");
  *c->mutable_agreed_delivery_date() = ToProtoDate(today.AddDays(30));
  *c->mutable_agreed_construction_start() = ToProtoDate(agreed_start);
  *c->mutable_agreed_completion_date() = ToProtoDate(agreed_start.AddYears(3));
  c->mutable_agreed_investment()->set_fen(900'000'000);
  int64_t price = offer.result().price().fen();
  auto* first = c->add_installments();
  *first->mutable_due_date() = ToProtoDate(today.AddDays(30));
  first->mutable_amount()->set_fen(price / 2 + price % 2);
  auto* second = c->add_installments();
  *second->mutable_due_date() = ToProtoDate(today.AddDays(300));
  second->mutable_amount()->set_fen(price / 2);
  c->mutable_document()->set_title("国有建设用地使用权出让合同");
  v1::GrantContract out;
  auto st = h.Call(&Stub::SignContract, req, &out);
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  return out;
}

Status Pay(Harness& h, const std::string& contract_id, v1::PaymentKind kind, int64_t fen) {
  v1::RecordPaymentRequest req;
  req.set_request_id(NewRequestId());
  auto* p = req.mutable_payment();
  p->set_contract_id(contract_id);
  p->set_kind(kind);
  p->mutable_amount()->set_fen(fen);
  *p->mutable_paid_on() = ToProtoDate(DateInChina(h.clock().Now()));
  v1::Payment out;
  return h.Call(&Stub::RecordPayment, req, &out);
}

v1::GrantContract Deliver(Harness& h, const std::string& contract_id) {
  v1::DeliverLandRequest req;
  req.set_request_id(NewRequestId());
  req.set_contract_id(contract_id);
  *req.mutable_delivered_on() = ToProtoDate(DateInChina(h.clock().Now()));
  req.mutable_handover_record()->set_title("交地确认书");
  v1::GrantContract out;
  auto st = h.Call(&Stub::DeliverLand, req, &out);
  EXPECT_TRUE(st.ok()) << st.error().ToString();
  return out;
}

// ------------------------------------------------------------------ the full path

TEST(LandSupplyIntegration, FullListingFromNoticeToContractToDelivery) {
  Harness h(At(kStart));
  h.PublishStandardZones();
  v1::Parcel parcel = h.ReadyParcel(GoodBox(0), v1::LAND_USE_COMMERCIAL);
  ASSERT_EQ(parcel.state(), v1::PARCEL_STATE_READY);
  EXPECT_EQ(parcel.zone_check().verdict(), nrp::common::v1::ZONE_VERDICT_ALLOWED);
  EXPECT_EQ(parcel.zone_check().layers_used_size(), 2);  // farmland and red line at the reserve

  v1::SupplyOffer offer = h.DraftListing(parcel, 100'000'000, 120'000'000, 1'000'000);
  ASSERT_EQ(offer.state(), v1::OFFER_STATE_DRAFT);
  ASSERT_TRUE(Publish(h, offer.offer_id(), &offer).ok());
  EXPECT_EQ(offer.state(), v1::OFFER_STATE_PUBLISHED);
  ASSERT_EQ(offer.zone_check().layers_used_size(), 3);
  EXPECT_EQ(offer.zone_check().layers_used(2).layer_id(), "ly-udb");
  EXPECT_EQ(offer.zone_check().layers_used(2).version(), 1);
  EXPECT_EQ(GetParcel(h, parcel.parcel_id()).state(), v1::PARCEL_STATE_OFFERED);

  auto a = h.RegisterBidder(offer.offer_id(), "洛阳甲置业有限公司", CreditCode(1));
  auto b = h.RegisterBidder(offer.offer_id(), "洛阳乙置业有限公司", CreditCode(2));
  EXPECT_EQ(a.bidder_number(), "001");
  EXPECT_EQ(b.bidder_number(), "002");

  // Before bidding starts nothing is taken.
  ExpectStatus(
      Bid(h, offer.offer_id(), "001", 100'000'000), Code::kFailedPrecondition,
      "bidding on offer " + offer.offer_id() + " starts at " + FormatRfc3339(BiddingStart(offer)));
  h.clock().Set(BiddingStart(offer) + 1h);
  EXPECT_EQ(h.RunScheduler().bidding_opened, 1);
  EXPECT_EQ(GetOffer(h, offer.offer_id()).state(), v1::OFFER_STATE_BIDDING);

  ASSERT_TRUE(Bid(h, offer.offer_id(), "001", 100'000'000).ok());
  ASSERT_TRUE(Bid(h, offer.offer_id(), "002", 101'000'000).ok());
  ExpectStatus(Bid(h, offer.offer_id(), "001", 101'500'000), Code::kFailedPrecondition,
               "bid of 1015000.00 yuan (101500000 fen) is below the minimum acceptable amount "
               "1020000.00 yuan (102000000 fen) (the current highest bid 1010000.00 yuan "
               "(101000000 fen) plus the increment 10000.00 yuan (1000000 fen))");
  ExpectStatus(Bid(h, offer.offer_id(), "009", 130'000'000), Code::kFailedPrecondition,
               "bidder number 009 is not registered for offer " + offer.offer_id());
  ASSERT_TRUE(Bid(h, offer.offer_id(), "001", 125'000'000).ok());

  v1::GetBidBoardRequest board_req;
  board_req.set_offer_id(offer.offer_id());
  v1::BidBoard board;
  ASSERT_TRUE(h.Call(&Stub::GetBidBoard, board_req, &board, kReader).ok());
  EXPECT_EQ(board.bid_count(), 3);
  EXPECT_EQ(board.highest_bid().fen(), 125'000'000);
  EXPECT_EQ(board.highest_bidder_number(), "001");
  EXPECT_EQ(board.minimum_next_bid().fen(), 126'000'000);
  // The reserve price is the supplying authority's only.
  EXPECT_EQ(GetOffer(h, offer.offer_id()).reserve_price().fen(), 120'000'000);
  {
    v1::GetOfferRequest req;
    req.set_offer_id(offer.offer_id());
    v1::SupplyOffer seen;
    ASSERT_TRUE(h.Call(&Stub::GetOffer, req, &seen, kReader).ok());
    EXPECT_FALSE(seen.has_reserve_price());
  }

  // Closed by the scheduler at the end of bidding.
  h.clock().Set(BiddingEnd(offer) - 1s);
  EXPECT_EQ(h.RunScheduler().offers_closed, 0);
  h.clock().Set(BiddingEnd(offer));
  EXPECT_EQ(h.RunScheduler().offers_closed, 1);
  offer = GetOffer(h, offer.offer_id());
  ASSERT_EQ(offer.state(), v1::OFFER_STATE_AWARDED);
  EXPECT_EQ(offer.result().price().fen(), 125'000'000);
  EXPECT_EQ(offer.result().grantee().name(), "洛阳甲置业有限公司");
  EXPECT_EQ(offer.result().grantee_bidder_number(), "001");
  EXPECT_EQ(offer.result().valid_bid_count(), 3);
  // Bidding ended Monday 2025-07-03 10:00 CST: ten working days later is 2025-07-17.
  Date result_day = DateInChina(BiddingEnd(offer));
  EXPECT_EQ(FromProtoDate(offer.result().contract_due_date())->ToString(),
            WorkingCalendar::LoadDirectory(DefaultCalendarDir(), result_day)
                ->AddWorkingDays(result_day, 10)
                ->ToString());

  v1::ListBidsRequest list;
  list.set_offer_id(offer.offer_id());
  v1::ListBidsResponse bids;
  ASSERT_TRUE(h.Call(&Stub::ListBids, list, &bids).ok());
  ASSERT_EQ(bids.bids_size(), 3);
  EXPECT_EQ(bids.bids(2).bidder().name(), "洛阳甲置业有限公司");

  // Contract, payments (deposit converted first), delivery, construction.
  h.clock().Advance(24h);
  v1::GrantContract contract = Sign(h, offer, DateInChina(h.clock().Now()).AddDays(120));
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_SIGNED);
  EXPECT_EQ(contract.kind(), v1::CONTRACT_KIND_GRANT);
  EXPECT_EQ(contract.price().fen(), 125'000'000);
  EXPECT_EQ(GetParcel(h, parcel.parcel_id()).state(), v1::PARCEL_STATE_SUPPLIED);

  v1::DeliverLandRequest early;
  early.set_request_id(NewRequestId());
  early.set_contract_id(contract.contract_id());
  *early.mutable_delivered_on() = ToProtoDate(DateInChina(h.clock().Now()));
  v1::GrantContract ignored;
  ExpectStatus(
      h.Call(&Stub::DeliverLand, early, &ignored), Code::kFailedPrecondition,
      "contract " + contract.contract_id() +
          " is SIGNED; land is handed over only when the price is paid in full (FULLY_PAID)");

  ASSERT_TRUE(Pay(h, contract.contract_id(), v1::PAYMENT_KIND_DEPOSIT_CONVERTED, 20'000'000).ok());
  ASSERT_TRUE(Pay(h, contract.contract_id(), v1::PAYMENT_KIND_PRICE, 42'500'000).ok());
  h.clock().Advance(24h * 60);
  ExpectStatus(Pay(h, contract.contract_id(), v1::PAYMENT_KIND_PRICE, 62'500'001),
               Code::kFailedPrecondition,
               "the payment of 625000.01 yuan (62500001 fen) exceeds the price still due, "
               "625000.00 yuan (62500000 fen)");
  ASSERT_TRUE(Pay(h, contract.contract_id(), v1::PAYMENT_KIND_PRICE, 62'500'000).ok());

  v1::GrantContract delivered = Deliver(h, contract.contract_id());
  ASSERT_EQ(delivered.state(), v1::CONTRACT_STATE_DELIVERED);
  Date day = DateInChina(h.clock().Now());
  EXPECT_EQ(FromProtoDate(delivered.term_end())->ToString(),
            day.AddYears(40).AddDays(-1).ToString());

  auto delivered_events = h.Events<v1::LandDelivered>("nrp.land_supply.land_delivered.v1");
  ASSERT_EQ(delivered_events.size(), 1u);
  const v1::LandDelivered& ev = delivered_events[0];
  EXPECT_EQ(ev.contract_id(), contract.contract_id());
  EXPECT_EQ(ev.region_code(), "410311");
  EXPECT_EQ(ev.parcel_id(), parcel.parcel_id());
  EXPECT_EQ(ev.location(), parcel.location());
  EXPECT_EQ(ev.geometry().text(), GoodBox(0));
  EXPECT_EQ(ev.grantee().name(), "洛阳甲置业有限公司");
  EXPECT_EQ(ev.grantee().id_number(), CreditCode(1));
  EXPECT_EQ(ev.land_use(), v1::LAND_USE_COMMERCIAL);
  EXPECT_EQ(ev.land_use_code(), "05H1");
  EXPECT_EQ(ev.term_years(), 40);
  EXPECT_EQ(ev.contract_number(), contract.contract_number());
  EXPECT_EQ(ev.contract_kind(), v1::CONTRACT_KIND_GRANT);
  EXPECT_EQ(ev.method(), v1::SUPPLY_METHOD_LISTING);
  EXPECT_EQ(FromProtoDate(ev.term_start())->ToString(), day.ToString());
  EXPECT_EQ(ev.price().fen(), 125'000'000);
  EXPECT_EQ(ev.handover_record().title(), "交地确认书");

  v1::RecordConstructionStartRequest start;
  start.set_request_id(NewRequestId());
  start.set_contract_id(contract.contract_id());
  *start.mutable_started_on() = ToProtoDate(day);
  v1::GrantContract started;
  ASSERT_TRUE(h.Call(&Stub::RecordConstructionStart, start, &started).ok());
  EXPECT_EQ(started.state(), v1::CONTRACT_STATE_CONSTRUCTION_STARTED);
  EXPECT_EQ(GetParcel(h, parcel.parcel_id()).state(), v1::PARCEL_STATE_UNDER_CONSTRUCTION);

  // Every state change left its event, and the relay published them all.
  for (const char* type :
       {"nrp.land_supply.parcel_registered.v1", "nrp.land_supply.parcel_reserved.v1",
        "nrp.land_supply.parcel_cleared.v1", "nrp.land_supply.offer_drafted.v1",
        "nrp.land_supply.offer_published.v1", "nrp.land_supply.offer_bidding_opened.v1",
        "nrp.land_supply.offer_awarded.v1", "nrp.land_supply.contract_signed.v1",
        "nrp.land_supply.contract_fully_paid.v1", "nrp.land_supply.land_delivered.v1",
        "nrp.land_supply.construction_started.v1"}) {
    EXPECT_EQ(h.OutboxPayloads(type).size(), 1u) << type;
  }
  EXPECT_EQ(h.OutboxPayloads("nrp.land_supply.bidder_registered.v1").size(), 2u);
  EXPECT_EQ(h.OutboxPayloads("nrp.land_supply.bid_placed.v1").size(), 3u);
  EXPECT_EQ(h.OutboxPayloads("nrp.land_supply.payment_recorded.v1").size(), 3u);
  EXPECT_TRUE(nrp::testing::WaitFor(
      [&] { return h.Count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0; }, 60s,
      50ms));
}

// ------------------------------------------------------------------ failed sale

TEST(LandSupplyIntegration, AListingWithoutABidAtTheReservePriceFails) {
  Harness h(At(kStart));
  h.PublishStandardZones();
  v1::Parcel parcel = h.ReadyParcel(GoodBox(1), v1::LAND_USE_COMMERCIAL);
  v1::SupplyOffer offer =
      ListAndClose(h, parcel, 120'000'000, {100'000'000, 110'000'000, 119'000'000});
  ASSERT_EQ(offer.state(), v1::OFFER_STATE_FAILED);
  EXPECT_EQ(offer.result().outcome(), v1::RESULT_OUTCOME_FAILED);
  EXPECT_EQ(offer.result().highest_bid().fen(), 119'000'000);
  EXPECT_EQ(offer.result().failure_reason(),
            "the highest bid is below the reserve price (最高报价低于底价)");
  EXPECT_FALSE(offer.result().has_grantee());
  EXPECT_EQ(GetParcel(h, parcel.parcel_id()).state(), v1::PARCEL_STATE_READY);
  auto failed = h.Events<v1::OfferFailed>("nrp.land_supply.offer_failed.v1");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].result().highest_bid().fen(), 119'000'000);

  // No contract for a failed sale.
  v1::SignContractRequest sign;
  sign.set_request_id(NewRequestId());
  sign.mutable_contract()->set_offer_id(offer.offer_id());
  sign.mutable_contract()->set_contract_number("X-1");
  sign.mutable_contract()->set_grantor("洛阳市自然资源和规划局");
  Date today = DateInChina(h.clock().Now());
  *sign.mutable_contract()->mutable_agreed_delivery_date() = ToProtoDate(today);
  *sign.mutable_contract()->mutable_agreed_construction_start() = ToProtoDate(today.AddDays(90));
  *sign.mutable_contract()->mutable_agreed_completion_date() = ToProtoDate(today.AddDays(900));
  v1::GrantContract c;
  const std::string caller_trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  h.SetTraceparent(caller_trace);
  ExpectStatus(
      h.Call(&Stub::SignContract, sign, &c), Code::kFailedPrecondition,
      "offer " + offer.offer_id() + " is FAILED; a contract is signed only for an AWARDED offer");
  // The refusal is audited with its code and the caller's trace.
  EXPECT_EQ(h.Scalar("SELECT outcome || ' ' || trace_id FROM audit_log WHERE method = "
                     "'/nrp.land_supply.v1.LandSupplyService/SignContract'"),
            "FAILED_PRECONDITION OFFER_NOT_AWARDED 0af7651916cd43dd8448eb211c80319c");

  // The parcel is offered again; without any bid that sale fails too. The publication's event
  // carries the caller's trace with a span of this service's.
  v1::SupplyOffer again = h.DraftListing(parcel, 100'000'000, 100'000'000, 1'000'000);
  ASSERT_TRUE(Publish(h, again.offer_id(), &again).ok());
  h.SetTraceparent("");
  const std::string event_trace =
      h.Scalar("SELECT traceparent FROM outbox WHERE ce_type = "
               "'nrp.land_supply.offer_published.v1' AND key = '" +
               again.offer_id() + "'");
  EXPECT_EQ(event_trace.substr(0, 36), "00-0af7651916cd43dd8448eb211c80319c-") << event_trace;
  EXPECT_NE(event_trace, caller_trace);
  h.clock().Set(BiddingEnd(again));
  EXPECT_EQ(h.RunScheduler().offers_closed, 1);
  again = GetOffer(h, again.offer_id());
  EXPECT_EQ(again.state(), v1::OFFER_STATE_FAILED);
  EXPECT_EQ(again.result().failure_reason(), "no valid bid (无有效报价)");
}

// ------------------------------------------------------------------ spatial gate

TEST(LandSupplyIntegration, SpatialGateUsesTheZonesReceivedAsEvents) {
  Harness h(At(kStart));
  auto reserve = [&](const v1::Parcel& p) {
    v1::ReserveParcelRequest req;
    req.set_request_id(NewRequestId());
    req.set_parcel_id(p.parcel_id());
    v1::Parcel out;
    return h.Call(&Stub::ReserveParcel, req, &out);
  };

  // No replica yet: the check cannot be made.
  v1::Parcel early = h.CreateParcel(GoodBox(2), v1::LAND_USE_COMMERCIAL);
  auto st = reserve(early);
  ExpectStatus(st, Code::kFailedPrecondition,
               "the zone replica holds no published version of the permanent basic farmland "
               "layer, so the spatial check cannot be made");

  h.PublishStandardZones();
  EXPECT_TRUE(reserve(early).ok());

  // Farmland: refused naming the zone, the layer version and the overlap area.
  v1::Parcel farm = h.CreateParcel(Box(112.548, 34.61, 112.552, 34.612), v1::LAND_USE_INDUSTRIAL);
  st = reserve(farm);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(st.error().reason(), "OVERLAPS_PERMANENT_BASIC_FARMLAND");
  const std::string prefix =
      "the parcel overlaps permanent basic farmland zone '洛龙区永久基本农田保护区' (zone pbf-1, "
      "layer ly-pbf version 1) by ";
  ASSERT_EQ(st.error().message().substr(0, prefix.size()), prefix) << st.error().message();
  double overlap = std::stod(st.error().metadata().at("overlap_square_metres"));
  double whole = farm.area().square_metres();
  EXPECT_NEAR(overlap, whole / 2, whole * 0.01);  // half of the parcel lies in the zone
  EXPECT_EQ(st.error().metadata().at("layer_version"), "1");

  // Ecological red line.
  v1::Parcel wet = h.CreateParcel(Box(112.455, 34.685, 112.457, 34.687), v1::LAND_USE_TOURISM);
  st = reserve(wet);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().reason(), "OVERLAPS_ECOLOGICAL_RED_LINE");
  EXPECT_NE(
      st.error().message().find("'伊洛河湿地生态保护红线' (zone erl-1, layer ly-erl version 1)"),
      std::string::npos)
      << st.error().message();

  // Outside the urban development boundary: reserved, but no urban supply.
  v1::Parcel outside = h.ReadyParcel(Box(112.37, 34.61, 112.372, 34.612), v1::LAND_USE_RESIDENTIAL);
  ASSERT_EQ(outside.state(), v1::PARCEL_STATE_READY);
  v1::SupplyOffer offer = h.DraftListing(outside, 100'000'000, 0, 1'000'000);
  v1::SupplyOffer published;
  st = Publish(h, offer.offer_id(), &published);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().reason(), "OUTSIDE_URBAN_DEVELOPMENT_BOUNDARY");
  EXPECT_NE(st.error().message().find("lie outside it (layer ly-udb version 1)"), std::string::npos)
      << st.error().message();

  // A new farmland version is switched in only by its marker, at once.
  std::string area = Box(112.43, 34.63, 112.44, 34.64);  // inside the boundary, no farmland in v1
  h.PublishLayerVersion(
      "ly-pbf", "410300", 1, 2,
      {{"pbf-1", "洛龙区永久基本农田保护区", 1, Box(112.50, 34.60, 112.55, 34.65)},
       {"pbf-2", "关林镇永久基本农田", 1, area}},
      {}, /*marker=*/false);
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] {
        return h.Count(
                   "SELECT count(*) FROM zone_replica_zones WHERE layer_id = 'ly-pbf' AND version "
                   "= "
                   "2") == 2;
      },
      60s, 50ms));
  v1::Parcel before_marker =
      h.CreateParcel(Box(112.432, 34.632, 112.434, 34.634), v1::LAND_USE_INDUSTRIAL);
  EXPECT_TRUE(reserve(before_marker).ok()) << "version 2 is not in force before its marker";
  {
    // The marker for version 2 (its zones are sent again: staging is idempotent).
    h.PublishLayerVersion(
        "ly-pbf", "410300", 1, 2,
        {{"pbf-1", "洛龙区永久基本农田保护区", 1, Box(112.50, 34.60, 112.55, 34.65)},
         {"pbf-2", "关林镇永久基本农田", 1, area}});
  }
  ASSERT_TRUE(h.WaitForLayerVersion("ly-pbf", 2));
  v1::Parcel after_marker =
      h.CreateParcel(Box(112.435, 34.632, 112.437, 34.634), v1::LAND_USE_INDUSTRIAL);
  st = reserve(after_marker);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().reason(), "OVERLAPS_PERMANENT_BASIC_FARMLAND");
  EXPECT_NE(st.error().message().find("'关林镇永久基本农田' (zone pbf-2, layer ly-pbf version 2)"),
            std::string::npos)
      << st.error().message();
  EXPECT_EQ(
      h.Count("SELECT count(*) FROM zone_replica_zones WHERE layer_id = 'ly-pbf' AND version < 2"),
      0);

  // A marker whose count disagrees (events lost) never switches: dead-lettered.
  h.PublishLayerVersion("ly-pbf", "410300", 1, 3,
                        {{"pbf-1", "x", 1, Box(112.50, 34.60, 112.55, 34.65)}}, {}, true,
                        /*zone_count_override=*/2);
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] { return h.Count("SELECT count(*) FROM inbox WHERE status = 'dead_lettered'") >= 1; },
      60s, 50ms));
  EXPECT_EQ(h.Scalar("SELECT current_version FROM zone_replica_layers WHERE layer_id = 'ly-pbf'"),
            "2");
  EXPECT_NE(h.Scalar("SELECT reason FROM inbox WHERE status = 'dead_lettered'")
                .find("zone events were lost"),
            std::string::npos);
}

// A database written by the earlier replica (land supply's own zone tables) keeps its layers,
// staged versions and withdrawals when the shared replica takes over.
TEST(ZoneReplicaMigration, AnExistingReplicaMovesToTheSharedTables) {
  nrp::testing::TestDatabase db("lsmig");
  db::PoolOptions o;
  o.conninfo = db.conninfo();
  o.size = 2;
  auto pool = db::Pool::Create(o);
  db::MigrationSet first = nrp_migrations_land_supply();
  first.migrations.resize(1);  // the schema before the shared replica
  ASSERT_TRUE(db::ApplyMigrations(*pool, {first}).ok());
  ASSERT_TRUE(db::Transact(*pool, [](pqxx::work& tx) -> Status {
                tx.exec0(
                    "INSERT INTO zone_layers (layer_id, region_code, kind, current_version, "
                    "checksum, zone_count, effective_from, switched_at) VALUES ('ly-pbf', "
                    "'410300', 1, 3, 'c3', 1, '2023-01-01', now())");
                tx.exec0(
                    "INSERT INTO replica_zones (layer_id, version, zone_id, kind, region_code, "
                    "name, control_level, geom, digest, sequence) VALUES "
                    "('ly-pbf', 3, 'pbf-1', 1, '410305', '洛龙区永久基本农田', 1, "
                    "ST_GeomFromText('POLYGON((112.5 34.6, 112.55 34.6, 112.55 34.65, 112.5 "
                    "34.6))', 4490), 'd1', 1), "
                    "('ly-pbf', 4, 'pbf-1', 1, '410305', '洛龙区永久基本农田', 1, "
                    "ST_GeomFromText('POLYGON((112.5 34.6, 112.56 34.6, 112.56 34.65, 112.5 "
                    "34.6))', 4490), 'd2', 1)");
                tx.exec0(
                    "INSERT INTO replica_withdrawals (layer_id, version, zone_id) VALUES "
                    "('ly-pbf', 4, 'pbf-2')");
                return Ok();
              }).ok());

  auto applied = db::ApplyMigrations(*pool, Migrations());
  ASSERT_TRUE(applied.ok()) << applied.error().ToString();
  pqxx::connection c(db.conninfo());
  pqxx::nontransaction tx(c);
  auto layer = tx.exec1(
      "SELECT current_version, zone_count, checksum, effective_from::text, withdrawn_count FROM "
      "zone_replica_layers WHERE layer_id = 'ly-pbf'");
  EXPECT_EQ(layer[0].as<int64_t>(), 3);
  EXPECT_EQ(layer[1].as<int64_t>(), 1);
  EXPECT_EQ(layer[2].as<std::string>(), "c3");
  EXPECT_EQ(layer[3].as<std::string>(), "2023-01-01");
  EXPECT_EQ(layer[4].as<int64_t>(), 0);
  EXPECT_EQ(tx.exec1("SELECT string_agg(version || ':' || zone_id || ':' || digest || ':' || "
                     "region_code, ',' ORDER BY version) FROM zone_replica_zones")[0]
                .as<std::string>(),
            "3:pbf-1:d1:410305,4:pbf-1:d2:410305");
  EXPECT_EQ(tx.exec1("SELECT version || ':' || zone_id FROM zone_replica_withdrawals")[0]
                .as<std::string>(),
            "4:pbf-2");
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_tables WHERE tablename IN ('zone_layers', "
                     "'replica_zones', 'replica_withdrawals')")[0]
                .as<int>(),
            0);
}

// ------------------------------------------------------------------ concurrent bids

TEST(LandSupplyIntegration, HundredConcurrentBidsKeepBoardAndRecordInAgreement) {
  Harness h(At(kStart));
  h.PublishStandardZones();
  v1::Parcel parcel = h.ReadyParcel(GoodBox(3), v1::LAND_USE_COMMERCIAL);
  const int64_t start = 10'000'000, inc = 10'000;
  v1::SupplyOffer offer = h.DraftListing(parcel, start, start, inc);
  ASSERT_TRUE(Publish(h, offer.offer_id(), &offer).ok());
  std::vector<std::string> numbers;
  for (int i = 0; i < 10; ++i) {
    numbers.push_back(
        h.RegisterBidder(offer.offer_id(), "竞买人" + std::to_string(i), CreditCode(200 + i))
            .bidder_number());
  }
  h.clock().Set(BiddingStart(offer) + 1h);

  // 100 bidders' threads at once, each raising until one bid of its own is
  // accepted: a refused bid says the minimum acceptable amount, the next try
  // offers it plus 0–3 increments.
  std::atomic<bool> go{false};
  std::mutex mu;
  std::map<int64_t, std::string> accepted;  // amount -> bidder number
  int refused = 0;
  std::vector<std::string> unexpected;
  std::vector<std::thread> threads;
  for (int i = 0; i < 100; ++i) {
    threads.emplace_back([&, i] {
      std::mt19937 rng(20250602 + i);
      std::uniform_int_distribution<int> extra(0, 3);
      while (!go.load()) std::this_thread::yield();
      const std::string& number = numbers[i % numbers.size()];
      int64_t amount = start + extra(rng) * inc;
      for (int attempt = 0; attempt < 1000; ++attempt) {
        v1::Bid bid;
        Status st = Bid(h, offer.offer_id(), number, amount, &bid);
        std::lock_guard lock(mu);
        if (st.ok()) {
          accepted[amount] = number;
          return;
        }
        if (st.error().code() != Code::kFailedPrecondition ||
            st.error().reason() != "BID_TOO_LOW") {
          unexpected.push_back(st.error().ToString());
          return;
        }
        ++refused;
        int64_t minimum = std::stoll(st.error().metadata().at("minimum_acceptable_fen"));
        EXPECT_GT(minimum, amount);
        EXPECT_NE(st.error().message().find(FormatMoney(minimum)), std::string::npos);
        amount = minimum + extra(rng) * inc;
      }
      unexpected.push_back("a bidder thread never got a bid accepted");
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  ASSERT_TRUE(unexpected.empty()) << unexpected.front();
  std::printf(
      "100 concurrent bidders on one listing: %zu bids accepted, %d refused as too low "
      "and raised\n",
      accepted.size(), refused);
  ASSERT_EQ(accepted.size(), 100u);
  const int64_t top = accepted.rbegin()->first;

  // The record: every accepted bid, in sequence order, each raising the last by
  // at least the increment; nothing lost, nothing reordered.
  EXPECT_EQ(h.Count("SELECT count(*) FROM bids WHERE offer_id = '" + offer.offer_id() + "'"),
            static_cast<int64_t>(accepted.size()));
  EXPECT_EQ(
      h.Count("SELECT count(*) FROM (SELECT amount_fen - lag(amount_fen) OVER (ORDER BY seq) AS d "
              "FROM bids WHERE offer_id = '" +
              offer.offer_id() + "') x WHERE d < " + std::to_string(inc)),
      0);
  EXPECT_EQ(h.Count("SELECT max(seq) FROM bids WHERE offer_id = '" + offer.offer_id() + "'"),
            static_cast<int64_t>(accepted.size()));
  EXPECT_EQ(h.Count("SELECT amount_fen FROM bids WHERE offer_id = '" + offer.offer_id() +
                    "' ORDER BY seq DESC LIMIT 1"),
            top);

  // The live board in Redis agrees with the record.
  auto live = h.service().board().Read(offer.offer_id());
  ASSERT_TRUE(live.ok());
  ASSERT_TRUE(live->has_value());
  EXPECT_EQ((*live)->board.seq, static_cast<int64_t>(accepted.size()));
  EXPECT_EQ((*live)->board.highest_fen, top);
  EXPECT_EQ((*live)->board.highest_bidder_number, accepted[top]);
  EXPECT_EQ((*live)->board.highest_bid_id,
            h.Scalar("SELECT highest_bid_id::text FROM offers WHERE offer_id = '" +
                     offer.offer_id() + "'"));
  EXPECT_EQ(h.Events<v1::BidPlaced>("nrp.land_supply.bid_placed.v1").size(), accepted.size());

  // The winner is the true highest.
  h.clock().Set(BiddingEnd(offer));
  EXPECT_EQ(h.RunScheduler().offers_closed, 1);
  offer = GetOffer(h, offer.offer_id());
  ASSERT_EQ(offer.state(), v1::OFFER_STATE_AWARDED);
  EXPECT_EQ(offer.result().price().fen(), top);
  EXPECT_EQ(offer.result().grantee_bidder_number(), accepted[top]);
  EXPECT_EQ(offer.result().valid_bid_count(), static_cast<int>(accepted.size()));
}

// ------------------------------------------------------------------ idle land

TEST(LandSupplyIntegration, IdleLandExactlyAtOneAndTwoFullYears) {
  Harness h(At(kStart));
  h.PublishStandardZones();
  v1::Parcel parcel = h.ReadyParcel(GoodBox(4), v1::LAND_USE_INDUSTRIAL);
  v1::SupplyOffer offer = ListAndClose(h, parcel, 100'000'000, {100'000'000, 150'000'000});
  ASSERT_EQ(offer.state(), v1::OFFER_STATE_AWARDED);
  Date agreed_start(2025, 9, 1);
  v1::GrantContract c = Sign(h, offer, agreed_start);
  ASSERT_TRUE(Pay(h, c.contract_id(), v1::PAYMENT_KIND_PRICE, 150'000'000).ok());
  Deliver(h, c.contract_id());

  auto cases = [&] { return h.Count("SELECT count(*) FROM idle_cases"); };
  // 2026-09-01 is the last day of the first full year after 2025-09-01.
  h.clock().Set(At("2026-09-01T23:59:59+08:00"));
  EXPECT_EQ(h.RunScheduler().idle_cases_opened, 0);
  EXPECT_EQ(cases(), 0);
  h.clock().Set(At("2026-09-02T00:00:00+08:00"));
  EXPECT_EQ(h.RunScheduler().idle_cases_opened, 1);
  EXPECT_EQ(h.RunScheduler().idle_cases_opened, 0);  // once
  auto opened = h.Events<v1::IdleLandCaseOpened>("nrp.land_supply.idle_land_case_opened.v1");
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].ground(), v1::IDLE_GROUND_NO_START_ONE_YEAR);
  EXPECT_TRUE(opened[0].detected_automatically());
  EXPECT_EQ(FromProtoDate(opened[0].idle_since())->ToString(), "2025-09-01");
  v1::GetIdleLandCaseRequest get;
  get.set_case_id(opened[0].case_id());
  v1::IdleLandCase one_year;
  ASSERT_TRUE(h.Call(&Stub::GetIdleLandCase, get, &one_year).ok());
  EXPECT_EQ(one_year.fee().fen(), 30'000'000);  // 20% of 150 000 000 fen
  EXPECT_EQ(one_year.state(), v1::IDLE_CASE_STATE_INVESTIGATING);

  // Determined by the land user's fault and disposed with the fee.
  v1::DetermineIdleLandRequest determine;
  determine.set_request_id(NewRequestId());
  determine.set_case_id(one_year.case_id());
  determine.set_idle(true);
  determine.set_cause(v1::IDLE_CAUSE_LAND_USER);
  ASSERT_TRUE(h.Call(&Stub::DetermineIdleLand, determine, &one_year).ok());
  EXPECT_EQ(GetParcel(h, parcel.parcel_id()).state(), v1::PARCEL_STATE_IDLE);
  v1::DisposeIdleLandRequest take_back_too_early;
  take_back_too_early.set_request_id(NewRequestId());
  take_back_too_early.set_case_id(one_year.case_id());
  take_back_too_early.set_disposal(v1::IDLE_LAND_DISPOSAL_TAKE_BACK);
  v1::IdleLandCase ignored;
  ExpectStatus(
      h.Call(&Stub::DisposeIdleLand, take_back_too_early, &ignored), Code::kFailedPrecondition,
      "case " + one_year.case_id() +
          ": take-back without compensation needs 2 full idle years (Order 53 art. 14(2)); "
          "this case is for no construction start one full year after the agreed date");
  v1::DisposeIdleLandRequest fee;
  fee.set_request_id(NewRequestId());
  fee.set_case_id(one_year.case_id());
  fee.set_disposal(v1::IDLE_LAND_DISPOSAL_IDLE_FEE);
  ASSERT_TRUE(h.Call(&Stub::DisposeIdleLand, fee, &one_year).ok());
  EXPECT_EQ(one_year.state(), v1::IDLE_CASE_STATE_DISPOSED);
  EXPECT_EQ(one_year.fee().fen(), 30'000'000);
  ExpectStatus(Pay(h, c.contract_id(), v1::PAYMENT_KIND_IDLE_LAND_FEE, 30'000'001),
               Code::kFailedPrecondition,
               "idle-land fee outstanding on contract " + c.contract_id() +
                   " is 300000.00 yuan (30000000 fen)");
  ASSERT_TRUE(Pay(h, c.contract_id(), v1::PAYMENT_KIND_IDLE_LAND_FEE, 30'000'000).ok());

  // Two full years: the take-back case, exactly from 2027-09-02.
  h.clock().Set(At("2027-09-01T23:59:59+08:00"));
  EXPECT_EQ(h.RunScheduler().idle_cases_opened, 0);
  h.clock().Set(At("2027-09-02T00:00:00+08:00"));
  EXPECT_EQ(h.RunScheduler().idle_cases_opened, 1);
  opened = h.Events<v1::IdleLandCaseOpened>("nrp.land_supply.idle_land_case_opened.v1");
  ASSERT_EQ(opened.size(), 2u);
  EXPECT_EQ(opened[1].ground(), v1::IDLE_GROUND_NO_START_TWO_YEARS);
  v1::IdleLandCase two_years;
  determine.set_request_id(NewRequestId());
  determine.set_case_id(opened[1].case_id());
  ASSERT_TRUE(h.Call(&Stub::DetermineIdleLand, determine, &two_years).ok());
  v1::DisposeIdleLandRequest take_back;
  take_back.set_request_id(NewRequestId());
  take_back.set_case_id(two_years.case_id());
  take_back.set_disposal(v1::IDLE_LAND_DISPOSAL_TAKE_BACK);
  ASSERT_TRUE(h.Call(&Stub::DisposeIdleLand, take_back, &two_years).ok());
  v1::GetContractRequest get_contract;
  get_contract.set_contract_id(c.contract_id());
  v1::GrantContract after;
  ASSERT_TRUE(h.Call(&Stub::GetContract, get_contract, &after).ok());
  EXPECT_EQ(after.state(), v1::CONTRACT_STATE_TERMINATED);
  EXPECT_EQ(GetParcel(h, parcel.parcel_id()).state(), v1::PARCEL_STATE_RESERVED);

  // What planning sums: disposals and the stock land they revitalised.
  auto disposed = h.Events<v1::IdleLandDisposed>("nrp.land_supply.idle_land_disposed.v1");
  ASSERT_EQ(disposed.size(), 2u);
  EXPECT_EQ(disposed[0].disposal(), v1::IDLE_LAND_DISPOSAL_IDLE_FEE);
  EXPECT_EQ(disposed[1].disposal(), v1::IDLE_LAND_DISPOSAL_TAKE_BACK);
  auto revitalised =
      h.Events<v1::StockLandRevitalised>("nrp.land_supply.stock_land_revitalised.v1");
  ASSERT_EQ(revitalised.size(), 2u);
  EXPECT_EQ(revitalised[1].stage(), v1::STOCK_LAND_STAGE_SUPPLIED_NOT_USED);
  EXPECT_NEAR(revitalised[1].area().square_metres(), parcel.area().square_metres(), 1e-6);
  v1::GetStockLandSummaryRequest summary_req;
  summary_req.set_region_code("410300");
  v1::StockLandSummary summary;
  ASSERT_TRUE(h.Call(&Stub::GetStockLandSummary, summary_req, &summary).ok());
  EXPECT_NEAR(summary.idle_area_disposed().square_metres(), 2 * parcel.area().square_metres(),
              1e-3);
}

// ------------------------------------------------------------------ farmland balance

TEST(LandSupplyIntegration, ACreditReservedByTwoApprovalsAtOnceIsUsedOnce) {
  Harness h(At(kStart));
  // Restoration accepted a consolidation project: new cultivated land and reclaimed construction
  // land.
  nrp::restoration::v1::ProjectAccepted accepted;
  accepted.set_project_id("rp-410311-2025-01");
  accepted.set_region_code("410311");
  accepted.set_name("洛龙区全域土地综合整治项目");
  *accepted.mutable_accepted_on() = ToProtoDate(Date(2025, 5, 20));
  accepted.mutable_new_cultivated_land()->mutable_area()->set_square_metres(50000);
  accepted.mutable_new_cultivated_land()->set_quality_grade(3);
  accepted.mutable_new_cultivated_land()->mutable_paddy_area()->set_square_metres(10000);
  accepted.mutable_new_cultivated_land()->set_grain_capacity_kg(30000);
  accepted.mutable_reclaimed_construction_land()->set_square_metres(8000);
  h.Produce(accepted, "410311");
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] {
        return h.Count("SELECT count(*) FROM compensation_credits") == 1 &&
               h.Count("SELECT count(*) FROM linkage_quotas") == 1;
      },
      60s, 50ms));
  auto added =
      h.Events<v1::CompensationCreditAdded>("nrp.land_supply.compensation_credit_added.v1");
  ASSERT_EQ(added.size(), 1u);
  const std::string credit = added[0].credit_id();
  EXPECT_EQ(added[0].credit().quality_grade(), 3);
  EXPECT_EQ(h.Events<v1::LinkageQuotaAdded>("nrp.land_supply.linkage_quota_added.v1").size(), 1u);
  v1::GetLedgerBalanceRequest balance_req;
  balance_req.set_region_code("410300");
  v1::LedgerBalance balance;
  ASSERT_TRUE(h.Call(&Stub::GetLedgerBalance, balance_req, &balance).ok());
  EXPECT_DOUBLE_EQ(balance.compensation_area().square_metres(), 50000);
  EXPECT_DOUBLE_EQ(balance.compensation_paddy_area().square_metres(), 10000);
  EXPECT_DOUBLE_EQ(balance.compensation_grain_capacity_kg(), 30000);
  EXPECT_DOUBLE_EQ(balance.linkage_quota_area().square_metres(), 8000);

  auto batch_of = [&](int i) {
    v1::Parcel p = h.CreateParcel(GoodBox(10 + i), v1::LAND_USE_INDUSTRIAL);
    v1::CreateApprovalBatchRequest req;
    req.set_request_id(NewRequestId());
    auto* b = req.mutable_batch();
    b->set_region_code("410311");
    b->set_name("洛龙区2025年度第" + std::to_string(i + 1) + "批次城镇建设用地");
    b->set_year(2025);
    b->add_parcel_ids(p.parcel_id());
    b->mutable_total_area()->set_square_metres(100000);
    b->mutable_agricultural_land_area()->set_square_metres(80000);
    b->mutable_cultivated_land_area()->set_square_metres(50000);
    b->mutable_paddy_area()->set_square_metres(10000);
    b->set_cultivated_quality_grade(4);
    b->set_grain_capacity_kg(30000);
    v1::ApprovalBatch out;
    auto st = h.Call(&Stub::CreateApprovalBatch, req, &out);
    EXPECT_TRUE(st.ok()) << st.error().ToString();
    return out;
  };
  v1::ApprovalBatch first = batch_of(0), second = batch_of(1);
  auto approve = [&](const v1::ApprovalBatch& b, bool with_credit) {
    v1::ApproveBatchRequest req;
    req.set_request_id(NewRequestId());
    req.set_batch_id(b.batch_id());
    req.set_authority(v1::APPROVAL_AUTHORITY_PROVINCE);
    if (with_credit) {
      auto* a = req.add_allocations();
      a->set_ledger(v1::LEDGER_KIND_FARMLAND_COMPENSATION);
      a->set_account_id(credit);
      a->mutable_area()->set_square_metres(50000);
      a->mutable_paddy_area()->set_square_metres(10000);
      a->set_grain_capacity_kg(30000);
    }
    v1::ApprovalBatch out;
    return h.Call(&Stub::ApproveBatch, req, &out);
  };
  // Without the credit the occupation is refused (先补后占).
  ExpectStatus(
      approve(first, false), Code::kFailedPrecondition,
      "batch " + first.batch_id() +
          " occupies 50000.00 m² of cultivated land but reserves 0.00 m² of compensation "
          "credit; the credit comes first and covers at least the same area (先补后占, 占一补一)");

  Status results[2];
  std::atomic<bool> go{false};
  std::thread t1([&] {
    while (!go) std::this_thread::yield();
    results[0] = approve(first, true);
  });
  std::thread t2([&] {
    while (!go) std::this_thread::yield();
    results[1] = approve(second, true);
  });
  go = true;
  t1.join();
  t2.join();
  int ok = results[0].ok() + results[1].ok();
  ASSERT_EQ(ok, 1) << (results[0].ok() ? "" : results[0].error().ToString()) << " / "
                   << (results[1].ok() ? "" : results[1].error().ToString());
  const Status& lost = results[0].ok() ? results[1] : results[0];
  EXPECT_EQ(lost.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(lost.error().reason(), "LEDGER_INSUFFICIENT");
  EXPECT_EQ(lost.error().message(),
            "account " + credit +
                " has 0.00 m² (paddy 0.00 m², grain 0.00 kg/year) left; the "
                "allocation asks for 50000.00 m² (paddy 10000.00 m², grain 30000.00 kg/year); a "
                "credit is "
                "used once");
  EXPECT_EQ(h.Count("SELECT count(*) FROM ledger_entries WHERE kind = 2"), 1);
  EXPECT_EQ(h.Scalar("SELECT state FROM compensation_credits"), "3");  // USED_UP
  EXPECT_EQ(
      h.Events<v1::CompensationCreditUsed>("nrp.land_supply.compensation_credit_used.v1").size(),
      1u);
  ASSERT_TRUE(h.Call(&Stub::GetLedgerBalance, balance_req, &balance).ok());
  EXPECT_DOUBLE_EQ(balance.compensation_area().square_metres(), 0);
  v1::GetApprovalBatchRequest get;
  get.set_batch_id(results[0].ok() ? first.batch_id() : second.batch_id());
  v1::ApprovalBatch approved;
  ASSERT_TRUE(h.Call(&Stub::GetApprovalBatch, get, &approved).ok());
  EXPECT_EQ(approved.state(), v1::BATCH_STATE_APPROVED);
  ASSERT_EQ(approved.allocations_size(), 1);
  EXPECT_DOUBLE_EQ(approved.unsupplied_area().square_metres(), 100000);
}

// ------------------------------------------------------------------ approved land supplied

TEST(LandSupplyIntegration, SupplyingApprovedLandCountsAsStockRevitalised) {
  Harness h(At(kStart));
  h.PublishStandardZones();
  v1::Parcel parcel = h.CreateParcel(GoodBox(7), v1::LAND_USE_COMMERCIAL);
  v1::CreateApprovalBatchRequest create;
  create.set_request_id(NewRequestId());
  auto* b = create.mutable_batch();
  b->set_region_code("410311");
  b->set_name("洛龙区2025年度第7批次城镇建设用地");
  b->set_year(2025);
  b->add_parcel_ids(parcel.parcel_id());
  b->mutable_total_area()->set_square_metres(60000);
  b->mutable_agricultural_land_area()->set_square_metres(20000);
  v1::ApprovalBatch batch;
  ASSERT_TRUE(h.Call(&Stub::CreateApprovalBatch, create, &batch).ok());

  // Not yet approved: the parcel stays out of the reserve.
  v1::ReserveParcelRequest reserve;
  reserve.set_request_id(NewRequestId());
  reserve.set_parcel_id(parcel.parcel_id());
  v1::Parcel out;
  ExpectStatus(
      h.Call(&Stub::ReserveParcel, reserve, &out), Code::kFailedPrecondition,
      "the approval batch of parcel " + parcel.parcel_id() +
          " is APPLIED; converted land enters the reserve only after the batch is approved");

  v1::ApproveBatchRequest approve;
  approve.set_request_id(NewRequestId());
  approve.set_batch_id(batch.batch_id());
  approve.set_authority(v1::APPROVAL_AUTHORITY_PROVINCE);
  ASSERT_TRUE(h.Call(&Stub::ApproveBatch, approve, &batch).ok());
  EXPECT_EQ(GetParcel(h, parcel.parcel_id()).stock_stage(),
            v1::STOCK_LAND_STAGE_APPROVED_NOT_EXPROPRIATED);
  v1::RecordBatchExpropriationRequest expropriate;
  expropriate.set_request_id(NewRequestId());
  expropriate.set_batch_id(batch.batch_id());
  expropriate.add_documents()->set_title("征收土地公告");
  ASSERT_TRUE(h.Call(&Stub::RecordBatchExpropriation, expropriate, &batch).ok());
  EXPECT_EQ(batch.state(), v1::BATCH_STATE_EXPROPRIATED);
  EXPECT_DOUBLE_EQ(batch.unsupplied_area().square_metres(), 60000);

  reserve.set_request_id(NewRequestId());
  ASSERT_TRUE(h.Call(&Stub::ReserveParcel, reserve, &out).ok());
  v1::ClearParcelRequest clear;
  clear.set_request_id(NewRequestId());
  clear.set_parcel_id(parcel.parcel_id());
  ASSERT_TRUE(h.Call(&Stub::ClearParcel, clear, &out).ok());
  EXPECT_EQ(out.stock_stage(), v1::STOCK_LAND_STAGE_EXPROPRIATED_NOT_SUPPLIED);

  v1::SupplyOffer offer = ListAndClose(h, out, 100'000'000, {100'000'000});
  ASSERT_EQ(offer.state(), v1::OFFER_STATE_AWARDED);
  v1::GrantContract c = Sign(h, offer, DateInChina(h.clock().Now()).AddDays(120));
  auto signed_events = h.Events<v1::ContractSigned>("nrp.land_supply.contract_signed.v1");
  ASSERT_EQ(signed_events.size(), 1u);
  EXPECT_EQ(signed_events[0].stock_stage_before(), v1::STOCK_LAND_STAGE_EXPROPRIATED_NOT_SUPPLIED);
  auto revitalised =
      h.Events<v1::StockLandRevitalised>("nrp.land_supply.stock_land_revitalised.v1");
  ASSERT_EQ(revitalised.size(), 1u);
  EXPECT_EQ(revitalised[0].stage(), v1::STOCK_LAND_STAGE_EXPROPRIATED_NOT_SUPPLIED);
  EXPECT_EQ(revitalised[0].cause_id(), c.contract_id());
  EXPECT_DOUBLE_EQ(revitalised[0].area().square_metres(), parcel.area().square_metres());

  v1::GetApprovalBatchRequest get;
  get.set_batch_id(batch.batch_id());
  ASSERT_TRUE(h.Call(&Stub::GetApprovalBatch, get, &batch).ok());
  EXPECT_NEAR(batch.supplied_area().square_metres(), parcel.area().square_metres(), 1e-6);
  EXPECT_NEAR(batch.unsupplied_area().square_metres(), 60000 - parcel.area().square_metres(), 1e-6);
  v1::GetStockLandSummaryRequest summary_req;
  summary_req.set_region_code("410311");
  summary_req.set_year(2025);
  v1::StockLandSummary summary;
  ASSERT_TRUE(h.Call(&Stub::GetStockLandSummary, summary_req, &summary, kReader).ok());
  EXPECT_EQ(summary.approved_batch_count(), 1);
  EXPECT_NEAR(summary.approved_unsupplied_area().square_metres(),
              60000 - parcel.area().square_metres(), 1e-6);
  EXPECT_EQ(summary.batches_with_unsupplied_land(), 1);
}

// ------------------------------------------------------------------ overdue

TEST(LandSupplyIntegration, OverdueSigningAndPaymentRaiseTheirEventsOnce) {
  Harness h(At(kStart));
  h.PublishStandardZones();
  v1::Parcel parcel = h.ReadyParcel(GoodBox(5), v1::LAND_USE_COMMERCIAL);
  v1::SupplyOffer offer = ListAndClose(h, parcel, 100'000'000, {100'000'000});
  ASSERT_EQ(offer.state(), v1::OFFER_STATE_AWARDED);
  Date due = *FromProtoDate(offer.result().contract_due_date());
  h.clock().Set(StartOfDayInChina(due) + 23h);
  EXPECT_EQ(h.RunScheduler().signing_overdue, 0);
  h.clock().Set(StartOfDayInChina(due.AddDays(1)));
  EXPECT_EQ(h.RunScheduler().signing_overdue, 1);
  EXPECT_EQ(h.RunScheduler().signing_overdue, 0);
  auto raised = h.Events<v1::ContractSigningOverdue>("nrp.land_supply.contract_signing_overdue.v1");
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(FromProtoDate(raised[0].contract_due_date())->ToString(), due.ToString());

  // Too late to sign; the award is cancelled and the parcel offered again.
  v1::CancelOfferRequest cancel;
  cancel.set_request_id(NewRequestId());
  cancel.set_offer_id(offer.offer_id());
  cancel.set_reason("竞得人逾期未签订出让合同");
  v1::SupplyOffer cancelled;
  ASSERT_TRUE(h.Call(&Stub::CancelOffer, cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.state(), v1::OFFER_STATE_CANCELLED);
  EXPECT_EQ(GetParcel(h, parcel.parcel_id()).state(), v1::PARCEL_STATE_READY);

  v1::SupplyOffer second = ListAndClose(h, parcel, 100'000'000, {100'000'000});
  ASSERT_EQ(second.state(), v1::OFFER_STATE_AWARDED);
  v1::GrantContract c = Sign(h, second, DateInChina(h.clock().Now()).AddDays(120));
  Date first_due = *FromProtoDate(c.installments(0).due_date());
  h.clock().Set(StartOfDayInChina(first_due) + 12h);
  EXPECT_EQ(h.RunScheduler().payment_overdue, 0);
  h.clock().Set(StartOfDayInChina(first_due.AddDays(1)));
  EXPECT_EQ(h.RunScheduler().payment_overdue, 1);
  EXPECT_EQ(h.RunScheduler().payment_overdue, 0);
  auto overdue = h.Events<v1::PaymentOverdue>("nrp.land_supply.payment_overdue.v1");
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].installment_number(), 1);
  EXPECT_EQ(overdue[0].due_total().fen(), 50'000'000);
  EXPECT_EQ(overdue[0].paid_total().fen(), 0);
}

// ------------------------------------------------------------------ the working-day calendar

// China Standard Time 10:00 on `d`.
TimePoint TenAm(const Date& d) { return StartOfDayInChina(d) + 10h; }

// After the last official year an award still fixes its contract deadline, counted by the
// statutory rule and labelled provisional.
TEST(LandSupplyCalendar, AnAwardFixesItsContractDeadlineOnAnyDayOfTheProvisionalYear) {
  struct Case {
    Date awarded;
    const char* due;
    const char* calendar;
  };
  const Case cases[] = {
      // Sunday 2026-12-20: 12-21..12-25, 12-28..12-31, 元旦 off, Monday 2027-01-04 the 10th.
      {Date(2026, 12, 20), "2027-01-04", "CN-2026 official, CN-2027 provisional"},
      // Wednesday 2027-02-03: 02-04, Spring Festival 02-05..02-10 off, then 02-11 … 02-23.
      {Date(2027, 2, 3), "2027-02-23", "CN-2027 provisional"},
      // Thursday 2027-09-30: National Day 10-01..10-05 off, then 10-06 … 10-19.
      {Date(2027, 9, 30), "2027-10-19", "CN-2027 provisional"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.awarded.ToString());
    // ListAndClose closes 31 days after the clock's reading, at the end of bidding.
    Harness h(TenAm(c.awarded) - 31 * 24h);
    h.PublishStandardZones();
    v1::Parcel parcel = h.ReadyParcel(GoodBox(6), v1::LAND_USE_COMMERCIAL);
    v1::SupplyOffer offer = ListAndClose(h, parcel, 100'000'000, {100'000'000});
    ASSERT_EQ(offer.state(), v1::OFFER_STATE_AWARDED);
    EXPECT_EQ(DateInChina(FromTimestamp(offer.result().determined_at())), c.awarded);
    EXPECT_EQ(FromProtoDate(offer.result().contract_due_date())->ToString(), c.due);
    EXPECT_EQ(offer.result().contract_due_date_calendar().label(), c.calendar);
    EXPECT_TRUE(offer.result().contract_due_date_calendar().provisional());
    auto awarded = h.Events<v1::OfferAwarded>("nrp.land_supply.offer_awarded.v1");
    ASSERT_EQ(awarded.size(), 1u);
    EXPECT_EQ(awarded[0].result().contract_due_date_calendar().label(), c.calendar);
  }
}

TEST(LandSupplyCalendar, TheOfficialYearMovesTheContractDeadlineAndTheOverdueCheckFollows) {
  Harness h(TenAm(Date(2026, 12, 20)) - 31 * 24h);
  h.PublishStandardZones();
  v1::Parcel parcel = h.ReadyParcel(GoodBox(7), v1::LAND_USE_COMMERCIAL);
  v1::SupplyOffer offer = ListAndClose(h, parcel, 100'000'000, {100'000'000});
  ASSERT_EQ(FromProtoDate(offer.result().contract_due_date())->ToString(), "2027-01-04");

  // A made-up 2027 arrangement (not the State Council's): 1 to 5 January off.
  h.calendar().Write("CN-2027.cal",
                     "# Test data, not an official arrangement.\nyear 2027\n"
                     "holiday 2027-01-01..2027-01-05 元旦\n");
  auto report = h.runtime().RefreshCalendar();
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->moved, 1);
  offer = GetOffer(h, offer.offer_id());
  EXPECT_EQ(FromProtoDate(offer.result().contract_due_date())->ToString(), "2027-01-06");
  EXPECT_EQ(offer.result().contract_due_date_calendar().label(),
            "CN-2026 official, CN-2027 official");
  auto moved = h.Events<v1::ContractDueDateMoved>("nrp.land_supply.contract_due_date_moved.v1");
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].offer_id(), offer.offer_id());
  EXPECT_EQ(FromProtoDate(moved[0].old_date())->ToString(), "2027-01-04");
  EXPECT_EQ(FromProtoDate(moved[0].new_date())->ToString(), "2027-01-06");
  EXPECT_EQ(moved[0].old_calendar(), "CN-2026 official, CN-2027 provisional");
  EXPECT_EQ(h.runtime().RefreshCalendar()->recounted, 0);

  // The day after the old date is within the new one; the day after the new one is not.
  h.clock().Set(TenAm(Date(2027, 1, 5)));
  EXPECT_EQ(h.RunScheduler().signing_overdue, 0);
  h.clock().Set(TenAm(Date(2027, 1, 7)));
  EXPECT_EQ(h.RunScheduler().signing_overdue, 1);
  auto raised = h.Events<v1::ContractSigningOverdue>("nrp.land_supply.contract_signing_overdue.v1");
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(FromProtoDate(raised[0].contract_due_date())->ToString(), "2027-01-06");
  EXPECT_EQ(raised[0].contract_due_date_calendar().label(), "CN-2026 official, CN-2027 official");
}

// ------------------------------------------------------------------ requests and access

TEST(LandSupplyIntegration, RetriesAccessAndInputErrors) {
  Harness h(At(kStart));
  v1::CreateParcelRequest req;
  req.set_request_id(NewRequestId());
  auto* p = req.mutable_parcel();
  p->set_region_code("410311");
  p->set_name("洛龙区 LLQ-2025-09 号地块");
  p->set_location("洛阳市洛龙区");
  p->mutable_geometry()->set_encoding(nrp::common::v1::GEOMETRY_ENCODING_WKT);
  p->mutable_geometry()->set_text(GoodBox(6));
  p->set_planned_use(v1::LAND_USE_RESIDENTIAL);
  p->set_soil_status(v1::SOIL_POLLUTION_STATUS_POLLUTED);
  v1::Parcel first, again;
  ASSERT_TRUE(h.Call(&Stub::CreateParcel, req, &first).ok());
  ASSERT_TRUE(h.Call(&Stub::CreateParcel, req, &again).ok());
  EXPECT_EQ(first.parcel_id(), again.parcel_id());
  EXPECT_EQ(h.Count("SELECT count(*) FROM parcels"), 1);
  EXPECT_EQ(h.OutboxPayloads("nrp.land_supply.parcel_registered.v1").size(), 1u);
  EXPECT_NEAR(first.area().square_metres(), 40660, 400);  // 0.002° × 0.002° at 34.6° N

  // The polluted plot stays out of the reserve (Jilin plan).
  h.PublishStandardZones();
  v1::ReserveParcelRequest reserve;
  reserve.set_request_id(NewRequestId());
  reserve.set_parcel_id(first.parcel_id());
  v1::Parcel out;
  ExpectStatus(h.Call(&Stub::ReserveParcel, reserve, &out), Code::kFailedPrecondition,
               "parcel " + first.parcel_id() +
                   " is flagged polluted by its soil survey; a polluted plot cannot enter the land "
                   "reserve until it is remediated and accepted (Jilin plan)");

  // Access.
  {
    grpc::ClientContext ctx;
    v1::GetParcelRequest get;
    get.set_parcel_id(first.parcel_id());
    v1::Parcel got;
    auto st = rpc::FromGrpcStatus(h.stub().GetParcel(&ctx, get, &got));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code(), Code::kUnauthenticated);
  }
  req.set_request_id(NewRequestId());
  auto denied = h.Call(&Stub::CreateParcel, req, &out, kReader);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code(), Code::kPermissionDenied);
  v1::GetParcelRequest get;
  get.set_parcel_id(first.parcel_id());
  auto other_region = h.Call(&Stub::GetParcel, get, &out, kJilin);
  ASSERT_FALSE(other_region.ok());
  EXPECT_EQ(other_region.error().code(), Code::kPermissionDenied);

  // Input: an invalid polygon, an unspecified use, a malformed region.
  req.set_request_id(NewRequestId());
  p->mutable_geometry()->set_text(
      "POLYGON((112.41 34.61,112.42 34.62,112.42 34.61,112.41 34.62,112.41 34.61))");
  auto bow_tie = h.Call(&Stub::CreateParcel, req, &out);
  ASSERT_FALSE(bow_tie.ok());
  EXPECT_EQ(bow_tie.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(bow_tie.error().message().rfind(
                "parcel.geometry.text: invalid geometry: Self-intersection", 0),
            0u)
      << bow_tie.error().message();
  req.set_request_id(NewRequestId());
  p->mutable_geometry()->set_text(GoodBox(6));
  p->set_planned_use(v1::LAND_USE_UNSPECIFIED);
  ExpectStatus(
      h.Call(&Stub::CreateParcel, req, &out), Code::kInvalidArgument,
      "parcel.planned_use: must be a LandUse value other than LAND_USE_UNSPECIFIED, got 0");
  v1::ListParcelsRequest list;
  list.set_filter("state = PARCEL_STATE_BOGUS");
  v1::ListParcelsResponse listed;
  ExpectStatus(h.Call(&Stub::ListParcels, list, &listed), Code::kInvalidArgument,
               "filter: 'PARCEL_STATE_BOGUS' is not a value of state (ParcelState)");
  list.set_filter("state = PARCEL_STATE_REGISTERED AND region_code = \"410311\"");
  ASSERT_TRUE(h.Call(&Stub::ListParcels, list, &listed).ok());
  EXPECT_EQ(listed.parcels_size(), 1);
}

// ------------------------------------------------------------------ lists

TEST(LandSupplyIntegration, PageWalksOverTiesNeitherSkipNorRepeat) {
  Harness h(At(kStart));
  // Eleven parcels at one clock reading: create_time ties for all of them.
  std::set<std::string> created;
  for (int i = 0; i < 11; ++i) {
    v1::CreateParcelRequest req;
    req.set_request_id(NewRequestId());
    auto* p = req.mutable_parcel();
    p->set_region_code(i % 3 == 0 ? "410305" : "410311");
    p->set_name("洛阳 分页 " + std::to_string(i) + " 号地块");
    p->set_location("洛阳市");
    p->mutable_geometry()->set_encoding(nrp::common::v1::GEOMETRY_ENCODING_WKT);
    p->mutable_geometry()->set_text(GoodBox(20 + i));
    p->set_planned_use(i % 2 ? v1::LAND_USE_INDUSTRIAL : v1::LAND_USE_RESIDENTIAL);
    p->set_soil_status(v1::SOIL_POLLUTION_STATUS_CLEAN);
    v1::Parcel out;
    ASSERT_TRUE(h.Call(&Stub::CreateParcel, req, &out).ok());
    created.insert(out.parcel_id());
  }
  ASSERT_EQ(created.size(), 11u);
  auto walk = [&](const std::string& filter, const std::string& order_by, int* pages) {
    std::vector<std::string> ids;
    v1::ListParcelsRequest list;
    list.set_filter(filter);
    list.set_order_by(order_by);
    list.set_page_size(3);
    *pages = 0;
    do {
      v1::ListParcelsResponse page;
      auto st = h.Call(&Stub::ListParcels, list, &page);
      EXPECT_TRUE(st.ok()) << st.error().ToString();
      if (!st.ok()) break;
      ++*pages;
      for (const auto& p : page.parcels()) ids.push_back(p.parcel_id());
      list.set_page_token(page.next_page_token());
    } while (!list.page_token().empty() && *pages < 20);
    return ids;
  };
  for (const std::string order : {"", "create_time", "create_time desc", "area desc"}) {
    int pages = 0;
    auto ids = walk("", order, &pages);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), created) << order;
    EXPECT_EQ(ids.size(), 11u) << order;
    EXPECT_EQ(pages, 4) << order;
  }
  int pages = 0;
  auto industrial =
      walk("planned_use = LAND_USE_INDUSTRIAL AND region_code != \"410305\"", "", &pages);
  EXPECT_EQ(industrial.size(), 3u);  // i = 1, 5, 7
  EXPECT_EQ(pages, 1);

  // A token belongs to its filter and order; the offsets of before are refused.
  v1::ListParcelsRequest list;
  list.set_page_size(3);
  v1::ListParcelsResponse first;
  ASSERT_TRUE(h.Call(&Stub::ListParcels, list, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  list.set_page_token(first.next_page_token());
  list.set_filter("planned_use = LAND_USE_INDUSTRIAL");
  ExpectStatus(h.Call(&Stub::ListParcels, list, &first), Code::kInvalidArgument,
               "page_token: was issued for another filter or order_by; send the same filter and "
               "order_by as for the first page, or start again without a page_token");
  list.set_filter("");
  list.set_page_token("v1.3");
  ExpectStatus(h.Call(&Stub::ListParcels, list, &first), Code::kInvalidArgument,
               "page_token: issued by an earlier version of the service; start again from the "
               "first page (no page_token)");
  list.set_page_token("");
  list.set_filter("year = 2026");
  ExpectStatus(h.Call(&Stub::ListParcels, list, &first), Code::kInvalidArgument,
               "filter: unknown field 'year'; filterable: region_code, state, stock_stage, "
               "planned_use, approval_batch_id, soil_status, parcel_code");
}

}  // namespace
}  // namespace nrp::land_supply::testing
