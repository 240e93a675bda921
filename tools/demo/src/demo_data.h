// The demo province as its data files describe it (tools/demo/data, README.md
// there): per jurisdiction the zone layers and their versions, the parcels with
// the story each one goes through in land supply and registration, the
// approval batches, a monitoring plan of the current period, and the mines with
// the story each one goes through in mining rights.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nrp/common/v1/document.pb.h"
#include "nrp/common/v1/party.pb.h"
#include "nrp/common/v1/zone.pb.h"
#include "nrp/core/calendar.h"
#include "nrp/core/status.h"
#include "nrp/land_supply/v1/land_supply.pb.h"
#include "nrp/mining_rights/v1/resources.pb.h"
#include "nrp/planning/v1/planning.pb.h"

namespace nrp::demo {

struct LayerVersionSpec {
  std::string file;
  std::string note;
  nrp::common::v1::DocumentReference approval;
  std::vector<nrp::planning::v1::Zone> zones;
};

struct LayerSpec {
  nrp::common::v1::ZoneLayerKind kind = nrp::common::v1::ZONE_LAYER_KIND_UNSPECIFIED;
  std::string slug;  // "ecological-red-line"
  std::string name;  // "洛阳市生态保护红线"
  std::vector<LayerVersionSpec> versions;
};

// How far a parcel goes.
enum class Story {
  kReserveRefused,  // the reserve's spatial or soil gate refuses it
  kOfferRefused,    // reserved and clear; the notice is refused
  kOnNotice,        // listed with bidding weeks ahead, a bidder registered
  kSigned,          // sold and the contract signed
  kPartlyPaid,      // ... and the first instalment paid
  kDelivered,       // ... paid in full and the land handed over
};
const char* StoryName(Story s);

struct BidSpec {
  int bidder = 0;  // index into Supply::bidders
  int64_t yuan = 0;
};

struct SupplySpec {
  nrp::land_supply::v1::SupplyMethod method = nrp::land_supply::v1::SUPPLY_METHOD_UNSPECIFIED;
  int term_years = 0;
  int64_t starting_price_yuan = 0;
  int64_t reserve_price_yuan = 0;
  int64_t bid_increment_yuan = 0;
  int64_t deposit_yuan = 0;
  int intending_users = 0;
  std::vector<nrp::common::v1::Party> bidders;
  std::vector<BidSpec> bids;
  std::optional<nrp::common::v1::Party> agreed_grantee;  // negotiated grant, allocation
  int64_t agreed_price_yuan = 0;
  std::string allocation_catalogue_item;
  std::string grantor;
  int64_t agreed_investment_yuan = 0;

  bool competitive() const;
};

// Registration of the first right after delivery: how far the demo takes the case.
enum class CaseTarget { kNone, kApplied, kAccepted, kRecorded, kCertificateIssued };

struct ParcelSpec {
  nrp::land_supply::v1::Parcel input;  // the CreateParcel fields
  Story story = Story::kDelivered;
  std::string expect_refusal;  // reason of the refusal the story expects
  std::optional<SupplySpec> supply;
  CaseTarget registration = CaseTarget::kNone;
};

struct BatchSpec {
  std::string name;
  std::string region_code;
  int year = 0;
  std::vector<std::string> parcel_codes;
  double agricultural_share = 0;
  nrp::common::v1::DocumentReference approval;
  nrp::common::v1::DocumentReference expropriation;
};

struct StockReport {
  std::string indicator_code;
  nrp::common::v1::Date as_of;
  double stock_square_metres = 0;
  std::string source_note;
};

struct MonitoringPlanSpec {
  nrp::planning::v1::Plan plan;  // name, region, period, base year, document
  std::vector<nrp::planning::v1::Indicator> indicators;
  std::vector<StockReport> stock_reports;
};

// How far a mine goes (mines/<region>.geojson, properties.story).
enum class MineStory {
  kExisting,        // a right granted before the platform, entered as the register holds it
  kExtended,        // ... and extended (延续), applied for on the day of loading
  kLapses,          // ... whose last day is the day of loading: the service's scheduled pass
                    // lapses it (自行废止) at 00:00 China time the next day
  kOnNotice,        // a grant offer by competition, published with bidding weeks ahead and
                    // its bidders registered
  kOverlapRefused,  // a grant offer over another story's right, refused with expect_refusal
};
const char* MineStoryName(MineStory s);

struct MineSpec {
  std::string key;  // the feature id, named in the load log and its step ids
  MineStory story = MineStory::kExisting;
  // kExisting, kExtended, kLapses: the RegisterExistingRight fields but the validity, which
  // the loader places around the day it runs (ValidityOn).
  nrp::mining_rights::v1::MiningRight right;
  int ends_in_days = 0;  // the last day of validity this many days after the day of loading
  int term_years = 0;    // the term, in whole years as the register counts it
  int extend_years = 0;  // kExtended: the new last day this many years after the current one
  std::vector<nrp::common::v1::DocumentReference> extension_documents;
  // kOnNotice, kOverlapRefused: the CreateGrantOffer fields but the bidding period, which the
  // loader sets weeks ahead of the day it runs.
  nrp::mining_rights::v1::GrantOffer offer;
  nrp::common::v1::DocumentReference notice;
  std::vector<nrp::common::v1::Party> bidders;
  std::string expect_refusal;  // kOverlapRefused: the reason of the refusal
  std::string overlaps;        // kOverlapRefused: the licence number of the right overlapped

  bool is_right() const;
};

// The first and last day of an existing right entered on `today` (China date): the last day
// `ends_in_days` after today, the first so that the term is exactly `term_years` whole years
// (the least N with first + N years on or after the last day, as the service counts it).
struct Validity {
  Date from;
  Date to;
};
Validity ValidityOn(const MineSpec& mine, Date today);

struct Jurisdiction {
  std::string region_code;
  std::string name;
  std::string reference_plan_id;
  std::vector<LayerSpec> layers;
  std::vector<ParcelSpec> parcels;
  std::vector<BatchSpec> batches;
  std::optional<MonitoringPlanSpec> monitoring;
  std::vector<MineSpec> mines;
};

struct DemoData {
  std::vector<Jurisdiction> jurisdictions;
};

// Reads demo.json and the files it names under `dir`; INVALID_ARGUMENT naming
// the file and field of the first problem.
Result<DemoData> LoadDemoData(const std::string& dir);

// The checks a data file must pass before anything is sent: references
// resolve, bids rise by the increment and a sale's highest bid reaches its
// reserve price, a story has the supply it needs, a mine's story has the
// fields and the dates it needs. Problems, empty when none.
std::vector<std::string> CheckDemoData(const DemoData& data);

}  // namespace nrp::demo
