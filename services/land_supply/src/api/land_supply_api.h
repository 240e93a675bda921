// gRPC handlers of nrp.land_supply.v1.LandSupplyService. Each handler:
// authorize (scope, then the region of the resource) → validate (domain) →
// one transaction: read under lock, decide (domain), write, append the
// events to the outbox, record the request_id and the audit row.
// The handlers live in one file per resource (parcels_api.cc, …); the
// transitions the scheduler and the consumers also drive live in app/.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/operations.h"
#include "nrp/core/calendar.h"
#include "nrp/land_supply/v1/land_supply.grpc.pb.h"
#include "nrp/rpc/auth.h"
#include "nrp/service/call.h"
#include "nrp/service/runtime.h"
#include "store/store.h"

namespace nrp::land_supply {

namespace v1 = ::nrp::land_supply::v1;

inline constexpr std::string_view kReadScope = "land_supply.read";
inline constexpr std::string_view kWriteScope = "land_supply.write";
inline constexpr std::string_view kPiiScope = "land_supply.pii";
inline constexpr std::string_view kErrorDomain = "land_supply.nrp";
inline constexpr std::string_view kServiceName = "nrp.land_supply.v1.LandSupplyService";

class LandSupplyApi final : public v1::LandSupplyService::Service {
 public:
  LandSupplyApi(Deps deps, Operations& ops) : d_(deps), ops_(ops) {}

  using Ctx = grpc::ServerContext;

  grpc::Status CreateParcel(Ctx*, const v1::CreateParcelRequest*, v1::Parcel*) override;
  grpc::Status GetParcel(Ctx*, const v1::GetParcelRequest*, v1::Parcel*) override;
  grpc::Status ListParcels(Ctx*, const v1::ListParcelsRequest*, v1::ListParcelsResponse*) override;
  grpc::Status ReserveParcel(Ctx*, const v1::ReserveParcelRequest*, v1::Parcel*) override;
  grpc::Status ClearParcel(Ctx*, const v1::ClearParcelRequest*, v1::Parcel*) override;

  grpc::Status CreateApprovalBatch(Ctx*, const v1::CreateApprovalBatchRequest*,
                                   v1::ApprovalBatch*) override;
  grpc::Status GetApprovalBatch(Ctx*, const v1::GetApprovalBatchRequest*,
                                v1::ApprovalBatch*) override;
  grpc::Status ListApprovalBatches(Ctx*, const v1::ListApprovalBatchesRequest*,
                                   v1::ListApprovalBatchesResponse*) override;
  grpc::Status ApproveBatch(Ctx*, const v1::ApproveBatchRequest*, v1::ApprovalBatch*) override;
  grpc::Status RecordBatchExpropriation(Ctx*, const v1::RecordBatchExpropriationRequest*,
                                        v1::ApprovalBatch*) override;

  grpc::Status CreateOffer(Ctx*, const v1::CreateOfferRequest*, v1::SupplyOffer*) override;
  grpc::Status GetOffer(Ctx*, const v1::GetOfferRequest*, v1::SupplyOffer*) override;
  grpc::Status ListOffers(Ctx*, const v1::ListOffersRequest*, v1::ListOffersResponse*) override;
  grpc::Status PublishOffer(Ctx*, const v1::PublishOfferRequest*, v1::SupplyOffer*) override;
  grpc::Status CancelOffer(Ctx*, const v1::CancelOfferRequest*, v1::SupplyOffer*) override;
  grpc::Status RegisterBidder(Ctx*, const v1::RegisterBidderRequest*,
                              v1::BidderRegistration*) override;
  grpc::Status PlaceBid(Ctx*, const v1::PlaceBidRequest*, v1::Bid*) override;
  grpc::Status ListBids(Ctx*, const v1::ListBidsRequest*, v1::ListBidsResponse*) override;
  grpc::Status CloseOffer(Ctx*, const v1::CloseOfferRequest*, v1::SupplyOffer*) override;
  grpc::Status GetBidBoard(Ctx*, const v1::GetBidBoardRequest*, v1::BidBoard*) override;

  grpc::Status SignContract(Ctx*, const v1::SignContractRequest*, v1::GrantContract*) override;
  grpc::Status GetContract(Ctx*, const v1::GetContractRequest*, v1::GrantContract*) override;
  grpc::Status ListContracts(Ctx*, const v1::ListContractsRequest*,
                             v1::ListContractsResponse*) override;
  grpc::Status RecordPayment(Ctx*, const v1::RecordPaymentRequest*, v1::Payment*) override;
  grpc::Status ListPayments(Ctx*, const v1::ListPaymentsRequest*,
                            v1::ListPaymentsResponse*) override;
  grpc::Status DeliverLand(Ctx*, const v1::DeliverLandRequest*, v1::GrantContract*) override;
  grpc::Status RecordConstructionStart(Ctx*, const v1::RecordConstructionStartRequest*,
                                       v1::GrantContract*) override;
  grpc::Status ReportDevelopmentProgress(Ctx*, const v1::ReportDevelopmentProgressRequest*,
                                         v1::GrantContract*) override;
  grpc::Status RecordConstructionCompletion(Ctx*, const v1::RecordConstructionCompletionRequest*,
                                            v1::GrantContract*) override;

  grpc::Status OpenIdleLandCase(Ctx*, const v1::OpenIdleLandCaseRequest*,
                                v1::IdleLandCase*) override;
  grpc::Status GetIdleLandCase(Ctx*, const v1::GetIdleLandCaseRequest*, v1::IdleLandCase*) override;
  grpc::Status ListIdleLandCases(Ctx*, const v1::ListIdleLandCasesRequest*,
                                 v1::ListIdleLandCasesResponse*) override;
  grpc::Status DetermineIdleLand(Ctx*, const v1::DetermineIdleLandRequest*,
                                 v1::IdleLandCase*) override;
  grpc::Status DisposeIdleLand(Ctx*, const v1::DisposeIdleLandRequest*, v1::IdleLandCase*) override;

  grpc::Status GetCompensationCredit(Ctx*, const v1::GetCompensationCreditRequest*,
                                     v1::CompensationCredit*) override;
  grpc::Status ListCompensationCredits(Ctx*, const v1::ListCompensationCreditsRequest*,
                                       v1::ListCompensationCreditsResponse*) override;
  grpc::Status GetLinkageQuota(Ctx*, const v1::GetLinkageQuotaRequest*, v1::LinkageQuota*) override;
  grpc::Status ListLinkageQuotas(Ctx*, const v1::ListLinkageQuotasRequest*,
                                 v1::ListLinkageQuotasResponse*) override;
  grpc::Status ListLedgerEntries(Ctx*, const v1::ListLedgerEntriesRequest*,
                                 v1::ListLedgerEntriesResponse*) override;
  grpc::Status GetLedgerBalance(Ctx*, const v1::GetLedgerBalanceRequest*,
                                v1::LedgerBalance*) override;
  grpc::Status GetStockLandSummary(Ctx*, const v1::GetStockLandSummaryRequest*,
                                   v1::StockLandSummary*) override;

 private:
  // The service's call wrapper (nrp/service/call.h) with land supply's scope, error domain
  // and service name filled in.
  template <class Resp>
  grpc::Status Serve(Ctx* ctx, std::string_view scope, Resp* out,
                     const std::function<Result<Resp>(const rpc::Caller&)>& fn);

  using Audit = service::AuditSubject;
  template <class Resp>
  Result<Resp> Mutate(const rpc::Caller& caller, std::string_view method,
                      const std::string& request_id, const google::protobuf::Message& request,
                      const std::function<Result<Resp>(pqxx::work&, Audit&)>& work);

  // A read in one transaction.
  template <class Resp>
  Result<Resp> Read(const std::function<Result<Resp>(pqxx::work&)>& work);

  // The request checked against the list's spec, limited to the caller's regions.
  Result<store::ListQuery> ListQueryFor(const rpc::Caller& caller, const list::Request& request,
                                        const list::Spec& spec);

  Deps d_;
  Operations& ops_;
};

// Helpers shared by the handler files.
namespace api {
// Masks personal data in a party unless the caller may see it.
void MaskParty(const rpc::Caller& caller, nrp::common::v1::Party* party);
// The reserve price only for the supplying authority (write scope in the region).
void RedactOffer(const rpc::Caller& caller, v1::SupplyOffer* offer);
// ZoneCheckResult of a gate decision.
nrp::common::v1::ZoneCheckResult ZoneCheckOf(const GateResult& gate,
                                             nrp::common::v1::SpatialUse use, TimePoint now);
// Today in China Standard Time by the runtime's clock.
Date Today(const Clock& clock);
std::string IdentityKey(const nrp::common::v1::Party& party);
}  // namespace api

}  // namespace nrp::land_supply
