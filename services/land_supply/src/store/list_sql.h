// The SQL tail of a list statement: the caller's regions, the list's filter,
// the page's position, order and limit, all as parameters.
#pragma once

#include <string>
#include <vector>

#include "nrp/list/list.h"
#include "store/store.h"

namespace nrp::land_supply::store {

// " WHERE ... ORDER BY ... LIMIT ..." for `q`; `base_conditions` are ANDed in
// front (already parameterised through `params`). `region_column` restricts to
// the caller's prefixes when q has any.
std::string ListTail(const ListQuery& q, const std::string& region_column,
                     const std::vector<std::string>& base_conditions, list::Params& params);

}  // namespace nrp::land_supply::store
