// nrpctl: the platform's operator CLI. Run() is the whole program (main.cc
// only wires the process's streams and signals), so tests drive it directly.
#pragma once

#include <string>
#include <vector>

#include "nrp/nrpctl/args.h"
#include "nrp/nrpctl/context.h"

namespace nrp::nrpctl {

// Runs nrpctl with `argv` (without the program name); returns the exit code
// (see context.h). Output goes to ctx.out, errors to ctx.err.
int Run(const std::vector<std::string>& argv, Context& ctx);

// The command tree Run() parses against (every command, group and flag).
const Command& CommandTree();

// Problems in the declarations of the friendly commands (an rpc, request
// field, filter field or column that is not in the contract); empty when
// every one resolves.
std::vector<std::string> CheckFriendlyCommands();

}  // namespace nrp::nrpctl
