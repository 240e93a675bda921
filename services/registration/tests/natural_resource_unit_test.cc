#include "domain/natural_resource_unit.h"

#include <gtest/gtest.h>

#include "nrp/registration/v1/events.pb.h"
#include "test_support.h"

namespace nrp::registration {
namespace {

using namespace testsupport;

v1::NaturalResourceUnit Wetland() {
  v1::NaturalResourceUnit u;
  u.set_region_code("410300");
  u.set_kind(v1::NATURAL_RESOURCE_UNIT_KIND_WETLAND);
  u.set_name("伊洛河湿地");
  u.set_location("洛阳市洛龙区伊河、洛河交汇处");
  u.mutable_boundary()->set_encoding(cpb::GEOMETRY_ENCODING_WKT);
  u.mutable_boundary()->set_text(
      "POLYGON((112.40 34.60, 112.50 34.60, 112.50 34.70, 112.40 34.70, 112.40 34.60))");
  auto* r = u.add_resources();
  r->set_type(v1::NATURAL_RESOURCE_TYPE_WETLAND);
  r->mutable_area()->set_square_metres(5000000);
  u.set_ownership(v1::RESOURCE_OWNERSHIP_STATE);
  u.set_exercising_level(v1::EXERCISING_LEVEL_CITY);
  u.set_exercising_agent("洛阳市自然资源和规划局");
  u.set_key_area(true);
  return u;
}

void ExpectInvalid(const v1::NaturalResourceUnit& u, const std::string& message) {
  auto e = ValidateNaturalResourceUnit(u, "unit");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(e.error().message(), message);
}

TEST(NaturalResourceUnit, ValidatesContent) {
  EXPECT_TRUE(ValidateNaturalResourceUnit(Wetland(), "unit").ok());
  auto u = Wetland();
  u.set_kind(v1::NATURAL_RESOURCE_UNIT_KIND_UNSPECIFIED);
  ExpectInvalid(u, "unit.kind: must be a natural-resource unit kind");
  u = Wetland();
  u.mutable_boundary()->set_text("POLYGON((1 2, 3 4))");
  auto e = ValidateNaturalResourceUnit(u, "unit");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(e.error().field_violations()[0].field, "unit.boundary.text");
  u = Wetland();
  u.set_exercising_level(v1::EXERCISING_LEVEL_UNSPECIFIED);
  ExpectInvalid(u, "unit.exercising_level: is required for state ownership (所有权行使主体层级)");
  u = Wetland();
  u.set_ownership(v1::RESOURCE_OWNERSHIP_COLLECTIVE);
  u.set_exercising_level(v1::EXERCISING_LEVEL_UNSPECIFIED);
  ExpectInvalid(u, "unit.collective_owner: is required for collective ownership");
  u.set_kind(v1::NATURAL_RESOURCE_UNIT_KIND_PROVEN_MINERAL);
  ExpectInvalid(u,
                "unit.ownership: mineral resources and water flows are owned by the state "
                "(Constitution art. 9); collective ownership is not possible");
  u = Wetland();
  u.set_ownership(v1::RESOURCE_OWNERSHIP_UNSPECIFIED);
  ExpectInvalid(
      u, "unit.ownership: must be RESOURCE_OWNERSHIP_STATE or RESOURCE_OWNERSHIP_COLLECTIVE");
  u = Wetland();
  u.mutable_resources(0)->set_type(v1::NATURAL_RESOURCE_TYPE_UNSPECIFIED);
  ExpectInvalid(u, "unit.resources[0].type: must be a natural-resource type");
}

TEST(NaturalResourceUnit, ZoneControlsAreAttachedAndCallerControlsKept) {
  auto u = NewNaturalResourceUnit(Wetland(), "u1", "410300D000001", At(2026, 9, 28));
  v1::PublicControl own;
  own.set_layer_kind(cpb::ZONE_LAYER_KIND_UNSPECIFIED);
  own.set_requirement("湿地保护条例：禁止擅自填埋");
  *u.add_public_controls() = own;
  OverlappingZone z;
  z.zone_id = "zone-7";
  z.name = "伊洛河湿地生态保护红线";
  z.layer_kind = cpb::ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE;
  z.control_level = cpb::ZONE_CONTROL_LEVEL_CORE_PROTECTION;
  AttachZoneControls(&u, {z});
  ASSERT_EQ(u.public_controls_size(), 2);
  EXPECT_EQ(u.public_controls(1).zone_id(), "zone-7");
  EXPECT_EQ(u.public_controls(1).requirement(),
            "伊洛河湿地生态保护红线 — 生态保护红线核心保护区：原则上禁止人为活动");
  AttachZoneControls(&u, {});
  ASSERT_EQ(u.public_controls_size(), 1);
  EXPECT_EQ(u.public_controls(0).requirement(), "湿地保护条例：禁止擅自填埋");
}

TEST(NaturalResourceUnit, NoticeOfFifteenWorkingDaysThenRegistration) {
  TimeLimits limits = TimeLimits::Defaults();
  FlowContext ctx{At(2026, 9, 28), CalendarPtr(), &limits};
  auto u = NewNaturalResourceUnit(Wetland(), "u1", "410300D000001", ctx.now);
  EXPECT_EQ(u.state(), v1::NATURAL_RESOURCE_UNIT_STATE_DRAFT);
  auto short_notice = StartNaturalResourceNotice(u, PDate(2026, 10, 8), 14, true, 0, ctx);
  ASSERT_FALSE(short_notice.ok());
  EXPECT_EQ(short_notice.error().message(),
            "working_days: must be at least 15 working days, got 14");
  auto n = StartNaturalResourceNotice(u, PDate(2026, 10, 8), 0, true, 0, ctx);
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(n->next.notice_end().day(), 27);
  ASSERT_NE(n->events[0].As<v1::NaturalResourceUnitNoticeStarted>(), nullptr);
  auto early =
      RegisterNaturalResource(n->next, FlowContext{At(2026, 10, 27), CalendarPtr(), &limits});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().reason(), "NOTICE_NOT_ENDED");
  EXPECT_EQ(early.error().message(),
            "the public notice of natural-resource unit u1 runs until 2026-10-27; it can be "
            "registered from 2026-10-28");
  auto reg =
      RegisterNaturalResource(n->next, FlowContext{At(2026, 10, 28), CalendarPtr(), &limits});
  ASSERT_TRUE(reg.ok());
  EXPECT_EQ(reg->next.state(), v1::NATURAL_RESOURCE_UNIT_STATE_REGISTERED);
  ASSERT_NE(reg->events[0].As<v1::NaturalResourceUnitRegistered>(), nullptr);
  auto draft_reg = RegisterNaturalResource(u, ctx);
  ASSERT_FALSE(draft_reg.ok());
  EXPECT_EQ(draft_reg.error().message(),
            "natural-resource unit u1 is DRAFT; only PUBLIC_NOTICE units can be registered");
}

TEST(NaturalResourceUnit, KeyAreasFirst) {
  TimeLimits limits = TimeLimits::Defaults();
  FlowContext ctx{At(2026, 9, 28), CalendarPtr(), &limits};
  auto input = Wetland();
  input.set_key_area(false);
  auto u = NewNaturalResourceUnit(input, "u2", "410300D000002", ctx.now);
  auto t = StartNaturalResourceNotice(u, PDate(2026, 10, 8), 15, true, 2, ctx);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code(), Code::kFailedPrecondition);
  EXPECT_EQ(t.error().message(),
            "2 key-area unit(s) of region 410300 are not registered yet; key areas are "
            "registered first (重点区域优先)");
  EXPECT_TRUE(StartNaturalResourceNotice(u, PDate(2026, 10, 8), 15, false, 2, ctx).ok());
  EXPECT_TRUE(StartNaturalResourceNotice(u, PDate(2026, 10, 8), 15, true, 0, ctx).ok());
}

TEST(NaturalResourceUnit, RevisionReturnsToDraftWithANewVersion) {
  auto u = NewNaturalResourceUnit(Wetland(), "u1", "410300D000001", At(2026, 9, 28));
  u.set_state(v1::NATURAL_RESOURCE_UNIT_STATE_PUBLIC_NOTICE);
  auto revised = Wetland();
  revised.set_name("伊洛河国家湿地公园");
  auto r = ReviseNaturalResourceUnit(u, revised, "", At(2026, 10, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "reason: is required: say why the unit is revised");
  r = ReviseNaturalResourceUnit(u, revised, "公告期间收到异议", At(2026, 10, 1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->next.state(), v1::NATURAL_RESOURCE_UNIT_STATE_DRAFT);
  EXPECT_EQ(r->next.version(), 2);
  EXPECT_EQ(r->next.name(), "伊洛河国家湿地公园");
  EXPECT_EQ(r->next.unit_number(), "410300D000001");
  revised.set_kind(v1::NATURAL_RESOURCE_UNIT_KIND_FOREST);
  r = ReviseNaturalResourceUnit(u, revised, "x", At(2026, 10, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "unit.kind: cannot change; register a new unit instead");
}

TEST(NaturalResourceUnit, FormatsUnitNumbers) {
  EXPECT_EQ(FormatNaturalResourceUnitNumber("410300", v1::NATURAL_RESOURCE_UNIT_KIND_WETLAND, 12),
            "410300D000012");
  EXPECT_EQ(
      FormatNaturalResourceUnitNumber("140000", v1::NATURAL_RESOURCE_UNIT_KIND_PROVEN_MINERAL, 3),
      "140000K000003");
}

}  // namespace
}  // namespace nrp::registration
