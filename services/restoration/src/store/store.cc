#include "store/store.h"

#include "nrp/geo/postgis.h"
#include "nrp/list/bodies.h"
#include "nrp/service/wire_time.h"

namespace nrp::restoration::store {

namespace {

using list::Body;
using list::ParseBody;
using list::RegionCondition;
using service::FromTimestamp;

int64_t Micros(const google::protobuf::Timestamp& ts) {
  return service::EpochMicros(FromTimestamp(ts));
}

std::string DateText(const nrp::common::v1::Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(), d.day());
  return buf;
}

// "" for an unset date (the statement writes NULLIF($n, '')::date).
std::string OptionalDate(const nrp::common::v1::Date& d, bool present) {
  if (!present || d.year() == 0) return "";
  return DateText(d);
}

// NULL for an empty string (libpqxx 6 sends a null const char* as NULL).
const char* OptionalText(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

}  // namespace

// ---------------------------------------------------------------- geometry

Result<Shape> ReadShape(pqxx::work& tx, const nrp::common::v1::Geometry& g,
                        const std::string& field) {
  if (g.text().empty()) return Error::InvalidArgument(field, "is required");
  NRP_ASSIGN_OR_RETURN(geo::Polygonal p,
                       geo::ReadPolygonal(tx, static_cast<int>(g.encoding()), g.text(), field));
  if (!(p.area_m2 > 0)) return Error::InvalidArgument(field, "must have an area");
  return Shape{p.hex_ewkb, p.area_m2};
}

Result<double> OutsideProject(pqxx::work& tx, const std::string& project_id, const Shape& shape) {
  auto r = tx.exec_params(
      "SELECT COALESCE(ST_Area(geography(ST_Difference(ST_GeomFromEWKB(decode($2, 'hex')), "
      "p.geom))), 0) FROM projects p WHERE p.project_id = $1::uuid",
      project_id, shape.hex_ewkb);
  if (r.empty()) return Error::NotFound("project " + project_id + " not found");
  return r[0][0].as<double>();
}

Result<bool> ProjectMeets(pqxx::work& tx, const std::string& project_id,
                          const std::string& hex_ewkb) {
  auto r = tx.exec_params(
      "SELECT ST_Relate(p.geom, ST_GeomFromEWKB(decode($2, 'hex')), 'T********') FROM projects p "
      "WHERE p.project_id = $1::uuid",
      project_id, hex_ewkb);
  if (r.empty()) return Error::NotFound("project " + project_id + " not found");
  return r[0][0].as<bool>();
}

// ---------------------------------------------------------------- mining rights heard of

Status UpsertRight(pqxx::work& tx, const KnownRight& r, TimePoint now) {
  tx.exec_params(
      "INSERT INTO mining_rights (right_id, region_code, licence_number, state, holder, geom, "
      "update_time) VALUES ($1::uuid, $2, $3, $4, $5, "
      "CASE WHEN $6 = '' THEN NULL ELSE ST_GeomFromEWKB(decode($6, 'hex')) END, rs_ts($7)) "
      "ON CONFLICT (right_id) DO UPDATE SET region_code = EXCLUDED.region_code, "
      "licence_number = EXCLUDED.licence_number, state = EXCLUDED.state, holder = EXCLUDED.holder, "
      "geom = COALESCE(EXCLUDED.geom, mining_rights.geom), update_time = EXCLUDED.update_time",
      r.right_id, r.region_code, r.licence_number, r.state, Body(r.holder), r.hex_ewkb,
      service::EpochMicros(now));
  return Ok();
}

Result<std::optional<KnownRight>> GetKnownRight(pqxx::work& tx, const std::string& right_id) {
  auto rows = tx.exec_params(
      "SELECT region_code, licence_number, state, holder, COALESCE(ST_AsHexEWKB(geom), '') "
      "FROM mining_rights WHERE right_id = $1::uuid",
      right_id);
  if (rows.empty()) return std::optional<KnownRight>();
  KnownRight k;
  k.right_id = right_id;
  k.region_code = rows[0][0].c_str();
  k.licence_number = rows[0][1].c_str();
  k.state = rows[0][2].as<int>();
  NRP_ASSIGN_OR_RETURN(k.holder, ParseBody<nrp::common::v1::Party>(rows[0][3], "holder"));
  k.hex_ewkb = rows[0][4].c_str();
  return std::optional<KnownRight>(std::move(k));
}

// ---------------------------------------------------------------- projects

const list::Spec& ProjectList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "restoration.ListProjects",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text", .prefix = true},
              {.name = "kind",
               .sql = "kind",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::ProjectKind_descriptor())},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::ProjectState_descriptor())},
              {.name = "responsibility",
               .sql = "responsibility",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::Responsibility_descriptor())},
              {.name = "mining_right_id", .sql = "mining_right_id", .type = Type::kUuid},
              {.name = "township_code", .sql = "township_code"},
              {.name = "programme", .sql = "programme"},
          },
      .orders = {{"create_time", {{"create_time", Type::kTimestamp}}},
                 {"update_time", {{"update_time", Type::kTimestamp}}},
                 {"project_number", {{"project_number", Type::kText, /*nullable=*/true}}}},
      .default_order = "create_time desc",
      .id = {"project_id", Type::kUuid},
  };
  return spec;
}

Status InsertProject(pqxx::work& tx, const v1::Project& p, const Shape& shape) {
  tx.exec_params(
      "INSERT INTO projects (project_id, region_code, kind, state, responsibility, "
      "mining_right_id, township_code, programme, geom, area_m2, body, create_time, update_time) "
      "VALUES ($1::uuid, $2, $3, $4, $5, $6::uuid, $7, $8, ST_GeomFromEWKB(decode($9, 'hex')), $10, "
      "$11, rs_ts($12), rs_ts($12))",
      p.project_id(), p.region_code(), static_cast<int>(p.kind()), static_cast<int>(p.state()),
      static_cast<int>(p.responsibility()), OptionalText(p.mining_right_id()), p.township_code(),
      p.programme(), shape.hex_ewkb, shape.area_m2, Body(p), Micros(p.create_time()));
  return Ok();
}

Result<ProjectRow> GetProject(pqxx::work& tx, const std::string& project_id, bool for_update) {
  auto r = tx.exec_params(
      std::string("SELECT body, area_m2 FROM projects WHERE project_id = $1::uuid") +
          (for_update ? " FOR UPDATE" : ""),
      project_id);
  if (r.empty()) return Error::NotFound("project " + project_id + " not found");
  ProjectRow row;
  NRP_ASSIGN_OR_RETURN(row.project, ParseBody<v1::Project>(r[0][0], "project"));
  row.area_m2 = r[0][1].as<double>();
  return row;
}

Status UpdateProject(pqxx::work& tx, const v1::Project& p) {
  tx.exec_params(
      "UPDATE projects SET project_number = $2, state = $3, body = $4, update_time = rs_ts($5) "
      "WHERE project_id = $1::uuid",
      p.project_id(), OptionalText(p.project_number()), static_cast<int>(p.state()), Body(p),
      Micros(p.update_time()));
  return Ok();
}

Result<list::Page<v1::Project>> ListProjects(pqxx::work& tx, const list::Query& q,
                                             const std::vector<std::string>& region_prefixes) {
  list::Params params;
  const std::string where = "true" + RegionCondition(region_prefixes, params);
  return list::ListBodies<v1::Project>(tx, q, "projects", where, params, "project");
}

// ---------------------------------------------------------------- progress reports

const list::Spec& ProgressReportList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "restoration.ListProgressReports",
      .fields = {{.name = "project_id", .sql = "r.project_id", .type = Type::kUuid}},
      .orders = {{"reported_on", {{"r.reported_on", Type::kDate}, {"r.seq", Type::kInt}}}},
      .default_order = "reported_on desc",
      .id = {"r.report_id", Type::kUuid},
  };
  return spec;
}

Status InsertProgressReport(pqxx::work& tx, const v1::ProgressReport& r) {
  tx.exec_params(
      "INSERT INTO progress_reports (report_id, project_id, reported_on, seq, body, recorded_at) "
      "SELECT $1::uuid, $2::uuid, $3::date, COALESCE(MAX(seq), 0) + 1, $4, rs_ts($5) "
      "FROM progress_reports WHERE project_id = $2::uuid",
      r.report_id(), r.project_id(), DateText(r.reported_on()), Body(r), Micros(r.recorded_at()));
  return Ok();
}

Result<std::optional<v1::ProgressReport>> LatestProgressReport(pqxx::work& tx,
                                                               const std::string& project_id) {
  auto rows = tx.exec_params(
      "SELECT body FROM progress_reports WHERE project_id = $1::uuid ORDER BY seq DESC LIMIT 1",
      project_id);
  if (rows.empty()) return std::optional<v1::ProgressReport>();
  NRP_ASSIGN_OR_RETURN(auto r, ParseBody<v1::ProgressReport>(rows[0][0], "progress report"));
  return std::optional<v1::ProgressReport>(std::move(r));
}

Result<list::Page<v1::ProgressReport>> ListProgressReports(
    pqxx::work& tx, const list::Query& q, const std::vector<std::string>& region_prefixes) {
  list::Params params;
  const std::string where =
      "r.project_id = p.project_id" + RegionCondition(region_prefixes, params, "p.region_code::text");
  const std::string sql = "SELECT r.body" + q.CursorColumns() +
                          " FROM progress_reports r, projects p WHERE " + where + q.Where(params) +
                          q.OrderLimit(params);
  auto rows = params.Exec(tx, sql);
  return q.Collect(rows, [](const pqxx::row& row) {
    return ParseBody<v1::ProgressReport>(row[0], "progress report");
  });
}

// ---------------------------------------------------------------- obligations

const list::Spec& ObligationList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "restoration.ListObligations",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text", .prefix = true},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::ObligationState_descriptor())},
              {.name = "origin",
               .sql = "origin",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::ObligationOrigin_descriptor())},
              {.name = "mining_right_id", .sql = "mining_right_id", .type = Type::kUuid},
              {.name = "project_id", .sql = "project_id", .type = Type::kUuid},
              {.name = "due_date", .sql = "due_date", .type = Type::kDate},
          },
      .orders = {{"due_date", {{"due_date", Type::kDate, /*nullable=*/true}}},
                 {"opened_at", {{"opened_at", Type::kTimestamp}}}},
      .default_order = "due_date",
      .id = {"obligation_id", Type::kUuid},
      .id_ascending = true,
  };
  return spec;
}

Result<bool> InsertObligation(pqxx::work& tx, const v1::Obligation& o,
                              const std::string& hex_ewkb) {
  auto r = tx.exec_params(
      "INSERT INTO obligations (obligation_id, region_code, mining_right_id, origin, state, "
      "due_date, project_id, source_event_id, geom, body, opened_at, update_time) VALUES "
      "($1::uuid, $2, $3::uuid, $4, $5, NULLIF($6, '')::date, $7::uuid, $8, "
      "CASE WHEN $9 = '' THEN NULL ELSE ST_GeomFromEWKB(decode($9, 'hex')) END, $10, rs_ts($11), "
      "rs_ts($11)) ON CONFLICT DO NOTHING",
      o.obligation_id(), o.region_code(), OptionalText(o.mining_right_id()),
      static_cast<int>(o.origin()), static_cast<int>(o.state()),
      OptionalDate(o.due_date(), o.has_due_date()), OptionalText(o.project_id()),
      OptionalText(o.source_event_id()), hex_ewkb, Body(o), Micros(o.opened_at()));
  return r.affected_rows() == 1;
}

Result<v1::Obligation> GetObligation(pqxx::work& tx, const std::string& obligation_id,
                                     bool for_update) {
  auto r = tx.exec_params(
      std::string("SELECT body FROM obligations WHERE obligation_id = $1::uuid") +
          (for_update ? " FOR UPDATE" : ""),
      obligation_id);
  if (r.empty()) return Error::NotFound("obligation " + obligation_id + " not found");
  return ParseBody<v1::Obligation>(r[0][0], "obligation");
}

Result<std::optional<v1::Obligation>> OpenObligationOf(pqxx::work& tx,
                                                       const std::string& right_id) {
  auto r = tx.exec_params(
      "SELECT body FROM obligations WHERE mining_right_id = $1::uuid AND state IN (1, 2, 3) "
      "FOR UPDATE",
      right_id);
  if (r.empty()) return std::optional<v1::Obligation>();
  NRP_ASSIGN_OR_RETURN(auto o, ParseBody<v1::Obligation>(r[0][0], "obligation"));
  return std::optional<v1::Obligation>(std::move(o));
}

Result<bool> HasEndingObligation(pqxx::work& tx, const std::string& right_id) {
  auto r = tx.exec_params(
      "SELECT EXISTS (SELECT 1 FROM obligations WHERE mining_right_id = $1::uuid AND origin IN "
      "($2, $3, $4))",
      right_id, static_cast<int>(v1::OBLIGATION_ORIGIN_MINE_CLOSURE),
      static_cast<int>(v1::OBLIGATION_ORIGIN_RIGHT_CANCELLATION),
      static_cast<int>(v1::OBLIGATION_ORIGIN_RIGHT_EXPIRY));
  return r[0][0].as<bool>();
}

Result<std::vector<v1::Obligation>> ObligationsOfProject(pqxx::work& tx,
                                                         const std::string& project_id) {
  std::vector<v1::Obligation> out;
  for (const auto& row : tx.exec_params("SELECT body FROM obligations WHERE project_id = $1::uuid "
                                        "ORDER BY obligation_id FOR UPDATE",
                                        project_id)) {
    NRP_ASSIGN_OR_RETURN(auto o, ParseBody<v1::Obligation>(row[0], "obligation"));
    out.push_back(std::move(o));
  }
  return out;
}

Status UpdateObligation(pqxx::work& tx, const v1::Obligation& o, TimePoint now) {
  tx.exec_params(
      "UPDATE obligations SET state = $2, due_date = NULLIF($3, '')::date, project_id = $4::uuid, body = $5, "
      "update_time = rs_ts($6) WHERE obligation_id = $1::uuid",
      o.obligation_id(), static_cast<int>(o.state()), OptionalDate(o.due_date(), o.has_due_date()),
      OptionalText(o.project_id()), Body(o), service::EpochMicros(now));
  return Ok();
}

Result<list::Page<v1::Obligation>> ListObligations(
    pqxx::work& tx, const list::Query& q, const std::vector<std::string>& region_prefixes) {
  list::Params params;
  const std::string where = "true" + RegionCondition(region_prefixes, params);
  return list::ListBodies<v1::Obligation>(tx, q, "obligations", where, params, "obligation");
}

// ---------------------------------------------------------------- restoration funds

const list::Spec& FundAccountList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "restoration.ListFundAccounts",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text", .prefix = true},
              {.name = "mining_right_id", .sql = "mining_right_id", .type = Type::kUuid},
          },
      .orders = {{"account_id", {{"account_id", Type::kText}}},
                 {"opened_at", {{"opened_at", Type::kTimestamp}}}},
      .default_order = "account_id",
      .id = {"account_id", Type::kText},
      .id_ascending = true,
  };
  return spec;
}

const list::Spec& FundEntryList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "restoration.ListFundEntries",
      .fields =
          {
              {.name = "account_id", .sql = "e.account_id"},
              {.name = "kind",
               .sql = "e.kind",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::FundEntryKind_descriptor())},
              {.name = "project_id", .sql = "e.project_id", .type = Type::kUuid},
          },
      .orders = {{"sequence", {{"e.account_id", Type::kText}, {"e.sequence", Type::kInt}}},
                 {"recorded_at", {{"e.recorded_at", Type::kTimestamp}}}},
      .default_order = "sequence",
      .id = {"e.entry_id", Type::kUuid},
      .id_ascending = true,
  };
  return spec;
}

Result<bool> InsertFundAccount(pqxx::work& tx, const v1::FundAccount& a) {
  auto r = tx.exec_params(
      "INSERT INTO fund_accounts (account_id, mining_right_id, region_code, balance_fen, "
      "deposited_fen, withdrawn_fen, entry_count, body, opened_at, update_time) VALUES "
      "($1, $2::uuid, $3, $4, $5, $6, $7, $8, rs_ts($9), rs_ts($9)) ON CONFLICT DO NOTHING",
      a.account_id(), a.mining_right_id(), a.region_code(), a.balance().fen(),
      a.deposited_total().fen(), a.withdrawn_total().fen(), a.entry_count(), Body(a),
      Micros(a.opened_at()));
  return r.affected_rows() == 1;
}

Result<v1::FundAccount> GetFundAccount(pqxx::work& tx, const std::string& account_id,
                                       bool for_update) {
  auto r = tx.exec_params(std::string("SELECT body FROM fund_accounts WHERE account_id = $1") +
                              (for_update ? " FOR UPDATE" : ""),
                          account_id);
  if (r.empty()) return Error::NotFound("fund account " + account_id + " not found");
  return ParseBody<v1::FundAccount>(r[0][0], "fund account");
}

Result<std::optional<v1::FundAccount>> FundAccountOfRight(pqxx::work& tx,
                                                          const std::string& right_id,
                                                          bool for_update) {
  auto r = tx.exec_params(
      std::string("SELECT body FROM fund_accounts WHERE mining_right_id = $1::uuid") +
          (for_update ? " FOR UPDATE" : ""),
      right_id);
  if (r.empty()) return std::optional<v1::FundAccount>();
  NRP_ASSIGN_OR_RETURN(auto a, ParseBody<v1::FundAccount>(r[0][0], "fund account"));
  return std::optional<v1::FundAccount>(std::move(a));
}

Status UpdateFundAccount(pqxx::work& tx, const v1::FundAccount& a) {
  tx.exec_params(
      "UPDATE fund_accounts SET mining_right_id = $2::uuid, region_code = $3, balance_fen = $4, "
      "deposited_fen = $5, withdrawn_fen = $6, entry_count = $7, body = $8, "
      "update_time = rs_ts($9) WHERE account_id = $1",
      a.account_id(), a.mining_right_id(), a.region_code(), a.balance().fen(),
      a.deposited_total().fen(), a.withdrawn_total().fen(), a.entry_count(), Body(a),
      Micros(a.update_time()));
  return Ok();
}

Status InsertFundEntry(pqxx::work& tx, const v1::FundEntry& e) {
  tx.exec_params(
      "INSERT INTO fund_entries (entry_id, account_id, sequence, kind, amount_fen, "
      "balance_after_fen, project_id, body, recorded_at) VALUES ($1::uuid, $2, $3, $4, $5, $6, "
      "$7::uuid, $8, rs_ts($9))",
      e.entry_id(), e.account_id(), e.sequence(), static_cast<int>(e.kind()), e.amount().fen(),
      e.balance_after().fen(), OptionalText(e.project_id()), Body(e), Micros(e.recorded_at()));
  return Ok();
}

Result<list::Page<v1::FundAccount>> ListFundAccounts(
    pqxx::work& tx, const list::Query& q, const std::vector<std::string>& region_prefixes) {
  list::Params params;
  const std::string where = "true" + RegionCondition(region_prefixes, params);
  return list::ListBodies<v1::FundAccount>(tx, q, "fund_accounts", where, params, "fund account");
}

Result<list::Page<v1::FundEntry>> ListFundEntries(pqxx::work& tx, const list::Query& q,
                                                  const std::vector<std::string>& region_prefixes) {
  list::Params params;
  const std::string where = "e.account_id = a.account_id" +
                            RegionCondition(region_prefixes, params, "a.region_code::text");
  const std::string sql = "SELECT e.body" + q.CursorColumns() +
                          " FROM fund_entries e, fund_accounts a WHERE " + where +
                          q.Where(params) + q.OrderLimit(params);
  auto rows = params.Exec(tx, sql);
  return q.Collect(rows, [](const pqxx::row& row) {
    return ParseBody<v1::FundEntry>(row[0], "fund entry");
  });
}

Result<int64_t> NextNumber(pqxx::work& tx, const std::string& counter) {
  auto r = tx.exec_params1(
      "INSERT INTO number_counters (counter, value) VALUES ($1, 1) ON CONFLICT (counter) DO "
      "UPDATE SET value = number_counters.value + 1 RETURNING value",
      counter);
  return r[0].as<int64_t>();
}

}  // namespace nrp::restoration::store
