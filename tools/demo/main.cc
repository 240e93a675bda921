// nrp-demo-load: loads the synthetic demo province (tools/demo/data) into a
// running platform through gRPC. Safe to run again: what is there is left alone.
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "demo_data.h"
#include "loader.h"

namespace {

constexpr char kUsage[] = R"(Usage: nrp-demo-load [flags]

Loads the synthetic demo province into running services through their gRPC
contracts: zone layers and a monitoring plan per jurisdiction (planning),
parcels, approval batches, offers, bids, contracts, payments and deliveries
(land supply), the first registrations those deliveries open (registration),
and existing mining rights, an extension, a grant offer on notice and a
refused overlap (mining rights). Every step reads what is there first and
does only what is missing, with request ids derived from the step: running it
twice is safe. Dates are placed around the day of loading on the platform
clock (NRP_CLOCK_OFFSET_SECONDS shifts it like the services').

Flags:
  --planning HOST:PORT       planning service (default 127.0.0.1:50055)
  --land-supply HOST:PORT    land supply service (default 127.0.0.1:50052)
  --registration HOST:PORT   registration service (default 127.0.0.1:50051)
  --mining-rights HOST:PORT  mining rights service (default 127.0.0.1:50053)
  --token-file PATH          file whose first line is the bearer token
  --tokens-json PATH         a static token table (the local stack's tokens.json):
                             the token of agency "local-operator", else the first
  --data DIR                 the data set (default: the checkout's tools/demo/data)
  --notice-seconds N         notice before bidding of the sales made now (default 20)
  --bidding-seconds N        bidding period of the sales made now (default 40)
  --wait-seconds N           longest wait for an effect of an event (default 180)
  --check                    only read and check the data set, contact nothing
  --help                     this text

The bearer token may also come from NRP_TOKEN. Exit codes: 0 loaded, 1 a step
failed, 2 usage or data error.
)";

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t b = 0;
  while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  return s.substr(b);
}

int Usage(const std::string& problem) {
  std::cerr << "nrp-demo-load: " << problem << "\n\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags = {
      {"planning", "127.0.0.1:50055"},     {"land-supply", "127.0.0.1:50052"},
      {"registration", "127.0.0.1:50051"}, {"mining-rights", "127.0.0.1:50053"},
      {"data", NRP_DEMO_DATA_DIR},         {"notice-seconds", "20"},
      {"bidding-seconds", "40"},           {"wait-seconds", "180"}};
  bool check_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (a == "--check") {
      check_only = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) return Usage("unexpected argument '" + a + "'");
    std::string name = a.substr(2), value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return Usage("--" + name + " needs a value");
    }
    static const char* kKnown[] = {
        "planning",    "land-supply", "registration",   "mining-rights",   "token-file",
        "tokens-json", "data",        "notice-seconds", "bidding-seconds", "wait-seconds"};
    bool known = false;
    for (const char* k : kKnown) known = known || name == k;
    if (!known) return Usage("unknown flag --" + name);
    flags[name] = value;
  }
  int notice = std::atoi(flags["notice-seconds"].c_str());
  int bidding = std::atoi(flags["bidding-seconds"].c_str());
  int wait = std::atoi(flags["wait-seconds"].c_str());
  if (notice < 1 || bidding < 5 || wait < 1) {
    return Usage("--notice-seconds ≥ 1, --bidding-seconds ≥ 5 and --wait-seconds ≥ 1");
  }

  auto data = nrp::demo::LoadDemoData(flags["data"]);
  if (!data.ok()) {
    std::cerr << "nrp-demo-load: data set " << flags["data"] << ": " << data.error().message()
              << "\n";
    return 2;
  }
  auto problems = nrp::demo::CheckDemoData(*data);
  for (const auto& p : problems) std::cerr << "nrp-demo-load: data: " << p << "\n";
  if (!problems.empty()) return 2;
  size_t parcels = 0, layers = 0, rights = 0, grant_offers = 0;
  for (const auto& j : data->jurisdictions) {
    parcels += j.parcels.size();
    layers += j.layers.size();
    for (const auto& m : j.mines) ++(m.is_right() ? rights : grant_offers);
  }
  std::cout << "demo province: " << data->jurisdictions.size() << " jurisdictions, " << layers
            << " zone layers, " << parcels << " parcels, " << rights << " mining rights, "
            << grant_offers << " grant offers (" << flags["data"] << ")\n";
  if (check_only) return 0;

  std::string token;
  if (flags.count("token-file")) {
    if (!ReadFile(flags["token-file"], &token)) return Usage("cannot read " + flags["token-file"]);
    token = Trim(token.substr(0, token.find('\n')));
  } else if (flags.count("tokens-json")) {
    std::string text;
    if (!ReadFile(flags["tokens-json"], &text)) return Usage("cannot read " + flags["tokens-json"]);
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.empty()) {
      return Usage(flags["tokens-json"] + " is not a token table");
    }
    for (const auto& [t, info] : j.items()) {
      if (token.empty() || (info.is_object() && info.value("agency", "") == "local-operator")) {
        token = t;
      }
    }
  } else if (const char* env = std::getenv("NRP_TOKEN"); env != nullptr) {
    token = env;
  }
  if (token.empty()) return Usage("no bearer token: give --token-file, --tokens-json or NRP_TOKEN");

  nrp::demo::LoaderOptions options;
  options.planning = flags["planning"];
  options.land_supply = flags["land-supply"];
  options.registration = flags["registration"];
  options.mining_rights = flags["mining-rights"];
  options.token = token;
  options.notice_seconds = notice;
  options.bidding_seconds = bidding;
  options.wait = std::chrono::seconds(wait);
  nrp::demo::Loader loader(std::move(options), std::move(*data), std::cout);
  return loader.Run();
}
