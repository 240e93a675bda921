// Parcels, approval batches and the spatial measurements against the zone replica.
#include <algorithm>

#include "nrp/core/uuid.h"
#include "nrp/geo/postgis.h"
#include "nrp/zones/replica.h"
#include "store/list_sql.h"
#include "store/sql.h"

namespace nrp::land_supply::store {

namespace {

const char* kParcelColumns =
    "parcel_id::text, region_code::text, COALESCE(parcel_code, ''), name, location, "
    "geometry_encoding, geometry_text, area_m2, planned_use, land_use_code, planning_conditions, "
    "state, stock_stage, COALESCE(approval_batch_id::text, ''), soil_status, soil_survey, "
    "ls_us(reserved_at), ls_us(cleared_at), zone_check, ls_us(create_time), ls_us(update_time)";

v1::Parcel ParcelFromRow(const pqxx::row& r) {
  v1::Parcel p;
  p.set_parcel_id(r[0].c_str());
  p.set_region_code(r[1].c_str());
  p.set_parcel_code(r[2].c_str());
  p.set_name(r[3].c_str());
  p.set_location(r[4].c_str());
  p.mutable_geometry()->set_encoding(
      static_cast<nrp::common::v1::GeometryEncoding>(r[5].as<int>()));
  p.mutable_geometry()->set_text(r[6].c_str());
  p.mutable_geometry()->set_srid(4490);
  p.mutable_area()->set_square_metres(r[7].as<double>());
  p.set_planned_use(static_cast<v1::LandUse>(r[8].as<int>()));
  p.set_land_use_code(r[9].c_str());
  ReadMessage(r[10], p.mutable_planning_conditions());
  if (r[10].is_null()) p.clear_planning_conditions();
  p.set_state(static_cast<v1::ParcelState>(r[11].as<int>()));
  p.set_stock_stage(static_cast<v1::StockLandStage>(r[12].as<int>()));
  p.set_approval_batch_id(r[13].c_str());
  p.set_soil_status(static_cast<v1::SoilPollutionStatus>(r[14].as<int>()));
  ReadMessage(r[15], p.mutable_soil_survey());
  if (r[15].is_null()) p.clear_soil_survey();
  if (!ReadTs(r[16], p.mutable_reserved_at())) p.clear_reserved_at();
  if (!ReadTs(r[17], p.mutable_cleared_at())) p.clear_cleared_at();
  ReadMessage(r[18], p.mutable_zone_check());
  if (r[18].is_null()) p.clear_zone_check();
  ReadTs(r[19], p.mutable_create_time());
  ReadTs(r[20], p.mutable_update_time());
  return p;
}

std::string UuidArray(const std::vector<std::string>& ids) {
  std::string out = "{";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + ids[i];
  return out + "}";
}

const char* kBatchColumns =
    "batch_id::text, region_code::text, name, year, parcel_ids::text[], total_area_m2, "
    "agricultural_area_m2, cultivated_area_m2, paddy_area_m2, cultivated_quality_grade, "
    "grain_capacity_kg, unused_area_m2, plan_quota_area_m2, authority, approval, state, "
    "ls_us(approved_at), ls_us(expropriated_at), zone_check, ls_us(create_time), "
    "ls_us(update_time), supplied_area_m2";

BatchRow BatchFromRow(const pqxx::row& r) {
  BatchRow row;
  v1::ApprovalBatch& b = row.batch;
  b.set_batch_id(r[0].c_str());
  b.set_region_code(r[1].c_str());
  b.set_name(r[2].c_str());
  b.set_year(r[3].as<int>());
  auto arr = r[4].as_array();
  for (auto e = arr.get_next(); e.first != pqxx::array_parser::juncture::done; e = arr.get_next()) {
    if (e.first == pqxx::array_parser::juncture::string_value) b.add_parcel_ids(e.second);
  }
  b.mutable_total_area()->set_square_metres(r[5].as<double>());
  b.mutable_agricultural_land_area()->set_square_metres(r[6].as<double>());
  b.mutable_cultivated_land_area()->set_square_metres(r[7].as<double>());
  b.mutable_paddy_area()->set_square_metres(r[8].as<double>());
  b.set_cultivated_quality_grade(r[9].as<int>());
  b.set_grain_capacity_kg(r[10].as<double>());
  b.mutable_unused_land_area()->set_square_metres(r[11].as<double>());
  b.mutable_plan_quota_area()->set_square_metres(r[12].as<double>());
  b.set_authority(static_cast<v1::ApprovalAuthority>(r[13].as<int>()));
  ReadMessage(r[14], b.mutable_approval());
  if (r[14].is_null()) b.clear_approval();
  b.set_state(static_cast<v1::BatchState>(r[15].as<int>()));
  if (!ReadTs(r[16], b.mutable_approved_at())) b.clear_approved_at();
  if (!ReadTs(r[17], b.mutable_expropriated_at())) b.clear_expropriated_at();
  ReadMessage(r[18], b.mutable_zone_check());
  if (r[18].is_null()) b.clear_zone_check();
  ReadTs(r[19], b.mutable_create_time());
  ReadTs(r[20], b.mutable_update_time());
  row.supplied_area_m2 = r[21].as<double>();
  return row;
}

}  // namespace

Result<double> MeasureGeometry(pqxx::work& txn, int encoding, const std::string& text,
                               const std::string& field) {
  NRP_ASSIGN_OR_RETURN(geo::Polygonal g, geo::ReadPolygonal(txn, encoding, text, field));
  return g.area_m2;
}

Status InsertParcel(pqxx::work& txn, const v1::Parcel& p) {
  txn.exec_params(
      "INSERT INTO parcels (parcel_id, region_code, parcel_code, name, location, geom, "
      "geometry_encoding, geometry_text, area_m2, planned_use, land_use_code, "
      "planning_conditions, state, stock_stage, soil_status, soil_survey, create_time, "
      "update_time) VALUES ($1, $2, NULLIF($3, ''), $4, $5, " +
          geo::GeometryFromContract("$6", "$7") +
          ", $6, $7, $8, $9, $10, NULLIF($11, ''::bytea), $12, $13, $14, NULLIF($15, ''::bytea), "
          "ls_ts($16), ls_ts($16))",
      p.parcel_id(), p.region_code(), p.parcel_code(), p.name(), p.location(),
      static_cast<int>(p.geometry().encoding()), p.geometry().text(), p.area().square_metres(),
      static_cast<int>(p.planned_use()), p.land_use_code(), Bytes(p.planning_conditions()),
      static_cast<int>(p.state()), static_cast<int>(p.stock_stage()),
      static_cast<int>(p.soil_status()), Bytes(p.soil_survey()),
      std::to_string(EpochMicros(FromTimestamp(p.create_time()))));
  return Ok();
}

Result<v1::Parcel> GetParcel(pqxx::work& txn, const std::string& parcel_id, bool for_update) {
  if (!IsUuid(parcel_id)) return Error::NotFound("parcel " + parcel_id + " not found");
  auto r =
      txn.exec_params(std::string("SELECT ") + kParcelColumns +
                          " FROM parcels WHERE parcel_id = $1" + (for_update ? " FOR UPDATE" : ""),
                      parcel_id);
  if (r.empty()) return Error::NotFound("parcel " + parcel_id + " not found");
  return ParcelFromRow(r[0]);
}

Status UpdateParcel(pqxx::work& txn, const v1::Parcel& p, const std::string& reserve_decision,
                    const std::string& clear_evidence) {
  txn.exec_params(
      "UPDATE parcels SET state = $2, stock_stage = $3, approval_batch_id = NULLIF($4, '')::uuid, "
      "reserved_at = ls_ts(NULLIF($5, '')::bigint), cleared_at = ls_ts(NULLIF($6, '')::bigint), "
      "zone_check = NULLIF($7, ''::bytea), "
      "reserve_decision = COALESCE(NULLIF($8, ''::bytea), reserve_decision), "
      "clear_evidence = COALESCE(NULLIF($9, ''::bytea), clear_evidence), "
      "update_time = ls_ts($10) WHERE parcel_id = $1",
      p.parcel_id(), static_cast<int>(p.state()), static_cast<int>(p.stock_stage()),
      p.approval_batch_id(), TsParam(p.reserved_at(), p.has_reserved_at()),
      TsParam(p.cleared_at(), p.has_cleared_at()), Bytes(p.zone_check()), Bytes(reserve_decision),
      Bytes(clear_evidence), std::to_string(EpochMicros(FromTimestamp(p.update_time()))));
  return Ok();
}

const list::Spec& ParcelList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "land_supply.ListParcels",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text"},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::ParcelState_descriptor())},
              {.name = "stock_stage",
               .sql = "stock_stage",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::StockLandStage_descriptor())},
              {.name = "planned_use",
               .sql = "planned_use",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::LandUse_descriptor())},
              {.name = "approval_batch_id", .sql = "COALESCE(approval_batch_id::text, '')"},
              {.name = "soil_status",
               .sql = "soil_status",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::SoilPollutionStatus_descriptor())},
              {.name = "parcel_code", .sql = "COALESCE(parcel_code, '')"},
          },
      .orders = {{"create_time", {{"create_time", Type::kTimestamp}}},
                 {"update_time", {{"update_time", Type::kTimestamp}}},
                 {"area", {{"area_m2", Type::kDouble}}}},
      .default_order = "create_time desc",
      .id = {"parcel_id", Type::kUuid},
  };
  return spec;
}

Result<list::Page<v1::Parcel>> ListParcels(pqxx::work& txn, const ListQuery& q) {
  list::Params params;
  std::string tail = ListTail(q, "region_code", {}, params);
  auto r = params.Exec(txn, std::string("SELECT ") + kParcelColumns + q.query.CursorColumns() +
                                " FROM parcels" + tail);
  return q.query.Collect(r, [](const pqxx::row& row) { return ParcelFromRow(row); });
}

Result<ZoneMeasurement> MeasureZonesOfParcels(pqxx::work& txn,
                                              const std::vector<std::string>& parcel_ids) {
  auto g = txn.exec_params(
      "SELECT ST_AsHexEWKB(ST_Union(geom)), min(region_code::text) FROM parcels "
      "WHERE parcel_id = ANY($1::uuid[])",
      UuidArray(parcel_ids));
  if (g.empty() || g[0][0].is_null()) return Error::NotFound("parcel not found for the zone check");
  const std::string geometry = g[0][0].c_str();
  // The three control lines of the parcels' county, city and province.
  constexpr int kUrban = static_cast<int>(ZoneLayerKind::kUrbanDevelopmentBoundary);
  const zones::LayerFilter filter{
      .region_code = g[0][1].c_str(),
      .kinds = {static_cast<int>(ZoneLayerKind::kPermanentBasicFarmland),
                static_cast<int>(ZoneLayerKind::kEcologicalRedLine), kUrban}};
  ZoneMeasurement m;
  NRP_ASSIGN_OR_RETURN(auto layers, zones::LayersInForce(txn, filter));
  for (const auto& l : layers) {
    m.layers.push_back({l.layer_id, static_cast<ZoneLayerKind>(l.kind), l.version});
  }
  NRP_ASSIGN_OR_RETURN(auto overlaps, zones::Overlapping(txn, geometry, filter));
  for (const auto& z : overlaps) {
    ZoneOverlap o;
    o.zone_id = z.zone_id;
    o.zone_name = z.name;
    o.layer_id = z.layer_id;
    o.kind = static_cast<ZoneLayerKind>(z.kind);
    o.version = z.version;
    o.control_level = static_cast<ZoneControlLevel>(z.control_level);
    o.overlap_m2 = z.overlap_m2;
    m.overlaps.push_back(std::move(o));
  }
  NRP_ASSIGN_OR_RETURN(auto outside, zones::AreaOutside(txn, geometry, kUrban, filter));
  m.geometry_area_m2 = outside.geometry_m2;
  m.outside_urban_boundary_m2 = outside.outside_m2;
  return m;
}

Result<ZoneMeasurement> MeasureZones(pqxx::work& txn, const std::string& parcel_id) {
  return MeasureZonesOfParcels(txn, {parcel_id});
}

// ---------------------------------------------------------------- batches

Status InsertBatch(pqxx::work& txn, const v1::ApprovalBatch& b) {
  std::vector<std::string> ids(b.parcel_ids().begin(), b.parcel_ids().end());
  txn.exec_params(
      "INSERT INTO approval_batches (batch_id, region_code, name, year, parcel_ids, total_area_m2, "
      "agricultural_area_m2, cultivated_area_m2, paddy_area_m2, cultivated_quality_grade, "
      "grain_capacity_kg, unused_area_m2, plan_quota_area_m2, state, create_time, update_time) "
      "VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10, $11, $12, $13, $14, ls_ts($15), "
      "ls_ts($15))",
      b.batch_id(), b.region_code(), b.name(), b.year(), UuidArray(ids),
      b.total_area().square_metres(), b.agricultural_land_area().square_metres(),
      b.cultivated_land_area().square_metres(), b.paddy_area().square_metres(),
      b.cultivated_quality_grade(), b.grain_capacity_kg(), b.unused_land_area().square_metres(),
      b.plan_quota_area().square_metres(), static_cast<int>(b.state()),
      std::to_string(EpochMicros(FromTimestamp(b.create_time()))));
  txn.exec_params("UPDATE parcels SET approval_batch_id = $1 WHERE parcel_id = ANY($2::uuid[])",
                  b.batch_id(), UuidArray(ids));
  return Ok();
}

Result<BatchRow> GetBatch(pqxx::work& txn, const std::string& batch_id, bool for_update) {
  if (!IsUuid(batch_id)) return Error::NotFound("approval batch " + batch_id + " not found");
  auto r = txn.exec_params(std::string("SELECT ") + kBatchColumns +
                               " FROM approval_batches WHERE batch_id = $1" +
                               (for_update ? " FOR UPDATE" : ""),
                           batch_id);
  if (r.empty()) return Error::NotFound("approval batch " + batch_id + " not found");
  BatchRow row = BatchFromRow(r[0]);
  NRP_ASSIGN_OR_RETURN(auto entries, EntriesOfBatch(txn, batch_id));
  for (const auto& e : entries) {
    if (e.kind() != v1::LEDGER_ENTRY_KIND_DEBIT) continue;
    auto* a = row.batch.add_allocations();
    a->set_ledger(e.ledger());
    a->set_account_id(e.account_id());
    *a->mutable_area() = e.area();
    *a->mutable_paddy_area() = e.paddy_area();
    a->set_grain_capacity_kg(e.grain_capacity_kg());
  }
  return row;
}

Status UpdateBatch(pqxx::work& txn, const v1::ApprovalBatch& b,
                   const std::string& expropriation_record) {
  txn.exec_params(
      "UPDATE approval_batches SET state = $2, authority = $3, approval = NULLIF($4, ''::bytea), "
      "approved_at = ls_ts(NULLIF($5, '')::bigint), "
      "approved_on = (ls_ts(NULLIF($5, '')::bigint) AT TIME ZONE 'Asia/Shanghai')::date, "
      "expropriated_at = ls_ts(NULLIF($6, '')::bigint), zone_check = NULLIF($7, ''::bytea), "
      "expropriation_record = COALESCE(NULLIF($8, ''::bytea), expropriation_record), "
      "update_time = ls_ts($9) WHERE batch_id = $1",
      b.batch_id(), static_cast<int>(b.state()), static_cast<int>(b.authority()),
      Bytes(b.approval()), TsParam(b.approved_at(), b.has_approved_at()),
      TsParam(b.expropriated_at(), b.has_expropriated_at()), Bytes(b.zone_check()),
      Bytes(expropriation_record), std::to_string(EpochMicros(FromTimestamp(b.update_time()))));
  return Ok();
}

Status AddSuppliedArea(pqxx::work& txn, const std::string& batch_id, double area_m2) {
  txn.exec_params(
      "UPDATE approval_batches SET supplied_area_m2 = supplied_area_m2 + $2 WHERE batch_id = $1",
      batch_id, area_m2);
  return Ok();
}

const list::Spec& BatchList() {
  using list::Type;
  static const list::Spec spec = {
      .name = "land_supply.ListApprovalBatches",
      .fields =
          {
              {.name = "region_code", .sql = "region_code::text"},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::BatchState_descriptor())},
              {.name = "year", .sql = "year", .type = Type::kInt},
              {.name = "authority",
               .sql = "authority",
               .type = Type::kEnum,
               .enum_type = list::EnumOf(v1::ApprovalAuthority_descriptor())},
          },
      .orders = {{"create_time", {{"create_time", Type::kTimestamp}}},
                 {"approved_at", {{"approved_at", Type::kTimestamp, /*nullable=*/true}}},
                 {"year", {{"year", Type::kInt}}}},
      .default_order = "create_time desc",
      .id = {"batch_id", Type::kUuid},
  };
  return spec;
}

Result<list::Page<BatchRow>> ListBatches(pqxx::work& txn, const ListQuery& q) {
  list::Params params;
  std::string tail = ListTail(q, "region_code", {}, params);
  auto r = params.Exec(txn, std::string("SELECT ") + kBatchColumns + q.query.CursorColumns() +
                                " FROM approval_batches" + tail);
  return q.query.Collect(r, [](const pqxx::row& row) { return BatchFromRow(row); });
}

Status SetParcelsStockStage(pqxx::work& txn, const std::string& batch_id, StockLandStage stage) {
  txn.exec_params(
      "UPDATE parcels SET stock_stage = $2 WHERE approval_batch_id = $1 AND state IN (1, 2, 3)",
      batch_id, static_cast<int>(stage));
  return Ok();
}

Result<v1::StockLandSummary> StockSummary(pqxx::work& txn, const std::string& region_code,
                                          int32_t year) {
  std::string like = region_code;
  if (region_code.size() == 6 && region_code.compare(2, 4, "0000") == 0) {
    like = region_code.substr(0, 2);
  } else if (region_code.size() == 6 && region_code.compare(4, 2, "00") == 0) {
    like = region_code.substr(0, 4);
  }
  like += "%";
  auto b = txn.exec_params1(
      "SELECT count(*), COALESCE(sum(total_area_m2), 0), COALESCE(sum(supplied_area_m2), 0), "
      "COALESCE(sum(greatest(total_area_m2 - supplied_area_m2, 0)), 0), "
      "count(*) FILTER (WHERE total_area_m2 - supplied_area_m2 > 1e-6) FROM approval_batches "
      "WHERE state IN (2, 4) AND region_code::text LIKE $1 AND ($2 = 0 OR year = $2)",
      like, year);
  auto i = txn.exec_params1(
      "SELECT COALESCE(sum(idle_area_m2) FILTER (WHERE state = 1), 0), "
      "COALESCE(sum(idle_area_m2) FILTER (WHERE state = 2), 0), "
      "COALESCE(sum(idle_area_m2) FILTER (WHERE state = 3 AND ($2 = 0 OR "
      "extract(year FROM closed_at AT TIME ZONE 'Asia/Shanghai') = $2)), 0) "
      "FROM idle_cases WHERE region_code::text LIKE $1",
      like, year);
  v1::StockLandSummary s;
  s.set_region_code(region_code);
  s.set_year(year);
  s.set_approved_batch_count(b[0].as<int64_t>());
  s.mutable_approved_area()->set_square_metres(b[1].as<double>());
  s.mutable_supplied_area()->set_square_metres(b[2].as<double>());
  s.mutable_approved_unsupplied_area()->set_square_metres(b[3].as<double>());
  s.set_batches_with_unsupplied_land(b[4].as<int64_t>());
  s.mutable_idle_area_investigating()->set_square_metres(i[0].as<double>());
  s.mutable_idle_area_determined()->set_square_metres(i[1].as<double>());
  s.mutable_idle_area_disposed()->set_square_metres(i[2].as<double>());
  return s;
}

}  // namespace nrp::land_supply::store
