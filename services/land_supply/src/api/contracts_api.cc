// Contracts, payments, delivery and construction.
#include "api/handler.h"
#include "convert/convert.h"
#include "domain/contract.h"
#include "nrp/core/uuid.h"
#include "nrp/land_supply/v1/events.pb.h"

namespace nrp::land_supply {

namespace {

ContractTerms TermsOf(const v1::GrantContract& c) {
  ContractTerms t;
  t.contract_number = c.contract_number();
  t.grantor = c.grantor();
  t.agreed_delivery_date = OptionalDate(c.has_agreed_delivery_date(), c.agreed_delivery_date());
  t.agreed_construction_start =
      OptionalDate(c.has_agreed_construction_start(), c.agreed_construction_start());
  t.agreed_completion_date =
      OptionalDate(c.has_agreed_completion_date(), c.agreed_completion_date());
  t.agreed_investment_fen = c.agreed_investment().fen();
  for (const auto& in : c.installments()) {
    t.installments.push_back(
        {FromProtoDate(in.due_date()).value_or(Date(0, 13, 1)), in.amount().fen()});
  }
  return t;
}

Status PublishStockRevitalised(service::Runtime& rt, pqxx::work& tx, const std::string& parcel_id,
                               const std::string& region_code, StockLandStage stage, double area_m2,
                               const std::string& cause_id, const Date& day) {
  v1::StockLandRevitalised ev;
  ev.set_parcel_id(parcel_id);
  ev.set_region_code(region_code);
  ev.set_stage(static_cast<v1::StockLandStage>(stage));
  ev.mutable_area()->set_square_metres(area_m2);
  ev.set_cause_id(cause_id);
  *ev.mutable_revitalised_on() = ToProtoDate(day);
  return service::Publish(rt, tx, ev, region_code);
}

v1::GrantContract ContractOut(const rpc::Caller& caller, v1::GrantContract c) {
  api::MaskParty(caller, c.mutable_grantee());
  return c;
}

}  // namespace

Status PublishStockLandRevitalised(service::Runtime& rt, pqxx::work& tx,
                                   const std::string& parcel_id, const std::string& region_code,
                                   StockLandStage stage, double area_m2,
                                   const std::string& cause_id, const Date& day) {
  return PublishStockRevitalised(rt, tx, parcel_id, region_code, stage, area_m2, cause_id, day);
}

grpc::Status LandSupplyApi::SignContract(Ctx* ctx, const v1::SignContractRequest* req,
                                         v1::GrantContract* out) {
  return Serve<v1::GrantContract>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantContract> {
        const v1::GrantContract& in = req->contract();
        if (in.offer_id().empty()) return Error::InvalidArgument("contract.offer_id", "required");
        ContractTerms terms = TermsOf(in);
        auto result = Mutate<v1::GrantContract>(caller, "SignContract", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::GrantContract> {
              auto offer_row = store::GetOffer(tx, in.offer_id(), true);
              if (!offer_row.ok())
                return Error::InvalidArgument("contract.offer_id", offer_row.error().message());
              store::OfferRow& row = *offer_row;
              v1::SupplyOffer& o = row.offer;
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, o.region_code()));
              TimePoint now = d_.clock().Now();
              Date today = DateInChina(now);
              SigningFacts facts{o.offer_id(), static_cast<OfferState>(o.state()),
                                 row.contract_due.value_or(Date()), row.price_fen, today};
              NRP_RETURN_IF_ERROR(CheckSigning(facts, terms, d_.rules));
              if (in.has_grantee() &&
                  api::IdentityKey(in.grantee()) != api::IdentityKey(o.result().grantee())) {
                return Error::InvalidArgument("contract.grantee",
                                              "differs from the grantee of the offer's result");
              }
              NRP_ASSIGN_OR_RETURN(v1::Parcel parcel, store::GetParcel(tx, o.parcel_id(), true));
              auto method = static_cast<SupplyMethod>(o.method());

              store::ContractRow c;
              v1::GrantContract& k = c.contract;
              k.set_contract_id(NewUuidV7());
              k.set_contract_number(terms.contract_number);
              k.set_kind(static_cast<v1::ContractKind>(KindForMethod(method)));
              k.set_region_code(o.region_code());
              k.set_offer_id(o.offer_id());
              k.set_parcel_id(o.parcel_id());
              *k.mutable_grantee() = o.result().grantee();
              k.set_grantor(terms.grantor);
              k.set_land_use(o.land_use());
              k.set_land_use_code(in.land_use_code().empty() ? parcel.land_use_code()
                                                             : in.land_use_code());
              k.set_term_years(o.term_years());
              *k.mutable_area() = parcel.area();
              k.mutable_price()->set_fen(row.price_fen);
              *k.mutable_installments() = in.installments();
              k.mutable_paid()->set_fen(0);
              *k.mutable_agreed_delivery_date() = in.agreed_delivery_date();
              *k.mutable_agreed_construction_start() = in.agreed_construction_start();
              *k.mutable_agreed_completion_date() = in.agreed_completion_date();
              *k.mutable_agreed_investment() = in.agreed_investment();
              *k.mutable_planning_conditions() = o.planning_conditions();
              *k.mutable_document() = in.document();
              bool free = row.price_fen == 0;
              k.set_state(free ? v1::CONTRACT_STATE_FULLY_PAID : v1::CONTRACT_STATE_SIGNED);
              *k.mutable_signed_at() = ToTimestamp(now);
              *k.mutable_update_time() = ToTimestamp(now);
              c.method = method;
              c.signed_on = today;
              c.stock_stage_before = static_cast<StockLandStage>(parcel.stock_stage());
              c.grantee_bidder_number = row.grantee_bidder_number;
              if (!row.grantee_bidder_number.empty()) {
                NRP_ASSIGN_OR_RETURN(
                    auto bidder, store::FindBidder(tx, o.offer_id(), row.grantee_bidder_number));
                if (bidder) c.deposit_available_fen = bidder->deposit_paid().fen();
              }
              NRP_RETURN_IF_ERROR(store::InsertContract(tx, c));

              o.set_state(v1::OFFER_STATE_CONTRACTED);
              *o.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateOffer(tx, row, ""));
              service::Deadlines::Close(tx, "offers/" + o.offer_id());
              parcel.set_state(v1::PARCEL_STATE_SUPPLIED);
              parcel.set_stock_stage(v1::STOCK_LAND_STAGE_NONE);
              *parcel.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateParcel(tx, parcel, "", ""));
              if (!parcel.approval_batch_id().empty()) {
                NRP_RETURN_IF_ERROR(store::AddSuppliedArea(tx, parcel.approval_batch_id(),
                                                           parcel.area().square_metres()));
              }

              v1::ContractSigned ev;
              ev.set_contract_id(k.contract_id());
              ev.set_region_code(k.region_code());
              ev.set_contract_number(k.contract_number());
              ev.set_kind(k.kind());
              ev.set_method(o.method());
              ev.set_parcel_id(k.parcel_id());
              *ev.mutable_grantee() = k.grantee();
              ev.set_land_use(k.land_use());
              ev.set_term_years(k.term_years());
              *ev.mutable_area() = k.area();
              *ev.mutable_price() = k.price();
              ev.set_stock_stage_before(static_cast<v1::StockLandStage>(c.stock_stage_before));
              *ev.mutable_signed_at() = k.signed_at();
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, k.region_code()));
              if (c.stock_stage_before == StockLandStage::kApprovedNotExpropriated ||
                  c.stock_stage_before == StockLandStage::kExpropriatedNotSupplied) {
                NRP_RETURN_IF_ERROR(PublishStockRevitalised(
                    d_.rt, tx, parcel.parcel_id(), parcel.region_code(), c.stock_stage_before,
                    parcel.area().square_metres(), k.contract_id(), today));
              }
              if (free) {
                v1::ContractFullyPaid paid;
                paid.set_contract_id(k.contract_id());
                paid.set_region_code(k.region_code());
                *paid.mutable_price() = k.price();
                *paid.mutable_paid_on() = ToProtoDate(today);
                NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, paid, k.region_code()));
              }
              audit = {k.region_code(), k.contract_id()};
              return k;
            });
        if (!result.ok()) return result;
        return ContractOut(caller, *result);
      });
}

grpc::Status LandSupplyApi::GetContract(Ctx* ctx, const v1::GetContractRequest* req,
                                        v1::GrantContract* out) {
  return Serve<v1::GrantContract>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantContract> {
        NRP_ASSIGN_OR_RETURN(auto row, Read<store::ContractRow>([&](pqxx::work& tx) {
                               return store::GetContract(tx, req->contract_id(), false);
                             }));
        NRP_RETURN_IF_ERROR(InRegion(caller, kReadScope, row.contract.region_code()));
        return ContractOut(caller, row.contract);
      });
}

grpc::Status LandSupplyApi::ListContracts(Ctx* ctx, const v1::ListContractsRequest* req,
                                          v1::ListContractsResponse* out) {
  return Serve<v1::ListContractsResponse>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::ListContractsResponse> {
        NRP_ASSIGN_OR_RETURN(auto q,
                             ListQueryFor(caller, list::RequestOf(*req), store::ContractList()));
        return Read<v1::ListContractsResponse>(
            [&](pqxx::work& tx) -> Result<v1::ListContractsResponse> {
              NRP_ASSIGN_OR_RETURN(auto page, store::ListContracts(tx, q));
              v1::ListContractsResponse resp;
              for (auto& c : page.items) *resp.add_contracts() = ContractOut(caller, std::move(c));
              resp.set_next_page_token(page.next_page_token);
              return resp;
            });
      });
}

grpc::Status LandSupplyApi::RecordPayment(Ctx* ctx, const v1::RecordPaymentRequest* req,
                                          v1::Payment* out) {
  return Serve<v1::Payment>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::Payment> {
        const v1::Payment& in = req->payment();
        if (in.contract_id().empty())
          return Error::InvalidArgument("payment.contract_id", "required");
        return Mutate<v1::Payment>(caller, "RecordPayment", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::Payment> {
              NRP_ASSIGN_OR_RETURN(store::ContractRow row,
                                   store::GetContract(tx, in.contract_id(), true));
              v1::GrantContract& c = row.contract;
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, c.region_code()));
              TimePoint now = d_.clock().Now();
              Date today = DateInChina(now);
              PaymentFacts facts{c.contract_id(),
                                 static_cast<ContractState>(c.state()),
                                 c.price().fen(),
                                 c.paid().fen(),
                                 row.deposit_available_fen,
                                 row.idle_fee_charged_fen - row.idle_fee_paid_fen,
                                 row.signed_on,
                                 today};
              PaymentInput p{static_cast<int>(in.kind()), in.amount().fen(),
                             OptionalDate(in.has_paid_on(), in.paid_on())};
              NRP_ASSIGN_OR_RETURN(PaymentEffect effect, ApplyPayment(facts, p));
              v1::Payment pay = in;
              pay.set_payment_id(NewUuidV7());
              *pay.mutable_recorded_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::InsertPayment(tx, pay));
              c.mutable_paid()->set_fen(effect.paid_after_fen);
              if (in.kind() == v1::PAYMENT_KIND_DEPOSIT_CONVERTED)
                row.deposit_available_fen -= in.amount().fen();
              if (in.kind() == v1::PAYMENT_KIND_IDLE_LAND_FEE)
                row.idle_fee_paid_fen += in.amount().fen();
              if (effect.now_fully_paid) c.set_state(v1::CONTRACT_STATE_FULLY_PAID);
              *c.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateContract(tx, row));
              v1::PaymentRecorded ev;
              ev.set_contract_id(c.contract_id());
              ev.set_region_code(c.region_code());
              ev.set_payment_id(pay.payment_id());
              ev.set_kind(pay.kind());
              *ev.mutable_amount() = pay.amount();
              ev.mutable_paid_total()->set_fen(effect.paid_after_fen);
              *ev.mutable_paid_on() = pay.paid_on();
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, c.region_code()));
              if (effect.now_fully_paid) {
                v1::ContractFullyPaid paid;
                paid.set_contract_id(c.contract_id());
                paid.set_region_code(c.region_code());
                *paid.mutable_price() = c.price();
                *paid.mutable_paid_on() = pay.paid_on();
                NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, paid, c.region_code()));
              }
              audit = {c.region_code(), c.contract_id() + "/" + pay.payment_id()};
              return pay;
            });
      });
}

grpc::Status LandSupplyApi::ListPayments(Ctx* ctx, const v1::ListPaymentsRequest* req,
                                         v1::ListPaymentsResponse* out) {
  return Serve<v1::ListPaymentsResponse>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::ListPaymentsResponse> {
        NRP_ASSIGN_OR_RETURN(auto q,
                             ListQueryFor(caller, list::RequestOf(*req), store::PaymentList()));
        return Read<v1::ListPaymentsResponse>(
            [&](pqxx::work& tx) -> Result<v1::ListPaymentsResponse> {
              NRP_ASSIGN_OR_RETURN(auto page, store::ListPayments(tx, q));
              v1::ListPaymentsResponse resp;
              for (auto& p : page.items) *resp.add_payments() = std::move(p);
              resp.set_next_page_token(page.next_page_token);
              return resp;
            });
      });
}

grpc::Status LandSupplyApi::DeliverLand(Ctx* ctx, const v1::DeliverLandRequest* req,
                                        v1::GrantContract* out) {
  return Serve<v1::GrantContract>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantContract> {
        auto result = Mutate<v1::GrantContract>(caller, "DeliverLand", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::GrantContract> {
              NRP_ASSIGN_OR_RETURN(store::ContractRow row,
                                   store::GetContract(tx, req->contract_id(), true));
              v1::GrantContract& c = row.contract;
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, c.region_code()));
              TimePoint now = d_.clock().Now();
              DeliveryFacts facts{c.contract_id(), static_cast<ContractState>(c.state()),
                                  row.signed_on, DateInChina(now), c.term_years()};
              NRP_ASSIGN_OR_RETURN(
                  Term term,
                  CheckDelivery(facts, OptionalDate(req->has_delivered_on(), req->delivered_on())));
              c.set_state(v1::CONTRACT_STATE_DELIVERED);
              *c.mutable_delivered_on() = ToProtoDate(term.start);
              *c.mutable_term_start() = ToProtoDate(term.start);
              if (term.end) *c.mutable_term_end() = ToProtoDate(*term.end);
              *c.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateContract(tx, row));
              NRP_RETURN_IF_ERROR(store::SetHandoverRecord(
                  tx, c.contract_id(), req->handover_record().SerializeAsString()));
              NRP_ASSIGN_OR_RETURN(v1::Parcel parcel, store::GetParcel(tx, c.parcel_id(), true));
              parcel.set_state(v1::PARCEL_STATE_DELIVERED);
              *parcel.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateParcel(tx, parcel, "", ""));
              // Everything registration needs to open the first registration (首次登记).
              v1::LandDelivered ev;
              ev.set_contract_id(c.contract_id());
              ev.set_region_code(parcel.region_code());
              ev.set_contract_number(c.contract_number());
              ev.set_contract_kind(c.kind());
              ev.set_method(static_cast<v1::SupplyMethod>(row.method));
              ev.set_parcel_id(parcel.parcel_id());
              ev.set_parcel_code(parcel.parcel_code());
              ev.set_location(parcel.location());
              *ev.mutable_geometry() = parcel.geometry();
              *ev.mutable_area() = c.area();
              *ev.mutable_grantee() = c.grantee();
              ev.set_land_use(c.land_use());
              ev.set_land_use_code(c.land_use_code());
              ev.set_term_years(c.term_years());
              *ev.mutable_term_start() = c.term_start();
              if (c.has_term_end()) *ev.mutable_term_end() = c.term_end();
              *ev.mutable_price() = c.price();
              *ev.mutable_delivered_on() = c.delivered_on();
              *ev.mutable_contract_document() = c.document();
              *ev.mutable_handover_record() = req->handover_record();
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, parcel.region_code()));
              audit = {c.region_code(), c.contract_id()};
              return c;
            });
        if (!result.ok()) return result;
        return ContractOut(caller, *result);
      });
}

grpc::Status LandSupplyApi::RecordConstructionStart(Ctx* ctx,
                                                    const v1::RecordConstructionStartRequest* req,
                                                    v1::GrantContract* out) {
  return Serve<v1::GrantContract>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantContract> {
        auto result = Mutate<v1::GrantContract>(caller, "RecordConstructionStart", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::GrantContract> {
              NRP_ASSIGN_OR_RETURN(store::ContractRow row,
                                   store::GetContract(tx, req->contract_id(), true));
              v1::GrantContract& c = row.contract;
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, c.region_code()));
              TimePoint now = d_.clock().Now();
              auto started = OptionalDate(req->has_started_on(), req->started_on());
              NRP_RETURN_IF_ERROR(CheckConstructionStart(
                  c.contract_id(), static_cast<ContractState>(c.state()),
                  FromProtoDate(c.delivered_on()).value_or(Date()), started, DateInChina(now)));
              c.set_state(v1::CONTRACT_STATE_CONSTRUCTION_STARTED);
              *c.mutable_construction_started_on() = req->started_on();
              *c.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateContract(tx, row));
              NRP_ASSIGN_OR_RETURN(v1::Parcel parcel, store::GetParcel(tx, c.parcel_id(), true));
              parcel.set_state(v1::PARCEL_STATE_UNDER_CONSTRUCTION);
              parcel.set_stock_stage(v1::STOCK_LAND_STAGE_NONE);
              *parcel.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateParcel(tx, parcel, "", ""));
              v1::ConstructionStarted ev;
              ev.set_contract_id(c.contract_id());
              ev.set_region_code(parcel.region_code());
              ev.set_parcel_id(parcel.parcel_id());
              *ev.mutable_area() = c.area();
              *ev.mutable_agreed_start() = c.agreed_construction_start();
              *ev.mutable_started_on() = req->started_on();
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, parcel.region_code()));
              audit = {c.region_code(), c.contract_id()};
              return c;
            });
        if (!result.ok()) return result;
        return ContractOut(caller, *result);
      });
}

grpc::Status LandSupplyApi::ReportDevelopmentProgress(
    Ctx* ctx, const v1::ReportDevelopmentProgressRequest* req, v1::GrantContract* out) {
  return Serve<v1::GrantContract>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantContract> {
        auto result = Mutate<v1::GrantContract>(caller, "ReportDevelopmentProgress", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::GrantContract> {
              NRP_ASSIGN_OR_RETURN(store::ContractRow row,
                                   store::GetContract(tx, req->contract_id(), true));
              v1::GrantContract& c = row.contract;
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, c.region_code()));
              TimePoint now = d_.clock().Now();
              ProgressInput p{
                  OptionalDate(req->has_reported_on(), req->reported_on()),
                  req->developed_area().square_metres(), req->invested().fen(),
                  OptionalDate(req->has_work_stopped_since(), req->work_stopped_since())};
              NRP_RETURN_IF_ERROR(CheckProgress(
                  c.contract_id(), static_cast<ContractState>(c.state()), c.area().square_metres(),
                  FromProtoDate(c.construction_started_on()).value_or(Date()), p,
                  DateInChina(now)));
              *c.mutable_developed_area() = req->developed_area();
              *c.mutable_invested() = req->invested();
              if (req->has_work_stopped_since()) {
                *c.mutable_work_stopped_since() = req->work_stopped_since();
              } else {
                c.clear_work_stopped_since();
              }
              *c.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateContract(tx, row));
              v1::DevelopmentProgressReported ev;
              ev.set_contract_id(c.contract_id());
              ev.set_region_code(row.parcel.region_code());
              ev.set_parcel_id(c.parcel_id());
              *ev.mutable_reported_on() = req->reported_on();
              *ev.mutable_developed_area() = req->developed_area();
              *ev.mutable_invested() = req->invested();
              if (req->has_work_stopped_since())
                *ev.mutable_work_stopped_since() = req->work_stopped_since();
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, row.parcel.region_code()));
              audit = {c.region_code(), c.contract_id()};
              return c;
            });
        if (!result.ok()) return result;
        return ContractOut(caller, *result);
      });
}

grpc::Status LandSupplyApi::RecordConstructionCompletion(
    Ctx* ctx, const v1::RecordConstructionCompletionRequest* req, v1::GrantContract* out) {
  return Serve<v1::GrantContract>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::GrantContract> {
        auto result = Mutate<v1::GrantContract>(caller, "RecordConstructionCompletion", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::GrantContract> {
              NRP_ASSIGN_OR_RETURN(store::ContractRow row,
                                   store::GetContract(tx, req->contract_id(), true));
              v1::GrantContract& c = row.contract;
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, c.region_code()));
              TimePoint now = d_.clock().Now();
              NRP_RETURN_IF_ERROR(CheckCompletion(
                  c.contract_id(), static_cast<ContractState>(c.state()),
                  FromProtoDate(c.construction_started_on()).value_or(Date()),
                  OptionalDate(req->has_completed_on(), req->completed_on()), DateInChina(now)));
              c.set_state(v1::CONTRACT_STATE_COMPLETED);
              *c.mutable_completed_on() = req->completed_on();
              c.clear_work_stopped_since();
              *c.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateContract(tx, row));
              NRP_ASSIGN_OR_RETURN(v1::Parcel parcel, store::GetParcel(tx, c.parcel_id(), true));
              parcel.set_state(v1::PARCEL_STATE_COMPLETED);
              parcel.set_stock_stage(v1::STOCK_LAND_STAGE_NONE);
              *parcel.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::UpdateParcel(tx, parcel, "", ""));
              v1::ConstructionCompleted ev;
              ev.set_contract_id(c.contract_id());
              ev.set_region_code(parcel.region_code());
              ev.set_parcel_id(parcel.parcel_id());
              *ev.mutable_completed_on() = req->completed_on();
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, parcel.region_code()));
              audit = {c.region_code(), c.contract_id()};
              return c;
            });
        if (!result.ok()) return result;
        return ContractOut(caller, *result);
      });
}

}  // namespace nrp::land_supply
