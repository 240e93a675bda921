#include "api/list_query.h"

#include <gtest/gtest.h>

#include "nrp/registration/v1/registration.pb.h"

namespace nrp::registration {
namespace {

const std::map<std::string, FilterField>& Fields() {
  static const std::map<std::string, FilterField> kFields = {
      {"state",
       {"state", FilterField::Type::kEnum, EnumValues([] { return v1::CaseState_descriptor(); })}},
      {"overdue", {"overdue", FilterField::Type::kBool, {}}},
      {"region_code", {"region_code", FilterField::Type::kText, {}}},
      {"submitted_at", {"submitted_at", FilterField::Type::kTimestamp, {}}},
  };
  return kFields;
}

TEST(ListQuery, ParsesConjunctionsIntoParameters) {
  auto f = ParseFilter(
      "state = CASE_STATE_ACCEPTED AND overdue = true AND region_code = \"410302\" AND "
      "submitted_at >= \"2026-09-01T00:00:00+08:00\"",
      Fields());
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  ASSERT_EQ(f->size(), 4u);
  EXPECT_EQ((*f)[0].value, "2");
  EXPECT_EQ((*f)[1].value, "true");
  EXPECT_EQ((*f)[2].value, "410302");
  EXPECT_EQ((*f)[3].op, ">=");
  EXPECT_EQ((*f)[3].value, "2026-08-31T16:00:00.000Z");
  std::string sql = "SELECT 1 WHERE true";
  std::vector<std::string> params{"first"};
  AppendConditions(*f, &sql, &params);
  EXPECT_EQ(sql,
            "SELECT 1 WHERE true AND state = $2::smallint AND overdue = $3::boolean AND "
            "region_code = $4 AND submitted_at >= $5::timestamptz");
  EXPECT_EQ(params.size(), 5u);
}

TEST(ListQuery, RefusesUnknownFieldsAndBadValues) {
  auto e = ParseFilter("owner = \"x\"", Fields());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(e.error().message(),
            "filter: unknown field 'owner'; allowed: overdue, region_code, state, submitted_at");
  e = ParseFilter("state = ACCEPTED", Fields());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message(), "filter: 'ACCEPTED' is not a value of state");
  e = ParseFilter("overdue = maybe", Fields());
  EXPECT_EQ(e.error().message(), "filter: overdue must be true or false");
  e = ParseFilter("state = CASE_STATE_ACCEPTED OR overdue = true", Fields());
  EXPECT_EQ(e.error().message(), "filter: only AND is supported between conditions, got 'OR'");
  e = ParseFilter("region_code = \"4103", Fields());
  EXPECT_EQ(e.error().message(), "filter: unterminated string");
  e = ParseFilter("region_code = \"x'; DROP TABLE cases; --\"", Fields());
  ASSERT_TRUE(e.ok());  // a value, passed as a parameter
  EXPECT_EQ((*e)[0].value, "x'; DROP TABLE cases; --");
}

TEST(ListQuery, PagesAndOrdering) {
  auto p = ParsePage(0, "");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->limit, 50);
  EXPECT_EQ(ParsePage(5000, "")->limit, 1000);
  auto bad = ParsePage(-1, "");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "page_size: must not be negative");
  Page page{0, 10};
  EXPECT_EQ(NextPageToken(page, 10), "");
  std::string token = NextPageToken(page, 11);
  ASSERT_FALSE(token.empty());
  auto next = ParsePage(10, token);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->offset, 10);
  auto forged = ParsePage(10, "bm9wZQ==");
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().message(), "page_token: is not a token this service issued");
  EXPECT_TRUE(CheckOrderBy("", {"unit_code"}).ok());
  auto order = CheckOrderBy("location", {"unit_code", "unit_code asc"});
  ASSERT_FALSE(order.ok());
  EXPECT_EQ(order.error().message(), "order_by: supported orderings: 'unit_code', 'unit_code asc'");
}

}  // namespace
}  // namespace nrp::registration
