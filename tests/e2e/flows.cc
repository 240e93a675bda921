#include "flows.h"

#include "nrp/core/uuid.h"

namespace nrp::e2e {

std::string Rid() { return NewUuidV4(); }

std::string Box(double lon0, double lat0, double lon1, double lat1) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "POLYGON((%.4f %.4f,%.4f %.4f,%.4f %.4f,%.4f %.4f,%.4f %.4f))",
                lon0, lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0);
  return buf;
}

cv1::Geometry Wkt(const std::string& text) {
  cv1::Geometry g;
  g.set_encoding(cv1::GEOMETRY_ENCODING_WKT);
  g.set_text(text);
  g.set_srid(4490);
  return g;
}

std::chrono::sys_days TodayInChina() {
  return std::chrono::floor<std::chrono::days>(PlatformNow() + 8h);
}

cv1::Date ProtoDate(std::chrono::sys_days d) {
  std::chrono::year_month_day ymd(d);
  cv1::Date out;
  out.set_year(static_cast<int>(ymd.year()));
  out.set_month(static_cast<int>(static_cast<unsigned>(ymd.month())));
  out.set_day(static_cast<int>(static_cast<unsigned>(ymd.day())));
  return out;
}

google::protobuf::Timestamp Ts(Clock::time_point t) {
  google::protobuf::Timestamp ts;
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  ts.set_seconds(ns / 1'000'000'000);
  ts.set_nanos(static_cast<int32_t>(ns % 1'000'000'000));
  return ts;
}

cv1::DocumentReference Doc(const std::string& title, const std::string& number,
                           const std::string& issuer) {
  cv1::DocumentReference d;
  d.set_title(title);
  d.set_number(number);
  d.set_issuer(issuer);
  return d;
}

std::string CreditCode(int n) {
  static const std::string kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  char body[32];
  std::snprintf(body, sizeof body, "91410300MA%07d", n % 10000000);
  std::string code(body, 17);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(kChars.find(code[i])) * kWeights[i];
  code += kChars[(31 - sum % 31) % 31];
  return code;
}

cv1::Party Company(const std::string& name, int n, const std::string& representative) {
  cv1::Party p;
  p.set_kind(cv1::PARTY_KIND_ORGANISATION);
  p.set_name(name);
  p.set_id_type(cv1::ID_DOCUMENT_TYPE_UNIFIED_SOCIAL_CREDIT_CODE);
  p.set_id_number(CreditCode(n));
  p.set_legal_representative(representative);
  p.set_address("河南省洛阳市洛龙区");
  return p;
}

bool Eventually(const std::function<bool()>& probe, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (probe()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(step);
  }
}

std::string Describe(const Status& st) { return st.ok() ? "OK" : st.error().ToString(); }

pv1::LayerVersion LandFlows::PublishLayer(cv1::ZoneLayerKind kind, const std::string& name,
                               const std::vector<ZoneSpec>& zones, const std::string& note,
                               std::string* layer_id) {
  if (layer_id->empty()) {
    pv1::CreateZoneLayerRequest req;
    req.set_request_id(Rid());
    req.mutable_layer()->set_kind(kind);
    req.mutable_layer()->set_region_code(region_);
    req.mutable_layer()->set_name(name);
    req.mutable_layer()->set_description("三区三线划定成果（端到端测试）");
    pv1::ZoneLayer layer;
    Status st = Call(planning_, &pv1::PlanningService::Stub::CreateZoneLayer, req, &layer);
    EXPECT_TRUE(st.ok()) << Describe(st);
    *layer_id = layer.layer_id();
  }
  pv1::CreateLayerVersionRequest vreq;
  vreq.set_request_id(Rid());
  vreq.set_layer_id(*layer_id);
  *vreq.mutable_approval() = Doc(name + "划定成果批复", "豫政文〔2026〕1号", "河南省人民政府");
  *vreq.mutable_effective_from() = ProtoDate(TodayInChina());
  vreq.set_note(note);
  pv1::LayerVersion draft;
  Status st =
      Call(planning_, &pv1::PlanningService::Stub::CreateLayerVersion, vreq, &draft);
  EXPECT_TRUE(st.ok()) << Describe(st);

  grpc::ClientContext ctx;
  ctx.set_deadline(Clock::now() + 60s);
  pv1::ImportZonesResponse imported;
  auto writer = planning_->ImportZones(&ctx, &imported);
  pv1::ImportZonesRequest chunk;
  chunk.set_request_id(Rid());
  chunk.set_layer_id(*layer_id);
  chunk.set_version(draft.version());
  for (const auto& z : zones) {
    pv1::Zone* out = chunk.add_zones();
    out->set_zone_id(z.id);
    out->set_name(z.name);
    out->set_control_level(z.level);
    *out->mutable_geometry() = Wkt(z.wkt);
    out->set_region_code(region_);
    (*out->mutable_attributes())["source"] = "e2e";
  }
  EXPECT_TRUE(writer->Write(chunk));
  writer->WritesDone();
  grpc::Status done = writer->Finish();
  EXPECT_TRUE(done.ok()) << done.error_message();
  EXPECT_EQ(imported.zones_accepted(), static_cast<int64_t>(zones.size()));
  EXPECT_EQ(imported.rejections_size(), 0);

  pv1::PublishLayerVersionRequest preq;
  preq.set_request_id(Rid());
  preq.set_layer_id(*layer_id);
  preq.set_version(draft.version());
  pv1::LayerVersion published;
  st = Call(planning_, &pv1::PlanningService::Stub::PublishLayerVersion, preq, &published);
  EXPECT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(published.state(), pv1::LAYER_VERSION_STATE_PUBLISHED);
  EXPECT_EQ(published.zone_count(), static_cast<int64_t>(zones.size()));
  return published;
}

lv1::Parcel LandFlows::CreateParcel(const std::string& code, const std::string& name,
                         const std::string& wkt) {
  lv1::CreateParcelRequest req;
  req.set_request_id(Rid());
  lv1::Parcel* p = req.mutable_parcel();
  p->set_region_code(county_);
  p->set_parcel_code(code);
  p->set_name(name);
  p->set_location("洛阳市洛龙区开元大道以南");
  *p->mutable_geometry() = Wkt(wkt);
  p->set_planned_use(lv1::LAND_USE_COMMERCIAL);
  p->set_land_use_code("05H1");
  p->set_soil_status(lv1::SOIL_POLLUTION_STATUS_CLEAN);
  *p->mutable_soil_survey() = Doc("土壤污染状况调查报告");
  p->mutable_planning_conditions()->set_plot_ratio_min(1.0);
  p->mutable_planning_conditions()->set_plot_ratio_max(3.5);
  p->mutable_planning_conditions()->set_building_density_max(0.4);
  p->mutable_planning_conditions()->set_green_ratio_min(0.3);
  p->mutable_planning_conditions()->set_building_height_max_m(80);
  lv1::Parcel out;
  Status st = Call(land_, &lv1::LandSupplyService::Stub::CreateParcel, req, &out);
  EXPECT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(out.state(), lv1::PARCEL_STATE_REGISTERED);
  return out;
}

Status LandFlows::Reserve(const std::string& parcel_id, lv1::Parcel* out) {
  lv1::ReserveParcelRequest req;
  req.set_request_id(Rid());
  req.set_parcel_id(parcel_id);
  *req.mutable_reserve_decision() =
      Doc("国有建设用地收储决定", "洛储〔2026〕8号", "洛阳市土地储备中心");
  return Call(land_, &lv1::LandSupplyService::Stub::ReserveParcel, req, out);
}

void LandFlows::Clear(const std::string& parcel_id) {
  lv1::ClearParcelRequest req;
  req.set_request_id(Rid());
  req.set_parcel_id(parcel_id);
  *req.mutable_evidence() = Doc("净地证明（补偿安置完成、地上物已拆除）");
  lv1::Parcel out;
  Status st = Call(land_, &lv1::LandSupplyService::Stub::ClearParcel, req, &out);
  EXPECT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(out.state(), lv1::PARCEL_STATE_READY);
}

lv1::SupplyOffer LandFlows::DraftListing(const lv1::Parcel& parcel, Clock::time_point start,
                              Clock::time_point end) {
  lv1::CreateOfferRequest req;
  req.set_request_id(Rid());
  lv1::SupplyOffer* o = req.mutable_offer();
  o->set_region_code(region_);
  o->set_parcel_id(parcel.parcel_id());
  o->set_method(lv1::SUPPLY_METHOD_LISTING);
  o->set_land_use(lv1::LAND_USE_COMMERCIAL);
  o->set_term_years(40);
  o->mutable_starting_price()->set_fen(kStartingFen);
  o->mutable_reserve_price()->set_fen(kReserveFen);
  o->mutable_bid_increment()->set_fen(kIncrementFen);
  o->mutable_deposit()->set_fen(kDepositFen);
  o->set_intending_users(2);
  o->set_special_conditions("投资强度不低于 450 万元/亩");
  *o->mutable_bidding_start() = Ts(start);
  *o->mutable_bidding_end() = Ts(end);
  lv1::SupplyOffer out;
  Status st = Call(land_, &lv1::LandSupplyService::Stub::CreateOffer, req, &out);
  EXPECT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(out.state(), lv1::OFFER_STATE_DRAFT);
  return out;
}

Status LandFlows::PublishOffer(const std::string& offer_id, lv1::SupplyOffer* out) {
  lv1::PublishOfferRequest req;
  req.set_request_id(Rid());
  req.set_offer_id(offer_id);
  *req.mutable_notice() = Doc("洛阳市国有建设用地使用权挂牌出让公告", "洛自然资告字〔2026〕21号",
                              "洛阳市自然资源和规划局");
  return Call(land_, &lv1::LandSupplyService::Stub::PublishOffer, req, out);
}

lv1::SupplyOffer LandFlows::GetOffer(const std::string& offer_id) {
  lv1::GetOfferRequest req;
  req.set_offer_id(offer_id);
  lv1::SupplyOffer out;
  Status st = Call(land_, &lv1::LandSupplyService::Stub::GetOffer, req, &out);
  EXPECT_TRUE(st.ok()) << Describe(st);
  return out;
}

Status LandFlows::Bid(const std::string& offer_id, const std::string& number, int64_t fen) {
  lv1::PlaceBidRequest req;
  req.set_request_id(Rid());
  req.set_offer_id(offer_id);
  req.set_bidder_number(number);
  req.mutable_amount()->set_fen(fen);
  lv1::Bid out;
  return Call(land_, &lv1::LandSupplyService::Stub::PlaceBid, req, &out);
}

Status LandFlows::Pay(const std::string& contract_id, lv1::PaymentKind kind, int64_t fen) {
  lv1::RecordPaymentRequest req;
  req.set_request_id(Rid());
  lv1::Payment* p = req.mutable_payment();
  p->set_contract_id(contract_id);
  p->set_kind(kind);
  p->mutable_amount()->set_fen(fen);
  *p->mutable_paid_on() = ProtoDate(TodayInChina());
  *p->mutable_receipt() = Doc("非税收入缴款凭证");
  lv1::Payment out;
  return Call(land_, &lv1::LandSupplyService::Stub::RecordPayment, req, &out);
}

pv1::Indicator LandFlows::GetIndicator(const std::string& id) {
  pv1::GetIndicatorRequest req;
  req.set_indicator_id(id);
  pv1::Indicator out;
  Status st = Call(planning_, &pv1::PlanningService::Stub::GetIndicator, req, &out);
  EXPECT_TRUE(st.ok()) << Describe(st);
  return out;
}


}  // namespace nrp::e2e
