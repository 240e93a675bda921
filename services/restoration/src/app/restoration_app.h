// The use cases of ecological restoration: a project from the project library to acceptance
// and maintenance, the obligations of mine holders (谁破坏、谁治理) and the restoration fund of
// each mining right. Each works inside the caller's transaction; the gRPC handlers (api/) and
// the consumers of mining rights' events (events/) call them; no gRPC here.
#pragma once

#include <functional>
#include <string>

#include "domain/rules.h"
#include "nrp/core/config.h"
#include "nrp/mining_rights/v1/resources.pb.h"
#include "nrp/restoration/v1/resources.pb.h"
#include "nrp/service/runtime.h"

namespace nrp::restoration {

namespace v1 = ::nrp::restoration::v1;

struct RestorationConfig {
  Rules rules = Rules::Defaults();
  // Problems are recorded in `env` (Env::Check).
  static RestorationConfig FromEnv(Env& env);
};

// Who may act on a region: the call's authorisation, checked once the resource's region is
// known (the handlers pass the caller's; consumers pass one that allows every region).
using Authorize = std::function<Status(const std::string& region_code)>;

// What a mining-rights event ending a mine (闭坑, 注销, 自行废止) carries for restoration.
struct MineEnded {
  std::string event_id;  // ce_id: an event opens at most one obligation
  std::string ce_type;   // decides the obligation's origin
  std::string right_id;
  std::string region_code;
  std::string licence_number;
  nrp::common::v1::Party holder;
  nrp::common::v1::Geometry geometry;
  nrp::mining_rights::v1::RestorationDuty duty;
  bool duty_fulfilled = false;
  Date ended_on;
};

class RestorationApp {
 public:
  RestorationApp(service::Runtime& rt, RestorationConfig config);
  const RestorationConfig& config() const { return config_; }

  // ---- projects
  // A PROPOSED project from `input` (output-only fields ignored): its region, kind, township
  // (land consolidation), area (PostGIS), planned figures, measures and who answers for it
  // (CheckProjectParties); a holder's project names a right restoration knows, held by the
  // responsible party. ProjectProposed.
  Result<v1::Project> ProposeProject(pqxx::work& tx, const v1::Project& input,
                                     const Authorize& authorize);
  // PROPOSED → APPROVED with its budget, approval and project number. ProjectApproved.
  Result<v1::Project> ApproveProject(pqxx::work& tx, const std::string& project_id,
                                     const nrp::common::v1::Money& budget,
                                     const nrp::common::v1::DocumentReference& approval,
                                     const Authorize& authorize);
  // Funding from a source other than the holder's fund, never beyond the budget; FUNDED once
  // the budget is covered. ProjectFunded.
  Result<v1::Project> RecordFunding(pqxx::work& tx, const std::string& project_id,
                                    const v1::Funding& funding, const Authorize& authorize);
  // The risk assessment (Kaifeng 001.md §3D); a medium or high risk names its mitigations.
  Result<v1::Project> AssessRisk(pqxx::work& tx, const std::string& project_id,
                                 const v1::RiskAssessment& assessment, const Authorize& authorize);
  // FUNDED and assessed → IN_PROGRESS on a day not after today. ProjectStarted.
  Result<v1::Project> StartProject(pqxx::work& tx, const std::string& project_id,
                                   const nrp::common::v1::Date& started_on,
                                   const Authorize& authorize);
  // A progress report of an IN_PROGRESS project: its figures never go back. ProgressReported.
  Result<v1::ProgressReport> ReportProgress(pqxx::work& tx, const v1::ProgressReport& input,
                                            const Authorize& authorize);
  // → COMPLETED, after at least one progress report (supervision). ProjectCompleted.
  Result<v1::Project> CompleteProject(pqxx::work& tx, const std::string& project_id,
                                      const nrp::common::v1::Date& completed_on,
                                      const nrp::common::v1::DocumentReference& report,
                                      const Authorize& authorize);
  // A COMPLETED project's acceptance. Failed: ACCEPTANCE_FAILED (ProjectAcceptanceFailed).
  // Passed: its yields checked (CheckPassedAcceptance) and its new cultivated land checked
  // against the cultivated-land layer in force (CheckNewCultivatedIsNew); ACCEPTED, the
  // obligations it took on FULFILLED (ObligationFulfilled each), ProjectAccepted with the
  // yields, once.
  Result<v1::Project> RecordAcceptance(pqxx::work& tx, const std::string& project_id,
                                       const v1::AcceptanceResult& result,
                                       const Authorize& authorize);
  // ACCEPTED → MAINTENANCE until a day after the acceptance. MaintenanceStarted.
  Result<v1::Project> StartMaintenance(pqxx::work& tx, const std::string& project_id,
                                       const nrp::common::v1::Date& until,
                                       const nrp::common::v1::Party& maintainer,
                                       const Authorize& authorize);
  // → CANCELLED before acceptance; the obligations it took on are released. ProjectCancelled.
  Result<v1::Project> CancelProject(pqxx::work& tx, const std::string& project_id,
                                    const std::string& reason, const Authorize& authorize);

  // ---- obligations
  // An obligation opened by hand (e.g. an enforcement order): ONGOING for a grant duty
  // (no due date), DUE with its due date otherwise; one open obligation per right.
  // ObligationOpened (holder masked), and ObligationDue when due.
  Result<v1::Obligation> CreateObligation(pqxx::work& tx, const v1::Obligation& input,
                                          const Authorize& authorize);
  // An ONGOING or DUE obligation taken on by a project of its holder on its right, meeting
  // its area. ObligationAssigned.
  Result<v1::Obligation> AssignObligationProject(pqxx::work& tx, const std::string& obligation_id,
                                                 const std::string& project_id,
                                                 const Authorize& authorize);
  // A DUE obligation whose holder no longer exists assumed by the government. ObligationAssumed.
  Result<v1::Obligation> AssumeObligation(pqxx::work& tx, const std::string& obligation_id,
                                          const nrp::common::v1::DocumentReference& evidence,
                                          const Authorize& authorize);

  // ---- restoration funds
  // A deposit. FundEntryBooked.
  Result<v1::FundEntry> Deposit(pqxx::work& tx, const std::string& account_id,
                                const nrp::common::v1::Money& amount,
                                const nrp::common::v1::Date& booked_on,
                                const nrp::common::v1::DocumentReference& receipt,
                                const Authorize& authorize);
  // A withdrawal for a project restoring the account's right, within the balance and the
  // project's budget; recorded as the project's funding from the holder's fund.
  // FundEntryBooked, ProjectFunded.
  Result<v1::FundEntry> Withdraw(pqxx::work& tx, const std::string& account_id,
                                 const nrp::common::v1::Money& amount,
                                 const std::string& project_id,
                                 const nrp::common::v1::Date& booked_on,
                                 const nrp::common::v1::DocumentReference& voucher,
                                 const Authorize& authorize);

  // ---- from mining rights' events
  // A right registered (granted, entered, a split's part, a merged right): known, and its
  // fund account opened (FundAccountOpened) or, when its number's account exists, moved to it.
  Status OnRightRegistered(pqxx::work& tx, const nrp::mining_rights::v1::MiningRight& right);
  // The new holder of a right and of its fund account.
  Status OnRightTransferred(pqxx::work& tx, const std::string& right_id,
                            const nrp::common::v1::Party& holder);
  // A mine closed, a right cancelled or lapsed: with the duty unfulfilled, the right's
  // obligation opened (ObligationOpened, ObligationDue) unless one is open already, whose
  // grant duty then falls due, or the mine's end opened one before (a mine ends once: the
  // cancellation after a closure, or an ending event read again, opens none).
  Status OnMineEnded(pqxx::work& tx, const MineEnded& ended);

 private:
  Status Publish(pqxx::dbtransaction& tx, const google::protobuf::Message& event,
                 const std::string& region_code);
  Date Today() const;

  service::Runtime& rt_;
  RestorationConfig config_;
};

}  // namespace nrp::restoration
