// Turning a ListQuery into a parameterised WHERE / ORDER BY / LIMIT.
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "store/store.h"

namespace nrp::land_supply::store {

struct FieldSpec {
  enum class Type { kText, kInt, kEnum, kBool, kDate };
  std::string name;    // as written in the filter
  std::string column;  // SQL expression
  Type type = Type::kText;
  const google::protobuf::EnumDescriptor* enum_type = nullptr;
};

struct OrderSpec {
  std::string name;
  std::string column;
};

// Parameters collected while building the statement ($1, $2, ...).
class Params {
 public:
  std::string Add(std::string value) {
    values_.push_back(std::move(value));
    return "$" + std::to_string(values_.size());
  }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
};

// " WHERE ... ORDER BY ... LIMIT ... OFFSET ..." for `q`; `base_conditions`
// are ANDed in front (already parameterised through `params`).
// `region_column` restricts to the caller's prefixes when q has any.
Result<std::string> BuildListTail(const ListQuery& q, const std::vector<FieldSpec>& fields,
                                  const std::vector<OrderSpec>& orders,
                                  const std::string& region_column,
                                  std::vector<std::string> base_conditions, Params& params,
                                  const std::string& tie_breaker);

pqxx::result ExecParams(pqxx::work& txn, const std::string& sql, const Params& params);

}  // namespace nrp::land_supply::store
