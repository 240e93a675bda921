// The farmland-compensation (占补平衡) and linkage-quota (增减挂钩) ledgers.
#include <algorithm>

#include "nrp/core/uuid.h"
#include "store/list_sql.h"
#include "store/sql.h"

namespace nrp::land_supply::store {

namespace {

std::string UuidArray(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string out = "{";
  bool first = true;
  for (const auto& id : ids) {
    if (!IsUuid(id)) continue;
    out += (first ? "" : ",") + id;
    first = false;
  }
  return out + "}";
}

// Region prefix of a region for "lies within": 2 digits for a province, 4 for
// a city, all 6 for a county.
std::string WithinPrefix(const std::string& region) {
  if (region.size() == 6 && region.compare(2, 4, "0000") == 0) return region.substr(0, 2);
  if (region.size() == 6 && region.compare(4, 2, "00") == 0) return region.substr(0, 4);
  return region;
}

const char* kCreditColumns =
    "credit_id::text, region_code::text, source_project_id, source_event_id::text, area_m2, "
    "paddy_area_m2, grain_capacity_kg, quality_grade, remaining_area_m2, remaining_paddy_m2, "
    "remaining_grain_kg, state, to_char(accepted_on, 'YYYY-MM-DD'), ls_us(create_time)";

v1::CompensationCredit CreditFromRow(const pqxx::row& r) {
  v1::CompensationCredit c;
  c.set_credit_id(r[0].c_str());
  c.set_region_code(r[1].c_str());
  c.set_source_project_id(r[2].c_str());
  c.set_source_event_id(r[3].c_str());
  c.mutable_area()->set_square_metres(r[4].as<double>());
  c.mutable_paddy_area()->set_square_metres(r[5].as<double>());
  c.set_grain_capacity_kg(r[6].as<double>());
  c.set_quality_grade(r[7].as<int>());
  c.mutable_remaining_area()->set_square_metres(r[8].as<double>());
  c.mutable_remaining_paddy_area()->set_square_metres(r[9].as<double>());
  c.set_remaining_grain_capacity_kg(r[10].as<double>());
  c.set_state(static_cast<v1::LedgerAccountState>(r[11].as<int>()));
  if (auto d = ReadDate(r[12])) *c.mutable_accepted_on() = ToProtoDate(*d);
  ReadTs(r[13], c.mutable_create_time());
  return c;
}

const char* kQuotaColumns =
    "quota_id::text, region_code::text, source_project_id, source_event_id::text, area_m2, "
    "remaining_area_m2, state, to_char(accepted_on, 'YYYY-MM-DD'), ls_us(create_time)";

v1::LinkageQuota QuotaFromRow(const pqxx::row& r) {
  v1::LinkageQuota q;
  q.set_quota_id(r[0].c_str());
  q.set_region_code(r[1].c_str());
  q.set_source_project_id(r[2].c_str());
  q.set_source_event_id(r[3].c_str());
  q.mutable_area()->set_square_metres(r[4].as<double>());
  q.mutable_remaining_area()->set_square_metres(r[5].as<double>());
  q.set_state(static_cast<v1::LedgerAccountState>(r[6].as<int>()));
  if (auto d = ReadDate(r[7])) *q.mutable_accepted_on() = ToProtoDate(*d);
  ReadTs(r[8], q.mutable_create_time());
  return q;
}

const char* kEntryColumns =
    "entry_id::text, ledger, account_id::text, kind, area_m2, paddy_area_m2, grain_capacity_kg, "
    "COALESCE(batch_id::text, ''), region_code::text, ls_us(recorded_at), "
    "COALESCE(reverses_entry_id::text, '')";

v1::LedgerEntry EntryFromRow(const pqxx::row& r) {
  v1::LedgerEntry e;
  e.set_entry_id(r[0].c_str());
  e.set_ledger(static_cast<v1::LedgerKind>(r[1].as<int>()));
  e.set_account_id(r[2].c_str());
  e.set_kind(static_cast<v1::LedgerEntryKind>(r[3].as<int>()));
  e.mutable_area()->set_square_metres(r[4].as<double>());
  e.mutable_paddy_area()->set_square_metres(r[5].as<double>());
  e.set_grain_capacity_kg(r[6].as<double>());
  e.set_batch_id(r[7].c_str());
  e.set_region_code(r[8].c_str());
  ReadTs(r[9], e.mutable_recorded_at());
  e.set_reverses_entry_id(r[10].c_str());
  return e;
}

}  // namespace

Result<std::map<std::string, LedgerAccount>> LockAccounts(pqxx::work& txn,
                                                          const std::vector<std::string>& ids) {
  std::map<std::string, LedgerAccount> out;
  std::string arr = UuidArray(ids);
  if (arr == "{}") return out;
  for (const auto& r : txn.exec_params(
           "SELECT credit_id::text, region_code::text, quality_grade, area_m2, remaining_area_m2, "
           "remaining_paddy_m2, remaining_grain_kg FROM compensation_credits "
           "WHERE credit_id = ANY($1::uuid[]) ORDER BY credit_id FOR UPDATE",
           arr)) {
    LedgerAccount a;
    a.account_id = r[0].c_str();
    a.ledger = LedgerKind::kFarmlandCompensation;
    a.region_code = r[1].c_str();
    a.quality_grade = r[2].as<int>();
    a.original_area_m2 = r[3].as<double>();
    a.remaining_area_m2 = r[4].as<double>();
    a.remaining_paddy_area_m2 = r[5].as<double>();
    a.remaining_grain_capacity_kg = r[6].as<double>();
    out[a.account_id] = a;
  }
  for (const auto& r : txn.exec_params(
           "SELECT quota_id::text, region_code::text, area_m2, remaining_area_m2 FROM "
           "linkage_quotas WHERE quota_id = ANY($1::uuid[]) ORDER BY quota_id FOR UPDATE",
           arr)) {
    LedgerAccount a;
    a.account_id = r[0].c_str();
    a.ledger = LedgerKind::kLinkageQuota;
    a.region_code = r[1].c_str();
    a.original_area_m2 = r[2].as<double>();
    a.remaining_area_m2 = r[3].as<double>();
    out[a.account_id] = a;
  }
  return out;
}

Status UpdateAccount(pqxx::work& txn, const AccountAfter& a) {
  if (a.ledger == LedgerKind::kFarmlandCompensation) {
    txn.exec_params(
        "UPDATE compensation_credits SET remaining_area_m2 = $2, remaining_paddy_m2 = $3, "
        "remaining_grain_kg = $4, state = $5 WHERE credit_id = $1",
        a.account_id, a.remaining_area_m2, a.remaining_paddy_area_m2, a.remaining_grain_capacity_kg,
        static_cast<int>(a.state));
  } else {
    txn.exec_params(
        "UPDATE linkage_quotas SET remaining_area_m2 = $2, state = $3 WHERE quota_id = $1",
        a.account_id, a.remaining_area_m2, static_cast<int>(a.state));
  }
  return Ok();
}

Status InsertLedgerEntry(pqxx::work& txn, const v1::LedgerEntry& e) {
  txn.exec_params(
      "INSERT INTO ledger_entries (entry_id, ledger, account_id, kind, area_m2, paddy_area_m2, "
      "grain_capacity_kg, batch_id, region_code, recorded_at, reverses_entry_id) VALUES "
      "($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')::uuid, $9, ls_ts($10), NULLIF($11, '')::uuid)",
      e.entry_id(), static_cast<int>(e.ledger()), e.account_id(), static_cast<int>(e.kind()),
      e.area().square_metres(), e.paddy_area().square_metres(), e.grain_capacity_kg(), e.batch_id(),
      e.region_code(), std::to_string(EpochMicros(FromTimestamp(e.recorded_at()))),
      e.reverses_entry_id());
  return Ok();
}

Result<std::vector<v1::LedgerEntry>> EntriesOfBatch(pqxx::work& txn, const std::string& batch_id) {
  std::vector<v1::LedgerEntry> out;
  for (const auto& r : txn.exec_params(std::string("SELECT ") + kEntryColumns +
                                           " FROM ledger_entries WHERE batch_id = $1 ORDER BY seq",
                                       batch_id)) {
    out.push_back(EntryFromRow(r));
  }
  return out;
}

Result<std::pair<v1::CompensationCredit, bool>> InsertCredit(pqxx::work& txn,
                                                             const v1::CompensationCredit& c) {
  auto r = txn.exec_params(
      "INSERT INTO compensation_credits (credit_id, region_code, source_project_id, "
      "source_event_id, area_m2, paddy_area_m2, grain_capacity_kg, quality_grade, "
      "remaining_area_m2, remaining_paddy_m2, remaining_grain_kg, state, accepted_on, "
      "create_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $5, $6, $7, $9, NULLIF($10, '')::date, "
      "ls_ts($11)) ON CONFLICT (source_event_id) DO NOTHING",
      c.credit_id(), c.region_code(), c.source_project_id(), c.source_event_id(),
      c.area().square_metres(), c.paddy_area().square_metres(), c.grain_capacity_kg(),
      c.quality_grade(), static_cast<int>(c.state()),
      c.has_accepted_on() ? DateParam(FromProtoDate(c.accepted_on())) : "",
      std::to_string(EpochMicros(FromTimestamp(c.create_time()))));
  bool fresh = r.affected_rows() == 1;
  auto row = txn.exec_params1(std::string("SELECT ") + kCreditColumns +
                                  " FROM compensation_credits WHERE source_event_id = $1",
                              c.source_event_id());
  return std::make_pair(CreditFromRow(row), fresh);
}

Result<std::pair<v1::LinkageQuota, bool>> InsertQuota(pqxx::work& txn, const v1::LinkageQuota& q) {
  auto r = txn.exec_params(
      "INSERT INTO linkage_quotas (quota_id, region_code, source_project_id, source_event_id, "
      "area_m2, remaining_area_m2, state, accepted_on, create_time) VALUES ($1, $2, $3, $4, $5, "
      "$5, "
      "$6, NULLIF($7, '')::date, ls_ts($8)) ON CONFLICT (source_event_id) DO NOTHING",
      q.quota_id(), q.region_code(), q.source_project_id(), q.source_event_id(),
      q.area().square_metres(), static_cast<int>(q.state()),
      q.has_accepted_on() ? DateParam(FromProtoDate(q.accepted_on())) : "",
      std::to_string(EpochMicros(FromTimestamp(q.create_time()))));
  bool fresh = r.affected_rows() == 1;
  auto row = txn.exec_params1(
      std::string("SELECT ") + kQuotaColumns + " FROM linkage_quotas WHERE source_event_id = $1",
      q.source_event_id());
  return std::make_pair(QuotaFromRow(row), fresh);
}

Result<v1::CompensationCredit> GetCredit(pqxx::work& txn, const std::string& credit_id) {
  if (!IsUuid(credit_id)) return Error::NotFound("compensation credit " + credit_id + " not found");
  auto r = txn.exec_params(
      std::string("SELECT ") + kCreditColumns + " FROM compensation_credits WHERE credit_id = $1",
      credit_id);
  if (r.empty()) return Error::NotFound("compensation credit " + credit_id + " not found");
  return CreditFromRow(r[0]);
}

Result<v1::LinkageQuota> GetQuota(pqxx::work& txn, const std::string& quota_id) {
  if (!IsUuid(quota_id)) return Error::NotFound("linkage quota " + quota_id + " not found");
  auto r = txn.exec_params(
      std::string("SELECT ") + kQuotaColumns + " FROM linkage_quotas WHERE quota_id = $1",
      quota_id);
  if (r.empty()) return Error::NotFound("linkage quota " + quota_id + " not found");
  return QuotaFromRow(r[0]);
}

const list::Spec& CreditList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "land_supply.ListCompensationCredits",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text"},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::LedgerAccountState_descriptor())},
              {.name = "quality_grade", .sql = "quality_grade", .type = Type::kInt},
              {.name = "source_project_id", .sql = "source_project_id"},
          },
      .orders = {{"create_time", {{"create_time", Type::kTimestamp}}},
                 {"quality_grade", {{"quality_grade", Type::kInt}}}},
      .default_order = "create_time",
      .id = {"credit_id", Type::kUuid},
  };
  return spec;
}

Result<list::Page<v1::CompensationCredit>> ListCredits(pqxx::work& txn, const ListQuery& q) {
  list::Params params;
  std::string tail = ListTail(q, "region_code", {}, params);
  auto r = params.Exec(txn, std::string("SELECT ") + kCreditColumns + q.query.CursorColumns() +
                                " FROM compensation_credits" + tail);
  return q.query.Collect(r, [](const pqxx::row& row) { return CreditFromRow(row); });
}

const list::Spec& QuotaList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "land_supply.ListLinkageQuotas",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text"},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::LedgerAccountState_descriptor())},
              {.name = "source_project_id", .sql = "source_project_id"},
          },
      .orders = {{"create_time", {{"create_time", Type::kTimestamp}}}},
      .default_order = "create_time",
      .id = {"quota_id", Type::kUuid},
  };
  return spec;
}

Result<list::Page<v1::LinkageQuota>> ListQuotas(pqxx::work& txn, const ListQuery& q) {
  list::Params params;
  std::string tail = ListTail(q, "region_code", {}, params);
  auto r = params.Exec(txn, std::string("SELECT ") + kQuotaColumns + q.query.CursorColumns() +
                                " FROM linkage_quotas" + tail);
  return q.query.Collect(r, [](const pqxx::row& row) { return QuotaFromRow(row); });
}

const list::Spec& EntryList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "land_supply.ListLedgerEntries",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text"},
              {.name = "ledger",
               .sql = "ledger",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::LedgerKind_descriptor())},
              {.name = "kind",
               .sql = "kind",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::LedgerEntryKind_descriptor())},
              {.name = "account_id", .sql = "account_id::text"},
              {.name = "batch_id", .sql = "COALESCE(batch_id::text, '')"},
          },
      // Entries are numbered as they are recorded.
      .orders = {{"recorded_at", {{"seq", Type::kInt}}}},
      .default_order = "recorded_at",
      .id = {"seq", Type::kInt},
  };
  return spec;
}

Result<list::Page<v1::LedgerEntry>> ListEntries(pqxx::work& txn, const ListQuery& q) {
  list::Params params;
  std::string tail = ListTail(q, "region_code", {}, params);
  auto r = params.Exec(txn, std::string("SELECT ") + kEntryColumns + q.query.CursorColumns() +
                                " FROM ledger_entries" + tail);
  return q.query.Collect(r, [](const pqxx::row& row) { return EntryFromRow(row); });
}

Result<v1::LedgerBalance> Balance(pqxx::work& txn, const std::string& region_code) {
  std::string like = WithinPrefix(region_code) + "%";
  auto c = txn.exec_params1(
      "SELECT COALESCE(sum(remaining_area_m2), 0), COALESCE(sum(remaining_paddy_m2), 0), "
      "COALESCE(sum(remaining_grain_kg), 0) FROM compensation_credits WHERE region_code::text LIKE "
      "$1",
      like);
  auto q = txn.exec_params1(
      "SELECT COALESCE(sum(remaining_area_m2), 0) FROM linkage_quotas WHERE region_code::text LIKE "
      "$1",
      like);
  v1::LedgerBalance b;
  b.set_region_code(region_code);
  b.mutable_compensation_area()->set_square_metres(c[0].as<double>());
  b.mutable_compensation_paddy_area()->set_square_metres(c[1].as<double>());
  b.set_compensation_grain_capacity_kg(c[2].as<double>());
  b.mutable_linkage_quota_area()->set_square_metres(q[0].as<double>());
  return b;
}

}  // namespace nrp::land_supply::store
