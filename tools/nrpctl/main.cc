// nrpctl: wires the process (arguments, streams, signals) to nrp::nrpctl::Run.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "nrp/core/log.h"
#include "nrp/nrpctl/cli.h"

namespace {

nrp::nrpctl::StopSignal g_stop;

// While a long-running command (events tail) has armed the stop signal,
// SIGINT/SIGTERM ask it to finish cleanly; otherwise they end the process as
// usual. Only async-signal-safe calls here.
void OnSignal(int sig) {
  if (!g_stop.armed.load()) {
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  g_stop.raised.store(true);
}

}  // namespace

int main(int argc, char** argv) {
  // The CLI reports problems itself; library logs only for real errors.
  nrp::log::Configure("nrpctl", nrp::log::Level::kError);
  setenv("GRPC_VERBOSITY", "NONE", /*overwrite=*/0);
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  nrp::nrpctl::Context ctx;
  ctx.in_is_terminal = isatty(STDIN_FILENO) == 1;
  ctx.stop = &g_stop;
  std::vector<std::string> args(argv + 1, argv + argc);
  int code = nrp::nrpctl::Run(args, ctx);
  std::cout.flush();
  return code;
}
