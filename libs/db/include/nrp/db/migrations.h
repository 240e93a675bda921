// Schema migrations: numbered SQL files per component, compiled into the
// binary (see nrp_embed_migrations in libs/db/cmake), applied at start.
// Each file runs in its own transaction and its SHA-256 is recorded; a
// PostgreSQL advisory lock serialises instances that start together; a file
// changed after it was applied stops the start with an error.
#pragma once

#include <string>
#include <vector>

#include "nrp/db/pool.h"

namespace nrp::db {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

struct MigrationSet {
  std::string component;
  std::vector<Migration> migrations;
};

struct MigrationReport {
  int applied = 0;
  int already_applied = 0;
};

// Applies, in order, every set's migrations not yet recorded in
// schema_migrations. FAILED_PRECONDITION when an applied file changed or
// versions are not strictly increasing; the failing file is named.
Result<MigrationReport> ApplyMigrations(Pool& pool, const std::vector<MigrationSet>& sets);

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace nrp::db
