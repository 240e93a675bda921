// Page walks on a real PostgreSQL: every ordering of a table full of ties and
// NULLs, page by page, gives the rows of one big page, none skipped or repeated.
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <set>

#include "nrp/list/list.h"
#include "nrp/testing/infra.h"

namespace nrp::list {
namespace {

const Spec& Items() {
  static const Spec spec = {
      .name = "test.ListItems",
      .fields = {{.name = "grp", .sql = "grp", .type = Type::kInt},
                 {.name = "label", .sql = "label", .prefix = true},
                 {.name = "due", .sql = "due", .type = Type::kDate}},
      .orders = {{"grp", {{"grp", Type::kInt}}},
                 {"due", {{"due", Type::kDate, /*nullable=*/true}}},
                 {"at", {{"at", Type::kTimestamp}}},
                 {"label", {{"label", Type::kText}}},
                 {"weight", {{"weight", Type::kDouble, /*nullable=*/true}}}},
      .default_order = "at desc",
      .id = {"id", Type::kText},
  };
  return spec;
}

class ListDb : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = std::make_unique<pqxx::connection>(db_.conninfo());
    pqxx::work w(*conn_);
    w.exec(
        "CREATE TABLE items (id text PRIMARY KEY, grp int NOT NULL, due date, at timestamptz NOT "
        "NULL, label text NOT NULL, weight double precision)");
    // 61 rows: grp takes 4 values, due is NULL for a third, at repeats every 5
    // rows (with microseconds), label has prefixes, weight is NULL or a fraction.
    w.exec(
        "INSERT INTO items SELECT 'item-' || lpad(n::text, 3, '0'), n % 4, CASE WHEN n % 3 = 0 "
        "THEN NULL ELSE date '2026-01-01' + (n % 7) END, timestamptz '2026-09-01 "
        "08:00:00.123456+08' "
        "+ (n % 5) * interval '1 microsecond', CASE WHEN n % 2 = 0 THEN '4103' ELSE '4102' END || "
        "(n % 3)::text, CASE WHEN n % 4 = 1 THEN NULL ELSE 1.0 / (n % 6 + 1) END FROM "
        "generate_series(1, 61) n");
    w.commit();
  }

  // One request's pages, following next_page_token until the end.
  std::vector<std::string> Walk(Request r, int* pages) {
    std::vector<std::string> ids;
    *pages = 0;
    while (true) {
      auto q = Parse(Items(), r);
      EXPECT_TRUE(q.ok()) << q.error().ToString();
      if (!q.ok()) return ids;
      Params p;
      std::string sql = "SELECT id" + q->CursorColumns() + " FROM items WHERE true" + q->Where(p) +
                        q->OrderLimit(p);
      pqxx::work w(*conn_);
      auto page = q->Collect(p.Exec(w, sql),
                             [](const pqxx::row& row) { return std::string(row[0].c_str()); });
      EXPECT_TRUE(page.ok());
      ++*pages;
      for (auto& id : page->items) ids.push_back(id);
      if (page->next_page_token.empty() || *pages > 100) return ids;
      r.page_token = page->next_page_token;
    }
  }

  testing::TestDatabase db_;
  std::unique_ptr<pqxx::connection> conn_;
};

TEST_F(ListDb, PageWalksWithTiesNeitherSkipNorRepeat) {
  for (std::string order :
       {"", "at", "grp", "grp desc", "grp, due", "grp desc, due desc", "due", "due desc, at",
        "label desc, weight", "weight desc", "weight, grp desc, due"}) {
    for (std::string filter : {"", "grp != 2", "label = \"4103\" AND due >= 2026-01-03"}) {
      int pages = 0;
      std::vector<std::string> all =
          Walk({.filter = filter, .order_by = order, .page_size = 1000}, &pages);
      ASSERT_EQ(pages, 1);
      std::vector<std::string> walked =
          Walk({.filter = filter, .order_by = order, .page_size = 4}, &pages);
      EXPECT_EQ(walked, all) << "order_by '" << order << "', filter '" << filter << "'";
      EXPECT_EQ(pages, static_cast<int>((all.size() + 3) / 4)) << order;
      EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), walked.size());
    }
  }
  int pages = 0;
  EXPECT_EQ(Walk({.page_size = 1000}, &pages).size(), 61u);
  EXPECT_EQ(Walk({.filter = "grp != 2", .page_size = 1000}, &pages).size(), 46u);
  EXPECT_EQ(Walk({.filter = "label = \"4103\"", .page_size = 1000}, &pages).size(), 30u);
}

TEST_F(ListDb, OrderingFollowsTheKeysWithTheIdLast) {
  int pages = 0;
  auto ids = Walk({.filter = "grp = 1", .order_by = "at desc", .page_size = 3}, &pages);
  pqxx::work w(*conn_);
  auto expected = w.exec("SELECT id FROM items WHERE grp = 1 ORDER BY at DESC, id DESC");
  ASSERT_EQ(ids.size(), expected.size());
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], expected[i][0].c_str());
}

}  // namespace
}  // namespace nrp::list
