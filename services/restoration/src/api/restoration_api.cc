#include "api/restoration_api.h"

#include "nrp/core/log.h"
#include "nrp/core/uuid.h"
#include "nrp/list/list.h"
#include "store/store.h"

namespace nrp::restoration {

namespace {

namespace cpb = ::nrp::common::v1;

Status RequireUuid(const std::string& value, const std::string& field) {
  if (value.empty()) return Error::InvalidArgument(field, "is required");
  if (!IsUuid(value)) return Error::InvalidArgument(field, "must be a UUID, got '" + value + "'");
  return Ok();
}

void Mask(cpb::Party* p) {
  if (!p->id_number().empty()) p->set_id_number(log::MaskIdNumber(p->id_number()));
  if (!p->phone().empty()) p->set_phone(log::MaskIdNumber(p->phone()));
}

// Parties' id numbers and phones only with the PII scope.
void Redact(const rpc::Caller& caller, v1::Project* p) {
  if (caller.HasScope(kPiiScope)) return;
  if (p->has_responsible_party()) Mask(p->mutable_responsible_party());
  for (auto& f : *p->mutable_funding()) {
    if (f.has_funder()) Mask(f.mutable_funder());
  }
}
void Redact(const rpc::Caller& caller, v1::Obligation* o) {
  if (!caller.HasScope(kPiiScope)) Mask(o->mutable_holder());
}
void Redact(const rpc::Caller& caller, v1::FundAccount* a) {
  if (!caller.HasScope(kPiiScope)) Mask(a->mutable_holder());
}

service::AuditSubject ProjectSubject(const v1::Project& p) {
  return {p.region_code(), "projects/" + p.project_id()};
}
service::AuditSubject ObligationSubject(const v1::Obligation& o) {
  return {o.region_code(), "obligations/" + o.obligation_id()};
}
service::AuditSubject EntrySubject(const v1::FundEntry& e) {
  return {"", "fundAccounts/" + e.account_id() + "/entries/" + std::to_string(e.sequence())};
}

}  // namespace

grpc::Status RestorationApi::MutateProject(
    Ctx* ctx, std::string_view method, const std::string& request_id,
    const std::string& project_id, const google::protobuf::Message& request, v1::Project* out,
    const std::function<Result<v1::Project>(pqxx::work&, const Authorize&)>& work) {
  return Serve<v1::Project>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::Project> {
        NRP_RETURN_IF_ERROR(RequireUuid(project_id, "project_id"));
        NRP_ASSIGN_OR_RETURN(auto p, Mutate<v1::Project>(caller, method, request_id, request,
                                                         work, ProjectSubject));
        Redact(caller, &p);
        return p;
      });
}

// ---------------------------------------------------------------- projects

grpc::Status RestorationApi::ProposeProject(Ctx* ctx, const v1::ProposeProjectRequest* req,
                                            v1::Project* out) {
  return Serve<v1::Project>(ctx, kWriteScope, out,
                            [&](const rpc::Caller& caller) -> Result<v1::Project> {
                              NRP_ASSIGN_OR_RETURN(
                                  auto p, Mutate<v1::Project>(
                                              caller, "ProposeProject", req->request_id(), *req,
                                              [&](pqxx::work& tx, const Authorize& a) {
                                                return app_.ProposeProject(tx, req->project(), a);
                                              },
                                              ProjectSubject));
                              Redact(caller, &p);
                              return p;
                            });
}

grpc::Status RestorationApi::GetProject(Ctx* ctx, const v1::GetProjectRequest* req,
                                        v1::Project* out) {
  return Serve<v1::Project>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::Project> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->project_id(), "project_id"));
        NRP_ASSIGN_OR_RETURN(auto row, service::Read<store::ProjectRow>(rt_, [&](pqxx::work& tx) {
                               return store::GetProject(tx, req->project_id(), false);
                             }));
        NRP_RETURN_IF_ERROR(ReadIn(caller)(row.project.region_code()));
        Redact(caller, &row.project);
        return row.project;
      });
}

grpc::Status RestorationApi::ListProjects(Ctx* ctx, const v1::ListProjectsRequest* req,
                                          v1::ListProjectsResponse* out) {
  return Serve<v1::ListProjectsResponse>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::ListProjectsResponse> {
        NRP_ASSIGN_OR_RETURN(auto q, list::Parse(store::ProjectList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto page,
                             service::Read<list::Page<v1::Project>>(rt_, [&](pqxx::work& tx) {
                               return store::ListProjects(tx, q, caller.region_prefixes);
                             }));
        v1::ListProjectsResponse resp;
        for (auto& p : page.items) {
          Redact(caller, &p);
          *resp.add_projects() = std::move(p);
        }
        resp.set_next_page_token(page.next_page_token);
        return resp;
      });
}

grpc::Status RestorationApi::ApproveProject(Ctx* ctx, const v1::ApproveProjectRequest* req,
                                            v1::Project* out) {
  return MutateProject(ctx, "ApproveProject", req->request_id(), req->project_id(), *req, out,
                       [&](pqxx::work& tx, const Authorize& a) {
                         return app_.ApproveProject(tx, req->project_id(), req->budget(),
                                                    req->approval(), a);
                       });
}

grpc::Status RestorationApi::RecordFunding(Ctx* ctx, const v1::RecordFundingRequest* req,
                                           v1::Project* out) {
  return MutateProject(ctx, "RecordFunding", req->request_id(), req->project_id(), *req, out,
                       [&](pqxx::work& tx, const Authorize& a) {
                         return app_.RecordFunding(tx, req->project_id(), req->funding(), a);
                       });
}

grpc::Status RestorationApi::AssessProjectRisk(Ctx* ctx, const v1::AssessProjectRiskRequest* req,
                                               v1::Project* out) {
  return MutateProject(ctx, "AssessProjectRisk", req->request_id(), req->project_id(), *req, out,
                       [&](pqxx::work& tx, const Authorize& a) {
                         return app_.AssessRisk(tx, req->project_id(), req->assessment(), a);
                       });
}

grpc::Status RestorationApi::StartProject(Ctx* ctx, const v1::StartProjectRequest* req,
                                          v1::Project* out) {
  return MutateProject(ctx, "StartProject", req->request_id(), req->project_id(), *req, out,
                       [&](pqxx::work& tx, const Authorize& a) {
                         return app_.StartProject(tx, req->project_id(), req->started_on(), a);
                       });
}

grpc::Status RestorationApi::ReportProgress(Ctx* ctx, const v1::ReportProgressRequest* req,
                                            v1::ProgressReport* out) {
  return Serve<v1::ProgressReport>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::ProgressReport> {
        return Mutate<v1::ProgressReport>(
            caller, "ReportProgress", req->request_id(), *req,
            [&](pqxx::work& tx, const Authorize& a) {
              return app_.ReportProgress(tx, req->report(), a);
            },
            [](const v1::ProgressReport& r) {
              return service::AuditSubject{"", "projects/" + r.project_id() + "/reports/" +
                                                   r.report_id()};
            });
      });
}

grpc::Status RestorationApi::ListProgressReports(Ctx* ctx,
                                                 const v1::ListProgressReportsRequest* req,
                                                 v1::ListProgressReportsResponse* out) {
  return Serve<v1::ListProgressReportsResponse>(
      ctx, kReadScope, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListProgressReportsResponse> {
        NRP_ASSIGN_OR_RETURN(auto q,
                             list::Parse(store::ProgressReportList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(
            auto page, service::Read<list::Page<v1::ProgressReport>>(rt_, [&](pqxx::work& tx) {
              return store::ListProgressReports(tx, q, caller.region_prefixes);
            }));
        v1::ListProgressReportsResponse resp;
        for (auto& r : page.items) *resp.add_reports() = std::move(r);
        resp.set_next_page_token(page.next_page_token);
        return resp;
      });
}

grpc::Status RestorationApi::CompleteProject(Ctx* ctx, const v1::CompleteProjectRequest* req,
                                             v1::Project* out) {
  return MutateProject(ctx, "CompleteProject", req->request_id(), req->project_id(), *req, out,
                       [&](pqxx::work& tx, const Authorize& a) {
                         return app_.CompleteProject(tx, req->project_id(), req->completed_on(),
                                                     req->report(), a);
                       });
}

grpc::Status RestorationApi::RecordAcceptance(Ctx* ctx, const v1::RecordAcceptanceRequest* req,
                                              v1::Project* out) {
  return MutateProject(ctx, "RecordAcceptance", req->request_id(), req->project_id(), *req, out,
                       [&](pqxx::work& tx, const Authorize& a) {
                         return app_.RecordAcceptance(tx, req->project_id(), req->result(), a);
                       });
}

grpc::Status RestorationApi::StartMaintenance(Ctx* ctx, const v1::StartMaintenanceRequest* req,
                                              v1::Project* out) {
  return MutateProject(ctx, "StartMaintenance", req->request_id(), req->project_id(), *req, out,
                       [&](pqxx::work& tx, const Authorize& a) {
                         return app_.StartMaintenance(tx, req->project_id(),
                                                      req->maintenance_until(), req->maintainer(),
                                                      a);
                       });
}

grpc::Status RestorationApi::CancelProject(Ctx* ctx, const v1::CancelProjectRequest* req,
                                           v1::Project* out) {
  return MutateProject(ctx, "CancelProject", req->request_id(), req->project_id(), *req, out,
                       [&](pqxx::work& tx, const Authorize& a) {
                         return app_.CancelProject(tx, req->project_id(), req->reason(), a);
                       });
}

// ---------------------------------------------------------------- obligations

grpc::Status RestorationApi::CreateObligation(Ctx* ctx, const v1::CreateObligationRequest* req,
                                              v1::Obligation* out) {
  return Serve<v1::Obligation>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::Obligation> {
        NRP_ASSIGN_OR_RETURN(auto o, Mutate<v1::Obligation>(
                                         caller, "CreateObligation", req->request_id(), *req,
                                         [&](pqxx::work& tx, const Authorize& a) {
                                           return app_.CreateObligation(tx, req->obligation(), a);
                                         },
                                         ObligationSubject));
        Redact(caller, &o);
        return o;
      });
}

grpc::Status RestorationApi::GetObligation(Ctx* ctx, const v1::GetObligationRequest* req,
                                           v1::Obligation* out) {
  return Serve<v1::Obligation>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::Obligation> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->obligation_id(), "obligation_id"));
        NRP_ASSIGN_OR_RETURN(auto o, service::Read<v1::Obligation>(rt_, [&](pqxx::work& tx) {
                               return store::GetObligation(tx, req->obligation_id(), false);
                             }));
        NRP_RETURN_IF_ERROR(ReadIn(caller)(o.region_code()));
        Redact(caller, &o);
        return o;
      });
}

grpc::Status RestorationApi::ListObligations(Ctx* ctx, const v1::ListObligationsRequest* req,
                                             v1::ListObligationsResponse* out) {
  return Serve<v1::ListObligationsResponse>(
      ctx, kReadScope, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListObligationsResponse> {
        NRP_ASSIGN_OR_RETURN(auto q, list::Parse(store::ObligationList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto page,
                             service::Read<list::Page<v1::Obligation>>(rt_, [&](pqxx::work& tx) {
                               return store::ListObligations(tx, q, caller.region_prefixes);
                             }));
        v1::ListObligationsResponse resp;
        for (auto& o : page.items) {
          Redact(caller, &o);
          *resp.add_obligations() = std::move(o);
        }
        resp.set_next_page_token(page.next_page_token);
        return resp;
      });
}

grpc::Status RestorationApi::AssignObligationProject(Ctx* ctx,
                                                     const v1::AssignObligationProjectRequest* req,
                                                     v1::Obligation* out) {
  return Serve<v1::Obligation>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::Obligation> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->obligation_id(), "obligation_id"));
        NRP_RETURN_IF_ERROR(RequireUuid(req->project_id(), "project_id"));
        NRP_ASSIGN_OR_RETURN(auto o, Mutate<v1::Obligation>(
                                         caller, "AssignObligationProject", req->request_id(),
                                         *req,
                                         [&](pqxx::work& tx, const Authorize& a) {
                                           return app_.AssignObligationProject(
                                               tx, req->obligation_id(), req->project_id(), a);
                                         },
                                         ObligationSubject));
        Redact(caller, &o);
        return o;
      });
}

grpc::Status RestorationApi::AssumeObligation(Ctx* ctx, const v1::AssumeObligationRequest* req,
                                              v1::Obligation* out) {
  return Serve<v1::Obligation>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::Obligation> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->obligation_id(), "obligation_id"));
        NRP_ASSIGN_OR_RETURN(auto o, Mutate<v1::Obligation>(
                                         caller, "AssumeObligation", req->request_id(), *req,
                                         [&](pqxx::work& tx, const Authorize& a) {
                                           return app_.AssumeObligation(tx, req->obligation_id(),
                                                                        req->evidence(), a);
                                         },
                                         ObligationSubject));
        Redact(caller, &o);
        return o;
      });
}

// ---------------------------------------------------------------- restoration funds

grpc::Status RestorationApi::GetFundAccount(Ctx* ctx, const v1::GetFundAccountRequest* req,
                                            v1::FundAccount* out) {
  return Serve<v1::FundAccount>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::FundAccount> {
        if (req->account_id().empty() && req->mining_right_id().empty()) {
          return Error::InvalidArgument("account_id", "or mining_right_id is required");
        }
        if (!req->mining_right_id().empty()) {
          NRP_RETURN_IF_ERROR(RequireUuid(req->mining_right_id(), "mining_right_id"));
        }
        NRP_ASSIGN_OR_RETURN(
            auto a, service::Read<v1::FundAccount>(rt_, [&](pqxx::work& tx)
                                                            -> Result<v1::FundAccount> {
              if (!req->account_id().empty()) {
                NRP_ASSIGN_OR_RETURN(auto found, store::GetFundAccount(tx, req->account_id(), false));
                if (!req->mining_right_id().empty() &&
                    found.mining_right_id() != req->mining_right_id()) {
                  return Error::InvalidArgument("mining_right_id",
                                                "is not the right of account " +
                                                    req->account_id());
                }
                return found;
              }
              NRP_ASSIGN_OR_RETURN(auto of, store::FundAccountOfRight(tx, req->mining_right_id(),
                                                                      false));
              if (!of) {
                return Error::NotFound("right " + req->mining_right_id() +
                                       " has no restoration fund account");
              }
              return *of;
            }));
        NRP_RETURN_IF_ERROR(ReadIn(caller)(a.region_code()));
        Redact(caller, &a);
        return a;
      });
}

grpc::Status RestorationApi::ListFundAccounts(Ctx* ctx, const v1::ListFundAccountsRequest* req,
                                              v1::ListFundAccountsResponse* out) {
  return Serve<v1::ListFundAccountsResponse>(
      ctx, kReadScope, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListFundAccountsResponse> {
        NRP_ASSIGN_OR_RETURN(auto q, list::Parse(store::FundAccountList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto page,
                             service::Read<list::Page<v1::FundAccount>>(rt_, [&](pqxx::work& tx) {
                               return store::ListFundAccounts(tx, q, caller.region_prefixes);
                             }));
        v1::ListFundAccountsResponse resp;
        for (auto& a : page.items) {
          Redact(caller, &a);
          *resp.add_accounts() = std::move(a);
        }
        resp.set_next_page_token(page.next_page_token);
        return resp;
      });
}

grpc::Status RestorationApi::DepositToFund(Ctx* ctx, const v1::DepositToFundRequest* req,
                                           v1::FundEntry* out) {
  return Serve<v1::FundEntry>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::FundEntry> {
        return Mutate<v1::FundEntry>(
            caller, "DepositToFund", req->request_id(), *req,
            [&](pqxx::work& tx, const Authorize& a) {
              return app_.Deposit(tx, req->account_id(), req->amount(), req->booked_on(),
                                  req->receipt(), a);
            },
            EntrySubject);
      });
}

grpc::Status RestorationApi::WithdrawFromFund(Ctx* ctx, const v1::WithdrawFromFundRequest* req,
                                              v1::FundEntry* out) {
  return Serve<v1::FundEntry>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::FundEntry> {
        return Mutate<v1::FundEntry>(
            caller, "WithdrawFromFund", req->request_id(), *req,
            [&](pqxx::work& tx, const Authorize& a) {
              return app_.Withdraw(tx, req->account_id(), req->amount(), req->project_id(),
                                   req->booked_on(), req->voucher(), a);
            },
            EntrySubject);
      });
}

grpc::Status RestorationApi::ListFundEntries(Ctx* ctx, const v1::ListFundEntriesRequest* req,
                                             v1::ListFundEntriesResponse* out) {
  return Serve<v1::ListFundEntriesResponse>(
      ctx, kReadScope, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListFundEntriesResponse> {
        NRP_ASSIGN_OR_RETURN(auto q, list::Parse(store::FundEntryList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto page,
                             service::Read<list::Page<v1::FundEntry>>(rt_, [&](pqxx::work& tx) {
                               return store::ListFundEntries(tx, q, caller.region_prefixes);
                             }));
        v1::ListFundEntriesResponse resp;
        for (auto& e : page.items) *resp.add_entries() = std::move(e);
        resp.set_next_page_token(page.next_page_token);
        return resp;
      });
}

}  // namespace nrp::restoration
