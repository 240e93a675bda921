#include "domain/natural_resource_unit.h"

#include <cstdio>

#include "domain/convert.h"
#include "domain/party.h"
#include "domain/region.h"
#include "domain/time_limits.h"
#include "nrp/geo/input_check.h"
#include "nrp/registration/v1/events.pb.h"
#include "nrp/service/calendar_proto.h"

namespace nrp::registration {

namespace cpb = nrp::common::v1;

namespace {

char KindLetter(v1::NaturalResourceUnitKind kind) {
  switch (kind) {
    case v1::NATURAL_RESOURCE_UNIT_KIND_PROTECTED_AREA:
      return 'Z';
    case v1::NATURAL_RESOURCE_UNIT_KIND_WATER_FLOW:
      return 'S';
    case v1::NATURAL_RESOURCE_UNIT_KIND_WETLAND:
      return 'D';
    case v1::NATURAL_RESOURCE_UNIT_KIND_FOREST:
      return 'L';
    case v1::NATURAL_RESOURCE_UNIT_KIND_GRASSLAND:
      return 'C';
    case v1::NATURAL_RESOURCE_UNIT_KIND_WASTELAND:
      return 'H';
    case v1::NATURAL_RESOURCE_UNIT_KIND_PROVEN_MINERAL:
      return 'K';
    case v1::NATURAL_RESOURCE_UNIT_KIND_MOUNTAIN:
      return 'Y';
    case v1::NATURAL_RESOURCE_UNIT_KIND_TIDAL_FLAT:
      return 'T';
    default:
      return 'X';
  }
}

std::string UnitState(v1::NaturalResourceUnitState s) {
  std::string name = v1::NaturalResourceUnitState_Name(s);
  const std::string prefix = "NATURAL_RESOURCE_UNIT_STATE_";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  return name;
}

Error WrongState(const v1::NaturalResourceUnit& u, const std::string& action,
                 const std::string& required) {
  return Error::FailedPrecondition("UNIT_STATE", "naturalResourceUnits/" + u.unit_id(),
                                   "natural-resource unit " + u.unit_id() + " is " +
                                       UnitState(u.state()) + "; only " + required +
                                       " units can be " + action);
}

// Copies the caller's content (not the output-only fields) from `from` into `to`.
void CopyContent(const v1::NaturalResourceUnit& from, v1::NaturalResourceUnit* to) {
  to->set_region_code(from.region_code());
  to->set_kind(from.kind());
  to->set_name(from.name());
  to->set_location(from.location());
  *to->mutable_boundary() = from.boundary();
  if (from.has_area()) {
    *to->mutable_area() = from.area();
  } else {
    to->clear_area();
  }
  *to->mutable_resources() = from.resources();
  to->set_ownership(from.ownership());
  if (from.has_collective_owner()) {
    *to->mutable_collective_owner() = from.collective_owner();
  } else {
    to->clear_collective_owner();
  }
  to->set_exercising_level(from.exercising_level());
  to->set_exercising_agent(from.exercising_agent());
  to->clear_public_controls();
  for (const auto& c : from.public_controls()) {
    if (c.zone_id().empty()) *to->add_public_controls() = c;
  }
  to->set_key_area(from.key_area());
  *to->mutable_documents() = from.documents();
}

}  // namespace

Status ValidateNaturalResourceUnit(const v1::NaturalResourceUnit& u, const std::string& f) {
  NRP_RETURN_IF_ERROR(ValidateRegionCode(u.region_code(), f + ".region_code"));
  if (u.kind() == v1::NATURAL_RESOURCE_UNIT_KIND_UNSPECIFIED ||
      !v1::NaturalResourceUnitKind_IsValid(u.kind())) {
    return Error::InvalidArgument(f + ".kind", "must be a natural-resource unit kind");
  }
  if (u.name().empty()) return Error::InvalidArgument(f + ".name", "is required");
  if (Utf8Length(u.name()) > 200)
    return Error::InvalidArgument(f + ".name", "must be at most 200 characters");
  if (Utf8Length(u.location()) > 1000) {
    return Error::InvalidArgument(f + ".location", "must be at most 1000 characters");
  }
  if (!u.has_boundary() || u.boundary().text().empty()) {
    return Error::InvalidArgument(f + ".boundary", "is required");
  }
  NRP_RETURN_IF_ERROR(geo::CheckSrid(u.boundary().srid(), f + ".boundary.srid"));
  switch (u.boundary().encoding()) {
    case cpb::GEOMETRY_ENCODING_WKT: {
      NRP_ASSIGN_OR_RETURN(auto s, geo::CheckWkt(u.boundary().text(), f + ".boundary.text"));
      if (s.type != "POLYGON" && s.type != "MULTIPOLYGON") {
        return Error::InvalidArgument(f + ".boundary.text",
                                      "must be a POLYGON or MULTIPOLYGON, got " + s.type);
      }
      break;
    }
    case cpb::GEOMETRY_ENCODING_GEOJSON: {
      NRP_ASSIGN_OR_RETURN(auto s, geo::CheckGeoJson(u.boundary().text(), f + ".boundary.text"));
      if (s.type != "POLYGON" && s.type != "MULTIPOLYGON") {
        return Error::InvalidArgument(f + ".boundary.text",
                                      "must be a Polygon or MultiPolygon, got " + s.type);
      }
      break;
    }
    default:
      return Error::InvalidArgument(f + ".boundary.encoding",
                                    "must be GEOMETRY_ENCODING_WKT or GEOMETRY_ENCODING_GEOJSON");
  }
  if (u.has_area() && !(u.area().square_metres() >= 0)) {
    return Error::InvalidArgument(f + ".area.square_metres", "must not be negative");
  }
  for (int i = 0; i < u.resources_size(); ++i) {
    const auto& r = u.resources(i);
    const std::string rf = f + ".resources[" + std::to_string(i) + "]";
    if (r.type() == v1::NATURAL_RESOURCE_TYPE_UNSPECIFIED ||
        !v1::NaturalResourceType_IsValid(r.type())) {
      return Error::InvalidArgument(rf + ".type", "must be a natural-resource type");
    }
    if (!(r.quantity() >= 0))
      return Error::InvalidArgument(rf + ".quantity", "must not be negative");
    if (r.quantity() > 0 && r.quantity_unit().empty()) {
      return Error::InvalidArgument(rf + ".quantity_unit", "is required with a quantity");
    }
    if (r.has_area() && !(r.area().square_metres() >= 0)) {
      return Error::InvalidArgument(rf + ".area.square_metres", "must not be negative");
    }
  }
  switch (u.ownership()) {
    case v1::RESOURCE_OWNERSHIP_STATE:
      if (u.exercising_level() == v1::EXERCISING_LEVEL_UNSPECIFIED ||
          !v1::ExercisingLevel_IsValid(u.exercising_level())) {
        return Error::InvalidArgument(f + ".exercising_level",
                                      "is required for state ownership (所有权行使主体层级)");
      }
      if (u.has_collective_owner()) {
        return Error::InvalidArgument(f + ".collective_owner", "must be unset for state ownership");
      }
      break;
    case v1::RESOURCE_OWNERSHIP_COLLECTIVE:
      if (u.kind() == v1::NATURAL_RESOURCE_UNIT_KIND_PROVEN_MINERAL ||
          u.kind() == v1::NATURAL_RESOURCE_UNIT_KIND_WATER_FLOW) {
        // 宪法 art. 9: mineral resources and waters belong to the state.
        return Error::InvalidArgument(
            f + ".ownership",
            "mineral resources and water flows are owned by the state "
            "(Constitution art. 9); collective ownership is not possible");
      }
      if (!u.has_collective_owner()) {
        return Error::InvalidArgument(f + ".collective_owner",
                                      "is required for collective ownership");
      }
      NRP_RETURN_IF_ERROR(ValidateParty(u.collective_owner(), f + ".collective_owner"));
      if (u.exercising_level() != v1::EXERCISING_LEVEL_UNSPECIFIED) {
        return Error::InvalidArgument(f + ".exercising_level",
                                      "must be unset for collective ownership");
      }
      break;
    default:
      return Error::InvalidArgument(
          f + ".ownership", "must be RESOURCE_OWNERSHIP_STATE or RESOURCE_OWNERSHIP_COLLECTIVE");
  }
  for (int i = 0; i < u.public_controls_size(); ++i) {
    const auto& c = u.public_controls(i);
    const std::string cf = f + ".public_controls[" + std::to_string(i) + "]";
    if (!cpb::ZoneLayerKind_IsValid(c.layer_kind())) {
      return Error::InvalidArgument(cf + ".layer_kind", "is not a known layer kind");
    }
    if (c.requirement().empty()) return Error::InvalidArgument(cf + ".requirement", "is required");
  }
  for (int i = 0; i < u.documents_size(); ++i) {
    if (u.documents(i).title().empty()) {
      return Error::InvalidArgument(f + ".documents[" + std::to_string(i) + "].title",
                                    "is required");
    }
  }
  return Ok();
}

std::string FormatNaturalResourceUnitNumber(const std::string& region_code,
                                            v1::NaturalResourceUnitKind kind, int64_t sequence) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%c%06lld", region_code.c_str(), KindLetter(kind),
                static_cast<long long>(sequence));
  return buf;
}

v1::NaturalResourceUnit NewNaturalResourceUnit(const v1::NaturalResourceUnit& input,
                                               const std::string& unit_id,
                                               const std::string& unit_number, TimePoint now) {
  v1::NaturalResourceUnit u;
  CopyContent(input, &u);
  u.set_unit_id(unit_id);
  u.set_unit_number(unit_number);
  u.set_state(v1::NATURAL_RESOURCE_UNIT_STATE_DRAFT);
  u.set_version(1);
  *u.mutable_create_time() = ToTimestamp(now);
  *u.mutable_update_time() = ToTimestamp(now);
  return u;
}

std::string ControlRequirement(cpb::ZoneLayerKind kind, cpb::ZoneControlLevel level) {
  switch (kind) {
    case cpb::ZONE_LAYER_KIND_PERMANENT_BASIC_FARMLAND:
      return "永久基本农田：任何单位和个人不得擅自占用或者改变用途（土地管理法第三十五条）";
    case cpb::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE:
      if (level == cpb::ZONE_CONTROL_LEVEL_CORE_PROTECTION)
        return "生态保护红线核心保护区：原则上禁止人为活动";
      return "生态保护红线：禁止开发性、生产性建设活动，仅允许对生态功能不造成破坏的有限人为活动";
    case cpb::ZONE_LAYER_KIND_URBAN_DEVELOPMENT_BOUNDARY:
      return "城镇开发边界：城镇集中建设按详细规划实施用途管制";
    case cpb::ZONE_LAYER_KIND_PROTECTED_AREA:
      if (level == cpb::ZONE_CONTROL_LEVEL_CORE_PROTECTION)
        return "自然保护地核心保护区：原则上禁止人为活动";
      return "自然保护地一般控制区：限制人为活动，禁止开发性、生产性建设活动";
    case cpb::ZONE_LAYER_KIND_MINERAL_PLANNING:
      switch (level) {
        case cpb::ZONE_CONTROL_LEVEL_PROHIBITED_MINING:
          return "禁止开采区：禁止新设采矿权";
        case cpb::ZONE_CONTROL_LEVEL_RESTRICTED_MINING:
          return "限制开采区：限制新设采矿权";
        case cpb::ZONE_CONTROL_LEVEL_KEY_MINING:
          return "重点开采区：矿产资源规划确定的开采区";
        case cpb::ZONE_CONTROL_LEVEL_KEY_EXPLORATION:
          return "重点勘查区：矿产资源规划确定的勘查区";
        default:
          return "矿产资源规划分区";
      }
    case cpb::ZONE_LAYER_KIND_CULTIVATED_LAND:
      return "耕地：严格控制耕地转为其他农用地及建设用地";
    default:
      return "用途管制";
  }
}

void AttachZoneControls(v1::NaturalResourceUnit* unit, const std::vector<OverlappingZone>& zones) {
  google::protobuf::RepeatedPtrField<v1::PublicControl> kept;
  for (const auto& c : unit->public_controls()) {
    if (c.zone_id().empty()) *kept.Add() = c;
  }
  for (const auto& z : zones) {
    v1::PublicControl* c = kept.Add();
    c->set_layer_kind(z.layer_kind);
    c->set_zone_id(z.zone_id);
    std::string requirement = ControlRequirement(z.layer_kind, z.control_level);
    if (!z.name.empty()) requirement = z.name + " — " + requirement;
    c->set_requirement(requirement);
    if (!z.basis.title().empty() || !z.basis.document_id().empty()) *c->mutable_basis() = z.basis;
  }
  *unit->mutable_public_controls() = std::move(kept);
}

Result<NaturalResourceTransition> ReviseNaturalResourceUnit(const v1::NaturalResourceUnit& current,
                                                            const v1::NaturalResourceUnit& revised,
                                                            const std::string& reason,
                                                            TimePoint now) {
  if (reason.empty()) {
    return Error::InvalidArgument("reason", "is required: say why the unit is revised");
  }
  NRP_RETURN_IF_ERROR(ValidateNaturalResourceUnit(revised, "unit"));
  if (revised.region_code() != current.region_code()) {
    return Error::InvalidArgument("unit.region_code",
                                  "cannot change (" + current.region_code() + ")");
  }
  if (revised.kind() != current.kind()) {
    return Error::InvalidArgument("unit.kind", "cannot change; register a new unit instead");
  }
  NaturalResourceTransition t{current, {}};
  CopyContent(revised, &t.next);
  // Zone-derived controls are recomputed by the caller after the revision.
  t.next.set_state(v1::NATURAL_RESOURCE_UNIT_STATE_DRAFT);
  t.next.set_version(current.version() + 1);
  *t.next.mutable_update_time() = ToTimestamp(now);
  return t;
}

Result<NaturalResourceTransition> StartNaturalResourceNotice(const v1::NaturalResourceUnit& unit,
                                                             const cpb::Date& start_pb,
                                                             int working_days, bool key_areas_first,
                                                             int64_t unregistered_key_units,
                                                             const FlowContext& ctx) {
  const int min_days = ctx.limits->min_notice_days;
  if (working_days == 0) working_days = min_days;
  if (working_days < min_days) {
    return Error::InvalidArgument("working_days", "must be at least " + std::to_string(min_days) +
                                                      " working days, got " +
                                                      std::to_string(working_days));
  }
  if (working_days > 250) return Error::InvalidArgument("working_days", "must be at most 250");
  NRP_ASSIGN_OR_RETURN(Date start, FromProtoDate(start_pb, "notice_start"));
  const Date today = ChinaDate(ctx.now);
  if (start < today) {
    return Error::InvalidArgument("notice_start",
                                  "must not be before today (" + today.ToString() + ")");
  }
  if (unit.state() != v1::NATURAL_RESOURCE_UNIT_STATE_DRAFT) {
    return WrongState(unit, "put on public notice", "DRAFT");
  }
  if (key_areas_first && !unit.key_area() && unregistered_key_units > 0) {
    return Error::FailedPrecondition(
        "KEY_AREAS_FIRST", "naturalResourceUnits/" + unit.unit_id(),
        std::to_string(unregistered_key_units) + " key-area unit(s) of region " +
            unit.region_code() +
            " are not registered yet; key areas are registered first (重点区域优先)");
  }
  const DeadlineRule rule = NoticeRule(start, working_days);
  NRP_ASSIGN_OR_RETURN(Deadline end, ctx.calendar->Compute(rule));
  NaturalResourceTransition t{unit, {}};
  t.next.set_state(v1::NATURAL_RESOURCE_UNIT_STATE_PUBLIC_NOTICE);
  *t.next.mutable_notice_start() = ToProtoDate(start);
  *t.next.mutable_notice_end() = ToProtoDate(end.date);
  service::FillCalendar(end.basis, t.next.mutable_notice_end_calendar());
  t.deadlines.push_back({"notice_end", rule, end});
  *t.next.mutable_update_time() = ToTimestamp(ctx.now);
  v1::NaturalResourceUnitNoticeStarted e;
  e.set_unit_id(unit.unit_id());
  e.set_unit_number(unit.unit_number());
  e.set_region_code(unit.region_code());
  e.set_kind(unit.kind());
  e.set_name(unit.name());
  e.set_version(unit.version());
  *e.mutable_notice_start() = t.next.notice_start();
  *e.mutable_notice_end() = t.next.notice_end();
  *e.mutable_notice_end_calendar() = t.next.notice_end_calendar();
  t.events.push_back(DomainEvent::Of(std::move(e), unit.unit_id(), unit.region_code()));
  return t;
}

Result<std::optional<NaturalResourceTransition>> RecountNoticeEnd(
    const v1::NaturalResourceUnit& unit, const Date& old_date, const std::string& old_calendar,
    const Deadline& now, const FlowContext& ctx) {
  if (unit.state() != v1::NATURAL_RESOURCE_UNIT_STATE_PUBLIC_NOTICE) {
    return std::optional<NaturalResourceTransition>();
  }
  NaturalResourceTransition t{unit, {}};
  *t.next.mutable_notice_end() = ToProtoDate(now.date);
  service::FillCalendar(now.basis, t.next.mutable_notice_end_calendar());
  if (!(old_date == now.date)) {
    *t.next.mutable_update_time() = ToTimestamp(ctx.now);
    v1::NaturalResourceUnitNoticeMoved e;
    e.set_unit_id(unit.unit_id());
    e.set_unit_number(unit.unit_number());
    e.set_region_code(unit.region_code());
    e.set_version(unit.version());
    *e.mutable_old_date() = ToProtoDate(old_date);
    *e.mutable_new_date() = ToProtoDate(now.date);
    e.set_old_calendar(old_calendar);
    service::FillCalendar(now.basis, e.mutable_calendar());
    *e.mutable_moved_at() = ToTimestamp(ctx.now);
    t.events.push_back(DomainEvent::Of(std::move(e), unit.unit_id(), unit.region_code()));
  }
  return std::optional<NaturalResourceTransition>(std::move(t));
}

Result<NaturalResourceTransition> RegisterNaturalResource(const v1::NaturalResourceUnit& unit,
                                                          const FlowContext& ctx) {
  if (unit.state() != v1::NATURAL_RESOURCE_UNIT_STATE_PUBLIC_NOTICE) {
    return WrongState(unit, "registered", "PUBLIC_NOTICE");
  }
  NRP_ASSIGN_OR_RETURN(Date end, FromProtoDate(unit.notice_end(), "notice_end"));
  const Date today = ChinaDate(ctx.now);
  if (!(end < today)) {
    return Error::FailedPrecondition(
        "NOTICE_NOT_ENDED", "naturalResourceUnits/" + unit.unit_id(),
        "the public notice of natural-resource unit " + unit.unit_id() + " runs until " +
            end.ToString() + "; it can be registered from " + end.AddDays(1).ToString());
  }
  NaturalResourceTransition t{unit, {}};
  t.next.set_state(v1::NATURAL_RESOURCE_UNIT_STATE_REGISTERED);
  *t.next.mutable_registered_at() = ToTimestamp(ctx.now);
  *t.next.mutable_update_time() = ToTimestamp(ctx.now);
  v1::NaturalResourceUnitRegistered e;
  e.set_unit_id(unit.unit_id());
  e.set_region_code(unit.region_code());
  *e.mutable_unit() = t.next;
  *e.mutable_registered_at() = t.next.registered_at();
  t.events.push_back(DomainEvent::Of(std::move(e), unit.unit_id(), unit.region_code()));
  return t;
}

}  // namespace nrp::registration
