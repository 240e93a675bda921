#include "nrp/core/config.h"

#include <gtest/gtest.h>

namespace nrp {
namespace {

TEST(Env, TypedDefaultsWhenUnset) {
  Env env(std::map<std::string, std::string>{});
  EXPECT_EQ(env.Int("NRP_GRPC_PORT", 50051, 1, 65535), 50051);
  EXPECT_EQ(env.String("NRP_REGION", "410300"), "410300");
  EXPECT_TRUE(env.Bool("NRP_TLS", true));
  EXPECT_EQ(env.Duration("NRP_TIMEOUT", std::chrono::seconds(2)).count(), 2000);
  EXPECT_TRUE(env.Check().ok());
}

TEST(Env, ParsesValues) {
  Env env({{"NRP_GRPC_PORT", " 7000 "}, {"NRP_TLS", "off"}, {"NRP_TIMEOUT", "5s"},
           {"NRP_LIST", "a, b,,c"}, {"NRP_MODE", "jwt"}, {"NRP_RATIO", "0.25"}});
  EXPECT_EQ(env.Int("NRP_GRPC_PORT", 1, 1, 65535), 7000);
  EXPECT_FALSE(env.Bool("NRP_TLS", true));
  EXPECT_EQ(env.Duration("NRP_TIMEOUT", std::chrono::seconds(1)).count(), 5000);
  EXPECT_EQ(env.List("NRP_LIST", {}), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(env.OneOf("NRP_MODE", "static", {"static", "jwt"}), "jwt");
  EXPECT_DOUBLE_EQ(env.Double("NRP_RATIO", 1, 0, 1), 0.25);
  EXPECT_TRUE(env.Check().ok());
}

TEST(Env, EveryBadVariableIsNamed) {
  Env env({{"NRP_GRPC_PORT", "abc"}, {"NRP_TLS", "maybe"}, {"NRP_TIMEOUT", "5 parsecs"},
           {"NRP_MODE", "ldap"}});
  env.Int("NRP_GRPC_PORT", 50051, 1, 65535);
  env.Bool("NRP_TLS", false);
  env.Duration("NRP_TIMEOUT", std::chrono::seconds(1));
  env.OneOf("NRP_MODE", "static", {"static", "jwt"});
  env.Required("NRP_DB_URL");
  auto s = env.Check();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), Code::kInvalidArgument);
  EXPECT_EQ(s.error().message(),
            "invalid configuration: NRP_GRPC_PORT: expected an integer in 1..65535, got 'abc'; "
            "NRP_TLS: expected true or false, got 'maybe'; NRP_TIMEOUT: expected a duration such "
            "as 250ms, 5s, 2m or 1h, got '5 parsecs'; NRP_MODE: expected one of static, jwt, got "
            "'ldap'; NRP_DB_URL: is required but not set");
  ASSERT_EQ(s.error().field_violations().size(), 5u);
  EXPECT_EQ(s.error().field_violations()[0].field, "NRP_GRPC_PORT");
}

TEST(Env, OutOfRangeInteger) {
  Env env(std::map<std::string, std::string>{{"NRP_POOL_SIZE", "0"}});
  EXPECT_EQ(env.Int("NRP_POOL_SIZE", 8, 1, 256), 8);
  EXPECT_FALSE(env.Check().ok());
}

}  // namespace
}  // namespace nrp
