// Helpers shared by the store's files: parameters and column reading.
#pragma once

#include <google/protobuf/message.h>

#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "convert/convert.h"
#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/status.h"

namespace nrp::land_supply::store {

// A message as a bytea parameter; an empty message is stored as NULL through
// NULLIF($n, ''::bytea) in the statement.
inline pqxx::binarystring Bytes(const google::protobuf::Message& m) {
  std::string s;
  m.SerializeToString(&s);
  return pqxx::binarystring(s);
}
inline pqxx::binarystring Bytes(const std::string& s) { return pqxx::binarystring(s); }

// Parses a bytea column into `m` (left empty when NULL).
inline void ReadMessage(const pqxx::field& f, google::protobuf::Message* m) {
  if (f.is_null()) return;
  pqxx::binarystring b(f);
  m->ParseFromArray(b.data(), static_cast<int>(b.size()));
}

inline std::string ReadBytes(const pqxx::field& f) {
  if (f.is_null()) return {};
  return pqxx::binarystring(f).str();
}

// Dates travel as "YYYY-MM-DD" text ("" = NULL via NULLIF($n,'')::date).
inline std::string DateParam(const std::optional<Date>& d) { return d ? d->ToString() : ""; }
inline std::optional<Date> ReadDate(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  auto d = Date::Parse(f.c_str());
  if (!d.ok()) return std::nullopt;
  return *d;
}

// Instants travel as epoch microseconds (ls_ts/ls_us in SQL); NULL as "".
inline std::string TsParam(const std::optional<TimePoint>& t) {
  return t ? std::to_string(EpochMicros(*t)) : "";
}
inline std::string TsParam(const google::protobuf::Timestamp& t, bool has) {
  return has ? std::to_string(EpochMicros(FromTimestamp(t))) : "";
}
inline bool ReadTs(const pqxx::field& f, google::protobuf::Timestamp* out) {
  if (f.is_null()) return false;
  *out = ToTimestamp(FromEpochMicros(f.as<int64_t>()));
  return true;
}
inline std::optional<TimePoint> ReadTimePoint(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return FromEpochMicros(f.as<int64_t>());
}

inline std::string OptText(const pqxx::field& f) { return f.is_null() ? "" : f.c_str(); }

}  // namespace nrp::land_supply::store
