#include "nrp/nrpctl/context.h"

#include <cstdlib>
#include <filesystem>

namespace nrp::nrpctl {

std::optional<std::string> Context::Getenv(std::string_view name) const {
  if (env) {
    auto it = env->find(std::string(name));
    if (it == env->end()) return std::nullopt;
    return it->second;
  }
  const char* v = std::getenv(std::string(name).c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

Env Context::MakeEnv() const {
  if (env) return Env(*env);
  return Env();
}

std::vector<std::string> Context::LocalStateDirs() const {
  if (local_state_dirs) return *local_state_dirs;
  std::vector<std::string> dirs;
  if (auto state = Getenv("NRP_LOCAL_STATE"); state && !state->empty()) dirs.push_back(*state);
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::current_path(ec);
  if (!ec) {
    while (true) {
      dirs.push_back((dir / ".local").string());
      if (!dir.has_parent_path() || dir.parent_path() == dir) break;
      dir = dir.parent_path();
    }
  }
#ifdef NRPCTL_SOURCE_DIR
  dirs.push_back(std::string(NRPCTL_SOURCE_DIR) + "/.local");
#endif
  return dirs;
}

Failure Failure::Usage(std::string message) {
  return {kExitUsage, Error(Code::kInvalidArgument, std::move(message))};
}

Failure Failure::Local(std::string message) {
  return {kExitFailure, Error(Code::kUnknown, std::move(message))};
}

Failure Failure::Server(Error error) { return {kExitServer, std::move(error)}; }

Failure Failure::Connection(std::string message) {
  return {kExitConnection, Error(Code::kUnavailable, std::move(message))};
}

}  // namespace nrp::nrpctl
