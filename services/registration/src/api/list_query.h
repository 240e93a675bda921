// Paging, filtering and ordering of List/Search methods (AIP-158, AIP-160, AIP-132) as this
// service supports them: page tokens are opaque offsets; a filter is a conjunction of
// comparisons of whitelisted fields with literals, e.g.
//   state = CASE_STATE_ACCEPTED AND overdue = true AND region_code = "410302"
// Values reach SQL only as parameters.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "nrp/core/status.h"

namespace nrp::registration {

struct FilterField {
  enum class Type { kText, kEnum, kBool, kTimestamp, kInt };
  std::string column;  // SQL column (from the whitelist, never from input)
  Type type = Type::kText;
  // kEnum: names accepted and the numbers they stand for.
  std::map<std::string, int> enum_values;
};

struct FilterCondition {
  std::string column;
  std::string op;     // =, !=, <, <=, >, >=
  std::string value;  // text parameter; enums and bools as numbers / "true"/"false"
  FilterField::Type type = FilterField::Type::kText;
};

// INVALID_ARGUMENT naming "filter" for syntax errors and unknown fields.
Result<std::vector<FilterCondition>> ParseFilter(const std::string& text,
                                                 const std::map<std::string, FilterField>& fields);

// SQL "AND col op $n::type" fragments appended to `sql`, parameters appended to `params`.
void AppendConditions(const std::vector<FilterCondition>& conditions, std::string* sql,
                      std::vector<std::string>* params);

struct Page {
  int64_t offset = 0;
  int limit = 50;
};
// page_size 0 → 50, above 1000 → 1000, negative → INVALID_ARGUMENT; token → offset.
Result<Page> ParsePage(int page_size, const std::string& page_token);
// `fetched` rows were read with a limit of page.limit + 1; more than limit means another page.
std::string NextPageToken(const Page& page, size_t fetched);

// Empty or one of `allowed` (e.g. "unit_code", "unit_code asc"); INVALID_ARGUMENT otherwise.
Status CheckOrderBy(const std::string& order_by, const std::vector<std::string>& allowed);

// Enum value names of a protobuf enum descriptor → numbers, for FilterField.
template <class EnumDescriptorGetter>
std::map<std::string, int> EnumValues(EnumDescriptorGetter getter) {
  std::map<std::string, int> out;
  const auto* d = getter();
  for (int i = 0; i < d->value_count(); ++i) out[d->value(i)->name()] = d->value(i)->number();
  return out;
}

}  // namespace nrp::registration
