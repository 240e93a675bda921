// W3C trace context: parsing, continuing a trace with a span of one's own, and the context in
// force on a thread.
#include "nrp/core/trace.h"

#include <gtest/gtest.h>

#include <regex>
#include <thread>

namespace nrp::trace {
namespace {

constexpr char kParent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(Trace, ParsesW3cTraceparent) {
  EXPECT_EQ(TraceIdOf(kParent), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(TraceIdOf("00-00000000000000000000000000000000-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(TraceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"), "");
  EXPECT_EQ(TraceIdOf("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(TraceIdOf("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(TraceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x"), "");
  // A later version may append fields.
  EXPECT_EQ(TraceIdOf("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future"),
            "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(TraceIdOf("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01future"), "");
  EXPECT_EQ(TraceIdOf("garbage"), "");
  EXPECT_EQ(TraceIdOf(""), "");
  EXPECT_TRUE(IsValidTraceparent(kParent));
  EXPECT_FALSE(IsValidTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"));
}

TEST(Trace, IdsAreRandomHexNeverZero) {
  std::string a = NewTraceId(), b = NewTraceId();
  EXPECT_TRUE(std::regex_match(a, std::regex("[0-9a-f]{32}"))) << a;
  EXPECT_NE(a, b);
  EXPECT_TRUE(std::regex_match(NewSpanId(), std::regex("[0-9a-f]{16}")));
}

TEST(Trace, ContinuingKeepsTheTraceAndFlagsWithASpanOfItsOwn) {
  std::string child = Continue(kParent);
  ASSERT_TRUE(IsValidTraceparent(child)) << child;
  EXPECT_EQ(TraceIdOf(child), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(child.substr(36, 16), "00f067aa0ba902b7");
  EXPECT_EQ(child.substr(53), "01");
  EXPECT_EQ(Continue("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").substr(53), "00");
  // No valid parent: the given trace id, else a new trace; sampled.
  std::string own = Continue("garbage", "0af7651916cd43dd8448eb211c80319c");
  EXPECT_TRUE(std::regex_match(own, std::regex("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01")))
      << own;
  std::string fresh = Continue("", "not an id");
  EXPECT_TRUE(IsValidTraceparent(fresh)) << fresh;
  EXPECT_NE(TraceIdOf(fresh), TraceIdOf(Continue("")));
}

TEST(Trace, AScopeHoldsForItsThreadAndRestoresThePrevious) {
  EXPECT_EQ(Current(), "");
  {
    Scope outer(kParent);
    EXPECT_EQ(Current(), kParent);
    std::string seen_elsewhere = "unset";
    std::thread([&] { seen_elsewhere = Current(); }).join();
    EXPECT_EQ(seen_elsewhere, "");
    {
      std::string inner_tp = Continue(kParent);
      Scope inner(inner_tp);
      EXPECT_EQ(Current(), inner_tp);
    }
    EXPECT_EQ(Current(), kParent);
  }
  EXPECT_EQ(Current(), "");
}

}  // namespace
}  // namespace nrp::trace
