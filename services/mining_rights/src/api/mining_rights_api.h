// The gRPC handlers of nrp.mining_rights.v1.MiningRightsService: each goes through the call
// wrapper (service::Serve, service::Mutate: caller, scope, rate limit, idempotency, audit,
// trace, error mapping) and hands the work to the application layer (app/). Methods not
// overridden here answer UNIMPLEMENTED.
#pragma once

#include <functional>
#include <string_view>

#include "app/mining_app.h"
#include "nrp/mining_rights/v1/mining_rights.grpc.pb.h"
#include "nrp/rpc/auth.h"
#include "nrp/service/call.h"

namespace nrp::mining_rights {

inline constexpr std::string_view kReadScope = "mining_rights.read";
inline constexpr std::string_view kWriteScope = "mining_rights.write";
inline constexpr std::string_view kPiiScope = "mining_rights.pii";
inline constexpr std::string_view kErrorDomain = "mining_rights.nrp";
inline constexpr std::string_view kServiceName = "nrp.mining_rights.v1.MiningRightsService";

class MiningRightsApi final : public v1::MiningRightsService::Service {
 public:
  MiningRightsApi(service::Runtime& rt, MiningRightsApp& app) : rt_(rt), app_(app) {}
  using Ctx = grpc::ServerContext;

  grpc::Status CreateGrantOffer(Ctx*, const v1::CreateGrantOfferRequest*, v1::GrantOffer*) override;
  grpc::Status GetGrantOffer(Ctx*, const v1::GetGrantOfferRequest*, v1::GrantOffer*) override;
  grpc::Status ListGrantOffers(Ctx*, const v1::ListGrantOffersRequest*,
                               v1::ListGrantOffersResponse*) override;
  grpc::Status PublishGrantOffer(Ctx*, const v1::PublishGrantOfferRequest*,
                                 v1::GrantOffer*) override;
  grpc::Status CancelGrantOffer(Ctx*, const v1::CancelGrantOfferRequest*, v1::GrantOffer*) override;
  grpc::Status RegisterGrantBidder(Ctx*, const v1::RegisterGrantBidderRequest*,
                                   v1::GrantBidder*) override;
  grpc::Status PlaceGrantBid(Ctx*, const v1::PlaceGrantBidRequest*, v1::GrantBid*) override;
  grpc::Status ListGrantBids(Ctx*, const v1::ListGrantBidsRequest*,
                             v1::ListGrantBidsResponse*) override;
  grpc::Status CloseGrantOffer(Ctx*, const v1::CloseGrantOfferRequest*, v1::GrantOffer*) override;
  grpc::Status SignGrantContract(Ctx*, const v1::SignGrantContractRequest*,
                                 v1::GrantContract*) override;
  grpc::Status GetGrantContract(Ctx*, const v1::GetGrantContractRequest*,
                                v1::GrantContract*) override;
  grpc::Status ListGrantContracts(Ctx*, const v1::ListGrantContractsRequest*,
                                  v1::ListGrantContractsResponse*) override;
  grpc::Status GrantRight(Ctx*, const v1::GrantRightRequest*, v1::MiningRight*) override;
  grpc::Status GetRight(Ctx*, const v1::GetRightRequest*, v1::MiningRight*) override;
  grpc::Status ListRights(Ctx*, const v1::ListRightsRequest*, v1::ListRightsResponse*) override;
  grpc::Status ExtendRight(Ctx*, const v1::ExtendRightRequest*, v1::MiningRight*) override;
  grpc::Status CloseMine(Ctx*, const v1::CloseMineRequest*, v1::MiningRight*) override;
  grpc::Status CancelRight(Ctx*, const v1::CancelRightRequest*, v1::MiningRight*) override;
  grpc::Status GetGrantBidBoard(Ctx*, const v1::GetGrantBidBoardRequest*,
                                v1::GrantBidBoard*) override;
  grpc::Status GetMineralClassification(Ctx*, const v1::GetMineralClassificationRequest*,
                                        v1::MineralClassification*) override;
  grpc::Status TransferRight(Ctx*, const v1::TransferRightRequest*, v1::MiningRight*) override;
  grpc::Status ChangeRight(Ctx*, const v1::ChangeRightRequest*, v1::MiningRight*) override;
  grpc::Status RegisterExistingRight(Ctx*, const v1::RegisterExistingRightRequest*,
                                     v1::MiningRight*) override;
  grpc::Status SplitRight(Ctx*, const v1::SplitRightRequest*, v1::SplitRightResponse*) override;
  grpc::Status MergeRights(Ctx*, const v1::MergeRightsRequest*, v1::MiningRight*) override;
  grpc::Status DesignateGreenMine(Ctx*, const v1::DesignateGreenMineRequest*,
                                  v1::MiningRight*) override;
  grpc::Status RevokeGreenMine(Ctx*, const v1::RevokeGreenMineRequest*, v1::MiningRight*) override;
  grpc::Status SubmitAnnualReport(Ctx*, const v1::SubmitAnnualReportRequest*,
                                  v1::AnnualReport*) override;
  grpc::Status ListAnnualReports(Ctx*, const v1::ListAnnualReportsRequest*,
                                 v1::ListAnnualReportsResponse*) override;
  grpc::Status ListAbnormalEntries(Ctx*, const v1::ListAbnormalEntriesRequest*,
                                   v1::ListAbnormalEntriesResponse*) override;
  grpc::Status RemoveFromAbnormalList(Ctx*, const v1::RemoveFromAbnormalListRequest*,
                                      v1::AbnormalEntry*) override;

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
  Authorize ReadIn(const rpc::Caller& caller) const {
    return [&caller](const std::string& r) { return rpc::Authorize(caller, kReadScope, r); };
  }

  service::Runtime& rt_;
  MiningRightsApp& app_;
};

}  // namespace nrp::mining_rights
