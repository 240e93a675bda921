// Restoration through gRPC against the real PostgreSQL+PostGIS, Redis and the development
// broker: mining rights' events (as mining rights publishes them, through the broker) open the
// fund accounts and the obligations, once each under redelivery; the fund's ledger; a holder's
// project from the project library to acceptance, its yields checked against planning's
// cultivated-land layer (from planning's events); and the refusals a caller sees.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <pqxx/pqxx>

#include "nrp/core/uuid.h"
#include "nrp/db/migrations.h"
#include "nrp/events/topics.h"
#include "nrp/mining_rights/v1/events.pb.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/restoration/v1/events.pb.h"
#include "nrp/rpc/client.h"
#include "nrp/rpc/errors.h"
#include "nrp/service/wire_time.h"
#include "nrp/testing/calendar_folder.h"
#include "nrp/testing/infra.h"
#include "nrp/testing/service_kit.h"
#include "nrp/zones/replica.h"
#include "beside_services.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/planning/v1/planning.grpc.pb.h"
#include "wiring.h"

namespace nrp::restoration {
namespace {

namespace cpb = ::nrp::common::v1;
namespace mr = ::nrp::mining_rights::v1;
using Stub = v1::RestorationService::Stub;
using service::ToTimestamp;

constexpr char kTokens[] = R"({
  "henan-restorer-0123456789abcdef": {"agency": "henan-nrd",
      "scopes": ["restoration.read", "restoration.write", "restoration.pii"],
      "regions": ["41"]},
  "henan-reader-0123456789abcdef": {"agency": "henan-portal",
      "scopes": ["restoration.read"], "regions": ["41"]},
  "shanxi-restorer-0123456789abcdef": {"agency": "shanxi-nrd",
      "scopes": ["restoration.read", "restoration.write"], "regions": ["14"]}
})";
constexpr char kWriter[] = "henan-restorer-0123456789abcdef";
constexpr char kReader[] = "henan-reader-0123456789abcdef";
constexpr char kShanxi[] = "shanxi-restorer-0123456789abcdef";
constexpr char kYanshi[] = "410307";  // 偃师区

TimePoint At(int y, unsigned m, unsigned d, int hour = 10) {
  return TimePoint(std::chrono::sys_days(Date(y, m, d).sys_days())) + std::chrono::hours(hour - 8);
}

std::string Box(double lon0, double lat0, double lon1, double lat1) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "POLYGON((%.6f %.6f,%.6f %.6f,%.6f %.6f,%.6f %.6f,%.6f %.6f))",
                lon0, lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0);
  return buf;
}

cpb::Geometry Wkt(const std::string& wkt) {
  cpb::Geometry g;
  g.set_encoding(cpb::GEOMETRY_ENCODING_WKT);
  g.set_text(wkt);
  g.set_srid(4490);
  return g;
}

cpb::Party Company(const std::string& name, const std::string& code) {
  cpb::Party p;
  p.set_kind(cpb::PARTY_KIND_ORGANISATION);
  p.set_name(name);
  p.set_id_type(cpb::ID_DOCUMENT_TYPE_UNIFIED_SOCIAL_CREDIT_CODE);
  p.set_id_number(code);
  return p;
}

cpb::Date D(const Date& d) { return service::ToProtoDate(d); }

cpb::DocumentReference Doc(const std::string& title) {
  cpb::DocumentReference d;
  d.set_title(title);
  return d;
}

cpb::Money Fen(int64_t fen) {
  cpb::Money m;
  m.set_fen(fen);
  return m;
}

cpb::Area M2(double v) {
  cpb::Area a;
  a.set_square_metres(v);
  return a;
}

// The mine's block: 112.70–112.71 E × 34.60–34.61 N (about 101 ha). Inside it, a field that
// was never cultivated (west half) and one that is in the cultivated-land layer (east half).
const std::string kBlock = Box(112.70, 34.60, 112.71, 34.61);
const std::string kWestHalf = Box(112.70, 34.60, 112.705, 34.61);
const std::string kEastHalf = Box(112.705, 34.60, 112.71, 34.61);

class RestorationIT : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<nrp::testing::TestDatabase>("rs");
    prefix_ = nrp::testing::NewTopicPrefix();
    auto o = nrp::testing::TestRuntimeOptions({.service = "restoration",
                                               .conninfo = db_->conninfo(),
                                               .topic_prefix = prefix_,
                                               .tokens_json = kTokens,
                                               .calendar_dir = calendar_.dir().string()});
    rt_ = std::make_unique<service::Runtime>(std::move(o), clock_);
    auto init = rt_->Init(Migrations());
    ASSERT_TRUE(init.ok()) << init.error().ToString();
    svc_ = std::make_unique<RestorationService>(*rt_, RestorationConfig{});
    ASSERT_TRUE(svc_->Wire().ok());
    auto started = rt_->Start();
    ASSERT_TRUE(started.ok()) << started.error().ToString();
    rpc::ChannelOptions channel;
    channel.target = rt_->target();
    stub_ = v1::RestorationService::NewStub(rpc::MakeChannel(channel));
  }
  void TearDown() override {
    stub_.reset();
    if (rt_) rt_->Stop();
    svc_.reset();
    rt_.reset();
    db_.reset();
  }

  template <class Req, class Resp>
  Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*), const Req& req,
              Resp* resp, const std::string& token = kWriter) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    ctx.AddMetadata("authorization", "Bearer " + token);
    return rpc::FromGrpcStatus(((*stub_).*method)(&ctx, req, resp));
  }

  std::string Scalar(const std::string& sql) {
    pqxx::connection c(db_->conninfo());
    pqxx::nontransaction tx(c);
    auto r = tx.exec(sql);
    return r[0][0].is_null() ? "" : r[0][0].c_str();
  }

  bool WaitUntil(const std::string& sql, const std::string& value) {
    return nrp::testing::WaitFor([&] { return Scalar(sql) == value; }, std::chrono::seconds(60),
                                 std::chrono::milliseconds(50));
  }

  // Planning's cultivated-land layer (耕地) as planning publishes it: the east half of the block.
  void PublishCultivatedLayer() {
    nrp::planning::v1::ZonePublished ev;
    ev.set_layer_id("ly-gd");
    ev.set_region_code("410300");
    ev.set_layer_kind(cpb::ZONE_LAYER_KIND_CULTIVATED_LAND);
    ev.set_layer_version(1);
    ev.set_zone_id("gd-1");
    ev.set_name("gd-1");
    ev.set_control_level(static_cast<cpb::ZoneControlLevel>(1));
    *ev.mutable_geometry() = Wkt(kEastHalf);
    ev.set_zone_region_code("410300");
    ev.set_change(nrp::planning::v1::ZONE_CHANGE_ADDED);
    ev.set_zone_digest(zones::ZoneDigest(ev));
    ev.set_sequence(1);
    ASSERT_TRUE(producer_.Produce(ev, "410300", prefix_, clock_).ok());
    nrp::planning::v1::LayerVersionPublished m;
    m.set_layer_id("ly-gd");
    m.set_region_code("410300");
    m.set_layer_kind(cpb::ZONE_LAYER_KIND_CULTIVATED_LAND);
    m.set_version(1);
    m.set_zone_count(1);
    m.set_checksum(db::Sha256Hex("gd-1:" + ev.zone_digest() + "\n"));
    *m.mutable_published_at() = ToTimestamp(clock_.Now());
    ASSERT_TRUE(producer_.Produce(m, "410300", prefix_, clock_).ok());
    ASSERT_TRUE(WaitUntil(
        "SELECT count(*) FROM zone_replica_layers WHERE layer_id = 'ly-gd' AND current_version > 0",
        "1"));
  }

  // A right as mining rights registers it (RightGranted), through the broker.
  mr::MiningRight GrantRight(const std::string& licence) {
    mr::MiningRight r;
    r.set_right_id(NewUuidV4());
    r.set_region_code(kYanshi);
    r.set_licence_number(licence);
    r.set_kind(mr::MINING_RIGHT_KIND_MINING);
    r.set_state(mr::MINING_RIGHT_STATE_VALID);
    *r.mutable_holder() = Company("偃师某石料有限公司", "91410381MA********");
    *r.mutable_geometry() = Wkt(kBlock);
    r.mutable_restoration_duty()->set_fund_account("RF-" + licence);
    *r.mutable_restoration_duty()->mutable_estimated_cost() = Fen(500'000'000);
    *r.mutable_restoration_duty()->mutable_damaged_area() = M2(600'000);
    mr::RightGranted ev;
    ev.set_right_id(r.right_id());
    ev.set_region_code(kYanshi);
    *ev.mutable_right() = r;
    EXPECT_TRUE(producer_.Produce(ev, kYanshi, prefix_, clock_).ok());
    EXPECT_TRUE(WaitUntil("SELECT count(*) FROM fund_accounts WHERE account_id = 'RF-" + licence +
                              "'",
                          "1"));
    return r;
  }

  mr::MineClosed Closure(const mr::MiningRight& r, bool fulfilled) {
    mr::MineClosed ev;
    ev.set_right_id(r.right_id());
    ev.set_region_code(r.region_code());
    ev.set_licence_number(r.licence_number());
    *ev.mutable_holder() = r.holder();
    ev.set_project_name("偃师某石料矿");
    *ev.mutable_geometry() = r.geometry();
    *ev.mutable_closed_on() = D(ChinaCivilDate(clock_.Now()));
    ev.set_restoration_duty_fulfilled(fulfilled);
    *ev.mutable_restoration_duty() = r.restoration_duty();
    return ev;
  }

  Result<v1::FundEntry> DepositFen(const std::string& account, int64_t fen) {
    v1::DepositToFundRequest req;
    req.set_request_id(NewUuidV4());
    req.set_account_id(account);
    *req.mutable_amount() = Fen(fen);
    *req.mutable_booked_on() = D(ChinaCivilDate(clock_.Now()));
    *req.mutable_receipt() = Doc("缴存凭证");
    v1::FundEntry out;
    NRP_RETURN_IF_ERROR(Call(&Stub::DepositToFund, req, &out));
    return out;
  }

  Result<v1::FundEntry> WithdrawFen(const std::string& account, const std::string& project,
                                    int64_t fen) {
    v1::WithdrawFromFundRequest req;
    req.set_request_id(NewUuidV4());
    req.set_account_id(account);
    req.set_project_id(project);
    *req.mutable_amount() = Fen(fen);
    *req.mutable_booked_on() = D(ChinaCivilDate(clock_.Now()));
    *req.mutable_voucher() = Doc("支付凭证");
    v1::FundEntry out;
    NRP_RETURN_IF_ERROR(Call(&Stub::WithdrawFromFund, req, &out));
    return out;
  }

  v1::Project HolderProject(const mr::MiningRight& r) {
    v1::Project p;
    p.set_region_code(kYanshi);
    p.set_name("偃师某石料矿闭坑生态修复项目");
    p.set_kind(v1::PROJECT_KIND_MINE_HOLDER_RESTORATION);
    *p.mutable_geometry() = Wkt(kBlock);
    *p.mutable_planned_area() = M2(900'000);
    *p.mutable_planned_new_cultivated_area() = M2(400'000);
    p.add_measures(v1::RESTORATION_MEASURE_LANDFORM_RESHAPING);
    p.add_measures(v1::RESTORATION_MEASURE_SOIL_RECONSTRUCTION);
    p.set_responsibility(v1::RESPONSIBILITY_MINE_HOLDER);
    *p.mutable_responsible_party() = r.holder();
    p.set_mining_right_id(r.right_id());
    return p;
  }

  Result<v1::Project> Propose(const v1::Project& p, const std::string& token = kWriter) {
    v1::ProposeProjectRequest req;
    req.set_request_id(NewUuidV4());
    *req.mutable_project() = p;
    v1::Project out;
    NRP_RETURN_IF_ERROR(Call(&Stub::ProposeProject, req, &out, token));
    return out;
  }

  Result<v1::Project> Approve(const std::string& id, int64_t budget) {
    v1::ApproveProjectRequest req;
    req.set_request_id(NewUuidV4());
    req.set_project_id(id);
    *req.mutable_budget() = Fen(budget);
    *req.mutable_approval() = Doc("偃发改〔2027〕1号");
    v1::Project out;
    NRP_RETURN_IF_ERROR(Call(&Stub::ApproveProject, req, &out));
    return out;
  }

  Result<v1::Project> Assess(const std::string& id) {
    v1::AssessProjectRiskRequest req;
    req.set_request_id(NewUuidV4());
    req.set_project_id(id);
    req.mutable_assessment()->set_level(v1::RISK_LEVEL_MEDIUM);
    req.mutable_assessment()->set_summary("高陡边坡：削坡减载、分级放坡");
    *req.mutable_assessment()->mutable_report() = Doc("风险评估报告");
    v1::Project out;
    NRP_RETURN_IF_ERROR(Call(&Stub::AssessProjectRisk, req, &out));
    return out;
  }

  Result<v1::Project> Start(const std::string& id) {
    v1::StartProjectRequest req;
    req.set_request_id(NewUuidV4());
    req.set_project_id(id);
    *req.mutable_started_on() = D(ChinaCivilDate(clock_.Now()));
    v1::Project out;
    NRP_RETURN_IF_ERROR(Call(&Stub::StartProject, req, &out));
    return out;
  }

  Result<v1::ProgressReport> Progress(const std::string& id, double percent, double m2) {
    v1::ReportProgressRequest req;
    req.set_request_id(NewUuidV4());
    req.mutable_report()->set_project_id(id);
    *req.mutable_report()->mutable_reported_on() = D(ChinaCivilDate(clock_.Now()));
    req.mutable_report()->set_percent_complete(percent);
    *req.mutable_report()->mutable_restored_area_to_date() = M2(m2);
    req.mutable_report()->set_description("削坡、覆土");
    v1::ProgressReport out;
    NRP_RETURN_IF_ERROR(Call(&Stub::ReportProgress, req, &out));
    return out;
  }

  Result<v1::Project> Complete(const std::string& id) {
    v1::CompleteProjectRequest req;
    req.set_request_id(NewUuidV4());
    req.set_project_id(id);
    *req.mutable_completed_on() = D(ChinaCivilDate(clock_.Now()));
    *req.mutable_report() = Doc("竣工报告");
    v1::Project out;
    NRP_RETURN_IF_ERROR(Call(&Stub::CompleteProject, req, &out));
    return out;
  }

  // A passed acceptance: 90 ha restored (60 ha cultivated, 30 ha forest), the new cultivated
  // land drawn as `new_land` with `new_m2`, and 5 ha of reclaimed construction land.
  v1::AcceptanceResult Passed(const std::string& new_land, double new_m2) {
    v1::AcceptanceResult a;
    a.set_outcome(v1::ACCEPTANCE_OUTCOME_PASSED);
    *a.mutable_accepted_on() = D(ChinaCivilDate(clock_.Now()));
    *a.mutable_total_restored_area() = M2(900'000);
    auto* c = a.add_restored_areas();
    c->set_kind(v1::RESTORED_LAND_KIND_CULTIVATED);
    *c->mutable_area() = M2(600'000);
    auto* f = a.add_restored_areas();
    f->set_kind(v1::RESTORED_LAND_KIND_FOREST);
    *f->mutable_area() = M2(300'000);
    auto* n = a.mutable_new_cultivated_land();
    *n->mutable_area() = M2(new_m2);
    n->set_quality_grade(5);
    *n->mutable_paddy_area() = M2(0);
    *n->mutable_geometry() = Wkt(new_land);
    a.set_accepted_by("洛阳市自然资源和规划局");
    *a.mutable_report() = Doc("验收报告");
    return a;
  }

  Status Accept(const std::string& id, const v1::AcceptanceResult& result, v1::Project* out) {
    v1::RecordAcceptanceRequest req;
    req.set_request_id(NewUuidV4());
    req.set_project_id(id);
    *req.mutable_result() = result;
    return Call(&Stub::RecordAcceptance, req, out);
  }

  double AreaOf(const std::string& wkt) {
    return std::stod(Scalar("SELECT ST_Area(geography(ST_GeomFromText('" + wkt + "', 4490)))"));
  }

  ManualClock clock_{At(2027, 3, 1)};
  nrp::testing::CalendarFolder calendar_;
  std::unique_ptr<nrp::testing::TestDatabase> db_;
  std::string prefix_;
  std::unique_ptr<service::Runtime> rt_;
  std::unique_ptr<RestorationService> svc_;
  std::unique_ptr<Stub> stub_;
  nrp::testing::EventProducer producer_;
};

void ExpectRefused(const Status& s, Code code, const std::string& reason_or_field,
                   const std::string& in_message = "") {
  ASSERT_FALSE(s.ok()) << "expected a refusal naming " << reason_or_field;
  EXPECT_EQ(s.error().code(), code) << s.error().ToString();
  // The reason (FAILED_PRECONDITION) or the field (INVALID_ARGUMENT) as the caller reads it
  // from the status details, or the message.
  std::string seen = s.error().ToString() + " reason=" + s.error().reason();
  for (const auto& v : s.error().rule_violations()) seen += " rule=" + v.type;
  for (const auto& f : s.error().field_violations()) seen += " field=" + f.field;
  EXPECT_NE(seen.find(reason_or_field), std::string::npos) << seen;
  if (!in_message.empty()) {
    EXPECT_NE(s.error().ToString().find(in_message), std::string::npos) << s.error().ToString();
  }
}

template <class T>
void ExpectRefused(const Result<T>& r, Code code, const std::string& reason_or_field,
                   const std::string& in_message = "") {
  ExpectRefused(r.ok() ? Status(Ok()) : Status(r.error()), code, reason_or_field, in_message);
}

// The event of a closure delivered twice (the same ce_id, as a redelivery after a crash is),
// then the right's cancellation: one obligation, opened once, with one ObligationOpened.
TEST_F(RestorationIT, AnObligationIsOpenedOnceFromARedeliveredMiningEvent) {
  const auto right = GrantRight("C4103072027017130000001");
  // Redelivering the registration opens no second account.
  EXPECT_EQ(Scalar("SELECT count(*) FROM fund_accounts"), "1");
  const auto closed = Closure(right, /*fulfilled=*/false);
  ASSERT_TRUE(producer_.Produce(closed, kYanshi, prefix_, clock_).ok());
  ASSERT_TRUE(WaitUntil("SELECT count(*) FROM obligations", "1"));
  // The same envelope again, read back from the topic.
  const std::string reader_topic = prefix_ + std::string(events::kMiningRightsTopic);
  nrp::testing::TopicReader reader(reader_topic, prefix_ + "redeliver");
  const auto& seen = reader.ReadUntil([](const std::vector<events::CloudEvent>& es) {
    for (const auto& e : es) {
      if (e.type == "nrp.mining_rights.mine_closed.v1") return true;
    }
    return false;
  });
  events::CloudEvent again;
  for (const auto& e : seen) {
    if (e.type == "nrp.mining_rights.mine_closed.v1") again = e;
  }
  ASSERT_FALSE(again.id.empty());
  const int64_t duplicates = rt_->consumer()->stats().duplicates;
  ASSERT_TRUE(producer_.Produce(reader_topic, again).ok());
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] { return rt_->consumer()->stats().duplicates > duplicates; }, std::chrono::seconds(60),
      std::chrono::milliseconds(50)))
      << "the redelivered closure reached the consumer";
  // And a cancellation of the same right with the duty unfulfilled.
  mr::RightCancelled cancelled;
  cancelled.set_right_id(right.right_id());
  cancelled.set_region_code(kYanshi);
  cancelled.set_licence_number(right.licence_number());
  *cancelled.mutable_holder() = right.holder();
  *cancelled.mutable_geometry() = right.geometry();
  cancelled.set_restoration_duty_fulfilled(false);
  *cancelled.mutable_restoration_duty() = right.restoration_duty();
  *cancelled.mutable_cancelled_at() = ToTimestamp(clock_.Now());
  ASSERT_TRUE(producer_.Produce(cancelled, kYanshi, prefix_, clock_).ok());
  ASSERT_TRUE(WaitUntil("SELECT state FROM mining_rights WHERE right_id = '" + right.right_id() +
                            "'",
                        "4"));
  EXPECT_EQ(Scalar("SELECT count(*) FROM obligations"), "1");
  const auto opened = nrp::testing::OutboxMessages<v1::ObligationOpened>(
      db_->conninfo(), "nrp.restoration.obligation_opened.v1");
  ASSERT_EQ(opened.size(), 1u);
  const auto& o = opened[0].obligation();
  EXPECT_EQ(o.mining_right_id(), right.right_id());
  EXPECT_EQ(o.origin(), v1::OBLIGATION_ORIGIN_MINE_CLOSURE);
  EXPECT_EQ(o.state(), v1::OBLIGATION_STATE_DUE);
  EXPECT_EQ(o.fund_account(), "RF-" + right.licence_number());
  EXPECT_EQ(o.source_event_id(), again.id);
  EXPECT_EQ(o.due_date().year(), 2028) << "365 days after 2027-03-01";
  EXPECT_EQ(o.holder().id_number().find("91410381MA"), std::string::npos)
      << "the public event masks the holder's code: " << o.holder().id_number();
  // A closure with the duty fulfilled opens none.
  const auto other = GrantRight("C4103072027017130000002");
  ASSERT_TRUE(producer_.Produce(Closure(other, true), kYanshi, prefix_, clock_).ok());
  ASSERT_TRUE(WaitUntil("SELECT state FROM mining_rights WHERE right_id = '" + other.right_id() +
                            "'",
                        "2"));
  EXPECT_EQ(Scalar("SELECT count(*) FROM obligations"), "1");
  // By hand, a second open obligation of the first right is refused.
  v1::CreateObligationRequest req;
  req.set_request_id(NewUuidV4());
  req.mutable_obligation()->set_region_code(kYanshi);
  req.mutable_obligation()->set_mining_right_id(right.right_id());
  *req.mutable_obligation()->mutable_holder() = right.holder();
  req.mutable_obligation()->set_origin(v1::OBLIGATION_ORIGIN_ENFORCEMENT_ORDER);
  *req.mutable_obligation()->mutable_due_date() = D(Date(2028, 6, 30));
  *req.mutable_obligation()->mutable_basis() = Doc("责令限期治理通知书");
  v1::Obligation out;
  ExpectRefused(Call(&Stub::CreateObligation, req, &out), Code::kFailedPrecondition,
                "OBLIGATION_OPEN");
}

// The fund's ledger: deposits, a withdrawal within the balance for the holder's project, one
// beyond it refused, one for a project of another right refused; the balance never negative.
TEST_F(RestorationIT, TheFundIsNeverDrawnBeyondItsBalanceNorForAnotherRight) {
  const auto right = GrantRight("C4103072027017130000003");
  const std::string account = "RF-" + right.licence_number();
  ExpectRefused(DepositFen(account, 0), Code::kInvalidArgument, "amount");
  ExpectRefused(DepositFen("RF-none", 100), Code::kNotFound, "RF-none");
  auto d1 = DepositFen(account, 200'000'000);
  ASSERT_TRUE(d1.ok()) << d1.error().ToString();
  auto d2 = DepositFen(account, 100'000'000);
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->sequence(), 2);
  EXPECT_EQ(d2->balance_after().fen(), 300'000'000);

  auto p = Propose(HolderProject(right));
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  // Not before the project is approved.
  ExpectRefused(WithdrawFen(account, p->project_id(), 1), Code::kFailedPrecondition,
                "PROJECT_STATE");
  ASSERT_TRUE(Approve(p->project_id(), 400'000'000).ok());
  ExpectRefused(WithdrawFen(account, p->project_id(), 300'000'001),
                Code::kFailedPrecondition, "FUND_INSUFFICIENT", "3,000,000.00 元");
  auto w = WithdrawFen(account, p->project_id(), 300'000'000);
  ASSERT_TRUE(w.ok()) << w.error().ToString();
  EXPECT_EQ(w->balance_after().fen(), 0);
  EXPECT_EQ(w->project_id(), p->project_id());
  ExpectRefused(WithdrawFen(account, p->project_id(), 1), Code::kFailedPrecondition,
                "FUND_INSUFFICIENT");
  // The withdrawal is the project's funding from the holder's fund.
  v1::GetProjectRequest get;
  get.set_project_id(p->project_id());
  v1::Project now;
  ASSERT_TRUE(Call(&Stub::GetProject, get, &now).ok());
  ASSERT_EQ(now.funding_size(), 1);
  EXPECT_EQ(now.funding(0).source(), v1::FUNDING_SOURCE_HOLDER_FUND);
  EXPECT_EQ(now.funded().fen(), 300'000'000);
  EXPECT_EQ(now.state(), v1::PROJECT_STATE_APPROVED) << "300 万 of a 400 万 budget";
  // Another right's fund is not drawn for this project.
  const auto other = GrantRight("C4103072027017130000004");
  ASSERT_TRUE(DepositFen("RF-" + other.licence_number(), 50'000'000).ok());
  ExpectRefused(WithdrawFen("RF-" + other.licence_number(), p->project_id(), 1),
                Code::kFailedPrecondition, "PROJECT_NOT_OF_THIS_RIGHT");
  // The ledger as a caller reads it, and the account.
  v1::ListFundEntriesRequest list;
  list.set_filter("account_id = \"" + account + "\"");
  v1::ListFundEntriesResponse entries;
  ASSERT_TRUE(Call(&Stub::ListFundEntries, list, &entries).ok());
  ASSERT_EQ(entries.entries_size(), 3);
  EXPECT_EQ(entries.entries(2).kind(), v1::FUND_ENTRY_KIND_WITHDRAWAL);
  v1::GetFundAccountRequest ga;
  ga.set_mining_right_id(right.right_id());
  v1::FundAccount a;
  ASSERT_TRUE(Call(&Stub::GetFundAccount, ga, &a, kReader).ok());
  EXPECT_EQ(a.balance().fen(), 0);
  EXPECT_EQ(a.deposited_total().fen(), 300'000'000);
  EXPECT_EQ(a.withdrawn_total().fen(), 300'000'000);
  EXPECT_EQ(a.holder().id_number().find("91410381MA"), std::string::npos)
      << "without the PII scope: " << a.holder().id_number();
  EXPECT_EQ(Scalar("SELECT min(balance_after_fen) >= 0 FROM fund_entries"), "t");
  // Every entry is an event mining rights can show the balance from.
  EXPECT_EQ(nrp::testing::OutboxPayloads(db_->conninfo(), "nrp.restoration.fund_entry_booked.v1")
                .size(),
            4u);
  // Another province's agency may not pay into a Henan fund.
  v1::DepositToFundRequest foreign;
  foreign.set_request_id(NewUuidV4());
  foreign.set_account_id(account);
  *foreign.mutable_amount() = Fen(1);
  *foreign.mutable_booked_on() = D(ChinaCivilDate(clock_.Now()));
  *foreign.mutable_receipt() = Doc("缴存凭证");
  v1::FundEntry fe;
  ExpectRefused(Call(&Stub::DepositToFund, foreign, &fe, kShanxi), Code::kPermissionDenied,
                "410307");
}

// The whole flow of a holder's project on the obligation its closed mine left: the refusals
// along it, a failed acceptance, fake new cultivated land refused for the part already in
// the cultivated-land layer, then the acceptance with its yields and the obligation fulfilled.
TEST_F(RestorationIT, AHoldersProjectFromTheLibraryToAcceptanceFulfilsTheObligation) {
  PublishCultivatedLayer();
  const auto right = GrantRight("C4103072027017130000005");
  const std::string account = "RF-" + right.licence_number();
  ASSERT_TRUE(producer_.Produce(Closure(right, false), kYanshi, prefix_, clock_).ok());
  ASSERT_TRUE(WaitUntil("SELECT count(*) FROM obligations", "1"));
  const std::string obligation_id = Scalar("SELECT obligation_id::text FROM obligations");
  ASSERT_TRUE(DepositFen(account, 500'000'000).ok());

  // Who answers for a project: the holder, on its own right.
  auto wrong = HolderProject(right);
  wrong.mutable_responsible_party()->set_name("别的公司");
  ExpectRefused(Propose(wrong), Code::kInvalidArgument, "project.responsible_party");
  auto legacy = HolderProject(right);
  legacy.set_kind(v1::PROJECT_KIND_HISTORICAL_MINE_SITE);
  ExpectRefused(Propose(legacy), Code::kInvalidArgument, "project.responsibility");
  auto unknown = HolderProject(right);
  unknown.set_mining_right_id(NewUuidV4());
  ExpectRefused(Propose(unknown), Code::kFailedPrecondition, "RIGHT_UNKNOWN");
  auto bad_geometry = HolderProject(right);
  *bad_geometry.mutable_geometry() = Wkt("POLYGON((112.70 34.60,112.71 34.61,112.70 34.61))");
  ExpectRefused(Propose(bad_geometry), Code::kInvalidArgument, "project.geometry");
  auto too_large = HolderProject(right);
  *too_large.mutable_planned_area() = M2(5'000'000);
  ExpectRefused(Propose(too_large), Code::kInvalidArgument, "project.planned_area");
  ExpectRefused(Propose(HolderProject(right), kShanxi), Code::kPermissionDenied,
                "410307");

  auto p = Propose(HolderProject(right));
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->state(), v1::PROJECT_STATE_PROPOSED);
  // A retried proposal gets the first answer.
  {
    v1::ProposeProjectRequest req;
    req.set_request_id(NewUuidV4());
    *req.mutable_project() = HolderProject(right);
    v1::Project first, second;
    ASSERT_TRUE(Call(&Stub::ProposeProject, req, &first).ok());
    ASSERT_TRUE(Call(&Stub::ProposeProject, req, &second).ok());
    EXPECT_EQ(first.project_id(), second.project_id());
    v1::CancelProjectRequest cancel;
    cancel.set_request_id(NewUuidV4());
    cancel.set_project_id(first.project_id());
    cancel.set_reason("重复入库");
    v1::Project c;
    ASSERT_TRUE(Call(&Stub::CancelProject, cancel, &c).ok());
    EXPECT_EQ(c.state(), v1::PROJECT_STATE_CANCELLED);
  }
  // Out of order: starting a proposed project.
  ExpectRefused(Start(p->project_id()), Code::kFailedPrecondition, "PROJECT_STATE",
                "is PROPOSED");
  auto approved = Approve(p->project_id(), 500'000'000);
  ASSERT_TRUE(approved.ok()) << approved.error().ToString();
  EXPECT_EQ(approved->project_number().rfind("XF410307-2027-", 0), 0u) << approved->project_number();

  // The obligation taken on by the holder's project.
  v1::AssignObligationProjectRequest assign;
  assign.set_request_id(NewUuidV4());
  assign.set_obligation_id(obligation_id);
  assign.set_project_id(p->project_id());
  v1::Obligation assigned;
  ASSERT_TRUE(Call(&Stub::AssignObligationProject, assign, &assigned).ok());
  EXPECT_EQ(assigned.state(), v1::OBLIGATION_STATE_IN_PROGRESS);

  // Funding: beyond the budget refused; the holder's fund through WithdrawFromFund only.
  v1::RecordFundingRequest fund;
  fund.set_request_id(NewUuidV4());
  fund.set_project_id(p->project_id());
  fund.mutable_funding()->set_source(v1::FUNDING_SOURCE_HOLDER_FUND);
  *fund.mutable_funding()->mutable_amount() = Fen(1);
  *fund.mutable_funding()->mutable_document() = Doc("资金");
  v1::Project funded;
  ExpectRefused(Call(&Stub::RecordFunding, fund, &funded), Code::kInvalidArgument,
                "funding.source");
  ExpectRefused(WithdrawFen(account, p->project_id(), 500'000'001),
                Code::kFailedPrecondition, "FUND_INSUFFICIENT");
  auto w = WithdrawFen(account, p->project_id(), 500'000'000);
  ASSERT_TRUE(w.ok()) << w.error().ToString();
  EXPECT_EQ(w->obligation_id(), obligation_id);
  fund.set_request_id(NewUuidV4());
  fund.mutable_funding()->set_source(v1::FUNDING_SOURCE_LOCAL_FISCAL);
  ExpectRefused(Call(&Stub::RecordFunding, fund, &funded), Code::kFailedPrecondition,
                "FUNDING_EXCEEDS_BUDGET");

  // Risk assessment before works (Kaifeng).
  ExpectRefused(Start(p->project_id()), Code::kFailedPrecondition, "RISK_NOT_ASSESSED");
  ASSERT_TRUE(Assess(p->project_id()).ok());
  clock_.Set(At(2027, 3, 15));
  auto started = Start(p->project_id());
  ASSERT_TRUE(started.ok()) << started.error().ToString();
  EXPECT_EQ(started->state(), v1::PROJECT_STATE_IN_PROGRESS);
  // Supervision before completion.
  ExpectRefused(Complete(p->project_id()), Code::kFailedPrecondition, "NOT_SUPERVISED");
  clock_.Set(At(2027, 9, 1));
  ASSERT_TRUE(Progress(p->project_id(), 40, 300'000).ok());
  ExpectRefused(Progress(p->project_id(), 30, 350'000), Code::kInvalidArgument,
                "report.percent_complete");
  clock_.Set(At(2027, 12, 31, 23));
  ASSERT_TRUE(Progress(p->project_id(), 100, 900'000).ok());
  // Across the year end: completed on the first working days of 2028.
  clock_.Set(At(2028, 1, 2));
  ASSERT_TRUE(Complete(p->project_id()).ok());

  // A failed acceptance, rectified and completed again.
  v1::AcceptanceResult failed;
  failed.set_outcome(v1::ACCEPTANCE_OUTCOME_FAILED);
  *failed.mutable_accepted_on() = D(ChinaCivilDate(clock_.Now()));
  failed.set_accepted_by("洛阳市自然资源和规划局");
  *failed.mutable_report() = Doc("验收意见");
  v1::Project after;
  ExpectRefused(Accept(p->project_id(), failed, &after), Code::kInvalidArgument,
                "result.failure_reasons");
  failed.add_failure_reasons("覆土厚度不足 30 cm");
  ASSERT_TRUE(Accept(p->project_id(), failed, &after).ok());
  EXPECT_EQ(after.state(), v1::PROJECT_STATE_ACCEPTANCE_FAILED);
  clock_.Set(At(2028, 3, 1));
  ASSERT_TRUE(Complete(p->project_id()).ok());

  // The whole block claimed as new cultivated land: its east half is cultivated land already.
  const double block = AreaOf(kBlock);
  const double west = AreaOf(kWestHalf);
  auto fake = Passed(kBlock, block);
  *fake.mutable_restored_areas(0)->mutable_area() = M2(block);
  *fake.mutable_total_restored_area() = M2(block + 0);
  fake.mutable_restored_areas()->RemoveLast();
  Status refused = Accept(p->project_id(), fake, &after);
  ExpectRefused(refused, Code::kFailedPrecondition, "NEW_CULTIVATED_LAND_NOT_NEW", "ly-gd");
  char east_m2[32];
  std::snprintf(east_m2, sizeof east_m2, "%.0f", block - west);
  EXPECT_NE(refused.error().ToString().find(std::string(east_m2).substr(0, 4)), std::string::npos)
      << "names the overlapping area (~" << east_m2 << " m²): " << refused.error().ToString();
  // A yield outside the project.
  auto outside = Passed(Box(112.71, 34.60, 112.72, 34.61), 400'000);
  *outside.mutable_new_cultivated_land()->mutable_area() =
      M2(AreaOf(Box(112.71, 34.60, 112.72, 34.61)));
  ExpectRefused(Accept(p->project_id(), outside, &after), Code::kFailedPrecondition,
                "YIELD_OUTSIDE_PROJECT");
  // A grade GB/T 33469-2016 does not have.
  auto grade = Passed(kWestHalf, west);
  grade.mutable_new_cultivated_land()->set_quality_grade(11);
  ExpectRefused(Accept(p->project_id(), grade, &after), Code::kInvalidArgument,
                "result.new_cultivated_land.quality_grade");
  EXPECT_EQ(nrp::testing::OutboxPayloads(db_->conninfo(), "nrp.restoration.project_accepted.v1")
                .size(),
            0u);

  // Only the west half is new: accepted, with 5 ha of reclaimed construction land.
  auto good = Passed(kWestHalf, west);
  const std::string reclaimed = Box(112.700, 34.600, 112.7025, 34.602);
  *good.mutable_reclaimed_construction_land() = M2(AreaOf(reclaimed));
  *good.mutable_reclaimed_construction_geometry() = Wkt(reclaimed);
  Status accepted = Accept(p->project_id(), good, &after);
  ASSERT_TRUE(accepted.ok()) << accepted.error().ToString();
  EXPECT_EQ(after.state(), v1::PROJECT_STATE_ACCEPTED);
  // Accepting twice is refused; the yields are booked once.
  ExpectRefused(Accept(p->project_id(), good, &after), Code::kFailedPrecondition,
                "PROJECT_STATE");
  const auto acc = nrp::testing::OutboxMessages<v1::ProjectAccepted>(
      db_->conninfo(), "nrp.restoration.project_accepted.v1");
  ASSERT_EQ(acc.size(), 1u);
  EXPECT_NEAR(acc[0].new_cultivated_land().area().square_metres(), west, 1);
  EXPECT_EQ(acc[0].new_cultivated_land().quality_grade(), 5);
  EXPECT_GT(acc[0].reclaimed_construction_land().square_metres(), 0);
  EXPECT_EQ(acc[0].mining_right_id(), right.right_id());
  ASSERT_EQ(acc[0].fulfilled_obligation_ids_size(), 1);
  EXPECT_EQ(acc[0].fulfilled_obligation_ids(0), obligation_id);
  const auto fulfilled = nrp::testing::OutboxMessages<v1::ObligationFulfilled>(
      db_->conninfo(), "nrp.restoration.obligation_fulfilled.v1");
  ASSERT_EQ(fulfilled.size(), 1u);
  EXPECT_EQ(fulfilled[0].mining_right_id(), right.right_id());
  v1::GetObligationRequest go;
  go.set_obligation_id(obligation_id);
  v1::Obligation o;
  ASSERT_TRUE(Call(&Stub::GetObligation, go, &o).ok());
  EXPECT_EQ(o.state(), v1::OBLIGATION_STATE_FULFILLED);

  // Maintenance after the acceptance.
  v1::StartMaintenanceRequest m;
  m.set_request_id(NewUuidV4());
  m.set_project_id(p->project_id());
  *m.mutable_maintenance_until() = D(Date(2028, 3, 1));
  *m.mutable_maintainer() = right.holder();
  v1::Project maintained;
  ExpectRefused(Call(&Stub::StartMaintenance, m, &maintained), Code::kInvalidArgument,
                "maintenance_until");
  *m.mutable_maintenance_until() = D(Date(2031, 3, 1));
  m.set_request_id(NewUuidV4());
  ASSERT_TRUE(Call(&Stub::StartMaintenance, m, &maintained).ok());
  EXPECT_EQ(maintained.state(), v1::PROJECT_STATE_MAINTENANCE);
  // Cancelling a project past acceptance is refused.
  v1::CancelProjectRequest cancel;
  cancel.set_request_id(NewUuidV4());
  cancel.set_project_id(p->project_id());
  cancel.set_reason("x");
  v1::Project c;
  ExpectRefused(Call(&Stub::CancelProject, cancel, &c), Code::kFailedPrecondition,
                "PROJECT_STATE");
}

// A grant duty (边开采、边治理) runs with the mine without a due date; a project of the holder may
// take it on; when the mine closes the duty falls due, the project still on it; a cancelled
// project hands it back due.
TEST_F(RestorationIT, AGrantDutyFallsDueWhenTheMineClosesAlsoWithAProjectOnIt) {
  const auto right = GrantRight("C4103072027017130000006");
  v1::CreateObligationRequest req;
  req.set_request_id(NewUuidV4());
  req.mutable_obligation()->set_region_code(kYanshi);
  req.mutable_obligation()->set_mining_right_id(right.right_id());
  *req.mutable_obligation()->mutable_holder() = right.holder();
  req.mutable_obligation()->set_origin(v1::OBLIGATION_ORIGIN_GRANT_DUTY);
  *req.mutable_obligation()->mutable_due_date() = D(Date(2030, 1, 1));
  v1::Obligation duty;
  ExpectRefused(Call(&Stub::CreateObligation, req, &duty), Code::kInvalidArgument,
                "obligation.due_date");
  req.mutable_obligation()->clear_due_date();
  ASSERT_TRUE(Call(&Stub::CreateObligation, req, &duty).ok());
  EXPECT_EQ(duty.state(), v1::OBLIGATION_STATE_ONGOING);
  EXPECT_EQ(duty.fund_account(), "RF-" + right.licence_number());
  // Not assumed by the government while the holder is there and nothing is due.
  v1::AssumeObligationRequest assume;
  assume.set_request_id(NewUuidV4());
  assume.set_obligation_id(duty.obligation_id());
  *assume.mutable_evidence() = Doc("注销登记通知书");
  v1::Obligation assumed;
  ExpectRefused(Call(&Stub::AssumeObligation, assume, &assumed), Code::kFailedPrecondition,
                "OBLIGATION_STATE", "is ONGOING");

  auto p = Propose(HolderProject(right));
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  // A government project is not the holder's.
  v1::Project site;
  site.set_region_code(kYanshi);
  site.set_name("偃师区历史遗留矿山生态修复项目");
  site.set_kind(v1::PROJECT_KIND_HISTORICAL_MINE_SITE);
  *site.mutable_geometry() = Wkt(kBlock);
  *site.mutable_planned_area() = M2(500'000);
  site.set_responsibility(v1::RESPONSIBILITY_GOVERNMENT);
  site.set_ownerless(true);
  auto g = Propose(site);
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  v1::AssignObligationProjectRequest assign;
  assign.set_request_id(NewUuidV4());
  assign.set_obligation_id(duty.obligation_id());
  assign.set_project_id(g->project_id());
  v1::Obligation assigned;
  ExpectRefused(Call(&Stub::AssignObligationProject, assign, &assigned),
                Code::kFailedPrecondition, "PROJECT_NOT_THE_HOLDERS");
  assign.set_request_id(NewUuidV4());
  assign.set_project_id(p->project_id());
  ASSERT_TRUE(Call(&Stub::AssignObligationProject, assign, &assigned).ok());
  EXPECT_EQ(assigned.state(), v1::OBLIGATION_STATE_IN_PROGRESS);

  ASSERT_TRUE(producer_.Produce(Closure(right, false), kYanshi, prefix_, clock_).ok());
  ASSERT_TRUE(WaitUntil("SELECT due_date IS NOT NULL FROM obligations WHERE obligation_id = '" +
                            duty.obligation_id() + "'",
                        "t"));
  EXPECT_EQ(Scalar("SELECT count(*) FROM obligations"), "1") << "the duty falls due; no second";
  v1::GetObligationRequest get;
  get.set_obligation_id(duty.obligation_id());
  v1::Obligation now;
  ASSERT_TRUE(Call(&Stub::GetObligation, get, &now).ok());
  EXPECT_EQ(now.state(), v1::OBLIGATION_STATE_IN_PROGRESS);
  EXPECT_EQ(now.due_date().year(), 2028);
  const auto due = nrp::testing::OutboxMessages<v1::ObligationDue>(
      db_->conninfo(), "nrp.restoration.obligation_due.v1");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].origin(), v1::OBLIGATION_ORIGIN_MINE_CLOSURE);

  v1::CancelProjectRequest cancel;
  cancel.set_request_id(NewUuidV4());
  cancel.set_project_id(p->project_id());
  cancel.set_reason("方案调整");
  v1::Project c;
  ASSERT_TRUE(Call(&Stub::CancelProject, cancel, &c).ok());
  ASSERT_TRUE(Call(&Stub::GetObligation, get, &now).ok());
  EXPECT_EQ(now.state(), v1::OBLIGATION_STATE_DUE);
  EXPECT_TRUE(now.project_id().empty());
}

// Bad input gets INVALID_ARGUMENT naming the field, and a government site is the government's.
TEST_F(RestorationIT, BadInputIsRefusedNamingTheField) {
  v1::Project p;
  p.set_region_code("4103");
  ExpectRefused(Propose(p), Code::kInvalidArgument, "project.region_code");
  p.set_region_code(kYanshi);
  p.set_name("偃师区全域土地综合整治试点");
  p.set_kind(static_cast<v1::ProjectKind>(99));
  ExpectRefused(Propose(p), Code::kInvalidArgument, "project.kind");
  p.set_kind(v1::PROJECT_KIND_LAND_CONSOLIDATION);
  ExpectRefused(Propose(p), Code::kInvalidArgument, "project.township_code");
  p.set_township_code("410308001");  // 孟津区's
  ExpectRefused(Propose(p), Code::kInvalidArgument, "project.township_code",
                "not in region");
  p.set_township_code("410307100");
  *p.mutable_geometry() = Wkt(kBlock);
  *p.mutable_planned_area() = M2(500'000);
  p.set_responsibility(v1::RESPONSIBILITY_GOVERNMENT);
  p.add_measures(static_cast<v1::RestorationMeasure>(42));
  ExpectRefused(Propose(p), Code::kInvalidArgument, "project.measures[0]");
  p.clear_measures();
  auto ok = Propose(p);
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  v1::GetProjectRequest get;
  get.set_project_id("not-a-uuid");
  v1::Project out;
  ExpectRefused(Call(&Stub::GetProject, get, &out), Code::kInvalidArgument, "project_id");
  v1::ListProjectsRequest list;
  list.set_filter("state = PROJECT_STATE_NOPE");
  v1::ListProjectsResponse listed;
  ExpectRefused(Call(&Stub::ListProjects, list, &listed), Code::kInvalidArgument, "filter");
  list.set_filter("kind = PROJECT_KIND_LAND_CONSOLIDATION");
  ASSERT_TRUE(Call(&Stub::ListProjects, list, &listed).ok());
  EXPECT_EQ(listed.projects_size(), 1);
  auto approved = Approve(ok->project_id(), -5);
  ExpectRefused(approved, Code::kInvalidArgument, "budget");
}

// Land supply and planning in-process beside the service, on the same broker and topics: land
// supply books the acceptance's new cultivated land and reclaimed construction land once, also
// when the event is delivered again; planning's historical-mine indicator moves from it. In
// 2025, inside Luoyang's 2021–2025 plan period.
TEST_F(RestorationIT, LandSupplyAndPlanningTakeTheYieldsOnceFromTheseEvents) {
  clock_.Set(At(2025, 6, 2));
  const std::string reader_token = "henan-ledgers-0123456789abcdef";
  const std::string tokens = R"({")" + reader_token +
                             R"(": {"agency": "henan-nrd", "scopes": ["land_supply.read",
                                   "planning.read"], "regions": ["41"]}})";
  testing::BesideServices beside(prefix_, calendar_.dir().string(), tokens, clock_);
  {
    Status started = beside.Start();
    ASSERT_TRUE(started.ok()) << started.error().ToString();
  }
  rpc::ChannelOptions channel;
  channel.target = beside.planning_target();
  auto plan_stub = planning::v1::PlanningService::NewStub(rpc::MakeChannel(channel));
  auto indicator = [&](const std::string& id) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + reader_token);
    planning::v1::GetIndicatorRequest req;
    req.set_indicator_id(id);
    planning::v1::Indicator out;
    auto st = plan_stub->GetIndicator(&ctx, req, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  };

  // A historical (ownerless) mine site, restored by the government.
  v1::Project site;
  site.set_region_code(kYanshi);
  site.set_name("偃师区历史遗留矿山生态修复项目");
  site.set_kind(v1::PROJECT_KIND_HISTORICAL_MINE_SITE);
  site.set_programme("黄河流域生态保护和高质量发展");
  *site.mutable_geometry() = Wkt(kBlock);
  *site.mutable_planned_area() = M2(900'000);
  site.set_responsibility(v1::RESPONSIBILITY_GOVERNMENT);
  site.set_ownerless(true);
  auto p = Propose(site);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  ASSERT_TRUE(Approve(p->project_id(), 300'000'000).ok());
  v1::RecordFundingRequest fund;
  fund.set_request_id(NewUuidV4());
  fund.set_project_id(p->project_id());
  fund.mutable_funding()->set_source(v1::FUNDING_SOURCE_CENTRAL_FISCAL);
  *fund.mutable_funding()->mutable_amount() = Fen(300'000'000);
  *fund.mutable_funding()->mutable_document() = Doc("财资环〔2025〕1号");
  v1::Project funded;
  ASSERT_TRUE(Call(&Stub::RecordFunding, fund, &funded).ok());
  EXPECT_EQ(funded.state(), v1::PROJECT_STATE_FUNDED);
  ASSERT_TRUE(Assess(p->project_id()).ok());
  ASSERT_TRUE(Start(p->project_id()).ok());
  clock_.Set(At(2025, 9, 1));
  ASSERT_TRUE(Progress(p->project_id(), 100, 900'000).ok());
  clock_.Set(At(2025, 10, 9));  // the first working day after 国庆
  ASSERT_TRUE(Complete(p->project_id()).ok());
  auto passed = Passed(kWestHalf, AreaOf(kWestHalf));
  const std::string reclaimed = Box(112.700, 34.600, 112.7025, 34.602);
  *passed.mutable_reclaimed_construction_land() = M2(AreaOf(reclaimed));
  *passed.mutable_reclaimed_construction_geometry() = Wkt(reclaimed);
  v1::Project accepted;
  Status st = Accept(p->project_id(), passed, &accepted);
  ASSERT_TRUE(st.ok()) << st.error().ToString();

  auto ls_count = [&](const std::string& table) {
    pqxx::connection c(beside.land_supply_conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec("SELECT count(*) FROM " + table)[0][0].as<int>();
  };
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] { return ls_count("compensation_credits") == 1 && ls_count("linkage_quotas") == 1; },
      std::chrono::seconds(60), std::chrono::milliseconds(50)));

  // The acceptance delivered twice more, as it is after a relay's restart.
  const std::string reader_topic = prefix_ + std::string(events::kRestorationTopic);
  nrp::testing::TopicReader reader(reader_topic, prefix_ + "redeliver");
  const auto& seen = reader.ReadUntil([](const std::vector<events::CloudEvent>& es) {
    for (const auto& e : es) {
      if (e.type == "nrp.restoration.project_accepted.v1") return true;
    }
    return false;
  });
  events::CloudEvent again;
  for (const auto& e : seen) {
    if (e.type == "nrp.restoration.project_accepted.v1") again = e;
  }
  ASSERT_FALSE(again.id.empty());
  const int64_t before = beside.land_supply_duplicates();
  ASSERT_TRUE(producer_.Produce(reader_topic, again).ok());
  ASSERT_TRUE(producer_.Produce(reader_topic, again).ok());
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] { return beside.land_supply_duplicates() >= before + 2; }, std::chrono::seconds(60),
      std::chrono::milliseconds(50)));
  EXPECT_EQ(ls_count("compensation_credits"), 1);
  EXPECT_EQ(ls_count("linkage_quotas"), 1);
  const auto credits = nrp::testing::OutboxMessages<land_supply::v1::CompensationCreditAdded>(
      beside.land_supply_conninfo(), "nrp.land_supply.compensation_credit_added.v1");
  ASSERT_EQ(credits.size(), 1u);
  EXPECT_NEAR(credits[0].credit().area().square_metres(), AreaOf(kWestHalf), 1);
  EXPECT_EQ(credits[0].credit().quality_grade(), 5);
  EXPECT_EQ(credits[0].credit().source_project_id(), p->project_id());
  EXPECT_EQ(beside.land_supply_dead_lettered(), 0);

  // Luoyang's 历史遗留矿山综合治理面积 (Box 1, 6.28 km² by 2025): 0.9 km² of it.
  constexpr char kHistoricalMines[] = "410300-2021-2025-09";
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] { return std::fabs(indicator(kHistoricalMines).latest_value() - 0.9) < 1e-6; },
      std::chrono::seconds(60), std::chrono::milliseconds(100)))
      << indicator(kHistoricalMines).DebugString();
  EXPECT_EQ(beside.planning_dead_lettered(), 0);
  plan_stub.reset();
  beside.Stop();
}

}  // namespace
}  // namespace nrp::restoration
