// A service binary run as a child process, the way an operator runs it: an
// environment of its own, stdout and stderr appended to a log file, SIGTERM to
// stop. The child is tied to the test process (PR_SET_PDEATHSIG), so it dies
// with it even when the test crashes or ctest kills it at its timeout.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nrp::e2e {

class ChildProcess {
 public:
  ChildProcess(std::string name, std::string binary, std::map<std::string, std::string> env,
               std::string log_path, std::vector<std::string> args = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Forks and execs the binary. False (with `error`) when it could not start.
  bool Start(std::string* error);
  // True while the child has not exited (reaps it when it has).
  bool Running();
  // Waits up to `timeout` for the child to exit by itself; its exit code, or
  // nullopt (the child still runs) when the time is up.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // Sends SIGTERM (when running) without waiting; once.
  void Terminate();
  // SIGTERM (unless Terminate sent it: a second one would cut the drain
  // short), then waits up to `grace` for the exit; SIGKILL after that. The
  // exit code (128 + signal when killed by one); nullopt when never started.
  std::optional<int> Stop(std::chrono::milliseconds grace);
  // How the child ended, once it has: "exit 0", "signal 9".
  std::string ExitDescription() const;

  const std::string& name() const { return name_; }
  const std::string& log_path() const { return log_path_; }
  pid_t pid() const { return pid_; }
  // The last `lines` lines of the log.
  std::string LogTail(size_t lines) const;

 private:
  void Reap(int status);

  std::string name_;
  std::string binary_;
  std::map<std::string, std::string> env_;
  std::string log_path_;
  std::vector<std::string> args_;
  pid_t pid_ = -1;
  bool terminated_ = false;
  std::optional<int> exit_code_;
  std::string exit_description_;
};

// A TCP port on 127.0.0.1 that nothing listens on right now (bound and
// released, so the kernel hands out a different one next time).
int FreeLoopbackPort();

}  // namespace nrp::e2e
