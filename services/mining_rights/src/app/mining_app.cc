#include "app/mining_app.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "domain/grant.h"
#include "domain/licence_number.h"
#include "domain/minerals.h"
#include "domain/production_scale.h"
#include "domain/right.h"
#include "domain/spatial_gate.h"
#include "domain/terms.h"
#include "nrp/core/log.h"
#include "nrp/core/uuid.h"
#include "nrp/db/migrations.h"
#include "nrp/db/transaction.h"
#include "nrp/mining_rights/v1/events.pb.h"
#include "nrp/service/publish.h"
#include "nrp/service/wire_time.h"

namespace nrp::mining_rights {

using service::FromTimestamp;
using service::ToProtoDate;
using service::ToTimestamp;

namespace {

namespace cpb = ::nrp::common::v1;

cpb::Money Fen(int64_t fen) {
  cpb::Money m;
  m.set_fen(fen);
  return m;
}

std::string IdentityKey(const cpb::Party& party) {
  std::string id;
  for (char c : party.id_number()) {
    id += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return db::Sha256Hex(std::to_string(static_cast<int>(party.id_type())) + ":" + id);
}

Status CheckParty(const cpb::Party& p, const std::string& field) {
  if (p.name().empty()) return Error::InvalidArgument(field + ".name", "is required");
  if (p.id_type() == cpb::ID_DOCUMENT_TYPE_UNSPECIFIED ||
      !cpb::IdDocumentType_IsValid(p.id_type())) {
    return Error::InvalidArgument(field + ".id_type", "is required");
  }
  if (p.id_number().empty()) return Error::InvalidArgument(field + ".id_number", "is required");
  return Ok();
}

Status CheckRegion(const std::string& code, const std::string& field) {
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos) {
    return Error::InvalidArgument(field, "must be a 6-digit GB/T 2260 code, got '" + code + "'");
  }
  return Ok();
}

bool IsCompetitiveMethod(v1::GrantMethod m) {
  return m == v1::GRANT_METHOD_TENDER || m == v1::GRANT_METHOD_AUCTION ||
         m == v1::GRANT_METHOD_LISTING;
}

auction::Method AuctionMethod(v1::GrantMethod m) {
  switch (m) {
    case v1::GRANT_METHOD_AUCTION:
      return auction::Method::kAuction;
    case v1::GRANT_METHOD_LISTING:
      return auction::Method::kListing;
    default:
      return auction::Method::kTender;
  }
}

Status OfferState(const v1::GrantOffer& o, std::initializer_list<v1::GrantOfferState> allowed,
                  const std::string& doing) {
  for (auto s : allowed) {
    if (o.state() == s) return Ok();
  }
  return Error::FailedPrecondition(
      "OFFER_STATE", o.offer_id(),
      "grant offer " + o.offer_id() + " is " + v1::GrantOfferState_Name(o.state()) + "; " + doing);
}

// The domain's view of a right (right.h) and back.
MiningRight DomainRight(const v1::MiningRight& r) {
  MiningRight d;
  d.right_id = r.right_id();
  d.kind = static_cast<RightKind>(r.kind());
  d.holder_id = IdentityKey(r.holder());
  d.state = static_cast<RightState>(r.state());
  d.scale_class = static_cast<ScaleClass>(r.scale_class());
  d.valid_from = Date(r.valid_from().year(), static_cast<unsigned>(r.valid_from().month()),
                      static_cast<unsigned>(r.valid_from().day()));
  d.valid_to = Date(r.valid_to().year(), static_cast<unsigned>(r.valid_to().month()),
                    static_cast<unsigned>(r.valid_to().day()));
  d.extension_count = r.extension_count();
  d.restoration_pending = r.restoration_pending();
  if (r.pending_cancellation() != v1::CANCELLATION_REASON_UNSPECIFIED) {
    d.pending_cancellation = static_cast<CancellationReason>(r.pending_cancellation());
  }
  return d;
}

void Store(const MiningRight& d, v1::MiningRight* r) {
  r->set_state(static_cast<v1::MiningRightState>(d.state));
  *r->mutable_valid_to() = ToProtoDate(d.valid_to);
  r->set_extension_count(d.extension_count);
  r->set_restoration_pending(d.restoration_pending);
  r->set_pending_cancellation(d.pending_cancellation
                                  ? static_cast<v1::CancellationReason>(*d.pending_cancellation)
                                  : v1::CANCELLATION_REASON_UNSPECIFIED);
}

bool Has(const Transition& t, RightEvent e) {
  for (auto x : t.events) {
    if (x == e) return true;
  }
  return false;
}

// Allows every region (the scheduler's own steps).
Status AnyRegion(const std::string&) { return Ok(); }

// How refusals name a party without its id number: a short digest of the identity.
std::string PartyRef(const cpb::Party& p) { return "party " + IdentityKey(p).substr(0, 12); }

// The facts a negotiated offer rests on, from the rights it names (valid ones only).
Result<NegotiationFacts> NegotiationFactsOf(pqxx::work& tx, const v1::GrantOffer& o) {
  NegotiationFacts f;
  if (o.has_applicant()) {
    NRP_RETURN_IF_ERROR(CheckParty(o.applicant(), "offer.applicant"));
    f.applicant_id = PartyRef(o.applicant());
  } else if (!o.existing_right_id().empty() || o.adjacent_right_ids_size() > 0) {
    return Error::InvalidArgument("offer.applicant",
                                  "a negotiated grant on the holder's own rights names its "
                                  "applicant");
  }
  f.state_council_key_project = o.state_council_key_project();
  auto valid_right = [&](const std::string& id,
                         const std::string& field) -> Result<v1::MiningRight> {
    if (!IsUuid(id)) return Error::InvalidArgument(field, "must be a right id (UUID)");
    NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, id, false));
    if (r.state() != v1::MINING_RIGHT_STATE_VALID) {
      return Error::FailedPrecondition("RIGHT_STATE", id,
                                       "right " + r.licence_number() + " is " +
                                           v1::MiningRightState_Name(r.state()) +
                                           "; a negotiated grant rests on valid rights");
    }
    return r;
  };
  if (!o.existing_right_id().empty()) {
    NRP_ASSIGN_OR_RETURN(auto r, valid_right(o.existing_right_id(), "offer.existing_right_id"));
    f.existing_mine_holder_id = PartyRef(r.holder());
  }
  for (int i = 0; i < o.adjacent_right_ids_size(); ++i) {
    NRP_ASSIGN_OR_RETURN(auto r, valid_right(o.adjacent_right_ids(i), "offer.adjacent_right_ids[" +
                                                                          std::to_string(i) + "]"));
    f.adjacent_right_holder_ids.push_back(PartyRef(r.holder()));
  }
  if (o.adjacent_right_ids_size() == 2) {
    NRP_ASSIGN_OR_RETURN(double gap,
                         store::GapBetween(tx, o.adjacent_right_ids(0), o.adjacent_right_ids(1)));
    f.gap_m = gap;
  }
  return f;
}

// A new 23-character number of the kind in the region for the year of `now` (China), as
// GrantRight draws it.
Result<LicenceNumber> DrawNumber(pqxx::work& tx, RightKind kind, const std::string& region_code,
                                 TimePoint now) {
  const int year = DateInChina(now).year();
  NRP_ASSIGN_OR_RETURN(
      int64_t seq,
      store::NextNumber(tx, std::string("licence:") + (kind == RightKind::kMining ? "C" : "T") +
                                ":" + region_code + ":" + std::to_string(year)));
  return LicenceNumber::Generate(kind, region_code, year, seq);
}

// The number `current` gives way to at a registration (延续, 转让, 变更, 分立, 合并): itself, or
// for an 18-character exploration number a new 23-character one drawn in `region_code`
// (NumberAfterRegistration); unset when the number stays.
Result<std::optional<LicenceNumber>> NumberReplacedAtRegistration(pqxx::work& tx,
                                                                  const LicenceNumber& current,
                                                                  const std::string& region_code,
                                                                  TimePoint now) {
  if (!MustReissueAtNextRegistration(current)) return std::optional<LicenceNumber>();
  NRP_ASSIGN_OR_RETURN(LicenceNumber fresh, DrawNumber(tx, current.kind(), region_code, now));
  NRP_ASSIGN_OR_RETURN(LicenceNumber next, NumberAfterRegistration(current, fresh));
  return std::optional<LicenceNumber>(std::move(next));
}

// A registration of `r` itself (extension, transfer, change): an 18-character number is
// replaced by a 23-character one and kept as legacy_licence_number. Whether it was.
Result<bool> RenumberAtRegistration(pqxx::work& tx, v1::MiningRight& r, TimePoint now) {
  NRP_ASSIGN_OR_RETURN(LicenceNumber current,
                       LicenceNumber::Parse(r.licence_number(), "licence_number"));
  NRP_ASSIGN_OR_RETURN(auto next, NumberReplacedAtRegistration(tx, current, r.region_code(), now));
  if (!next) return false;
  r.set_legacy_licence_number(current.str());
  r.set_licence_number(next->str());
  log::Info("licence number replaced at registration", {{"right_id", r.right_id()},
                                                        {"legacy_licence_number", current.str()},
                                                        {"licence_number", next->str()}});
  return true;
}

}  // namespace

void MaskParty(cpb::Party* party) {
  if (!party->id_number().empty()) party->set_id_number(log::MaskIdNumber(party->id_number()));
  if (!party->phone().empty()) party->set_phone(log::MaskIdNumber(party->phone()));
}

MiningRightsConfig MiningRightsConfig::FromEnv(Env& env) {
  MiningRightsConfig c;
  c.rules.min_notice_days = static_cast<int>(
      env.Int("NRP_MINING_RIGHTS_NOTICE_DAYS", kLegalMinNoticeDays, kLegalMinNoticeDays, 365));
  c.rules.min_listing_days = static_cast<int>(
      env.Int("NRP_MINING_RIGHTS_LISTING_DAYS", kLegalMinListingDays, kLegalMinListingDays, 365));
  c.rules.extension_lead_days =
      static_cast<int>(env.Int("NRP_MINING_RIGHTS_EXTENSION_LEAD_DAYS", kLegalExtensionLeadDays,
                               kLegalExtensionLeadDays, 365));
  c.scheduler = env.Bool("NRP_MINING_RIGHTS_SCHEDULER", true);
  c.scheduler_interval =
      env.Duration("NRP_MINING_RIGHTS_SCHEDULER_INTERVAL", std::chrono::seconds(1));
  c.first_report_year =
      static_cast<int>(env.Int("NRP_MINING_RIGHTS_FIRST_REPORT_YEAR", 2021, 1990, 9999));
  return c;
}

auction::Lot MiningRightsApp::LotOf(const v1::GrantOffer& o) {
  auction::Lot lot;
  lot.id = o.offer_id();
  lot.noun = "grant offer";
  lot.method = AuctionMethod(o.method());
  lot.bidding_start = o.has_bidding_start() ? FromTimestamp(o.bidding_start()) : TimePoint::max();
  lot.bidding_end = o.has_bidding_end() ? FromTimestamp(o.bidding_end()) : TimePoint::min();
  lot.starting_price_fen = o.starting_price().fen();
  lot.bid_increment_fen = o.bid_increment().fen();
  lot.reserve_price_fen = o.reserve_price().fen();
  return lot;
}

MiningRightsApp::MiningRightsApp(service::Runtime& rt, MiningRightsConfig config,
                                 auction::LiveBoard& board)
    : rt_(rt), config_(std::move(config)), board_(board) {}

Status MiningRightsApp::Publish(pqxx::dbtransaction& tx, const google::protobuf::Message& event,
                                const std::string& region_code) {
  return service::Publish(rt_, tx, event, region_code);
}

Status MiningRightsApp::Gate(pqxx::work& tx, const store::Block& block,
                             const std::string& region_code, const std::string& subject,
                             v1::MiningMethod method, const std::vector<std::string>& except) {
  NRP_ASSIGN_OR_RETURN(GateMeasurement m, store::MeasureGate(tx, block, region_code, except));
  return CheckSpatialGate(m, {subject, static_cast<MiningMethod>(method)});
}

// ---------------------------------------------------------------- offers

Result<v1::GrantOffer> MiningRightsApp::CreateOffer(pqxx::work& tx, const v1::GrantOffer& in,
                                                    const Authorize& authorize) {
  NRP_RETURN_IF_ERROR(CheckRegion(in.region_code(), "offer.region_code"));
  if (in.kind() != v1::MINING_RIGHT_KIND_EXPLORATION && in.kind() != v1::MINING_RIGHT_KIND_MINING) {
    return Error::InvalidArgument("offer.kind",
                                  "must be MINING_RIGHT_KIND_EXPLORATION or "
                                  "MINING_RIGHT_KIND_MINING");
  }
  if (in.project_name().empty() || in.project_name().size() > 300) {
    return Error::InvalidArgument("offer.project_name", "must be 1 to 300 bytes");
  }
  NRP_ASSIGN_OR_RETURN(const Mineral* mineral,
                       ValidateMineralCode(in.main_mineral().code(), "offer.main_mineral.code"));
  if (!v1::GrantMethod_IsValid(in.method()) || in.method() == v1::GRANT_METHOD_UNSPECIFIED ||
      in.method() == v1::GRANT_METHOD_APPLICATION_FIRST) {
    return Error::InvalidArgument("offer.method",
                                  "must be tender, auction, listing or negotiation");
  }
  if (!v1::MiningMethod_IsValid(in.mining_method()) ||
      !v1::ScaleClass_IsValid(in.deposit_scale()) ||
      !v1::NegotiationBasis_IsValid(in.negotiation_basis())) {
    return Error::InvalidArgument("offer", "carries an unknown enum value");
  }
  if (in.term_years() <= 0 || in.term_years() > 30) {
    return Error::InvalidArgument("offer.term_years", "must be 1 to 30");
  }
  for (const auto& [field, fen] :
       {std::pair<const char*, int64_t>{"offer.starting_price.fen", in.starting_price().fen()},
        {"offer.reserve_price.fen", in.reserve_price().fen()},
        {"offer.bid_increment.fen", in.bid_increment().fen()},
        {"offer.deposit.fen", in.deposit().fen()}}) {
    if (fen < 0 || fen > 1'000'000'000'000'000) {
      return Error::InvalidArgument(field, "must be 0 to 10^18 fen");
    }
  }
  const bool competitive = IsCompetitiveMethod(in.method());
  if (competitive) {
    if (in.starting_price().fen() <= 0) {
      return Error::InvalidArgument("offer.starting_price.fen", "must be more than 0 fen");
    }
    if (in.method() != v1::GRANT_METHOD_TENDER && in.bid_increment().fen() <= 0) {
      return Error::InvalidArgument("offer.bid_increment.fen", "must be more than 0 fen");
    }
    if (!in.has_bidding_start() || !in.has_bidding_end()) {
      return Error::InvalidArgument("offer.bidding_start",
                                    "a competitive grant needs its "
                                    "bidding period");
    }
  }
  NRP_RETURN_IF_ERROR(authorize(in.region_code()));

  v1::GrantOffer o = in;
  o.set_offer_id(NewUuidV7());
  o.set_state(v1::GRANT_OFFER_STATE_DRAFT);
  o.clear_published_at();
  o.clear_notice();
  o.clear_result();
  o.clear_zone_check();
  const std::string subject = "grant offer " + o.offer_id();

  GrantPlan plan;
  plan.offer_id = o.offer_id();
  plan.mineral = mineral;
  plan.method = static_cast<GrantMethod>(o.method());
  plan.basis = static_cast<NegotiationBasis>(o.negotiation_basis());
  plan.clean_grant = o.clean_grant();
  if (o.method() == v1::GRANT_METHOD_NEGOTIATION) {
    NRP_ASSIGN_OR_RETURN(plan.facts, NegotiationFactsOf(tx, o));
  }
  NRP_RETURN_IF_ERROR(CheckGrantMethod(plan, config_.rules));
  if (competitive) {
    NRP_RETURN_IF_ERROR(
        CheckBiddingPeriod({o.offer_id(), plan.method, FromTimestamp(o.bidding_start()),
                            FromTimestamp(o.bidding_end())},
                           config_.rules));
  }
  if (o.kind() == v1::MINING_RIGHT_KIND_MINING) {
    NewMine mine;
    mine.offer_id = o.offer_id();
    mine.mineral_code = o.main_mineral().code();
    mine.method = static_cast<MiningMethod>(o.mining_method());
    mine.deposit_scale = static_cast<ScaleClass>(o.deposit_scale());
    mine.planned = {o.planned_scale().annual_output(),
                    static_cast<OutputUnit>(o.planned_scale().unit())};
    mine.gas_outburst = o.gas_outburst();
    mine.region_code = o.region_code();
    mine.historical_site_restoration = o.historical_site_restoration();
    NRP_RETURN_IF_ERROR(CheckMinimumProductionScale(mine));
  }
  NRP_ASSIGN_OR_RETURN(store::Block block, store::MeasureBlock(tx, o.geometry(), "offer.geometry"));
  o.mutable_area()->set_square_metres(block.area_m2);
  o.mutable_main_mineral()->set_name(std::string(mineral->name));
  o.mutable_main_mineral()->set_mineral_class(
      static_cast<v1::MineralClass>(mineral->mineral_class));
  NRP_RETURN_IF_ERROR(Gate(tx, block, o.region_code(), subject, o.mining_method()));
  const TimePoint now = rt_.clock().Now();
  *o.mutable_create_time() = ToTimestamp(now);
  *o.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::InsertOffer(tx, o, block.hex_ewkb));
  return o;
}

Result<v1::GrantOffer> MiningRightsApp::PublishOffer(pqxx::work& tx, const std::string& offer_id,
                                                     const cpb::DocumentReference& notice,
                                                     const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, offer_id, true));
  v1::GrantOffer& o = row.offer;
  NRP_RETURN_IF_ERROR(authorize(o.region_code()));
  NRP_RETURN_IF_ERROR(OfferState(o, {v1::GRANT_OFFER_STATE_DRAFT}, "only a draft is published"));
  const TimePoint now = rt_.clock().Now();
  if (IsCompetitiveMethod(o.method())) {
    NRP_RETURN_IF_ERROR(
        CheckNoticePeriod({o.offer_id(), static_cast<GrantMethod>(o.method()),
                           FromTimestamp(o.bidding_start()), FromTimestamp(o.bidding_end())},
                          now, config_.rules));
  }
  NRP_ASSIGN_OR_RETURN(store::Block block, store::MeasureBlock(tx, o.geometry(), "geometry"));
  NRP_RETURN_IF_ERROR(
      Gate(tx, block, o.region_code(), "grant offer " + o.offer_id(), o.mining_method()));
  o.set_state(v1::GRANT_OFFER_STATE_PUBLISHED);
  *o.mutable_published_at() = ToTimestamp(now);
  *o.mutable_notice() = notice;
  *o.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateOffer(tx, o));
  v1::GrantOfferPublished e;
  e.set_offer_id(o.offer_id());
  e.set_region_code(o.region_code());
  e.set_kind(o.kind());
  e.set_project_name(o.project_name());
  *e.mutable_main_mineral() = o.main_mineral();
  *e.mutable_geometry() = o.geometry();
  *e.mutable_area() = o.area();
  e.set_method(o.method());
  e.set_clean_grant(o.clean_grant());
  *e.mutable_starting_price() = o.starting_price();
  if (o.has_bidding_start()) *e.mutable_bidding_start() = o.bidding_start();
  if (o.has_bidding_end()) *e.mutable_bidding_end() = o.bidding_end();
  *e.mutable_notice() = notice;
  NRP_RETURN_IF_ERROR(Publish(tx, e, o.region_code()));
  return o;
}

Result<v1::GrantOffer> MiningRightsApp::CancelOffer(pqxx::work& tx, const std::string& offer_id,
                                                    const std::string& reason,
                                                    const Authorize& authorize) {
  if (reason.empty()) return Error::InvalidArgument("reason", "is required");
  NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, offer_id, true));
  v1::GrantOffer& o = row.offer;
  NRP_RETURN_IF_ERROR(authorize(o.region_code()));
  NRP_RETURN_IF_ERROR(OfferState(
      o,
      {v1::GRANT_OFFER_STATE_DRAFT, v1::GRANT_OFFER_STATE_PUBLISHED, v1::GRANT_OFFER_STATE_BIDDING},
      "only an offer not yet closed is cancelled"));
  const TimePoint now = rt_.clock().Now();
  o.set_state(v1::GRANT_OFFER_STATE_CANCELLED);
  *o.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateOffer(tx, o));
  v1::GrantOfferCancelled e;
  e.set_offer_id(o.offer_id());
  e.set_region_code(o.region_code());
  e.set_reason(reason);
  *e.mutable_cancelled_at() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(Publish(tx, e, o.region_code()));
  return o;
}

Result<v1::GrantBidder> MiningRightsApp::RegisterBidder(pqxx::work& tx, const std::string& offer_id,
                                                        const cpb::Party& bidder,
                                                        int64_t deposit_paid_fen,
                                                        const cpb::DocumentReference& receipt,
                                                        const Authorize& authorize) {
  NRP_RETURN_IF_ERROR(CheckParty(bidder, "bidder"));
  NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, offer_id, true));
  const v1::GrantOffer& o = row.offer;
  NRP_RETURN_IF_ERROR(authorize(o.region_code()));
  NRP_RETURN_IF_ERROR(OfferState(o,
                                 {v1::GRANT_OFFER_STATE_PUBLISHED, v1::GRANT_OFFER_STATE_BIDDING},
                                 "bidders register while it is published or bidding"));
  if (!IsCompetitiveMethod(o.method())) {
    return Error::FailedPrecondition("NOT_COMPETITIVE", o.offer_id(),
                                     "grant offer " + o.offer_id() + " is a " +
                                         v1::GrantMethod_Name(o.method()) +
                                         " and takes no bidders");
  }
  const TimePoint now = rt_.clock().Now();
  if (o.has_bidding_end() && now >= FromTimestamp(o.bidding_end())) {
    return Error::FailedPrecondition("BIDDING_ENDED", o.offer_id(),
                                     "bidding on grant offer " + o.offer_id() + " has ended");
  }
  if (deposit_paid_fen < o.deposit().fen()) {
    return Error::FailedPrecondition("DEPOSIT_NOT_PAID", o.offer_id(),
                                     "the deposit of grant offer " + o.offer_id() + " is " +
                                         auction::FormatMoney(o.deposit().fen()) + "; " +
                                         auction::FormatMoney(deposit_paid_fen) + " was paid");
  }
  v1::GrantBidder b;
  b.set_registration_id(NewUuidV7());
  b.set_offer_id(o.offer_id());
  *b.mutable_bidder() = bidder;
  b.mutable_deposit_paid()->set_fen(deposit_paid_fen);
  *b.mutable_deposit_receipt() = receipt;
  *b.mutable_registered_at() = ToTimestamp(now);
  return store::InsertBidder(tx, std::move(b), IdentityKey(bidder));
}

namespace {

// A grant offer as the bidding engine's lot (libs/auction).
class GrantOfferLot final : public auction::LotTable {
 public:
  GrantOfferLot(service::Runtime& rt, const std::string& offer_id, const Authorize& authorize)
      : rt_(rt), offer_id_(offer_id), authorize_(authorize) {}

  Result<auction::LockedLot> Lock(pqxx::work& tx, TimePoint now) override {
    NRP_ASSIGN_OR_RETURN(row_, store::GetOffer(tx, offer_id_, true));
    v1::GrantOffer& o = row_.offer;
    NRP_RETURN_IF_ERROR(authorize_(o.region_code()));
    NRP_RETURN_IF_ERROR(OfferState(o,
                                   {v1::GRANT_OFFER_STATE_PUBLISHED, v1::GRANT_OFFER_STATE_BIDDING},
                                   "bids are taken only while bidding runs"));
    if (!IsCompetitiveMethod(o.method())) {
      return Error::FailedPrecondition("NOT_COMPETITIVE", o.offer_id(),
                                       "grant offer " + o.offer_id() + " takes no bids");
    }
    if (o.state() == v1::GRANT_OFFER_STATE_PUBLISHED && o.has_bidding_start() &&
        now >= FromTimestamp(o.bidding_start())) {
      o.set_state(v1::GRANT_OFFER_STATE_BIDDING);
      *o.mutable_update_time() = ToTimestamp(now);
      NRP_RETURN_IF_ERROR(store::UpdateOffer(tx, o));
    }
    return auction::LockedLot{MiningRightsApp::LotOf(o), row_.board};
  }
  Result<bool> HasBid(pqxx::work& tx, const std::string& bidder_number) override {
    return store::BidderHasBid(tx, offer_id_, bidder_number);
  }
  Status Record(pqxx::work& tx, const auction::Bid& accepted, TimePoint placed_at,
                bool raises) override {
    v1::GrantBid& bid = recorded_;
    bid.set_bid_id(accepted.bid_id);
    bid.set_offer_id(offer_id_);
    bid.set_bidder_number(accepted.bidder_number);
    bid.mutable_amount()->set_fen(accepted.amount_fen);
    *bid.mutable_placed_at() = ToTimestamp(placed_at);
    bid.set_valid(true);
    NRP_RETURN_IF_ERROR(store::InsertBid(tx, bid, accepted.seq, raises));
    if (!raises) return Ok();
    v1::GrantBidPlaced e;
    e.set_offer_id(offer_id_);
    e.set_region_code(row_.offer.region_code());
    e.set_bid_id(bid.bid_id());
    e.set_bidder_number(bid.bidder_number());
    *e.mutable_amount() = bid.amount();
    *e.mutable_placed_at() = bid.placed_at();
    return service::Publish(rt_, tx, e, row_.offer.region_code());
  }
  const v1::GrantBid& recorded() const { return recorded_; }

 private:
  service::Runtime& rt_;
  std::string offer_id_;
  const Authorize& authorize_;
  store::OfferRow row_;
  v1::GrantBid recorded_;
};

}  // namespace

Result<v1::GrantBid> MiningRightsApp::PlaceBid(pqxx::work& tx, auction::Bidding& bidding,
                                               const std::string& offer_id,
                                               const std::string& bidder_number, int64_t amount_fen,
                                               const Authorize& authorize,
                                               std::optional<auction::PlacedBid>* placed) {
  placed->reset();
  NRP_ASSIGN_OR_RETURN(auto bidder, store::FindBidder(tx, offer_id, bidder_number));
  if (!bidder) {
    NRP_ASSIGN_OR_RETURN(store::OfferRow seen, store::GetOffer(tx, offer_id, false));
    NRP_RETURN_IF_ERROR(authorize(seen.offer.region_code()));
    return Error::FailedPrecondition(
        "BIDDER_NOT_REGISTERED", bidder_number,
        "bidder number " + bidder_number + " is not registered for grant offer " + offer_id);
  }
  GrantOfferLot lot(rt_, offer_id, authorize);
  NRP_ASSIGN_OR_RETURN(auto p,
                       bidding.Place(tx, lot, bidder_number, amount_fen, rt_.clock().Now()));
  *placed = std::move(p);
  return lot.recorded();
}

Result<v1::GrantOffer> MiningRightsApp::CloseOffer(pqxx::work& tx, const std::string& offer_id,
                                                   const std::string& winning_bid_id,
                                                   const cpb::Party* agreed_grantee,
                                                   int64_t agreed_price_fen,
                                                   const cpb::DocumentReference& confirmation,
                                                   const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, offer_id, true));
  v1::GrantOffer& o = row.offer;
  NRP_RETURN_IF_ERROR(authorize(o.region_code()));
  const TimePoint now = rt_.clock().Now();
  v1::GrantResult result;
  if (IsCompetitiveMethod(o.method())) {
    NRP_RETURN_IF_ERROR(OfferState(o,
                                   {v1::GRANT_OFFER_STATE_PUBLISHED, v1::GRANT_OFFER_STATE_BIDDING},
                                   "only an offer in bidding is closed"));
    if (agreed_grantee != nullptr || agreed_price_fen != 0) {
      return Error::InvalidArgument("agreed_grantee",
                                    "a tender, auction or listing is closed on its bids");
    }
    NRP_ASSIGN_OR_RETURN(auto bids, store::BidsOf(tx, o.offer_id()));
    NRP_ASSIGN_OR_RETURN(auction::Decision d, auction::Decide(LotOf(o), bids, now, winning_bid_id));
    result.set_valid_bid_count(d.valid_bid_count);
    if (d.highest_fen > 0) *result.mutable_highest_bid() = Fen(d.highest_fen);
    if (d.awarded && d.winner) {
      NRP_ASSIGN_OR_RETURN(auto bidder,
                           store::FindBidder(tx, o.offer_id(), d.winner->bidder_number));
      if (!bidder) return Error::Internal("winning bidder " + d.winner->bidder_number + " missing");
      result.set_outcome(v1::GRANT_OUTCOME_AWARDED);
      *result.mutable_grantee() = bidder->bidder();
      result.set_grantee_bidder_number(d.winner->bidder_number);
      *result.mutable_price() = Fen(d.price_fen);
    } else {
      result.set_outcome(v1::GRANT_OUTCOME_FAILED);
      result.set_failure_reason(d.failure_reason);
    }
  } else {
    NRP_RETURN_IF_ERROR(OfferState(o, {v1::GRANT_OFFER_STATE_PUBLISHED},
                                   "a negotiated grant is closed once published"));
    if (agreed_grantee == nullptr) {
      return Error::InvalidArgument("agreed_grantee", "a negotiated grant names its grantee");
    }
    NRP_RETURN_IF_ERROR(CheckParty(*agreed_grantee, "agreed_grantee"));
    if (o.has_applicant() && IdentityKey(o.applicant()) != IdentityKey(*agreed_grantee)) {
      return Error::FailedPrecondition("GRANTEE_NOT_APPLICANT", o.offer_id(),
                                       "a negotiated grant goes to its applicant (" +
                                           PartyRef(o.applicant()) + "), not to " +
                                           PartyRef(*agreed_grantee));
    }
    if (agreed_price_fen <= 0) {
      return Error::InvalidArgument("agreed_price.fen", "must be more than 0 fen");
    }
    if (agreed_price_fen < o.reserve_price().fen()) {
      return Error::FailedPrecondition(
          "BELOW_RESERVE_PRICE", o.offer_id(),
          "the agreed price " + auction::FormatMoney(agreed_price_fen) +
              " is below the reserve price of grant offer " + o.offer_id());
    }
    result.set_outcome(v1::GRANT_OUTCOME_AWARDED);
    *result.mutable_grantee() = *agreed_grantee;
    *result.mutable_price() = Fen(agreed_price_fen);
  }
  *result.mutable_determined_at() = ToTimestamp(now);
  *result.mutable_confirmation() = confirmation;
  const bool awarded = result.outcome() == v1::GRANT_OUTCOME_AWARDED;
  o.set_state(awarded ? v1::GRANT_OFFER_STATE_AWARDED : v1::GRANT_OFFER_STATE_FAILED);
  *o.mutable_result() = result;
  *o.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateOffer(tx, o));
  v1::GrantResult public_result = result;
  MaskParty(public_result.mutable_grantee());
  if (awarded) {
    v1::GrantOfferAwarded e;
    e.set_offer_id(o.offer_id());
    e.set_region_code(o.region_code());
    e.set_method(o.method());
    *e.mutable_result() = public_result;
    NRP_RETURN_IF_ERROR(Publish(tx, e, o.region_code()));
  } else {
    v1::GrantOfferFailed e;
    e.set_offer_id(o.offer_id());
    e.set_region_code(o.region_code());
    e.set_method(o.method());
    *e.mutable_result() = public_result;
    NRP_RETURN_IF_ERROR(Publish(tx, e, o.region_code()));
  }
  if (IsCompetitiveMethod(o.method())) {
    auto removed = board_.Remove(o.offer_id());
    if (!removed.ok()) {
      log::Warn("live board not removed; it expires with its TTL",
                {{"offer_id", o.offer_id()}, {"error", removed.error().ToString()}});
    }
  }
  return o;
}

// ---------------------------------------------------------------- contract and registration

Result<v1::GrantContract> MiningRightsApp::SignContract(pqxx::work& tx, const v1::GrantContract& in,
                                                        const Authorize& authorize) {
  if (in.contract_number().empty() || in.contract_number().size() > 64) {
    return Error::InvalidArgument("contract.contract_number", "must be 1 to 64 bytes");
  }
  if (in.restoration_duty().plan_summary().empty()) {
    return Error::InvalidArgument("contract.restoration_duty.plan_summary",
                                  "is required: every grant fixes the holder's restoration duty "
                                  "(谁开采、谁治理)");
  }
  if (in.restoration_duty().estimated_cost().fen() <= 0) {
    return Error::InvalidArgument("contract.restoration_duty.estimated_cost.fen",
                                  "must be more than 0 fen");
  }
  NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, in.offer_id(), true));
  v1::GrantOffer& o = row.offer;
  NRP_RETURN_IF_ERROR(authorize(o.region_code()));
  NRP_RETURN_IF_ERROR(
      OfferState(o, {v1::GRANT_OFFER_STATE_AWARDED}, "a contract is signed for an awarded offer"));
  NRP_ASSIGN_OR_RETURN(bool signed_already, store::OfferHasContract(tx, o.offer_id()));
  if (signed_already) {
    return Error::AlreadyExists("grant offer " + o.offer_id() + " has its contract already");
  }
  const int64_t price = o.result().price().fen();
  int64_t scheduled = 0;
  for (int i = 0; i < in.installments_size(); ++i) {
    const int64_t fen = in.installments(i).amount().fen();
    if (fen <= 0 || fen > price) {
      return Error::InvalidArgument("contract.installments[" + std::to_string(i) + "].amount.fen",
                                    "must be more than 0 and at most the price");
    }
    NRP_RETURN_IF_ERROR(
        service::DateOf(in.installments(i).due_date(),
                        "contract.installments[" + std::to_string(i) + "].due_date"));
    scheduled += fen;
  }
  if (in.installments_size() > 0 && scheduled != price) {
    return Error::FailedPrecondition("INSTALMENTS_MISMATCH", o.offer_id(),
                                     "the instalments add up to " +
                                         auction::FormatMoney(scheduled) + ", not the price " +
                                         auction::FormatMoney(price) + " (出让收益)");
  }
  const TimePoint now = rt_.clock().Now();
  v1::GrantContract c = in;
  c.set_contract_id(NewUuidV7());
  c.set_region_code(o.region_code());
  *c.mutable_grantee() = o.result().grantee();
  *c.mutable_price() = o.result().price();
  if (c.installments_size() == 0) {
    auto* one = c.add_installments();
    *one->mutable_due_date() = ToProtoDate(DateInChina(now).AddDays(60));
    *one->mutable_amount() = o.result().price();
  }
  c.set_term_years(o.term_years());
  c.set_state(v1::GRANT_CONTRACT_STATE_SIGNED);
  c.clear_right_id();
  c.mutable_restoration_duty()->clear_fund_account();
  *c.mutable_signed_at() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::InsertContract(tx, c));
  o.set_state(v1::GRANT_OFFER_STATE_CONTRACTED);
  *o.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateOffer(tx, o));
  v1::GrantContractSigned e;
  e.set_offer_id(o.offer_id());
  e.set_region_code(o.region_code());
  e.set_contract_id(c.contract_id());
  e.set_contract_number(c.contract_number());
  *e.mutable_grantee() = c.grantee();
  MaskParty(e.mutable_grantee());
  *e.mutable_price() = c.price();
  *e.mutable_signed_at() = c.signed_at();
  NRP_RETURN_IF_ERROR(Publish(tx, e, o.region_code()));
  return c;
}

Result<v1::MiningRight> MiningRightsApp::GrantRight(pqxx::work& tx, const std::string& contract_id,
                                                    const cpb::Date& valid_from_in,
                                                    v1::ScaleClass scale_class, bool gas_outburst,
                                                    const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(Date valid_from, service::DateOf(valid_from_in, "valid_from"));
  if (!v1::ScaleClass_IsValid(scale_class)) {
    return Error::InvalidArgument("scale_class", "must be a ScaleClass");
  }
  NRP_ASSIGN_OR_RETURN(v1::GrantContract c, store::GetContract(tx, contract_id, true));
  NRP_RETURN_IF_ERROR(authorize(c.region_code()));
  if (c.state() != v1::GRANT_CONTRACT_STATE_SIGNED) {
    return Error::FailedPrecondition("CONTRACT_STATE", c.contract_id(),
                                     "grant contract " + c.contract_id() + " is " +
                                         v1::GrantContractState_Name(c.state()) +
                                         "; its right is registered once");
  }
  NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, c.offer_id(), false));
  const v1::GrantOffer& o = row.offer;
  if (o.kind() == v1::MINING_RIGHT_KIND_MINING && scale_class == v1::SCALE_CLASS_UNSPECIFIED) {
    return Error::InvalidArgument("scale_class", "a mining right is registered with its scale");
  }
  if (gas_outburst != o.gas_outburst()) {
    return Error::FailedPrecondition(
        "OUTBURST_CLASS_CHANGED", o.offer_id(),
        "the offer was granted as " +
            std::string(o.gas_outburst() ? "an outburst" : "a non-outburst") +
            " mine (煤与瓦斯突出矿井), and the minimum scale was checked on that; a different "
            "class needs a new offer");
  }
  const std::string right_id = NewUuidV7();
  NRP_ASSIGN_OR_RETURN(MiningRight d,
                       mining_rights::GrantRight(
                           {right_id, static_cast<RightKind>(o.kind()), IdentityKey(c.grantee()),
                            static_cast<ScaleClass>(scale_class), valid_from, c.term_years()}));
  NRP_ASSIGN_OR_RETURN(store::Block block, store::MeasureBlock(tx, o.geometry(), "geometry"));
  NRP_RETURN_IF_ERROR(Gate(tx, block, o.region_code(),
                           "the right of contract " + c.contract_number(), o.mining_method()));
  const TimePoint now = rt_.clock().Now();
  const int year = DateInChina(now).year();
  const RightKind kind = static_cast<RightKind>(o.kind());
  NRP_ASSIGN_OR_RETURN(
      int64_t seq,
      store::NextNumber(tx, std::string("licence:") + (kind == RightKind::kMining ? "C" : "T") +
                                ":" + o.region_code() + ":" + std::to_string(year)));
  NRP_ASSIGN_OR_RETURN(LicenceNumber number,
                       LicenceNumber::Generate(kind, o.region_code(), year, seq));
  v1::MiningRight r;
  r.set_right_id(right_id);
  r.set_licence_number(number.str());
  r.set_kind(o.kind());
  r.set_region_code(o.region_code());
  *r.mutable_holder() = c.grantee();
  r.set_project_name(o.project_name());
  *r.mutable_main_mineral() = o.main_mineral();
  *r.mutable_geometry() = o.geometry();
  *r.mutable_area() = o.area();
  r.set_top_elevation_m(o.top_elevation_m());
  r.set_bottom_elevation_m(o.bottom_elevation_m());
  r.set_mining_method(o.mining_method());
  *r.mutable_production_scale() = o.planned_scale();
  r.set_scale_class(scale_class);
  r.set_deposit_scale(o.deposit_scale());
  *r.mutable_valid_from() = ToProtoDate(d.valid_from);
  r.set_grant_method(o.method());
  r.set_negotiation_basis(o.negotiation_basis());
  r.set_clean_grant(o.clean_grant());
  r.set_historical_site_restoration(o.historical_site_restoration());
  r.set_contract_id(c.contract_id());
  *r.mutable_restoration_duty() = c.restoration_duty();
  // The restoration fund account (矿山地质环境治理恢复基金) is opened with the right.
  r.mutable_restoration_duty()->set_fund_account("RF-" + number.str());
  r.set_green_mine(v1::GREEN_MINE_STATUS_NOT_DESIGNATED);
  *r.mutable_first_granted_area() = o.area();
  r.set_gas_outburst(gas_outburst);
  *r.mutable_granted_at() = ToTimestamp(now);
  *r.mutable_update_time() = ToTimestamp(now);
  Store(d, &r);
  NRP_RETURN_IF_ERROR(store::InsertRight(tx, r, block.hex_ewkb, IdentityKey(r.holder())));
  c.set_state(v1::GRANT_CONTRACT_STATE_RIGHT_GRANTED);
  c.set_right_id(right_id);
  *c.mutable_restoration_duty() = r.restoration_duty();
  NRP_RETURN_IF_ERROR(store::UpdateContract(tx, c));
  v1::RightGranted e;
  e.set_right_id(right_id);
  e.set_region_code(r.region_code());
  *e.mutable_right() = r;
  MaskParty(e.mutable_right()->mutable_holder());
  NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
  return r;
}

// ---------------------------------------------------------------- lifecycle

Result<v1::MiningRight> MiningRightsApp::ExtendRight(pqxx::work& tx, const std::string& right_id,
                                                     const cpb::Date& applied_on_in,
                                                     const cpb::Date& new_valid_to_in,
                                                     const cpb::Geometry* retained,
                                                     bool proven_reserves,
                                                     const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(Date applied_on, service::DateOf(applied_on_in, "applied_on"));
  NRP_ASSIGN_OR_RETURN(Date new_valid_to, service::DateOf(new_valid_to_in, "new_valid_to"));
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, right_id, true));
  NRP_RETURN_IF_ERROR(authorize(r.region_code()));
  const TimePoint now = rt_.clock().Now();
  const MiningRight before = DomainRight(r);
  NRP_ASSIGN_OR_RETURN(Transition t,
                       Apply(before, ExtendCommand{applied_on, new_valid_to}, now, config_.rules));
  std::string hex;
  double relinquished = 0;
  if (r.kind() == v1::MINING_RIGHT_KIND_EXPLORATION) {
    const cpb::Geometry& kept = retained != nullptr ? *retained : r.geometry();
    NRP_ASSIGN_OR_RETURN(store::Block block, store::MeasureBlock(tx, kept, "retained_geometry"));
    RelinquishmentFacts f;
    f.right_id = r.right_id();
    f.first_granted_area_m2 = r.first_granted_area().square_metres();
    f.current_area_m2 = r.area().square_metres();
    f.retained_area_m2 = block.area_m2;
    f.reserves_submitted = proven_reserves;
    NRP_RETURN_IF_ERROR(CheckRelinquishment(f, config_.rules));
    relinquished = r.area().square_metres() - block.area_m2;
    if (retained != nullptr) {
      NRP_ASSIGN_OR_RETURN(auto inside, store::WithinBlock(tx, block, r.right_id()));
      if (!inside) {
        return Error::InvalidArgument("retained_geometry",
                                      "must lie within the right's current block");
      }
      *r.mutable_geometry() = *retained;
      r.mutable_area()->set_square_metres(block.area_m2);
      hex = block.hex_ewkb;
    }
  }
  const cpb::Date previous = r.valid_to();
  Store(t.right, &r);
  // An extension is a registration: an 18-character number gives way to a 23-character one.
  NRP_RETURN_IF_ERROR(RenumberAtRegistration(tx, r, now));
  *r.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, hex, IdentityKey(r.holder())));
  v1::RightExtended e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  e.set_licence_number(r.licence_number());
  *e.mutable_previous_valid_to() = previous;
  *e.mutable_valid_to() = r.valid_to();
  *e.mutable_geometry() = r.geometry();
  *e.mutable_area() = r.area();
  e.mutable_relinquished_area()->set_square_metres(relinquished > 0 ? relinquished : 0);
  e.set_extension_count(r.extension_count());
  NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
  return r;
}

namespace {

v1::MineClosed MineClosedOf(const v1::MiningRight& r, const cpb::Date& closed_on,
                            const cpb::DocumentReference& report, bool fulfilled) {
  v1::MineClosed e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  e.set_licence_number(r.licence_number());
  *e.mutable_holder() = r.holder();
  MaskParty(e.mutable_holder());
  e.set_project_name(r.project_name());
  *e.mutable_geometry() = r.geometry();
  *e.mutable_closed_on() = closed_on;
  e.set_restoration_duty_fulfilled(fulfilled);
  *e.mutable_restoration_duty() = r.restoration_duty();
  *e.mutable_closure_report() = report;
  return e;
}

v1::RightCancelled RightCancelledOf(const v1::MiningRight& r, v1::CancellationReason reason,
                                    bool fulfilled, TimePoint now) {
  v1::RightCancelled e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  e.set_licence_number(r.licence_number());
  e.set_kind(r.kind());
  *e.mutable_holder() = r.holder();
  MaskParty(e.mutable_holder());
  *e.mutable_geometry() = r.geometry();
  e.set_reason(reason);
  e.set_restoration_duty_fulfilled(fulfilled);
  *e.mutable_restoration_duty() = r.restoration_duty();
  e.set_scale_class(r.scale_class());
  *e.mutable_cancelled_at() = ToTimestamp(now);
  return e;
}

}  // namespace

Result<v1::MiningRight> MiningRightsApp::CloseMine(pqxx::work& tx, const std::string& right_id,
                                                   const cpb::Date& closed_on_in,
                                                   const cpb::DocumentReference& report,
                                                   bool duty_fulfilled,
                                                   const Authorize& authorize) {
  NRP_ASSIGN_OR_RETURN(Date closed_on, service::DateOf(closed_on_in, "closed_on"));
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, right_id, true));
  NRP_RETURN_IF_ERROR(authorize(r.region_code()));
  const TimePoint now = rt_.clock().Now();
  NRP_ASSIGN_OR_RETURN(
      Transition t,
      Apply(DomainRight(r), CloseMineCommand{closed_on, duty_fulfilled}, now, config_.rules));
  Store(t.right, &r);
  *r.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
  NRP_RETURN_IF_ERROR(
      Publish(tx, MineClosedOf(r, closed_on_in, report, duty_fulfilled), r.region_code()));
  return r;
}

Result<v1::MiningRight> MiningRightsApp::CancelRight(pqxx::work& tx, const std::string& right_id,
                                                     v1::CancellationReason reason,
                                                     bool duty_fulfilled,
                                                     const Authorize& authorize) {
  if (!v1::CancellationReason_IsValid(reason)) {
    return Error::InvalidArgument("reason", "must be a CancellationReason");
  }
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, right_id, true));
  NRP_RETURN_IF_ERROR(authorize(r.region_code()));
  const TimePoint now = rt_.clock().Now();
  NRP_ASSIGN_OR_RETURN(
      Transition t,
      Apply(DomainRight(r), CancelCommand{static_cast<CancellationReason>(reason), duty_fulfilled},
            now, config_.rules));
  Store(t.right, &r);
  *r.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
  // Cancelled now, or waiting CLOSED for restoration: either way restoration hears of it, and
  // with the duty unfulfilled it opens the obligation the cancellation waits for.
  NRP_RETURN_IF_ERROR(
      Publish(tx, RightCancelledOf(r, reason, duty_fulfilled, now), r.region_code()));
  return r;
}

Result<v1::MiningRight> MiningRightsApp::TransferRight(pqxx::work& tx, const std::string& right_id,
                                                       const cpb::Party& new_holder,
                                                       const cpb::Money& price,
                                                       const Authorize& authorize) {
  NRP_RETURN_IF_ERROR(CheckParty(new_holder, "new_holder"));
  if (price.fen() < 0) return Error::InvalidArgument("price.fen", "must not be negative");
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, right_id, true));
  NRP_RETURN_IF_ERROR(authorize(r.region_code()));
  const TimePoint now = rt_.clock().Now();
  NRP_ASSIGN_OR_RETURN(Transition t, Apply(DomainRight(r), TransferCommand{IdentityKey(new_holder)},
                                           now, config_.rules));
  const cpb::Party previous = r.holder();
  Store(t.right, &r);
  // The restoration duty and its fund account stay with the right (谁开采、谁治理).
  *r.mutable_holder() = new_holder;
  // A transfer is a registration: an 18-character number gives way to a 23-character one.
  NRP_RETURN_IF_ERROR(RenumberAtRegistration(tx, r, now));
  *r.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
  v1::RightTransferred e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  e.set_licence_number(r.licence_number());
  *e.mutable_previous_holder() = previous;
  MaskParty(e.mutable_previous_holder());
  *e.mutable_holder() = r.holder();
  MaskParty(e.mutable_holder());
  *e.mutable_price() = price;
  *e.mutable_transferred_at() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
  return r;
}

// ---------------------------------------------------------------- split and merge

namespace {

v1::MiningRight Masked(v1::MiningRight r) {
  MaskParty(r.mutable_holder());
  return r;
}

}  // namespace

namespace {

// The fields a change (变更) may name in its update_mask.
constexpr std::string_view kChangeablePaths[] = {
    "project_name", "main_mineral", "production_scale", "scale_class", "mining_method", "geometry"};

// The term between two dates in whole years, a part of a year counted as a whole one: the
// least N (at least 1) whose TermEnd(valid_from, N) falls on or after valid_to. A licence
// "自2015年3月1日至2045年3月1日" is 30 years; to 2 March 2045 it is 31.
int WholeTermYears(const Date& valid_from, const Date& valid_to) {
  int years = 1;
  while (years < 10'000 && TermEnd(valid_from, years) < valid_to) ++years;
  return years;
}

Status CheckScale(const v1::ProductionScale& scale, const std::string& field) {
  if (!(scale.annual_output() > 0)) {
    return Error::InvalidArgument(field + ".annual_output", "must be more than 0");
  }
  if (!v1::OutputUnit_IsValid(scale.unit()) || scale.unit() == v1::OUTPUT_UNIT_UNSPECIFIED) {
    return Error::InvalidArgument(field + ".unit", "is required");
  }
  return Ok();
}

}  // namespace

Result<v1::MiningRight> MiningRightsApp::ChangeRight(pqxx::work& tx, const v1::MiningRight& in,
                                                     const google::protobuf::FieldMask& mask,
                                                     const std::string& reason,
                                                     const Authorize& authorize) {
  if (reason.empty()) return Error::InvalidArgument("reason", "is required");
  if (mask.paths_size() == 0) {
    return Error::InvalidArgument("update_mask", "names at least one field to change");
  }
  std::vector<std::string> paths;
  for (const auto& path : mask.paths()) {
    if (std::find(std::begin(kChangeablePaths), std::end(kChangeablePaths), path) ==
        std::end(kChangeablePaths)) {
      return Error::InvalidArgument(
          "update_mask", "'" + path +
                             "' is not changed by ChangeRight; a change names project_name, "
                             "main_mineral, production_scale, scale_class, mining_method or "
                             "geometry");
    }
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
  }
  auto named = [&](std::string_view p) {
    return std::find(paths.begin(), paths.end(), p) != paths.end();
  };
  // The new values, checked before any row is read.
  if (named("project_name") && (in.project_name().empty() || in.project_name().size() > 300)) {
    return Error::InvalidArgument("right.project_name", "must be 1 to 300 bytes");
  }
  const Mineral* mineral = nullptr;
  if (named("main_mineral")) {
    NRP_ASSIGN_OR_RETURN(mineral,
                         ValidateMineralCode(in.main_mineral().code(), "right.main_mineral.code"));
  }
  if (named("production_scale")) {
    NRP_RETURN_IF_ERROR(CheckScale(in.production_scale(), "right.production_scale"));
  }
  if (named("scale_class") && (!v1::ScaleClass_IsValid(in.scale_class()) ||
                               in.scale_class() == v1::SCALE_CLASS_UNSPECIFIED)) {
    return Error::InvalidArgument("right.scale_class", "must be LARGE, MEDIUM or SMALL");
  }
  if (named("mining_method") && (!v1::MiningMethod_IsValid(in.mining_method()) ||
                                 in.mining_method() == v1::MINING_METHOD_UNSPECIFIED)) {
    return Error::InvalidArgument("right.mining_method", "must be a MiningMethod");
  }
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, in.right_id(), true));
  NRP_RETURN_IF_ERROR(authorize(r.region_code()));
  const TimePoint now = rt_.clock().Now();
  NRP_ASSIGN_OR_RETURN(Transition t, Apply(DomainRight(r), ChangeCommand{}, now, config_.rules));
  std::vector<std::string> changed = paths;
  if (named("project_name")) r.set_project_name(in.project_name());
  if (named("main_mineral")) {
    r.mutable_main_mineral()->set_code(std::string(mineral->code));
    r.mutable_main_mineral()->set_name(std::string(mineral->name));
    r.mutable_main_mineral()->set_mineral_class(
        static_cast<v1::MineralClass>(mineral->mineral_class));
  }
  if (named("production_scale")) *r.mutable_production_scale() = in.production_scale();
  if (named("scale_class")) r.set_scale_class(in.scale_class());
  if (named("mining_method")) r.set_mining_method(in.mining_method());
  // A mine's changed scale still meets Box 8, on the mineral and method it has after the change.
  if (r.kind() == v1::MINING_RIGHT_KIND_MINING && named("production_scale")) {
    NewMine mine;
    mine.offer_id = "right " + r.licence_number();
    mine.mineral_code = r.main_mineral().code();
    mine.method = static_cast<MiningMethod>(r.mining_method());
    mine.deposit_scale = static_cast<ScaleClass>(r.deposit_scale());
    mine.planned = {r.production_scale().annual_output(),
                    static_cast<OutputUnit>(r.production_scale().unit())};
    mine.gas_outburst = r.gas_outburst();
    mine.region_code = r.region_code();
    mine.historical_site_restoration = r.historical_site_restoration();
    NRP_RETURN_IF_ERROR(CheckMinimumProductionScale(mine));
  }
  // A changed block (or method: an open-pit mine only inside a key mining zone) passes the
  // gate again on the zones in force today, the right itself excluded from the overlap.
  std::string hex;
  if (named("geometry") || named("mining_method")) {
    const cpb::Geometry& g = named("geometry") ? in.geometry() : r.geometry();
    NRP_ASSIGN_OR_RETURN(store::Block block, store::MeasureBlock(tx, g, "right.geometry"));
    NRP_RETURN_IF_ERROR(Gate(tx, block, r.region_code(), "right " + r.licence_number(),
                             r.mining_method(), {r.right_id()}));
    if (named("geometry")) {
      *r.mutable_geometry() = g;
      r.mutable_area()->set_square_metres(block.area_m2);
      changed.push_back("area");
      hex = block.hex_ewkb;
    }
  }
  // A change is a registration: an 18-character number gives way to a 23-character one.
  NRP_ASSIGN_OR_RETURN(bool renumbered, RenumberAtRegistration(tx, r, now));
  if (renumbered) {
    changed.push_back("licence_number");
    changed.push_back("legacy_licence_number");
  }
  Store(t.right, &r);
  *r.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, hex, IdentityKey(r.holder())));
  v1::RightChanged e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  *e.mutable_right() = Masked(r);
  for (const auto& f : changed) e.add_changed_fields(f);
  e.set_reason(reason);
  NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
  return r;
}

Result<v1::MiningRight> MiningRightsApp::RegisterExistingRight(pqxx::work& tx,
                                                               const v1::MiningRight& in,
                                                               const Authorize& authorize) {
  NRP_RETURN_IF_ERROR(CheckRegion(in.region_code(), "right.region_code"));
  if (in.kind() != v1::MINING_RIGHT_KIND_EXPLORATION && in.kind() != v1::MINING_RIGHT_KIND_MINING) {
    return Error::InvalidArgument("right.kind",
                                  "must be MINING_RIGHT_KIND_EXPLORATION or "
                                  "MINING_RIGHT_KIND_MINING");
  }
  const RightKind kind = static_cast<RightKind>(in.kind());
  NRP_ASSIGN_OR_RETURN(LicenceNumber number,
                       LicenceNumber::Parse(in.licence_number(), "right.licence_number"));
  if (number.kind() != kind) {
    return Error::FailedPrecondition("LICENCE_KIND_MISMATCH", number.str(),
                                     "licence number " + number.str() + " is a number of a " +
                                         std::string(RightKindName(number.kind())) +
                                         " right, not of a " + std::string(RightKindName(kind)) +
                                         " right");
  }
  std::optional<LicenceNumber> legacy;
  if (!in.legacy_licence_number().empty()) {
    NRP_ASSIGN_OR_RETURN(
        legacy, LicenceNumber::Parse(in.legacy_licence_number(), "right.legacy_licence_number"));
    if (!legacy->legacy() || number.legacy() || legacy->kind() != kind) {
      return Error::InvalidArgument("right.legacy_licence_number",
                                    "is the 18-character exploration number a right carried "
                                    "before its 23-character one");
    }
  }
  NRP_RETURN_IF_ERROR(CheckParty(in.holder(), "right.holder"));
  if (in.project_name().empty() || in.project_name().size() > 300) {
    return Error::InvalidArgument("right.project_name", "must be 1 to 300 bytes");
  }
  NRP_ASSIGN_OR_RETURN(const Mineral* mineral,
                       ValidateMineralCode(in.main_mineral().code(), "right.main_mineral.code"));
  if (!v1::MiningMethod_IsValid(in.mining_method()) || !v1::ScaleClass_IsValid(in.scale_class()) ||
      !v1::ScaleClass_IsValid(in.deposit_scale()) || !v1::GrantMethod_IsValid(in.grant_method()) ||
      !v1::NegotiationBasis_IsValid(in.negotiation_basis())) {
    return Error::InvalidArgument("right", "carries an unknown enum value");
  }
  if (in.kind() == v1::MINING_RIGHT_KIND_MINING &&
      in.scale_class() == v1::SCALE_CLASS_UNSPECIFIED) {
    return Error::InvalidArgument("right.scale_class",
                                  "a mining right is registered with its scale");
  }
  if (in.extension_count() < 0) {
    return Error::InvalidArgument("right.extension_count", "must not be negative");
  }
  NRP_ASSIGN_OR_RETURN(Date valid_from, service::DateOf(in.valid_from(), "right.valid_from"));
  NRP_ASSIGN_OR_RETURN(Date valid_to, service::DateOf(in.valid_to(), "right.valid_to"));
  if (valid_to < valid_from) {
    return Error::InvalidArgument("right.valid_to",
                                  "must not be before right.valid_from " + valid_from.ToString());
  }
  // The term as the register writes it, in whole years (WholeTermYears), within the legal
  // maximum of its kind and scale.
  NRP_RETURN_IF_ERROR(CheckTerm(kind, static_cast<ScaleClass>(in.scale_class()),
                                WholeTermYears(valid_from, valid_to)));
  NRP_RETURN_IF_ERROR(authorize(in.region_code()));
  for (const LicenceNumber* n : {&number, legacy ? &*legacy : nullptr}) {
    if (n == nullptr) continue;
    NRP_ASSIGN_OR_RETURN(bool held, store::LicenceNumberHeld(tx, n->str()));
    if (held) {
      return Error::AlreadyExists("licence number " + n->str() +
                                  " is registered to another right; numbers are permanent and "
                                  "unique");
    }
  }
  NRP_ASSIGN_OR_RETURN(store::Block block,
                       store::MeasureBlock(tx, in.geometry(), "right.geometry"));
  const TimePoint now = rt_.clock().Now();
  v1::MiningRight r = in;
  r.set_right_id(NewUuidV7());
  r.set_licence_number(number.str());
  r.mutable_main_mineral()->set_name(std::string(mineral->name));
  r.mutable_main_mineral()->set_mineral_class(
      static_cast<v1::MineralClass>(mineral->mineral_class));
  r.mutable_area()->set_square_metres(block.area_m2);
  if (!r.has_first_granted_area() || !(r.first_granted_area().square_metres() > 0)) {
    *r.mutable_first_granted_area() = r.area();
  }
  *r.mutable_valid_from() = ToProtoDate(valid_from);
  *r.mutable_valid_to() = ToProtoDate(valid_to);
  // No contract of the platform's and no rights of its own it came from.
  r.clear_contract_id();
  r.clear_parent_right_ids();
  r.clear_zone_check();
  r.set_green_mine(v1::GREEN_MINE_STATUS_NOT_DESIGNATED);
  r.set_abnormal(false);
  r.set_restoration_pending(false);
  r.set_pending_cancellation(v1::CANCELLATION_REASON_UNSPECIFIED);
  // The restoration duty as the register holds it; the fund account opened when it has none.
  if (r.restoration_duty().fund_account().empty()) {
    r.mutable_restoration_duty()->set_fund_account("RF-" + number.str());
  }
  r.set_state(v1::MINING_RIGHT_STATE_VALID);
  const bool lapsed = IsLapsed(DomainRight(r), now);
  if (lapsed) {
    r.set_state(v1::MINING_RIGHT_STATE_EXPIRED);
  } else {
    // Only the other valid rights bind a right entered as it is: it was granted under earlier
    // plans, so today's zones (control lines, mineral planning zones) are not checked. An
    // expired right holds no block and is not checked at all.
    NRP_ASSIGN_OR_RETURN(GateMeasurement m, store::MeasureGate(tx, block, r.region_code()));
    NRP_RETURN_IF_ERROR(CheckNoValidRightOverlap(
        m, {"right " + number.str(), static_cast<MiningMethod>(r.mining_method())}));
  }
  *r.mutable_granted_at() = ToTimestamp(now);
  *r.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::InsertRight(tx, r, block.hex_ewkb, IdentityKey(r.holder())));
  v1::RightGranted e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  *e.mutable_right() = Masked(r);
  NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
  if (lapsed) {
    // Planning counts it and uncounts it, as for any right that lapses.
    v1::RightExpired x;
    x.set_right_id(r.right_id());
    x.set_region_code(r.region_code());
    x.set_licence_number(r.licence_number());
    x.set_kind(r.kind());
    *x.mutable_holder() = Masked(r).holder();
    *x.mutable_geometry() = r.geometry();
    *x.mutable_valid_to() = r.valid_to();
    *x.mutable_restoration_duty() = r.restoration_duty();
    x.set_scale_class(r.scale_class());
    NRP_RETURN_IF_ERROR(Publish(tx, x, r.region_code()));
  }
  log::Info("existing right entered", {{"right_id", r.right_id()},
                                       {"licence_number", r.licence_number()},
                                       {"state", v1::MiningRightState_Name(r.state())}});
  return r;
}

Result<std::vector<v1::MiningRight>> MiningRightsApp::SplitRight(
    pqxx::work& tx, const std::string& right_id, const std::vector<v1::SplitPart>& parts,
    int keeps_number_index, const Authorize& authorize) {
  const int n = static_cast<int>(parts.size());
  for (int i = 0; i < n; ++i) {
    if (parts[static_cast<size_t>(i)].has_holder()) {
      NRP_RETURN_IF_ERROR(CheckParty(parts[static_cast<size_t>(i)].holder(),
                                     "parts[" + std::to_string(i) + "].holder"));
    }
  }
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, right_id, true));
  NRP_RETURN_IF_ERROR(authorize(r.region_code()));
  const TimePoint now = rt_.clock().Now();
  NRP_ASSIGN_OR_RETURN(Transition t, Apply(DomainRight(r), SplitCommand{}, now, config_.rules));
  NRP_ASSIGN_OR_RETURN(LicenceNumber original,
                       LicenceNumber::Parse(r.licence_number(), "licence_number"));
  // The parts' numbers (drawn numbers return with a refused split's transaction).
  std::vector<LicenceNumber> fresh;
  for (int i = 1; i < n; ++i) {
    NRP_ASSIGN_OR_RETURN(LicenceNumber number,
                         DrawNumber(tx, original.kind(), r.region_code(), now));
    fresh.push_back(std::move(number));
  }
  NRP_ASSIGN_OR_RETURN(auto numbers, NumberSplitParts(original, n, keeps_number_index, fresh));
  // A split is a registration: the part keeping an 18-character number gets a 23-character one
  // and keeps the old one as its legacy number.
  NRP_ASSIGN_OR_RETURN(auto kept_renumbered,
                       NumberReplacedAtRegistration(tx, original, r.region_code(), now));
  // Each part inside the right's block, none overlapping another.
  std::vector<store::Block> blocks;
  for (int i = 0; i < n; ++i) {
    const std::string field = "parts[" + std::to_string(i) + "].geometry";
    NRP_ASSIGN_OR_RETURN(store::Block block,
                         store::MeasureBlock(tx, parts[static_cast<size_t>(i)].geometry(), field));
    NRP_ASSIGN_OR_RETURN(bool inside, store::WithinBlock(tx, block, r.right_id()));
    if (!inside) return Error::InvalidArgument(field, "must lie within the right's block");
    for (int j = 0; j < i; ++j) {
      NRP_ASSIGN_OR_RETURN(bool overlaps,
                           store::BlocksOverlap(tx, blocks[static_cast<size_t>(j)], block));
      if (overlaps) {
        return Error::InvalidArgument(
            field, "overlaps part " + std::to_string(j) + "; the parts may only touch");
      }
    }
    blocks.push_back(std::move(block));
  }
  // Together the parts cover the block: a split divides it whole.
  NRP_ASSIGN_OR_RETURN(double uncovered, store::AreaNotCoveredBy(tx, r.right_id(), blocks));
  NRP_RETURN_IF_ERROR(
      CheckSplitCoverage({"right " + r.licence_number(), r.area().square_metres(), uncovered}));
  // The right is superseded first: the part keeping its number takes the number over.
  Store(t.right, &r);
  *r.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
  std::vector<v1::MiningRight> out;
  for (int i = 0; i < n; ++i) {
    const auto& part = parts[static_cast<size_t>(i)];
    const auto& number = numbers[static_cast<size_t>(i)];
    v1::MiningRight p = r;
    p.set_right_id(NewUuidV7());
    p.set_licence_number(number.str());
    p.clear_legacy_licence_number();
    if (i == keeps_number_index && kept_renumbered) {
      p.set_licence_number(kept_renumbered->str());
      p.set_legacy_licence_number(number.str());
    }
    if (part.has_holder()) *p.mutable_holder() = part.holder();
    if (!part.project_name().empty()) p.set_project_name(part.project_name());
    if (part.has_production_scale()) *p.mutable_production_scale() = part.production_scale();
    *p.mutable_geometry() = part.geometry();
    p.mutable_area()->set_square_metres(blocks[static_cast<size_t>(i)].area_m2);
    *p.mutable_first_granted_area() = p.area();
    // The grant contract stays the original right's; the part names its parent.
    p.clear_contract_id();
    p.clear_parent_right_ids();
    p.add_parent_right_ids(r.right_id());
    // Each part carries the restoration duty on its block, with its own fund account.
    p.mutable_restoration_duty()->set_fund_account("RF-" + number.str());
    p.set_state(v1::MINING_RIGHT_STATE_VALID);
    // A part is a mine of its own: not yet assessed, not yet listed.
    p.set_green_mine(v1::GREEN_MINE_STATUS_NOT_DESIGNATED);
    p.set_abnormal(false);
    p.clear_zone_check();
    *p.mutable_granted_at() = ToTimestamp(now);
    *p.mutable_update_time() = ToTimestamp(now);
    NRP_RETURN_IF_ERROR(store::InsertRight(tx, p, blocks[static_cast<size_t>(i)].hex_ewkb,
                                           IdentityKey(p.holder())));
    out.push_back(std::move(p));
  }
  v1::RightSplit e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  const size_t keep = static_cast<size_t>(keeps_number_index);
  *e.add_parts() = Masked(out[keep]);
  for (size_t i = 0; i < out.size(); ++i) {
    if (i != keep) *e.add_parts() = Masked(out[i]);
  }
  NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
  return out;
}

Result<v1::MiningRight> MiningRightsApp::MergeRights(
    pqxx::work& tx, const std::vector<std::string>& right_ids, const std::string& project_name,
    const v1::ProductionScale& scale, v1::ScaleClass scale_class, const Authorize& authorize) {
  if (!v1::ScaleClass_IsValid(scale_class)) {
    return Error::InvalidArgument("scale_class", "must be a ScaleClass");
  }
  if (project_name.size() > 300) {
    return Error::InvalidArgument("project_name", "must be at most 300 bytes");
  }
  // The rows locked in one order, so two merges never wait on each other.
  std::vector<std::string> order = right_ids;
  std::sort(order.begin(), order.end());
  std::map<std::string, v1::MiningRight> rows;
  for (const auto& id : order) {
    if (rows.count(id)) continue;
    NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, id, true));
    NRP_RETURN_IF_ERROR(authorize(r.region_code()));
    rows.emplace(id, std::move(r));
  }
  const TimePoint now = rt_.clock().Now();
  std::vector<MergeCandidate> candidates;
  std::vector<v1::MiningRight> merged;
  for (const auto& id : right_ids) {
    const v1::MiningRight& r = rows.at(id);
    NRP_ASSIGN_OR_RETURN(LicenceNumber number,
                         LicenceNumber::Parse(r.licence_number(), "licence_number"));
    const MiningRight d = DomainRight(r);
    candidates.push_back({r.right_id(), d.holder_id, number, d.valid_from});
    merged.push_back(r);
  }
  NRP_ASSIGN_OR_RETURN(size_t survivor_index, SurvivingNumber(candidates));
  for (auto& r : merged) {
    NRP_ASSIGN_OR_RETURN(Transition t, Apply(DomainRight(r), MergeCommand{}, now, config_.rules));
    if (r.region_code() != merged[0].region_code()) {
      return Error::FailedPrecondition("MERGE_REGIONS_DIFFER", r.right_id(),
                                       "right " + r.right_id() + " lies in " + r.region_code() +
                                           " and right " + merged[0].right_id() + " in " +
                                           merged[0].region_code() +
                                           "; rights of one county are merged");
    }
    Store(t.right, &r);
  }
  const v1::MiningRight& survivor = merged[survivor_index];
  if (survivor.kind() == v1::MINING_RIGHT_KIND_MINING &&
      scale_class == v1::SCALE_CLASS_UNSPECIFIED) {
    return Error::InvalidArgument("scale_class", "a merged mine is registered with its scale");
  }
  NRP_ASSIGN_OR_RETURN(std::string wkt, store::UnionOfRights(tx, right_ids));
  cpb::Geometry geometry;
  geometry.set_encoding(cpb::GEOMETRY_ENCODING_WKT);
  geometry.set_text(wkt);
  geometry.set_srid(4490);
  NRP_ASSIGN_OR_RETURN(store::Block block, store::MeasureBlock(tx, geometry, "right_ids"));
  v1::MiningRight m = survivor;
  m.set_right_id(NewUuidV7());
  m.clear_legacy_licence_number();
  // The duties pass on the surviving account, named after the surviving number as granted.
  const std::string surviving_account = "RF-" + survivor.licence_number();
  // A merge is a registration: a surviving 18-character number gives way to a 23-character
  // one, kept as the merged right's legacy number.
  NRP_ASSIGN_OR_RETURN(LicenceNumber surviving,
                       LicenceNumber::Parse(survivor.licence_number(), "licence_number"));
  NRP_ASSIGN_OR_RETURN(auto renumbered,
                       NumberReplacedAtRegistration(tx, surviving, m.region_code(), now));
  if (renumbered) {
    m.set_licence_number(renumbered->str());
    m.set_legacy_licence_number(surviving.str());
  }
  if (!project_name.empty()) m.set_project_name(project_name);
  if (scale.annual_output() > 0) *m.mutable_production_scale() = scale;
  if (scale_class != v1::SCALE_CLASS_UNSPECIFIED) m.set_scale_class(scale_class);
  *m.mutable_geometry() = geometry;
  m.mutable_area()->set_square_metres(block.area_m2);
  double first_granted = 0;
  int64_t cost = 0;
  // No right gains term by a merge: the merged right ends with the earliest end.
  cpb::Date valid_to = survivor.valid_to();
  auto key = [](const cpb::Date& d) { return d.year() * 10000 + d.month() * 100 + d.day(); };
  m.clear_parent_right_ids();
  for (auto& r : merged) {
    first_granted += r.first_granted_area().square_metres();
    cost += r.restoration_duty().estimated_cost().fen();
    if (key(r.valid_to()) < key(valid_to)) valid_to = r.valid_to();
    m.add_parent_right_ids(r.right_id());
    // The merged rights are superseded first: the merged right takes the surviving number.
    *r.mutable_update_time() = ToTimestamp(now);
    NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
  }
  *m.mutable_valid_to() = valid_to;
  m.mutable_first_granted_area()->set_square_metres(first_granted);
  // The duties of every merged right pass to the merged one, on the surviving account.
  m.mutable_restoration_duty()->mutable_estimated_cost()->set_fen(cost);
  m.mutable_restoration_duty()->set_fund_account(surviving_account);
  m.clear_contract_id();
  m.set_state(v1::MINING_RIGHT_STATE_VALID);
  m.set_green_mine(v1::GREEN_MINE_STATUS_NOT_DESIGNATED);
  m.set_abnormal(false);
  m.clear_zone_check();
  *m.mutable_granted_at() = ToTimestamp(now);
  *m.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::InsertRight(tx, m, block.hex_ewkb, IdentityKey(m.holder())));
  v1::RightsMerged e;
  e.set_right_id(m.right_id());
  e.set_region_code(m.region_code());
  *e.mutable_right() = Masked(m);
  for (const auto& id : right_ids) e.add_merged_right_ids(id);
  NRP_RETURN_IF_ERROR(Publish(tx, e, m.region_code()));
  return m;
}

// ---------------------------------------------------------------- green mines

namespace {

Status GreenStatus(const v1::MiningRight& r, std::initializer_list<v1::GreenMineStatus> allowed,
                   const std::string& doing) {
  for (auto s : allowed) {
    if (r.green_mine() == s) return Ok();
  }
  return Error::FailedPrecondition(
      "GREEN_MINE_STATUS", r.right_id(),
      "right " + r.right_id() + " is " + v1::GreenMineStatus_Name(r.green_mine()) + "; " + doing);
}

}  // namespace

Result<v1::MiningRight> MiningRightsApp::DesignateGreenMine(
    pqxx::work& tx, const std::string& right_id, const cpb::DocumentReference& assessment,
    const Authorize& authorize) {
  if (assessment.title().empty() && assessment.document_id().empty()) {
    return Error::InvalidArgument("assessment", "the assessment report (绿色矿山评估) is required");
  }
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, right_id, true));
  NRP_RETURN_IF_ERROR(authorize(r.region_code()));
  const TimePoint now = rt_.clock().Now();
  const MiningRight d = DomainRight(r);
  if (r.kind() != v1::MINING_RIGHT_KIND_MINING) {
    return Error::FailedPrecondition(
        "NOT_A_MINING_RIGHT", r.right_id(),
        "right " + r.right_id() + " is an exploration right; only a mine is a green mine");
  }
  if (r.state() != v1::MINING_RIGHT_STATE_VALID) {
    return Error::FailedPrecondition("RIGHT_STATE", r.right_id(),
                                     "right " + r.right_id() + " is " +
                                         v1::MiningRightState_Name(r.state()) +
                                         "; only a VALID right can be designated a green mine");
  }
  if (IsLapsed(d, now)) {
    return Error::FailedPrecondition("RIGHT_LAPSED", r.right_id(),
                                     "right " + r.right_id() + " lapsed at the end of " +
                                         d.valid_to.ToString() + " (China time)");
  }
  NRP_RETURN_IF_ERROR(
      GreenStatus(r,
                  {v1::GREEN_MINE_STATUS_NOT_DESIGNATED, v1::GREEN_MINE_STATUS_REVOKED,
                   v1::GREEN_MINE_STATUS_UNSPECIFIED},
                  "a mine is designated once until it is revoked"));
  r.set_green_mine(v1::GREEN_MINE_STATUS_DESIGNATED);
  *r.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
  v1::GreenMineDesignated e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  e.set_licence_number(r.licence_number());
  e.set_project_name(r.project_name());
  *e.mutable_assessment() = assessment;
  *e.mutable_designated_at() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
  return r;
}

Result<v1::MiningRight> MiningRightsApp::RevokeGreenMine(pqxx::work& tx,
                                                         const std::string& right_id,
                                                         const std::string& reason,
                                                         const Authorize& authorize) {
  if (reason.empty()) return Error::InvalidArgument("reason", "is required");
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, right_id, true));
  NRP_RETURN_IF_ERROR(authorize(r.region_code()));
  NRP_RETURN_IF_ERROR(GreenStatus(r, {v1::GREEN_MINE_STATUS_DESIGNATED},
                                  "only a designated green mine is revoked"));
  const TimePoint now = rt_.clock().Now();
  r.set_green_mine(v1::GREEN_MINE_STATUS_REVOKED);
  *r.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
  v1::GreenMineRevoked e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  e.set_licence_number(r.licence_number());
  e.set_reason(reason);
  *e.mutable_revoked_at() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
  return r;
}

// ---------------------------------------------------------------- annual reports

namespace {

Status CheckRate(double rate, const std::string& field) {
  if (!(rate >= 0 && rate <= 1)) {
    return Error::InvalidArgument(field, "is a fraction from 0 to 1, got " + std::to_string(rate));
  }
  return Ok();
}

}  // namespace

Status MiningRightsApp::RemoveEntry(pqxx::work& tx, v1::MiningRight& r, v1::AbnormalEntry& entry,
                                    const std::string& reason, TimePoint now) {
  *entry.mutable_removed_at() = ToTimestamp(now);
  entry.set_removal_reason(reason);
  NRP_RETURN_IF_ERROR(store::UpdateAbnormalEntry(tx, entry));
  NRP_ASSIGN_OR_RETURN(int64_t still_listed, store::ListedEntryCount(tx, r.right_id()));
  if (r.abnormal() != (still_listed > 0)) {
    r.set_abnormal(still_listed > 0);
    *r.mutable_update_time() = ToTimestamp(now);
    NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
  }
  v1::RightRemovedFromAbnormalList e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  e.set_entry_id(entry.entry_id());
  e.set_reason(reason);
  NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
  log::Info("right removed from the abnormal list",
            {{"right_id", r.right_id()}, {"entry_id", entry.entry_id()}});
  return Ok();
}

Result<v1::AnnualReport> MiningRightsApp::SubmitAnnualReport(pqxx::work& tx,
                                                             const v1::AnnualReport& in,
                                                             const Authorize& authorize) {
  if (in.year() < 1900 || in.year() > 9999) {
    return Error::InvalidArgument("report.year",
                                  "must be a year, got " + std::to_string(in.year()));
  }
  NRP_RETURN_IF_ERROR(CheckRate(in.mining_recovery_rate(), "report.mining_recovery_rate"));
  NRP_RETURN_IF_ERROR(
      CheckRate(in.beneficiation_recovery_rate(), "report.beneficiation_recovery_rate"));
  NRP_RETURN_IF_ERROR(
      CheckRate(in.comprehensive_utilisation_rate(), "report.comprehensive_utilisation_rate"));
  if (!(in.actual_output().annual_output() >= 0)) {
    return Error::InvalidArgument("report.actual_output.annual_output", "must not be negative");
  }
  if (!(in.restored_area().square_metres() >= 0)) {
    return Error::InvalidArgument("report.restored_area.square_metres", "must not be negative");
  }
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, in.right_id(), true));
  NRP_RETURN_IF_ERROR(authorize(r.region_code()));
  const TimePoint now = rt_.clock().Now();
  NRP_ASSIGN_OR_RETURN(bool late, CheckAnnualReport(DomainRight(r), in.year(), now));
  v1::AnnualReport report = in;
  report.set_report_id(NewUuidV7());
  *report.mutable_submitted_at() = ToTimestamp(now);
  report.set_late(late);
  NRP_RETURN_IF_ERROR(store::InsertAnnualReport(tx, report, r.region_code()));
  v1::AnnualReportSubmitted e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  e.set_report_id(report.report_id());
  e.set_year(report.year());
  *e.mutable_actual_output() = report.actual_output();
  *e.mutable_restored_area() = report.restored_area();
  e.set_late(late);
  NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
  // A right listed for the missing report leaves the list once it reports.
  NRP_ASSIGN_OR_RETURN(auto listed, store::ListedEntry(tx, r.right_id(), report.year(),
                                                       v1::ABNORMAL_REASON_ANNUAL_REPORT_MISSING));
  if (listed) {
    NRP_RETURN_IF_ERROR(RemoveEntry(tx, r, *listed,
                                    "the annual report on " + std::to_string(report.year()) +
                                        " was published on " + DateInChina(now).ToString(),
                                    now));
  }
  return report;
}

Result<v1::AbnormalEntry> MiningRightsApp::RemoveFromAbnormalList(pqxx::work& tx,
                                                                  const std::string& entry_id,
                                                                  const std::string& reason,
                                                                  const Authorize& authorize) {
  if (reason.empty()) return Error::InvalidArgument("reason", "is required");
  NRP_ASSIGN_OR_RETURN(v1::AbnormalEntry seen, store::GetAbnormalEntry(tx, entry_id, false));
  // The right's row first, as the listing and the reports take it.
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, seen.right_id(), true));
  NRP_RETURN_IF_ERROR(authorize(r.region_code()));
  NRP_ASSIGN_OR_RETURN(v1::AbnormalEntry entry, store::GetAbnormalEntry(tx, entry_id, true));
  if (entry.has_removed_at()) {
    return Error::FailedPrecondition(
        "ENTRY_NOT_LISTED", entry.entry_id(),
        "abnormal-list entry " + entry.entry_id() + " was removed at " +
            FormatRfc3339(FromTimestamp(entry.removed_at())) + "; only a listed entry is removed");
  }
  NRP_RETURN_IF_ERROR(RemoveEntry(tx, r, entry, reason, rt_.clock().Now()));
  return entry;
}

Result<bool> MiningRightsApp::ListAbnormal(pqxx::work& tx, const AbnormalListing& listing,
                                           Date today) {
  // Under the right's row lock the listing is decided again: a report, a removal or another
  // replica's listing since the scan leaves nothing to do.
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, listing.right_id, true));
  NRP_ASSIGN_OR_RETURN(auto rights, store::ReportingRights(tx, listing.right_id));
  NRP_ASSIGN_OR_RETURN(auto listed, store::MissingReportListings(tx, listing.right_id));
  const AbnormalListChanges changes =
      ReconcileAbnormalList(listed, rights, today, config_.first_report_year);
  if (std::find(changes.to_list.begin(), changes.to_list.end(), listing) == changes.to_list.end()) {
    return false;
  }
  const TimePoint now = rt_.clock().Now();
  v1::AbnormalEntry entry;
  entry.set_entry_id(NewUuidV7());
  entry.set_right_id(r.right_id());
  entry.set_licence_number(r.licence_number());
  *entry.mutable_holder() = r.holder();
  entry.set_reason(v1::ABNORMAL_REASON_ANNUAL_REPORT_MISSING);
  entry.set_year(listing.year);
  *entry.mutable_listed_at() = ToTimestamp(now);
  NRP_ASSIGN_OR_RETURN(bool inserted, store::InsertAbnormalEntry(tx, entry, r.region_code()));
  if (!inserted) return false;
  if (!r.abnormal()) {
    r.set_abnormal(true);
    *r.mutable_update_time() = ToTimestamp(now);
    NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
  }
  v1::RightListedAbnormal e;
  e.set_right_id(r.right_id());
  e.set_region_code(r.region_code());
  e.set_entry_id(entry.entry_id());
  e.set_licence_number(r.licence_number());
  *e.mutable_holder() = r.holder();
  MaskParty(e.mutable_holder());
  e.set_reason(entry.reason());
  e.set_year(listing.year);
  NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
  log::Info(
      "right listed abnormal",
      {{"right_id", r.right_id()}, {"licence_number", r.licence_number()}, {"year", listing.year}});
  return true;
}

Status MiningRightsApp::OnObligationFulfilled(pqxx::work& tx, const std::string& right_id) {
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, right_id, true));
  if (!r.restoration_pending()) return Ok();
  const TimePoint now = rt_.clock().Now();
  // The cancellation that waits for the duty (UNSPECIFIED: a closure without one).
  const v1::CancellationReason waiting = r.pending_cancellation();
  NRP_ASSIGN_OR_RETURN(Transition t,
                       Apply(DomainRight(r), RestorationFulfilledCommand{}, now, config_.rules));
  Store(t.right, &r);
  *r.mutable_update_time() = ToTimestamp(now);
  NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
  if (Has(t, RightEvent::kCancelled) && waiting != v1::CANCELLATION_REASON_UNSPECIFIED) {
    NRP_RETURN_IF_ERROR(Publish(tx, RightCancelledOf(r, waiting, true, now), r.region_code()));
  }
  log::Info("restoration duty fulfilled",
            {{"right_id", r.right_id()}, {"state", v1::MiningRightState_Name(r.state())}});
  return Ok();
}

Status MiningRightsApp::OnFundEntryBooked(pqxx::work& tx, const std::string& right_id,
                                          int64_t sequence, int64_t balance_fen) {
  if (!IsUuid(right_id)) return Error::InvalidArgument("mining_right_id", "must be a UUID");
  if (sequence <= 0) return Error::InvalidArgument("entry.sequence", "must be positive");
  if (balance_fen < 0) return Error::InvalidArgument("entry.balance_after", "must not be negative");
  NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, right_id, true));
  NRP_ASSIGN_OR_RETURN(int64_t applied, store::FundEntrySequence(tx, right_id));
  if (sequence <= applied) return Ok();
  r.mutable_restoration_fund_balance()->set_fen(balance_fen);
  *r.mutable_update_time() = ToTimestamp(rt_.clock().Now());
  NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
  return store::SetFundEntrySequence(tx, right_id, sequence);
}

MiningRightsApp::Pass MiningRightsApp::RunScheduledPass() {
  Pass pass;
  const TimePoint now = rt_.clock().Now();
  const Date today = DateInChina(now);
  auto ids = db::Transact(rt_.db(),
                          [&](pqxx::work& tx) { return store::RightsDueToLapse(tx, today, 200); });
  if (!ids.ok()) {
    log::Warn("lapse query failed", {{"error", ids.error().ToString()}});
    ++pass.failures;
  } else {
    for (const auto& id : *ids) {
      auto done = db::Transact(rt_.db(), [&](pqxx::work& tx) -> Result<bool> {
        NRP_ASSIGN_OR_RETURN(v1::MiningRight r, store::GetRight(tx, id, true));
        if (r.state() != v1::MINING_RIGHT_STATE_VALID) return false;
        auto t = Apply(DomainRight(r), LapseCommand{}, now, config_.rules);
        if (!t.ok()) {
          if (t.error().reason() == "NOT_YET_LAPSED") return false;
          return std::move(t.error());
        }
        if (!Has(*t, RightEvent::kExpired)) return false;
        Store(t->right, &r);
        *r.mutable_update_time() = ToTimestamp(now);
        NRP_RETURN_IF_ERROR(store::UpdateRight(tx, r, "", IdentityKey(r.holder())));
        v1::RightExpired e;
        e.set_right_id(r.right_id());
        e.set_region_code(r.region_code());
        e.set_licence_number(r.licence_number());
        e.set_kind(r.kind());
        *e.mutable_holder() = r.holder();
        MaskParty(e.mutable_holder());
        *e.mutable_geometry() = r.geometry();
        *e.mutable_valid_to() = r.valid_to();
        *e.mutable_restoration_duty() = r.restoration_duty();
        e.set_scale_class(r.scale_class());
        NRP_RETURN_IF_ERROR(Publish(tx, e, r.region_code()));
        log::Info("right lapsed",
                  {{"right_id", r.right_id()}, {"licence_number", r.licence_number()}});
        return true;
      });
      if (!done.ok()) {
        ++pass.failures;
        log::Warn("lapse failed", {{"right_id", id}, {"error", done.error().ToString()}});
      } else if (*done) {
        ++pass.lapsed;
      }
    }
  }
  auto due =
      db::Transact(rt_.db(), [&](pqxx::work& tx) { return store::OffersDueToClose(tx, now, 200); });
  if (due.ok()) {
    for (const auto& id : *due) {
      auto closed = db::Transact(rt_.db(), [&](pqxx::work& tx) -> Result<bool> {
        NRP_ASSIGN_OR_RETURN(store::OfferRow row, store::GetOffer(tx, id, true));
        // A tender waits for the evaluation committee's choice (CloseGrantOffer).
        if (row.offer.method() == v1::GRANT_METHOD_TENDER) return false;
        NRP_RETURN_IF_ERROR(CloseOffer(tx, id, "", nullptr, 0, {}, AnyRegion));
        return true;
      });
      if (!closed.ok()) {
        ++pass.failures;
        log::Warn("closing failed", {{"offer_id", id}, {"error", closed.error().ToString()}});
      } else if (*closed) {
        ++pass.closed;
      }
    }
  }
  ListAbnormalStep(today, pass);
  return pass;
}

void MiningRightsApp::ListAbnormalStep(Date today, Pass& pass) {
  std::lock_guard<std::mutex> lock(abnormal_mu_);
  if (abnormal_done_on_ == today) return;
  // What the list must gain today; each listing in its own transaction on the right's row.
  auto changes = db::Transact(rt_.db(), [&](pqxx::work& tx) -> Result<AbnormalListChanges> {
    NRP_ASSIGN_OR_RETURN(auto rights, store::ReportingRights(tx));
    NRP_ASSIGN_OR_RETURN(auto listed, store::MissingReportListings(tx));
    return ReconcileAbnormalList(listed, rights, today, config_.first_report_year);
  });
  if (!changes.ok()) {
    log::Warn("abnormal-list query failed", {{"error", changes.error().ToString()}});
    ++pass.failures;
    return;
  }
  int failures = 0;
  for (const auto& listing : changes->to_list) {
    auto done =
        db::Transact(rt_.db(), [&](pqxx::work& tx) { return ListAbnormal(tx, listing, today); });
    if (!done.ok()) {
      ++failures;
      log::Warn("abnormal listing failed", {{"right_id", listing.right_id},
                                            {"year", listing.year},
                                            {"error", done.error().ToString()}});
    } else if (*done) {
      ++pass.listed_abnormal;
    }
  }
  pass.failures += failures;
  if (failures == 0) abnormal_done_on_ = today;
}

}  // namespace nrp::mining_rights
