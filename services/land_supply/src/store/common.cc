// The common tail of list statements.
#include "store/list_sql.h"

namespace nrp::land_supply::store {

std::string ListTail(const ListQuery& q, const std::string& region_column,
                     const std::vector<std::string>& base_conditions, list::Params& params) {
  std::string sql = " WHERE true";
  for (const auto& c : base_conditions) sql += " AND " + c;
  if (!q.region_prefixes.empty() && !region_column.empty()) {
    std::string any;
    for (const auto& p : q.region_prefixes) {
      any += (any.empty() ? "" : " OR ") + region_column + "::text LIKE " + params.Add(p + "%");
    }
    sql += " AND (" + any + ")";
  }
  return sql + q.query.Where(params) + q.query.OrderLimit(params);
}

}  // namespace nrp::land_supply::store
