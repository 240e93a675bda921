// Registration cases: submission, the flow's transitions, recording (登簿) with the
// certificate generated in the same transaction, certificate delivery, queries.
#include "api/internal.h"
#include "domain/certificate_number.h"
#include "domain/convert.h"
#include "domain/query.h"
#include "domain/register.h"
#include "nrp/core/uuid.h"
#include "nrp/db/transaction.h"
#include "nrp/registration/v1/events.pb.h"
#include "signing/electronic_certificate.h"
#include "store/store.h"

namespace nrp::registration {

namespace {

bool WaitsOnDeadlines(v1::CaseState state) {
  return state == v1::CASE_STATE_ACCEPTED || state == v1::CASE_STATE_REVIEWED ||
         state == v1::CASE_STATE_PUBLIC_NOTICE;
}

// Keeps the deadlines a transition set with their rules, and closes them once the case no
// longer waits on them.
void KeepDeadlines(pqxx::work& tx, service::Runtime& rt, const CaseTransition& t) {
  const std::string subject = "cases/" + t.next.case_id();
  for (const DeadlineSet& d : t.deadlines) {
    service::Deadlines::Put(tx, subject, d.name, d.rule, d.deadline, rt.clock().Now());
  }
  if (!WaitsOnDeadlines(t.next.state())) service::Deadlines::Close(tx, subject);
}

Result<v1::RegistrationCase> Store(pqxx::work& tx, const RegistrationApp& app,
                                   Result<CaseTransition> t) {
  if (!t.ok()) return std::move(t.error());
  NRP_RETURN_IF_ERROR(store::UpdateCase(tx, t->next));
  KeepDeadlines(tx, app.runtime(), *t);
  NRP_RETURN_IF_ERROR(app.PublishAll(tx, t->events));
  return std::move(t->next);
}

Status RequireUuid(const std::string& value, const std::string& field) {
  if (value.empty()) return Error::InvalidArgument(field, "is required");
  if (!IsUuid(value)) return Error::InvalidArgument(field, "must be a UUID, got '" + value + "'");
  return Ok();
}

}  // namespace

grpc::Status RegistrationApi::CaseMutation(grpc::ServerContext* ctx, std::string_view method,
                                           const std::string& request_id,
                                           const std::string& case_id,
                                           const google::protobuf::Message& request,
                                           v1::RegistrationCase* out, const CaseWork& work) {
  return Serve<v1::RegistrationCase>(
      ctx, kScopeWrite, out, [&](const rpc::Caller& caller) -> Result<v1::RegistrationCase> {
        NRP_RETURN_IF_ERROR(RequireUuid(case_id, "case_id"));
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::RegistrationCase>(
                        caller, method, request_id, request,
                        [&](pqxx::work& tx, AuditInfo& audit) -> Result<v1::RegistrationCase> {
                          NRP_ASSIGN_OR_RETURN(auto c,
                                               store::GetCase(tx, case_id, /*for_update=*/true));
                          if (!c) return Error::NotFound("case " + case_id + " not found");
                          NRP_RETURN_IF_ERROR(rpc::Authorize(caller, "", c->region_code()));
                          audit = {c->region_code(), "cases/" + case_id};
                          return work(tx, std::move(*c), caller);
                        }));
        if (r.state() == v1::CASE_STATE_RECORDED ||
            r.state() == v1::CASE_STATE_CERTIFICATE_ISSUED) {
          InvalidateUnit(r.unit_code());
        }
        if (!SeesPii(caller)) MaskCase(&r);
        return r;
      });
}

grpc::Status RegistrationApi::SubmitCase(grpc::ServerContext* ctx, const v1::SubmitCaseRequest* req,
                                         v1::RegistrationCase* out) {
  return Serve<v1::RegistrationCase>(
      ctx, kScopeWrite, out, [&](const rpc::Caller& caller) -> Result<v1::RegistrationCase> {
        NRP_ASSIGN_OR_RETURN(
            auto r, Mutate<v1::RegistrationCase>(
                        caller, "SubmitCase", req->request_id(), *req,
                        [&](pqxx::work& tx, AuditInfo& audit) -> Result<v1::RegistrationCase> {
                          NRP_ASSIGN_OR_RETURN(Application app,
                                               Application::Validate(req->registration_case()));
                          NRP_RETURN_IF_ERROR(rpc::Authorize(caller, "", app.get().region_code()));
                          NRP_ASSIGN_OR_RETURN(auto c, app_.OpenCase(tx, app));
                          audit = {c.region_code(), "cases/" + c.case_id()};
                          return c;
                        }));
        if (!SeesPii(caller)) MaskCase(&r);
        return r;
      });
}

grpc::Status RegistrationApi::GetCase(grpc::ServerContext* ctx, const v1::GetCaseRequest* req,
                                      v1::RegistrationCase* out) {
  return Serve<v1::RegistrationCase>(
      ctx, kScopeRead, out, [&](const rpc::Caller& caller) -> Result<v1::RegistrationCase> {
        NRP_RETURN_IF_ERROR(RequireUuid(req->case_id(), "case_id"));
        NRP_ASSIGN_OR_RETURN(auto c, db::Transact(rt_.db(), [&](pqxx::work& tx) {
                               return store::GetCase(tx, req->case_id());
                             }));
        if (!c) return Error::NotFound("case " + req->case_id() + " not found");
        NRP_RETURN_IF_ERROR(rpc::Authorize(caller, "", c->region_code()));
        if (!SeesPii(caller)) MaskCase(&*c);
        return std::move(*c);
      });
}

grpc::Status RegistrationApi::ListCases(grpc::ServerContext* ctx, const v1::ListCasesRequest* req,
                                        v1::ListCasesResponse* out) {
  return Serve<v1::ListCasesResponse>(
      ctx, kScopeRead, out, [&](const rpc::Caller& caller) -> Result<v1::ListCasesResponse> {
        NRP_ASSIGN_OR_RETURN(auto query, list::Parse(store::CaseList(), list::RequestOf(*req)));
        NRP_ASSIGN_OR_RETURN(auto rows, db::Transact(rt_.db(), [&](pqxx::work& tx) {
                               return store::ListCases(tx, caller.region_prefixes, query);
                             }));
        v1::ListCasesResponse resp;
        resp.set_next_page_token(rows.next_page_token);
        for (auto& item : rows.items) {
          v1::RegistrationCase* c = resp.add_cases();
          *c = std::move(item);
          if (!SeesPii(caller)) MaskCase(c);
        }
        return resp;
      });
}

grpc::Status RegistrationApi::AcceptCase(grpc::ServerContext* ctx, const v1::AcceptCaseRequest* req,
                                         v1::RegistrationCase* out) {
  return CaseMutation(ctx, "AcceptCase", req->request_id(), req->case_id(), *req, out,
                      [&](pqxx::work& tx, v1::RegistrationCase c, const rpc::Caller&) {
                        return Store(tx, app_, Accept(c, Flow()));
                      });
}

grpc::Status RegistrationApi::RefuseCase(grpc::ServerContext* ctx, const v1::RefuseCaseRequest* req,
                                         v1::RegistrationCase* out) {
  return CaseMutation(ctx, "RefuseCase", req->request_id(), req->case_id(), *req, out,
                      [&](pqxx::work& tx, v1::RegistrationCase c, const rpc::Caller&) {
                        return Store(tx, app_, Refuse(c, req->reason(), Flow()));
                      });
}

grpc::Status RegistrationApi::ReviewCase(grpc::ServerContext* ctx, const v1::ReviewCaseRequest* req,
                                         v1::RegistrationCase* out) {
  return CaseMutation(ctx, "ReviewCase", req->request_id(), req->case_id(), *req, out,
                      [&](pqxx::work& tx, v1::RegistrationCase c, const rpc::Caller&) {
                        return Store(tx, app_, Review(c, req->outcome(), req->opinion(), Flow()));
                      });
}

grpc::Status RegistrationApi::StartPublicNotice(grpc::ServerContext* ctx,
                                                const v1::StartPublicNoticeRequest* req,
                                                v1::RegistrationCase* out) {
  return CaseMutation(
      ctx, "StartPublicNotice", req->request_id(), req->case_id(), *req, out,
      [&](pqxx::work& tx, v1::RegistrationCase c, const rpc::Caller&) {
        return Store(tx, app_, StartNotice(c, req->notice_start(), req->working_days(), Flow()));
      });
}

grpc::Status RegistrationApi::WithdrawCase(grpc::ServerContext* ctx,
                                           const v1::WithdrawCaseRequest* req,
                                           v1::RegistrationCase* out) {
  return CaseMutation(ctx, "WithdrawCase", req->request_id(), req->case_id(), *req, out,
                      [&](pqxx::work& tx, v1::RegistrationCase c, const rpc::Caller&) {
                        return Store(tx, app_, Withdraw(c, req->reason(), Flow()));
                      });
}

grpc::Status RegistrationApi::RecordCase(grpc::ServerContext* ctx, const v1::RecordCaseRequest* req,
                                         v1::RegistrationCase* out) {
  return CaseMutation(ctx, "RecordCase", req->request_id(), req->case_id(), *req, out,
                      [&](pqxx::work& tx, v1::RegistrationCase c, const rpc::Caller& caller) {
                        return Record(tx, std::move(c), caller);
                      });
}

Result<v1::RegistrationCase> RegistrationApi::Record(pqxx::work& tx, v1::RegistrationCase c,
                                                     const rpc::Caller& caller) {
  const FlowContext flow = Flow();
  NRP_RETURN_IF_ERROR(CheckRecordable(c, flow));
  // The unit's row lock serialises every recording on the unit: of two transfers of one
  // right, the second sees the first's result and is refused.
  NRP_ASSIGN_OR_RETURN(auto unit, store::GetUnit(tx, c.unit_code(), /*for_update=*/true));
  if (!unit) return Error::NotFound("unit " + c.unit_code() + " not found");
  const Date today = ChinaDate(flow.now);
  NRP_ASSIGN_OR_RETURN(UnitRegisterState state, store::LoadRegisterState(tx, c.unit_code(), today));

  RecordingContext rc;
  rc.now = flow.now;
  rc.registrar = caller.agency;
  rc.new_id = [] { return NewUuidV7(); };
  rc.objection_lapse_days = config().objection_lapse_days;
  const v1::CertificateKind kind = CertificateKindFor(c);
  Registry registry;
  if (kind != v1::CERTIFICATE_KIND_UNSPECIFIED) {
    NRP_ASSIGN_OR_RETURN(registry, config().registries.RegistryFor(c.region_code()));
    // The counter row stays locked until this transaction ends: numbers are unique, and a
    // rolled-back recording gives its number back, so they run without gaps.
    NRP_ASSIGN_OR_RETURN(
        int64_t seq,
        store::NextValue(tx, "certificate:" + registry.code + ":" + std::to_string(today.year()) +
                                 ":" + std::to_string(static_cast<int>(kind))));
    NRP_ASSIGN_OR_RETURN(
        rc.certificate_number,
        FormatCertificateNumber(c.region_code(), today.year(), registry.name, kind, seq));
  }
  NRP_ASSIGN_OR_RETURN(RecordingPlan plan, PlanRecording(state, c, rc));
  NRP_RETURN_IF_ERROR(store::ApplyPlan(tx, plan, flow.now));
  if (plan.certificate) {
    const v1::Right* right = plan.new_rights.empty() ? nullptr : &plan.new_rights.front();
    NRP_ASSIGN_OR_RETURN(
        ElectronicCertificate ec,
        SignCertificate(*signer_, CertificateDocument(*plan.certificate, right, registry.name)));
    v1::Certificate cert = *plan.certificate;
    cert.set_verification_code(ec.verification_code);
    cert.set_electronic_certificate_uri(ec.uri);
    NRP_RETURN_IF_ERROR(store::InsertCertificate(tx, cert, ec));
  }
  NRP_ASSIGN_OR_RETURN(CaseTransition t,
                       MarkRecorded(c, plan.EntryIds(), rc.certificate_number, flow));
  NRP_RETURN_IF_ERROR(store::UpdateCase(tx, t.next));
  KeepDeadlines(tx, rt_, t);
  NRP_RETURN_IF_ERROR(app_.PublishAll(tx, t.events));
  NRP_RETURN_IF_ERROR(app_.PublishAll(tx, plan.events));
  return std::move(t.next);
}

grpc::Status RegistrationApi::IssueCertificate(grpc::ServerContext* ctx,
                                               const v1::IssueCertificateRequest* req,
                                               v1::RegistrationCase* out) {
  return CaseMutation(
      ctx, "IssueCertificate", req->request_id(), req->case_id(), *req, out,
      [&](pqxx::work& tx, v1::RegistrationCase c,
          const rpc::Caller&) -> Result<v1::RegistrationCase> {
        const FlowContext flow = Flow();
        NRP_ASSIGN_OR_RETURN(CaseTransition t, Issue(c, req->delivery(), req->recipient(), flow));
        NRP_ASSIGN_OR_RETURN(auto stored, store::GetCertificate(tx, c.certificate_number()));
        if (!stored) {
          return Error::Internal("certificate " + c.certificate_number() + " of case " +
                                 c.case_id() + " is missing");
        }
        v1::Certificate cert = stored->certificate;
        if (cert.state() == v1::CERTIFICATE_STATE_VOID) {
          return Error::FailedPrecondition(
              "CERTIFICATE_VOID", "certificates/" + cert.certificate_number(),
              "certificate " + cert.certificate_number() +
                  " is void: the right was transferred, changed or cancelled since recording");
        }
        cert.set_state(v1::CERTIFICATE_STATE_ISSUED);
        *cert.mutable_issued_at() = ToTimestamp(flow.now);
        cert.set_delivery(req->delivery());
        NRP_RETURN_IF_ERROR(store::UpdateCertificate(tx, cert));
        v1::CertificateIssued e;
        e.set_unit_code(cert.unit_code());
        e.set_region_code(cert.unit_code().substr(0, 6));
        e.set_certificate_number(cert.certificate_number());
        e.set_kind(cert.kind());
        e.set_right_id(cert.right_id());
        e.set_case_id(cert.case_id());
        *e.mutable_holders() = cert.holders();
        e.set_delivery(cert.delivery());
        *e.mutable_issued_at() = cert.issued_at();
        t.events.push_back(
            DomainEvent::Of(std::move(e), cert.unit_code(), cert.unit_code().substr(0, 6)));
        return Store(tx, app_, std::move(t));
      });
}

}  // namespace nrp::registration
