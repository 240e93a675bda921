// The demo data set reads, keeps its rules and sits where the five plans are.
#include "demo_data.h"

#include <gtest/gtest.h>

#include <cmath>
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
