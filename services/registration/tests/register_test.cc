#include "domain/register.h"

#include <gtest/gtest.h>

#include "nrp/registration/v1/events.pb.h"
#include "test_support.h"

namespace nrp::registration {
namespace {

using namespace testsupport;

const std::string kRight = "00000000-0000-4000-8000-0000000000a1";
const std::string kCase = "00000000-0000-4000-8000-0000000000c1";

class RegisterTest : public ::testing::Test {
 protected:
  RecordingContext Ctx(std::string certificate = "豫(2026)洛阳市不动产权第0000002号") {
    RecordingContext ctx;
    ctx.now = At(2026, 10, 12);
    ctx.registrar = "registrar-1";
    ctx.certificate_number = std::move(certificate);
    ctx.new_id = [this] { return "id-" + std::to_string(++next_id_); };
    return ctx;
  }

  // A unit with one current house right held by 张三.
  UnitRegisterState Owned() {
    UnitRegisterState s;
    s.unit_code = kUnit;
    v1::Right r = HouseRight(Zhang());
    r.set_right_id(kRight);
    r.set_unit_code(kUnit);
    r.set_state(v1::RIGHT_STATE_CURRENT);
    s.current_rights.push_back(r);
    s.right_states[kRight] = v1::RIGHT_STATE_CURRENT;
    s.right_entry[kRight] = "entry-1";
    s.entries.push_back({"entry-1", v1::REGISTRATION_KIND_FIRST, kRight, ""});
    s.last_sequence = 1;
    return s;
  }

  static v1::RegistrationCase WithId(v1::RegistrationCase c) {
    c.set_case_id(kCase);
    return c;
  }

  static void AddSeizure(UnitRegisterState& s, const std::string& id, int64_t seq,
                         cpb::Date end = PDate(2028, 12, 31)) {
    SeizureRecord z;
    z.seizure.set_seizure_id(id);
    z.seizure.set_authority("洛阳市中级人民法院");
    *z.seizure.mutable_end_date() = end;
    z.entry_id = "entry-" + id;
    z.sequence = seq;
    s.seizures.push_back(z);
    s.entries.push_back({z.entry_id, v1::REGISTRATION_KIND_SEIZURE, "", id});
  }

  static void AddMortgage(UnitRegisterState& s, const std::string& id) {
    v1::RegistrationCase mc = MortgageCase(kRight, Zhang(), Bank());
    v1::Right m = mc.proposed_right();
    m.set_right_id(id);
    m.set_state(v1::RIGHT_STATE_CURRENT);
    s.current_rights.push_back(m);
    s.right_states[id] = v1::RIGHT_STATE_CURRENT;
  }

  void ExpectRule(const Result<RecordingPlan>& r, const std::string& type,
                  const std::string& message) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), Code::kFailedPrecondition);
    EXPECT_EQ(r.error().reason(), type);
    EXPECT_EQ(r.error().message(), message);
  }

  int next_id_ = 0;
};

TEST_F(RegisterTest, FirstRegistrationRecordsARightAndATitleCertificate) {
  UnitRegisterState s;
  s.unit_code = kUnit;
  auto plan = PlanRecording(s, WithId(FirstCase(Zhang())), Ctx());
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  ASSERT_EQ(plan->new_rights.size(), 1u);
  const v1::Right& r = plan->new_rights[0];
  EXPECT_EQ(r.state(), v1::RIGHT_STATE_CURRENT);
  EXPECT_EQ(r.origin_case_id(), kCase);
  EXPECT_EQ(r.certificate_number(), "豫(2026)洛阳市不动产权第0000002号");
  ASSERT_EQ(plan->entries.size(), 1u);
  EXPECT_EQ(plan->entries[0].sequence(), 1);
  EXPECT_EQ(plan->entries[0].right().right_id(), r.right_id());
  EXPECT_EQ(plan->entries[0].registrar(), "registrar-1");
  ASSERT_TRUE(plan->certificate.has_value());
  EXPECT_EQ(plan->certificate->kind(), v1::CERTIFICATE_KIND_TITLE_CERTIFICATE);
  ASSERT_EQ(plan->events.size(), 1u);
  const auto* e = plan->events[0].As<v1::RightRegistered>();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(plan->events[0].subject, kUnit);
  EXPECT_EQ(e->right().right_id(), r.right_id());
}

TEST_F(RegisterTest, AtMostOneCurrentRightOfAKind) {
  auto plan = PlanRecording(Owned(), WithId(FirstCase(Li())), Ctx());
  ExpectRule(plan, "RIGHT_ALREADY_REGISTERED",
             "unit 410302001001GB00012F00010001 already has a current "
             "STATE_LAND_USE_AND_HOUSE_OWNERSHIP right (" +
                 kRight + ", held by 张三); a unit has at most one current right of a kind");
}

TEST_F(RegisterTest, TransferReplacesTheRightAndVoidsTheOldCertificate) {
  UnitRegisterState s = Owned();
  auto plan = PlanRecording(s, WithId(TransferCase(kRight, Zhang(), Li())), Ctx());
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  ASSERT_EQ(plan->ended_rights.size(), 1u);
  EXPECT_EQ(plan->ended_rights[0].right_id, kRight);
  EXPECT_EQ(plan->ended_rights[0].state, v1::RIGHT_STATE_HISTORICAL);
  EXPECT_EQ(plan->voided_certificate_right_ids, std::vector<std::string>{kRight});
  EXPECT_EQ(plan->new_rights[0].previous_right_id(), kRight);
  EXPECT_EQ(plan->new_rights[0].holders(0).party().name(), "李四");
  EXPECT_EQ(plan->entries[0].sequence(), 2);
  const auto* e = plan->events[0].As<v1::RightTransferred>();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->previous_holders(0).party().name(), "张三");
}

TEST_F(RegisterTest, TransferOfAnEndedRightIsRefused) {
  UnitRegisterState s = Owned();
  s.current_rights.clear();
  s.right_states[kRight] = v1::RIGHT_STATE_HISTORICAL;
  auto plan = PlanRecording(s, WithId(TransferCase(kRight, Zhang(), Li())), Ctx());
  ExpectRule(plan, "RIGHT_NOT_CURRENT",
             "right " + kRight +
                 " of unit 410302001001GB00012F00010001 is no longer current "
                 "(HISTORICAL); it cannot be transferred, changed or cancelled");
  auto unknown = PlanRecording(
      Owned(), WithId(TransferCase("00000000-0000-4000-8000-0000000000ff", Zhang(), Li())), Ctx());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), Code::kNotFound);
}

TEST_F(RegisterTest, SeizureBlocksTransferMortgageAndChange) {
  UnitRegisterState s = Owned();
  AddSeizure(s, "z1", 2);
  const std::string blocked =
      "unit 410302001001GB00012F00010001 is seized by 洛阳市中级人民法院 "
      "(seizure z1); no ";
  ExpectRule(PlanRecording(s, WithId(TransferCase(kRight, Zhang(), Li())), Ctx()), "UNIT_SEIZED",
             blocked + "transfer can be recorded until the seizure is released");
  ExpectRule(PlanRecording(s, WithId(MortgageCase(kRight, Zhang(), Bank())),
                           Ctx("豫(2026)洛阳市不动产证明第0000001号")),
             "UNIT_SEIZED", blocked + "mortgage can be recorded until the seizure is released");
  v1::RegistrationCase change = TransferCase(kRight, Zhang(), Zhang());
  change.set_kind(v1::REGISTRATION_KIND_CHANGE);
  change.mutable_proposed_right()->set_purpose("城镇住宅用地/商住");
  ExpectRule(PlanRecording(s, WithId(change), Ctx()), "UNIT_SEIZED",
             blocked + "change can be recorded until the seizure is released");
}

TEST_F(RegisterTest, ReleasedOrExpiredSeizureNoLongerBlocks) {
  UnitRegisterState s = Owned();
  AddSeizure(s, "z1", 2, PDate(2026, 10, 1));  // ended before 12 Oct
  EXPECT_TRUE(PlanRecording(s, WithId(TransferCase(kRight, Zhang(), Li())), Ctx()).ok());
}

TEST_F(RegisterTest, SeizuresQueueAndReleaseMovesTheNextUp) {
  UnitRegisterState s = Owned();
  AddSeizure(s, "z1", 2);
  auto second = PlanRecording(s, WithId(SeizureCase()), Ctx(""));
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_EQ(second->new_seizure->seizure.queue_position(), 1);  // 轮候查封
  EXPECT_FALSE(second->certificate.has_value());
  AddSeizure(s, "z2", 3);
  v1::RegistrationCase release = SeizureCase();
  release.set_kind(v1::REGISTRATION_KIND_SEIZURE_RELEASE);
  release.set_target_entry_id("entry-z1");
  auto plan = PlanRecording(s, WithId(release), Ctx(""));
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(plan->released_seizure_ids, std::vector<std::string>{"z1"});
  EXPECT_EQ(plan->entries[0].ends_entry_id(), "entry-z1");
  const auto* e = plan->events[0].As<v1::SeizureReleased>();
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->still_seized());
  release.set_target_entry_id("entry-1");
  ExpectRule(PlanRecording(s, WithId(release), Ctx("")), "SEIZURE_NOT_IN_FORCE",
             "entry entry-1 does not record a seizure in force on unit "
             "410302001001GB00012F00010001");
}

TEST_F(RegisterTest, AdvanceNoticeBlocksTransferWithoutItsHoldersConsent) {
  UnitRegisterState s = Owned();
  AdvanceNoticeRecord n;
  n.notice.set_advance_notice_id("n1");
  *n.notice.add_holders() = Wang();
  n.entry_id = "entry-n1";
  s.advance_notices.push_back(n);
  ExpectRule(PlanRecording(s, WithId(TransferCase(kRight, Zhang(), Li())), Ctx()),
             "ADVANCE_NOTICE_CONSENT_MISSING",
             "unit 410302001001GB00012F00010001 has an advance notice (预告登记 n1) held by 王五; "
             "a transfer needs their consent (Civil Code art. 221): make them applicants or the "
             "new holders");
  // With the holder's consent (an applicant) the transfer goes ahead; the notice stays.
  v1::RegistrationCase consented = TransferCase(kRight, Zhang(), Li());
  *consented.add_applicants() = Applicant(Wang(), v1::APPLICANT_ROLE_AGENT);
  auto plan = PlanRecording(s, WithId(consented), Ctx());
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_TRUE(plan->ended_advance_notice_ids.empty());
  // A transfer to the notice's holder realises the notice.
  auto realised = PlanRecording(s, WithId(TransferCase(kRight, Zhang(), Wang())), Ctx());
  ASSERT_TRUE(realised.ok());
  EXPECT_EQ(realised->ended_advance_notice_ids, std::vector<std::string>{"n1"});
}

TEST_F(RegisterTest, MortgageFollowsATransfer) {
  UnitRegisterState s = Owned();
  AddMortgage(s, "m1");
  auto plan = PlanRecording(s, WithId(TransferCase(kRight, Zhang(), Li())), Ctx());
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  const std::string new_right = plan->new_rights[0].right_id();
  ASSERT_EQ(plan->mortgage_moves.count("m1"), 1u);
  EXPECT_EQ(plan->mortgage_moves.at("m1"), new_right);
  const auto* e = plan->events[0].As<v1::RightTransferred>();
  ASSERT_NE(e, nullptr);
  ASSERT_EQ(e->mortgage_right_ids_size(), 1);
  EXPECT_EQ(e->mortgage_right_ids(0), "m1");
}

TEST_F(RegisterTest, MortgageNeedsACurrentRightAndItsHolder) {
  UnitRegisterState s = Owned();
  auto plan = PlanRecording(s, WithId(MortgageCase(kRight, Zhang(), Bank())),
                            Ctx("豫(2026)洛阳市不动产证明第0000001号"));
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(plan->certificate->kind(), v1::CERTIFICATE_KIND_REGISTRATION_PROOF);
  ASSERT_NE(plan->events[0].As<v1::MortgageRegistered>(), nullptr);
  ExpectRule(PlanRecording(s, WithId(MortgageCase(kRight, Li(), Bank())), Ctx("x")),
             "MORTGAGOR_NOT_HOLDER",
             "mortgagor 李四 does not hold right " + kRight + "; only its holders can mortgage it");
  const std::string other = "00000000-0000-4000-8000-0000000000b2";
  ExpectRule(PlanRecording(s, WithId(MortgageCase(other, Zhang(), Bank())), Ctx("x")),
             "MORTGAGED_RIGHT_NOT_CURRENT",
             "right " + other +
                 " is not a current ownership or use right of unit "
                 "410302001001GB00012F00010001; only such a right can be mortgaged");
}

TEST_F(RegisterTest, CancellationEndsTheRightButNotWhileMortgaged) {
  UnitRegisterState s = Owned();
  v1::RegistrationCase cancel = TransferCase(kRight, Zhang(), Zhang());
  cancel.set_kind(v1::REGISTRATION_KIND_CANCELLATION);
  cancel.mutable_proposed_right()->set_remarks("不动产灭失");
  auto plan = PlanRecording(s, WithId(cancel), Ctx(""));
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(plan->ended_rights[0].state, v1::RIGHT_STATE_CANCELLED);
  EXPECT_EQ(plan->entries[0].ends_entry_id(), "entry-1");
  EXPECT_FALSE(plan->certificate.has_value());
  EXPECT_EQ(plan->events[0].As<v1::RightCancelled>()->reason(), "不动产灭失");
  AddMortgage(s, "m1");
  ExpectRule(
      PlanRecording(s, WithId(cancel), Ctx("")), "MORTGAGE_IN_FORCE",
      "right " + kRight + " is mortgaged (mortgage m1); cancel the mortgage before the right");
}

TEST_F(RegisterTest, ChangeKeepsHoldersAndMustChangeSomething) {
  UnitRegisterState s = Owned();
  v1::RegistrationCase change = TransferCase(kRight, Zhang(), Zhang());
  change.set_kind(v1::REGISTRATION_KIND_CHANGE);
  ExpectRule(PlanRecording(s, WithId(change), Ctx()), "NOTHING_CHANGED",
             "the proposed right equals right " + kRight +
                 "; a change registration must change something");
  change.mutable_proposed_right()->set_purpose("城镇住宅用地/商住");
  auto plan = PlanRecording(s, WithId(change), Ctx());
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  const auto* e = plan->events[0].As<v1::RightChanged>();
  ASSERT_NE(e, nullptr);
  ASSERT_EQ(e->changed_fields_size(), 1);
  EXPECT_EQ(e->changed_fields(0), "purpose");
  v1::RegistrationCase swap = change;
  *swap.mutable_proposed_right()->mutable_holders(0)->mutable_party() = Li();
  ExpectRule(PlanRecording(s, WithId(swap), Ctx()), "CHANGE_REPLACES_HOLDERS",
             "a change registration cannot replace the holders of right " + kRight +
                 "; a new holder needs a transfer registration");
}

TEST_F(RegisterTest, CorrectionIsANewEntryPointingAtTheOld) {
  UnitRegisterState s = Owned();
  v1::RegistrationCase corr = FirstCase(Zhang());
  corr.set_kind(v1::REGISTRATION_KIND_CORRECTION);
  corr.set_target_entry_id("entry-1");
  corr.mutable_proposed_right()->mutable_area()->set_square_metres(121.5);
  auto plan = PlanRecording(s, WithId(corr), Ctx());
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  ASSERT_EQ(plan->entries.size(), 1u);
  EXPECT_EQ(plan->entries[0].corrects_entry_id(), "entry-1");
  EXPECT_EQ(plan->entries[0].sequence(), 2);
  EXPECT_EQ(plan->ended_rights[0].right_id, kRight);
  const auto* e = plan->events[0].As<v1::CorrectionRecorded>();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->corrected_entry_id(), "entry-1");
  EXPECT_EQ(e->description(), "更正: area");
  corr.set_target_entry_id("entry-404");
  auto missing = PlanRecording(s, WithId(corr), Ctx());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), Code::kNotFound);
  EXPECT_EQ(missing.error().message(),
            "entry entry-404 is not in the register of unit 410302001001GB00012F00010001");
}

TEST_F(RegisterTest, ObjectionLapsesAfterFifteenDays) {
  UnitRegisterState s = Owned();
  v1::RegistrationCase c;
  c.set_region_code(kRegion);
  c.set_case_id(kCase);
  c.set_kind(v1::REGISTRATION_KIND_OBJECTION);
  c.set_unit_code(kUnit);
  c.set_target_entry_id("entry-1");
  *c.mutable_objection()->mutable_objector() = Li();
  c.mutable_objection()->set_reason("该房屋系本人出资购买");
  auto plan = PlanRecording(s, c, Ctx("豫(2026)洛阳市不动产证明第0000003号"));
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  ASSERT_TRUE(plan->new_objection.has_value());
  EXPECT_EQ(plan->new_objection->objection.lapses_on().day(), 27);
  EXPECT_EQ(plan->certificate->kind(), v1::CERTIFICATE_KIND_REGISTRATION_PROOF);
}

TEST_F(RegisterTest, ExtinguishedUnitAcceptsNothing) {
  UnitRegisterState s = Owned();
  s.unit_active = false;
  ExpectRule(PlanRecording(s, WithId(SeizureCase()), Ctx("")), "UNIT_EXTINGUISHED",
             "unit 410302001001GB00012F00010001 has ceased to exist (灭失); nothing can be "
             "recorded on it");
}

TEST_F(RegisterTest, CertificateKinds) {
  EXPECT_EQ(CertificateKindFor(FirstCase(Zhang())), v1::CERTIFICATE_KIND_TITLE_CERTIFICATE);
  EXPECT_EQ(CertificateKindFor(MortgageCase(kRight, Zhang(), Bank())),
            v1::CERTIFICATE_KIND_REGISTRATION_PROOF);
  EXPECT_EQ(CertificateKindFor(SeizureCase()), v1::CERTIFICATE_KIND_UNSPECIFIED);
}

}  // namespace
}  // namespace nrp::registration
