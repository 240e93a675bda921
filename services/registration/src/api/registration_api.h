// The gRPC handlers of nrp.registration.v1.RegistrationService: authorize → validate →
// domain → store, one transaction per call; mutations are idempotent by request_id and
// publish their events through the outbox in the same transaction.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "domain/case_flow.h"
#include "domain/events.h"
#include "nrp/cache/read_through_cache.h"
#include "nrp/events/consumer.h"
#include "nrp/registration/v1/registration.grpc.pb.h"
#include "nrp/rpc/auth.h"
#include "nrp/service/call.h"
#include "nrp/service/runtime.h"
#include "nrp/zones/replica.h"
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

// Publishes domain events through the outbox inside `tx`.
Status PublishAll(service::Runtime& rt, pqxx::dbtransaction& tx, const DomainEvents& events,
                  const std::string& traceparent);

// Opens a case from an application inside `tx` (number drawn, case stored, CaseSubmitted
// published). Shared by SubmitCase and the land-delivery consumer. NOT_FOUND when the unit
// does not exist.
Result<v1::RegistrationCase> OpenCase(service::Runtime& rt, pqxx::work& tx,
                                      const v1::RegistrationCase& application,
                                      const FlowContext& flow, const std::string& traceparent);

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

  // One pass of the overdue scheduler: flags open cases past their due date and raises
  // CaseOverdue once per case (SKIP LOCKED: replicas never raise one twice). Returns how many.
  Result<int> RaiseOverdueCases();
  // Applies a recount of a case's or a natural-resource unit's deadline after a calendar
  // change (registered with the runtime's Deadlines by Wire).
  Result<bool> ApplyCaseDeadline(pqxx::work& tx, const service::DeadlineChange& change);
  Result<bool> ApplyUnitNotice(pqxx::work& tx, const service::DeadlineChange& change);

  // Event handlers of other services' events (registered on the runtime by the wiring).
  events::HandlerResult OnLandDelivered(pqxx::work& tx, const events::CloudEvent& event);
  // A zone layer version came into force in the replica (in the switch's transaction).
  Status OnZoneLayerSwitched(pqxx::work& tx, const zones::SwitchedLayer& layer);

  const DocumentSigner& signer() const { return *signer_; }
  const RegistrationConfig& config() const { return config_; }

 private:
  using AuditInfo = service::AuditSubject;
  using CaseWork = std::function<Result<v1::RegistrationCase>(pqxx::work&, v1::RegistrationCase,
                                                              const rpc::Caller&)>;

  FlowContext Flow() const;
  std::string Traceparent(const grpc::ServerContext* ctx) const;
  // The service's call wrapper (nrp/service/call.h): authenticates, authorizes the scope and
  // takes a token from the caller's rate limit.
  Result<rpc::Caller> Enter(const grpc::ServerContext* ctx, std::string_view scope);
  // An idempotent mutation, audited in the same transaction (and audited when refused).
  template <class Resp>
  Result<Resp> Mutate(const grpc::ServerContext* ctx, const rpc::Caller& caller,
                      std::string_view method, const std::string& request_id,
                      const google::protobuf::Message& request,
                      const std::function<Result<Resp>(pqxx::work&, AuditInfo&)>& work);
  // A mutation of one case: loads and locks it, checks the caller's region, applies `work`,
  // stores the result.
  grpc::Status CaseMutation(grpc::ServerContext* ctx, std::string_view method,
                            const std::string& request_id, const std::string& case_id,
                            const google::protobuf::Message& request, v1::RegistrationCase* out,
                            const CaseWork& work);
  Result<v1::RegistrationCase> Record(pqxx::work& tx, v1::RegistrationCase c,
                                      const rpc::Caller& caller, const std::string& traceparent,
                                      std::vector<std::string>* touched_units);
  // Appends a query to the query log (and the platform audit) in its own transaction.
  Status LogQuery(const grpc::ServerContext* ctx, const rpc::Caller& caller,
                  const std::string& method, const v1::QueryReason& reason,
                  const std::string& target, int result_count, const std::string& region_code);
  Result<v1::RealEstateUnit> LoadUnit(const std::string& unit_code);
  Result<v1::UnitRegister> CurrentRegister(const v1::RealEstateUnit& unit);
  void InvalidateUnit(const std::string& unit_code);
  Result<v1::NaturalResourceUnit> RefreshZoneControls(pqxx::work& tx, v1::NaturalResourceUnit u);

  service::Runtime& rt_;
  RegistrationConfig config_;
  std::shared_ptr<const DocumentSigner> signer_;
  cache::ReadThroughCache unit_cache_;
  cache::ReadThroughCache register_cache_;
};

}  // namespace nrp::registration
