// Approval batches (建设用地审批批次) and the two ledgers: farmland
// occupation–compensation (占补平衡: 先补后占, 占一补一, 占优补优, 占水田补水田;
// Kaifeng's three ledgers area / grain capacity / paddy area) and the linkage
// quota (增减挂钩). A credit or quota is used once: an allocation takes from
// what is left of it, never more.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/rules.h"
#include "domain/types.h"

namespace nrp::land_supply {

struct NewBatch {
  std::string region_code;
  std::string name;
  int year = 0;
  std::vector<std::string> parcel_ids;
  double total_area_m2 = 0;
  double agricultural_land_area_m2 = 0;
  double cultivated_land_area_m2 = 0;
  double paddy_area_m2 = 0;
  int cultivated_quality_grade = 0;
  double grain_capacity_kg = 0;
  double unused_land_area_m2 = 0;
  double plan_quota_area_m2 = 0;
};

// Field checks ("batch.<field>"): the areas nest (paddy ⊂ cultivated ⊂
// agricultural ⊂ total; unused within what is left), a quality grade 1–10
// when cultivated land is occupied.
Status ValidateNewBatch(const NewBatch& b);

// One amount requested from a credit or quota.
struct Allocation {
  int ledger = 0;
  std::string account_id;
  double area_m2 = 0;
  double paddy_area_m2 = 0;
  double grain_capacity_kg = 0;
};

// What is left of a credit (compensation) or a quota (linkage).
struct LedgerAccount {
  std::string account_id;
  LedgerKind ledger = LedgerKind::kUnspecified;
  std::string region_code;
  int quality_grade = 0;  // compensation only; 1 best … 10
  double original_area_m2 = 0;
  double remaining_area_m2 = 0;
  double remaining_paddy_area_m2 = 0;
  double remaining_grain_capacity_kg = 0;
};

struct BatchNeeds {
  std::string batch_id;
  std::string region_code;
  BatchState state = BatchState::kUnspecified;
  double cultivated_land_area_m2 = 0;
  double paddy_area_m2 = 0;
  double grain_capacity_kg = 0;
  int cultivated_quality_grade = 0;
};

struct AccountAfter {
  std::string account_id;
  LedgerKind ledger = LedgerKind::kUnspecified;
  double remaining_area_m2 = 0;
  double remaining_paddy_area_m2 = 0;
  double remaining_grain_capacity_kg = 0;
  LedgerAccountState state = LedgerAccountState::kUnspecified;
};

// Checks the approval of a batch against the accounts it draws on (read under
// lock by the store) and returns what is left of each. The batch must be
// APPLIED; the authority set; every allocation names a known account of the
// right ledger in the batch's region (or a region containing it) with enough
// left; compensation covers the occupied cultivated area, paddy area and
// grain capacity with credits of no worse quality grade.
Result<std::vector<AccountAfter>> CheckApproval(
    const BatchNeeds& batch, int authority, const std::vector<Allocation>& allocations,
    const std::map<std::string, LedgerAccount>& accounts);

LedgerAccountState AccountStateFor(double original_area_m2, double remaining_area_m2);

// What restoration's acceptance yields, as a credit or quota (入账).
struct NewCredit {
  std::string region_code;
  std::string source_project_id;
  double area_m2 = 0;
  double paddy_area_m2 = 0;
  double grain_capacity_kg = 0;
  int quality_grade = 0;
};
Status ValidateNewCredit(const NewCredit& c);

struct NewQuota {
  std::string region_code;
  std::string source_project_id;
  double area_m2 = 0;
};
Status ValidateNewQuota(const NewQuota& q);

// Tolerance for comparing areas summed in floating point (square metres).
inline constexpr double kAreaEpsilon = 1e-6;

}  // namespace nrp::land_supply
