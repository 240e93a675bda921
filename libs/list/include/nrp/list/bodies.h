// Resources kept whole as their contract message in a bytea column (`body`) beside the columns
// a service locks, filters and orders on: writing and reading the message, and a page of them
// through a list::Query. Header-only; every service's store uses it instead of its own copy.
//
//   list::Params params;
//   const std::string where = "state = 1" + list::RegionCondition(caller_prefixes, params);
//   return list::ListBodies<v1::Project>(tx, q, "projects", where, params, "project");
#pragma once

#include <google/protobuf/message.h>

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "nrp/core/status.h"
#include "nrp/list/list.h"

namespace nrp::list {

// The message serialized, as a statement parameter for a bytea column.
inline pqxx::binarystring Body(const google::protobuf::Message& m) {
  std::string bytes;
  m.SerializeToString(&bytes);
  return pqxx::binarystring(bytes.data(), bytes.size());
}

// The message stored in a bytea field; INTERNAL naming `what` when it cannot be read.
template <class M>
Result<M> ParseBody(const pqxx::field& f, const char* what) {
  M m;
  const pqxx::binarystring bytes(f);
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Error::Internal(std::string("a stored ") + what + " cannot be read");
  }
  return m;
}

// " AND (<column> LIKE 'p1%' OR …)" for the caller's region prefixes; "" (every region) when
// there are none.
inline std::string RegionCondition(const std::vector<std::string>& prefixes, Params& params,
                                   const std::string& column = "region_code::text") {
  if (prefixes.empty()) return "";
  std::string any;
  for (const auto& p : prefixes) {
    any += (any.empty() ? "" : " OR ") + column + " LIKE " + params.Add(p + "%");
  }
  return " AND (" + any + ")";
}

// A page of resources kept whole in `body`, from `table` under the base condition `where`
// (whose parameters are already in `params`), filtered, ordered and paged by `q`.
template <class M>
Result<Page<M>> ListBodies(pqxx::work& tx, const Query& q, const std::string& table,
                           const std::string& where, Params& params, const char* what) {
  const std::string sql = "SELECT body" + q.CursorColumns() + " FROM " + table + " WHERE " + where +
                          q.Where(params) + q.OrderLimit(params);
  auto rows = params.Exec(tx, sql);
  return q.Collect(rows, [what](const pqxx::row& r) { return ParseBody<M>(r[0], what); });
}

}  // namespace nrp::list
