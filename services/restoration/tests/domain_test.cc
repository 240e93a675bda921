// Unit tests of the restoration rules: each rule refusing what it must refuse, with the status
// code, the field or reason, and the words of the message a caller sees. No rule here reads
// the clock, and no test does either.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "domain/acceptance.h"
#include "domain/flow.h"
#include "domain/fund.h"
#include "domain/rules.h"
#include "domain/types.h"

namespace nrp::restoration {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int64_t kMaxFen = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinFen = std::numeric_limits<int64_t>::min();

// INVALID_ARGUMENT on exactly `field`, the message "<field>: …" containing each of `words`.
template <class R>
void ExpectField(const R& r, const std::string& field, const std::vector<std::string>& words = {}) {
  ASSERT_FALSE(r.ok()) << "expected INVALID_ARGUMENT on " << field;
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument) << r.error().ToString();
  ASSERT_EQ(r.error().field_violations().size(), 1u) << r.error().ToString();
  EXPECT_EQ(r.error().field_violations()[0].field, field) << r.error().ToString();
  EXPECT_EQ(r.error().message().rfind(field + ": ", 0), 0u) << r.error().message();
  for (const auto& w : words) {
    EXPECT_NE(r.error().message().find(w), std::string::npos)
        << "message \"" << r.error().message() << "\" lacks \"" << w << "\"";
  }
}

// FAILED_PRECONDITION with `reason` about `subject`, the message containing each of `words`.
template <class R>
void ExpectRefusal(const R& r, const std::string& reason, const std::string& subject,
                   const std::vector<std::string>& words = {}) {
  ASSERT_FALSE(r.ok()) << "expected FAILED_PRECONDITION " << reason;
  EXPECT_EQ(r.error().code(), Code::kFailedPrecondition) << r.error().ToString();
  EXPECT_EQ(r.error().reason(), reason) << r.error().ToString();
  ASSERT_EQ(r.error().rule_violations().size(), 1u) << r.error().ToString();
  EXPECT_EQ(r.error().rule_violations()[0].type, reason);
  EXPECT_EQ(r.error().rule_violations()[0].subject, subject);
  for (const auto& w : words) {
    EXPECT_NE(r.error().message().find(w), std::string::npos)
        << "message \"" << r.error().message() << "\" lacks \"" << w << "\"";
  }
}

template <class R>
void ExpectOk(const R& r) {
  EXPECT_TRUE(r.ok()) << r.error().ToString();
}

const Rules& Defaults() {
  static const Rules r = Rules::Defaults();
  return r;
}

// ---------------------------------------------------------------- project flow

using PS = ProjectState;

struct StateRow {
  PS state;
  const char* name;
};
const StateRow kStates[] = {
    {PS::kProposed, "PROPOSED"},
    {PS::kApproved, "APPROVED"},
    {PS::kFunded, "FUNDED"},
    {PS::kInProgress, "IN_PROGRESS"},
    {PS::kCompleted, "COMPLETED"},
    {PS::kAccepted, "ACCEPTED"},
    {PS::kAcceptanceFailed, "ACCEPTANCE_FAILED"},
    {PS::kMaintenance, "MAINTENANCE"},
    {PS::kCancelled, "CANCELLED"},
};

// The flow of domain.md and flow.h, written out independently of StatesFor().
struct StepRow {
  ProjectStep step;
  const char* label;
  std::vector<PS> allowed;
};
const std::vector<PS> kBeforeAcceptance = {PS::kProposed,   PS::kApproved,  PS::kFunded,
                                           PS::kInProgress, PS::kCompleted, PS::kAcceptanceFailed};
const StepRow kSteps[] = {
    {ProjectStep::kApprove, "Approve", {PS::kProposed}},
    {ProjectStep::kRecordFunding, "RecordFunding", {PS::kApproved, PS::kFunded}},
    {ProjectStep::kAssessRisk, "AssessRisk", {PS::kApproved, PS::kFunded}},
    {ProjectStep::kStart, "Start", {PS::kFunded}},
    {ProjectStep::kReportProgress, "ReportProgress", {PS::kInProgress}},
    {ProjectStep::kComplete, "Complete", {PS::kInProgress, PS::kAcceptanceFailed}},
    {ProjectStep::kRecordAcceptance, "RecordAcceptance", {PS::kCompleted}},
    {ProjectStep::kStartMaintenance, "StartMaintenance", {PS::kAccepted}},
    {ProjectStep::kCancel, "Cancel", kBeforeAcceptance},
    {ProjectStep::kDrawFund,
     "DrawFund",
     {PS::kApproved, PS::kFunded, PS::kInProgress, PS::kCompleted, PS::kAcceptanceFailed}},
    {ProjectStep::kTakeObligation, "TakeObligation", kBeforeAcceptance},
};

const char* StateName(PS s) {
  for (const auto& row : kStates) {
    if (row.state == s) return row.name;
  }
  return "UNSPECIFIED";
}

std::string Needs(const std::vector<PS>& allowed) {
  std::string out;
  for (auto s : allowed) out += (out.empty() ? "" : " or ") + std::string(StateName(s));
  return out;
}

class ProjectStepTable : public ::testing::TestWithParam<std::tuple<size_t, size_t>> {};

TEST_P(ProjectStepTable, AllowedExactlyFromTheStatesOfTheFlow) {
  const StepRow& step = kSteps[std::get<0>(GetParam())];
  const StateRow& state = kStates[std::get<1>(GetParam())];
  const bool allowed =
      std::find(step.allowed.begin(), step.allowed.end(), state.state) != step.allowed.end();
  const auto s = CheckProjectStep("P-410102-0007", state.state, step.step);
  if (allowed) {
    ExpectOk(s);
  } else {
    ExpectRefusal(s, "PROJECT_STATE", "P-410102-0007",
                  {"project P-410102-0007 is " + std::string(state.name) + ";",
                   std::string(Name(step.step)) + " needs " + Needs(step.allowed)});
  }
}

INSTANTIATE_TEST_SUITE_P(AllStatesAllSteps, ProjectStepTable,
                         ::testing::Combine(::testing::Range<size_t>(0, std::size(kSteps)),
                                            ::testing::Range<size_t>(0, std::size(kStates))),
                         [](const ::testing::TestParamInfo<std::tuple<size_t, size_t>>& info) {
                           return std::string(kSteps[std::get<0>(info.param)].label) + "_from_" +
                                  kStates[std::get<1>(info.param)].name;
                         });

TEST(ProjectFlow, StatesForIsTheFlow) {
  for (const auto& row : kSteps) {
    EXPECT_EQ(StatesFor(row.step), row.allowed) << row.label;
  }
}

TEST(ProjectFlow, StateNamesAreTheContractsSpelling) {
  for (const auto& row : kStates) EXPECT_EQ(Name(row.state), row.name);
  EXPECT_EQ(Name(PS::kUnspecified), "UNSPECIFIED");
}

TEST(ProjectFlow, NoStepIsTakenFromAnUnspecifiedState) {
  for (const auto& row : kSteps) {
    ExpectRefusal(CheckProjectStep("P-1", PS::kUnspecified, row.step), "PROJECT_STATE", "P-1",
                  {"project P-1 is UNSPECIFIED;", "needs " + Needs(row.allowed)});
  }
}

TEST(ProjectFlow, RefusalWordsTheStepAndEveryStateItNeeds) {
  const auto s = CheckProjectStep("P-9", PS::kCompleted, ProjectStep::kComplete);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "project P-9 is COMPLETED; completion needs IN_PROGRESS or "
            "ACCEPTANCE_FAILED");
}

// ---------------------------------------------------------------- funding

TEST(StateAfterFunding, ApprovedBecomesFundedOnceTheBudgetIsMet) {
  EXPECT_EQ(StateAfterFunding(PS::kApproved, 100'000, 100'000), PS::kFunded);
  EXPECT_EQ(StateAfterFunding(PS::kApproved, 100'001, 100'000), PS::kFunded);
  EXPECT_EQ(StateAfterFunding(PS::kApproved, 99'999, 100'000), PS::kApproved);
  EXPECT_EQ(StateAfterFunding(PS::kApproved, 0, 100'000), PS::kApproved);
}

TEST(StateAfterFunding, NoBudgetNeverFundsAProject) {
  EXPECT_EQ(StateAfterFunding(PS::kApproved, 0, 0), PS::kApproved);
  EXPECT_EQ(StateAfterFunding(PS::kApproved, 500, 0), PS::kApproved);
  EXPECT_EQ(StateAfterFunding(PS::kApproved, 500, -1), PS::kApproved);
}

TEST(StateAfterFunding, FundedStaysFunded) {
  EXPECT_EQ(StateAfterFunding(PS::kFunded, 100, 100), PS::kFunded);
  EXPECT_EQ(StateAfterFunding(PS::kFunded, 50, 100), PS::kFunded);
  EXPECT_EQ(StateAfterFunding(PS::kFunded, 0, 0), PS::kFunded);
}

TEST(StateAfterFunding, OtherStatesAreUnchanged) {
  for (auto s : {PS::kUnspecified, PS::kProposed, PS::kInProgress, PS::kCompleted, PS::kAccepted,
                 PS::kAcceptanceFailed, PS::kMaintenance, PS::kCancelled}) {
    EXPECT_EQ(StateAfterFunding(s, 200, 100), s) << Name(s);
    EXPECT_EQ(StateAfterFunding(s, 50, 100), s) << Name(s);
  }
}

// ---------------------------------------------------------------- who answers for a project

using K = ProjectKind;
using Resp = Responsibility;

ProjectParties Parties(K kind, Resp resp, bool party, bool right = false, bool ownerless = false,
                       bool offer = false) {
  ProjectParties p;
  p.kind = kind;
  p.responsibility = resp;
  p.has_responsible_party = party;
  p.has_mining_right = right;
  p.ownerless = ownerless;
  p.has_land_offer = offer;
  return p;
}

TEST(ProjectParties, AllowedCases) {
  // The holder restores its own damage, on its right.
  ExpectOk(CheckProjectParties(Parties(K::kMineHolderRestoration, Resp::kMineHolder, true, true)));
  // A holder may answer for another kind of project on its right (e.g. subsidence).
  ExpectOk(CheckProjectParties(Parties(K::kCoalSubsidence, Resp::kMineHolder, true, true)));
  // A historical site: the government (no party needed) or invited private capital.
  ExpectOk(
      CheckProjectParties(Parties(K::kHistoricalMineSite, Resp::kGovernment, false, false, true)));
  ExpectOk(
      CheckProjectParties(Parties(K::kHistoricalMineSite, Resp::kGovernment, true, false, true)));
  ExpectOk(CheckProjectParties(
      Parties(K::kHistoricalMineSite, Resp::kSocialCapital, true, false, true)));
  // Tendered with the land grant, naming the land offer (Wuzhong).
  ExpectOk(CheckProjectParties(
      Parties(K::kIntegrated, Resp::kBundledWithLandGrant, true, false, false, true)));
  // Public works of the government need no named party.
  ExpectOk(CheckProjectParties(Parties(K::kLandConsolidation, Resp::kGovernment, false)));
  ExpectOk(CheckProjectParties(Parties(K::kWetland, Resp::kSocialCapital, true)));
}

TEST(ProjectParties, HolderRestorationIsOnlyTheHolders) {
  for (auto resp : {Resp::kGovernment, Resp::kSocialCapital, Resp::kBundledWithLandGrant}) {
    ExpectField(
        CheckProjectParties(Parties(K::kMineHolderRestoration, resp, true, true, false, true)),
        "project.responsibility", {"谁破坏、谁治理", "RESPONSIBILITY_MINE_HOLDER"});
  }
}

TEST(ProjectParties, HistoricalSiteIsNeverTheHolders) {
  ExpectField(CheckProjectParties(Parties(K::kHistoricalMineSite, Resp::kMineHolder, true, true)),
              "project.responsibility", {"government or invited private capital"});
  ExpectField(CheckProjectParties(Parties(K::kHistoricalMineSite, Resp::kMineHolder, true, true,
                                          /*ownerless=*/true)),
              "project.responsibility", {"historical"});
  ExpectField(CheckProjectParties(Parties(K::kHistoricalMineSite, Resp::kBundledWithLandGrant, true,
                                          false, true, true)),
              "project.responsibility", {"government or invited private capital"});
}

TEST(ProjectParties, HistoricalSiteIsOwnerless) {
  ExpectField(CheckProjectParties(Parties(K::kHistoricalMineSite, Resp::kGovernment, false)),
              "project.ownerless", {"historical mine site", "holder's restoration"});
  ExpectField(CheckProjectParties(Parties(K::kHistoricalMineSite, Resp::kSocialCapital, true)),
              "project.ownerless", {"historical mine site"});
}

TEST(ProjectParties, HolderProjectNamesTheMiningRight) {
  ExpectField(CheckProjectParties(Parties(K::kMineHolderRestoration, Resp::kMineHolder, true)),
              "project.mining_right_id", {"mining right"});
  ExpectField(CheckProjectParties(Parties(K::kLandImprovement, Resp::kMineHolder, true)),
              "project.mining_right_id", {"mining right"});
}

TEST(ProjectParties, HolderProjectIsNotOwnerless) {
  ExpectField(
      CheckProjectParties(Parties(K::kMineHolderRestoration, Resp::kMineHolder, true, true, true)),
      "project.ownerless", {"not ownerless"});
  ExpectField(CheckProjectParties(Parties(K::kAfforestation, Resp::kMineHolder, true, true, true)),
              "project.ownerless", {"not ownerless"});
}

TEST(ProjectParties, BundledTenderNamesTheLandOffer) {
  ExpectField(CheckProjectParties(Parties(K::kIntegrated, Resp::kBundledWithLandGrant, true)),
              "project.land_offer_id", {"land grant", "land offer"});
}

TEST(ProjectParties, ResponsiblePartyIsRequiredUnlessTheGovernmentAnswers) {
  for (auto resp :
       {Resp::kUnspecified, Resp::kMineHolder, Resp::kSocialCapital, Resp::kBundledWithLandGrant}) {
    ExpectField(CheckProjectParties(Parties(K::kWetland, resp, false, true, false, true)),
                "project.responsible_party", {"unless the government is responsible"});
  }
  ExpectOk(CheckProjectParties(Parties(K::kWetland, Resp::kGovernment, false)));
}

// ---------------------------------------------------------------- obligations

using OS = ObligationState;

TEST(ObligationFlow, EveryStepFromEveryState) {
  struct Row {
    ObligationStep step;
    std::set<OS> allowed;
    const char* needs;
  };
  const Row rows[] = {
      {ObligationStep::kAssign, {OS::kOngoing, OS::kDue}, "ONGOING or DUE"},
      {ObligationStep::kRelease, {OS::kInProgress}, "IN_PROGRESS"},
      {ObligationStep::kFulfil, {OS::kInProgress}, "IN_PROGRESS"},
      {ObligationStep::kAssume, {OS::kDue}, "DUE"},
  };
  const std::pair<OS, const char*> states[] = {
      {OS::kUnspecified, "UNSPECIFIED"},
      {OS::kOngoing, "ONGOING"},
      {OS::kDue, "DUE"},
      {OS::kInProgress, "IN_PROGRESS"},
      {OS::kFulfilled, "FULFILLED"},
      {OS::kAssumedByGovernment, "ASSUMED_BY_GOVERNMENT"},
  };
  int allowed_cells = 0;
  for (const auto& row : rows) {
    for (const auto& [state, name] : states) {
      SCOPED_TRACE(std::string(Name(row.step)) + " from " + name);
      const auto s = CheckObligationStep("O-7", state, row.step);
      if (row.allowed.count(state)) {
        ExpectOk(s);
        ++allowed_cells;
      } else {
        ExpectRefusal(s, "OBLIGATION_STATE", "O-7",
                      {"obligation O-7 is " + std::string(name) + ";",
                       std::string(Name(row.step)) + " needs " + row.needs});
      }
    }
  }
  EXPECT_EQ(allowed_cells, 5);
}

TEST(ObligationFlow, OpeningState) {
  EXPECT_EQ(OpeningState(ObligationOrigin::kGrantDuty), OS::kOngoing);
  for (auto o : {ObligationOrigin::kMineClosure, ObligationOrigin::kRightCancellation,
                 ObligationOrigin::kRightExpiry, ObligationOrigin::kEnforcementOrder}) {
    EXPECT_EQ(OpeningState(o), OS::kDue) << static_cast<int>(o);
  }
}

TEST(ObligationFlow, OriginOfMiningEvent) {
  EXPECT_EQ(OriginOfMiningEvent("nrp.mining_rights.mine_closed.v1"),
            ObligationOrigin::kMineClosure);
  EXPECT_EQ(OriginOfMiningEvent("nrp.mining_rights.right_cancelled.v1"),
            ObligationOrigin::kRightCancellation);
  EXPECT_EQ(OriginOfMiningEvent("nrp.mining_rights.right_expired.v1"),
            ObligationOrigin::kRightExpiry);
  // Events that open no obligation, including the same name from another service.
  EXPECT_EQ(OriginOfMiningEvent("nrp.mining_rights.right_granted.v1"),
            ObligationOrigin::kUnspecified);
  EXPECT_EQ(OriginOfMiningEvent("nrp.registration.right_cancelled.v1"),
            ObligationOrigin::kUnspecified);
  EXPECT_EQ(OriginOfMiningEvent(""), ObligationOrigin::kUnspecified);
}

// ---------------------------------------------------------------- fund ledger

TEST(Fund, DepositsAndWithdrawalsKeepTheTotalsAndNumberEveryEntry) {
  const Ledger empty;
  auto a = Deposit(empty, 100'000);
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  EXPECT_EQ(a->balance_fen, 100'000);
  EXPECT_EQ(a->deposited_fen, 100'000);
  EXPECT_EQ(a->withdrawn_fen, 0);
  EXPECT_EQ(a->entry_count, 1);

  auto b = Deposit(*a, 50'050);
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_EQ(b->balance_fen, 150'050);
  EXPECT_EQ(b->deposited_fen, 150'050);
  EXPECT_EQ(b->entry_count, 2);

  auto c = Withdraw(*b, 30'001, "F-1");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->balance_fen, 120'049);
  EXPECT_EQ(c->deposited_fen, 150'050);
  EXPECT_EQ(c->withdrawn_fen, 30'001);
  EXPECT_EQ(c->entry_count, 3);
  // The ledger handed in is not touched.
  EXPECT_EQ(b->balance_fen, 150'050);
  EXPECT_EQ(b->entry_count, 2);
}

TEST(Fund, AmountsArePositive) {
  Ledger l;
  l.balance_fen = l.deposited_fen = 1'000;
  l.entry_count = 1;
  for (int64_t amount : {int64_t{0}, int64_t{-1}, kMinFen}) {
    ExpectField(Deposit(l, amount), "amount", {"must be positive"});
    ExpectField(Withdraw(l, amount, "F-1"), "amount", {"must be positive"});
  }
}

TEST(Fund, WithdrawingTheWholeBalanceIsAllowed) {
  Ledger l;
  l.balance_fen = 100'000;
  l.deposited_fen = 150'000;
  l.withdrawn_fen = 50'000;
  l.entry_count = 4;
  auto r = Withdraw(l, 100'000, "F-1");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->balance_fen, 0);
  EXPECT_EQ(r->withdrawn_fen, 150'000);
  EXPECT_EQ(r->entry_count, 5);
}

TEST(Fund, OneFenBeyondTheBalanceIsRefused) {
  Ledger l;
  l.balance_fen = 100'000;
  l.deposited_fen = 100'000;
  l.entry_count = 1;
  ExpectRefusal(Withdraw(l, 100'001, "F-410102-1"), "FUND_INSUFFICIENT", "F-410102-1",
                {"fund F-410102-1 holds 1,000.00 元", "a withdrawal of 1,000.01 元",
                 "would leave it negative"});
  ExpectRefusal(Withdraw(Ledger{}, 1, "F-2"), "FUND_INSUFFICIENT", "F-2",
                {"holds 0.00 元", "0.01 元"});
}

TEST(Fund, DepositRefusedWhenABalanceWouldOverflow) {
  Ledger l;
  l.balance_fen = l.deposited_fen = kMaxFen - 10;
  l.entry_count = 3;
  auto ok = Deposit(l, 10);
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->balance_fen, kMaxFen);
  EXPECT_EQ(ok->entry_count, 4);
  ExpectField(Deposit(l, 11), "amount", {"beyond"});
}

TEST(Fund, DepositRefusedWhenTheDepositedTotalWouldOverflow) {
  // Most was withdrawn again, so the balance has room but the total deposited has not.
  Ledger l;
  l.deposited_fen = kMaxFen - 5;
  l.withdrawn_fen = kMaxFen - 105;
  l.balance_fen = 100;
  l.entry_count = 9;
  ExpectField(Deposit(l, 6), "amount", {"beyond"});
  auto ok = Deposit(l, 5);
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->deposited_fen, kMaxFen);
  EXPECT_EQ(ok->balance_fen, 105);
}

TEST(Fund, WithdrawalRefusedWhenTheWithdrawnTotalWouldOverflow) {
  Ledger l;
  l.withdrawn_fen = kMaxFen;
  l.balance_fen = 10;
  l.deposited_fen = kMaxFen;  // as recorded; the check is on the withdrawn total
  l.entry_count = 2;
  ExpectField(Withdraw(l, 1, "F-1"), "amount", {"beyond"});
}

TEST(Fund, AddFen) {
  auto a = AddFen(1, 2, "budget");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, 3);
  auto z = AddFen(0, 0, "budget");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(*z, 0);
  auto top = AddFen(kMaxFen - 1, 1, "budget");
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(*top, kMaxFen);
  ExpectField(AddFen(kMaxFen, 1, "project.budget"), "project.budget", {"beyond"});
  ExpectField(AddFen(1, kMaxFen, "project.budget"), "project.budget", {"beyond"});
  ExpectField(AddFen(-1, 5, "funding.amount"), "funding.amount", {"must not be negative"});
  ExpectField(AddFen(5, -1, "funding.amount"), "funding.amount", {"must not be negative"});
  ExpectField(AddFen(kMinFen, kMaxFen, "funding.amount"), "funding.amount",
              {"must not be negative"});
}

TEST(Fund, Yuan) {
  EXPECT_EQ(Yuan(0), "0.00 元");
  EXPECT_EQ(Yuan(1), "0.01 元");
  EXPECT_EQ(Yuan(99), "0.99 元");
  EXPECT_EQ(Yuan(100), "1.00 元");
  EXPECT_EQ(Yuan(99'999), "999.99 元");
  EXPECT_EQ(Yuan(100'000), "1,000.00 元");
  EXPECT_EQ(Yuan(123'456'789), "1,234,567.89 元");
  EXPECT_EQ(Yuan(-1), "-0.01 元");
  EXPECT_EQ(Yuan(-123'456'789), "-1,234,567.89 元");
  EXPECT_EQ(Yuan(kMaxFen), "92,233,720,368,547,758.07 元");
  EXPECT_EQ(Yuan(kMinFen), "-92,233,720,368,547,758.08 元");
}

// ---------------------------------------------------------------- configurable rules

TEST(Rules, DefaultsAreValid) {
  const Rules r = Rules::Defaults();
  ExpectOk(r.Validate());
  EXPECT_EQ(r.obligation_due_days, 365);
  EXPECT_DOUBLE_EQ(r.area_tolerance_m2, 1.0);
  EXPECT_DOUBLE_EQ(r.area_tolerance_share, 0.001);
}

TEST(Rules, ObligationDueDaysRange) {
  for (int days : {30, 3650}) {
    Rules r;
    r.obligation_due_days = days;
    ExpectOk(r.Validate());
  }
  for (int days : {29, 3651, 0, -365}) {
    Rules r;
    r.obligation_due_days = days;
    ExpectField(r.Validate(), "obligation_due_days", {"30 to 3650"});
  }
}

TEST(Rules, AreaToleranceRange) {
  for (double m2 : {0.0, 100.0}) {
    Rules r;
    r.area_tolerance_m2 = m2;
    ExpectOk(r.Validate());
  }
  for (double m2 : {-0.001, 100.001, kNaN, kInf}) {
    Rules r;
    r.area_tolerance_m2 = m2;
    ExpectField(r.Validate(), "area_tolerance_m2", {"0 to 100"});
  }
}

TEST(Rules, AreaToleranceShareRange) {
  for (double share : {0.0, 0.01}) {
    Rules r;
    r.area_tolerance_share = share;
    ExpectOk(r.Validate());
  }
  for (double share : {-0.0001, 0.0101, kNaN, kInf}) {
    Rules r;
    r.area_tolerance_share = share;
    ExpectField(r.Validate(), "area_tolerance_share", {"0 to 0.01"});
  }
}

TEST(Rules, ValidateNamesTheFirstFieldOutOfRange) {
  Rules r;
  r.obligation_due_days = 1;
  r.area_tolerance_m2 = -1;
  r.area_tolerance_share = 1;
  ExpectField(r.Validate(), "obligation_due_days");
  r.obligation_due_days = 365;
  ExpectField(r.Validate(), "area_tolerance_m2");
}

TEST(Rules, ToleranceIsTheLargerOfTheFigureAndTheShare) {
  const Rules& r = Defaults();
  EXPECT_DOUBLE_EQ(r.ToleranceFor(0), 1.0);
  EXPECT_DOUBLE_EQ(r.ToleranceFor(500), 1.0);
  EXPECT_DOUBLE_EQ(r.ToleranceFor(2'000), 2.0);
  EXPECT_DOUBLE_EQ(r.ToleranceFor(1'000'000), 1'000.0);
  EXPECT_DOUBLE_EQ(r.ToleranceFor(-5'000), 1.0);  // a negative area adds no share
  Rules exact;
  exact.area_tolerance_m2 = 0;
  exact.area_tolerance_share = 0;
  EXPECT_DOUBLE_EQ(exact.ToleranceFor(1'000'000), 0.0);
  Rules wide;
  wide.area_tolerance_m2 = 50;
  wide.area_tolerance_share = 0.01;
  EXPECT_DOUBLE_EQ(wide.ToleranceFor(1'000), 50.0);
  EXPECT_DOUBLE_EQ(wide.ToleranceFor(10'000), 100.0);
}

// ---------------------------------------------------------------- acceptance

constexpr int kForest = 3;
constexpr int kOther = 8;

// A passed acceptance of a 10 ha project; tolerances by the defaults: 100 m² on the project,
// 80 on the total restored, 20 on the new cultivated land, 5 on the reclaimed land.
AcceptanceFigures Passed() {
  AcceptanceFigures f;
  f.project_area_m2 = 100'000;
  f.total_restored_m2 = 80'000;
  f.restored_by_kind = {{kRestoredLandCultivated, 50'000}, {kForest, 30'000}};
  f.new_cultivated = YieldGeometry{20'000, 20'000, 0};
  f.quality_grade = 3;
  f.paddy_m2 = 5'000;
  f.grain_capacity_kg = 12'000;
  f.reclaimed_construction = YieldGeometry{5'000, 5'000, 0};
  return f;
}

// Only the project and the total restored.
AcceptanceFigures Bare(double project_m2, double total_m2) {
  AcceptanceFigures f;
  f.project_area_m2 = project_m2;
  f.total_restored_m2 = total_m2;
  return f;
}

Status Check(const AcceptanceFigures& f) { return CheckPassedAcceptance(f, Defaults()); }

TEST(Acceptance, ThePassedFiguresAreAccepted) {
  ExpectOk(Check(Passed()));
  ExpectOk(Check(Bare(100'000, 1)));
}

TEST(Acceptance, TotalRestoredIsAPositiveArea) {
  for (double total : {0.0, -1.0, kNaN, kInf, -kInf}) {
    ExpectField(Check(Bare(100'000, total)), "result.total_restored_area",
                {"must be a positive area"});
  }
}

TEST(Acceptance, TotalRestoredMayReachTheProjectAreaWithinTolerance) {
  // 500 m²: the tolerance is the absolute 1 m².
  ExpectOk(Check(Bare(500, 500)));
  ExpectOk(Check(Bare(500, 501)));
  ExpectField(Check(Bare(500, 501.5)), "result.total_restored_area",
              {"501.5 m² is more than the project area of 500.0 m²"});
  // 10 ha: the tolerance is the share, 100 m².
  ExpectOk(Check(Bare(100'000, 100'000)));
  ExpectOk(Check(Bare(100'000, 100'099)));
  ExpectField(Check(Bare(100'000, 100'101)), "result.total_restored_area",
              {"100101.0 m² is more than the project area of 100000.0 m²"});
}

TEST(Acceptance, TotalRestoredCannotBeCheckedAgainstAnUnmeasuredProject) {
  ExpectField(Check(Bare(kNaN, 1'000)), "result.total_restored_area", {"project area"});
  ExpectField(Check(Bare(0, 1'000)), "result.total_restored_area", {"project area"});
  ExpectField(Check(Bare(-100'000, 1'000)), "result.total_restored_area", {"project area"});
}

TEST(Acceptance, AreasByClassAddUpToTheTotal) {
  auto f = Passed();
  f.restored_by_kind = {{kRestoredLandCultivated, 50'000}, {kForest, 30'079}};
  ExpectOk(Check(f));
  f.restored_by_kind = {{kRestoredLandCultivated, 50'000}, {kForest, 29'921}};
  ExpectOk(Check(f));
  f.restored_by_kind = {{kRestoredLandCultivated, 50'000}, {kForest, 30'081}};
  ExpectField(Check(f), "result.restored_areas",
              {"add up to 80081.0 m²", "not the total restored area of 80000.0 m²"});
  f.restored_by_kind = {{kRestoredLandCultivated, 50'000}, {kForest, 29'919}};
  ExpectField(Check(f), "result.restored_areas", {"add up to 79919.0 m²"});
  f.restored_by_kind = {{kRestoredLandCultivated, 50'000}};
  ExpectField(Check(f), "result.restored_areas", {"add up to 50000.0 m²"});
}

TEST(Acceptance, EachLandClassOnce) {
  auto f = Passed();
  f.restored_by_kind = {
      {kRestoredLandCultivated, 40'000}, {kForest, 30'000}, {kRestoredLandCultivated, 10'000}};
  ExpectField(Check(f), "result.restored_areas[2].kind", {"given before"});
}

TEST(Acceptance, LandClassInRange) {
  for (int kind : {0, -1, kRestoredLandKindMax + 1}) {
    auto f = Passed();
    f.restored_by_kind = {{kRestoredLandCultivated, 50'000}, {kind, 30'000}};
    ExpectField(Check(f), "result.restored_areas[1].kind", {"RestoredLandKind"});
  }
  auto f = Passed();
  f.restored_by_kind = {{kRestoredLandCultivated, 50'000}, {kOther, 30'000}};
  ExpectOk(Check(f));
}

TEST(Acceptance, AreaOfALandClassIsPositive) {
  for (double m2 : {0.0, -30'000.0, kNaN, kInf}) {
    auto f = Passed();
    f.restored_by_kind = {{kRestoredLandCultivated, 80'000}, {kForest, m2}};
    ExpectField(Check(f), "result.restored_areas[1].area", {"must be a positive area"});
  }
}

TEST(Acceptance, QualityGradeIsOneToTen) {
  for (int grade : {kBestQualityGrade, kWorstQualityGrade}) {
    auto f = Passed();
    f.quality_grade = grade;
    ExpectOk(Check(f));
  }
  for (int grade : {0, 11, -1}) {
    auto f = Passed();
    f.quality_grade = grade;
    ExpectField(Check(f), "result.new_cultivated_land.quality_grade", {"GB/T 33469-2016"});
  }
  // Without new cultivated land there is no grade to check.
  auto f = Passed();
  f.new_cultivated.reset();
  f.quality_grade = 0;
  ExpectOk(Check(f));
}

TEST(Acceptance, PaddyLiesWithinTheNewCultivatedLand) {
  for (double paddy : {0.0, 20'000.0, 20'019.0}) {
    auto f = Passed();
    f.paddy_m2 = paddy;
    ExpectOk(Check(f));
  }
  for (double paddy : {20'021.0, 25'000.0, -1.0, kNaN, kInf}) {
    auto f = Passed();
    f.paddy_m2 = paddy;
    ExpectField(Check(f), "result.new_cultivated_land.paddy_area",
                {"within the new cultivated land"});
  }
}

TEST(Acceptance, GrainCapacityIsNotNegative) {
  auto f = Passed();
  f.grain_capacity_kg.reset();
  ExpectOk(Check(f));
  f.grain_capacity_kg = 0;
  ExpectOk(Check(f));
  for (double kg : {-1.0, kNaN}) {
    f.grain_capacity_kg = kg;
    ExpectField(Check(f), "result.new_cultivated_land.grain_capacity_kg", {"must not be negative"});
  }
}

TEST(Acceptance, NewCultivatedIsAPositiveArea) {
  for (double m2 : {0.0, -20'000.0, kNaN, kInf}) {
    auto f = Passed();
    f.new_cultivated = YieldGeometry{m2, 20'000, 0};
    ExpectField(Check(f), "result.new_cultivated_land.area", {"must be a positive area"});
  }
}

TEST(Acceptance, NewCultivatedIsAtMostTheLandRestoredToCultivation) {
  // 50,000 m² restored to cultivated land; tolerance 50 m².
  auto f = Passed();
  f.new_cultivated = YieldGeometry{50'000, 50'000, 0};
  ExpectOk(Check(f));
  f.new_cultivated = YieldGeometry{50'049, 50'049, 0};
  ExpectOk(Check(f));
  f.new_cultivated = YieldGeometry{50'100, 50'100, 0};
  ExpectField(Check(f), "result.new_cultivated_land.area",
              {"50100.0 m² of new cultivated land is more than the 50000.0 m² restored to "
               "cultivated land"});
  // Areas by class without cultivated land: none of it may be new cultivated land.
  f = Passed();
  f.restored_by_kind = {{kForest, 80'000}};
  ExpectField(Check(f), "result.new_cultivated_land.area",
              {"20000.0 m²", "more than the 0.0 m² restored to cultivated land"});
  // No areas by class: nothing to compare with.
  f.restored_by_kind.clear();
  ExpectOk(Check(f));
}

TEST(Acceptance, NewCultivatedGeometryHasTheClaimedArea) {
  // Claimed 20,000 m²: tolerance 20 m² (0.1 % of the geometry).
  auto f = Passed();
  f.new_cultivated = YieldGeometry{20'000, 20'010, 0};
  ExpectOk(Check(f));
  f.new_cultivated = YieldGeometry{20'000, 19'990, 0};
  ExpectOk(Check(f));
  f.new_cultivated = YieldGeometry{20'000, 20'030, 0};
  ExpectField(Check(f), "result.new_cultivated_land.geometry",
              {"covers 20030.0 m² but 20000.0 m² is claimed"});
  f.new_cultivated = YieldGeometry{20'000, 19'970, 0};
  ExpectField(Check(f), "result.new_cultivated_land.geometry", {"covers 19970.0 m²"});
  for (double m2 : {0.0, -20'000.0, kNaN}) {
    f.new_cultivated = YieldGeometry{20'000, m2, 0};
    ExpectField(Check(f), "result.new_cultivated_land.geometry", {"20000.0 m² is claimed"});
  }
}

TEST(Acceptance, NewCultivatedLiesInsideTheProject) {
  auto f = Passed();
  f.new_cultivated = YieldGeometry{20'000, 20'000, 15};  // within the 20 m² tolerance
  ExpectOk(Check(f));
  f.new_cultivated = YieldGeometry{20'000, 20'000, 25};
  ExpectRefusal(Check(f), "YIELD_OUTSIDE_PROJECT", "result.new_cultivated_land.geometry",
                {"result.new_cultivated_land.geometry: 25.0 m² lies outside the project area"});
  f.new_cultivated = YieldGeometry{20'000, 20'000, kNaN};
  ExpectRefusal(Check(f), "YIELD_OUTSIDE_PROJECT", "result.new_cultivated_land.geometry",
                {"lies outside the project area"});
}

TEST(Acceptance, ReclaimedConstructionLand) {
  auto f = Passed();
  f.reclaimed_construction.reset();
  ExpectOk(Check(f));
  for (double m2 : {0.0, -5'000.0, kNaN}) {
    f.reclaimed_construction = YieldGeometry{m2, 5'000, 0};
    ExpectField(Check(f), "result.reclaimed_construction_land", {"must be a positive area"});
  }
  // 5,000 m²: the tolerance is 5 m².
  f.reclaimed_construction = YieldGeometry{5'000, 5'004, 0};
  ExpectOk(Check(f));
  f.reclaimed_construction = YieldGeometry{5'000, 5'006, 0};
  ExpectField(Check(f), "result.reclaimed_construction_geometry",
              {"covers 5006.0 m² but 5000.0 m² is claimed"});
  f.reclaimed_construction = YieldGeometry{5'000, kNaN, 0};
  ExpectField(Check(f), "result.reclaimed_construction_geometry", {"5000.0 m² is claimed"});
  f.reclaimed_construction = YieldGeometry{5'000, 5'000, 4};
  ExpectOk(Check(f));
  f.reclaimed_construction = YieldGeometry{5'000, 5'000, 6};
  ExpectRefusal(Check(f), "YIELD_OUTSIDE_PROJECT", "result.reclaimed_construction_geometry",
                {"6.0 m² lies outside the project area"});
}

TEST(Acceptance, TheFirstRefusalIsTheOneReported) {
  // The yield outside the project is refused before the grade is looked at.
  auto f = Passed();
  f.new_cultivated = YieldGeometry{20'000, 20'000, 500};
  f.quality_grade = 0;
  ExpectRefusal(Check(f), "YIELD_OUTSIDE_PROJECT", "result.new_cultivated_land.geometry");
  // The total is checked before the classes.
  f = Passed();
  f.total_restored_m2 = 0;
  ExpectField(Check(f), "result.total_restored_area");
}

// ---------------------------------------------------------------- 虚增耕地

CultivatedOverlap Overlap(std::string zone, double m2) {
  return {"layer-cl-410102", 7, std::move(zone), m2};
}

TEST(NewCultivatedIsNew, NoOverlapIsNew) {
  ExpectOk(CheckNewCultivatedIsNew({}, 20'000, Defaults()));
  ExpectOk(CheckNewCultivatedIsNew({Overlap("Z-01", 0)}, 20'000, Defaults()));
}

TEST(NewCultivatedIsNew, OverlapWithinToleranceIsNew) {
  // 20,000 m² claimed: tolerance 20 m².
  ExpectOk(CheckNewCultivatedIsNew({Overlap("Z-01", 19)}, 20'000, Defaults()));
  ExpectOk(CheckNewCultivatedIsNew({Overlap("Z-01", 9), Overlap("Z-02", 9)}, 20'000, Defaults()));
  // 500 m² claimed: the absolute 1 m².
  ExpectOk(CheckNewCultivatedIsNew({Overlap("Z-01", 1)}, 500, Defaults()));
  ExpectRefusal(CheckNewCultivatedIsNew({Overlap("Z-01", 1.5)}, 500, Defaults()),
                "NEW_CULTIVATED_LAND_NOT_NEW", "layer-cl-410102", {"1.5 m² of the 500.0 m²"});
}

TEST(NewCultivatedIsNew, OverlapAboveToleranceIsRefusedWithWhereAndHowMuch) {
  ExpectRefusal(
      CheckNewCultivatedIsNew({Overlap("Z-410102-03", 300)}, 20'000, Defaults()),
      "NEW_CULTIVATED_LAND_NOT_NEW", "layer-cl-410102",
      {"300.0 m² of the 20000.0 m² claimed as new cultivated land is cultivated land already",
       "zone Z-410102-03 of layer layer-cl-410102 version 7 (300.0 m²)",
       "only the other 19700.0 m² may be new", "虚增耕地"});
}

TEST(NewCultivatedIsNew, OverlapsAddUpAcrossZones) {
  // Each within the tolerance, together above it.
  ExpectRefusal(
      CheckNewCultivatedIsNew({Overlap("Z-01", 15), Overlap("Z-02", 15)}, 20'000, Defaults()),
      "NEW_CULTIVATED_LAND_NOT_NEW", "layer-cl-410102",
      {"30.0 m² of the 20000.0 m²", "zone Z-01 of layer layer-cl-410102 version 7 (15.0 m²)",
       "zone Z-02 of layer layer-cl-410102 version 7 (15.0 m²)",
       "only the other 19970.0 m² may be new"});
}

TEST(NewCultivatedIsNew, AllOfItAlreadyCultivated) {
  ExpectRefusal(CheckNewCultivatedIsNew({Overlap("Z-01", 20'000)}, 20'000, Defaults()),
                "NEW_CULTIVATED_LAND_NOT_NEW", "layer-cl-410102",
                {"20000.0 m² of the 20000.0 m²", "only the other 0.0 m² may be new"});
}

}  // namespace
}  // namespace nrp::restoration
