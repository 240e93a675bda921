// The working-day calendar of a running service: loaded, reloaded when the folder changes or
// on SIGHUP, kept when a new file is broken, its years in metrics, a daily warning while a
// year within 90 days is provisional.
#include "nrp/service/calendar_source.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>

#include "nrp/core/log.h"
#include "nrp/metrics/metrics.h"
#include "nrp/testing/calendar_folder.h"

namespace nrp::service {
namespace {

using namespace std::chrono_literals;

TimePoint ChinaNoon(int y, unsigned m, unsigned d) {
  return TimePoint(std::chrono::sys_days(Date(y, m, d).sys_days()) + 4h);
}

constexpr char k2027[] =
    "# Test data, not an official arrangement.\nyear 2027\nholiday 2027-02-05..2027-02-11 春节\n";

class CalendarSourceTest : public ::testing::Test {
 protected:
  std::shared_ptr<CalendarSource> Open(std::chrono::milliseconds poll = 1h,
                                       std::string service = "cal-test") {
    CalendarSourceOptions o;
    o.dir = folder_.dir();
    o.poll = poll;
    o.service = std::move(service);
    auto s = CalendarSource::Open(o, clock_);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return s.ok() ? *s : nullptr;
  }
  nrp::testing::CalendarFolder folder_;
  ManualClock clock_{ChinaNoon(2026, 12, 1)};
};

TEST_F(CalendarSourceTest, ANewOfficialFileReplacesTheProvisionalYear) {
  auto source = Open();
  auto before = source->Current();
  EXPECT_TRUE(before->IsOfficial(2026));
  EXPECT_FALSE(before->IsOfficial(2027));
  EXPECT_TRUE(before->Covers(2036));
  EXPECT_FALSE(before->Covers(2037));
  EXPECT_EQ(source->Describe(), "official 2025-2026; provisional 2027-2036");
  std::vector<bool> changes;  // whether 2027 was official, at each change
  source->OnChange([&](const WorkingCalendar& cal) { changes.push_back(cal.IsOfficial(2027)); });
  // Nothing changed: nothing reloaded.
  EXPECT_FALSE(*source->Refresh());
  const uint64_t generation = source->generation();

  folder_.Write("CN-2027.cal", k2027);
  EXPECT_TRUE(*source->Refresh());
  EXPECT_EQ(changes, std::vector<bool>{true});
  EXPECT_EQ(source->generation(), generation + 1);
  EXPECT_TRUE(source->Current()->IsOfficial(2027));
  EXPECT_EQ(source->Describe(), "official 2025-2027; provisional 2028-2036");
  // The caller that took the calendar before keeps a consistent one.
  EXPECT_FALSE(before->IsOfficial(2027));
  // Removing the file makes the year provisional again.
  folder_.Remove("CN-2027.cal");
  EXPECT_TRUE(*source->Refresh());
  EXPECT_FALSE(source->Current()->IsOfficial(2027));
  EXPECT_EQ(changes, (std::vector<bool>{true, false}));
}

TEST_F(CalendarSourceTest, ABrokenFileKeepsTheCalendarInForceAndSaysWhy) {
  auto source = Open();
  folder_.Write("CN-2027.cal", "year 2027\nholiday 2027-13-01 bad\n");
  auto r = source->Refresh();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
  EXPECT_NE(r.error().message().find("CN-2027.cal:2: bad date '2027-13-01'"), std::string::npos)
      << r.error().message();
  EXPECT_TRUE(source->Current()->Covers(2027));
  EXPECT_FALSE(source->Current()->IsOfficial(2027));
  const std::string metrics = metrics::Registry::Default().Render();
  EXPECT_NE(metrics.find("nrp_calendar_load_errors_total{service=\"cal-test\"}"),
            std::string::npos);
  // Fixed, it loads.
  folder_.Write("CN-2027.cal", k2027);
  EXPECT_TRUE(*source->Refresh());
  EXPECT_TRUE(source->Current()->IsOfficial(2027));
}

TEST_F(CalendarSourceTest, AFolderThatDoesNotLoadAtStartIsRefused) {
  folder_.Write("CN-2027.cal", "year 2027\nyear 2027\n");
  CalendarSourceOptions o;
  o.dir = folder_.dir();
  auto s = CalendarSource::Open(o, clock_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("year declared twice"), std::string::npos);
}

TEST_F(CalendarSourceTest, TheFolderIsPolledAndSighupReloadsAtOnce) {
  auto polled = Open(/*poll=*/0ms);
  folder_.Write("CN-2027.cal", k2027);
  polled->Tick();
  EXPECT_TRUE(polled->Current()->IsOfficial(2027));

  folder_.Remove("CN-2027.cal");
  auto signalled = Open(/*poll=*/24h);
  EXPECT_FALSE(signalled->Current()->IsOfficial(2027));
  folder_.Write("CN-2027.cal", k2027);
  signalled->Tick();  // within the poll interval: not read yet
  EXPECT_FALSE(signalled->Current()->IsOfficial(2027));
  CalendarSource::InstallReloadSignal();
  ASSERT_EQ(std::raise(SIGHUP), 0);
  signalled->Tick();
  EXPECT_TRUE(signalled->Current()->IsOfficial(2027));
}

TEST_F(CalendarSourceTest, TheHorizonMovesWithTheYear) {
  auto source = Open();
  EXPECT_FALSE(source->Current()->Covers(2037));
  clock_.Set(ChinaNoon(2027, 1, 1));
  source->Tick();
  EXPECT_TRUE(source->Current()->Covers(2037));
  EXPECT_FALSE(source->Current()->Covers(2038));
}

TEST_F(CalendarSourceTest, MetricsShowEachYearOfficialOrProvisional) {
  auto source = Open(1h, "cal-metrics");
  std::string m = metrics::Registry::Default().Render();
  EXPECT_NE(
      m.find("nrp_calendar_year{service=\"cal-metrics\",year=\"2026\",status=\"official\"} 1"),
      std::string::npos)
      << m;
  EXPECT_NE(
      m.find("nrp_calendar_year{service=\"cal-metrics\",year=\"2027\",status=\"provisional\"} 1"),
      std::string::npos);
  folder_.Write("CN-2027.cal", k2027);
  ASSERT_TRUE(*source->Refresh());
  m = metrics::Registry::Default().Render();
  EXPECT_NE(
      m.find("nrp_calendar_year{service=\"cal-metrics\",year=\"2027\",status=\"official\"} 1"),
      std::string::npos);
  EXPECT_NE(
      m.find("nrp_calendar_year{service=\"cal-metrics\",year=\"2027\",status=\"provisional\"} 0"),
      std::string::npos);
}

TEST_F(CalendarSourceTest, OneWarningADayWhileAProvisionalYearIsWithinNinetyDays) {
  std::ostringstream out;
  log::Configure("cal-test", log::Level::kInfo, &out);
  auto count = [&] {
    const std::string text = out.str();
    int n = 0;
    for (size_t at = text.find("is provisional for a year within 90 days"); at != std::string::npos;
         at = text.find("is provisional for a year within 90 days", at + 1)) {
      ++n;
    }
    return n;
  };
  // 1 June 2026: 2027 is more than 90 days away.
  clock_.Set(ChinaNoon(2026, 6, 1));
  auto source = Open();
  source->Tick();
  EXPECT_EQ(count(), 0);
  // 3 October 2026 + 90 days reaches 2027: one warning that day, however often it ticks.
  clock_.Set(ChinaNoon(2026, 10, 3));
  source->Tick();
  source->Tick();
  EXPECT_EQ(count(), 1);
  EXPECT_NE(out.str().find("\"provisional_years\":\"2027\""), std::string::npos) << out.str();
  // The next day, once more.
  clock_.Set(ChinaNoon(2026, 10, 4));
  source->Tick();
  EXPECT_EQ(count(), 2);
  // Once the official year is in, no more.
  folder_.Write("CN-2027.cal", k2027);
  ASSERT_TRUE(*source->Refresh());
  clock_.Set(ChinaNoon(2026, 10, 5));
  source->Tick();
  EXPECT_EQ(count(), 2);
  log::Configure("nrp", log::Level::kInfo, nullptr);
}

}  // namespace
}  // namespace nrp::service
