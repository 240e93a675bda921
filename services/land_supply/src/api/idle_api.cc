// Idle-land cases (闲置土地, MLR Order 53).
#include "api/handler.h"
#include "convert/convert.h"
#include "domain/idle_land.h"
#include "nrp/land_supply/v1/events.pb.h"

namespace nrp::land_supply {

namespace {

v1::IdleLandCase CaseOut(const rpc::Caller& caller, v1::IdleLandCase k) {
  api::MaskParty(caller, k.mutable_land_user());
  return k;
}

// The parcel state once a disposal lets the contract go on.
v1::ParcelState StateForContract(v1::ContractState s) {
  switch (s) {
    case v1::CONTRACT_STATE_DELIVERED:
      return v1::PARCEL_STATE_DELIVERED;
    case v1::CONTRACT_STATE_CONSTRUCTION_STARTED:
      return v1::PARCEL_STATE_UNDER_CONSTRUCTION;
    case v1::CONTRACT_STATE_COMPLETED:
      return v1::PARCEL_STATE_COMPLETED;
    default:
      return v1::PARCEL_STATE_SUPPLIED;
  }
}

}  // namespace

grpc::Status LandSupplyApi::OpenIdleLandCase(Ctx* ctx, const v1::OpenIdleLandCaseRequest* req,
                                             v1::IdleLandCase* out) {
  return Serve<v1::IdleLandCase>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::IdleLandCase> {
        if (!InEnumRange(static_cast<int>(req->ground()), kIdleGroundMax)) {
          return Error::InvalidArgument(
              "ground", "must be an IdleGround value other than IDLE_GROUND_UNSPECIFIED");
        }
        if (req->idle_area().square_metres() < 0 ||
            !std::isfinite(req->idle_area().square_metres())) {
          return Error::InvalidArgument("idle_area.square_metres",
                                        "must be a finite number not below 0");
        }
        auto result = Mutate<v1::IdleLandCase>(caller, "OpenIdleLandCase", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::IdleLandCase> {
              NRP_ASSIGN_OR_RETURN(store::ContractRow row,
                                   store::GetContract(tx, req->contract_id(), true));
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, row.contract.region_code()));
              TimePoint now = d_.clock().Now();
              Date today = DateInChina(now);
              auto ground = static_cast<IdleGround>(req->ground());
              DevelopmentFacts facts = DevelopmentFactsOf(row);
              NRP_RETURN_IF_ERROR(CheckIdleGround(facts, ground, today, d_.rules));
              bool no_start =
                  ground == IdleGround::kNoStartOneYear || ground == IdleGround::kNoStartTwoYears;
              Date since = no_start ? facts.agreed_construction_start : *facts.work_stopped_since;
              if (auto given = OptionalDate(req->has_idle_since(), req->idle_since());
                  given && !(*given == since)) {
                return Error::InvalidArgument(
                    "idle_since",
                    "the ground runs from " + since.ToString() +
                        (no_start ? " (the agreed start)" : " (the day work stopped)"));
              }
              double area = req->idle_area().square_metres();
              double default_area =
                  no_start ? facts.area_m2 : std::max(0.0, facts.area_m2 - facts.developed_area_m2);
              if (area == 0) area = default_area;
              if (area > facts.area_m2 * (1 + 1e-9)) {
                return Error::InvalidArgument(
                    "idle_area", "exceeds the parcel's area " + FormatArea(facts.area_m2));
              }
              NRP_ASSIGN_OR_RETURN(
                  auto k, ops_.OpenIdleCase(tx, row, ground, since, area, false, req, now));
              if (!k) {
                return Error::AlreadyExists("an idle-land case for contract " +
                                            row.contract.contract_id() + " on this ground since " +
                                            since.ToString() + " exists");
              }
              audit = {k->region_code(), k->case_id()};
              return *k;
            });
        if (!result.ok()) return result;
        return CaseOut(caller, *result);
      });
}

grpc::Status LandSupplyApi::GetIdleLandCase(Ctx* ctx, const v1::GetIdleLandCaseRequest* req,
                                            v1::IdleLandCase* out) {
  return Serve<v1::IdleLandCase>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::IdleLandCase> {
        NRP_ASSIGN_OR_RETURN(auto k, Read<v1::IdleLandCase>([&](pqxx::work& tx) {
                               return store::GetIdleCase(tx, req->case_id(), false);
                             }));
        NRP_RETURN_IF_ERROR(InRegion(caller, kReadScope, k.region_code()));
        return CaseOut(caller, k);
      });
}

grpc::Status LandSupplyApi::ListIdleLandCases(Ctx* ctx, const v1::ListIdleLandCasesRequest* req,
                                              v1::ListIdleLandCasesResponse* out) {
  return Serve<v1::ListIdleLandCasesResponse>(
      ctx, kReadScope, out,
      [&](const rpc::Caller& caller) -> Result<v1::ListIdleLandCasesResponse> {
        NRP_ASSIGN_OR_RETURN(auto q,
                             ListQueryFor(caller, list::RequestOf(*req), store::IdleCaseList()));
        return Read<v1::ListIdleLandCasesResponse>(
            [&](pqxx::work& tx) -> Result<v1::ListIdleLandCasesResponse> {
              NRP_ASSIGN_OR_RETURN(auto page, store::ListIdleCases(tx, q));
              v1::ListIdleLandCasesResponse resp;
              for (auto& k : page.items) *resp.add_cases() = CaseOut(caller, std::move(k));
              resp.set_next_page_token(page.next_page_token);
              return resp;
            });
      });
}

grpc::Status LandSupplyApi::DetermineIdleLand(Ctx* ctx, const v1::DetermineIdleLandRequest* req,
                                              v1::IdleLandCase* out) {
  return Serve<v1::IdleLandCase>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::IdleLandCase> {
        auto result = Mutate<v1::IdleLandCase>(caller, "DetermineIdleLand", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::IdleLandCase> {
              NRP_ASSIGN_OR_RETURN(v1::IdleLandCase k,
                                   store::GetIdleCase(tx, req->case_id(), true));
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, k.region_code()));
              NRP_RETURN_IF_ERROR(CheckDetermination(k.case_id(),
                                                     static_cast<IdleCaseState>(k.state()),
                                                     req->idle(), static_cast<int>(req->cause())));
              TimePoint now = d_.clock().Now();
              *k.mutable_determination() = req->determination();
              if (req->idle()) {
                k.set_state(v1::IDLE_CASE_STATE_DETERMINED);
                k.set_cause(req->cause());
                NRP_ASSIGN_OR_RETURN(v1::Parcel parcel, store::GetParcel(tx, k.parcel_id(), true));
                bool started = k.ground() == v1::IDLE_GROUND_DEVELOPED_AREA_UNDER_ONE_THIRD ||
                               k.ground() == v1::IDLE_GROUND_INVESTMENT_UNDER_ONE_QUARTER;
                parcel.set_state(v1::PARCEL_STATE_IDLE);
                parcel.set_stock_stage(started ? v1::STOCK_LAND_STAGE_USED_NOT_FULLY
                                               : v1::STOCK_LAND_STAGE_SUPPLIED_NOT_USED);
                *parcel.mutable_update_time() = ToTimestamp(now);
                NRP_RETURN_IF_ERROR(store::UpdateParcel(tx, parcel, "", ""));
              } else {
                k.set_state(v1::IDLE_CASE_STATE_NOT_IDLE);
                k.mutable_fee()->set_fen(0);
                *k.mutable_closed_at() = ToTimestamp(now);
              }
              NRP_RETURN_IF_ERROR(store::UpdateIdleCase(tx, k));
              v1::IdleLandDetermined ev;
              ev.set_case_id(k.case_id());
              ev.set_region_code(k.region_code());
              ev.set_parcel_id(k.parcel_id());
              ev.set_idle(req->idle());
              ev.set_cause(k.cause());
              *ev.mutable_idle_area() = k.idle_area();
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, k.region_code()));
              audit = {k.region_code(), k.case_id()};
              return k;
            });
        if (!result.ok()) return result;
        return CaseOut(caller, *result);
      });
}

grpc::Status LandSupplyApi::DisposeIdleLand(Ctx* ctx, const v1::DisposeIdleLandRequest* req,
                                            v1::IdleLandCase* out) {
  return Serve<v1::IdleLandCase>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::IdleLandCase> {
        auto result = Mutate<v1::IdleLandCase>(caller, "DisposeIdleLand", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::IdleLandCase> {
              NRP_ASSIGN_OR_RETURN(v1::IdleLandCase k,
                                   store::GetIdleCase(tx, req->case_id(), true));
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, k.region_code()));
              NRP_ASSIGN_OR_RETURN(store::ContractRow row,
                                   store::GetContract(tx, k.contract_id(), true));
              v1::GrantContract& c = row.contract;
              TimePoint now = d_.clock().Now();
              Date today = DateInChina(now);
              DisposalFacts facts;
              facts.case_id = k.case_id();
              facts.state = static_cast<IdleCaseState>(k.state());
              facts.ground = static_cast<IdleGround>(k.ground());
              facts.cause = static_cast<IdleCause>(k.cause());
              facts.price_fen = c.price().fen();
              facts.agreed_construction_start =
                  FromProtoDate(c.agreed_construction_start()).value_or(Date());
              facts.today = today;
              if (c.has_work_stopped_since())
                facts.work_stopped_since = FromProtoDate(c.work_stopped_since());
              NRP_ASSIGN_OR_RETURN(DisposalOutcome d,
                                   DecideDisposal(facts, static_cast<int>(req->disposal()),
                                                  OptionalDate(req->has_new_construction_start(),
                                                               req->new_construction_start()),
                                                  d_.rules));
              NRP_ASSIGN_OR_RETURN(v1::Parcel parcel, store::GetParcel(tx, k.parcel_id(), true));
              auto stage_before = static_cast<StockLandStage>(parcel.stock_stage());
              if (stage_before != StockLandStage::kUsedNotFully)
                stage_before = StockLandStage::kSuppliedNotUsed;

              k.set_state(v1::IDLE_CASE_STATE_DISPOSED);
              k.set_disposal(req->disposal());
              k.mutable_fee()->set_fen(d.fee_fen);
              if (d.new_construction_start) {
                *k.mutable_new_construction_start() = ToProtoDate(*d.new_construction_start);
              }
              *k.mutable_decision() = req->decision();
              *k.mutable_closed_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateIdleCase(tx, k));

              row.idle_fee_charged_fen += d.fee_fen;
              if (d.new_construction_start) {
                *c.mutable_agreed_construction_start() = ToProtoDate(*d.new_construction_start);
              }
              if (d.terminates_contract) c.set_state(v1::CONTRACT_STATE_TERMINATED);
              *c.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateContract(tx, row));

              if (d.terminates_contract) {
                parcel.set_state(v1::PARCEL_STATE_RESERVED);  // 收回: back into the reserve
                parcel.set_stock_stage(v1::STOCK_LAND_STAGE_NONE);
              } else if (req->disposal() != v1::IDLE_LAND_DISPOSAL_IDLE_FEE) {
                parcel.set_state(StateForContract(c.state()));
                parcel.set_stock_stage(v1::STOCK_LAND_STAGE_NONE);
              }
              *parcel.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateParcel(tx, parcel, "", ""));

              v1::IdleLandDisposed ev;
              ev.set_case_id(k.case_id());
              ev.set_region_code(k.region_code());
              ev.set_contract_id(k.contract_id());
              ev.set_parcel_id(k.parcel_id());
              ev.set_disposal(k.disposal());
              *ev.mutable_idle_area() = k.idle_area();
              *ev.mutable_fee() = k.fee();
              if (k.has_new_construction_start())
                *ev.mutable_new_construction_start() = k.new_construction_start();
              *ev.mutable_disposed_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, k.region_code()));
              NRP_RETURN_IF_ERROR(PublishStockLandRevitalised(
                  d_.rt, tx, k.parcel_id(), k.region_code(), stage_before,
                  k.idle_area().square_metres(), k.case_id(), today));
              audit = {k.region_code(), k.case_id()};
              return k;
            });
        if (!result.ok()) return result;
        return CaseOut(caller, *result);
      });
}

}  // namespace nrp::land_supply
