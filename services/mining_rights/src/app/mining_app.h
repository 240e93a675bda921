// The use cases of mining rights (矿业权): a grant offer from its draft to its result, the
// grant contract, the registration of the right with its licence number and restoration
// duty, extension, closure, cancellation and lapse. Each works inside the caller's
// transaction; the gRPC handlers (api/) and the jobs (events/) call them; no gRPC here.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "domain/rules.h"
#include "google/protobuf/field_mask.pb.h"
#include "nrp/auction/bidding.h"
#include "nrp/mining_rights/v1/resources.pb.h"
#include "nrp/service/runtime.h"
#include "store/store.h"

namespace nrp::mining_rights {

namespace v1 = ::nrp::mining_rights::v1;

struct MiningRightsConfig {
  Rules rules = Rules::Defaults();
  // NRP_MINING_RIGHTS_SCHEDULER (true): the lapse and closing job runs in this process.
  bool scheduler = true;
  // NRP_MINING_RIGHTS_SCHEDULER_INTERVAL (1s).
  std::chrono::milliseconds scheduler_interval{1000};
  // NRP_MINING_RIGHTS_FIRST_REPORT_YEAR (2021): the first year whose annual report is owed
  // (the platform began to collect reports); earlier years are never listed abnormal.
  int first_report_year = 2021;

  // Problems are recorded in `env` (Env::Check); the legal floors hold whatever is set.
  static MiningRightsConfig FromEnv(Env& env);
};

// Who may act on a region: the call's authorisation, checked once the resource's region is
// known (the handlers pass the caller's; jobs pass one that allows every region).
using Authorize = std::function<Status(const std::string& region_code)>;

class MiningRightsApp {
 public:
  MiningRightsApp(service::Runtime& rt, MiningRightsConfig config, auction::LiveBoard& board);

  const MiningRightsConfig& config() const { return config_; }
  // A grant offer as the bidding engine's lot (libs/auction).
  static auction::Lot LotOf(const v1::GrantOffer& offer);
  auction::LiveBoard& board() { return board_; }

  // ---- grant offers
  // A DRAFT offer from `input` (output-only fields ignored): the fields, the grant method
  // (competition, or negotiation only on a basis 自然资规〔2023〕6号 allows), the bidding
  // period, the minimum production scale of a new mine (Box 8) and the spatial gate.
  Result<v1::GrantOffer> CreateOffer(pqxx::work& tx, const v1::GrantOffer& input,
                                     const Authorize& authorize);
  // DRAFT → PUBLISHED: the notice at least the legal period before bidding, the spatial gate
  // again on the zones in force today. GrantOfferPublished.
  Result<v1::GrantOffer> PublishOffer(pqxx::work& tx, const std::string& offer_id,
                                      const nrp::common::v1::DocumentReference& notice,
                                      const Authorize& authorize);
  Result<v1::GrantOffer> CancelOffer(pqxx::work& tx, const std::string& offer_id,
                                     const std::string& reason, const Authorize& authorize);
  Result<v1::GrantBidder> RegisterBidder(pqxx::work& tx, const std::string& offer_id,
                                         const nrp::common::v1::Party& bidder,
                                         int64_t deposit_paid_fen,
                                         const nrp::common::v1::DocumentReference& receipt,
                                         const Authorize& authorize);
  // A bid through the shared engine (libs/auction): the returned bid, and in `placed` what
  // the live board takes after the commit (Bidding::Publish).
  Result<v1::GrantBid> PlaceBid(pqxx::work& tx, auction::Bidding& bidding,
                                const std::string& offer_id, const std::string& bidder_number,
                                int64_t amount_fen, const Authorize& authorize,
                                std::optional<auction::PlacedBid>* placed);
  // Fixes the result: the highest bid at or above the reserve (auction, listing), the
  // committee's choice (tender), or the agreed grantee and price (negotiation).
  // GrantOfferAwarded or GrantOfferFailed (流拍).
  Result<v1::GrantOffer> CloseOffer(pqxx::work& tx, const std::string& offer_id,
                                    const std::string& winning_bid_id,
                                    const nrp::common::v1::Party* agreed_grantee,
                                    int64_t agreed_price_fen,
                                    const nrp::common::v1::DocumentReference& confirmation,
                                    const Authorize& authorize);

  // ---- contract and registration (合同+登记)
  // The contract of an AWARDED offer with the awarded grantee and price, its instalments
  // summing to the price, and the restoration duty. GrantContractSigned.
  Result<v1::GrantContract> SignContract(pqxx::work& tx, const v1::GrantContract& input,
                                         const Authorize& authorize);
  // The right of a signed contract, registered with a new 23-character licence number and a
  // restoration fund account; the spatial gate again (no right may have been registered over
  // the block since). RightGranted.
  Result<v1::MiningRight> GrantRight(pqxx::work& tx, const std::string& contract_id,
                                     const nrp::common::v1::Date& valid_from,
                                     v1::ScaleClass scale_class, bool gas_outburst,
                                     const Authorize& authorize);

  // ---- lifecycle
  // Each registration of a right (延续, 转让, 变更, 分立, 合并) replaces an 18-character
  // exploration number with a new 23-character one and keeps it as legacy_licence_number
  // (domain.md: valid "until the right's next registration"); the events carry the new number.

  // 延续: applied for at least 30 days before expiry (CheckExtension); an exploration right
  // relinquishes its share unless reserves are proven. RightExtended.
  Result<v1::MiningRight> ExtendRight(pqxx::work& tx, const std::string& right_id,
                                      const nrp::common::v1::Date& applied_on,
                                      const nrp::common::v1::Date& new_valid_to,
                                      const nrp::common::v1::Geometry* retained_geometry,
                                      bool proven_reserves, const Authorize& authorize);
  // 闭坑: MineClosed, carrying what restoration needs to open an obligation when the duty is
  // unfulfilled.
  Result<v1::MiningRight> CloseMine(pqxx::work& tx, const std::string& right_id,
                                    const nrp::common::v1::Date& closed_on,
                                    const nrp::common::v1::DocumentReference& report,
                                    bool duty_fulfilled, const Authorize& authorize);
  // 注销: RightCancelled; with the duty unfulfilled the right waits CLOSED for restoration.
  Result<v1::MiningRight> CancelRight(pqxx::work& tx, const std::string& right_id,
                                      v1::CancellationReason reason, bool duty_fulfilled,
                                      const Authorize& authorize);

  // 转让: a VALID right to a new holder (a party other than the holder); the restoration duty
  // and its fund account pass with the right. RightTransferred (both holders masked).
  Result<v1::MiningRight> TransferRight(pqxx::work& tx, const std::string& right_id,
                                        const nrp::common::v1::Party& new_holder,
                                        const nrp::common::v1::Money& price,
                                        const Authorize& authorize);

  // 变更: the registered content of a VALID right not past its last day, the fields named in
  // `mask` taken from `input` (project_name, main_mineral, production_scale, scale_class,
  // mining_method, geometry; INVALID_ARGUMENT update_mask for any other). A changed block is
  // measured and gated again (zones and the other valid rights, the right itself excluded), as
  // is a changed method; a mine's changed scale still meets Box 8 unless the right serves a
  // historical site. A change is a registration: an 18-character number is replaced by a new
  // 23-character one and kept as legacy_licence_number. RightChanged (holder masked).
  Result<v1::MiningRight> ChangeRight(pqxx::work& tx, const v1::MiningRight& input,
                                      const google::protobuf::FieldMask& mask,
                                      const std::string& reason, const Authorize& authorize);

  // A right granted before the platform, entered as the register holds it: its licence number
  // (23 characters or the 18-character exploration number, unique among every number any
  // right carries or carried), kind, holder, mineral, block, validity (the term within the
  // legal maximum) and restoration duty (a fund account opened when it has none). Only the
  // overlap with other valid rights is checked, not the zones: it was granted under earlier
  // plans. A right past its last day is entered EXPIRED. RightGranted (holder masked), and
  // RightExpired after it for an expired one.
  Result<v1::MiningRight> RegisterExistingRight(pqxx::work& tx, const v1::MiningRight& input,
                                                const Authorize& authorize);

  // 分立: a VALID right into at least two parts inside its block, touching at most and together
  // covering it (CheckSplitCoverage: INVALID_ARGUMENT parts with the uncovered area); the part
  // at `keeps_number_index` keeps the licence number (an 18-character one is replaced, and
  // kept as the part's legacy number), the others take new 23-character
  // numbers; the right is SUPERSEDED and the parts are new VALID rights, each with the
  // restoration duty on its block. RightSplit (the part keeping the number first).
  Result<std::vector<v1::MiningRight>> SplitRight(pqxx::work& tx, const std::string& right_id,
                                                  const std::vector<v1::SplitPart>& parts,
                                                  int keeps_number_index,
                                                  const Authorize& authorize);
  // 合并: VALID rights of one holder, kind and county into one new right over their blocks;
  // the earliest number survives (SurvivingNumber; an 18-character one as a new 23-character
  // number), the duties pass to it, its term ends with the earliest of theirs; the rights are
  // SUPERSEDED. RightsMerged.
  Result<v1::MiningRight> MergeRights(pqxx::work& tx, const std::vector<std::string>& right_ids,
                                      const std::string& project_name,
                                      const v1::ProductionScale& production_scale,
                                      v1::ScaleClass scale_class, const Authorize& authorize);

  // ---- green mines (绿色矿山名录)
  // A VALID mining right not designated (or revoked before) onto the list.
  // GreenMineDesignated.
  Result<v1::MiningRight> DesignateGreenMine(pqxx::work& tx, const std::string& right_id,
                                             const nrp::common::v1::DocumentReference& assessment,
                                             const Authorize& authorize);
  // A designated mine off the list (移出). GreenMineRevoked.
  Result<v1::MiningRight> RevokeGreenMine(pqxx::work& tx, const std::string& right_id,
                                          const std::string& reason, const Authorize& authorize);

  // ---- annual reports (年度信息公示) and the abnormal list (异常名录)
  // The report on a year of a VALID or CLOSED right (CheckAnnualReport), one per right and
  // year (ALREADY_EXISTS), late after 30 June. AnnualReportSubmitted; the entry listed for
  // the (right, year) is removed (RightRemovedFromAbnormalList).
  Result<v1::AnnualReport> SubmitAnnualReport(pqxx::work& tx, const v1::AnnualReport& input,
                                              const Authorize& authorize);
  // An operator's removal of a listed entry, with the reason. RightRemovedFromAbnormalList.
  Result<v1::AbnormalEntry> RemoveFromAbnormalList(pqxx::work& tx, const std::string& entry_id,
                                                   const std::string& reason,
                                                   const Authorize& authorize);

  // Restoration reports the obligation of a closed or cancelled mine fulfilled
  // (nrp.restoration.obligation_fulfilled.v1): the pending duty is cleared and a cancellation
  // that waited for it completes (RightCancelled with the duty fulfilled). A right that no
  // longer waits is left alone (a redelivery); an unknown right is NOT_FOUND.
  Status OnObligationFulfilled(pqxx::work& tx, const std::string& right_id);
  // Restoration booked an entry on the right's fund (nrp.restoration.fund_entry_booked.v1): the
  // right shows the balance after it, unless an entry later in the fund's ledger was applied
  // already (a redelivery or a late copy changes nothing). An unknown right is NOT_FOUND.
  Status OnFundEntryBooked(pqxx::work& tx, const std::string& right_id, int64_t sequence,
                           int64_t balance_fen);

  // ---- by the clock
  struct Pass {
    int lapsed = 0;
    int closed = 0;
    int listed_abnormal = 0;
    int failures = 0;
  };
  // Rights past their last day lapse (自行废止, RightExpired), competitive offers past the
  // end of bidding close on their bids, and every (right, year) without its annual report on
  // or after 1 July of the next year (China date) is listed abnormal once
  // (RightListedAbnormal); each in its own transaction on the row it locks.
  Pass RunScheduledPass();

 private:
  Status Gate(pqxx::work& tx, const store::Block& block, const std::string& region_code,
              const std::string& subject, v1::MiningMethod method,
              const std::vector<std::string>& except_rights = {});
  Status Publish(pqxx::dbtransaction& tx, const google::protobuf::Message& event,
                 const std::string& region_code);
  // Lists (right, year) under the right's row lock unless it is listed already or reported.
  Result<bool> ListAbnormal(pqxx::work& tx, const AbnormalListing& listing, Date today);
  // Removes a listed entry and clears the right's flag when none is left listed.
  Status RemoveEntry(pqxx::work& tx, v1::MiningRight& right, v1::AbnormalEntry& entry,
                     const std::string& reason, TimePoint now);

  // The abnormal-list step of the pass: once a China date (again after a failure).
  void ListAbnormalStep(Date today, Pass& pass);

  service::Runtime& rt_;
  MiningRightsConfig config_;
  auction::LiveBoard& board_;
  std::mutex abnormal_mu_;
  std::optional<Date> abnormal_done_on_;  // the China date the step last completed on
};

// A party's id number and phone hidden (public register, events).
void MaskParty(nrp::common::v1::Party* party);

}  // namespace nrp::mining_rights
