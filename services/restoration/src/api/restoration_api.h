// The gRPC handlers of nrp.restoration.v1.RestorationService: each goes through the call
// wrapper (service::Serve, service::Mutate: caller, scope, rate limit, idempotency, audit,
// trace, error mapping) and hands the work to the application layer (app/).
#pragma once

#include <functional>
#include <string_view>

#include "app/restoration_app.h"
#include "nrp/restoration/v1/restoration.grpc.pb.h"
#include "nrp/rpc/auth.h"
#include "nrp/service/call.h"

namespace nrp::restoration {

inline constexpr std::string_view kReadScope = "restoration.read";
inline constexpr std::string_view kWriteScope = "restoration.write";
inline constexpr std::string_view kPiiScope = "restoration.pii";
inline constexpr std::string_view kErrorDomain = "restoration.nrp";
inline constexpr std::string_view kServiceName = "nrp.restoration.v1.RestorationService";

class RestorationApi final : public v1::RestorationService::Service {
 public:
  RestorationApi(service::Runtime& rt, RestorationApp& app) : rt_(rt), app_(app) {}
  using Ctx = grpc::ServerContext;

  grpc::Status ProposeProject(Ctx*, const v1::ProposeProjectRequest*, v1::Project*) override;
  grpc::Status GetProject(Ctx*, const v1::GetProjectRequest*, v1::Project*) override;
  grpc::Status ListProjects(Ctx*, const v1::ListProjectsRequest*,
                            v1::ListProjectsResponse*) override;
  grpc::Status ApproveProject(Ctx*, const v1::ApproveProjectRequest*, v1::Project*) override;
  grpc::Status RecordFunding(Ctx*, const v1::RecordFundingRequest*, v1::Project*) override;
  grpc::Status AssessProjectRisk(Ctx*, const v1::AssessProjectRiskRequest*, v1::Project*) override;
  grpc::Status StartProject(Ctx*, const v1::StartProjectRequest*, v1::Project*) override;
  grpc::Status ReportProgress(Ctx*, const v1::ReportProgressRequest*,
                              v1::ProgressReport*) override;
  grpc::Status ListProgressReports(Ctx*, const v1::ListProgressReportsRequest*,
                                   v1::ListProgressReportsResponse*) override;
  grpc::Status CompleteProject(Ctx*, const v1::CompleteProjectRequest*, v1::Project*) override;
  grpc::Status RecordAcceptance(Ctx*, const v1::RecordAcceptanceRequest*, v1::Project*) override;
  grpc::Status StartMaintenance(Ctx*, const v1::StartMaintenanceRequest*, v1::Project*) override;
  grpc::Status CancelProject(Ctx*, const v1::CancelProjectRequest*, v1::Project*) override;
  grpc::Status CreateObligation(Ctx*, const v1::CreateObligationRequest*,
                                v1::Obligation*) override;
  grpc::Status GetObligation(Ctx*, const v1::GetObligationRequest*, v1::Obligation*) override;
  grpc::Status ListObligations(Ctx*, const v1::ListObligationsRequest*,
                               v1::ListObligationsResponse*) override;
  grpc::Status AssignObligationProject(Ctx*, const v1::AssignObligationProjectRequest*,
                                       v1::Obligation*) override;
  grpc::Status AssumeObligation(Ctx*, const v1::AssumeObligationRequest*,
                                v1::Obligation*) override;
  grpc::Status GetFundAccount(Ctx*, const v1::GetFundAccountRequest*, v1::FundAccount*) override;
  grpc::Status ListFundAccounts(Ctx*, const v1::ListFundAccountsRequest*,
                                v1::ListFundAccountsResponse*) override;
  grpc::Status DepositToFund(Ctx*, const v1::DepositToFundRequest*, v1::FundEntry*) override;
  grpc::Status WithdrawFromFund(Ctx*, const v1::WithdrawFromFundRequest*,
                                v1::FundEntry*) override;
  grpc::Status ListFundEntries(Ctx*, const v1::ListFundEntriesRequest*,
                               v1::ListFundEntriesResponse*) override;

 private:
  template <class Resp>
  grpc::Status Serve(Ctx* ctx, std::string_view scope, Resp* out,
                     const std::function<Result<Resp>(const rpc::Caller&)>& fn) {
    return service::Serve<Resp>(rt_, ctx, scope, kErrorDomain, out, fn);
  }
  // A mutation of the application layer, idempotent and audited; `subject` names the
  // aggregate in the audit row from the answer.
  template <class Resp>
  Result<Resp> Mutate(const rpc::Caller& caller, std::string_view method,
                      const std::string& request_id, const google::protobuf::Message& request,
                      const std::function<Result<Resp>(pqxx::work&, const Authorize&)>& work,
                      const std::function<service::AuditSubject(const Resp&)>& subject) {
    return service::MutateInRegion<Resp>(rt_, caller, {kServiceName, method}, kWriteScope,
                                         request_id, request, work, subject);
  }
  // A project mutation on `project_id` (checked to be a UUID), answered with the project.
  grpc::Status MutateProject(Ctx* ctx, std::string_view method, const std::string& request_id,
                             const std::string& project_id,
                             const google::protobuf::Message& request, v1::Project* out,
                             const std::function<Result<v1::Project>(pqxx::work&,
                                                                     const Authorize&)>& work);
  Authorize ReadIn(const rpc::Caller& caller) const {
    return [&caller](const std::string& r) { return rpc::Authorize(caller, kReadScope, r); };
  }

  service::Runtime& rt_;
  RestorationApp& app_;
};

}  // namespace nrp::restoration
