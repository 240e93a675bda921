#include "nrp/db/migrations.h"

#include <openssl/evp.h>

#include <cstdio>

#include "nrp/core/log.h"

namespace nrp::db {
namespace {

// Key of the advisory lock that serialises migration runs ("nrp_migrate").
constexpr int64_t kMigrationLockKey = 0x6e72705f6d696772;

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  std::string out;
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    out += buf;
  }
  return out;
}

Result<MigrationReport> ApplyMigrations(Pool& pool, const std::vector<MigrationSet>& sets) {
  for (const auto& set : sets) {
    int previous = 0;
    for (const auto& m : set.migrations) {
      if (m.version <= previous) {
        return Error::FailedPrecondition(
            "MIGRATION_ORDER", set.component + "/" + m.name,
            "migration versions of " + set.component + " must increase: " + m.name);
      }
      previous = m.version;
    }
  }
  auto lease = pool.Acquire();
  if (!lease.ok()) return std::move(lease.error());
  pqxx::connection& conn = **lease;
  MigrationReport report;
  try {
    {
      pqxx::nontransaction tx(conn);
      tx.exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")");
    }
    struct Unlock {
      pqxx::connection& c;
      ~Unlock() {
        try {
          pqxx::nontransaction tx(c);
          tx.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
        } catch (...) {
        }
      }
    } unlock{conn};
    {
      pqxx::work tx(conn);
      tx.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " component text NOT NULL, version integer NOT NULL, name text NOT NULL,"
          " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
          " PRIMARY KEY (component, version))");
      tx.commit();
    }
    for (const auto& set : sets) {
      for (const auto& m : set.migrations) {
        const std::string checksum = Sha256Hex(m.sql);
        pqxx::work tx(conn);
        auto existing = tx.exec_params(
            "SELECT name, checksum FROM schema_migrations WHERE component = $1 AND version = $2",
            set.component, m.version);
        if (!existing.empty()) {
          if (existing[0][1].as<std::string>() != checksum) {
            return Error::FailedPrecondition(
                "MIGRATION_CHANGED", set.component + "/" + m.name,
                "migration " + set.component + "/" + m.name +
                    " was changed after it was applied (recorded checksum " +
                    existing[0][1].as<std::string>() + ", file " + checksum +
                    "); add a new migration instead of editing an applied one");
          }
          ++report.already_applied;
          continue;
        }
        tx.exec(m.sql);
        tx.exec_params(
            "INSERT INTO schema_migrations (component, version, name, checksum) "
            "VALUES ($1, $2, $3, $4)",
            set.component, m.version, m.name, checksum);
        tx.commit();
        ++report.applied;
        log::Info("migration applied", {{"component", set.component}, {"migration", m.name}});
      }
    }
  } catch (const std::exception& e) {
    Error err = MapException(e);
    if (err.code() == Code::kUnavailable) lease->Discard();
    return err.Prefix("applying migrations");
  }
  return report;
}

}  // namespace nrp::db
