// Land supply and planning run in-process beside restoration in one test, on the test's broker
// topics: land supply books restoration's acceptances, planning counts them. Built apart from
// the test (its own library) because the services' internal headers share folder names.
#pragma once

#include <memory>
#include <string>

#include "nrp/core/clock.h"
#include "nrp/core/status.h"

namespace nrp::restoration::testing {

class BesideServices {
 public:
  // `tokens_json` is the static token table both use; `calendar_dir` land supply's calendars.
  BesideServices(const std::string& topic_prefix, const std::string& calendar_dir,
                 const std::string& tokens_json, const Clock& clock);
  ~BesideServices();
  BesideServices(const BesideServices&) = delete;
  BesideServices& operator=(const BesideServices&) = delete;

  // Migrates both databases, wires and starts both services.
  Status Start();
  void Stop();

  std::string land_supply_conninfo() const;
  std::string planning_target() const;
  // Land supply's consumer: events already in its inbox (redeliveries), and dead letters.
  int64_t land_supply_duplicates() const;
  int64_t land_supply_dead_lettered() const;
  int64_t planning_dead_lettered() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nrp::restoration::testing
