#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <sstream>

#include "nrp/core/clock.h"
#include "nrp/core/log.h"
#include "nrp/core/uuid.h"

namespace nrp {
namespace {

TEST(Rfc3339, RoundTripAndOffsets) {
  auto t = ParseRfc3339("2026-11-22T17:40:01.123Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatRfc3339(*t), "2026-11-22T17:40:01.123Z");
  auto shanghai = ParseRfc3339("2026-11-23T01:40:01.123+08:00");
  ASSERT_TRUE(shanghai.ok());
  EXPECT_EQ(*shanghai, *t);
  EXPECT_FALSE(ParseRfc3339("2026-11-22 17:40").ok());
  EXPECT_FALSE(ParseRfc3339("2026-11-22T17:40:01").ok());
  EXPECT_FALSE(ParseRfc3339("2026-02-30T00:00:00Z").ok());
}

TEST(ManualClock, AdvancesOnlyWhenTold) {
  ManualClock clock(*ParseRfc3339("2025-01-01T00:00:00Z"));
  clock.Advance(std::chrono::hours(24 * 365));
  EXPECT_EQ(FormatRfc3339(clock.Now()), "2026-01-01T00:00:00.000Z");
}

TEST(ProcessClock, ShiftedOnlyByAWholeNumberOfSecondsWithinFiftyYears) {
  ::unsetenv("NRP_CLOCK_OFFSET_SECONDS");
  auto unset = ProcessClockFromEnvironment();
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(*unset, &SystemClock::Instance());
  for (const char* bad : {"tomorrow", "86400s", "1.5", "", "9999999999999"}) {
    ::setenv("NRP_CLOCK_OFFSET_SECONDS", bad, 1);
    auto r = ProcessClockFromEnvironment();
    if (std::string(bad).empty()) {
      EXPECT_TRUE(r.ok());  // empty is unset
      continue;
    }
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), Code::kInvalidArgument);
    EXPECT_EQ(
        r.error().message(),
        std::string("NRP_CLOCK_OFFSET_SECONDS: expected whole seconds within ±50 years, got '") +
            bad + "'");
  }
  ::setenv("NRP_CLOCK_OFFSET_SECONDS", "86400", 1);
  auto shifted = ProcessClockFromEnvironment();
  ASSERT_TRUE(shifted.ok());
  const auto ahead = (*shifted)->Now() - std::chrono::system_clock::now();
  EXPECT_GT(ahead, std::chrono::hours(23));
  EXPECT_LT(ahead, std::chrono::hours(25));
  ::unsetenv("NRP_CLOCK_OFFSET_SECONDS");
}

TEST(Uuid, FormsAndUniqueness) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto a = NewUuidV4();
    auto b = NewUuidV7();
    EXPECT_TRUE(IsUuid(a));
    EXPECT_TRUE(IsUuid(b));
    EXPECT_EQ(a[14], '4');
    EXPECT_EQ(b[14], '7');
    seen.insert(a);
    seen.insert(b);
  }
  EXPECT_EQ(seen.size(), 2000u);
  EXPECT_FALSE(IsUuid("not-a-uuid"));
}

TEST(Log, OneJsonObjectPerLineWithContext) {
  std::ostringstream out;
  log::Configure("registration", log::Level::kInfo, &out);
  {
    log::ScopedContext ctx({{"trace_id", "abc"}, {"region", "410300"}});
    log::Info("case recorded", {{"case_id", "c-1"}, {"entries", 2}, {"quote", "a\"b\n"}});
  }
  log::Debug("hidden");
  log::Warn("after");
  log::Configure("nrp", log::Level::kInfo, nullptr);
  std::string s = out.str();
  auto nl = s.find('\n');
  std::string first = s.substr(0, nl);
  EXPECT_NE(first.find("\"service\":\"registration\""), std::string::npos);
  EXPECT_NE(first.find("\"msg\":\"case recorded\",\"trace_id\":\"abc\",\"region\":\"410300\","
                       "\"case_id\":\"c-1\",\"entries\":2,\"quote\":\"a\\\"b\\n\""),
            std::string::npos);
  std::string second = s.substr(nl + 1);
  EXPECT_EQ(second.find("trace_id"), std::string::npos);
  EXPECT_EQ(s.find("hidden"), std::string::npos);
}

TEST(Log, MasksIdNumbers) {
  EXPECT_EQ(log::MaskIdNumber("410302199001011234"), "410302********1234");
  EXPECT_EQ(log::MaskIdNumber("12345"), "*****");
}

}  // namespace
}  // namespace nrp
