// The registration service through gRPC and Kafka against the real PostgreSQL/PostGIS, Redis
// and the development broker.
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "domain/convert.h"
#include "harness.h"
#include "nrp/db/migrations.h"
#include "nrp/db/transaction.h"
#include "nrp/events/topics.h"
#include "nrp/land_supply/v1/events.pb.h"
#include "nrp/planning/v1/events.pb.h"
#include "nrp/registration/v1/events.pb.h"
#include "nrp/testing/infra.h"
#include "nrp/zones/replica.h"
#include "nrp_migrations_registration.h"
#include "signing/electronic_certificate.h"
#include "store/store.h"

namespace nrp::registration {
namespace {

using namespace testsupport;
using Stub = v1::RegistrationService::Stub;

v1::QueryReason Reason() {
  v1::QueryReason r;
  r.set_purpose(v1::QUERY_PURPOSE_ADMINISTRATIVE);
  r.set_legal_basis("不动产登记资料查询暂行办法 第二十一条");
  return r;
}

// The 伊洛河 wetland, a state-owned unit of Luoyang exercised at city level.
v1::CreateNaturalResourceUnitRequest WetlandUnitRequest(bool key_area) {
  v1::CreateNaturalResourceUnitRequest req;
  req.set_request_id(NewUuidV4());
  auto* u = req.mutable_unit();
  u->set_region_code("410300");
  u->set_kind(v1::NATURAL_RESOURCE_UNIT_KIND_WETLAND);
  u->set_name("伊洛河湿地");
  u->mutable_boundary()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
  u->mutable_boundary()->set_text(
      "POLYGON((112.42 34.62, 112.50 34.62, 112.50 34.70, 112.42 34.70, 112.42 34.62))");
  u->set_ownership(v1::RESOURCE_OWNERSHIP_STATE);
  u->set_exercising_level(v1::EXERCISING_LEVEL_CITY);
  u->set_key_area(key_area);
  return req;
}

class RegistrationIT : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = std::make_unique<Harness>(At(2026, 9, 28));
    writer_ = h_->Client(kWriter);
  }
  void TearDown() override { h_.reset(); }

  Result<v1::RealEstateUnit> CreateUnit(const std::string& code, Stub* stub = nullptr) {
    v1::CreateRealEstateUnitRequest req;
    req.set_request_id(NewUuidV4());
    *req.mutable_unit() = UnitInput(code);
    v1::RealEstateUnit out;
    auto s = Call(stub ? stub : writer_.get(), &Stub::CreateRealEstateUnit, req, &out);
    if (!s.ok()) return s.error();
    return out;
  }
  Result<v1::RegistrationCase> Submit(const v1::RegistrationCase& app,
                                      const std::string& request_id = NewUuidV4()) {
    v1::SubmitCaseRequest req;
    req.set_request_id(request_id);
    *req.mutable_registration_case() = app;
    v1::RegistrationCase out;
    auto s = Call(writer_.get(), &Stub::SubmitCase, req, &out);
    if (!s.ok()) return s.error();
    return out;
  }
  Result<v1::RegistrationCase> Accept(const std::string& id) {
    v1::AcceptCaseRequest req;
    req.set_request_id(NewUuidV4());
    req.set_case_id(id);
    v1::RegistrationCase out;
    auto s = Call(writer_.get(), &Stub::AcceptCase, req, &out);
    if (!s.ok()) return s.error();
    return out;
  }
  Result<v1::RegistrationCase> Review(const std::string& id,
                                      v1::ReviewOutcome outcome = v1::REVIEW_OUTCOME_APPROVED,
                                      const std::string& opinion = "符合登记条件") {
    v1::ReviewCaseRequest req;
    req.set_request_id(NewUuidV4());
    req.set_case_id(id);
    req.set_outcome(outcome);
    req.set_opinion(opinion);
    v1::RegistrationCase out;
    auto s = Call(writer_.get(), &Stub::ReviewCase, req, &out);
    if (!s.ok()) return s.error();
    return out;
  }
  Result<v1::RegistrationCase> Record(const std::string& id, Stub* stub = nullptr,
                                      const std::string& request_id = NewUuidV4()) {
    v1::RecordCaseRequest req;
    req.set_request_id(request_id);
    req.set_case_id(id);
    v1::RegistrationCase out;
    auto s = Call(stub ? stub : writer_.get(), &Stub::RecordCase, req, &out);
    if (!s.ok()) return s.error();
    return out;
  }
  // Submit, accept and review: a case ready to record.
  v1::RegistrationCase Reviewed(const v1::RegistrationCase& app) {
    auto c = Submit(app);
    EXPECT_TRUE(c.ok()) << c.error().ToString();
    if (!c.ok()) return {};
    auto a = Accept(c->case_id());
    EXPECT_TRUE(a.ok()) << a.error().ToString();
    auto r = Review(c->case_id());
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : v1::RegistrationCase{};
  }
  // Unit `code` with a recorded house right of `holder`; returns the right id.
  std::string Owned(const std::string& code, const cpb::Party& holder) {
    EXPECT_TRUE(CreateUnit(code).ok());
    v1::RegistrationCase app = FirstCase(holder);
    app.set_unit_code(code);
    auto rec = Record(Reviewed(app).case_id());
    EXPECT_TRUE(rec.ok()) << rec.error().ToString();
    auto reg = UnitRegister(code, kWriter);
    EXPECT_TRUE(reg.ok());
    if (!reg.ok() || reg->current_rights().empty()) return "";
    return reg->current_rights(0).right_id();
  }
  Result<v1::UnitRegister> UnitRegister(const std::string& code, const char* token,
                                        std::optional<TimePoint> as_of = std::nullopt) {
    auto stub = h_->Client(token);
    v1::GetUnitRegisterRequest req;
    req.set_unit_code(code);
    *req.mutable_reason() = Reason();
    if (as_of) *req.mutable_as_of() = ToTimestamp(*as_of);
    v1::UnitRegister out;
    auto s = Call(stub.get(), &Stub::GetUnitRegister, req, &out);
    if (!s.ok()) return s.error();
    return out;
  }

  std::unique_ptr<Harness> h_;
  std::unique_ptr<Stub> writer_;
};

TEST_F(RegistrationIT, CaseFlowFromApplicationToCertificate) {
  ASSERT_TRUE(CreateUnit(kUnit).ok());
  auto c = Submit(FirstCase(Zhang()));
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->state(), v1::CASE_STATE_APPLIED);
  EXPECT_EQ(c->case_number(), "410302-2026-0000001");

  auto accepted = Accept(c->case_id());
  ASSERT_TRUE(accepted.ok()) << accepted.error().ToString();
  EXPECT_EQ(accepted->due_date().month(), 10);
  EXPECT_EQ(accepted->due_date().day(), 10);

  auto early = Record(c->case_id());
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(early.error().message(), "case " + c->case_id() +
                                         " is ACCEPTED; only REVIEWED or PUBLIC_NOTICE cases can "
                                         "be recorded");

  ASSERT_TRUE(Review(c->case_id()).ok());
  h_->clock().Advance(std::chrono::hours(24));
  auto recorded = Record(c->case_id());
  ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
  EXPECT_EQ(recorded->state(), v1::CASE_STATE_RECORDED);
  EXPECT_EQ(recorded->certificate_number(), "豫(2026)洛阳市不动产权第0000001号");
  EXPECT_FALSE(recorded->overdue());
  ASSERT_EQ(recorded->entry_ids_size(), 1);

  // The electronic certificate exists from the moment of recording and verifies with the
  // registry's public key alone; a tampered copy does not.
  auto reader = h_->Client(kReader);
  v1::GetCertificateRequest creq;
  creq.set_certificate_number(recorded->certificate_number());
  creq.set_verification_code("0000000000000000");
  v1::Certificate cert;
  auto wrong = Call(reader.get(), &Stub::GetCertificate, creq, &cert);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), Code::kNotFound);
  v1::GetCertificateRequest plain = creq;
  plain.clear_verification_code();
  auto no_reason = Call(reader.get(), &Stub::GetCertificate, plain, &cert);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().code(), Code::kInvalidArgument);
  *plain.mutable_reason() = Reason();
  ASSERT_TRUE(Call(writer_.get(), &Stub::GetCertificate, plain, &cert).ok());
  creq.set_verification_code(cert.verification_code());
  ASSERT_TRUE(Call(reader.get(), &Stub::GetCertificate, creq, &cert).ok());
  EXPECT_EQ(cert.state(), v1::CERTIFICATE_STATE_GENERATED);
  EXPECT_EQ(cert.kind(), v1::CERTIFICATE_KIND_TITLE_CERTIFICATE);
  EXPECT_NE(cert.holders(0).party().id_number(), Zhang().id_number());  // masked for the police
  const std::string pub = h_->api().signer().public_key_pem();
  EXPECT_TRUE(VerifyCertificateUri(pub, cert.electronic_certificate_uri()).ok());
  auto parsed = ParseCertificateUri(cert.electronic_certificate_uri());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->algorithm, "SM2-with-SM3");
  std::string tampered = parsed->document;
  tampered.replace(tampered.find("0000001"), 7, "0000009");
  auto bad = VerifyDocument(pub, tampered, parsed->signature);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().reason(), "SIGNATURE_INVALID");

  v1::IssueCertificateRequest ireq;
  ireq.set_request_id(NewUuidV4());
  ireq.set_case_id(c->case_id());
  ireq.set_delivery(v1::CERTIFICATE_DELIVERY_PAPER_AND_ELECTRONIC);
  *ireq.mutable_recipient() = Zhang();
  v1::RegistrationCase issued;
  ASSERT_TRUE(Call(writer_.get(), &Stub::IssueCertificate, ireq, &issued).ok());
  EXPECT_EQ(issued.state(), v1::CASE_STATE_CERTIFICATE_ISSUED);
  ASSERT_TRUE(Call(reader.get(), &Stub::GetCertificate, creq, &cert).ok());
  EXPECT_EQ(cert.state(), v1::CERTIFICATE_STATE_ISSUED);

  auto before_transfer = h_->clock().Now();
  auto reg = UnitRegister(kUnit, kWriter);
  ASSERT_TRUE(reg.ok()) << reg.error().ToString();
  ASSERT_EQ(reg->current_rights_size(), 1);
  EXPECT_EQ(reg->current_rights(0).holders(0).party().name(), "张三");
  const std::string right_id = reg->current_rights(0).right_id();

  // Transfer to 李四: a new entry, the old right historical, the old certificate void.
  h_->clock().Advance(std::chrono::hours(24));
  auto transfer = Record(Reviewed(TransferCase(right_id, Zhang(), Li())).case_id());
  ASSERT_TRUE(transfer.ok()) << transfer.error().ToString();
  EXPECT_EQ(transfer->certificate_number(), "豫(2026)洛阳市不动产权第0000002号");
  ASSERT_TRUE(Call(reader.get(), &Stub::GetCertificate, creq, &cert).ok());
  EXPECT_EQ(cert.state(), v1::CERTIFICATE_STATE_VOID);
  auto now_reg = UnitRegister(kUnit, kWriter);
  ASSERT_TRUE(now_reg.ok());
  ASSERT_EQ(now_reg->current_rights_size(), 1);
  EXPECT_EQ(now_reg->current_rights(0).holders(0).party().name(), "李四");
  EXPECT_EQ(now_reg->entries_size(), 2);
  // The register as of a past time.
  auto then = UnitRegister(kUnit, kWriter, before_transfer);
  ASSERT_TRUE(then.ok()) << then.error().ToString();
  ASSERT_EQ(then->current_rights_size(), 1);
  EXPECT_EQ(then->current_rights(0).holders(0).party().name(), "张三");
  EXPECT_EQ(then->entries_size(), 1);
  // The register table refuses edits.
  pqxx::connection conn(h_->db().conninfo());
  pqxx::work tx(conn);
  EXPECT_THROW(tx.exec("UPDATE register_entries SET case_id = 'x'"), pqxx::sql_error);
}

TEST_F(RegistrationIT, RefusalAndRejectionCloseTheCase) {
  ASSERT_TRUE(CreateUnit(kUnit).ok());
  auto c = Submit(FirstCase(Zhang()));
  ASSERT_TRUE(c.ok());
  v1::RefuseCaseRequest refuse;
  refuse.set_request_id(NewUuidV4());
  refuse.set_case_id(c->case_id());
  v1::RegistrationCase out;
  auto no_reason = Call(writer_.get(), &Stub::RefuseCase, refuse, &out);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(no_reason.error().message(),
            "reason: is required: the applicant is told why (不予受理)");
  refuse.set_request_id(NewUuidV4());
  refuse.set_reason("申请材料不齐全");
  ASSERT_TRUE(Call(writer_.get(), &Stub::RefuseCase, refuse, &out).ok());
  EXPECT_EQ(out.state(), v1::CASE_STATE_REFUSED);
  EXPECT_EQ(out.refusal_reason(), "申请材料不齐全");

  auto c2 = Submit(FirstCase(Zhang()));
  ASSERT_TRUE(c2.ok());
  ASSERT_TRUE(Accept(c2->case_id()).ok());
  auto rejected = Review(c2->case_id(), v1::REVIEW_OUTCOME_REJECTED, "权属来源材料不真实");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->state(), v1::CASE_STATE_REJECTED);
  auto late = Record(c2->case_id());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code(), Code::kFailedPrecondition);
}

TEST_F(RegistrationIT, PublicNoticeOfFifteenWorkingDaysBeforeRecording) {
  const std::string code = "410302001001JC00013F00010001";
  ASSERT_TRUE(CreateUnit(code).ok());
  v1::RegistrationCase app = FirstCase(Zhang());
  app.set_unit_code(code);
  app.set_right_kind(v1::RIGHT_KIND_HOMESTEAD_USE_AND_HOUSE_OWNERSHIP);
  app.mutable_proposed_right()->set_right_kind(v1::RIGHT_KIND_HOMESTEAD_USE_AND_HOUSE_OWNERSHIP);
  auto c = Reviewed(app);
  EXPECT_TRUE(c.public_notice_required());
  auto direct = Record(c.case_id());
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error().reason(), "NOTICE_REQUIRED");
  v1::StartPublicNoticeRequest nreq;
  nreq.set_request_id(NewUuidV4());
  nreq.set_case_id(c.case_id());
  *nreq.mutable_notice_start() = PDate(2026, 10, 8);
  nreq.set_working_days(14);
  v1::RegistrationCase noticed;
  auto short_notice = Call(writer_.get(), &Stub::StartPublicNotice, nreq, &noticed);
  ASSERT_FALSE(short_notice.ok());
  EXPECT_EQ(short_notice.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(short_notice.error().message(),
            "working_days: must be at least 15 working days, got 14");
  nreq.set_request_id(NewUuidV4());
  nreq.set_working_days(0);
  ASSERT_TRUE(Call(writer_.get(), &Stub::StartPublicNotice, nreq, &noticed).ok());
  EXPECT_EQ(noticed.state(), v1::CASE_STATE_PUBLIC_NOTICE);
  EXPECT_EQ(noticed.notice_end().day(), 27);
  h_->clock().Set(At(2026, 10, 27, 16));
  auto during = Record(c.case_id());
  ASSERT_FALSE(during.ok());
  EXPECT_EQ(during.error().reason(), "NOTICE_NOT_ENDED");
  h_->clock().Set(At(2026, 10, 28, 9));
  auto rec = Record(c.case_id());
  ASSERT_TRUE(rec.ok()) << rec.error().ToString();
  EXPECT_EQ(rec->state(), v1::CASE_STATE_RECORDED);
}

TEST_F(RegistrationIT, BadInputIsRefusedWithTheFieldNamed) {
  auto bad_code = CreateUnit("410302001001GB00012W00010001");
  ASSERT_FALSE(bad_code.ok());
  EXPECT_EQ(bad_code.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(bad_code.error().message(),
            "unit.unit_code: fixture unit number '00010001' must be 00000000 when the fixture "
            "feature code is W (no fixture)");
  ASSERT_EQ(bad_code.error().field_violations().size(), 1u);
  EXPECT_EQ(bad_code.error().field_violations()[0].field, "unit.unit_code");

  v1::CreateRealEstateUnitRequest bowtie;
  bowtie.set_request_id(NewUuidV4());
  *bowtie.mutable_unit() = UnitInput(kUnit);
  bowtie.mutable_unit()->mutable_geometry()->set_text(
      "POLYGON((112.47 34.68, 112.48 34.69, 112.48 34.68, 112.47 34.69, 112.47 34.68))");
  v1::RealEstateUnit out;
  auto invalid = Call(writer_.get(), &Stub::CreateRealEstateUnit, bowtie, &out);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(invalid.error().message().rfind(
                "unit.geometry.text: is not a valid geometry: Self-intersection", 0),
            0u)
      << invalid.error().message();
  EXPECT_EQ(h_->Count("SELECT count(*) FROM real_estate_units"), 0);

  auto kaifeng = h_->Client(kKaifeng);
  auto outside = CreateUnit(kUnit, kaifeng.get());
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code(), Code::kPermissionDenied);

  auto reader = h_->Client(kReader);
  auto no_scope = CreateUnit(kUnit, reader.get());
  ASSERT_FALSE(no_scope.ok());
  EXPECT_EQ(no_scope.error().code(), Code::kPermissionDenied);

  auto anonymous = h_->Client("");
  auto unauthenticated = CreateUnit(kUnit, anonymous.get());
  ASSERT_FALSE(unauthenticated.ok());
  EXPECT_EQ(unauthenticated.error().code(), Code::kUnauthenticated);

  ASSERT_TRUE(CreateUnit(kUnit).ok());
  auto again = CreateUnit(kUnit);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), Code::kAlreadyExists);
  EXPECT_EQ(again.error().message(), "unit 410302001001GB00012F00010001 already exists");

  v1::RegistrationCase kind_missing = FirstCase(Zhang());
  kind_missing.set_kind(v1::REGISTRATION_KIND_UNSPECIFIED);
  auto unspecified = Submit(kind_missing);
  ASSERT_FALSE(unspecified.ok());
  EXPECT_EQ(unspecified.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(unspecified.error().message(),
            "registration_case.kind: must be a registration kind, not 0");
  EXPECT_EQ(h_->Count("SELECT count(*) FROM cases"), 0);
}

TEST_F(RegistrationIT, SeizureBlocksATransferUntilReleased) {
  const std::string right = Owned(kUnit, Zhang());
  ASSERT_FALSE(right.empty());
  auto seized = Record(Reviewed(SeizureCase()).case_id());
  ASSERT_TRUE(seized.ok()) << seized.error().ToString();
  EXPECT_TRUE(seized->certificate_number().empty());
  auto transfer = Reviewed(TransferCase(right, Zhang(), Li()));
  auto blocked = Record(transfer.case_id());
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(blocked.error().reason(), "UNIT_SEIZED");
  auto reg = UnitRegister(kUnit, kWriter);
  ASSERT_TRUE(reg.ok());
  ASSERT_EQ(reg->seizures_size(), 1);
  v1::RegistrationCase release = SeizureCase();
  release.set_kind(v1::REGISTRATION_KIND_SEIZURE_RELEASE);
  release.set_target_entry_id(seized->entry_ids(0));
  ASSERT_TRUE(Record(Reviewed(release).case_id()).ok());
  auto after = Record(transfer.case_id());
  ASSERT_TRUE(after.ok()) << after.error().ToString();
}

TEST_F(RegistrationIT, TwoTransfersOfOneUnitAtOnceExactlyOneWins) {
  const std::string right = Owned(kUnit, Zhang());
  ASSERT_FALSE(right.empty());
  auto to_li = Reviewed(TransferCase(right, Zhang(), Li()));
  auto to_wang = Reviewed(TransferCase(right, Zhang(), Wang()));
  std::vector<Result<v1::RegistrationCase>> results(2, Error::Internal("not run"));
  std::thread a([&] {
    auto stub = h_->Client(kWriter);
    results[0] = Record(to_li.case_id(), stub.get());
  });
  std::thread b([&] {
    auto stub = h_->Client(kWriter);
    results[1] = Record(to_wang.case_id(), stub.get());
  });
  a.join();
  b.join();
  int wins = 0;
  for (const auto& r : results) {
    if (r.ok()) {
      ++wins;
      continue;
    }
    EXPECT_TRUE(r.error().code() == Code::kFailedPrecondition || r.error().code() == Code::kAborted)
        << r.error().ToString();
    if (r.error().code() == Code::kFailedPrecondition) {
      EXPECT_EQ(r.error().message(), "right " + right +
                                         " of unit 410302001001GB00012F00010001 is no longer "
                                         "current (HISTORICAL); it cannot be transferred, "
                                         "changed or cancelled");
    }
  }
  EXPECT_EQ(wins, 1);
  EXPECT_EQ(h_->Count("SELECT count(*) FROM rights WHERE state = 1"), 1);
  EXPECT_EQ(h_->Count("SELECT count(*) FROM register_entries"), 2);
}

TEST_F(RegistrationIT, FiftyConcurrentRecordingsGetGapFreeCertificateNumbers) {
  constexpr int kCases = 50;
  std::vector<std::string> case_ids;
  for (int i = 1; i <= kCases; ++i) {
    const std::string code = UnitCodeN(100 + i);
    ASSERT_TRUE(CreateUnit(code).ok());
    v1::RegistrationCase app = FirstCase(Zhang());
    app.set_unit_code(code);
    case_ids.push_back(Reviewed(app).case_id());
  }
  std::mutex mu;
  std::vector<std::string> numbers;
  std::vector<std::string> failures;
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 10; ++w) {
    workers.emplace_back([&] {
      auto stub = h_->Client(kWriter);
      for (int i = next++; i < kCases; i = next++) {
        auto r = Record(case_ids[i], stub.get());
        std::lock_guard lock(mu);
        if (r.ok()) {
          numbers.push_back(r->certificate_number());
        } else {
          failures.push_back(r.error().ToString());
        }
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_TRUE(failures.empty()) << failures.front();
  ASSERT_EQ(numbers.size(), static_cast<size_t>(kCases));
  std::set<int> sequences;
  for (const auto& n : numbers) {
    const std::string head = "豫(2026)洛阳市不动产权第";
    ASSERT_EQ(n.rfind(head, 0), 0u) << n;
    sequences.insert(std::stoi(n.substr(head.size(), 7)));
  }
  ASSERT_EQ(sequences.size(), static_cast<size_t>(kCases));  // unique
  EXPECT_EQ(*sequences.begin(), 1);
  EXPECT_EQ(*sequences.rbegin(), kCases);  // 1..50 without a gap
  std::cout << "[ figures ] 50 concurrent recordings: numbers 1.." << *sequences.rbegin()
            << ", distinct " << sequences.size() << "\n";
}

TEST_F(RegistrationIT, OverdueCasesRaiseOneEventEachAcrossReplicas) {
  std::vector<std::string> ids;
  for (int i = 1; i <= 5; ++i) {
    const std::string code = UnitCodeN(200 + i);
    ASSERT_TRUE(CreateUnit(code).ok());
    v1::RegistrationCase app = FirstCase(Zhang());
    app.set_unit_code(code);
    auto c = Submit(app);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(Accept(c->case_id()).ok());  // due 2026-10-10
    ids.push_back(c->case_id());
  }
  h_->clock().Set(At(2026, 10, 10, 23));
  auto none = h_->api().app().RaiseOverdueCases();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  h_->clock().Set(At(2026, 10, 11, 1));
  std::atomic<int> raised{0};
  std::vector<std::thread> replicas;
  for (int i = 0; i < 3; ++i) {
    replicas.emplace_back([&] {
      auto n = h_->api().app().RaiseOverdueCases();
      EXPECT_TRUE(n.ok()) << n.error().ToString();
      if (n.ok()) raised += *n;
    });
  }
  for (auto& t : replicas) t.join();
  EXPECT_EQ(raised.load(), 5);
  auto again = h_->api().app().RaiseOverdueCases();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);

  v1::ListCasesRequest list;
  list.set_filter("overdue = true AND state = CASE_STATE_ACCEPTED");
  v1::ListCasesResponse cases;
  ASSERT_TRUE(Call(writer_.get(), &Stub::ListCases, list, &cases).ok());
  EXPECT_EQ(cases.cases_size(), 5);

  EXPECT_EQ(
      h_->Count("SELECT count(*) FROM outbox WHERE ce_type = 'nrp.registration.case_overdue.v1'"),
      5);
  const int64_t total = h_->Count("SELECT count(*) FROM outbox");
  TopicReader reader(h_->prefix() + std::string(events::kRegistrationTopic),
                     h_->prefix() + "overdue");
  auto& seen = reader.ReadUntil([&](const std::vector<events::CloudEvent>& evs) {
    return static_cast<int64_t>(evs.size()) >= total;
  });
  std::map<std::string, int> per_case;
  for (const auto& e : seen) {
    if (e.type == "nrp.registration.case_overdue.v1") ++per_case[e.key];
  }
  EXPECT_EQ(per_case.size(), 5u);
  for (const auto& id : ids) EXPECT_EQ(per_case[id], 1) << id;
}

TEST_F(RegistrationIT, QueriesNeedAReasonAreLoggedAndMaskIdNumbers) {
  ASSERT_FALSE(Owned(kUnit, Zhang()).empty());
  auto reader = h_->Client(kReader);
  v1::GetUnitRegisterRequest req;
  req.set_unit_code(kUnit);
  v1::UnitRegister reg;
  auto refused = Call(reader.get(), &Stub::GetUnitRegister, req, &reg);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(refused.error().message(),
            "reason.purpose: is required: a query of personal data in the register must state "
            "its purpose");
  req.mutable_reason()->set_purpose(v1::QUERY_PURPOSE_ADMINISTRATIVE);
  refused = Call(reader.get(), &Stub::GetUnitRegister, req, &reg);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(),
            "reason.legal_basis: is required: a query of personal data in the register must "
            "name its legal basis");
  const int64_t logged_before = h_->Count("SELECT count(*) FROM query_log");
  *req.mutable_reason() = Reason();
  ASSERT_TRUE(Call(reader.get(), &Stub::GetUnitRegister, req, &reg).ok());
  const std::string id = Zhang().id_number();
  const std::string masked = id.substr(0, 6) + "********" + id.substr(14);
  EXPECT_EQ(reg.current_rights(0).holders(0).party().id_number(), masked);
  EXPECT_EQ(reg.entries(0).right().holders(0).party().id_number(), masked);
  auto court = h_->Client(kPiiReader);
  ASSERT_TRUE(Call(court.get(), &Stub::GetUnitRegister, req, &reg).ok());
  EXPECT_EQ(reg.current_rights(0).holders(0).party().id_number(), id);

  v1::SearchRightsRequest search;
  search.set_party_id_type(cpb::ID_DOCUMENT_TYPE_RESIDENT_ID_CARD);
  search.set_party_id_number(id);
  v1::SearchRightsResponse found;
  auto no_reason = Call(reader.get(), &Stub::SearchRights, search, &found);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().code(), Code::kInvalidArgument);
  *search.mutable_reason() = Reason();
  search.mutable_reason()->set_purpose(v1::QUERY_PURPOSE_JUDICIAL);
  search.mutable_reason()->set_reference("(2026)豫03民初123号");
  ASSERT_TRUE(Call(reader.get(), &Stub::SearchRights, search, &found).ok());
  ASSERT_EQ(found.rights_size(), 1);
  EXPECT_EQ(found.rights(0).holders(0).party().id_number(), masked);
  search.set_party_name("别人");
  ASSERT_TRUE(Call(reader.get(), &Stub::SearchRights, search, &found).ok());
  EXPECT_EQ(found.rights_size(), 0);

  // Another region's agency cannot look.
  auto kaifeng = h_->Client(kKaifeng);
  auto outside = Call(kaifeng.get(), &Stub::GetUnitRegister, req, &reg);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code(), Code::kPermissionDenied);

  // Every answered query is in the log with who, why and on what basis; no id in clear.
  EXPECT_EQ(h_->Count("SELECT count(*) FROM query_log") - logged_before, 4);
  v1::ListQueryLogEntriesRequest lreq;
  lreq.set_filter("agency = \"洛阳市公安局\" AND method = \"SearchRights\"");
  v1::ListQueryLogEntriesResponse log;
  ASSERT_TRUE(Call(reader.get(), &Stub::ListQueryLogEntries, lreq, &log).ok());
  ASSERT_EQ(log.entries_size(), 2);
  EXPECT_EQ(log.entries(0).reason().purpose(), v1::QUERY_PURPOSE_JUDICIAL);
  EXPECT_EQ(log.entries(0).reason().reference(), "(2026)豫03民初123号");
  EXPECT_EQ(log.entries(0).target().find(id), std::string::npos);
  EXPECT_NE(log.entries(0).caller(), "");
  EXPECT_EQ(h_->Count("SELECT count(*) FROM audit_log WHERE method LIKE '%GetUnitRegister' AND "
                      "legal_basis <> ''"),
            3);  // the writer's (in Owned), the police's and the court's
}

TEST_F(RegistrationIT, TheEventStreamAsASubscriberSeesIt) {
  ASSERT_TRUE(CreateUnit(kUnit).ok());
  auto c = Reviewed(FirstCase(Zhang()));
  auto rec = Record(c.case_id());
  ASSERT_TRUE(rec.ok());
  v1::IssueCertificateRequest ireq;
  ireq.set_request_id(NewUuidV4());
  ireq.set_case_id(c.case_id());
  ireq.set_delivery(v1::CERTIFICATE_DELIVERY_ELECTRONIC);
  *ireq.mutable_recipient() = Zhang();
  v1::RegistrationCase issued;
  ASSERT_TRUE(Call(writer_.get(), &Stub::IssueCertificate, ireq, &issued).ok());

  TopicReader reader(h_->prefix() + std::string(events::kRegistrationTopic), h_->prefix() + "sub");
  auto& seen =
      reader.ReadUntil([](const std::vector<events::CloudEvent>& evs) { return evs.size() >= 6; });
  std::vector<std::string> case_types, unit_types;
  for (const auto& e : seen) {
    EXPECT_EQ(e.key, e.subject);
    EXPECT_EQ(e.source, "/nrp/registration/410302");
    if (e.key == c.case_id()) case_types.push_back(e.type);
    if (e.key == kUnit) unit_types.push_back(e.type);
  }
  EXPECT_EQ(case_types,
            (std::vector<std::string>{
                "nrp.registration.case_submitted.v1", "nrp.registration.case_accepted.v1",
                "nrp.registration.case_reviewed.v1", "nrp.registration.case_recorded.v1"}));
  EXPECT_EQ(unit_types, (std::vector<std::string>{"nrp.registration.right_registered.v1",
                                                  "nrp.registration.certificate_issued.v1"}));
  for (const auto& e : seen) {
    if (e.type != "nrp.registration.right_registered.v1") continue;
    v1::RightRegistered r;
    ASSERT_TRUE(events::ParsePayload(e, &r).ok());
    EXPECT_EQ(e.dataschema, "nrp.registration.v1.RightRegistered");
    EXPECT_EQ(r.right().holders(0).party().name(), "张三");
    EXPECT_EQ(r.right().certificate_number(), "豫(2026)洛阳市不动产权第0000001号");
    EXPECT_EQ(r.case_id(), c.case_id());
  }
}

TEST_F(RegistrationIT, RetriesWithTheSameRequestIdHaveOneEffect) {
  ASSERT_TRUE(CreateUnit(kUnit).ok());
  const std::string rid = NewUuidV4();
  auto first = Submit(FirstCase(Zhang()), rid);
  ASSERT_TRUE(first.ok());
  auto again = Submit(FirstCase(Zhang()), rid);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->case_id(), first->case_id());
  EXPECT_EQ(again->case_number(), first->case_number());
  EXPECT_EQ(h_->Count("SELECT count(*) FROM cases"), 1);
  // Redis forgotten: PostgreSQL still answers with the first result.
  ASSERT_TRUE(h_->rt().redis().Command({"FLUSHDB"}).ok());
  auto after_flush = Submit(FirstCase(Zhang()), rid);
  ASSERT_TRUE(after_flush.ok());
  EXPECT_EQ(after_flush->case_id(), first->case_id());
  EXPECT_EQ(h_->Count("SELECT count(*) FROM cases"), 1);
  auto other = Submit(FirstCase(Li()), rid);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(other.error().message(),
            "request_id: '" + rid + "' was already used for a different request");

  ASSERT_TRUE(Accept(first->case_id()).ok());
  ASSERT_TRUE(Review(first->case_id()).ok());
  const std::string record_id = NewUuidV4();
  auto r1 = Record(first->case_id(), nullptr, record_id);
  ASSERT_TRUE(r1.ok());
  auto r2 = Record(first->case_id(), nullptr, record_id);
  ASSERT_TRUE(r2.ok()) << r2.error().ToString();
  EXPECT_EQ(r2->certificate_number(), r1->certificate_number());
  EXPECT_EQ(h_->Count("SELECT count(*) FROM certificates"), 1);
  EXPECT_EQ(h_->Count("SELECT count(*) FROM register_entries"), 1);
  EXPECT_EQ(
      h_->Count("SELECT count(*) FROM outbox WHERE ce_type = 'nrp.registration.case_recorded.v1'"),
      1);
  // A new request id for the same step meets the case's state instead.
  auto r3 = Record(first->case_id());
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.error().code(), Code::kFailedPrecondition);
}

TEST_F(RegistrationIT, LandDeliveryOpensOneFirstRegistrationForTheGrantee) {
  land_supply::v1::LandDelivered d;
  d.set_contract_id("contract-410302-2026-0012");
  d.set_region_code("410302");
  d.set_contract_number("410302-2026-0012");
  d.set_method(land_supply::v1::SUPPLY_METHOD_LISTING);
  d.set_parcel_id("parcel-77");
  d.set_parcel_code("410302001001GB00077");
  d.set_location("洛阳市老城区唐宫路北");
  *d.mutable_geometry() = UnitInput(kUnit).geometry();
  d.mutable_area()->set_square_metres(12000);
  *d.mutable_grantee() = Bank();
  d.set_land_use(land_supply::v1::LAND_USE_COMMERCIAL);
  d.set_land_use_code("05H1");
  d.set_term_years(40);
  *d.mutable_term_start() = PDate(2026, 9, 1);
  *d.mutable_term_end() = PDate(2066, 8, 31);
  d.mutable_price()->set_fen(9600000000);
  events::EventMeta meta{"nrp.land_supply.land_delivered.v1", "/nrp/land_supply/410302",
                         d.contract_id(), "", ""};
  const std::string topic = h_->prefix() + std::string(events::kLandSupplyTopic);
  for (int i = 0; i < 2; ++i) {  // two deliveries of the same fact with different event ids
    auto ev = events::NewEvent(d, meta);
    ASSERT_TRUE(ev.ok());
    ASSERT_TRUE(Produce(topic, *ev).ok());
  }
  bool opened = nrp::testing::WaitFor(
      [&] { return h_->Count("SELECT count(*) FROM inbox WHERE status = 'processed'") >= 2; },
      std::chrono::seconds(60), std::chrono::milliseconds(100));
  ASSERT_TRUE(opened) << "the delivery events were not consumed";
  EXPECT_EQ(h_->Count("SELECT count(*) FROM cases"), 1);
  v1::ListCasesRequest list;
  list.set_filter("source_reference = \"contract-410302-2026-0012\"");
  v1::ListCasesResponse cases;
  ASSERT_TRUE(Call(writer_.get(), &Stub::ListCases, list, &cases).ok());
  ASSERT_EQ(cases.cases_size(), 1);
  const auto& c = cases.cases(0);
  EXPECT_EQ(c.kind(), v1::REGISTRATION_KIND_FIRST);
  EXPECT_EQ(c.right_kind(), v1::RIGHT_KIND_STATE_CONSTRUCTION_LAND_USE);
  EXPECT_EQ(c.channel(), v1::SUBMISSION_CHANNEL_INTER_AGENCY);
  EXPECT_EQ(c.unit_code(), "410302001001GB00077W00000000");
  EXPECT_EQ(c.proposed_right().holders(0).party().name(), Bank().name());
  EXPECT_EQ(c.proposed_right().acquisition_basis(), "挂牌出让，合同 410302-2026-0012");
  EXPECT_EQ(c.state(), v1::CASE_STATE_APPLIED);
}

TEST_F(RegistrationIT, PlanningZonesBecomePublicControlsOfNaturalResourceUnits) {
  planning::v1::ZonePublished z;
  z.set_layer_id("layer-redline-4103");
  z.set_region_code("410300");
  z.set_layer_kind(cpb::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE);
  z.set_layer_version(1);
  z.set_zone_id("zone-yiluo");
  z.set_name("伊洛河湿地生态保护红线");
  z.set_control_level(cpb::ZONE_CONTROL_LEVEL_CORE_PROTECTION);
  z.mutable_geometry()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
  z.mutable_geometry()->set_text(
      "POLYGON((112.40 34.60, 112.45 34.60, 112.45 34.65, 112.40 34.65, 112.40 34.60))");
  z.set_sequence(1);
  z.set_zone_digest(zones::ZoneDigest(z));
  planning::v1::LayerVersionPublished m;
  m.set_layer_id(z.layer_id());
  m.set_region_code("410300");
  m.set_layer_kind(z.layer_kind());
  m.set_version(1);
  m.set_zone_count(1);
  m.set_checksum(Sha256HexOf(z.zone_id() + ":" + z.zone_digest() + "\n"));
  const std::string topic = h_->prefix() + std::string(events::kPlanningTopic);
  auto e1 = events::NewEvent(
      z, {"nrp.planning.zone_published.v1", "/nrp/planning/410300", z.layer_id(), "", ""});
  auto e2 = events::NewEvent(
      m, {"nrp.planning.layer_version_published.v1", "/nrp/planning/410300", m.layer_id(), "", ""});
  ASSERT_TRUE(e1.ok() && e2.ok());
  ASSERT_TRUE(Produce(topic, *e1).ok());
  ASSERT_TRUE(Produce(topic, *e2).ok());
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] { return h_->Count("SELECT count(*) FROM zone_replica_layers") == 1; },
      std::chrono::seconds(60), std::chrono::milliseconds(100)));

  v1::CreateNaturalResourceUnitRequest creq = WetlandUnitRequest(/*key_area=*/false);
  v1::NaturalResourceUnit created;
  ASSERT_TRUE(Call(writer_.get(), &Stub::CreateNaturalResourceUnit, creq, &created).ok());
  EXPECT_EQ(created.state(), v1::NATURAL_RESOURCE_UNIT_STATE_DRAFT);
  EXPECT_EQ(created.unit_number(), "410300D000001");
  EXPECT_GT(created.area().square_metres(), 5.0e7);  // about 8 km x 9 km on the ellipsoid
  ASSERT_EQ(created.public_controls_size(), 1);
  EXPECT_EQ(created.public_controls(0).zone_id(), "zone-yiluo");
  EXPECT_EQ(created.public_controls(0).layer_kind(), cpb::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE);
  // Its creation is an event, with the controls found, in the same transaction.
  EXPECT_EQ(h_->Count("SELECT count(*) FROM outbox WHERE ce_type = "
                      "'nrp.registration.natural_resource_unit_created.v1' AND key = '" +
                      created.unit_id() + "'"),
            1);

  // A key-area unit of the region is still unregistered: the non-key unit waits.
  v1::CreateNaturalResourceUnitRequest key = creq;
  key.set_request_id(NewUuidV4());
  key.mutable_unit()->set_key_area(true);
  key.mutable_unit()->set_name("洛阳市级自然保护地");
  v1::NaturalResourceUnit key_unit;
  ASSERT_TRUE(Call(writer_.get(), &Stub::CreateNaturalResourceUnit, key, &key_unit).ok());
  v1::StartNaturalResourceUnitNoticeRequest n;
  n.set_request_id(NewUuidV4());
  n.set_unit_id(created.unit_id());
  *n.mutable_notice_start() = PDate(2026, 10, 8);
  v1::NaturalResourceUnit noticed;
  auto wait = Call(writer_.get(), &Stub::StartNaturalResourceUnitNotice, n, &noticed);
  ASSERT_FALSE(wait.ok());
  EXPECT_EQ(wait.error().reason(), "KEY_AREAS_FIRST");

  n.set_request_id(NewUuidV4());
  n.set_unit_id(key_unit.unit_id());
  ASSERT_TRUE(Call(writer_.get(), &Stub::StartNaturalResourceUnitNotice, n, &noticed).ok());
  EXPECT_EQ(noticed.notice_end().day(), 27);
  v1::RegisterNaturalResourceUnitRequest r;
  r.set_request_id(NewUuidV4());
  r.set_unit_id(key_unit.unit_id());
  v1::NaturalResourceUnit registered;
  auto early = Call(writer_.get(), &Stub::RegisterNaturalResourceUnit, r, &registered);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().reason(), "NOTICE_NOT_ENDED");
  h_->clock().Set(At(2026, 10, 28));
  r.set_request_id(NewUuidV4());
  ASSERT_TRUE(Call(writer_.get(), &Stub::RegisterNaturalResourceUnit, r, &registered).ok());
  EXPECT_EQ(registered.state(), v1::NATURAL_RESOURCE_UNIT_STATE_REGISTERED);
  n.set_request_id(NewUuidV4());
  n.set_unit_id(created.unit_id());
  *n.mutable_notice_start() = PDate(2026, 10, 28);
  ASSERT_TRUE(Call(writer_.get(), &Stub::StartNaturalResourceUnitNotice, n, &noticed).ok());

  // Version 2 of the layer withdraws the zone. A draft unit of the region loses the control
  // when the version comes into force (the withdrawal alone changes nothing); a unit past its
  // draft keeps what its notice showed.
  v1::CreateNaturalResourceUnitRequest another = WetlandUnitRequest(/*key_area=*/false);
  another.mutable_unit()->set_name("伊河湿地（二期）");
  v1::NaturalResourceUnit draft;
  ASSERT_TRUE(Call(writer_.get(), &Stub::CreateNaturalResourceUnit, another, &draft).ok());
  ASSERT_EQ(draft.public_controls_size(), 1);
  planning::v1::ZoneWithdrawn w;
  w.set_layer_id(z.layer_id());
  w.set_region_code("410300");
  w.set_layer_kind(z.layer_kind());
  w.set_layer_version(2);
  w.set_zone_id(z.zone_id());
  w.set_previous_version(1);
  planning::v1::LayerVersionPublished m2 = m;
  m2.set_version(2);
  m2.set_previous_version(1);
  m2.set_zone_count(0);
  m2.set_withdrawn_count(1);
  m2.set_checksum(Sha256HexOf(""));
  auto e3 = events::NewEvent(
      w, {"nrp.planning.zone_withdrawn.v1", "/nrp/planning/410300", w.layer_id(), "", ""});
  ASSERT_TRUE(e3.ok());
  ASSERT_TRUE(Produce(topic, *e3).ok());
  auto get_draft = [&] {
    v1::GetNaturalResourceUnitRequest g;
    g.set_unit_id(draft.unit_id());
    v1::NaturalResourceUnit got;
    EXPECT_TRUE(Call(writer_.get(), &Stub::GetNaturalResourceUnit, g, &got).ok());
    return got;
  };
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] {
        return h_->Count("SELECT count(*) FROM zone_replica_withdrawals WHERE version = 2") == 1;
      },
      std::chrono::seconds(60), std::chrono::milliseconds(100)));
  EXPECT_EQ(get_draft().public_controls_size(), 1) << "version 1 is in force until the marker";
  auto e4 = events::NewEvent(m2, {"nrp.planning.layer_version_published.v1", "/nrp/planning/410300",
                                  m2.layer_id(), "", ""});
  ASSERT_TRUE(e4.ok());
  ASSERT_TRUE(Produce(topic, *e4).ok());
  ASSERT_TRUE(nrp::testing::WaitFor(
      [&] {
        return h_->Count("SELECT count(*) FROM zone_replica_layers WHERE current_version = 2") == 1;
      },
      std::chrono::seconds(60), std::chrono::milliseconds(100)));
  EXPECT_EQ(get_draft().public_controls_size(), 0);
  v1::GetNaturalResourceUnitRequest g;
  g.set_unit_id(registered.unit_id());
  v1::NaturalResourceUnit kept;
  ASSERT_TRUE(Call(writer_.get(), &Stub::GetNaturalResourceUnit, g, &kept).ok());
  EXPECT_EQ(kept.public_controls_size(), registered.public_controls_size());
}

TEST_F(RegistrationIT, UnitAndRegisterLookupsAreCachedAndInvalidatedOnChange) {
  const std::string right = Owned(kUnit, Zhang());
  ASSERT_FALSE(right.empty());
  auto reader = h_->Client(kPiiReader);
  v1::GetRealEstateUnitRequest get;
  get.set_unit_code(kUnit);
  v1::RealEstateUnit unit;
  ASSERT_TRUE(Call(reader.get(), &Stub::GetRealEstateUnit, get, &unit).ok());
  EXPECT_EQ(unit.region_code(), "410302");
  const std::string keys = "nrp:" + h_->prefix() + "registration:";
  auto cached = h_->rt().redis().Get(keys + "unit:" + kUnit);
  ASSERT_TRUE(cached.ok());
  ASSERT_TRUE(cached->has_value());
  ASSERT_EQ((**cached)[0], 'V');  // a stored value, not a reader's lease
  v1::RealEstateUnit from_cache;
  ASSERT_TRUE(from_cache.ParseFromString((**cached).substr(1)));
  EXPECT_EQ(from_cache.unit_code(), kUnit);
  ASSERT_TRUE(UnitRegister(kUnit, kPiiReader).ok());
  const std::string register_key = keys + "register:" + kUnit;
  ASSERT_TRUE(h_->rt().redis().Get(register_key)->has_value());

  // Recording on the unit invalidates it; the next read sees the new holder.
  ASSERT_TRUE(Record(Reviewed(TransferCase(right, Zhang(), Li())).case_id()).ok());
  EXPECT_FALSE(h_->rt().redis().Get(register_key)->has_value());
  auto fresh = UnitRegister(kUnit, kPiiReader);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->current_rights(0).holders(0).party().name(), "李四");

  v1::GetRealEstateUnitRequest missing;
  missing.set_unit_code(UnitCodeN(999));
  auto not_found = Call(reader.get(), &Stub::GetRealEstateUnit, missing, &unit);
  ASSERT_FALSE(not_found.ok());
  EXPECT_EQ(not_found.error().code(), Code::kNotFound);
  EXPECT_EQ(not_found.error().message(), "unit " + UnitCodeN(999) + " not found");
}

// ------------------------------------------------------------------ the working-day calendar

// A homestead case (notice required) submitted, accepted and reviewed on the harness's day,
// its public notice started that day for the minimum.
v1::RegistrationCase NoticedHomesteadCase(Harness& h, Stub* writer) {
  const std::string code = "410302001001JC00013F00010001";
  v1::CreateRealEstateUnitRequest unit;
  unit.set_request_id(NewUuidV4());
  *unit.mutable_unit() = UnitInput(code);
  v1::RealEstateUnit created;
  EXPECT_TRUE(Call(writer, &Stub::CreateRealEstateUnit, unit, &created).ok());
  v1::RegistrationCase app = FirstCase(Zhang());
  app.set_unit_code(code);
  app.set_right_kind(v1::RIGHT_KIND_HOMESTEAD_USE_AND_HOUSE_OWNERSHIP);
  app.mutable_proposed_right()->set_right_kind(v1::RIGHT_KIND_HOMESTEAD_USE_AND_HOUSE_OWNERSHIP);
  v1::SubmitCaseRequest sub;
  sub.set_request_id(NewUuidV4());
  *sub.mutable_registration_case() = app;
  v1::RegistrationCase c;
  auto submitted = Call(writer, &Stub::SubmitCase, sub, &c);
  EXPECT_TRUE(submitted.ok()) << submitted.error().ToString();
  v1::AcceptCaseRequest acc;
  acc.set_request_id(NewUuidV4());
  acc.set_case_id(c.case_id());
  auto accepted = Call(writer, &Stub::AcceptCase, acc, &c);
  EXPECT_TRUE(accepted.ok()) << accepted.error().ToString();
  v1::ReviewCaseRequest rev;
  rev.set_request_id(NewUuidV4());
  rev.set_case_id(c.case_id());
  rev.set_outcome(v1::REVIEW_OUTCOME_APPROVED);
  rev.set_opinion("符合登记条件");
  EXPECT_TRUE(Call(writer, &Stub::ReviewCase, rev, &c).ok());
  v1::StartPublicNoticeRequest notice;
  notice.set_request_id(NewUuidV4());
  notice.set_case_id(c.case_id());
  *notice.mutable_notice_start() = ToProtoDate(ChinaDate(h.clock().Now()));
  auto noticed = Call(writer, &Stub::StartPublicNotice, notice, &c);
  EXPECT_TRUE(noticed.ok()) << noticed.error().ToString();
  return c;
}

struct CalendarDay {
  TimePoint now;
  const char* due_after_notice;
  const char* due_calendar;
  const char* notice_end;
  const char* notice_calendar;
};

// Past the last official year the service keeps taking cases: the time limit and the public
// notice are counted by the statutory rule and say so.
// A database written by the earlier replica (registration's zone_layers, zones and
// zone_staging) keeps its layers in force and its staged zones when the shared replica takes
// over, and the overlap query reads them.
TEST(ZoneReplicaMigration, AnExistingReplicaMovesToTheSharedTables) {
  nrp::testing::TestDatabase db("regmig");
  db::PoolOptions o;
  o.conninfo = db.conninfo();
  o.size = 2;
  auto pool = db::Pool::Create(o);
  db::MigrationSet first = nrp_migrations_registration();
  first.migrations.resize(1);  // the schema before the shared replica
  ASSERT_TRUE(db::ApplyMigrations(*pool, {first}).ok());
  const std::string square =
      "ST_GeomFromText('POLYGON((112.40 34.60, 112.45 34.60, 112.45 34.65, 112.40 34.65, "
      "112.40 34.60))', 4490)";
  ASSERT_TRUE(db::Transact(*pool, [&](pqxx::work& tx) -> Status {
                tx.exec0(
                    "INSERT INTO zone_layers (layer_id, region_code, layer_kind, "
                    "current_version, zone_count, checksum, approval, switched_at) VALUES "
                    "('layer-redline-4103', '410300', 2, 1, 1, 'c1', NULL, now())");
                tx.exec0(
                    "INSERT INTO zones (layer_id, zone_id, layer_version, layer_kind, "
                    "control_level, name, region_code, zone_digest, geometry) VALUES "
                    "('layer-redline-4103', 'zone-yiluo', 1, 2, 1, '伊洛河湿地生态保护红线', "
                    "'410300', 'd1', " +
                    square + ")");
                tx.exec0(
                    "INSERT INTO zone_staging (layer_id, layer_version, zone_id, layer_kind, "
                    "control_level, name, region_code, zone_digest, geometry) VALUES "
                    "('layer-redline-4103', 2, 'zone-yiluo', 2, 1, '伊洛河湿地生态保护红线', "
                    "'410300', 'd2', " +
                    square + ")");
                return Ok();
              }).ok());

  auto applied = db::ApplyMigrations(*pool, Migrations());
  ASSERT_TRUE(applied.ok()) << applied.error().ToString();
  pqxx::connection c(db.conninfo());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec1("SELECT layer_id || ':' || kind || ':' || current_version || ':' || "
                     "zone_count || ':' || checksum FROM zone_replica_layers")[0]
                .as<std::string>(),
            "layer-redline-4103:2:1:1:c1");
  EXPECT_EQ(tx.exec1("SELECT string_agg(version || ':' || zone_id || ':' || digest, ',' ORDER BY "
                     "version) FROM zone_replica_zones")[0]
                .as<std::string>(),
            "1:zone-yiluo:d1,2:zone-yiluo:d2");
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM pg_tables WHERE tablename IN ('zone_layers', 'zones', "
                     "'zone_staging')")[0]
                .as<int>(),
            0);
  auto overlaps = db::Transact(*pool, [&](pqxx::work& w) {
    auto hex = w.exec1(
        "SELECT ST_AsHexEWKB(ST_GeomFromText('POLYGON((112.41 34.61, 112.42 34.61, 112.42 34.62, "
        "112.41 34.62, 112.41 34.61))', 4490))");
    return zones::Overlapping(w, hex[0].c_str());
  });
  ASSERT_TRUE(overlaps.ok()) << overlaps.error().ToString();
  ASSERT_EQ(overlaps->size(), 1u);
  EXPECT_EQ((*overlaps)[0].zone_id, "zone-yiluo");
  EXPECT_EQ((*overlaps)[0].version, 1);
}

TEST(RegistrationCalendar, CasesWithANoticeRunOnAnyDayOfTheProvisionalYear) {
  const CalendarDay days[] = {
      // Sunday 2026-12-20: due Fri 12-25, moved by the 15 notice days to 2027-01-18; the
      // notice from Mon 12-21 to 2027-01-11 (元旦 is the only day off in between).
      {At(2026, 12, 20), "2027-01-18", "CN-2026 official, CN-2027 provisional", "2027-01-11",
       "CN-2026 official, CN-2027 provisional"},
      // Wednesday 2027-02-03, before Spring Festival (02-05 to 02-10 off, 补假 included): due
      // 02-16, moved to 03-09; the notice from 02-03 to 03-01.
      {At(2027, 2, 3), "2027-03-09", "CN-2027 provisional", "2027-03-01", "CN-2027 provisional"},
      // Thursday 2027-09-30, before National Day (10-01 to 10-05 off): due 10-12, moved to
      // 11-02; the notice from 09-30 to 10-25.
      {At(2027, 9, 30), "2027-11-02", "CN-2027 provisional", "2027-10-25", "CN-2027 provisional"},
  };
  for (const CalendarDay& d : days) {
    SCOPED_TRACE(FormatRfc3339(d.now));
    Harness h(d.now);
    auto writer = h.Client(kWriter);
    v1::RegistrationCase c = NoticedHomesteadCase(h, writer.get());
    ASSERT_EQ(c.state(), v1::CASE_STATE_PUBLIC_NOTICE);
    EXPECT_EQ(FromProtoDate(c.due_date(), "due_date")->ToString(), d.due_after_notice);
    EXPECT_EQ(c.due_date_calendar().label(), d.due_calendar);
    EXPECT_TRUE(c.due_date_calendar().provisional());
    EXPECT_EQ(c.time_limit_working_days(), 5);
    EXPECT_EQ(FromProtoDate(c.notice_end(), "notice_end")->ToString(), d.notice_end);
    EXPECT_EQ(c.notice_end_calendar().label(), d.notice_calendar);
    EXPECT_EQ(c.notice_end_calendar().provisional_years(0), 2027);
  }
}

// A made-up arrangement for 2027 (not the State Council's): 元旦 1-3 January and two more
// days off, Monday 4 and Tuesday 5 January, with Saturday 9 January worked.
constexpr char kTest2027[] =
    "# Test data, not an official arrangement.\n"
    "year 2027\n"
    "holiday 2027-01-01..2027-01-05 元旦\n"
    "workday 2027-01-09 元旦调休\n";

TEST(RegistrationCalendar, LoadingTheOfficialYearMovesOpenDeadlinesAndPublishesTheMove) {
  // Monday 2026-12-21: due 12-28, moved by the notice to 2027-01-19; the notice from 12-21
  // to 2027-01-11, both provisional.
  Harness h(At(2026, 12, 21));
  auto writer = h.Client(kWriter);
  v1::RegistrationCase c = NoticedHomesteadCase(h, writer.get());
  ASSERT_EQ(FromProtoDate(c.notice_end(), "notice_end")->ToString(), "2027-01-11");
  ASSERT_EQ(FromProtoDate(c.due_date(), "due_date")->ToString(), "2027-01-19");
  ASSERT_TRUE(c.notice_end_calendar().provisional());

  // Nothing changed, nothing recounted.
  auto idle = h.runtime().RefreshCalendar();
  ASSERT_TRUE(idle.ok()) << idle.error().ToString();
  EXPECT_EQ(idle->recounted, 0);

  // The operator installs the 2027 arrangement while the case is open.
  h.calendar().Write("CN-2027.cal", kTest2027);
  auto report = h.runtime().RefreshCalendar();
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->recounted, 2);
  EXPECT_EQ(report->moved, 2);
  // 4 and 5 January are off and 9 January is worked: one working day later each.
  v1::GetCaseRequest get;
  get.set_case_id(c.case_id());
  v1::RegistrationCase now;
  ASSERT_TRUE(Call(writer.get(), &Stub::GetCase, get, &now).ok());
  EXPECT_EQ(FromProtoDate(now.notice_end(), "notice_end")->ToString(), "2027-01-12");
  EXPECT_EQ(now.notice_end_calendar().label(), "CN-2026 official, CN-2027 official");
  EXPECT_FALSE(now.notice_end_calendar().provisional());
  EXPECT_EQ(FromProtoDate(now.due_date(), "due_date")->ToString(), "2027-01-20");
  EXPECT_EQ(now.due_date_calendar().label(), "CN-2026 official, CN-2027 official");

  // One event per moved deadline, naming the old and the new date.
  TopicReader reader(h.prefix() + std::string(events::kRegistrationTopic), h.prefix() + "moves");
  auto& seen = reader.ReadUntil([](const std::vector<events::CloudEvent>& evs) {
    int moved = 0;
    for (const auto& e : evs) moved += e.type == "nrp.registration.case_deadline_moved.v1";
    return moved >= 2;
  });
  std::map<std::string, v1::CaseDeadlineMoved> moves;
  for (const auto& e : seen) {
    if (e.type != "nrp.registration.case_deadline_moved.v1") continue;
    v1::CaseDeadlineMoved m;
    ASSERT_TRUE(events::ParsePayload(e, &m).ok());
    EXPECT_EQ(e.key, c.case_id());
    EXPECT_EQ(moves.count(m.deadline()), 0u) << "moved twice: " << m.deadline();
    moves[m.deadline()] = m;
  }
  ASSERT_EQ(moves.size(), 2u);
  EXPECT_EQ(FromProtoDate(moves["notice_end"].old_date(), "old")->ToString(), "2027-01-11");
  EXPECT_EQ(FromProtoDate(moves["notice_end"].new_date(), "new")->ToString(), "2027-01-12");
  EXPECT_EQ(moves["notice_end"].old_calendar(), "CN-2026 official, CN-2027 provisional");
  EXPECT_EQ(moves["notice_end"].calendar().label(), "CN-2026 official, CN-2027 official");
  EXPECT_EQ(FromProtoDate(moves["due_date"].old_date(), "old")->ToString(), "2027-01-19");
  EXPECT_EQ(FromProtoDate(moves["due_date"].new_date(), "new")->ToString(), "2027-01-20");

  // Loading it again recounts nothing and publishes nothing more.
  auto again = h.runtime().RefreshCalendar();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->recounted, 0);
  EXPECT_EQ(h.Count("SELECT count(*) FROM outbox WHERE ce_type = "
                    "'nrp.registration.case_deadline_moved.v1'"),
            2);

  // The case follows the new dates: on 12 January the notice is still running, and the day
  // after the old due date the case is not overdue.
  h.clock().Set(At(2027, 1, 12, 16));
  auto early = Call(
      writer.get(), &Stub::RecordCase,
      [&] {
        v1::RecordCaseRequest r;
        r.set_request_id(NewUuidV4());
        r.set_case_id(c.case_id());
        return r;
      }(),
      &now);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().reason(), "NOTICE_NOT_ENDED");
  h.clock().Set(At(2027, 1, 20, 12));
  auto overdue = h.api().app().RaiseOverdueCases();
  ASSERT_TRUE(overdue.ok());
  EXPECT_EQ(*overdue, 0);
  h.clock().Set(At(2027, 1, 21, 9));
  overdue = h.api().app().RaiseOverdueCases();
  ASSERT_TRUE(overdue.ok());
  EXPECT_EQ(*overdue, 1);
}

TEST(RegistrationCalendar, ANaturalResourceUnitsNoticeFollowsTheOfficialYear) {
  Harness h(At(2026, 12, 21));
  auto writer = h.Client(kWriter);
  v1::CreateNaturalResourceUnitRequest creq = WetlandUnitRequest(/*key_area=*/true);
  v1::NaturalResourceUnit unit;
  ASSERT_TRUE(Call(writer.get(), &Stub::CreateNaturalResourceUnit, creq, &unit).ok());
  v1::StartNaturalResourceUnitNoticeRequest n;
  n.set_request_id(NewUuidV4());
  n.set_unit_id(unit.unit_id());
  *n.mutable_notice_start() = PDate(2026, 12, 21);
  ASSERT_TRUE(Call(writer.get(), &Stub::StartNaturalResourceUnitNotice, n, &unit).ok());
  EXPECT_EQ(FromProtoDate(unit.notice_end(), "notice_end")->ToString(), "2027-01-11");
  EXPECT_EQ(unit.notice_end_calendar().label(), "CN-2026 official, CN-2027 provisional");

  h.calendar().Write("CN-2027.cal", kTest2027);
  auto report = h.runtime().RefreshCalendar();
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->moved, 1);
  auto moved = nrp::testing::OutboxMessages<v1::NaturalResourceUnitNoticeMoved>(
      h.db().conninfo(), "nrp.registration.natural_resource_unit_notice_moved.v1");
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].unit_id(), unit.unit_id());
  EXPECT_EQ(FromProtoDate(moved[0].old_date(), "old")->ToString(), "2027-01-11");
  EXPECT_EQ(FromProtoDate(moved[0].new_date(), "new")->ToString(), "2027-01-12");
  EXPECT_EQ(moved[0].calendar().label(), "CN-2026 official, CN-2027 official");

  // Registration waits for the new last day.
  v1::RegisterNaturalResourceUnitRequest r;
  r.set_request_id(NewUuidV4());
  r.set_unit_id(unit.unit_id());
  h.clock().Set(At(2027, 1, 12, 16));
  v1::NaturalResourceUnit registered;
  auto early = Call(writer.get(), &Stub::RegisterNaturalResourceUnit, r, &registered);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().reason(), "NOTICE_NOT_ENDED");
  h.clock().Set(At(2027, 1, 13, 9));
  r.set_request_id(NewUuidV4());
  ASSERT_TRUE(Call(writer.get(), &Stub::RegisterNaturalResourceUnit, r, &registered).ok());
  // Registered, the unit waits on nothing: another change of 2027 recounts nothing of it.
  h.calendar().Remove("CN-2027.cal");
  auto after = h.runtime().RefreshCalendar();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->recounted, 0);
  EXPECT_EQ(h.Count("SELECT count(*) FROM deadlines WHERE open"), 0);
}

TEST(RegistrationCalendar, AFileThatDoesNotLoadKeepsTheCalendarInForce) {
  Harness h(At(2026, 12, 21));
  h.calendar().Write("CN-2027.cal", "year 2027\nholiday 2027-02-30 bad\n");
  auto report = h.runtime().RefreshCalendar();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code(), Code::kInvalidArgument);
  EXPECT_NE(report.error().message().find("CN-2027.cal:2: bad date '2027-02-30'"),
            std::string::npos)
      << report.error().message();
  // Still provisional and still counting.
  EXPECT_FALSE(h.runtime().Calendar()->IsOfficial(2027));
  auto writer = h.Client(kWriter);
  v1::RegistrationCase c = NoticedHomesteadCase(h, writer.get());
  EXPECT_EQ(c.notice_end_calendar().label(), "CN-2026 official, CN-2027 provisional");
}

TEST(RegistrationRateLimit, EachAgencyIsLimited) {
  Harness h(At(2026, 9, 28), true, /*rate_per_second=*/0.01, /*burst=*/3);
  auto reader = h.Client(kReader);
  v1::GetRealEstateUnitRequest get;
  get.set_unit_code(UnitCodeN(4242));
  v1::RealEstateUnit unit;
  for (int i = 0; i < 3; ++i) {
    auto s = Call(reader.get(), &Stub::GetRealEstateUnit, get, &unit);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), Code::kNotFound);  // admitted, the unit does not exist
  }
  auto limited = Call(reader.get(), &Stub::GetRealEstateUnit, get, &unit);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code(), Code::kResourceExhausted);
  EXPECT_EQ(limited.error().reason(), "RATE_LIMITED");
  // Another agency has its own bucket.
  auto court = h.Client(kPiiReader);
  auto other = Call(court.get(), &Stub::GetRealEstateUnit, get, &unit);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code(), Code::kNotFound);
}

}  // namespace
}  // namespace nrp::registration
