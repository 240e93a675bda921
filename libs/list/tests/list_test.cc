#include "nrp/list/list.h"

#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include "nrp/rpc/auth.h"

namespace nrp::list {
namespace {

const Spec& Cases() {
  static const Spec spec = {
      .name = "test.ListCases",
      .fields =
          {
              {.name = "region_code", .sql = "region_code", .prefix = true},
              {.name = "title", .sql = "title"},
              {.name = "year", .sql = "year", .type = Type::kInt},
              {.name = "area", .sql = "area_m2", .type = Type::kDouble},
              {.name = "state",
               .sql = "state",
               .type = Type::kEnum,
               .enum_type = {"CaseState", {{"CASE_STATE_OPEN", 1}, {"CASE_STATE_CLOSED", 2}}}},
              {.name = "overdue", .sql = "overdue", .type = Type::kBool},
              {.name = "submitted_at", .sql = "submitted_at", .type = Type::kTimestamp},
              {.name = "due_on", .sql = "due_on", .type = Type::kDate},
              {.name = "parcel_id", .sql = "parcel_id", .type = Type::kUuid},
          },
      .orders =
          {
              {"submitted_at", {{"submitted_at", Type::kTimestamp}}},
              {"due_on", {{"due_on", Type::kDate, /*nullable=*/true}}},
              {"year", {{"year", Type::kInt}}},
          },
      .default_order = "submitted_at desc",
      .id = {"case_id", Type::kText},
  };
  return spec;
}

Result<Query> Filter(const std::string& filter) { return Parse(Cases(), {.filter = filter}); }

std::string FilterError(const std::string& filter) {
  auto q = Filter(filter);
  if (q.ok()) return "accepted";
  EXPECT_EQ(q.error().code(), Code::kInvalidArgument);
  return q.error().message();
}

std::string Where(const Query& q, std::vector<std::string>* values = nullptr) {
  Params p;
  std::string sql = q.Where(p);
  if (values) *values = p.values();
  return sql;
}

TEST(ListFilter, EveryOperatorBecomesAParameter) {
  const std::pair<const char*, const char*> cases[] = {
      {"year = 2026", " AND year = $1::bigint"},
      {"year != 2026", " AND year <> $1::bigint"},
      {"year < 2026", " AND year < $1::bigint"},
      {"year <= 2026", " AND year <= $1::bigint"},
      {"year > 2026", " AND year > $1::bigint"},
      {"year >= 2026", " AND year >= $1::bigint"},
      {"year>=2026", " AND year >= $1::bigint"},
      {"area < 1.5e3", " AND area_m2 < $1::double precision"},
  };
  for (const auto& [filter, sql] : cases) {
    auto q = Filter(filter);
    ASSERT_TRUE(q.ok()) << filter << ": " << q.error().ToString();
    std::vector<std::string> values;
    EXPECT_EQ(Where(*q, &values), sql) << filter;
    ASSERT_EQ(values.size(), 1u);
    EXPECT_EQ(values[0], std::string(filter).find("area") == 0 ? "1.5e3" : "2026");
  }
}

TEST(ListFilter, ConditionsJoinedByAnd) {
  auto q = Filter(
      "state = CASE_STATE_OPEN AND overdue = true AND title != \"x\" AND "
      "submitted_at >= \"2026-09-01T00:00:00+08:00\" AND due_on < 2026-10-01 AND "
      "parcel_id = 3f2c6f0e-8a51-4e43-9b7a-1f1c2d3e4f50 AND year = -3");
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  std::vector<std::string> values;
  EXPECT_EQ(Where(*q, &values),
            " AND state = $1::integer AND overdue = $2::boolean AND title <> $3::text AND "
            "submitted_at >= $4::timestamptz AND due_on < $5::date AND parcel_id = $6::uuid AND "
            "year = $7::bigint");
  EXPECT_EQ(values,
            (std::vector<std::string>{"1", "true", "x", "2026-08-31T16:00:00.000Z", "2026-10-01",
                                      "3f2c6f0e-8a51-4e43-9b7a-1f1c2d3e4f50", "-3"}));
  EXPECT_EQ(q->canonical_filter(),
            "state = CASE_STATE_OPEN AND overdue = true AND title != \"x\" AND submitted_at >= "
            "2026-08-31T16:00:00.000Z AND due_on < 2026-10-01 AND parcel_id = "
            "3f2c6f0e-8a51-4e43-9b7a-1f1c2d3e4f50 AND year = -3");
  auto empty = Filter("   ");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(Where(*empty), "");
}

TEST(ListFilter, PrefixFieldsMatchTheCodesUnderTheValue) {
  auto q = Filter("region_code = \"4103\" AND region_code != 410311");
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  std::vector<std::string> values;
  EXPECT_EQ(Where(*q, &values),
            " AND starts_with(region_code, $1::text) AND NOT starts_with(region_code, $2::text)");
  EXPECT_EQ(values, (std::vector<std::string>{"4103", "410311"}));
}

TEST(ListFilter, QuotesAndEscapes) {
  auto q = Filter(R"(title = "say \"hi\" \\ 'there'" AND region_code = 'it\'s')");
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  std::vector<std::string> values;
  Where(*q, &values);
  EXPECT_EQ(values, (std::vector<std::string>{"say \"hi\" \\ 'there'", "it's"}));
  q = Filter(R"(title = "two\nlines\tand a tab")");
  ASSERT_TRUE(q.ok());
  Where(*q, &values);
  EXPECT_EQ(values[0], "two\nlines\tand a tab");
  // A value never reaches the statement's text.
  q = Filter("title = \"x'; DROP TABLE cases; --\"");
  ASSERT_TRUE(q.ok());
  std::string sql = Where(*q, &values);
  EXPECT_EQ(sql, " AND title = $1::text");
  EXPECT_EQ(values[0], "x'; DROP TABLE cases; --");
  // Chinese text without quotes is one value.
  q = Filter("title = 洛阳市公安局");
  ASSERT_TRUE(q.ok());
  Where(*q, &values);
  EXPECT_EQ(values[0], "洛阳市公安局");
  EXPECT_EQ(FilterError(R"(title = "a\qb")"),
            R"(filter: unknown escape \q at position 11 (use \\, \", \', \n or \t))");
  EXPECT_EQ(FilterError("title = \"open"), "filter: unterminated string starting at position 9");
}

TEST(ListFilter, RefusalsNameTheFieldAndTheRule) {
  EXPECT_EQ(FilterError("owner = \"x\""),
            "filter: unknown field 'owner'; filterable: region_code, title, year, area, state, "
            "overdue, submitted_at, due_on, parcel_id");
  EXPECT_EQ(FilterError("title < \"b\""), "filter: title does not support <; use =, !=");
  EXPECT_EQ(FilterError("state >= CASE_STATE_OPEN"),
            "filter: state does not support >=; use =, !=");
  EXPECT_EQ(FilterError("year = 20x6"), "filter: year takes an integer, got '20x6'");
  EXPECT_EQ(FilterError("year = 2026.5"), "filter: year takes an integer, got '2026.5'");
  EXPECT_EQ(FilterError("area = many"), "filter: area takes a number, got 'many'");
  EXPECT_EQ(FilterError("overdue = maybe"), "filter: overdue takes true or false, got 'maybe'");
  EXPECT_EQ(FilterError("state = OPEN"), "filter: 'OPEN' is not a value of state (CaseState)");
  EXPECT_EQ(FilterError("submitted_at > yesterday"),
            "filter: submitted_at takes an RFC 3339 time such as 2026-09-01T00:00:00+08:00, got "
            "'yesterday'");
  EXPECT_EQ(FilterError("due_on = 2026-02-30"),
            "filter: due_on takes a date YYYY-MM-DD, got '2026-02-30'");
  EXPECT_EQ(FilterError("parcel_id = 42"), "filter: parcel_id takes a UUID, got '42'");
  EXPECT_EQ(FilterError("year = 2026 garbage"),
            "filter: expected AND or the end after 'year = 2026', got 'garbage'");
  EXPECT_EQ(FilterError("year = 2026 AND"), "filter: expected a condition after the last AND");
  EXPECT_EQ(FilterError("year = 2026 and year = 2027"),
            "filter: expected AND or the end after 'year = 2026', got 'and'");
  EXPECT_EQ(FilterError("year = 2026 OR year = 2027"),
            "filter: OR is not supported (at position 13); only conditions joined by AND");
  EXPECT_EQ(
      FilterError("(year = 2026)"),
      "filter: parentheses are not supported (at position 1); write conditions joined by AND");
  EXPECT_EQ(FilterError("NOT overdue = true"), "filter: NOT is not supported; use !=");
  EXPECT_EQ(FilterError("-overdue = true"),
            "filter: negation is not supported (at position 1); use !=");
  EXPECT_EQ(FilterError("title:\"x\""),
            "filter: the has operator ':' is not supported; title takes =, !=");
  EXPECT_EQ(FilterError("year 2026"),
            "filter: expected an operator (=, !=, <, <=, >, >=) after 'year', got '2026'");
  EXPECT_EQ(FilterError("year ="), "filter: expected a value after 'year =' at position 7");
  EXPECT_EQ(FilterError("= 3"), "filter: expected a field name at position 1, got '='");
  EXPECT_EQ(FilterError(std::string(2001, ' ')), "filter: must be at most 2000 characters");
}

TEST(ListOrder, DefaultExplicitAndTieBreaker) {
  auto q = Parse(Cases(), {});
  ASSERT_TRUE(q.ok());
  Params p;
  EXPECT_EQ(q->OrderLimit(p), " ORDER BY submitted_at DESC, case_id DESC LIMIT $1::bigint");
  EXPECT_EQ(p.values(), std::vector<std::string>{"51"});
  EXPECT_EQ(q->CursorColumns(),
            ", (submitted_at)::text AS nrp_list_cursor_0, (case_id)::text AS nrp_list_cursor_1");
  EXPECT_EQ(q->canonical_order(), "submitted_at desc");

  q = Parse(Cases(), {.order_by = " year desc ,due_on", .page_size = 10});
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  Params p2;
  EXPECT_EQ(q->OrderLimit(p2), " ORDER BY year DESC, due_on ASC, case_id ASC LIMIT $1::bigint");
  EXPECT_EQ(p2.values(), std::vector<std::string>{"11"});
  EXPECT_EQ(q->canonical_order(), "year desc, due_on asc");
  EXPECT_EQ(Parse(Cases(), {.order_by = "year asc"})->canonical_order(), "year asc");

  Spec ascending = Cases();
  ascending.id_ascending = true;
  Params p3;
  EXPECT_EQ(Parse(ascending, {})->OrderLimit(p3),
            " ORDER BY submitted_at DESC, case_id ASC LIMIT $1::bigint");
}

TEST(ListOrder, Refusals) {
  auto error = [](const std::string& order_by) {
    auto q = Parse(Cases(), {.order_by = order_by});
    return q.ok() ? std::string("accepted") : q.error().message();
  };
  EXPECT_EQ(error("title"),
            "order_by: cannot order by 'title'; orderable: submitted_at, due_on, year");
  EXPECT_EQ(error("year up"), "order_by: after 'year' expected asc, desc or a comma, got 'up'");
  EXPECT_EQ(error("year desc nulls"), "order_by: after 'year desc' expected a comma, got 'nulls'");
  EXPECT_EQ(error("year, year desc"), "order_by: 'year' appears twice");
  EXPECT_EQ(error("year,"), "order_by: expected a field name in '' (write `field [asc|desc], …`)");
}

TEST(ListPage, SizeRules) {
  EXPECT_EQ(Parse(Cases(), {})->page_size(), kDefaultPageSize);
  EXPECT_EQ(Parse(Cases(), {.page_size = 7})->page_size(), 7);
  EXPECT_EQ(Parse(Cases(), {.page_size = 5000})->page_size(), kMaxPageSize);
  auto bad = Parse(Cases(), {.page_size = -1});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "page_size: must not be negative");
}

TEST(ListToken, RoundTripPutsTheCursorInParameters) {
  Request first{.filter = "state = CASE_STATE_OPEN", .order_by = "year desc, due_on"};
  auto q = Parse(Cases(), first);
  ASSERT_TRUE(q.ok());
  std::string token = q->TokenAfter({"2026", std::nullopt, "case-7"});
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  Request next = first;
  next.page_token = token;
  next.filter = "state=CASE_STATE_OPEN";  // the same filter written differently
  auto q2 = Parse(Cases(), next);
  ASSERT_TRUE(q2.ok()) << q2.error().ToString();
  std::vector<std::string> values;
  // year desc = 2026, due_on asc IS NULL (nothing sorts after NULL ascending), case_id asc.
  EXPECT_EQ(Where(*q2, &values),
            " AND state = $1::integer AND ((year < $2::bigint) OR (year = $3::bigint AND due_on "
            "IS NULL AND case_id > $4::text))");
  EXPECT_EQ(values, (std::vector<std::string>{"1", "2026", "2026", "case-7"}));

  auto q3 = Parse(
      Cases(),
      {.order_by = "due_on desc",
       .page_token =
           Parse(Cases(), {.order_by = "due_on desc"})->TokenAfter({"2026-10-01", "case|\n\"x"})});
  ASSERT_TRUE(q3.ok()) << q3.error().ToString();
  EXPECT_EQ(Where(*q3, &values),
            " AND ((due_on < $1::date) OR (due_on = $2::date AND case_id < $3::text))");
  EXPECT_EQ(values, (std::vector<std::string>{"2026-10-01", "2026-10-01", "case|\n\"x"}));

  auto q4 = Parse(
      Cases(),
      {.order_by = "due_on",
       .page_token = Parse(Cases(), {.order_by = "due_on"})->TokenAfter({"2026-10-01", "c"})});
  ASSERT_TRUE(q4.ok());
  EXPECT_EQ(Where(*q4, &values),
            " AND (((due_on > $1::date OR due_on IS NULL)) OR (due_on = $2::date AND case_id > "
            "$3::text))");
}

TEST(ListToken, BoundToTheFilterOrderAndParent) {
  Request first{.filter = "year = 2026", .order_by = "year", .parent = "offer-1"};
  std::string token = Parse(Cases(), first)->TokenAfter({"2026", "c"});
  const std::string other =
      "page_token: was issued for another filter or order_by; send the same filter and order_by "
      "as for the first page, or start again without a page_token";
  Request r = first;
  r.page_token = token;
  EXPECT_TRUE(Parse(Cases(), r).ok());
  r.filter = "year = 2027";
  EXPECT_EQ(Parse(Cases(), r).error().message(), other);
  r = first;
  r.page_token = token;
  r.order_by = "year desc";
  EXPECT_EQ(Parse(Cases(), r).error().message(), other);
  r = first;
  r.page_token = token;
  r.parent = "offer-2";
  EXPECT_EQ(Parse(Cases(), r).error().message(), other);
  Spec renamed = Cases();
  renamed.name = "test.ListOtherCases";
  r = first;
  r.page_token = token;
  EXPECT_EQ(Parse(renamed, r).error().message(), other);
  // A page size may change from page to page.
  r = first;
  r.page_token = token;
  r.page_size = 3;
  EXPECT_TRUE(Parse(Cases(), r).ok());
}

TEST(ListToken, EarlierFormatsAndForgeriesAreRefused) {
  const std::string earlier =
      "page_token: issued by an earlier version of the service; start again from the first page "
      "(no page_token)";
  const std::string foreign = "page_token: is not a token this service issued";
  auto error = [](const std::string& token) {
    auto q = Parse(Cases(), {.page_token = token});
    return q.ok() ? std::string("accepted") : q.error().message();
  };
  EXPECT_EQ(error("v1.50"), earlier);                                 // land supply's offsets
  EXPECT_EQ(error("bzo1MA=="), earlier);                              // registration's "o:50"
  EXPECT_EQ(error(rpc::Base64UrlEncode("p1:410300|plan")), earlier);  // planning's keys
  EXPECT_EQ(error("not a token"), foreign);
  EXPECT_EQ(error(rpc::Base64UrlEncode("nrp.list.v2\nffff\n1\n+YQ\n000000000000")), foreign);
  std::string good = Parse(Cases(), {})->TokenAfter({"2026-09-01 00:00:00+00", "c"});
  EXPECT_EQ(error(good), "accepted");
  auto raw = rpc::Base64UrlDecode(good);
  ASSERT_TRUE(raw.ok());
  std::string tampered = *raw;
  tampered[tampered.find('+') + 2] ^= 1;  // one value changed, checksum kept
  EXPECT_EQ(error(rpc::Base64UrlEncode(tampered)), foreign);
  // A NULL for a key that cannot be NULL.
  EXPECT_EQ(error(Parse(Cases(), {})->TokenAfter({std::nullopt, "c"})), foreign);
}

TEST(ListEnum, FromAProtobufDescriptor) {
  auto all = EnumOf(google::protobuf::FieldDescriptorProto_Label_descriptor());
  EXPECT_EQ(all.name, "Label");
  EXPECT_EQ(all.values.at("LABEL_REPEATED"), 3);
  auto t = EnumOf(google::protobuf::FieldDescriptorProto_Type_descriptor(), false);
  EXPECT_EQ(t.values.at("TYPE_DOUBLE"), 1);
  EXPECT_EQ(t.values.size(), 18u);
}

}  // namespace
}  // namespace nrp::list
