// Small helpers shared by the outbox, the relay and the consumer.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nrp::events::internal {

// Defines a prepared statement on the transaction's connection. libpqxx 6
// prepares it on the server at first use and accepts the same definition
// again, so calling this before every use is cheap and survives reconnects.
inline void Prepare(pqxx::transaction_base& txn, const std::string& name, const char* sql) {
  txn.conn().prepare(name, sql);
}
inline void Prepare(pqxx::connection_base& conn, const std::string& name, const char* sql) {
  conn.prepare(name, sql);
}

// Adds key=value parameters to a libpq conninfo, either form: "k=v …" or a
// postgres:// URI. Values are quoted as libpq wants them.
inline std::string AppendConninfo(const std::string& conninfo,
                                  const std::vector<std::pair<std::string, std::string>>& params) {
  bool uri = conninfo.rfind("postgresql://", 0) == 0 || conninfo.rfind("postgres://", 0) == 0;
  std::string out = conninfo;
  for (const auto& [k, v] : params) {
    if (uri) {
      out += out.find('?') == std::string::npos ? '?' : '&';
      out += k + "=";
      for (char c : v) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '_' || c == '.';
        if (plain) {
          out += c;
        } else {
          static const char* kHex = "0123456789ABCDEF";
          out += '%';
          out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
          out += kHex[static_cast<unsigned char>(c) & 0xF];
        }
      }
    } else {
      out += ' ' + k + "='";
      for (char c : v) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
      }
      out += '\'';
    }
  }
  return out;
}

// Kafka's rule: 1..249 of [A-Za-z0-9._-], not "." or "..".
inline bool IsValidTopicName(std::string_view name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// PostgreSQL array literal of integers: "{1,2,3}".
inline std::string IntArrayLiteral(const std::vector<int64_t>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(values[i]);
  }
  out += '}';
  return out;
}

// PostgreSQL array literal of text values, each quoted and escaped.
inline std::string TextArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace nrp::events::internal
