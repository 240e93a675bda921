// Contracts, installments, payments and idle-land cases.
#include "nrp/core/uuid.h"
#include "store/list_sql.h"
#include "store/sql.h"

namespace nrp::land_supply::store {

namespace {

const char* kContractColumns =
    "c.contract_id::text, c.contract_number, c.kind, c.region_code::text, c.offer_id::text, "
    "c.parcel_id::text, c.grantee, c.grantor, c.land_use, c.land_use_code, c.term_years, "
    "to_char(c.term_start, 'YYYY-MM-DD'), to_char(c.term_end, 'YYYY-MM-DD'), c.area_m2, "
    "c.price_fen, c.paid_fen, to_char(c.agreed_delivery, 'YYYY-MM-DD'), "
    "to_char(c.agreed_start, 'YYYY-MM-DD'), to_char(c.agreed_completion, 'YYYY-MM-DD'), "
    "c.agreed_investment_fen, c.planning_conditions, c.document, c.state, ls_us(c.signed_at), "
    "to_char(c.delivered_on, 'YYYY-MM-DD'), to_char(c.started_on, 'YYYY-MM-DD'), "
    "to_char(c.completed_on, 'YYYY-MM-DD'), c.developed_area_m2, c.invested_fen, "
    "to_char(c.work_stopped_since, 'YYYY-MM-DD'), ls_us(c.update_time), c.method, "
    "to_char(c.signed_on, 'YYYY-MM-DD'), c.stock_stage_before, c.deposit_available_fen, "
    "c.idle_fee_charged_fen, c.idle_fee_paid_fen, COALESCE(c.grantee_bidder_number, ''), "
    "c.handover_record";

void SetDate(const pqxx::field& f, nrp::common::v1::Date* out, bool* has) {
  if (auto d = ReadDate(f)) {
    *out = ToProtoDate(*d);
    *has = true;
  } else {
    *has = false;
  }
}

ContractRow ContractFromRow(const pqxx::row& r) {
  ContractRow row;
  v1::GrantContract& c = row.contract;
  c.set_contract_id(r[0].c_str());
  c.set_contract_number(r[1].c_str());
  c.set_kind(static_cast<v1::ContractKind>(r[2].as<int>()));
  c.set_region_code(r[3].c_str());
  c.set_offer_id(r[4].c_str());
  c.set_parcel_id(r[5].c_str());
  ReadMessage(r[6], c.mutable_grantee());
  c.set_grantor(r[7].c_str());
  c.set_land_use(static_cast<v1::LandUse>(r[8].as<int>()));
  c.set_land_use_code(r[9].c_str());
  c.set_term_years(r[10].as<int>());
  bool has = false;
  SetDate(r[11], c.mutable_term_start(), &has);
  if (!has) c.clear_term_start();
  SetDate(r[12], c.mutable_term_end(), &has);
  if (!has) c.clear_term_end();
  c.mutable_area()->set_square_metres(r[13].as<double>());
  c.mutable_price()->set_fen(r[14].as<int64_t>());
  c.mutable_paid()->set_fen(r[15].as<int64_t>());
  SetDate(r[16], c.mutable_agreed_delivery_date(), &has);
  SetDate(r[17], c.mutable_agreed_construction_start(), &has);
  SetDate(r[18], c.mutable_agreed_completion_date(), &has);
  c.mutable_agreed_investment()->set_fen(r[19].as<int64_t>());
  ReadMessage(r[20], c.mutable_planning_conditions());
  if (r[20].is_null()) c.clear_planning_conditions();
  ReadMessage(r[21], c.mutable_document());
  if (r[21].is_null()) c.clear_document();
  c.set_state(static_cast<v1::ContractState>(r[22].as<int>()));
  ReadTs(r[23], c.mutable_signed_at());
  SetDate(r[24], c.mutable_delivered_on(), &has);
  if (!has) c.clear_delivered_on();
  SetDate(r[25], c.mutable_construction_started_on(), &has);
  if (!has) c.clear_construction_started_on();
  SetDate(r[26], c.mutable_completed_on(), &has);
  if (!has) c.clear_completed_on();
  c.mutable_developed_area()->set_square_metres(r[27].as<double>());
  c.mutable_invested()->set_fen(r[28].as<int64_t>());
  SetDate(r[29], c.mutable_work_stopped_since(), &has);
  if (!has) c.clear_work_stopped_since();
  ReadTs(r[30], c.mutable_update_time());
  row.method = static_cast<SupplyMethod>(r[31].as<int>());
  row.signed_on = ReadDate(r[32]).value_or(Date());
  row.stock_stage_before = static_cast<StockLandStage>(r[33].as<int>());
  row.deposit_available_fen = r[34].as<int64_t>();
  row.idle_fee_charged_fen = r[35].as<int64_t>();
  row.idle_fee_paid_fen = r[36].as<int64_t>();
  row.grantee_bidder_number = r[37].c_str();
  return row;
}

std::string ProtoDateParam(bool has, const nrp::common::v1::Date& d) {
  return has ? DateParam(FromProtoDate(d)) : "";
}

const char* kCaseColumns =
    "case_id::text, region_code::text, contract_id::text, parcel_id::text, land_user, ground, "
    "to_char(idle_since, 'YYYY-MM-DD'), idle_area_m2, detected_automatically, state, cause, "
    "investigation_notice, determination, disposal, fee_fen, "
    "to_char(new_construction_start, 'YYYY-MM-DD'), decision, ls_us(opened_at), ls_us(closed_at)";

v1::IdleLandCase CaseFromRow(const pqxx::row& r) {
  v1::IdleLandCase c;
  c.set_case_id(r[0].c_str());
  c.set_region_code(r[1].c_str());
  c.set_contract_id(r[2].c_str());
  c.set_parcel_id(r[3].c_str());
  ReadMessage(r[4], c.mutable_land_user());
  if (r[4].is_null()) c.clear_land_user();
  c.set_ground(static_cast<v1::IdleGround>(r[5].as<int>()));
  bool has = false;
  SetDate(r[6], c.mutable_idle_since(), &has);
  c.mutable_idle_area()->set_square_metres(r[7].as<double>());
  c.set_detected_automatically(r[8].as<bool>());
  c.set_state(static_cast<v1::IdleCaseState>(r[9].as<int>()));
  c.set_cause(static_cast<v1::IdleCause>(r[10].as<int>()));
  ReadMessage(r[11], c.mutable_investigation_notice());
  if (r[11].is_null()) c.clear_investigation_notice();
  ReadMessage(r[12], c.mutable_determination());
  if (r[12].is_null()) c.clear_determination();
  c.set_disposal(static_cast<v1::IdleLandDisposal>(r[13].as<int>()));
  c.mutable_fee()->set_fen(r[14].as<int64_t>());
  SetDate(r[15], c.mutable_new_construction_start(), &has);
  if (!has) c.clear_new_construction_start();
  ReadMessage(r[16], c.mutable_decision());
  if (r[16].is_null()) c.clear_decision();
  ReadTs(r[17], c.mutable_opened_at());
  if (!ReadTs(r[18], c.mutable_closed_at())) c.clear_closed_at();
  return c;
}

}  // namespace

Status InsertContract(pqxx::work& txn, const ContractRow& row) {
  const v1::GrantContract& c = row.contract;
  txn.exec_params(
      "INSERT INTO contracts (contract_id, contract_number, kind, region_code, offer_id, "
      "parcel_id, method, grantee, grantee_bidder_number, grantor, land_use, land_use_code, "
      "term_years, area_m2, price_fen, paid_fen, deposit_available_fen, agreed_delivery, "
      "agreed_start, agreed_completion, agreed_investment_fen, planning_conditions, document, "
      "state, signed_at, signed_on, stock_stage_before, update_time) VALUES ($1, $2, $3, $4, $5, "
      "$6, $7, $8, NULLIF($9, ''), $10, $11, $12, $13, $14, $15, 0, $16, $17::date, $18::date, "
      "$19::date, $20, NULLIF($21, ''::bytea), NULLIF($22, ''::bytea), $23, ls_ts($24), "
      "$25::date, $26, ls_ts($24))",
      c.contract_id(), c.contract_number(), static_cast<int>(c.kind()), c.region_code(),
      c.offer_id(), c.parcel_id(), static_cast<int>(row.method), Bytes(c.grantee()),
      row.grantee_bidder_number, c.grantor(), static_cast<int>(c.land_use()), c.land_use_code(),
      c.term_years(), c.area().square_metres(), c.price().fen(), row.deposit_available_fen,
      ProtoDateParam(true, c.agreed_delivery_date()),
      ProtoDateParam(true, c.agreed_construction_start()),
      ProtoDateParam(true, c.agreed_completion_date()), c.agreed_investment().fen(),
      Bytes(c.planning_conditions()), Bytes(c.document()), static_cast<int>(c.state()),
      EpochMicros(FromTimestamp(c.signed_at())), row.signed_on.ToString(),
      static_cast<int>(row.stock_stage_before));
  for (int i = 0; i < c.installments_size(); ++i) {
    const auto& in = c.installments(i);
    txn.exec_params(
        "INSERT INTO installments (contract_id, idx, due_date, amount_fen) VALUES ($1, $2, "
        "$3::date, $4)",
        c.contract_id(), i, ProtoDateParam(true, in.due_date()), in.amount().fen());
  }
  return Ok();
}

Result<ContractRow> GetContract(pqxx::work& txn, const std::string& contract_id, bool for_update) {
  if (!IsUuid(contract_id)) return Error::NotFound("contract " + contract_id + " not found");
  auto r = txn.exec_params(std::string("SELECT ") + kContractColumns +
                               " FROM contracts c WHERE c.contract_id = $1" +
                               (for_update ? " FOR UPDATE" : ""),
                           contract_id);
  if (r.empty()) return Error::NotFound("contract " + contract_id + " not found");
  ContractRow row = ContractFromRow(r[0]);
  for (const auto& i :
       txn.exec_params("SELECT to_char(due_date, 'YYYY-MM-DD'), amount_fen FROM installments WHERE "
                       "contract_id = $1 ORDER BY idx",
                       contract_id)) {
    auto* in = row.contract.add_installments();
    if (auto d = ReadDate(i[0])) *in->mutable_due_date() = ToProtoDate(*d);
    in->mutable_amount()->set_fen(i[1].as<int64_t>());
  }
  NRP_ASSIGN_OR_RETURN(row.parcel, GetParcel(txn, row.contract.parcel_id(), false));
  return row;
}

Status UpdateContract(pqxx::work& txn, const ContractRow& row) {
  const v1::GrantContract& c = row.contract;
  txn.exec_params(
      "UPDATE contracts SET state = $2, paid_fen = $3, deposit_available_fen = $4, "
      "term_start = NULLIF($5, '')::date, term_end = NULLIF($6, '')::date, "
      "delivered_on = NULLIF($7, '')::date, started_on = NULLIF($8, '')::date, "
      "completed_on = NULLIF($9, '')::date, developed_area_m2 = $10, invested_fen = $11, "
      "work_stopped_since = NULLIF($12, '')::date, agreed_start = $13::date, "
      "idle_fee_charged_fen = $14, idle_fee_paid_fen = $15, update_time = ls_ts($16) "
      "WHERE contract_id = $1",
      c.contract_id(), static_cast<int>(c.state()), c.paid().fen(), row.deposit_available_fen,
      ProtoDateParam(c.has_term_start(), c.term_start()),
      ProtoDateParam(c.has_term_end(), c.term_end()),
      ProtoDateParam(c.has_delivered_on(), c.delivered_on()),
      ProtoDateParam(c.has_construction_started_on(), c.construction_started_on()),
      ProtoDateParam(c.has_completed_on(), c.completed_on()), c.developed_area().square_metres(),
      c.invested().fen(), ProtoDateParam(c.has_work_stopped_since(), c.work_stopped_since()),
      ProtoDateParam(true, c.agreed_construction_start()), row.idle_fee_charged_fen,
      row.idle_fee_paid_fen, EpochMicros(FromTimestamp(c.update_time())));
  return Ok();
}

Status SetHandoverRecord(pqxx::work& txn, const std::string& contract_id,
                         const std::string& bytes) {
  txn.exec_params(
      "UPDATE contracts SET handover_record = NULLIF($2, ''::bytea) WHERE contract_id = $1",
      contract_id, Bytes(bytes));
  return Ok();
}

const list::Spec& ContractList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "land_supply.ListContracts",
      .fields =
          {
              {.name = "region_code", .sql = "c.region_code::text"},
              {.name = "state",
               .sql = "c.state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::ContractState_descriptor())},
              {.name = "kind",
               .sql = "c.kind",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::ContractKind_descriptor())},
              {.name = "land_use",
               .sql = "c.land_use",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::LandUse_descriptor())},
              {.name = "parcel_id", .sql = "c.parcel_id::text"},
              {.name = "offer_id", .sql = "c.offer_id::text"},
              {.name = "contract_number", .sql = "c.contract_number"},
          },
      .orders = {{"signed_at", {{"c.signed_at", Type::kTimestamp}}},
                 {"update_time", {{"c.update_time", Type::kTimestamp}}}},
      .default_order = "signed_at desc",
      .id = {"c.contract_id", Type::kUuid},
  };
  return spec;
}

Result<list::Page<v1::GrantContract>> ListContracts(pqxx::work& txn, const ListQuery& q) {
  list::Params params;
  std::string tail = ListTail(q, "c.region_code", {}, params);
  auto r = params.Exec(txn, std::string("SELECT ") + kContractColumns + q.query.CursorColumns() +
                                " FROM contracts c" + tail);
  return q.query.Collect(r, [](const pqxx::row& row) { return ContractFromRow(row).contract; });
}

Result<std::vector<std::string>> ContractsWithUnraisedOverdue(pqxx::work& txn, const Date& today,
                                                              int limit) {
  std::vector<std::string> out;
  for (const auto& r : txn.exec_params(
           "SELECT DISTINCT i.contract_id::text FROM installments i JOIN contracts c USING "
           "(contract_id) WHERE i.overdue_raised_at IS NULL AND i.due_date < $1::date AND "
           "c.state = 1 AND c.paid_fen < (SELECT sum(amount_fen) FROM installments j WHERE "
           "j.contract_id = i.contract_id AND j.idx <= i.idx) LIMIT $2",
           today.ToString(), limit)) {
    out.push_back(r[0].c_str());
  }
  return out;
}

Status MarkInstallmentOverdue(pqxx::work& txn, const std::string& contract_id, int32_t idx,
                              TimePoint now) {
  txn.exec_params(
      "UPDATE installments SET overdue_raised_at = ls_ts($3) WHERE contract_id = $1 AND idx = $2",
      contract_id, idx, EpochMicros(now));
  return Ok();
}

Result<std::vector<std::pair<int32_t, bool>>> InstallmentRaisedFlags(
    pqxx::work& txn, const std::string& contract_id) {
  std::vector<std::pair<int32_t, bool>> out;
  for (const auto& r : txn.exec_params(
           "SELECT idx, overdue_raised_at IS NOT NULL FROM installments WHERE contract_id = $1 "
           "ORDER BY idx",
           contract_id)) {
    out.emplace_back(r[0].as<int32_t>(), r[1].as<bool>());
  }
  return out;
}

Result<v1::Payment> InsertPayment(pqxx::work& txn, const v1::Payment& p) {
  txn.exec_params(
      "INSERT INTO payments (payment_id, contract_id, kind, amount_fen, paid_on, receipt, "
      "recorded_at) VALUES ($1, $2, $3, $4, $5::date, NULLIF($6, ''::bytea), ls_ts($7))",
      p.payment_id(), p.contract_id(), static_cast<int>(p.kind()), p.amount().fen(),
      ProtoDateParam(true, p.paid_on()), Bytes(p.receipt()),
      EpochMicros(FromTimestamp(p.recorded_at())));
  return p;
}

const list::Spec& PaymentList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "land_supply.ListPayments",
      .fields =
          {
              {.name = "contract_id", .sql = "p.contract_id::text"},
              {.name = "kind",
               .sql = "p.kind",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::PaymentKind_descriptor())},
              {.name = "region_code", .sql = "c.region_code::text"},
          },
      .orders = {{"paid_on", {{"p.paid_on", Type::kDate}}},
                 {"recorded_at", {{"p.recorded_at", Type::kTimestamp}}}},
      .default_order = "paid_on",
      .id = {"p.payment_id", Type::kUuid},
  };
  return spec;
}

Result<list::Page<v1::Payment>> ListPayments(pqxx::work& txn, const ListQuery& q) {
  list::Params params;
  std::string tail = ListTail(q, "c.region_code", {}, params);
  auto r = params.Exec(txn,
                       "SELECT p.payment_id::text, p.contract_id::text, p.kind, p.amount_fen, "
                       "to_char(p.paid_on, 'YYYY-MM-DD'), p.receipt, ls_us(p.recorded_at)" +
                           q.query.CursorColumns() +
                           " FROM payments p JOIN contracts c USING (contract_id)" + tail);
  return q.query.Collect(r, [](const pqxx::row& r) {
    v1::Payment p;
    p.set_payment_id(r[0].c_str());
    p.set_contract_id(r[1].c_str());
    p.set_kind(static_cast<v1::PaymentKind>(r[2].as<int>()));
    p.mutable_amount()->set_fen(r[3].as<int64_t>());
    if (auto d = ReadDate(r[4])) *p.mutable_paid_on() = ToProtoDate(*d);
    ReadMessage(r[5], p.mutable_receipt());
    if (r[5].is_null()) p.clear_receipt();
    ReadTs(r[6], p.mutable_recorded_at());
    return p;
  });
}

Result<std::vector<std::string>> ContractsForIdleScan(pqxx::work& txn, const Date& agreed_before,
                                                      const Date& stopped_before, int limit,
                                                      const std::string& after_id) {
  std::vector<std::string> out;
  for (const auto& r : txn.exec_params(
           "SELECT contract_id::text FROM contracts WHERE contract_id > $4::uuid AND ("
           "(state IN (1, 2, 3) AND started_on IS NULL AND agreed_start < $1::date) OR "
           "(state = 4 AND work_stopped_since IS NOT NULL AND work_stopped_since < $2::date)) "
           "ORDER BY contract_id LIMIT $3",
           agreed_before.ToString(), stopped_before.ToString(), limit,
           after_id.empty() ? "00000000-0000-0000-0000-000000000000" : after_id)) {
    out.push_back(r[0].c_str());
  }
  return out;
}

// ---------------------------------------------------------------- idle land

Result<bool> InsertIdleCase(pqxx::work& txn, const v1::IdleLandCase& c) {
  auto r = txn.exec_params(
      "INSERT INTO idle_cases (case_id, region_code, contract_id, parcel_id, land_user, ground, "
      "idle_since, idle_area_m2, detected_automatically, state, investigation_notice, fee_fen, "
      "opened_at) VALUES ($1, $2, $3, $4, NULLIF($5, ''::bytea), $6, $7::date, $8, $9, $10, "
      "NULLIF($11, ''::bytea), $12, ls_ts($13)) ON CONFLICT (contract_id, ground, idle_since) "
      "DO NOTHING",
      c.case_id(), c.region_code(), c.contract_id(), c.parcel_id(), Bytes(c.land_user()),
      static_cast<int>(c.ground()), ProtoDateParam(true, c.idle_since()),
      c.idle_area().square_metres(), c.detected_automatically(), static_cast<int>(c.state()),
      Bytes(c.investigation_notice()), c.fee().fen(), EpochMicros(FromTimestamp(c.opened_at())));
  return r.affected_rows() == 1;
}

Result<v1::IdleLandCase> GetIdleCase(pqxx::work& txn, const std::string& case_id, bool for_update) {
  if (!IsUuid(case_id)) return Error::NotFound("idle-land case " + case_id + " not found");
  auto r =
      txn.exec_params(std::string("SELECT ") + kCaseColumns +
                          " FROM idle_cases WHERE case_id = $1" + (for_update ? " FOR UPDATE" : ""),
                      case_id);
  if (r.empty()) return Error::NotFound("idle-land case " + case_id + " not found");
  return CaseFromRow(r[0]);
}

Status UpdateIdleCase(pqxx::work& txn, const v1::IdleLandCase& c) {
  txn.exec_params(
      "UPDATE idle_cases SET state = $2, cause = $3, determination = NULLIF($4, ''::bytea), "
      "disposal = $5, fee_fen = $6, new_construction_start = NULLIF($7, '')::date, "
      "decision = NULLIF($8, ''::bytea), closed_at = ls_ts(NULLIF($9, '')::bigint) "
      "WHERE case_id = $1",
      c.case_id(), static_cast<int>(c.state()), static_cast<int>(c.cause()),
      Bytes(c.determination()), static_cast<int>(c.disposal()), c.fee().fen(),
      ProtoDateParam(c.has_new_construction_start(), c.new_construction_start()),
      Bytes(c.decision()), TsParam(c.closed_at(), c.has_closed_at()));
  return Ok();
}

const list::Spec& IdleCaseList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "land_supply.ListIdleLandCases",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text"},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::IdleCaseState_descriptor())},
              {.name = "ground",
               .sql = "ground",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::IdleGround_descriptor())},
              {.name = "contract_id", .sql = "contract_id::text"},
              {.name = "parcel_id", .sql = "parcel_id::text"},
              {.name = "detected_automatically",
               .sql = "detected_automatically",
               .type = Type::kBool},
          },
      .orders = {{"opened_at", {{"opened_at", Type::kTimestamp}}},
                 {"idle_since", {{"idle_since", Type::kDate}}}},
      .default_order = "opened_at desc",
      .id = {"case_id", Type::kUuid},
  };
  return spec;
}

Result<list::Page<v1::IdleLandCase>> ListIdleCases(pqxx::work& txn, const ListQuery& q) {
  list::Params params;
  std::string tail = ListTail(q, "region_code", {}, params);
  auto r = params.Exec(txn, std::string("SELECT ") + kCaseColumns + q.query.CursorColumns() +
                                " FROM idle_cases" + tail);
  return q.query.Collect(r, [](const pqxx::row& row) { return CaseFromRow(row); });
}

}  // namespace nrp::land_supply::store
