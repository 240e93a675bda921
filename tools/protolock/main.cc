// protolock: the compatibility gate, the convention check and the events catalogue of the
// platform's contract, working on a descriptor set built by protoc (target nrp_descriptor_set).
//
//   protolock render <descriptor_set>                 print the lock text of the contract
//   protolock check <descriptor_set> <lock_file>      fail on breaking changes against the lock
//   protolock conventions <descriptor_set>            fail on convention violations
//   protolock catalogue markdown <descriptor_set>     print docs/events.md
//   protolock catalogue asyncapi <descriptor_set>     print protos/asyncapi.yaml
//
// Exit status: 0 success, 1 problems found, 2 usage or input error.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "nrp/protolock/catalogue.h"
#include "nrp/protolock/contract.h"
#include "nrp/protolock/conventions.h"
#include "nrp/protolock/lock.h"

namespace {

constexpr int kOk = 0;
constexpr int kProblems = 1;
constexpr int kUsage = 2;

int Usage() {
  std::cerr << "usage:\n"
               "  protolock render <descriptor_set>\n"
               "  protolock check <descriptor_set> <lock_file>\n"
               "  protolock conventions <descriptor_set>\n"
               "  protolock catalogue markdown|asyncapi <descriptor_set>\n";
  return kUsage;
}

std::unique_ptr<nrp::protolock::Contract> Load(const std::string& path) {
  std::string error;
  std::unique_ptr<nrp::protolock::Contract> contract =
      nrp::protolock::Contract::FromFile(path, &error);
  if (!contract) std::cerr << "protolock: " << error << "\n";
  return contract;
}

int Check(const nrp::protolock::Contract& contract, const std::string& lock_path) {
  std::ifstream in(lock_path);
  if (!in) {
    std::cerr << "protolock: cannot open lock file " << lock_path << "\n";
    return kUsage;
  }
  std::ostringstream text;
  text << in.rdbuf();
  nrp::protolock::LockModel locked;
  std::string error;
  if (!nrp::protolock::ParseLock(text.str(), &locked, &error)) {
    std::cerr << "protolock: " << lock_path << ": " << error << "\n";
    return kUsage;
  }
  const nrp::protolock::CompatibilityReport report =
      nrp::protolock::CheckCompatibility(locked, nrp::protolock::BuildLockModel(contract));
  for (const std::string& problem : report.problems) std::cout << "BREAKING: " << problem << "\n";
  for (const std::string& addition : report.additions) std::cout << "added: " << addition << "\n";
  if (!report.ok()) {
    std::cout << report.problems.size()
              << " breaking change(s) against the lock; never reuse, renumber or remove a field, "
                 "method or service of a published version: add a new v2 package instead.\n";
    return kProblems;
  }
  if (!report.additions.empty()) {
    std::cout << "only additions: compatible; regenerate the lock with "
                 "scripts/update-contract-lock.\n";
  }
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Usage();
  const std::string command = argv[1];
  if (command == "catalogue") {
    if (argc != 4) return Usage();
    const std::string format = argv[2];
    if (format != "markdown" && format != "asyncapi") return Usage();
    auto contract = Load(argv[3]);
    if (!contract) return kUsage;
    std::cout << (format == "markdown" ? nrp::protolock::RenderEventsMarkdown(*contract)
                                       : nrp::protolock::RenderAsyncApi(*contract));
    return kOk;
  }
  auto contract = Load(argv[2]);
  if (!contract) return kUsage;
  if (command == "render" && argc == 3) {
    std::cout << nrp::protolock::RenderLock(nrp::protolock::BuildLockModel(*contract));
    return kOk;
  }
  if (command == "check" && argc == 4) return Check(*contract, argv[3]);
  if (command == "conventions" && argc == 3) {
    const std::vector<std::string> problems = nrp::protolock::CheckConventions(*contract);
    for (const std::string& problem : problems) std::cout << problem << "\n";
    if (!problems.empty()) {
      std::cout << problems.size() << " convention violation(s)\n";
      return kProblems;
    }
    return kOk;
  }
  return Usage();
}
