// Output for people: aligned tables (display width aware, so 河南省 counts as
// six columns), messages as indented trees with repeated messages as tables,
// and errors with every field and precondition violation on its own line.
// Output for scripts: the same errors as one JSON object.
#pragma once

#include <google/protobuf/message.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "nrp/core/status.h"

namespace nrp::nrpctl {

// Terminal columns `text` (UTF-8) takes: East Asian wide and fullwidth
// characters count two, combining marks zero.
int DisplayWidth(std::string_view text);
// `text` cut to at most `max_width` columns, ending in "…" when cut. Newlines
// and tabs become spaces.
std::string Truncate(std::string_view text, int max_width);

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};
// Columns separated by two spaces, each as wide as its widest cell (cells
// above `max_cell_width` columns are truncated; 0 = no limit); trailing
// spaces trimmed.
void RenderTable(const Table& table, std::ostream& out, std::string_view indent = "",
                 int max_cell_width = 48);

// A column of a message table: a dotted path of singular fields and its header.
struct Column {
  std::string path;
  std::string header;  // empty: the path upper-cased
};
// A table of `rows` (messages of one type) with the given columns (a column
// empty in every row is left out), or, when `columns` is empty, with one
// column per field that is set in some row:
// scalar and well-known fields directly, other singular messages flattened one
// level ("layer.version"), repeated fields as counts or joined scalars.
Table MessageTable(const std::vector<const google::protobuf::Message*>& rows,
                   const std::vector<Column>& columns = {});

// A field's value for people: enums without their prefix, timestamps in RFC
// 3339, nrp.common.v1.Date as YYYY-MM-DD, Money in 元, Area in hectares,
// geometries shortened, other messages as compact JSON. `index` selects an
// element of a repeated field.
std::string FormatField(const google::protobuf::Message& message,
                        const google::protobuf::FieldDescriptor* field, int index = -1);
// The value at a dotted path ("target.text"), "" when a message on the way is unset.
std::string FormatPath(const google::protobuf::Message& message, std::string_view path);

// The message as "field: value" lines, nested messages indented, repeated
// messages as tables, maps as "key: value" lines. Fields at their default
// value are left out.
void RenderTree(const google::protobuf::Message& message, std::ostream& out, int indent = 0);

// Standard base64 (RFC 4648, with padding).
std::string Base64(std::string_view bytes);

// "INVALID_ARGUMENT: message" then one line per field violation, precondition
// violation, the reason and each metadata entry. No trailing newline.
std::string FormatErrorText(const Error& error);
// {"error":{"code":"INVALID_ARGUMENT","message":…,"field_violations":[…],
//  "precondition_violations":[…],"reason":…,"metadata":{…}}}
std::string FormatErrorJson(const Error& error);

}  // namespace nrp::nrpctl
