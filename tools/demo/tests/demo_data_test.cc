// The demo data set reads, keeps its rules and sits where the five plans are.
#include "demo_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "loader.h"

namespace nrp::demo {
namespace {

const DemoData& Data() {
  static const DemoData data = [] {
    auto d = LoadDemoData(NRP_DEMO_DATA_DIR);
    EXPECT_TRUE(d.ok()) << d.error().ToString();
    return d.ok() ? *d : DemoData{};
  }();
  return data;
}

// Every vertex of a GeoJSON polygon text, as (lon, lat).
std::vector<std::pair<double, double>> Vertices(const std::string& geojson) {
  std::vector<std::pair<double, double>> out;
  auto j = nlohmann::json::parse(geojson);
  for (const auto& ring : j["coordinates"]) {
    EXPECT_EQ(ring.front(), ring.back()) << "ring not closed: " << geojson;
    EXPECT_GE(ring.size(), 4u);
    for (const auto& p : ring) out.emplace_back(p[0].get<double>(), p[1].get<double>());
  }
  return out;
}

bool CreditCodeValid(const std::string& code) {
  static const std::string kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  if (code.size() != 18) return false;
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    auto at = kChars.find(code[i]);
    if (at == std::string::npos) return false;
    sum += static_cast<int>(at) * kWeights[i];
  }
  return code[17] == kChars[(31 - sum % 31) % 31];
}

TEST(DemoData, TheFiveJurisdictionsOfThePlansAreThere) {
  std::map<std::string, std::string> plans;
  for (const auto& j : Data().jurisdictions) plans[j.region_code] = j.reference_plan_id;
  EXPECT_EQ(plans, (std::map<std::string, std::string>{{"140000", "140000-2021-2025"},
                                                       {"220000", "220000-2021-2025"},
                                                       {"410200", "410200-2021-2025"},
                                                       {"410300", "410300-2021-2025"},
                                                       {"640300", "640300-2021-2025"}}));
  EXPECT_TRUE(CheckDemoData(Data()).empty());
}

TEST(DemoData, GeometryLiesAtTheRealPlacesAndIsSmall) {
  // Where each plan's jurisdiction is (lon, lat) and how far the synthetic data may reach.
  const std::map<std::string, std::pair<double, double>> centre = {{"410300", {112.45, 34.62}},
                                                                   {"410200", {114.35, 34.80}},
                                                                   {"220000", {125.3, 43.9}},
                                                                   {"640300", {106.2, 37.99}},
                                                                   {"140000", {112.55, 37.87}}};
  const std::map<std::string, double> reach = {
      {"410300", 1.2}, {"410200", 0.6}, {"220000", 5.5}, {"640300", 1.0}, {"140000", 3.0}};
  for (const auto& j : Data().jurisdictions) {
    auto [lon0, lat0] = centre.at(j.region_code);
    const double r = reach.at(j.region_code);
    for (const auto& l : j.layers) {
      ASSERT_FALSE(l.versions.empty()) << j.name;
      for (const auto& v : l.versions) {
        ASSERT_FALSE(v.zones.empty()) << v.file;
        for (const auto& z : v.zones) {
          auto vs = Vertices(z.geometry().text());
          EXPECT_LE(vs.size(), 20u) << z.zone_id();
          for (auto [lon, lat] : vs) {
            EXPECT_LT(std::fabs(lon - lon0), r) << z.zone_id();
            EXPECT_LT(std::fabs(lat - lat0), r) << z.zone_id();
          }
        }
      }
    }
    for (const auto& p : j.parcels) {
      for (auto [lon, lat] : Vertices(p.input.geometry().text())) {
        EXPECT_LT(std::fabs(lon - lon0), 0.5) << p.input.parcel_code();
        EXPECT_LT(std::fabs(lat - lat0), 0.5) << p.input.parcel_code();
      }
    }
    for (const auto& m : j.mines) {
      const auto& g = m.is_right() ? m.right.geometry() : m.offer.geometry();
      for (auto [lon, lat] : Vertices(g.text())) {
        EXPECT_LT(std::fabs(lon - lon0), r) << m.key;
        EXPECT_LT(std::fabs(lat - lat0), r) << m.key;
      }
    }
  }
}

TEST(DemoData, PartiesCarryValidCreditCodes) {
  int parties = 0;
  for (const auto& j : Data().jurisdictions) {
    for (const auto& p : j.parcels) {
      if (!p.supply) continue;
      for (const auto& b : p.supply->bidders) {
        EXPECT_TRUE(CreditCodeValid(b.id_number())) << b.name() << " " << b.id_number();
        ++parties;
      }
      if (p.supply->agreed_grantee) {
        EXPECT_TRUE(CreditCodeValid(p.supply->agreed_grantee->id_number()))
            << p.supply->agreed_grantee->name();
        ++parties;
      }
    }
  }
  EXPECT_GT(parties, 10);
  int holders = 0;
  for (const auto& j : Data().jurisdictions) {
    for (const auto& m : j.mines) {
      if (m.is_right()) {
        EXPECT_TRUE(CreditCodeValid(m.right.holder().id_number())) << m.key;
        ++holders;
      }
      for (const auto& b : m.bidders) {
        EXPECT_TRUE(CreditCodeValid(b.id_number())) << m.key << " " << b.name();
        ++holders;
      }
    }
  }
  EXPECT_GE(holders, 7);
}

TEST(DemoData, TheMinesTellEveryStoryInLuoyangAndShanxi) {
  std::map<std::string, std::set<MineStory>> stories;
  std::set<size_t> number_lengths;
  bool clean_stone_listing = false, shanxi_coal = true;
  for (const auto& j : Data().jurisdictions) {
    for (const auto& m : j.mines) {
      stories[j.region_code].insert(m.story);
      if (m.is_right()) number_lengths.insert(m.right.licence_number().size());
      if (j.region_code == "140000") {
        shanxi_coal = shanxi_coal && m.right.main_mineral().code() == "10100";
      }
      if (m.story == MineStory::kOnNotice) {
        // Construction stone (建筑石料用灰岩, 建筑用花岗岩 in the service's table): clean, by
        // listing.
        const std::string& code = m.offer.main_mineral().code();
        clean_stone_listing = (code == "30500" || code == "30600") && m.offer.clean_grant() &&
                              m.offer.method() == mining_rights::v1::GRANT_METHOD_LISTING;
      }
    }
  }
  EXPECT_EQ(stories["410300"], (std::set<MineStory>{MineStory::kExisting, MineStory::kOnNotice,
                                                    MineStory::kOverlapRefused}));
  EXPECT_EQ(stories["140000"], (std::set<MineStory>{MineStory::kExtended, MineStory::kLapses}));
  EXPECT_EQ(number_lengths, (std::set<size_t>{18, 23})) << "current and older numbers";
  EXPECT_TRUE(clean_stone_listing);
  EXPECT_TRUE(shanxi_coal);
}

TEST(DemoData, AnExistingRightsValidityHasItsTermInWholeYearsOnAnyDay) {
  MineSpec m;
  // Four years of loading days, leap days included, with every term the law allows.
  for (Date today(2027, 1, 1); today < Date(2031, 1, 1); today = today.AddDays(1)) {
    for (int term : {1, 5, 10, 20, 30}) {
      for (int ends : {0, 45, 150, 4200}) {
        m.term_years = term;
        m.ends_in_days = ends;
        const Validity v = ValidityOn(m, today);
        ASSERT_EQ(v.to, today.AddDays(ends));
        // The service's count: the least N with from + N years on or after the last day.
        int years = 1;
        while (v.from.AddYears(years) < v.to) ++years;
        ASSERT_EQ(years, term) << today.ToString() << " " << v.from.ToString() << " to "
                               << v.to.ToString();
      }
    }
  }
}

TEST(DemoData, TheChecksCatchAMineWithoutWhatItsStoryNeeds) {
  auto problems_after = [](const std::function<void(MineSpec&)>& change, MineStory story) {
    DemoData broken = Data();
    for (auto& j : broken.jurisdictions) {
      for (auto& m : j.mines) {
        if (m.story == story) {
          change(m);
          return CheckDemoData(broken);
        }
      }
    }
    ADD_FAILURE() << "no mine of story " << MineStoryName(story);
    return std::vector<std::string>{};
  };
  auto lapses = problems_after([](MineSpec& m) { m.ends_in_days = 3; }, MineStory::kLapses);
  ASSERT_EQ(lapses.size(), 1u);
  EXPECT_NE(lapses[0].find("ends on the day of loading"), std::string::npos) << lapses[0];
  auto late = problems_after([](MineSpec& m) { m.ends_in_days = 20; }, MineStory::kExtended);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_NE(late[0].find("more than 30 days"), std::string::npos) << late[0];
  auto nothing = problems_after([](MineSpec& m) { m.overlaps = "C4100002021000000009999"; },
                                MineStory::kOverlapRefused);
  ASSERT_EQ(nothing.size(), 1u);
  EXPECT_NE(nothing[0].find("overlaps names no right"), std::string::npos) << nothing[0];
}

TEST(DemoData, EveryStoryOfTheDemoIsTold) {
  std::set<Story> stories;
  std::set<CaseTarget> cases;
  int sales = 0;
  for (const auto& j : Data().jurisdictions) {
    for (const auto& p : j.parcels) {
      stories.insert(p.story);
      cases.insert(p.registration);
      sales += p.supply && p.supply->competitive() && !p.supply->bids.empty();
    }
  }
  EXPECT_EQ(stories.size(), 6u);
  EXPECT_EQ(cases.size(), 5u);
  EXPECT_GE(sales, 5);
}

TEST(DemoData, TheChecksCatchABrokenSale) {
  DemoData broken = Data();
  for (auto& j : broken.jurisdictions) {
    for (auto& p : j.parcels) {
      if (p.supply && p.supply->competitive() && p.supply->bids.size() >= 2) {
        p.supply->bids[1].yuan = p.supply->bids[0].yuan;  // no increment
        auto problems = CheckDemoData(broken);
        ASSERT_FALSE(problems.empty());
        EXPECT_NE(problems[0].find("is below"), std::string::npos) << problems[0];
        return;
      }
    }
  }
  FAIL() << "no sale with two bids in the data";
}

TEST(DemoData, StepRequestIdsAreStableUuids) {
  std::string a = StepRequestId("parcel:410311003001GB00207");
  EXPECT_EQ(a, StepRequestId("parcel:410311003001GB00207"));
  EXPECT_NE(a, StepRequestId("parcel:410311003001GB00208"));
  EXPECT_TRUE(std::regex_match(
      a, std::regex("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")))
      << a;
}

}  // namespace
}  // namespace nrp::demo
