# Script mode: writes OUT_CC and OUT_H embedding the SQL files of FILES for COMPONENT.
string(REPLACE "|" ";" files "${FILES}")
list(SORT files)
set(entries "")
foreach(f ${files})
  get_filename_component(base ${f} NAME)
  if(NOT base MATCHES "^([0-9][0-9][0-9][0-9])_[a-z0-9_]+\\.sql$")
    message(FATAL_ERROR "migration file name must be NNNN_lower_case.sql: ${f}")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ ${f} sql)
  string(FIND "${sql}" ")nrpsql\"" bad)
  if(NOT bad EQUAL -1)
    message(FATAL_ERROR "${f} contains the embedding delimiter")
  endif()
  string(APPEND entries "      {${version}, \"${base}\", R\"nrpsql(${sql})nrpsql\"},\n")
endforeach()
file(WRITE ${OUT_H}.tmp "// Generated from the ${COMPONENT} migrations folder. Do not edit.
#pragma once
#include \"nrp/db/migrations.h\"
const nrp::db::MigrationSet& nrp_migrations_${COMPONENT}();
")
file(WRITE ${OUT_CC}.tmp "// Generated from the ${COMPONENT} migrations folder. Do not edit.
#include \"nrp_migrations_${COMPONENT}.h\"
const nrp::db::MigrationSet& nrp_migrations_${COMPONENT}() {
  static const nrp::db::MigrationSet set{\"${COMPONENT}\", {
${entries}  }};
  return set;
}
")
file(COPY_FILE ${OUT_H}.tmp ${OUT_H} ONLY_IF_DIFFERENT)
file(COPY_FILE ${OUT_CC}.tmp ${OUT_CC} ONLY_IF_DIFFERENT)
