#include "store/store.h"

#include <algorithm>
#include <map>
#include <set>

#include "domain/convert.h"
#include "domain/party.h"
#include "domain/time_limits.h"
#include "nrp/db/pool.h"
#include "nrp/zones/replica.h"
#include "signing/document_signer.h"

namespace nrp::registration::store {

namespace cpb = nrp::common::v1;
namespace ppb = nrp::planning::v1;

namespace {

template <class... Args>
pqxx::result Exec(pqxx::work& txn, const char* name, const char* sql, Args&&... args) {
  txn.conn().prepare(name, sql);
  return txn.exec_prepared(name, std::forward<Args>(args)...);
}

pqxx::binarystring Bytes(const google::protobuf::Message& m) {
  std::string s;
  m.SerializeToString(&s);
  return pqxx::binarystring(s);
}

template <class M>
Result<M> Parse(const pqxx::field& f, const char* what) {
  M m;
  std::string bytes = pqxx::binarystring(f).str();
  if (!m.ParseFromString(bytes))
    return Error(Code::kDataLoss, std::string("corrupt ") + what + " row");
  return m;
}

std::string Ts(TimePoint t) { return FormatRfc3339(t); }
std::string Ts(const google::protobuf::Timestamp& t) { return FormatRfc3339(FromTimestamp(t)); }

std::string DateText(const cpb::Date& d) {
  if (!IsSet(d)) return "";
  auto date = FromProtoDate(d, "date");
  return date.ok() ? date->ToString() : "";
}

// Text array literal for `$n::text[]`.
std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

constexpr char kInScope[] =
    " AND EXISTS (SELECT 1 FROM unnest($1::text[]) p WHERE starts_with(region_code, p))";

google::protobuf::Timestamp FromMicros(int64_t us) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(us / 1000000);
  ts.set_nanos(static_cast<int32_t>((us % 1000000) * 1000));
  return ts;
}

// WKT may carry an "SRID=4490;" prefix; PostGIS' ST_GeomFromText wants it without.
std::string GeometryText(const cpb::Geometry& g) {
  std::string text = g.text();
  if (g.encoding() != cpb::GEOMETRY_ENCODING_GEOJSON) {
    size_t b = text.find_first_not_of(" \t\r\n");
    if (b != std::string::npos &&
        (text.compare(b, 5, "SRID=") == 0 || text.compare(b, 5, "srid=") == 0)) {
      size_t semi = text.find(';', b);
      if (semi != std::string::npos) text = text.substr(semi + 1);
    }
  }
  return text;
}

constexpr char kGeomExpr[] =
    "CASE WHEN $1::int = 2 THEN ST_SetSRID(ST_GeomFromGeoJSON($2), 4490) "
    "ELSE ST_GeomFromText($2, 4490) END";

struct CheckedGeometry {
  double area_m2 = 0;
};

// Asks PostGIS whether the geometry is valid (ST_IsValid) and its area on the ellipsoid.
Result<CheckedGeometry> CheckGeometry(pqxx::work& txn, const cpb::Geometry& g,
                                      const std::string& field) {
  static const std::string sql = std::string(
                                     "SELECT ST_IsValid(g), ST_IsValidReason(g), "
                                     "ST_Area(g::geography) FROM (SELECT ") +
                                 kGeomExpr + " AS g) s";
  try {
    pqxx::subtransaction sub(txn, "geometry_check");
    sub.conn().prepare("reg_geometry_check", sql);
    auto r =
        sub.exec_prepared1("reg_geometry_check", static_cast<int>(g.encoding()), GeometryText(g));
    sub.commit();
    if (!r[0].as<bool>()) {
      return Error::InvalidArgument(field, "is not a valid geometry: " + r[1].as<std::string>());
    }
    return CheckedGeometry{r[2].as<double>()};
  } catch (const pqxx::broken_connection& e) {
    return db::MapException(e);
  } catch (const pqxx::sql_error& e) {
    std::string what = e.what();
    if (size_t nl = what.find('\n'); nl != std::string::npos) what = what.substr(0, nl);
    return Error::InvalidArgument(field, "PostGIS cannot read it: " + what);
  }
}

template <class F>
auto Guard(const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return db::MapException(e).Prefix(what);
  }
}

Result<v1::Right> RightFromRow(const pqxx::row& row) {
  // Columns: right_id, state, ended_us, mortgaged_right_id, certificate_number, body
  NRP_ASSIGN_OR_RETURN(v1::Right r, Parse<v1::Right>(row[5], "right"));
  r.set_state(static_cast<v1::RightState>(row[1].as<int>()));
  if (!row[2].is_null()) {
    *r.mutable_ended_at() = FromMicros(row[2].as<int64_t>());
  } else {
    r.clear_ended_at();
  }
  if (!row[3].is_null() && r.has_mortgage()) {
    r.mutable_mortgage()->set_mortgaged_right_id(row[3].as<std::string>());
  }
  if (!row[4].is_null()) r.set_certificate_number(row[4].as<std::string>());
  return r;
}

constexpr char kRightColumns[] =
    "right_id, state, (extract(epoch from ended_at) * 1000000)::bigint, mortgaged_right_id, "
    "certificate_number, body";

}  // namespace

// ---------------------------------------------------------------- counters

Result<int64_t> NextValue(pqxx::work& txn, const std::string& counter) {
  return Guard("counter", [&]() -> Result<int64_t> {
    auto r = Exec(txn, "reg_counter_next",
                  "INSERT INTO counters (name, last_value) VALUES ($1, 1) ON CONFLICT (name) DO "
                  "UPDATE SET last_value = counters.last_value + 1 RETURNING last_value",
                  counter);
    return r[0][0].as<int64_t>();
  });
}

// ---------------------------------------------------------------- units

Result<v1::RealEstateUnit> InsertUnit(pqxx::work& txn, v1::RealEstateUnit unit) {
  NRP_ASSIGN_OR_RETURN(CheckedGeometry g,
                       CheckGeometry(txn, unit.geometry(), "unit.geometry.text"));
  if (!unit.has_land_area()) unit.mutable_land_area()->set_square_metres(g.area_m2);
  return Guard("unit insert", [&]() -> Result<v1::RealEstateUnit> {
    static const std::string sql =
        std::string(
            "INSERT INTO real_estate_units (unit_code, region_code, parcel_code, status, "
            "geometry, land_area_m2, body, created_at, updated_at) SELECT $3, $4, $5, $6, ") +
        kGeomExpr + ", $7, $8, $9::timestamptz, $9::timestamptz ON CONFLICT (unit_code) DO NOTHING";
    auto r = Exec(txn, "reg_unit_insert", sql.c_str(), static_cast<int>(unit.geometry().encoding()),
                  GeometryText(unit.geometry()), unit.unit_code(), unit.region_code(),
                  unit.parcel_code(), static_cast<int>(unit.status()),
                  unit.land_area().square_metres(), Bytes(unit), Ts(unit.create_time()));
    if (r.affected_rows() != 1) {
      return Error::AlreadyExists("unit " + unit.unit_code() + " already exists");
    }
    return unit;
  });
}

Result<std::optional<v1::RealEstateUnit>> GetUnit(pqxx::work& txn, const std::string& unit_code,
                                                  bool for_update) {
  return Guard("unit get", [&]() -> Result<std::optional<v1::RealEstateUnit>> {
    auto r =
        for_update
            ? Exec(txn, "reg_unit_get_lock",
                   "SELECT body FROM real_estate_units WHERE unit_code = $1 FOR UPDATE", unit_code)
            : Exec(txn, "reg_unit_get", "SELECT body FROM real_estate_units WHERE unit_code = $1",
                   unit_code);
    if (r.empty()) return std::optional<v1::RealEstateUnit>();
    NRP_ASSIGN_OR_RETURN(auto u, Parse<v1::RealEstateUnit>(r[0][0], "unit"));
    return std::optional<v1::RealEstateUnit>(std::move(u));
  });
}

const list::Spec& UnitList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "registration.ListRealEstateUnits",
      .fields = {{.name = "region_code", .sql = "region_code"},
                 {.name = "parcel_code", .sql = "parcel_code"},
                 {.name = "status",
                  .sql = "status",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::UnitStatus_descriptor())}},
      .orders = {{"unit_code", {{"unit_code", Type::kText}}}},
      .default_order = "unit_code",
      .id = {"unit_code", Type::kText},
  };
  return spec;
}

Result<list::Page<v1::RealEstateUnit>> ListUnits(pqxx::work& txn,
                                                 const std::vector<std::string>& prefixes,
                                                 const list::Query& q) {
  return Guard("unit list", [&]() -> Result<list::Page<v1::RealEstateUnit>> {
    list::Params params({TextArray(prefixes)});
    std::string sql = "SELECT body" + q.CursorColumns() + " FROM real_estate_units WHERE true" +
                      kInScope + q.Where(params) + q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql), [](const pqxx::row& row) {
      return Parse<v1::RealEstateUnit>(row[0], "unit");
    });
  });
}

// ---------------------------------------------------------------- cases

Status InsertCase(pqxx::work& txn, const v1::RegistrationCase& c) {
  return Guard("case insert", [&]() -> Status {
    Exec(
        txn, "reg_case_insert",
        "INSERT INTO cases (case_id, case_number, region_code, kind, right_kind, unit_code, state, "
        "due_date, overdue, channel, source_reference, submitted_at, updated_at, body) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')::date, $9, $10, $11, $12::timestamptz, "
        "$13::timestamptz, $14)",
        c.case_id(), c.case_number(), c.region_code(), static_cast<int>(c.kind()),
        static_cast<int>(c.right_kind()), c.unit_code(), static_cast<int>(c.state()),
        DateText(c.due_date()), c.overdue(), static_cast<int>(c.channel()), c.source_reference(),
        Ts(c.submitted_at()), Ts(c.update_time()), Bytes(c));
    return Ok();
  });
}

Status UpdateCase(pqxx::work& txn, const v1::RegistrationCase& c, bool overdue_raised) {
  return Guard("case update", [&]() -> Status {
    auto r =
        Exec(txn, "reg_case_update",
             "UPDATE cases SET state = $2, due_date = NULLIF($3, '')::date, overdue = $4, "
             "overdue_raised_at = CASE WHEN $5 THEN $6::timestamptz ELSE overdue_raised_at END, "
             "updated_at = $6::timestamptz, body = $7 WHERE case_id = $1",
             c.case_id(), static_cast<int>(c.state()), DateText(c.due_date()), c.overdue(),
             overdue_raised, Ts(c.update_time()), Bytes(c));
    if (r.affected_rows() != 1) return Error::NotFound("case " + c.case_id() + " not found");
    return Ok();
  });
}

Status ClearOverdueRaised(pqxx::work& txn, const std::string& case_id) {
  return Guard("case overdue reset", [&]() -> Status {
    Exec(txn, "reg_case_overdue_reset",
         "UPDATE cases SET overdue_raised_at = NULL, overdue = false WHERE case_id = $1", case_id);
    return Ok();
  });
}

Result<std::optional<v1::RegistrationCase>> GetCase(pqxx::work& txn, const std::string& case_id,
                                                    bool for_update) {
  return Guard("case get", [&]() -> Result<std::optional<v1::RegistrationCase>> {
    auto r = for_update
                 ? Exec(txn, "reg_case_get_lock",
                        "SELECT body FROM cases WHERE case_id = $1 FOR UPDATE", case_id)
                 : Exec(txn, "reg_case_get", "SELECT body FROM cases WHERE case_id = $1", case_id);
    if (r.empty()) return std::optional<v1::RegistrationCase>();
    NRP_ASSIGN_OR_RETURN(auto c, Parse<v1::RegistrationCase>(r[0][0], "case"));
    return std::optional<v1::RegistrationCase>(std::move(c));
  });
}

Result<std::optional<v1::RegistrationCase>> FindInterAgencyCase(pqxx::work& txn,
                                                                v1::RegistrationKind kind,
                                                                const std::string& source) {
  return Guard("case find", [&]() -> Result<std::optional<v1::RegistrationCase>> {
    auto r =
        Exec(txn, "reg_case_by_source",
             "SELECT body FROM cases WHERE channel = 3 AND kind = $1 AND source_reference = $2",
             static_cast<int>(kind), source);
    if (r.empty()) return std::optional<v1::RegistrationCase>();
    NRP_ASSIGN_OR_RETURN(auto c, Parse<v1::RegistrationCase>(r[0][0], "case"));
    return std::optional<v1::RegistrationCase>(std::move(c));
  });
}

const list::Spec& CaseList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "registration.ListCases",
      .fields = {{.name = "state",
                  .sql = "state",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::CaseState_descriptor())},
                 {.name = "kind",
                  .sql = "kind",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::RegistrationKind_descriptor())},
                 {.name = "right_kind",
                  .sql = "right_kind",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::RightKind_descriptor())},
                 {.name = "channel",
                  .sql = "channel",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::SubmissionChannel_descriptor())},
                 {.name = "overdue", .sql = "overdue", .type = Type::kBool},
                 {.name = "unit_code", .sql = "unit_code"},
                 {.name = "region_code", .sql = "region_code"},
                 {.name = "source_reference", .sql = "source_reference"},
                 {.name = "submitted_at", .sql = "submitted_at", .type = Type::kTimestamp}},
      .orders = {{"submitted_at", {{"submitted_at", Type::kTimestamp}}}},
      .default_order = "submitted_at desc",
      .id = {"case_id", Type::kText},
      .id_ascending = true,
  };
  return spec;
}

Result<list::Page<v1::RegistrationCase>> ListCases(pqxx::work& txn,
                                                   const std::vector<std::string>& prefixes,
                                                   const list::Query& q) {
  return Guard("case list", [&]() -> Result<list::Page<v1::RegistrationCase>> {
    list::Params params({TextArray(prefixes)});
    std::string sql = "SELECT body" + q.CursorColumns() + " FROM cases WHERE true" + kInScope +
                      q.Where(params) + q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql), [](const pqxx::row& row) {
      return Parse<v1::RegistrationCase>(row[0], "case");
    });
  });
}

Result<std::vector<v1::RegistrationCase>> LockOverdueCandidates(pqxx::work& txn, Date today,
                                                                int limit) {
  return Guard("overdue scan", [&]() -> Result<std::vector<v1::RegistrationCase>> {
    auto r = Exec(txn, "reg_case_overdue",
                  "SELECT body FROM cases WHERE overdue_raised_at IS NULL AND state IN (2, 4, 6) "
                  "AND due_date < $1::date ORDER BY due_date, case_id LIMIT $2 "
                  "FOR UPDATE SKIP LOCKED",
                  today.ToString(), limit);
    std::vector<v1::RegistrationCase> out;
    for (const auto& row : r) {
      NRP_ASSIGN_OR_RETURN(auto c, Parse<v1::RegistrationCase>(row[0], "case"));
      out.push_back(std::move(c));
    }
    return out;
  });
}

// ---------------------------------------------------------------- register

Result<UnitRegisterState> LoadRegisterState(pqxx::work& txn, const std::string& unit_code,
                                            Date today) {
  return Guard("register load", [&]() -> Result<UnitRegisterState> {
    UnitRegisterState s;
    s.unit_code = unit_code;
    auto unit = Exec(txn, "reg_state_unit",
                     "SELECT status FROM real_estate_units WHERE unit_code = $1", unit_code);
    if (unit.empty()) return Error::NotFound("unit " + unit_code + " not found");
    s.unit_active = unit[0][0].as<int>() != static_cast<int>(v1::UNIT_STATUS_EXTINGUISHED);
    static const std::string rights_sql =
        std::string("SELECT ") + kRightColumns + ", entry_id FROM rights WHERE unit_code = $1";
    for (const auto& row : Exec(txn, "reg_state_rights", rights_sql.c_str(), unit_code)) {
      NRP_ASSIGN_OR_RETURN(v1::Right r, RightFromRow(row));
      s.right_states[r.right_id()] = r.state();
      s.right_entry[r.right_id()] = row[6].as<std::string>();
      if (r.state() == v1::RIGHT_STATE_CURRENT) s.current_rights.push_back(std::move(r));
    }
    for (const auto& row :
         Exec(txn, "reg_state_entries",
              "SELECT entry_id, registration_kind, coalesce(right_id, ''), coalesce(seizure_id, "
              "''), "
              "sequence FROM register_entries WHERE unit_code = $1 ORDER BY sequence",
              unit_code)) {
      s.entries.push_back({row[0].as<std::string>(),
                           static_cast<v1::RegistrationKind>(row[1].as<int>()),
                           row[2].as<std::string>(), row[3].as<std::string>()});
      s.last_sequence = row[4].as<int64_t>();
    }
    for (const auto& row :
         Exec(txn, "reg_state_seizures",
              "SELECT body, entry_id, sequence FROM seizures WHERE unit_code = $1 "
              "AND released_at IS NULL ORDER BY sequence",
              unit_code)) {
      NRP_ASSIGN_OR_RETURN(auto z, Parse<v1::Seizure>(row[0], "seizure"));
      s.seizures.push_back({std::move(z), row[1].as<std::string>(), row[2].as<int64_t>()});
    }
    for (const auto& row : Exec(txn, "reg_state_notices",
                                "SELECT body, entry_id FROM advance_notices WHERE unit_code = $1 "
                                "AND ended_at IS NULL ORDER BY recorded_at",
                                unit_code)) {
      NRP_ASSIGN_OR_RETURN(auto n, Parse<v1::AdvanceNotice>(row[0], "advance notice"));
      s.advance_notices.push_back({std::move(n), row[1].as<std::string>()});
    }
    for (const auto& row : Exec(txn, "reg_state_objections",
                                "SELECT body, entry_id FROM objections WHERE unit_code = $1 "
                                "AND lapses_on >= $2::date ORDER BY recorded_at",
                                unit_code, today.ToString())) {
      NRP_ASSIGN_OR_RETURN(auto o, Parse<v1::Objection>(row[0], "objection"));
      s.objections.push_back({std::move(o), row[1].as<std::string>()});
    }
    return s;
  });
}

Status ApplyPlan(pqxx::work& txn, const RecordingPlan& plan, TimePoint now) {
  return Guard("register write", [&]() -> Status {
    const std::string at = Ts(now);
    std::map<std::string, std::string> entry_of_right;
    for (const auto& e : plan.entries) {
      std::string right_id = e.has_right() ? e.right().right_id() : "";
      std::string seizure_id = e.has_seizure() ? e.seizure().seizure_id() : "";
      if (e.has_right()) entry_of_right[right_id] = e.entry_id();
      Exec(txn, "reg_entry_insert",
           "INSERT INTO register_entries (entry_id, unit_code, sequence, registration_kind, "
           "right_kind, case_id, recorded_at, right_id, seizure_id, corrects_entry_id, "
           "ends_entry_id, body) VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, NULLIF($8, ''), "
           "NULLIF($9, ''), NULLIF($10, ''), NULLIF($11, ''), $12)",
           e.entry_id(), e.unit_code(), e.sequence(), static_cast<int>(e.registration_kind()),
           static_cast<int>(e.right_kind()), e.case_id(), Ts(e.recorded_at()), right_id, seizure_id,
           e.corrects_entry_id(), e.ends_entry_id(), Bytes(e));
    }
    for (const auto& end : plan.ended_rights) {
      auto r = Exec(txn, "reg_right_end",
                    "UPDATE rights SET state = $2, ended_at = $3::timestamptz WHERE right_id = $1 "
                    "AND state = 1",
                    end.right_id, static_cast<int>(end.state), at);
      if (r.affected_rows() != 1) {
        return Error::Aborted("right " + end.right_id + " changed concurrently; retry");
      }
    }
    for (const auto& r : plan.new_rights) {
      std::string mortgaged = r.has_mortgage() ? r.mortgage().mortgaged_right_id() : "";
      Exec(
          txn, "reg_right_insert",
          "INSERT INTO rights (right_id, unit_code, region_code, right_kind, state, registered_at, "
          "entry_id, mortgaged_right_id, certificate_number, body) VALUES ($1, $2, $3, $4, $5, "
          "$6::timestamptz, $7, NULLIF($8, ''), NULLIF($9, ''), $10)",
          r.right_id(), r.unit_code(), r.region_code(), static_cast<int>(r.right_kind()),
          static_cast<int>(r.state()), Ts(r.registered_at()), entry_of_right[r.right_id()],
          mortgaged, r.certificate_number(), Bytes(r));
      for (int i = 0; i < r.holders_size(); ++i) {
        const auto& p = r.holders(i).party();
        Exec(txn, "reg_holder_insert",
             "INSERT INTO right_holders (right_id, position, id_type, id_number, name) VALUES "
             "($1, $2, $3, $4, $5)",
             r.right_id(), i, static_cast<int>(p.id_type()), NormaliseIdNumber(p.id_number()),
             p.name());
      }
    }
    for (const auto& [mortgage_id, burdened] : plan.mortgage_moves) {
      Exec(txn, "reg_mortgage_move",
           "UPDATE rights SET mortgaged_right_id = $2 WHERE right_id = $1", mortgage_id, burdened);
    }
    if (plan.new_seizure) {
      const auto& z = *plan.new_seizure;
      Exec(
          txn, "reg_seizure_insert",
          "INSERT INTO seizures (seizure_id, unit_code, entry_id, sequence, end_date, recorded_at, "
          "body) VALUES ($1, $2, $3, $4, NULLIF($5, '')::date, $6::timestamptz, $7)",
          z.seizure.seizure_id(), plan.entries.front().unit_code(), z.entry_id, z.sequence,
          DateText(z.seizure.end_date()), at, Bytes(z.seizure));
    }
    for (const auto& id : plan.released_seizure_ids) {
      auto r = Exec(txn, "reg_seizure_release",
                    "UPDATE seizures SET released_at = $2::timestamptz, release_entry_id = $3 "
                    "WHERE seizure_id = $1 AND released_at IS NULL",
                    id, at, plan.entries.front().entry_id());
      if (r.affected_rows() != 1)
        return Error::Aborted("seizure " + id + " changed concurrently; retry");
    }
    if (plan.new_advance_notice) {
      const auto& n = *plan.new_advance_notice;
      Exec(
          txn, "reg_notice_insert",
          "INSERT INTO advance_notices (advance_notice_id, unit_code, entry_id, recorded_at, body) "
          "VALUES ($1, $2, $3, $4::timestamptz, $5)",
          n.notice.advance_notice_id(), plan.entries.front().unit_code(), n.entry_id, at,
          Bytes(n.notice));
    }
    for (const auto& id : plan.ended_advance_notice_ids) {
      Exec(txn, "reg_notice_end",
           "UPDATE advance_notices SET ended_at = $2::timestamptz WHERE advance_notice_id = $1 "
           "AND ended_at IS NULL",
           id, at);
    }
    if (plan.new_objection) {
      const auto& o = *plan.new_objection;
      Exec(txn, "reg_objection_insert",
           "INSERT INTO objections (objection_id, unit_code, entry_id, recorded_at, lapses_on, "
           "body) "
           "VALUES ($1, $2, $3, $4::timestamptz, $5::date, $6)",
           o.objection.objection_id(), plan.entries.front().unit_code(), o.entry_id, at,
           DateText(o.objection.lapses_on()), Bytes(o.objection));
    }
    for (const auto& right_id : plan.voided_certificate_right_ids) {
      Exec(txn, "reg_certificate_void",
           "UPDATE certificates SET state = 3, voided_at = $2::timestamptz WHERE right_id = $1 "
           "AND state <> 3",
           right_id, at);
    }
    return Ok();
  });
}

Result<v1::UnitRegister> LoadUnitRegister(pqxx::work& txn, const v1::RealEstateUnit& unit,
                                          TimePoint as_of) {
  return Guard("register read", [&]() -> Result<v1::UnitRegister> {
    v1::UnitRegister reg;
    *reg.mutable_unit() = unit;
    *reg.mutable_as_of() = ToTimestamp(as_of);
    const std::string at = Ts(as_of);
    const Date day = ChinaDate(as_of);
    const std::string& code = unit.unit_code();
    for (const auto& row : Exec(txn, "reg_read_entries",
                                "SELECT body FROM register_entries WHERE unit_code = $1 AND "
                                "recorded_at <= $2::timestamptz ORDER BY sequence",
                                code, at)) {
      NRP_ASSIGN_OR_RETURN(auto e, Parse<v1::RegisterEntry>(row[0], "entry"));
      *reg.add_entries() = std::move(e);
    }
    // Every right of the unit recorded by then, to resolve what a mortgage burdened then.
    static const std::string rights_sql =
        std::string("SELECT ") + kRightColumns +
        " FROM rights WHERE unit_code = $1 AND registered_at <= $2::timestamptz "
        "ORDER BY registered_at, right_id";
    std::vector<v1::Right> all;
    std::vector<bool> current_then;
    for (const auto& row : Exec(txn, "reg_read_rights", rights_sql.c_str(), code, at)) {
      NRP_ASSIGN_OR_RETURN(v1::Right r, RightFromRow(row));
      bool ended_before = r.has_ended_at() && FromTimestamp(r.ended_at()) <= as_of;
      current_then.push_back(!ended_before);
      all.push_back(std::move(r));
    }
    std::map<std::string, const v1::Right*> by_id;
    std::map<std::string, std::string> successor;  // previous right id → its replacement
    for (const auto& r : all) {
      by_id[r.right_id()] = &r;
      if (!r.previous_right_id().empty()) successor[r.previous_right_id()] = r.right_id();
    }
    std::set<std::string> current_ids;
    for (size_t i = 0; i < all.size(); ++i) {
      if (current_then[i]) current_ids.insert(all[i].right_id());
    }
    for (size_t i = 0; i < all.size(); ++i) {
      if (!current_then[i]) continue;
      v1::Right r = all[i];
      r.set_state(v1::RIGHT_STATE_CURRENT);
      r.clear_ended_at();
      if (r.right_kind() == v1::RIGHT_KIND_MORTGAGE) {
        // The right the mortgage burdened then: follow the chain from the right it was
        // registered on to the version current at as_of.
        std::string burdened = all[i].mortgage().mortgaged_right_id();
        std::string walk = burdened;
        // Walk back to the first version, then forward to the version current then.
        while (by_id.count(walk) && !by_id[walk]->previous_right_id().empty() &&
               by_id.count(by_id[walk]->previous_right_id())) {
          walk = by_id[walk]->previous_right_id();
        }
        for (int guard = 0; guard < 10000 && !current_ids.count(walk) && successor.count(walk);
             ++guard) {
          walk = successor[walk];
        }
        if (current_ids.count(walk)) r.mutable_mortgage()->set_mortgaged_right_id(walk);
        *reg.add_mortgages() = std::move(r);
      } else {
        *reg.add_current_rights() = std::move(r);
      }
    }
    int32_t position = 0;
    for (const auto& row : Exec(txn, "reg_read_seizures",
                                "SELECT body FROM seizures WHERE unit_code = $1 AND recorded_at <= "
                                "$2::timestamptz AND (released_at IS NULL OR released_at > "
                                "$2::timestamptz) AND (end_date IS NULL OR end_date >= $3::date) "
                                "ORDER BY sequence",
                                code, at, day.ToString())) {
      NRP_ASSIGN_OR_RETURN(auto z, Parse<v1::Seizure>(row[0], "seizure"));
      z.set_queue_position(position++);
      z.set_in_force(true);
      *reg.add_seizures() = std::move(z);
    }
    for (const auto& row :
         Exec(txn, "reg_read_notices",
              "SELECT body FROM advance_notices WHERE unit_code = $1 AND "
              "recorded_at <= $2::timestamptz AND (ended_at IS NULL OR ended_at > "
              "$2::timestamptz) ORDER BY recorded_at",
              code, at)) {
      NRP_ASSIGN_OR_RETURN(auto n, Parse<v1::AdvanceNotice>(row[0], "advance notice"));
      n.set_in_force(true);
      *reg.add_advance_notices() = std::move(n);
    }
    for (const auto& row :
         Exec(txn, "reg_read_objections",
              "SELECT body FROM objections WHERE unit_code = $1 AND recorded_at <= "
              "$2::timestamptz AND lapses_on >= $3::date ORDER BY recorded_at",
              code, at, day.ToString())) {
      NRP_ASSIGN_OR_RETURN(auto o, Parse<v1::Objection>(row[0], "objection"));
      o.set_in_force(true);
      *reg.add_objections() = std::move(o);
    }
    return reg;
  });
}

const list::Spec& EntryList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "registration.ListRegisterEntries",
      .fields = {{.name = "registration_kind",
                  .sql = "registration_kind",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::RegistrationKind_descriptor())},
                 {.name = "right_kind",
                  .sql = "right_kind",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::RightKind_descriptor())},
                 {.name = "case_id", .sql = "case_id"}},
      .orders = {{"sequence", {{"sequence", Type::kInt}}}},
      .default_order = "sequence",
      .id = {"entry_id", Type::kText},
  };
  return spec;
}

Result<list::Page<v1::RegisterEntry>> ListEntries(pqxx::work& txn, const std::string& unit_code,
                                                  TimePoint as_of, const list::Query& q) {
  return Guard("entry list", [&]() -> Result<list::Page<v1::RegisterEntry>> {
    list::Params params({unit_code, Ts(as_of)});
    std::string sql = "SELECT body" + q.CursorColumns() +
                      " FROM register_entries WHERE unit_code = $1 AND recorded_at <= "
                      "$2::timestamptz" +
                      q.Where(params) + q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql), [](const pqxx::row& row) {
      return Parse<v1::RegisterEntry>(row[0], "entry");
    });
  });
}

Result<std::optional<v1::Right>> GetRight(pqxx::work& txn, const std::string& right_id) {
  return Guard("right get", [&]() -> Result<std::optional<v1::Right>> {
    static const std::string sql =
        std::string("SELECT ") + kRightColumns + " FROM rights WHERE right_id = $1";
    auto r = Exec(txn, "reg_right_get", sql.c_str(), right_id);
    if (r.empty()) return std::optional<v1::Right>();
    NRP_ASSIGN_OR_RETURN(v1::Right right, RightFromRow(r[0]));
    return std::optional<v1::Right>(std::move(right));
  });
}

const list::Spec& RightSearch() {
  using list::Type;
  static const list::Spec spec = {
      .name = "registration.SearchRights",
      .fields = {{.name = "region_code", .sql = "region_code"},
                 {.name = "unit_code", .sql = "unit_code"},
                 {.name = "right_kind",
                  .sql = "right_kind",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::RightKind_descriptor())},
                 {.name = "state",
                  .sql = "state",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::RightState_descriptor())}},
      .orders = {{"registered_at", {{"registered_at", Type::kTimestamp}}}},
      .default_order = "registered_at desc",
      .id = {"right_id", Type::kText},
      .id_ascending = true,
  };
  return spec;
}

Result<list::Page<v1::Right>> SearchRightsByParty(pqxx::work& txn, int id_type,
                                                  const std::string& id_number, bool include_ended,
                                                  const std::vector<std::string>& prefixes,
                                                  const list::Query& q) {
  return Guard("right search", [&]() -> Result<list::Page<v1::Right>> {
    list::Params params({TextArray(prefixes), std::to_string(id_type), NormaliseIdNumber(id_number),
                         include_ended ? "true" : "false"});
    std::string sql =
        std::string("SELECT ") + kRightColumns + q.CursorColumns() +
        " FROM rights WHERE right_id IN (SELECT right_id FROM right_holders WHERE id_type = "
        "$2::smallint AND id_number = $3) AND ($4::boolean OR state = 1)" +
        kInScope + q.Where(params) + q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql), [](const pqxx::row& row) { return RightFromRow(row); });
  });
}

// ---------------------------------------------------------------- certificates

Status InsertCertificate(pqxx::work& txn, const v1::Certificate& cert,
                         const ElectronicCertificate& ec) {
  return Guard("certificate insert", [&]() -> Status {
    Exec(
        txn, "reg_certificate_insert",
        "INSERT INTO certificates (certificate_number, kind, unit_code, right_id, region_code, "
        "case_id, state, generated_at, document, signature, algorithm, key_id, verification_code, "
        "body) VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, $8::timestamptz, $9, $10, $11, $12, "
        "$13, $14)",
        cert.certificate_number(), static_cast<int>(cert.kind()), cert.unit_code(), cert.right_id(),
        cert.region_code(), cert.case_id(), static_cast<int>(cert.state()), Ts(cert.generated_at()),
        ec.document, pqxx::binarystring(ec.signature), ec.algorithm, ec.key_id,
        ec.verification_code, Bytes(cert));
    return Ok();
  });
}

Result<std::optional<StoredCertificate>> GetCertificate(pqxx::work& txn,
                                                        const std::string& number) {
  return Guard("certificate get", [&]() -> Result<std::optional<StoredCertificate>> {
    auto r = Exec(txn, "reg_certificate_get",
                  "SELECT body, state, document, signature, algorithm, key_id FROM certificates "
                  "WHERE certificate_number = $1",
                  number);
    if (r.empty()) return std::optional<StoredCertificate>();
    StoredCertificate c;
    NRP_ASSIGN_OR_RETURN(c.certificate, Parse<v1::Certificate>(r[0][0], "certificate"));
    c.certificate.set_state(static_cast<v1::CertificateState>(r[0][1].as<int>()));
    c.document = r[0][2].as<std::string>();
    c.signature = pqxx::binarystring(r[0][3]).str();
    c.algorithm = r[0][4].as<std::string>();
    c.key_id = r[0][5].as<std::string>();
    return std::optional<StoredCertificate>(std::move(c));
  });
}

Status UpdateCertificate(pqxx::work& txn, const v1::Certificate& cert) {
  return Guard("certificate update", [&]() -> Status {
    auto r = Exec(txn, "reg_certificate_update",
                  "UPDATE certificates SET state = $2, issued_at = NULLIF($3, '')::timestamptz, "
                  "body = $4 WHERE certificate_number = $1",
                  cert.certificate_number(), static_cast<int>(cert.state()),
                  cert.has_issued_at() ? Ts(cert.issued_at()) : std::string(), Bytes(cert));
    if (r.affected_rows() != 1) {
      return Error::NotFound("certificate " + cert.certificate_number() + " not found");
    }
    return Ok();
  });
}

// ---------------------------------------------------------------- signing keys

Result<std::optional<SigningKeyRow>> GeneratedSigningKey(pqxx::work& txn,
                                                         const std::string& algorithm) {
  return Guard("signing key", [&]() -> Result<std::optional<SigningKeyRow>> {
    auto r =
        Exec(txn, "reg_key_generated",
             "SELECT key_id, algorithm, public_key_pem, coalesce(private_key_pem, '') FROM "
             "signing_keys WHERE generated AND algorithm = $1 ORDER BY created_at DESC LIMIT 1",
             algorithm);
    if (r.empty()) return std::optional<SigningKeyRow>();
    return std::optional<SigningKeyRow>(
        SigningKeyRow{r[0][0].as<std::string>(), r[0][1].as<std::string>(),
                      r[0][2].as<std::string>(), r[0][3].as<std::string>()});
  });
}

Status RecordSigningKey(pqxx::work& txn, const SigningKeyRow& key, bool generated) {
  return Guard("signing key", [&]() -> Status {
    Exec(txn, "reg_key_record",
         "INSERT INTO signing_keys (key_id, algorithm, public_key_pem, private_key_pem, generated) "
         "VALUES ($1, $2, $3, NULLIF($4, ''), $5) ON CONFLICT (key_id) DO NOTHING",
         key.key_id, key.algorithm, key.public_key_pem, generated ? key.private_key_pem : "",
         generated);
    return Ok();
  });
}

Result<std::optional<SigningKeyRow>> GetSigningKey(pqxx::work& txn, const std::string& key_id) {
  return Guard("signing key", [&]() -> Result<std::optional<SigningKeyRow>> {
    auto r = Exec(txn, "reg_key_get",
                  "SELECT key_id, algorithm, public_key_pem FROM signing_keys WHERE key_id = $1",
                  key_id);
    if (r.empty()) return std::optional<SigningKeyRow>();
    return std::optional<SigningKeyRow>(SigningKeyRow{
        r[0][0].as<std::string>(), r[0][1].as<std::string>(), r[0][2].as<std::string>(), ""});
  });
}

// ---------------------------------------------------------------- query log

Status InsertQueryLog(pqxx::work& txn, const v1::QueryLogEntry& e) {
  return Guard("query log", [&]() -> Status {
    Exec(
        txn, "reg_query_log_insert",
        "INSERT INTO query_log (query_id, method, caller, agency, purpose, legal_basis, reference, "
        "target, result_count, region_code, queried_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
        "$9, $10, $11::timestamptz)",
        e.query_id(), e.method(), e.caller(), e.agency(), static_cast<int>(e.reason().purpose()),
        e.reason().legal_basis(), e.reason().reference(), e.target(), e.result_count(),
        e.region_code(), Ts(e.queried_at()));
    return Ok();
  });
}

const list::Spec& QueryLogList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "registration.ListQueryLogEntries",
      .fields = {{.name = "agency", .sql = "agency"},
                 {.name = "caller", .sql = "caller"},
                 {.name = "method", .sql = "method"},
                 {.name = "target", .sql = "target"},
                 {.name = "region_code", .sql = "region_code"},
                 {.name = "queried_at", .sql = "queried_at", .type = Type::kTimestamp}},
      .orders = {{"queried_at", {{"queried_at", Type::kTimestamp}}}},
      .default_order = "queried_at desc",
      .id = {"query_id", Type::kText},
      .id_ascending = true,
  };
  return spec;
}

Result<list::Page<v1::QueryLogEntry>> ListQueryLog(pqxx::work& txn,
                                                   const std::vector<std::string>& prefixes,
                                                   const list::Query& q) {
  return Guard("query log", [&]() -> Result<list::Page<v1::QueryLogEntry>> {
    list::Params params({TextArray(prefixes)});
    std::string sql =
        "SELECT query_id, method, caller, agency, purpose, legal_basis, reference, target, "
        "result_count, region_code, (extract(epoch from queried_at) * 1000000)::bigint" +
        q.CursorColumns() + " FROM query_log WHERE true" + kInScope + q.Where(params) +
        q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql), [](const pqxx::row& row) {
      v1::QueryLogEntry e;
      e.set_query_id(row[0].as<std::string>());
      e.set_method(row[1].as<std::string>());
      e.set_caller(row[2].as<std::string>());
      e.set_agency(row[3].as<std::string>());
      e.mutable_reason()->set_purpose(static_cast<v1::QueryPurpose>(row[4].as<int>()));
      e.mutable_reason()->set_legal_basis(row[5].as<std::string>());
      e.mutable_reason()->set_reference(row[6].as<std::string>());
      e.set_target(row[7].as<std::string>());
      e.set_result_count(row[8].as<int>());
      e.set_region_code(row[9].as<std::string>());
      *e.mutable_queried_at() = FromMicros(row[10].as<int64_t>());
      return e;
    });
  });
}

// ---------------------------------------------------------------- natural-resource units

Result<v1::NaturalResourceUnit> InsertNaturalResourceUnit(pqxx::work& txn,
                                                          v1::NaturalResourceUnit unit) {
  NRP_ASSIGN_OR_RETURN(CheckedGeometry g,
                       CheckGeometry(txn, unit.boundary(), "unit.boundary.text"));
  if (!unit.has_area()) unit.mutable_area()->set_square_metres(g.area_m2);
  if (unit.boundary().srid() == 0) unit.mutable_boundary()->set_srid(4490);
  return Guard("natural-resource unit insert", [&]() -> Result<v1::NaturalResourceUnit> {
    static const std::string sql =
        std::string(
            "INSERT INTO natural_resource_units (unit_id, unit_number, region_code, kind, "
            "state, key_area, version, boundary, body, created_at, updated_at) SELECT $3, "
            "$4, $5, $6, $7, $8, $9, ") +
        kGeomExpr + ", $10, $11::timestamptz, $11::timestamptz";
    Exec(txn, "reg_nru_insert", sql.c_str(), static_cast<int>(unit.boundary().encoding()),
         GeometryText(unit.boundary()), unit.unit_id(), unit.unit_number(), unit.region_code(),
         static_cast<int>(unit.kind()), static_cast<int>(unit.state()), unit.key_area(),
         unit.version(), Bytes(unit), Ts(unit.create_time()));
    return unit;
  });
}

Result<v1::NaturalResourceUnit> UpdateNaturalResourceUnit(pqxx::work& txn,
                                                          v1::NaturalResourceUnit unit,
                                                          bool geometry_changed) {
  if (geometry_changed) {
    NRP_ASSIGN_OR_RETURN(CheckedGeometry g,
                         CheckGeometry(txn, unit.boundary(), "unit.boundary.text"));
    if (!unit.has_area()) unit.mutable_area()->set_square_metres(g.area_m2);
    if (unit.boundary().srid() == 0) unit.mutable_boundary()->set_srid(4490);
  }
  return Guard("natural-resource unit update", [&]() -> Result<v1::NaturalResourceUnit> {
    static const std::string sql =
        std::string(
            "UPDATE natural_resource_units SET state = $4, key_area = $5, version = $6, "
            "boundary = ") +
        kGeomExpr + ", body = $7, updated_at = $8::timestamptz WHERE unit_id = $3";
    auto r = Exec(txn, "reg_nru_update", sql.c_str(), static_cast<int>(unit.boundary().encoding()),
                  GeometryText(unit.boundary()), unit.unit_id(), static_cast<int>(unit.state()),
                  unit.key_area(), unit.version(), Bytes(unit), Ts(unit.update_time()));
    if (r.affected_rows() != 1)
      return Error::NotFound("natural-resource unit " + unit.unit_id() + " not found");
    return unit;
  });
}

Result<std::optional<v1::NaturalResourceUnit>> GetNaturalResourceUnit(pqxx::work& txn,
                                                                      const std::string& unit_id,
                                                                      bool for_update) {
  return Guard(
      "natural-resource unit get", [&]() -> Result<std::optional<v1::NaturalResourceUnit>> {
        auto r = for_update
                     ? Exec(txn, "reg_nru_get_lock",
                            "SELECT body FROM natural_resource_units WHERE unit_id = $1 FOR UPDATE",
                            unit_id)
                     : Exec(txn, "reg_nru_get",
                            "SELECT body FROM natural_resource_units WHERE unit_id = $1", unit_id);
        if (r.empty()) return std::optional<v1::NaturalResourceUnit>();
        NRP_ASSIGN_OR_RETURN(auto u,
                             Parse<v1::NaturalResourceUnit>(r[0][0], "natural-resource unit"));
        return std::optional<v1::NaturalResourceUnit>(std::move(u));
      });
}

const list::Spec& NaturalResourceUnitList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "registration.ListNaturalResourceUnits",
      .fields = {{.name = "kind",
                  .sql = "kind",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::NaturalResourceUnitKind_descriptor())},
                 {.name = "state",
                  .sql = "state",
                  .type = Type::kEnum,
                  .enum_type = list::EnumOf(v1::NaturalResourceUnitState_descriptor())},
                 {.name = "key_area", .sql = "key_area", .type = Type::kBool},
                 {.name = "region_code", .sql = "region_code"}},
      .orders = {{"key_area", {{"key_area", Type::kBool}}},
                 {"unit_number", {{"unit_number", Type::kText}}}},
      .default_order = "key_area desc, unit_number",
      .id = {"unit_number", Type::kText},
  };
  return spec;
}

Result<list::Page<v1::NaturalResourceUnit>> ListNaturalResourceUnits(
    pqxx::work& txn, const std::vector<std::string>& prefixes, const list::Query& q) {
  return Guard("natural-resource unit list", [&]() -> Result<list::Page<v1::NaturalResourceUnit>> {
    list::Params params({TextArray(prefixes)});
    std::string sql = "SELECT body" + q.CursorColumns() +
                      " FROM natural_resource_units WHERE true" + kInScope + q.Where(params) +
                      q.OrderLimit(params);
    return q.Collect(params.Exec(txn, sql), [](const pqxx::row& row) {
      return Parse<v1::NaturalResourceUnit>(row[0], "natural-resource unit");
    });
  });
}

Result<int64_t> CountUnregisteredKeyUnits(pqxx::work& txn, const std::string& region_code) {
  return Guard("natural-resource unit count", [&]() -> Result<int64_t> {
    auto r = Exec(txn, "reg_nru_key_pending",
                  "SELECT count(*) FROM natural_resource_units WHERE region_code = $1 AND key_area "
                  "AND state <> 3",
                  region_code);
    return r[0][0].as<int64_t>();
  });
}

Status InsertNaturalResourceRegisterVersion(pqxx::work& txn, const v1::NaturalResourceUnit& unit) {
  return Guard("natural-resource register", [&]() -> Status {
    Exec(txn, "reg_nru_register",
         "INSERT INTO natural_resource_unit_register (unit_id, version, registered_at, body) "
         "VALUES ($1, $2, $3::timestamptz, $4) ON CONFLICT (unit_id, version) DO NOTHING",
         unit.unit_id(), unit.version(), Ts(unit.registered_at()), Bytes(unit));
    return Ok();
  });
}

Result<std::vector<OverlappingZone>> OverlappingZones(pqxx::work& txn, const std::string& unit_id) {
  std::string boundary;
  NRP_RETURN_IF_ERROR(Guard("zone overlap", [&]() -> Status {
    auto r = Exec(txn, "reg_nru_boundary_hex",
                  "SELECT ST_AsHexEWKB(boundary) FROM natural_resource_units WHERE unit_id = $1",
                  unit_id);
    if (!r.empty() && !r[0][0].is_null()) boundary = r[0][0].as<std::string>();
    return Ok();
  }));
  std::vector<OverlappingZone> out;
  if (boundary.empty()) return out;
  NRP_ASSIGN_OR_RETURN(auto overlaps, zones::Overlapping(txn, boundary));
  for (const auto& o : overlaps) {
    OverlappingZone z;
    z.zone_id = o.zone_id;
    z.name = o.name;
    z.layer_kind = static_cast<cpb::ZoneLayerKind>(o.kind);
    z.control_level = static_cast<cpb::ZoneControlLevel>(o.control_level);
    z.layer_version = o.version;
    if (!o.approval.empty()) z.basis.ParseFromString(o.approval);
    out.push_back(std::move(z));
  }
  return out;
}

Result<std::vector<std::string>> DraftUnitsTouchingLayer(pqxx::work& txn,
                                                         const std::string& layer_id) {
  return Guard("zone refresh", [&]() -> Result<std::vector<std::string>> {
    auto r = Exec(txn, "reg_nru_drafts_in_layer_region",
                  "SELECT u.unit_id FROM natural_resource_units u, zone_replica_layers l WHERE "
                  "l.layer_id = $1 AND u.state = 1 AND "
                  "nrp_zone_region_covers(l.region_code::text, u.region_code) ORDER BY u.unit_id",
                  layer_id);
    std::vector<std::string> out;
    for (const auto& row : r) out.push_back(row[0].as<std::string>());
    return out;
  });
}

}  // namespace nrp::registration::store
