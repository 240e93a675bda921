// Parcels and the land reserve.
#include "api/handler.h"
#include "convert/convert.h"
#include "domain/parcel.h"
#include "domain/zone_gate.h"
#include "nrp/core/uuid.h"
#include "nrp/land_supply/v1/events.pb.h"

namespace nrp::land_supply {

namespace {

NewParcel ToNewParcel(const v1::Parcel& p) {
  NewParcel n;
  n.region_code = p.region_code();
  n.parcel_code = p.parcel_code();
  n.name = p.name();
  n.location = p.location();
  n.geometry_encoding = static_cast<int>(p.geometry().encoding());
  n.geometry_text = p.geometry().text();
  n.srid = p.geometry().srid();
  n.declared_area_m2 = p.area().square_metres();
  n.planned_use = static_cast<int>(p.planned_use());
  n.land_use_code = p.land_use_code();
  const auto& c = p.planning_conditions();
  n.planning = {c.plot_ratio_min(), c.plot_ratio_max(), c.building_density_max(),
                c.green_ratio_min(), c.building_height_max_m()};
  n.soil_status = static_cast<int>(p.soil_status());
  n.approval_batch_id = p.approval_batch_id();
  return n;
}

}  // namespace

grpc::Status LandSupplyApi::CreateParcel(Ctx* ctx, const v1::CreateParcelRequest* req,
                                         v1::Parcel* out) {
  return Serve<v1::Parcel>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::Parcel> {
        NewParcel in = ToNewParcel(req->parcel());
        NRP_RETURN_IF_ERROR(ValidateNewParcel(in));
        if (!in.approval_batch_id.empty()) {
          return Error::InvalidArgument(
              "parcel.approval_batch_id",
              "set by CreateApprovalBatch, not when the parcel is created");
        }
        NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, in.region_code));
        auto result = Mutate<v1::Parcel>(caller, "CreateParcel", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::Parcel> {
              NRP_ASSIGN_OR_RETURN(double boundary, store::MeasureGeometry(tx, in.geometry_encoding,
                                                                           in.geometry_text,
                                                                           "parcel.geometry.text"));
              NRP_ASSIGN_OR_RETURN(double area,
                                   SettleParcelArea(in.declared_area_m2, boundary, d_.rules));
              TimePoint now = d_.clock().Now();
              v1::Parcel p = req->parcel();
              p.set_parcel_id(NewUuidV7());
              p.mutable_geometry()->set_srid(4490);
              p.mutable_area()->set_square_metres(area);
              p.set_state(v1::PARCEL_STATE_REGISTERED);
              p.set_stock_stage(v1::STOCK_LAND_STAGE_NONE);
              p.clear_reserved_at();
              p.clear_cleared_at();
              p.clear_zone_check();
              *p.mutable_create_time() = ToTimestamp(now);
              *p.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(store::InsertParcel(tx, p));
              v1::ParcelRegistered ev;
              ev.set_parcel_id(p.parcel_id());
              ev.set_region_code(p.region_code());
              ev.set_name(p.name());
              *ev.mutable_area() = p.area();
              ev.set_planned_use(p.planned_use());
              ev.set_soil_status(p.soil_status());
              *ev.mutable_registered_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, p.region_code()));
              audit = {p.region_code(), p.parcel_id()};
              return p;
            });
        return result;
      });
}

grpc::Status LandSupplyApi::GetParcel(Ctx* ctx, const v1::GetParcelRequest* req, v1::Parcel* out) {
  return Serve<v1::Parcel>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::Parcel> {
        NRP_ASSIGN_OR_RETURN(v1::Parcel p, Read<v1::Parcel>([&](pqxx::work& tx) {
                               return store::GetParcel(tx, req->parcel_id(), false);
                             }));
        NRP_RETURN_IF_ERROR(InRegion(caller, kReadScope, p.region_code()));
        return p;
      });
}

grpc::Status LandSupplyApi::ListParcels(Ctx* ctx, const v1::ListParcelsRequest* req,
                                        v1::ListParcelsResponse* out) {
  return Serve<v1::ListParcelsResponse>(
      ctx, kReadScope, out, [&](const rpc::Caller& caller) -> Result<v1::ListParcelsResponse> {
        NRP_ASSIGN_OR_RETURN(auto q,
                             ListQueryFor(caller, list::RequestOf(*req), store::ParcelList()));
        return Read<v1::ListParcelsResponse>(
            [&](pqxx::work& tx) -> Result<v1::ListParcelsResponse> {
              NRP_ASSIGN_OR_RETURN(auto page, store::ListParcels(tx, q));
              v1::ListParcelsResponse resp;
              for (auto& p : page.items) *resp.add_parcels() = std::move(p);
              resp.set_next_page_token(page.next_page_token);
              return resp;
            });
      });
}

namespace {

Result<ParcelFacts> LoadFacts(pqxx::work& tx, const v1::Parcel& p) {
  ParcelFacts f;
  f.parcel_id = p.parcel_id();
  f.state = static_cast<ParcelState>(p.state());
  f.planned_use = static_cast<LandUse>(p.planned_use());
  f.soil_status = static_cast<SoilStatus>(p.soil_status());
  if (!p.approval_batch_id().empty()) {
    NRP_ASSIGN_OR_RETURN(auto batch, store::GetBatch(tx, p.approval_batch_id(), false));
    f.batch_state = static_cast<BatchState>(batch.batch.state());
  }
  return f;
}

nrp::common::v1::SpatialUse SpatialUseFor(LandUse use, const Rules& rules) {
  if (use == LandUse::kInfrastructure) return nrp::common::v1::SPATIAL_USE_INFRASTRUCTURE;
  if (rules.urban_construction_uses.count(use))
    return nrp::common::v1::SPATIAL_USE_URBAN_CONSTRUCTION;
  return nrp::common::v1::SPATIAL_USE_RURAL_CONSTRUCTION;
}

}  // namespace

Result<ParcelFacts> ParcelFactsOf(pqxx::work& tx, const v1::Parcel& p) { return LoadFacts(tx, p); }

nrp::common::v1::SpatialUse SpatialUseOf(LandUse use, const Rules& rules) {
  return SpatialUseFor(use, rules);
}

grpc::Status LandSupplyApi::ReserveParcel(Ctx* ctx, const v1::ReserveParcelRequest* req,
                                          v1::Parcel* out) {
  return Serve<v1::Parcel>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::Parcel> {
        return Mutate<v1::Parcel>(caller, "ReserveParcel", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::Parcel> {
              NRP_ASSIGN_OR_RETURN(v1::Parcel p, store::GetParcel(tx, req->parcel_id(), true));
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, p.region_code()));
              NRP_ASSIGN_OR_RETURN(ParcelFacts facts, LoadFacts(tx, p));
              NRP_RETURN_IF_ERROR(CheckReserve(facts, d_.rules));
              NRP_ASSIGN_OR_RETURN(ZoneMeasurement m, store::MeasureZones(tx, p.parcel_id()));
              GateResult gate =
                  EvaluateZoneGate(m, facts.planned_use, GateStage::kReserve, d_.rules);
              if (gate.refusal) return *gate.refusal;
              TimePoint now = d_.clock().Now();
              p.set_state(v1::PARCEL_STATE_RESERVED);
              *p.mutable_reserved_at() = ToTimestamp(now);
              *p.mutable_zone_check() =
                  api::ZoneCheckOf(gate, SpatialUseFor(facts.planned_use, d_.rules), now);
              *p.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(
                  store::UpdateParcel(tx, p, req->reserve_decision().SerializeAsString(), ""));
              v1::ParcelReserved ev;
              ev.set_parcel_id(p.parcel_id());
              ev.set_region_code(p.region_code());
              *ev.mutable_geometry() = p.geometry();
              *ev.mutable_area() = p.area();
              ev.set_planned_use(p.planned_use());
              ev.set_stock_stage(p.stock_stage());
              *ev.mutable_reserved_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, p.region_code()));
              audit = {p.region_code(), p.parcel_id()};
              return p;
            });
      });
}

grpc::Status LandSupplyApi::ClearParcel(Ctx* ctx, const v1::ClearParcelRequest* req,
                                        v1::Parcel* out) {
  return Serve<v1::Parcel>(
      ctx, kWriteScope, out, [&](const rpc::Caller& caller) -> Result<v1::Parcel> {
        return Mutate<v1::Parcel>(caller, "ClearParcel", req->request_id(), *req,
            [&](pqxx::work& tx, Audit& audit) -> Result<v1::Parcel> {
              NRP_ASSIGN_OR_RETURN(v1::Parcel p, store::GetParcel(tx, req->parcel_id(), true));
              NRP_RETURN_IF_ERROR(InRegion(caller, kWriteScope, p.region_code()));
              NRP_ASSIGN_OR_RETURN(ParcelFacts facts, LoadFacts(tx, p));
              NRP_RETURN_IF_ERROR(CheckClear(facts));
              TimePoint now = d_.clock().Now();
              p.set_state(v1::PARCEL_STATE_READY);
              *p.mutable_cleared_at() = ToTimestamp(now);
              *p.mutable_update_time() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(
                  store::UpdateParcel(tx, p, "", req->evidence().SerializeAsString()));
              v1::ParcelCleared ev;
              ev.set_parcel_id(p.parcel_id());
              ev.set_region_code(p.region_code());
              *ev.mutable_cleared_at() = ToTimestamp(now);
              NRP_RETURN_IF_ERROR(service::Publish(d_.rt, tx, ev, p.region_code()));
              audit = {p.region_code(), p.parcel_id()};
              return p;
            });
      });
}

}  // namespace nrp::land_supply
