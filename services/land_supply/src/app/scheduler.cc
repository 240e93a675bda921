#include "app/scheduler.h"

#include "convert/convert.h"
#include "nrp/core/log.h"
#include "nrp/db/transaction.h"

namespace nrp::land_supply {

namespace {

template <class Fn>
std::vector<std::string> Due(db::Pool& pool, Fn&& list) {
  auto ids = db::Transact(
      pool, [&](pqxx::work& tx) -> Result<std::vector<std::string>> { return list(tx); });
  if (!ids.ok()) {
    log::Warn("scheduler query failed", {{"error", ids.error().ToString()}});
    return {};
  }
  return *ids;
}

}  // namespace

SchedulerReport Scheduler::RunOnce() {
  SchedulerReport report;
  Deps& d = ops_.deps();
  db::Pool& pool = d.rt.db();
  const TimePoint now = d.clock().Now();
  const Date today = DateInChina(now);
  auto each = [&](const std::vector<std::string>& ids, int* counter,
                  const std::function<Result<bool>(pqxx::work&, const std::string&)>& fn) {
    for (const auto& id : ids) {
      auto r = db::Transact(pool, [&](pqxx::work& tx) { return fn(tx, id); });
      if (!r.ok()) {
        ++report.failures;
        log::Warn("scheduled step failed", {{"id", id}, {"error", r.error().ToString()}});
      } else if (*r) {
        ++*counter;
      }
    }
  };

  each(Due(pool, [&](pqxx::work& tx) { return store::OffersDueToOpen(tx, now, batch_); }),
       &report.bidding_opened, [&](pqxx::work& tx, const std::string& id) -> Result<bool> {
         NRP_ASSIGN_OR_RETURN(auto row, store::GetOffer(tx, id, true));
         if (row.offer.state() != v1::OFFER_STATE_PUBLISHED) return false;
         NRP_RETURN_IF_ERROR(ops_.OpenBidding(tx, row, now));
         return row.offer.state() == v1::OFFER_STATE_BIDDING;
       });

  each(Due(pool, [&](pqxx::work& tx) { return store::OffersDueToClose(tx, now, batch_); }),
       &report.offers_closed, [&](pqxx::work& tx, const std::string& id) -> Result<bool> {
         NRP_ASSIGN_OR_RETURN(auto row, store::GetOffer(tx, id, true));
         auto s = row.offer.state();
         if (s != v1::OFFER_STATE_PUBLISHED && s != v1::OFFER_STATE_BIDDING) return false;
         if (!row.offer.has_bidding_end() || FromTimestamp(row.offer.bidding_end()) > now)
           return false;
         NRP_ASSIGN_OR_RETURN(auto closed, ops_.Close(tx, row, v1::CloseOfferRequest(), now));
         log::Info("offer closed at the end of bidding",
                   {{"offer_id", id}, {"state", v1::OfferState_Name(closed.state())}});
         return true;
       });

  each(Due(pool, [&](pqxx::work& tx) { return store::AwardsPastSigningDue(tx, today, batch_); }),
       &report.signing_overdue, [&](pqxx::work& tx, const std::string& id) -> Result<bool> {
         NRP_ASSIGN_OR_RETURN(auto row, store::GetOffer(tx, id, true));
         bool before = row.signing_overdue_raised;
         NRP_RETURN_IF_ERROR(ops_.RaiseSigningOverdue(tx, row, now));
         return !before && row.signing_overdue_raised;
       });

  each(Due(pool,
           [&](pqxx::work& tx) { return store::ContractsWithUnraisedOverdue(tx, today, batch_); }),
       &report.payment_overdue, [&](pqxx::work& tx, const std::string& id) -> Result<bool> {
         NRP_ASSIGN_OR_RETURN(auto row, store::GetContract(tx, id, true));
         NRP_RETURN_IF_ERROR(ops_.RaisePaymentOverdue(tx, row, now));
         return true;
       });

  // Idle land: contracts whose agreed start or stopped work lies at least the
  // shortest threshold back (a superset; the domain decides exactly).
  Date agreed_before = today.AddYears(-d.rules.idle_fee_years).AddDays(1);
  Date stopped_before = today.AddYears(-d.rules.work_stopped_years).AddDays(1);
  std::string after;
  for (;;) {
    auto ids = Due(pool, [&](pqxx::work& tx) {
      return store::ContractsForIdleScan(tx, agreed_before, stopped_before, batch_, after);
    });
    for (const auto& id : ids) {
      auto r = db::Transact(pool, [&](pqxx::work& tx) -> Result<int> {
        NRP_ASSIGN_OR_RETURN(auto row, store::GetContract(tx, id, true));
        return ops_.DetectIdleLand(tx, row, now);
      });
      if (!r.ok()) {
        ++report.failures;
        log::Warn("idle-land scan failed", {{"contract_id", id}, {"error", r.error().ToString()}});
      } else {
        report.idle_cases_opened += *r;
      }
    }
    if (ids.size() < static_cast<size_t>(batch_)) break;
    after = ids.back();
  }
  return report;
}

}  // namespace nrp::land_supply
