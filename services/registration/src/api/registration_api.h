// The gRPC handlers of nrp.registration.v1.RegistrationService: authorize → validate →
// domain → store, one transaction per call; mutations are idempotent by request_id and
// publish their events through the outbox in the same transaction.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/registration_app.h"
#include "config.h"
#include "domain/case_flow.h"
#include "domain/events.h"
#include "nrp/cache/read_through_cache.h"
#include "nrp/registration/v1/registration.grpc.pb.h"
#include "nrp/rpc/auth.h"
#include "nrp/service/call.h"
#include "nrp/service/runtime.h"
#include "signing/document_signer.h"

namespace nrp::registration {

inline constexpr char kServiceName[] = "nrp.registration.v1.RegistrationService";
inline constexpr char kErrorDomain[] = "registration.nrp";
inline constexpr char kScopeRead[] = "registration.read";
inline constexpr char kScopeWrite[] = "registration.write";
inline constexpr char kScopePii[] = "registration.pii";

// The registry's signing key: from NRP_REGISTRATION_SIGNING_KEY_FILE, or generated once and
// kept in the database. The public key is recorded in signing_keys either way.
Result<std::shared_ptr<const DocumentSigner>> LoadSigner(service::Runtime& rt,
                                                         const RegistrationConfig& config);

class RegistrationApi final : public v1::RegistrationService::Service {
 public:
  RegistrationApi(service::Runtime& rt, RegistrationConfig config,
                  std::shared_ptr<const DocumentSigner> signer);

  // ---- units
  grpc::Status CreateRealEstateUnit(grpc::ServerContext*, const v1::CreateRealEstateUnitRequest*,
                                    v1::RealEstateUnit*) override;
  grpc::Status GetRealEstateUnit(grpc::ServerContext*, const v1::GetRealEstateUnitRequest*,
                                 v1::RealEstateUnit*) override;
  grpc::Status ListRealEstateUnits(grpc::ServerContext*, const v1::ListRealEstateUnitsRequest*,
                                   v1::ListRealEstateUnitsResponse*) override;
  // ---- natural-resource units
  grpc::Status CreateNaturalResourceUnit(grpc::ServerContext*,
                                         const v1::CreateNaturalResourceUnitRequest*,
                                         v1::NaturalResourceUnit*) override;
  grpc::Status GetNaturalResourceUnit(grpc::ServerContext*,
                                      const v1::GetNaturalResourceUnitRequest*,
                                      v1::NaturalResourceUnit*) override;
  grpc::Status ListNaturalResourceUnits(grpc::ServerContext*,
                                        const v1::ListNaturalResourceUnitsRequest*,
                                        v1::ListNaturalResourceUnitsResponse*) override;
  grpc::Status ReviseNaturalResourceUnit(grpc::ServerContext*,
                                         const v1::ReviseNaturalResourceUnitRequest*,
                                         v1::NaturalResourceUnit*) override;
  grpc::Status StartNaturalResourceUnitNotice(grpc::ServerContext*,
                                              const v1::StartNaturalResourceUnitNoticeRequest*,
                                              v1::NaturalResourceUnit*) override;
  grpc::Status RegisterNaturalResourceUnit(grpc::ServerContext*,
                                           const v1::RegisterNaturalResourceUnitRequest*,
                                           v1::NaturalResourceUnit*) override;
  // ---- cases
  grpc::Status SubmitCase(grpc::ServerContext*, const v1::SubmitCaseRequest*,
                          v1::RegistrationCase*) override;
  grpc::Status GetCase(grpc::ServerContext*, const v1::GetCaseRequest*,
                       v1::RegistrationCase*) override;
  grpc::Status ListCases(grpc::ServerContext*, const v1::ListCasesRequest*,
                         v1::ListCasesResponse*) override;
  grpc::Status AcceptCase(grpc::ServerContext*, const v1::AcceptCaseRequest*,
                          v1::RegistrationCase*) override;
  grpc::Status RefuseCase(grpc::ServerContext*, const v1::RefuseCaseRequest*,
                          v1::RegistrationCase*) override;
  grpc::Status ReviewCase(grpc::ServerContext*, const v1::ReviewCaseRequest*,
                          v1::RegistrationCase*) override;
  grpc::Status StartPublicNotice(grpc::ServerContext*, const v1::StartPublicNoticeRequest*,
                                 v1::RegistrationCase*) override;
  grpc::Status RecordCase(grpc::ServerContext*, const v1::RecordCaseRequest*,
                          v1::RegistrationCase*) override;
  grpc::Status IssueCertificate(grpc::ServerContext*, const v1::IssueCertificateRequest*,
                                v1::RegistrationCase*) override;
  grpc::Status WithdrawCase(grpc::ServerContext*, const v1::WithdrawCaseRequest*,
                            v1::RegistrationCase*) override;
  // ---- the register and its queries
  grpc::Status GetUnitRegister(grpc::ServerContext*, const v1::GetUnitRegisterRequest*,
                               v1::UnitRegister*) override;
  grpc::Status ListRegisterEntries(grpc::ServerContext*, const v1::ListRegisterEntriesRequest*,
                                   v1::ListRegisterEntriesResponse*) override;
  grpc::Status GetRight(grpc::ServerContext*, const v1::GetRightRequest*, v1::Right*) override;
  grpc::Status SearchRights(grpc::ServerContext*, const v1::SearchRightsRequest*,
                            v1::SearchRightsResponse*) override;
  grpc::Status GetCertificate(grpc::ServerContext*, const v1::GetCertificateRequest*,
                              v1::Certificate*) override;
  grpc::Status ListQueryLogEntries(grpc::ServerContext*, const v1::ListQueryLogEntriesRequest*,
                                   v1::ListQueryLogEntriesResponse*) override;

  // The use cases the handlers share with the consumers and jobs (wired by Wire).
  const RegistrationApp& app() const { return app_; }

  const DocumentSigner& signer() const { return *signer_; }
  const RegistrationConfig& config() const { return app_.config(); }

 private:
  using AuditInfo = service::AuditSubject;
  using CaseWork = std::function<Result<v1::RegistrationCase>(pqxx::work&, v1::RegistrationCase,
                                                              const rpc::Caller&)>;

  FlowContext Flow() const { return app_.Flow(); }
  // The service's call wrapper (nrp/service/call.h): the call's frame (caller, scope, rate
  // limit, trace context, error mapping) around `fn`.
  template <class Resp>
  grpc::Status Serve(grpc::ServerContext* ctx, std::string_view scope, Resp* out,
                     const std::function<Result<Resp>(const rpc::Caller&)>& fn);
  // An idempotent mutation, audited in the same transaction (and audited when refused).
  template <class Resp>
  Result<Resp> Mutate(const rpc::Caller& caller, std::string_view method,
                      const std::string& request_id, const google::protobuf::Message& request,
                      const std::function<Result<Resp>(pqxx::work&, AuditInfo&)>& work);
  // A mutation of one case: loads and locks it, checks the caller's region, applies `work`,
  // stores the result.
  grpc::Status CaseMutation(grpc::ServerContext* ctx, std::string_view method,
                            const std::string& request_id, const std::string& case_id,
                            const google::protobuf::Message& request, v1::RegistrationCase* out,
                            const CaseWork& work);
  Result<v1::RegistrationCase> Record(pqxx::work& tx, v1::RegistrationCase c,
                                      const rpc::Caller& caller);
  // Appends a query to the query log (and the platform audit) in its own transaction.
  Status LogQuery(const rpc::Caller& caller, const std::string& method,
                  const v1::QueryReason& reason, const std::string& target, int result_count,
                  const std::string& region_code);
  Result<v1::RealEstateUnit> LoadUnit(const std::string& unit_code);
  Result<v1::UnitRegister> CurrentRegister(const v1::RealEstateUnit& unit);
  void InvalidateUnit(const std::string& unit_code);

  service::Runtime& rt_;
  RegistrationApp app_;
  std::shared_ptr<const DocumentSigner> signer_;
  cache::ReadThroughCache unit_cache_;
  cache::ReadThroughCache register_cache_;
};

}  // namespace nrp::registration
