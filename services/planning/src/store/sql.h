// Small helpers shared by the store files: prepared statements registered on
// first use, array parameters, nullable parameters, times and dates.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"

namespace nrp::planning::store {

// Runs the prepared statement `name` (registered on the connection on first
// use; libpqxx prepares it on the server when it is first executed).
template <class... Args>
pqxx::result Exec(pqxx::transaction_base& txn, const char* name, const char* sql, Args&&... args) {
  txn.conn().prepare(name, sql);
  return txn.exec_prepared(name, std::forward<Args>(args)...);
}

// A PostgreSQL array literal of text values ("{"a","b\"c"}"), for `$n::text[]`.
std::string TextArray(const std::vector<std::string>& values);

// Lower-case hex of bytes, and back (bytea travels as hex text).
std::string HexEncode(std::string_view bytes);
std::string HexDecode(std::string_view hex);

// A nullable parameter: nullptr for none.
inline const char* Nullable(const std::optional<std::string>& s) {
  return s ? s->c_str() : nullptr;
}
std::optional<std::string> NumberOrNull(const std::optional<double>& v);
std::optional<std::string> DateOrNull(const std::optional<Date>& d);

// Microseconds since the epoch, as SELECTed with MicrosSql("col").
std::string MicrosSql(std::string_view column);
TimePoint FromMicros(int64_t micros);
std::optional<TimePoint> OptionalTime(const pqxx::field& f);
std::optional<Date> OptionalDate(const pqxx::field& f);  // 'YYYY-MM-DD' text
std::optional<double> OptionalDouble(const pqxx::field& f);

// RFC 3339 text for a timestamptz parameter.
inline std::string TimeParam(TimePoint t) { return FormatRfc3339(t); }

}  // namespace nrp::planning::store
