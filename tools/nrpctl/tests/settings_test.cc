// Addresses, tokens, TLS and Kafka settings from flags, environment and the
// local stack's state folder.
#include "nrp/nrpctl/settings.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "nrp/core/uuid.h"

namespace nrp::nrpctl {
namespace {

class SettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("nrpctl-settings-" + NewUuidV4());
    std::filesystem::create_directories(dir_);
    ctx_.env = std::map<std::string, std::string>{};
    ctx_.local_state_dirs = std::vector<std::string>{(dir_ / "missing").string(), dir_.string()};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  GlobalOptions Options(std::vector<std::string> argv) {
    Command root("t", "t");
    root.Add("x", "x").Run([](Context&, const ParsedArgs&) { return 0; });
    argv.insert(argv.begin(), "x");
    auto parsed = Parse(root, GlobalFlags(), argv);
    EXPECT_TRUE(parsed.ok());
    auto o = ReadGlobalOptions(parsed.value());
    EXPECT_TRUE(o.ok()) << o.failure().error.message();
    return o.value();
  }
  Outcome<GlobalOptions> TryOptions(std::vector<std::string> argv) {
    Command root("t", "t");
    root.Add("x", "x").Run([](Context&, const ParsedArgs&) { return 0; });
    argv.insert(argv.begin(), "x");
    return ReadGlobalOptions(Parse(root, GlobalFlags(), argv).value());
  }

  std::filesystem::path dir_;
  Context ctx_;
};

TEST_F(SettingsTest, GlobalFlags) {
  GlobalOptions o = Options({"--timeout", "250ms", "--json", "--tls", "--addr", "10.0.0.5:443"});
  EXPECT_EQ(o.timeout, std::chrono::milliseconds(250));
  EXPECT_TRUE(o.timeout_given);
  EXPECT_TRUE(o.json);
  EXPECT_TRUE(o.tls);
  EXPECT_EQ(Options({}).timeout, std::chrono::seconds(10));
  EXPECT_FALSE(TryOptions({"--timeout", "0s"}).ok());
  EXPECT_FALSE(TryOptions({"--token", "a", "--token-file", "b"}).ok());
  EXPECT_FALSE(TryOptions({"--cert-file", "a"}).ok());
  auto addr = TryOptions({"--addr", "localhost"});
  ASSERT_FALSE(addr.ok());
  EXPECT_EQ(addr.failure().exit_code, kExitUsage);
}

TEST_F(SettingsTest, ServiceAddresses) {
  const ServiceInfo& planning = *FindService("planning");
  const ServiceInfo& registration = *FindService("registration");
  EXPECT_EQ(ServiceAddress(ctx_, Options({}), planning), "127.0.0.1:50055");
  EXPECT_EQ(ServiceAddress(ctx_, Options({}), registration), "127.0.0.1:50051");
  (*ctx_.env)["NRP_LOCAL_GRPC_BASE_PORT"] = "41000";
  EXPECT_EQ(ServiceAddress(ctx_, Options({}), planning), "127.0.0.1:41004");
  (*ctx_.env)["NRP_PLANNING_ADDR"] = "planning.nrp.internal:443";
  EXPECT_EQ(ServiceAddress(ctx_, Options({}), planning), "planning.nrp.internal:443");
  EXPECT_EQ(ServiceAddress(ctx_, Options({"--addr", "127.0.0.1:9"}), planning), "127.0.0.1:9");
  (*ctx_.env)["NRP_LAND_SUPPLY_ADDR"] = "ls:1";
  EXPECT_EQ(ServiceAddress(ctx_, Options({}), *FindService("land-supply")), "ls:1");
}

TEST_F(SettingsTest, TokenPrecedence) {
  // The table keeps the order it was written in: the first token is the operator's.
  Write("tokens.json",
        R"({"zz-operator": {"agency": "local-operator"}, "aa-other": {"agency": "x"}})");
  auto local = ChannelOptionsFor(ctx_, Options({}), "h:1");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local.value().bearer_token, "zz-operator");
  EXPECT_FALSE(local.value().tls);

  (*ctx_.env)["NRP_TOKEN"] = "from-env";
  EXPECT_EQ(ChannelOptionsFor(ctx_, Options({}), "h:1").value().bearer_token, "from-env");
  Write("token.txt", "from-file\n");
  EXPECT_EQ(ChannelOptionsFor(ctx_, Options({"--token-file", (dir_ / "token.txt").string()}), "h:1")
                .value()
                .bearer_token,
            "from-file");
  EXPECT_EQ(ChannelOptionsFor(ctx_, Options({"--token", "from-flag"}), "h:1").value().bearer_token,
            "from-flag");
  auto missing =
      ChannelOptionsFor(ctx_, Options({"--token-file", (dir_ / "nope").string()}), "h:1");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.failure().exit_code, kExitUsage);
}

TEST_F(SettingsTest, NoTokenWithoutALocalStack) {
  ctx_.local_state_dirs = std::vector<std::string>{(dir_ / "missing").string()};
  EXPECT_EQ(ChannelOptionsFor(ctx_, Options({}), "h:1").value().bearer_token, "");
  EXPECT_FALSE(LocalStackToken(ctx_).has_value());
}

TEST_F(SettingsTest, TlsFromFlagsAndEnvironment) {
  Write("ca.pem", "CA");
  Write("cert.pem", "CERT");
  Write("key.pem", "KEY");
  auto o = ChannelOptionsFor(
      ctx_,
      Options({"--ca-file", (dir_ / "ca.pem").string(), "--cert-file", (dir_ / "cert.pem").string(),
               "--key-file", (dir_ / "key.pem").string(), "--server-name", "planning.nrp"}),
      "h:1");
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o.value().tls);
  EXPECT_EQ(o.value().ca_pem, "CA");
  EXPECT_EQ(o.value().client_cert_pem, "CERT");
  EXPECT_EQ(o.value().client_key_pem, "KEY");
  EXPECT_EQ(o.value().server_name_override, "planning.nrp");
  (*ctx_.env)["NRP_CLIENT_TLS"] = "true";
  EXPECT_TRUE(ChannelOptionsFor(ctx_, Options({}), "h:1").value().tls);
}

TEST_F(SettingsTest, KafkaBootstrapPrecedence) {
  EXPECT_EQ(KafkaOptionsFor(ctx_, Options({})).value().bootstrap, "127.0.0.1:9092");
  Write("kafka.bootstrap", "127.0.0.1:39001,127.0.0.1:39002\n");
  EXPECT_EQ(KafkaOptionsFor(ctx_, Options({})).value().bootstrap,
            "127.0.0.1:39001,127.0.0.1:39002");
  (*ctx_.env)["NRP_KAFKA_BOOTSTRAP"] = "kafka-1:9093";
  EXPECT_EQ(KafkaOptionsFor(ctx_, Options({})).value().bootstrap, "kafka-1:9093");
  EXPECT_EQ(KafkaOptionsFor(ctx_, Options({"--bootstrap", "b:1"})).value().bootstrap, "b:1");
  (*ctx_.env)["NRP_KAFKA_PROPERTIES"] = "security.protocol=ssl";
  EXPECT_EQ(KafkaOptionsFor(ctx_, Options({})).value().properties.at("security.protocol"), "ssl");
  EXPECT_EQ(KafkaOptionsFor(ctx_, Options({})).value().client_id, "nrpctl");
}

}  // namespace
}  // namespace nrp::nrpctl
