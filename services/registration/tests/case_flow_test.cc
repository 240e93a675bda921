#include "domain/case_flow.h"

#include <gtest/gtest.h>

#include "nrp/registration/v1/events.pb.h"
#include "test_support.h"

namespace nrp::registration {
namespace {

using namespace testsupport;

const char* kCaseId = "0190d4a6-0000-7000-8000-000000000001";

class CaseFlowTest : public ::testing::Test {
 protected:
  FlowContext Ctx(TimePoint now) { return FlowContext{now, CalendarPtr(), &limits_}; }

  v1::RegistrationCase Submitted(const v1::RegistrationCase& app, TimePoint now) {
    auto t = Submit(app, kCaseId, "410302-2026-0000001", Ctx(now));
    EXPECT_TRUE(t.ok()) << t.error().ToString();
    return t->next;
  }
  v1::RegistrationCase Accepted(const v1::RegistrationCase& app, TimePoint now) {
    auto t = Accept(Submitted(app, now), Ctx(now));
    EXPECT_TRUE(t.ok()) << t.error().ToString();
    return t->next;
  }
  v1::RegistrationCase Reviewed(const v1::RegistrationCase& app, TimePoint now) {
    auto t = Review(Accepted(app, now), v1::REVIEW_OUTCOME_APPROVED, "符合登记条件", Ctx(now));
    EXPECT_TRUE(t.ok()) << t.error().ToString();
    return t->next;
  }

  void ExpectInvalid(const v1::RegistrationCase& app, const std::string& message) {
    auto t = Submit(app, kCaseId, "n", Ctx(At(2026, 9, 28)));
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().code(), Code::kInvalidArgument);
    EXPECT_EQ(t.error().message(), message);
  }

  TimeLimits limits_ = TimeLimits::Defaults();
};

TEST_F(CaseFlowTest, SubmitOpensAnAppliedCaseAndRaisesCaseSubmitted) {
  v1::RegistrationCase app = FirstCase(Zhang());
  app.set_state(v1::CASE_STATE_RECORDED);  // output-only, ignored
  app.mutable_proposed_right()->set_right_id("forged");
  auto t = Submit(app, kCaseId, "410302-2026-0000001", Ctx(At(2026, 9, 28)));
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->next.state(), v1::CASE_STATE_APPLIED);
  EXPECT_EQ(t->next.case_id(), kCaseId);
  EXPECT_EQ(t->next.proposed_right().right_id(), "");
  EXPECT_EQ(t->next.proposed_right().unit_code(), kUnit);
  EXPECT_FALSE(t->next.public_notice_required());
  ASSERT_EQ(t->events.size(), 1u);
  const auto* e = t->events[0].As<v1::CaseSubmitted>();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->case_number(), "410302-2026-0000001");
  EXPECT_EQ(t->events[0].subject, kCaseId);
}

TEST_F(CaseFlowTest, SubmitRejectsBadApplications) {
  v1::RegistrationCase app = FirstCase(Zhang());
  app.set_kind(v1::REGISTRATION_KIND_UNSPECIFIED);
  ExpectInvalid(app, "registration_case.kind: must be a registration kind, not 0");
  app = FirstCase(Zhang());
  app.set_kind(static_cast<v1::RegistrationKind>(42));
  ExpectInvalid(app, "registration_case.kind: must be a registration kind, not 42");
  app = FirstCase(Zhang());
  app.set_right_kind(v1::RIGHT_KIND_UNSPECIFIED);
  ExpectInvalid(app, "registration_case.right_kind: is required for FIRST registration");
  app = FirstCase(Zhang());
  app.set_region_code("4103");
  ExpectInvalid(app, "registration_case.region_code: must be a 6-digit GB/T 2260 code, got '4103'");
  app = FirstCase(Zhang());
  app.set_unit_code("410302001001GB00012W00010001");
  ExpectInvalid(app,
                "registration_case.unit_code: fixture unit number '00010001' must be 00000000 "
                "when the fixture feature code is W (no fixture)");
  app = FirstCase(Zhang());
  app.set_region_code("410200");
  ExpectInvalid(app,
                "registration_case.unit_code: county code 410302 lies outside the registry's "
                "region 410200");
  app = FirstCase(Zhang());
  app.set_channel(v1::SUBMISSION_CHANNEL_UNSPECIFIED);
  ExpectInvalid(app, "registration_case.channel: must be COUNTER, ONLINE or INTER_AGENCY");
  app = FirstCase(Zhang());
  app.clear_applicants();
  ExpectInvalid(app, "registration_case.applicants: at least one applicant is required");
  app = FirstCase(Zhang());
  app.mutable_applicants(0)->set_role(v1::APPLICANT_ROLE_UNSPECIFIED);
  ExpectInvalid(app, "registration_case.applicants[0].role: is required");
  app = FirstCase(Zhang());
  app.clear_proposed_right();
  ExpectInvalid(app, "registration_case.proposed_right: is required for FIRST registration");
  app = FirstCase(Zhang());
  app.mutable_proposed_right()->set_right_kind(v1::RIGHT_KIND_HOMESTEAD_USE);
  ExpectInvalid(app,
                "registration_case.proposed_right.right_kind: must equal the case's right_kind "
                "RIGHT_KIND_STATE_LAND_USE_AND_HOUSE_OWNERSHIP, got RIGHT_KIND_HOMESTEAD_USE");
  app = FirstCase(Zhang());
  *app.mutable_proposed_right()->mutable_term_end() = PDate(2019, 1, 1);
  ExpectInvalid(app,
                "registration_case.proposed_right.term_end: must not be before term_start "
                "2020-01-01");
  app = FirstCase(Zhang());
  app.set_right_kind(v1::RIGHT_KIND_HOMESTEAD_USE);
  app.mutable_proposed_right()->set_right_kind(v1::RIGHT_KIND_HOMESTEAD_USE);
  ExpectInvalid(app,
                "registration_case.right_kind: RIGHT_KIND_HOMESTEAD_USE needs a homestead parcel "
                "(type letter C); unit 410302001001GB00012F00010001 has parcel feature code 'GB' "
                "and fixture code 'F'");
}

TEST_F(CaseFlowTest, SubmitChecksKindSpecificParts) {
  v1::RegistrationCase app = TransferCase("", Zhang(), Li());
  ExpectInvalid(app,
                "registration_case.target_right_id: must be the id (UUID) of the right the "
                "TRANSFER registration concerns");
  app = MortgageCase("not-a-uuid", Zhang(), Bank());
  ExpectInvalid(app,
                "registration_case.proposed_right.mortgage.mortgaged_right_id: must be the id of "
                "the mortgaged right (a UUID)");
  app = MortgageCase(kCaseId, Zhang(), Bank());
  app.mutable_proposed_right()->mutable_mortgage()->mutable_secured_amount()->set_fen(0);
  ExpectInvalid(
      app, "registration_case.proposed_right.mortgage.secured_amount: must be more than 0 fen");
  app = SeizureCase();
  app.mutable_applicants(0)->set_role(v1::APPLICANT_ROLE_RIGHT_HOLDER);
  ExpectInvalid(app,
                "registration_case.applicants: a seizure or its release is entrusted by an "
                "authority: one applicant must have APPLICANT_ROLE_ENTRUSTING_AUTHORITY");
  app = SeizureCase();
  app.mutable_seizure()->clear_order();
  ExpectInvalid(app,
                "registration_case.seizure.order: the ruling or assistance notice is required");
  app = SeizureCase();
  EXPECT_TRUE(Submit(app, kCaseId, "n", Ctx(At(2026, 9, 28))).ok());
}

TEST_F(CaseFlowTest, AcceptSetsTheDueDateInWorkingDays) {
  // Accepted Monday 2026-09-28: 29, 30 Sep, National Day 1-7 Oct off, 8, 9 and Saturday
  // 10 Oct (a moved working day): due 2026-10-10.
  auto c = Accepted(FirstCase(Zhang()), At(2026, 9, 28));
  EXPECT_EQ(c.state(), v1::CASE_STATE_ACCEPTED);
  EXPECT_EQ(c.due_date().year(), 2026);
  EXPECT_EQ(c.due_date().month(), 10);
  EXPECT_EQ(c.due_date().day(), 10);
}

TEST_F(CaseFlowTest, TimeLimitIsConfigurablePerKindAndSeizuresAreSameDay) {
  auto seizure = Accepted(SeizureCase(), At(2026, 9, 28));
  EXPECT_EQ(seizure.due_date().day(), 28);
  limits_.per_kind[v1::REGISTRATION_KIND_FIRST] = 1;
  auto first = Accepted(FirstCase(Zhang()), At(2026, 9, 28));
  EXPECT_EQ(first.due_date().day(), 29);
  TimeLimits parsed = TimeLimits::Defaults();
  ASSERT_TRUE(parsed.ParsePerKind("TRANSFER=0, CHANGE=3", "NRP_X").ok());
  EXPECT_EQ(parsed.DaysFor(v1::REGISTRATION_KIND_TRANSFER), 0);
  EXPECT_EQ(parsed.DaysFor(v1::REGISTRATION_KIND_CHANGE), 3);
  EXPECT_EQ(parsed.DaysFor(v1::REGISTRATION_KIND_FIRST), 5);
  auto bad = parsed.ParsePerKind("SALE=1", "NRP_X");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "NRP_X: unknown registration kind 'SALE'");
}

TEST_F(CaseFlowTest, TransitionsRefuseTheWrongState) {
  auto applied = Submitted(FirstCase(Zhang()), At(2026, 9, 28));
  auto r = Review(applied, v1::REVIEW_OUTCOME_APPROVED, "", Ctx(At(2026, 9, 28)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.error().message(),
            std::string("case ") + kCaseId + " is APPLIED; only ACCEPTED cases can be reviewed");
  auto accepted = Accepted(FirstCase(Zhang()), At(2026, 9, 28));
  auto again = Accept(accepted, Ctx(At(2026, 9, 28)));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message(),
            std::string("case ") + kCaseId + " is ACCEPTED; only APPLIED cases can be accepted");
  auto rec = MarkRecorded(accepted, {}, "", Ctx(At(2026, 9, 28)));
  ASSERT_FALSE(rec.ok());
  EXPECT_EQ(rec.error().message(), std::string("case ") + kCaseId +
                                       " is ACCEPTED; only REVIEWED or PUBLIC_NOTICE cases can "
                                       "be recorded");
}

TEST_F(CaseFlowTest, RefuseNeedsAReason) {
  auto applied = Submitted(FirstCase(Zhang()), At(2026, 9, 28));
  auto r = Refuse(applied, "", Ctx(At(2026, 9, 28)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.error().message(), "reason: is required: the applicant is told why (不予受理)");
  auto ok = Refuse(applied, "申请材料不齐全", Ctx(At(2026, 9, 28)));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->next.state(), v1::CASE_STATE_REFUSED);
  EXPECT_EQ(ok->next.refusal_reason(), "申请材料不齐全");
  ASSERT_NE(ok->events[0].As<v1::CaseRefused>(), nullptr);
}

TEST_F(CaseFlowTest, ReviewRejectsWithAnOpinion) {
  auto accepted = Accepted(FirstCase(Zhang()), At(2026, 9, 28));
  auto r = Review(accepted, v1::REVIEW_OUTCOME_REJECTED, "", Ctx(At(2026, 9, 29)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "opinion: is required when rejecting (不予登记)");
  r = Review(accepted, v1::REVIEW_OUTCOME_UNSPECIFIED, "x", Ctx(At(2026, 9, 29)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "outcome: must be REVIEW_OUTCOME_APPROVED or REVIEW_OUTCOME_REJECTED");
  r = Review(accepted, v1::REVIEW_OUTCOME_REJECTED, "权属来源材料不真实", Ctx(At(2026, 9, 29)));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->next.state(), v1::CASE_STATE_REJECTED);
  const auto* e = r->events[0].As<v1::CaseReviewed>();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->outcome(), v1::REVIEW_OUTCOME_REJECTED);
}

v1::RegistrationCase HomesteadCase() {
  v1::RegistrationCase c = FirstCase(Zhang());
  c.set_unit_code("410302001001JC00012F00010001");
  c.set_right_kind(v1::RIGHT_KIND_HOMESTEAD_USE_AND_HOUSE_OWNERSHIP);
  c.mutable_proposed_right()->set_right_kind(v1::RIGHT_KIND_HOMESTEAD_USE_AND_HOUSE_OWNERSHIP);
  return c;
}

TEST_F(CaseFlowTest, PublicNoticeIsRequiredWhereTheLawAsks) {
  EXPECT_TRUE(PublicNoticeRequired(v1::REGISTRATION_KIND_FIRST,
                                   v1::RIGHT_KIND_HOMESTEAD_USE_AND_HOUSE_OWNERSHIP));
  EXPECT_TRUE(
      PublicNoticeRequired(v1::REGISTRATION_KIND_FIRST, v1::RIGHT_KIND_COLLECTIVE_LAND_OWNERSHIP));
  EXPECT_FALSE(PublicNoticeRequired(v1::REGISTRATION_KIND_FIRST,
                                    v1::RIGHT_KIND_STATE_LAND_USE_AND_HOUSE_OWNERSHIP));
  EXPECT_FALSE(PublicNoticeRequired(v1::REGISTRATION_KIND_TRANSFER,
                                    v1::RIGHT_KIND_HOMESTEAD_USE_AND_HOUSE_OWNERSHIP));

  auto reviewed = Reviewed(HomesteadCase(), At(2026, 9, 28));
  EXPECT_TRUE(reviewed.public_notice_required());
  auto rec = CheckRecordable(reviewed, Ctx(At(2026, 9, 29)));
  ASSERT_FALSE(rec.ok());
  EXPECT_EQ(rec.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(rec.error().message(),
            std::string("case ") + kCaseId +
                " needs a public notice of at least 15 working days before it can be recorded "
                "(实施细则 art. 17)");

  auto short_notice = StartNotice(reviewed, PDate(2026, 10, 8), 10, Ctx(At(2026, 9, 29)));
  ASSERT_FALSE(short_notice.ok());
  EXPECT_EQ(short_notice.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(short_notice.error().message(),
            "working_days: must be at least 15 working days, got 10");
  auto past = StartNotice(reviewed, PDate(2026, 9, 1), 15, Ctx(At(2026, 9, 29)));
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().message(), "notice_start: must not be before today (2026-09-29)");

  // From Thursday 8 Oct, 15 working days: 8, 9, 10 (Sat, moved), 12-16, 19-23, 26, 27.
  auto notice = StartNotice(reviewed, PDate(2026, 10, 8), 0, Ctx(At(2026, 9, 29)));
  ASSERT_TRUE(notice.ok()) << notice.error().ToString();
  EXPECT_EQ(notice->next.state(), v1::CASE_STATE_PUBLIC_NOTICE);
  EXPECT_EQ(notice->next.notice_end().month(), 10);
  EXPECT_EQ(notice->next.notice_end().day(), 27);
  // The notice does not count against the time limit: due 10 Oct + 15 working days.
  EXPECT_EQ(notice->next.due_date().month(), 10);
  EXPECT_EQ(notice->next.due_date().day(), 30);

  auto early = CheckRecordable(notice->next, Ctx(At(2026, 10, 27)));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().message(), std::string("the public notice of case ") + kCaseId +
                                         " runs until 2026-10-27; it can be recorded from "
                                         "2026-10-28");
  EXPECT_TRUE(CheckRecordable(notice->next, Ctx(At(2026, 10, 28))).ok());
}

TEST_F(CaseFlowTest, NoticeIsRefusedWhereNotRequired) {
  auto reviewed = Reviewed(FirstCase(Zhang()), At(2026, 9, 28));
  auto t = StartNotice(reviewed, PDate(2026, 10, 8), 15, Ctx(At(2026, 9, 29)));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(t.error().reason(), "NOTICE_NOT_REQUIRED");
}

TEST_F(CaseFlowTest, RecordAndIssueCloseTheCase) {
  auto reviewed = Reviewed(FirstCase(Zhang()), At(2026, 9, 28));
  auto rec =
      MarkRecorded(reviewed, {"e1"}, "豫(2026)洛阳市不动产权第0000001号", Ctx(At(2026, 9, 29)));
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->next.state(), v1::CASE_STATE_RECORDED);
  EXPECT_FALSE(rec->next.overdue());
  const auto* e = rec->events[0].As<v1::CaseRecorded>();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->certificate_number(), "豫(2026)洛阳市不动产权第0000001号");
  auto bad = Issue(rec->next, v1::CERTIFICATE_DELIVERY_UNSPECIFIED, Zhang(), Ctx(At(2026, 9, 29)));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "delivery: must be PAPER, ELECTRONIC or PAPER_AND_ELECTRONIC");
  auto issued =
      Issue(rec->next, v1::CERTIFICATE_DELIVERY_ELECTRONIC, Zhang(), Ctx(At(2026, 9, 29)));
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->next.state(), v1::CASE_STATE_CERTIFICATE_ISSUED);
  auto w = Withdraw(issued->next, "不需要了", Ctx(At(2026, 9, 30)));
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message(), std::string("case ") + kCaseId +
                                     " is CERTIFICATE_ISSUED; only APPLIED, ACCEPTED, REVIEWED "
                                     "or PUBLIC_NOTICE cases can be withdrawn");
}

TEST_F(CaseFlowTest, SeizureHasNoCertificateToIssue) {
  auto reviewed = Reviewed(SeizureCase(), At(2026, 9, 28));
  auto rec = MarkRecorded(reviewed, {"e1"}, "", Ctx(At(2026, 9, 28)));
  ASSERT_TRUE(rec.ok());
  auto issued = Issue(rec->next, v1::CERTIFICATE_DELIVERY_PAPER, Court(), Ctx(At(2026, 9, 28)));
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(issued.error().message(), "a SEIZURE registration produces no certificate or proof");
}

TEST_F(CaseFlowTest, OverdueIsRaisedOnceAfterTheDueDate) {
  auto accepted = Accepted(FirstCase(Zhang()), At(2026, 9, 28));  // due 2026-10-10
  EXPECT_FALSE(DetectOverdue(accepted, Ctx(At(2026, 10, 10, 23))).has_value());
  auto t = DetectOverdue(accepted, Ctx(At(2026, 10, 11, 9)));
  ASSERT_TRUE(t.has_value());
  EXPECT_TRUE(t->next.overdue());
  const auto* e = t->events[0].As<v1::CaseOverdue>();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->state(), v1::CASE_STATE_ACCEPTED);
  EXPECT_EQ(e->due_date().day(), 10);
  EXPECT_FALSE(DetectOverdue(t->next, Ctx(At(2026, 10, 12))).has_value());
  auto applied = Submitted(FirstCase(Zhang()), At(2026, 9, 28));
  EXPECT_FALSE(DetectOverdue(applied, Ctx(At(2026, 12, 1))).has_value());
  // A case recorded late says so.
  auto reviewed = Review(accepted, v1::REVIEW_OUTCOME_APPROVED, "", Ctx(At(2026, 10, 9)));
  ASSERT_TRUE(reviewed.ok());
  auto rec = MarkRecorded(reviewed->next, {}, "n", Ctx(At(2026, 10, 12)));
  ASSERT_TRUE(rec.ok());
  EXPECT_TRUE(rec->next.overdue());
  EXPECT_TRUE(rec->events[0].As<v1::CaseRecorded>()->overdue());
}

TEST_F(CaseFlowTest, FormatsCaseNumbers) {
  EXPECT_EQ(FormatCaseNumber("410302", 2026, 123), "410302-2026-0000123");
}

}  // namespace
}  // namespace nrp::registration
