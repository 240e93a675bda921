// Loads the demo province into running services through their gRPC contracts,
// as the agencies of a province would enter it: planning's zone layers and a
// monitoring plan, land supply's parcels, batches, offers, bids, contracts,
// payments and deliveries, registration's first registrations opened by
// those deliveries, and mining rights' existing rights, an extension and a
// grant offer on notice. Every step first reads what is already there and does only
// what is missing, with request ids derived from the step, so a second run (or
// a run after an interruption) changes nothing that was done.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "demo_data.h"
#include "nrp/land_supply/v1/land_supply.grpc.pb.h"
#include "nrp/mining_rights/v1/mining_rights.grpc.pb.h"
#include "nrp/planning/v1/planning.grpc.pb.h"
#include "nrp/registration/v1/registration.grpc.pb.h"

namespace nrp::demo {

// A request id for a step: the same step against the same stack always gets
// the same id (a UUID from SHA-256 of "nrp-demo-load:" + `stack` + ":" + `step`).
// `stack` keeps two stacks apart whose services share a Redis (request ids are
// replayed from Redis before the database is asked): the loader passes a
// digest of the stack's bearer token, which each stack makes for itself.
std::string StepRequestId(const std::string& step, const std::string& stack = "");

struct LoaderOptions {
  std::string planning;       // host:port
  std::string land_supply;    // host:port
  std::string registration;   // host:port
  std::string mining_rights;  // host:port
  std::string token;          // bearer token of an agency with write scopes in every region
  // Seconds from the notices to the start of bidding, and of bidding, for the
  // sales made while the loader runs (the stack's minimum notice and listing
  // periods must allow them; otherwise the sales stay on notice).
  int notice_seconds = 20;
  int bidding_seconds = 40;
  // Longest wait for an effect of an event (a replica, a case, an indicator).
  std::chrono::seconds wait{180};
};

class Loader {
 public:
  Loader(LoaderOptions options, DemoData data, std::ostream& out);
  // Runs every step; 0 when the province is loaded as described, 1 otherwise.
  int Run();

 private:
  void ReferencePlans();
  void Layers();
  void MonitoringPlans();
  void Parcels();
  void Batches();
  void Reserve();
  void Supply();
  void Registrations();
  void Mines();
  void Summary();

  // Mining rights' steps for one mine (Mines).
  void EnterRight(const MineSpec& mine, Date today);
  void OfferOnNotice(const MineSpec& mine);
  void OverlapRefused(const MineSpec& mine);
  // The offer's fields as the data gives them, with a bidding period weeks ahead of now.
  nrp::mining_rights::v1::GrantOffer DraftOffer(const MineSpec& mine) const;

  void Line(const std::string& who, const std::string& what);
  std::string Rid(const std::string& step) const { return StepRequestId(step, stack_); }
  void Fail(const std::string& who, const std::string& what);

  LoaderOptions options_;
  DemoData data_;
  std::ostream& out_;
  int failures_ = 0;
  std::string stack_;
  std::unique_ptr<nrp::planning::v1::PlanningService::Stub> planning_;
  std::unique_ptr<nrp::land_supply::v1::LandSupplyService::Stub> land_;
  std::unique_ptr<nrp::registration::v1::RegistrationService::Stub> registration_;
  std::unique_ptr<nrp::mining_rights::v1::MiningRightsService::Stub> mining_;
  // By parcel code.
  std::map<std::string, nrp::land_supply::v1::Parcel> parcels_;
  std::map<std::string, nrp::land_supply::v1::GrantContract> contracts_;
  // Monitoring indicator ids by region code.
  std::map<std::string, std::vector<std::string>> monitoring_indicators_;
  // The service's mineral classification, by code.
  std::map<std::string, nrp::mining_rights::v1::MineralInfo> minerals_;
  // Rights entered, by the licence number the data gives them.
  std::map<std::string, nrp::mining_rights::v1::MiningRight> rights_;
  // Grant offers, by the data's key.
  std::map<std::string, nrp::mining_rights::v1::GrantOffer> grant_offers_;
};

}  // namespace nrp::demo
