// Argument parsing and the help of every command.
#include "nrp/nrpctl/args.h"

#include <gtest/gtest.h>

#include <sstream>

#include "nrp/nrpctl/cli.h"
#include "nrp/nrpctl/settings.h"

namespace nrp::nrpctl {
namespace {

struct Captured {
  int code = -1;
  std::string out;
  std::string err;
};

Captured RunCli(const std::vector<std::string>& argv) {
  std::ostringstream out, err;
  std::istringstream in;
  Context ctx;
  ctx.out = &out;
  ctx.err = &err;
  ctx.in = &in;
  ctx.env = std::map<std::string, std::string>{};
  ctx.local_state_dirs = std::vector<std::string>{};
  Captured c;
  c.code = Run(argv, ctx);
  c.out = out.str();
  c.err = err.str();
  return c;
}

// A small tree of its own, independent of nrpctl's commands.
class ParseTest : public ::testing::Test {
 protected:
  ParseTest() : root_("tool", "A tool.") {
    Command& group = root_.Add("layers", "Layers");
    group.Add("list", "List layers")
        .Flag({"kind", "KIND", "kind"})
        .Flag({"tag", "TAG", "tag", true})
        .Flag({"all", "", "every page"})
        .Run([](Context&, const ParsedArgs&) { return 0; });
    group.Add("get", "Get a layer").Args("<ID>", 1, 1).Run([](Context&, const ParsedArgs&) {
      return 0;
    });
    globals_ = {{"json", "", "json"}, {"addr", "HOST:PORT", "address"}};
  }
  Command root_;
  std::vector<FlagSpec> globals_;
};

TEST_F(ParseTest, CommandWordsFlagsAndArguments) {
  auto p = Parse(root_, globals_,
                 {"--addr", "h:1", "layers", "list", "--kind=red", "--tag", "a", "--tag", "b",
                  "--all", "--json"});
  ASSERT_TRUE(p.ok()) << p.failure().error.message();
  EXPECT_EQ(p.value().command->Path(), "tool layers list");
  EXPECT_EQ(p.value().Get("addr"), "h:1");
  EXPECT_EQ(p.value().Get("kind"), "red");
  EXPECT_EQ(p.value().GetAll("tag"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(p.value().Switch("all"));
  EXPECT_TRUE(p.value().Switch("json"));
  EXPECT_FALSE(p.value().Has("missing"));
}

TEST_F(ParseTest, UnderscoreAndDashAreTheSameInCommandWords) {
  Command root("tool", "A tool.");
  root.Add("land-supply", "Land").Add("x", "X").Run([](Context&, const ParsedArgs&) { return 0; });
  auto p = Parse(root, globals_, {"land_supply", "x"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value().command->Path(), "tool land-supply x");
}

TEST_F(ParseTest, PositionalsAndDoubleDash) {
  auto p = Parse(root_, globals_, {"layers", "get", "--", "--not-a-flag"});
  ASSERT_TRUE(p.ok()) << p.failure().error.message();
  EXPECT_EQ(p.value().args, (std::vector<std::string>{"--not-a-flag"}));
  auto dash = Parse(root_, globals_, {"layers", "get", "-"});
  ASSERT_TRUE(dash.ok());
  EXPECT_EQ(dash.value().args, (std::vector<std::string>{"-"}));
}

TEST_F(ParseTest, SwitchesTakeBooleanValuesOnly) {
  auto off = Parse(root_, globals_, {"layers", "list", "--all=false"});
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off.value().Switch("all"));
  auto bad = Parse(root_, globals_, {"layers", "list", "--all=maybe"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.failure().exit_code, kExitUsage);
  EXPECT_NE(bad.failure().error.message().find("--all is a switch"), std::string::npos);
}

TEST_F(ParseTest, Rejections) {
  struct Case {
    std::vector<std::string> argv;
    std::string says;
  };
  std::vector<Case> cases = {
      {{"layers", "list", "--colour", "red"}, "unknown flag --colour for 'tool layers list'"},
      {{"layers", "list", "--kind"}, "--kind needs a value (KIND)"},
      {{"layers", "list", "--kind", "a", "--kind", "b"}, "--kind given twice"},
      {{"layers", "drop"}, "unknown command 'drop' for 'tool layers'; commands: list, get"},
      {{"layers"}, "'tool layers' needs a command: list, get"},
      {{}, "missing command"},
      {{"layers", "get"}, "'tool layers get' takes <ID>, got 0 arguments"},
      {{"layers", "get", "a", "b"}, "takes <ID>, got 2 arguments"},
      {{"layers", "list", "extra"}, "takes no arguments, got 1 argument"},
      {{"layers", "list", "-k"}, "unknown flag -k"},
  };
  for (const auto& c : cases) {
    auto p = Parse(root_, globals_, c.argv);
    ASSERT_FALSE(p.ok()) << c.says;
    EXPECT_EQ(p.failure().exit_code, kExitUsage);
    EXPECT_NE(p.failure().error.message().find(c.says), std::string::npos)
        << "got: " << p.failure().error.message() << "\nwanted: " << c.says;
  }
}

TEST_F(ParseTest, HelpWinsOverMistakesAndStopsAtTheDeepestCommand) {
  auto p = Parse(root_, globals_, {"layers", "get", "--colour", "-h"});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p.value().help);
  EXPECT_EQ(p.value().command->Path(), "tool layers get");
}

TEST_F(ParseTest, HelpListsUsageFlagsAndSubcommands) {
  std::string group = Help(*root_.Child("layers"), globals_);
  EXPECT_NE(group.find("Usage: tool layers <command> [flags]"), std::string::npos) << group;
  EXPECT_NE(group.find("  list  List layers"), std::string::npos) << group;
  EXPECT_NE(group.find("  get   Get a layer"), std::string::npos) << group;
  std::string leaf = Help(*root_.Child("layers")->Child("list"), globals_);
  EXPECT_NE(leaf.find("--kind KIND"), std::string::npos) << leaf;
  EXPECT_NE(leaf.find("--tag TAG    tag (repeatable)"), std::string::npos) << leaf;
  EXPECT_NE(leaf.find("Global flags: --json --addr"), std::string::npos) << leaf;
  std::string top = Help(root_, globals_);
  EXPECT_NE(top.find("--addr HOST:PORT  address"), std::string::npos) << top;
}

// Every command and group of nrpctl answers --help with its usage, summary
// and flags, and exit code 0; `help <words>` is the same.
TEST(NrpctlHelp, EveryCommandHasHelp) {
  int commands = 0;
  CommandTree().Walk([&](const Command& c) {
    ++commands;
    std::vector<std::string> argv;
    std::string path = c.Path();
    for (size_t start = path.find(' '); start != std::string::npos;) {
      size_t next = path.find(' ', start + 1);
      argv.push_back(path.substr(start + 1, next == std::string::npos ? next : next - start - 1));
      start = next;
    }
    std::vector<std::string> with_help = argv;
    with_help.push_back("--help");
    Captured r = RunCli(with_help);
    EXPECT_EQ(r.code, 0) << path << ": " << r.err;
    EXPECT_EQ(r.out.rfind("Usage: " + path, 0), 0u) << r.out;
    EXPECT_NE(r.out.find(c.summary()), std::string::npos) << path;
    EXPECT_FALSE(c.summary().empty()) << path;
    for (const auto& f : c.flags()) EXPECT_NE(r.out.find("--" + f.name), std::string::npos) << path;
    if (c.is_group()) {
      for (const auto& child : c.children()) {
        EXPECT_NE(r.out.find("  " + child->name() + " "), std::string::npos) << path;
      }
    } else {
      EXPECT_TRUE(c.handler() != nullptr) << path;
    }
    std::vector<std::string> help_word = {"help"};
    help_word.insert(help_word.end(), argv.begin(), argv.end());
    Captured h = RunCli(help_word);
    EXPECT_EQ(h.code, 0) << path;
    EXPECT_EQ(h.out, r.out) << path;
  });
  EXPECT_GT(commands, 40);
}

TEST(NrpctlHelp, EveryServiceHasMethodsCallAndFriendlyCommands) {
  for (const char* service :
       {"registration", "land-supply", "mining-rights", "restoration", "planning"}) {
    const Command* group = CommandTree().Child(service);
    ASSERT_NE(group, nullptr) << service;
    EXPECT_NE(group->Child("methods"), nullptr) << service;
    EXPECT_NE(group->Child("call"), nullptr) << service;
    EXPECT_GE(group->children().size(), 4u) << service;
  }
  const Command* restoration = CommandTree().Child("restoration");
  for (const auto& [group, command] :
       std::vector<std::pair<std::string, std::string>>{{"projects", "list"},
                                                        {"project", "get"},
                                                        {"project", "reports"},
                                                        {"obligations", "list"},
                                                        {"obligation", "get"},
                                                        {"funds", "list"},
                                                        {"fund", "get"},
                                                        {"fund", "entries"}}) {
    ASSERT_NE(restoration->Child(group), nullptr) << group;
    EXPECT_NE(restoration->Child(group)->Child(command), nullptr) << group << " " << command;
  }
  EXPECT_NE(CommandTree().Child("planning")->Child("check"), nullptr);
  EXPECT_NE(CommandTree().Child("planning")->Child("import-zones"), nullptr);
  EXPECT_NE(CommandTree().Child("events")->Child("tail"), nullptr);
}

TEST(NrpctlHelp, FriendlyCommandsResolveInTheContract) {
  std::vector<std::string> problems = CheckFriendlyCommands();
  std::string all;
  for (const auto& p : problems) all += p + "\n";
  EXPECT_TRUE(problems.empty()) << all;
}

TEST(NrpctlUsage, MistakesExitTwoWithOneLine) {
  Captured none = RunCli({});
  EXPECT_EQ(none.code, kExitUsage);
  EXPECT_NE(none.err.find("Usage: nrpctl <command>"), std::string::npos);

  Captured flag = RunCli({"planning", "layers", "list", "--colour", "red"});
  EXPECT_EQ(flag.code, kExitUsage);
  EXPECT_EQ(flag.err,
            "nrpctl: unknown flag --colour for 'nrpctl planning layers list'; run 'nrpctl planning "
            "layers list --help' for usage\n");

  Captured service = RunCli({"call", "forestry", "GetTree"});
  EXPECT_EQ(service.code, kExitUsage);
  EXPECT_NE(service.err.find("unknown service 'forestry'; one of: registration, land-supply"),
            std::string::npos)
      << service.err;

  Captured method = RunCli({"call", "planning", "GetTree", "--data", "{}"});
  EXPECT_EQ(method.code, kExitUsage);
  EXPECT_NE(method.err.find(
                "no method 'GetTree' in nrp.planning.v1.PlanningService; methods: CreateZoneLayer"),
            std::string::npos)
      << method.err;

  Captured json = RunCli({"call", "planning", "GetZoneLayer", "--data", "{\"layer\":1}"});
  EXPECT_EQ(json.code, kExitUsage);
  EXPECT_NE(json.err.find("invalid request JSON for nrp.planning.v1.GetZoneLayerRequest"),
            std::string::npos)
      << json.err;

  Captured timeout = RunCli({"health", "--timeout", "soon"});
  EXPECT_EQ(timeout.code, kExitUsage);
  EXPECT_NE(timeout.err.find("--timeout: expected a positive duration"), std::string::npos);

  Captured enum_value = RunCli({"planning", "layers", "list", "--kind", "forest"});
  EXPECT_EQ(enum_value.code, kExitUsage);
  EXPECT_NE(
      enum_value.err.find("'forest' is not a ZoneLayerKind; one of: permanent_basic_farmland"),
      std::string::npos)
      << enum_value.err;

  Captured usage_json = RunCli({"planning", "layers", "list", "--colour", "x", "--json"});
  EXPECT_EQ(usage_json.code, kExitUsage);
  EXPECT_EQ(usage_json.err.rfind("{\"error\":{\"code\":\"INVALID_ARGUMENT\"", 0), 0u)
      << usage_json.err;
}

// Restoration's friendly commands refuse what they can before calling: missing arguments,
// enum values that are not the contract's.
TEST(NrpctlUsage, RestorationCommandsCheckTheirArgumentsBeforeCalling) {
  Captured fund = RunCli({"restoration", "fund", "get"});
  EXPECT_EQ(fund.code, kExitUsage);
  EXPECT_EQ(fund.err, "nrpctl: give [ACCOUNT_ID] or --right\n");

  Captured two = RunCli({"restoration", "fund", "get", "RF-1", "RF-2"});
  EXPECT_EQ(two.code, kExitUsage);
  EXPECT_NE(two.err.find("takes [ACCOUNT_ID], got 2 arguments"), std::string::npos) << two.err;

  Captured entries = RunCli({"restoration", "fund", "entries"});
  EXPECT_EQ(entries.code, kExitUsage);
  EXPECT_NE(entries.err.find("takes <ACCOUNT_ID>, got 0 arguments"), std::string::npos)
      << entries.err;

  Captured reports = RunCli({"restoration", "project", "reports"});
  EXPECT_EQ(reports.code, kExitUsage);
  EXPECT_NE(reports.err.find("takes <PROJECT_ID>, got 0 arguments"), std::string::npos)
      << reports.err;

  Captured state = RunCli({"restoration", "obligations", "list", "--state", "late"});
  EXPECT_EQ(state.code, kExitUsage);
  EXPECT_NE(state.err.find("'late' is not a ObligationState; one of: ongoing, due"),
            std::string::npos)
      << state.err;

  Captured kind = RunCli({"restoration", "fund", "entries", "RF-1", "--kind", "refund"});
  EXPECT_EQ(kind.code, kExitUsage);
  EXPECT_NE(kind.err.find("'refund' is not a FundEntryKind"), std::string::npos) << kind.err;

  Captured help = RunCli({"restoration", "fund", "entries", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("Calls nrp.restoration.v1.RestorationService.ListFundEntries"),
            std::string::npos)
      << help.out;
}

TEST(NrpctlDescribe, MessagesEnumsServicesAndMethodsFromTheContract) {
  Captured m = RunCli({"describe", "nrp.planning.v1.ZoneLayer"});
  ASSERT_EQ(m.code, 0) << m.err;
  EXPECT_NE(m.out.find("message nrp.planning.v1.ZoneLayer"), std::string::npos);
  // The comment comes from the embedded descriptor set with source info.
  EXPECT_NE(m.out.find("A layer of control zones (管控图层)"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("2   kind             nrp.common.v1.ZoneLayerKind  Kind of zones."),
            std::string::npos)
      << m.out;

  Captured e = RunCli({"describe", "ZoneLayerKind"});
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_NE(e.out.find("2   ZONE_LAYER_KIND_ECOLOGICAL_RED_LINE"), std::string::npos) << e.out;

  Captured ambiguous = RunCli({"describe", "GetRightRequest"});
  EXPECT_EQ(ambiguous.code, kExitUsage);
  EXPECT_NE(ambiguous.err.find("nrp.registration.v1.GetRightRequest"), std::string::npos);
  EXPECT_NE(ambiguous.err.find("nrp.mining_rights.v1.GetRightRequest"), std::string::npos);

  Captured method = RunCli({"describe", "nrp.planning.v1.PlanningService.ImportZones", "--json"});
  ASSERT_EQ(method.code, 0) << method.err;
  EXPECT_NE(method.out.find("\"kind\":\"client-streaming\""), std::string::npos) << method.out;

  Captured methods = RunCli({"planning", "methods"});
  ASSERT_EQ(methods.code, 0) << methods.err;
  EXPECT_NE(methods.out.find("ImportZones           client-streaming  ImportZonesRequest"),
            std::string::npos)
      << methods.out;
  EXPECT_NE(methods.out.find("Returns one zone layer."), std::string::npos);

  Captured types = RunCli({"events", "types"});
  ASSERT_EQ(types.code, 0);
  EXPECT_NE(types.out.find("nrp.planning.zone_published.v1"), std::string::npos);
  EXPECT_NE(types.out.find("nrp.planning.v1.ZonePublished"), std::string::npos);
}

}  // namespace
}  // namespace nrp::nrpctl
