#include "domain/batch.h"

#include <cmath>
#include <cstdio>
#include <set>

namespace nrp::land_supply {

namespace {

Status AreaField(double v, const std::string& field) {
  if (!std::isfinite(v) || v < 0) {
    return Error::InvalidArgument(field, "must be a finite number not below 0");
  }
  return Ok();
}

std::string Kg(double kg) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f kg/year", kg);
  return buf;
}

}  // namespace

Status ValidateNewBatch(const NewBatch& b) {
  NRP_RETURN_IF_ERROR(RegionCode::Parse(b.region_code, "batch.region_code"));
  if (b.name.empty()) return Error::InvalidArgument("batch.name", "required");
  if (b.year < 1990 || b.year > 2100) {
    return Error::InvalidArgument("batch.year", "must be a plan year between 1990 and 2100");
  }
  if (b.parcel_ids.empty()) {
    return Error::InvalidArgument("batch.parcel_ids", "at least one parcel");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < b.parcel_ids.size(); ++i) {
    if (b.parcel_ids[i].empty() || !seen.insert(b.parcel_ids[i]).second) {
      return Error::InvalidArgument("batch.parcel_ids[" + std::to_string(i) + "]",
                                    "empty or repeated");
    }
  }
  NRP_RETURN_IF_ERROR(AreaField(b.total_area_m2, "batch.total_area.square_metres"));
  NRP_RETURN_IF_ERROR(
      AreaField(b.agricultural_land_area_m2, "batch.agricultural_land_area.square_metres"));
  NRP_RETURN_IF_ERROR(
      AreaField(b.cultivated_land_area_m2, "batch.cultivated_land_area.square_metres"));
  NRP_RETURN_IF_ERROR(AreaField(b.paddy_area_m2, "batch.paddy_area.square_metres"));
  NRP_RETURN_IF_ERROR(AreaField(b.unused_land_area_m2, "batch.unused_land_area.square_metres"));
  NRP_RETURN_IF_ERROR(AreaField(b.plan_quota_area_m2, "batch.plan_quota_area.square_metres"));
  if (!std::isfinite(b.grain_capacity_kg) || b.grain_capacity_kg < 0) {
    return Error::InvalidArgument("batch.grain_capacity_kg", "must be a finite number not below 0");
  }
  if (b.total_area_m2 <= 0) {
    return Error::InvalidArgument("batch.total_area.square_metres", "must be more than 0");
  }
  if (b.agricultural_land_area_m2 > b.total_area_m2 + kAreaEpsilon) {
    return Error::InvalidArgument("batch.agricultural_land_area", "exceeds the batch's total area");
  }
  if (b.cultivated_land_area_m2 > b.agricultural_land_area_m2 + kAreaEpsilon) {
    return Error::InvalidArgument("batch.cultivated_land_area",
                                  "exceeds the agricultural land converted");
  }
  if (b.paddy_area_m2 > b.cultivated_land_area_m2 + kAreaEpsilon) {
    return Error::InvalidArgument("batch.paddy_area", "exceeds the cultivated land occupied");
  }
  if (b.unused_land_area_m2 > b.total_area_m2 - b.agricultural_land_area_m2 + kAreaEpsilon) {
    return Error::InvalidArgument("batch.unused_land_area",
                                  "exceeds the total area less the agricultural land");
  }
  if (b.cultivated_land_area_m2 > 0) {
    if (b.cultivated_quality_grade < 1 || b.cultivated_quality_grade > 10) {
      return Error::InvalidArgument(
          "batch.cultivated_quality_grade",
          "must be a quality grade 1 (best) to 10 (GB/T 33469-2016) when cultivated land is "
          "occupied");
    }
  } else if (b.cultivated_quality_grade != 0 || b.paddy_area_m2 > 0 || b.grain_capacity_kg > 0) {
    return Error::InvalidArgument("batch.cultivated_quality_grade",
                                  "grade, paddy area and grain capacity need occupied cultivated "
                                  "land");
  }
  return Ok();
}

LedgerAccountState AccountStateFor(double original_area_m2, double remaining_area_m2) {
  if (remaining_area_m2 <= kAreaEpsilon) return LedgerAccountState::kUsedUp;
  if (remaining_area_m2 >= original_area_m2 - kAreaEpsilon) return LedgerAccountState::kAvailable;
  return LedgerAccountState::kPartiallyUsed;
}

Result<std::vector<AccountAfter>> CheckApproval(
    const BatchNeeds& batch, int authority, const std::vector<Allocation>& allocations,
    const std::map<std::string, LedgerAccount>& accounts) {
  if (!InEnumRange(authority, kApprovalAuthorityMax)) {
    return Error::InvalidArgument(
        "authority",
        "must be an ApprovalAuthority value other than APPROVAL_AUTHORITY_UNSPECIFIED");
  }
  if (batch.state != BatchState::kApplied) {
    return Error::FailedPrecondition("BATCH_STATE", batch.batch_id,
                                     "batch " + batch.batch_id + " is " +
                                         std::string(BatchStateName(batch.state)) +
                                         "; only an APPLIED batch is approved");
  }
  NRP_ASSIGN_OR_RETURN(RegionCode batch_region,
                       RegionCode::Parse(batch.region_code, "batch.region_code"));

  std::map<std::string, AccountAfter> after;
  double area = 0, paddy = 0, grain = 0;
  for (size_t i = 0; i < allocations.size(); ++i) {
    const auto& a = allocations[i];
    std::string field = "allocations[" + std::to_string(i) + "]";
    if (!InEnumRange(a.ledger, kLedgerKindMax)) {
      return Error::InvalidArgument(
          field + ".ledger", "must be a LedgerKind value other than LEDGER_KIND_UNSPECIFIED");
    }
    if (a.account_id.empty()) return Error::InvalidArgument(field + ".account_id", "required");
    for (auto [v, name] : {std::pair{a.area_m2, ".area.square_metres"},
                           std::pair{a.paddy_area_m2, ".paddy_area.square_metres"},
                           std::pair{a.grain_capacity_kg, ".grain_capacity_kg"}}) {
      if (!std::isfinite(v) || v < 0) {
        return Error::InvalidArgument(field + name, "must be a finite number not below 0");
      }
    }
    if (a.area_m2 <= 0)
      return Error::InvalidArgument(field + ".area.square_metres", "must be more than 0");
    auto ledger = static_cast<LedgerKind>(a.ledger);
    if (ledger == LedgerKind::kLinkageQuota && (a.paddy_area_m2 > 0 || a.grain_capacity_kg > 0)) {
      return Error::InvalidArgument(field, "a linkage quota allocation carries an area only");
    }
    if (a.paddy_area_m2 > a.area_m2 + kAreaEpsilon) {
      return Error::InvalidArgument(field + ".paddy_area", "exceeds the allocation's area");
    }
    auto it = accounts.find(a.account_id);
    if (it == accounts.end() || it->second.ledger != ledger) {
      return Error::NotFound(std::string(ledger == LedgerKind::kLinkageQuota
                                             ? "linkage quota "
                                             : "compensation credit ") +
                             a.account_id + " not found");
    }
    const LedgerAccount& acc = it->second;
    auto acc_region = RegionCode::Parse(acc.region_code, "account.region_code");
    if (!acc_region.ok() || !acc_region->Contains(batch_region)) {
      return Error::FailedPrecondition(
          "LEDGER_REGION", a.account_id,
          "account " + a.account_id + " belongs to region " + acc.region_code +
              ", which does not contain the batch's region " + batch.region_code);
    }
    auto [slot, fresh] = after.try_emplace(a.account_id);
    if (fresh) {
      slot->second.account_id = acc.account_id;
      slot->second.ledger = acc.ledger;
      slot->second.remaining_area_m2 = acc.remaining_area_m2;
      slot->second.remaining_paddy_area_m2 = acc.remaining_paddy_area_m2;
      slot->second.remaining_grain_capacity_kg = acc.remaining_grain_capacity_kg;
    }
    AccountAfter& left = slot->second;
    if (a.area_m2 > left.remaining_area_m2 + kAreaEpsilon ||
        a.paddy_area_m2 > left.remaining_paddy_area_m2 + kAreaEpsilon ||
        a.grain_capacity_kg > left.remaining_grain_capacity_kg + kAreaEpsilon) {
      return Error::FailedPrecondition(
          "LEDGER_INSUFFICIENT", a.account_id,
          "account " + a.account_id + " has " + FormatArea(left.remaining_area_m2) + " (paddy " +
              FormatArea(left.remaining_paddy_area_m2) + ", grain " +
              Kg(left.remaining_grain_capacity_kg) + ") left; the allocation asks for " +
              FormatArea(a.area_m2) + " (paddy " + FormatArea(a.paddy_area_m2) + ", grain " +
              Kg(a.grain_capacity_kg) + "); a credit is used once");
    }
    left.remaining_area_m2 = std::max(0.0, left.remaining_area_m2 - a.area_m2);
    left.remaining_paddy_area_m2 = std::max(0.0, left.remaining_paddy_area_m2 - a.paddy_area_m2);
    left.remaining_grain_capacity_kg =
        std::max(0.0, left.remaining_grain_capacity_kg - a.grain_capacity_kg);

    if (ledger == LedgerKind::kFarmlandCompensation) {
      if (batch.cultivated_land_area_m2 > 0 && acc.quality_grade > batch.cultivated_quality_grade) {
        return Error::FailedPrecondition(
            "COMPENSATION_QUALITY_LOWER", a.account_id,
            "credit " + a.account_id + " is of quality grade " + std::to_string(acc.quality_grade) +
                ", lower than the occupied land's grade " +
                std::to_string(batch.cultivated_quality_grade) + " (占优补优)");
      }
      area += a.area_m2;
      paddy += a.paddy_area_m2;
      grain += a.grain_capacity_kg;
    }
  }

  if (batch.cultivated_land_area_m2 > 0) {
    if (area + kAreaEpsilon < batch.cultivated_land_area_m2) {
      return Error::FailedPrecondition(
          "COMPENSATION_AREA_SHORT", batch.batch_id,
          "batch " + batch.batch_id + " occupies " + FormatArea(batch.cultivated_land_area_m2) +
              " of cultivated land but reserves " + FormatArea(area) +
              " of compensation credit; the credit comes first and covers at least the same "
              "area (先补后占, 占一补一)");
    }
    if (paddy + kAreaEpsilon < batch.paddy_area_m2) {
      return Error::FailedPrecondition("COMPENSATION_PADDY_SHORT", batch.batch_id,
                                       "batch " + batch.batch_id + " occupies " +
                                           FormatArea(batch.paddy_area_m2) +
                                           " of paddy field but reserves " + FormatArea(paddy) +
                                           " of paddy credit (占水田补水田)");
    }
    if (grain + kAreaEpsilon < batch.grain_capacity_kg) {
      return Error::FailedPrecondition(
          "COMPENSATION_GRAIN_SHORT", batch.batch_id,
          "batch " + batch.batch_id + " occupies land of " + Kg(batch.grain_capacity_kg) +
              " grain capacity but reserves " + Kg(grain) + " (grain capacity ledger)");
    }
  }

  std::vector<AccountAfter> out;
  for (auto& [id, a] : after) {
    a.state = AccountStateFor(accounts.at(id).original_area_m2, a.remaining_area_m2);
    out.push_back(a);
  }
  return out;
}

Status ValidateNewCredit(const NewCredit& c) {
  NRP_RETURN_IF_ERROR(RegionCode::Parse(c.region_code, "region_code"));
  if (c.source_project_id.empty()) return Error::InvalidArgument("project_id", "required");
  NRP_RETURN_IF_ERROR(AreaField(c.area_m2, "new_cultivated_area"));
  NRP_RETURN_IF_ERROR(AreaField(c.paddy_area_m2, "new_paddy_area"));
  if (c.area_m2 <= 0) return Error::InvalidArgument("new_cultivated_area", "must be more than 0");
  if (c.paddy_area_m2 > c.area_m2 + kAreaEpsilon) {
    return Error::InvalidArgument("new_paddy_area", "exceeds the new cultivated area");
  }
  if (!std::isfinite(c.grain_capacity_kg) || c.grain_capacity_kg < 0) {
    return Error::InvalidArgument("grain_capacity_kg", "must be a finite number not below 0");
  }
  if (c.quality_grade < 1 || c.quality_grade > 10) {
    return Error::InvalidArgument("quality_grade", "must be 1 (best) to 10 (GB/T 33469-2016)");
  }
  return Ok();
}

Status ValidateNewQuota(const NewQuota& q) {
  NRP_RETURN_IF_ERROR(RegionCode::Parse(q.region_code, "region_code"));
  if (q.source_project_id.empty()) return Error::InvalidArgument("project_id", "required");
  NRP_RETURN_IF_ERROR(AreaField(q.area_m2, "reclaimed_area"));
  if (q.area_m2 <= 0) return Error::InvalidArgument("reclaimed_area", "must be more than 0");
  return Ok();
}

}  // namespace nrp::land_supply
