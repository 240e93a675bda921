#include "nrp/nrpctl/format.h"

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nrp/nrpctl/dynamic.h"

namespace nrp::nrpctl {
namespace {

namespace pb = google::protobuf;

// Decodes one UTF-8 code point at `i`; invalid bytes decode as themselves.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return b;
  }
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {
      ++i;
      return b;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += len;
  return cp;
}

int CodePointWidth(char32_t c) {
  if (c == 0) return 0;
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) ||
      (c >= 0xFE00 && c <= 0xFE0F)) {
    return 0;
  }
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
      (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
      (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
      (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
      (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

std::string Flatten(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

std::string FormatDouble(double v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return std::to_string(v);
  return std::string(buf, ptr);
}

// `v` with at most `decimals` decimals, trailing zeros dropped.
std::string FormatFixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

bool IsLeafType(const pb::Descriptor* type) {
  const std::string& n = type->full_name();
  return n == "google.protobuf.Timestamp" || n == "google.protobuf.Duration" ||
         n == "nrp.common.v1.Date" || n == "nrp.common.v1.Money" || n == "nrp.common.v1.Area" ||
         n == "nrp.common.v1.Geometry" ||
         (type->file()->name() == "google/protobuf/wrappers.proto");
}

bool IsLeafField(const pb::FieldDescriptor* f) {
  return f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE || IsLeafType(f->message_type());
}

std::string CompactJson(const pb::Message& m) {
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string out;
  if (!pb::util::MessageToJsonString(m, &out, options).ok()) return "{…}";
  return out;
}

std::string FormatLeafMessage(const pb::Message& m) {
  const pb::Descriptor* d = m.GetDescriptor();
  const pb::Reflection* r = m.GetReflection();
  const std::string& n = d->full_name();
  auto num = [&](const char* name) { return d->FindFieldByName(name); };
  if (n == "google.protobuf.Timestamp") {
    pb::Timestamp ts;
    ts.CopyFrom(m);
    return pb::util::TimeUtil::ToString(ts);
  }
  if (n == "google.protobuf.Duration") {
    pb::Duration du;
    du.CopyFrom(m);
    return pb::util::TimeUtil::ToString(du);
  }
  if (n == "nrp.common.v1.Date") {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", r->GetInt32(m, num("year")),
                  r->GetInt32(m, num("month")), r->GetInt32(m, num("day")));
    return buf;
  }
  if (n == "nrp.common.v1.Money") {
    int64_t fen = r->GetInt64(m, num("fen"));
    uint64_t abs = fen < 0 ? static_cast<uint64_t>(-(fen + 1)) + 1 : static_cast<uint64_t>(fen);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s%llu.%02llu 元", fen < 0 ? "-" : "",
                  static_cast<unsigned long long>(abs / 100),
                  static_cast<unsigned long long>(abs % 100));
    return buf;
  }
  if (n == "nrp.common.v1.Area") {
    double m2 = r->GetDouble(m, num("square_metres"));
    return FormatFixed(m2 / 10000.0, 4) + " ha";
  }
  if (n == "nrp.common.v1.Geometry") {
    const pb::FieldDescriptor* enc = num("encoding");
    std::string encoding = ShortEnumName(r->GetEnum(m, enc));
    std::string text = r->GetString(m, num("text"));
    int srid = r->GetInt32(m, num("srid"));
    std::string out = encoding == "GEOJSON" ? "GeoJSON " : encoding == "WKT" ? "WKT " : "";
    out += Truncate(text, 60);
    if (DisplayWidth(text) > 60) out += " [" + std::to_string(text.size()) + " bytes]";
    if (srid != 0) out += " (EPSG:" + std::to_string(srid) + ")";
    return out;
  }
  if (d->file()->name() == "google/protobuf/wrappers.proto") {
    const pb::FieldDescriptor* f = num("value");
    if (f != nullptr) return FormatField(m, f);
  }
  return CompactJson(m);
}

// Whether a singular field differs from its default (or is present).
bool IsSet(const pb::Message& m, const pb::FieldDescriptor* f) {
  const pb::Reflection* r = m.GetReflection();
  if (f->is_repeated()) return r->FieldSize(m, f) > 0;
  return r->HasField(m, f);
}

// Whether the field at a dotted path is set (non-default for proto3 scalars).
bool PathIsSet(const pb::Message& message, std::string_view path) {
  const pb::Message* m = &message;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part(path.substr(start, dot == std::string_view::npos ? path.npos : dot - start));
    const pb::FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(part);
    if (f == nullptr || !IsSet(*m, f)) return false;
    if (dot == std::string_view::npos) return true;
    if (f->is_repeated() || f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) return false;
    m = &m->GetReflection()->GetMessage(*m, f);
    start = dot + 1;
  }
}

std::string JoinRepeated(const pb::Message& m, const pb::FieldDescriptor* f) {
  const pb::Reflection* r = m.GetReflection();
  int n = r->FieldSize(m, f);
  if (f->is_map()) {
    std::vector<std::string> items;
    for (int i = 0; i < n; ++i) {
      const pb::Message& entry = r->GetRepeatedMessage(m, f, i);
      const pb::Descriptor* ed = entry.GetDescriptor();
      items.push_back(FormatField(entry, ed->FindFieldByName("key")) + "=" +
                      FormatField(entry, ed->FindFieldByName("value")));
    }
    std::sort(items.begin(), items.end());
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
  }
  if (!IsLeafField(f)) return n == 0 ? "" : std::to_string(n) + (n == 1 ? " item" : " items");
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? ", " : "") + FormatField(m, f, i);
  return out;
}

std::string Cell(const pb::Message& m, const pb::FieldDescriptor* f) {
  if (f->is_repeated()) return JoinRepeated(m, f);
  if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !IsSet(m, f)) return "";
  if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_ENUM &&
      m.GetReflection()->GetEnumValue(m, f) == 0) {
    return "";
  }
  if (f->has_presence() && !IsSet(m, f)) return "";
  return FormatField(m, f);
}

std::string UpperHeader(std::string_view path) {
  std::string out;
  for (char c : path) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<Column> DefaultColumns(const std::vector<const pb::Message*>& rows) {
  std::vector<Column> cols;
  if (rows.empty()) return cols;
  const pb::Descriptor* type = rows.front()->GetDescriptor();
  auto any_set = [&](const std::string& path) {
    for (const pb::Message* m : rows) {
      if (PathIsSet(*m, path)) return true;
    }
    return false;
  };
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* f = type->field(i);
    if (f->is_repeated() || IsLeafField(f)) {
      if (any_set(f->name())) cols.push_back({f->name(), ""});
      continue;
    }
    const pb::Descriptor* sub = f->message_type();
    for (int k = 0; k < sub->field_count(); ++k) {
      const pb::FieldDescriptor* sf = sub->field(k);
      if (sf->is_repeated() || !IsLeafField(sf)) continue;
      std::string path = f->name() + "." + sf->name();
      if (any_set(path)) cols.push_back({path, ""});
    }
  }
  return cols;
}

void Pad(std::ostream& out, int indent) { out << std::string(static_cast<size_t>(indent), ' '); }

}  // namespace

int DisplayWidth(std::string_view text) {
  int w = 0;
  size_t i = 0;
  while (i < text.size()) w += CodePointWidth(NextCodePoint(text, i));
  return w;
}

std::string Truncate(std::string_view text, int max_width) {
  std::string flat = Flatten(text);
  if (max_width <= 0 || DisplayWidth(flat) <= max_width) return flat;
  std::string out;
  int w = 0;
  size_t i = 0;
  while (i < flat.size()) {
    size_t start = i;
    int cw = CodePointWidth(NextCodePoint(flat, i));
    if (w + cw > max_width - 1) break;
    w += cw;
    out.append(flat, start, i - start);
  }
  return out + "…";
}

void RenderTable(const Table& table, std::ostream& out, std::string_view indent,
                 int max_cell_width) {
  size_t ncol = table.headers.size();
  std::vector<std::vector<std::string>> cells;
  cells.reserve(table.rows.size() + 1);
  cells.push_back(table.headers);
  for (const auto& row : table.rows) {
    std::vector<std::string> r;
    for (size_t c = 0; c < ncol; ++c) {
      r.push_back(Truncate(c < row.size() ? row[c] : "", max_cell_width));
    }
    cells.push_back(std::move(r));
  }
  std::vector<int> widths(ncol, 0);
  for (const auto& r : cells) {
    for (size_t c = 0; c < ncol; ++c) widths[c] = std::max(widths[c], DisplayWidth(r[c]));
  }
  for (const auto& r : cells) {
    std::string line(indent);
    for (size_t c = 0; c < ncol; ++c) {
      line += r[c];
      if (c + 1 < ncol)
        line += std::string(static_cast<size_t>(widths[c] - DisplayWidth(r[c]) + 2), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

Table MessageTable(const std::vector<const pb::Message*>& rows,
                   const std::vector<Column>& columns) {
  std::vector<Column> cols = columns.empty() ? DefaultColumns(rows) : columns;
  std::vector<std::vector<std::string>> cells;
  for (const pb::Message* m : rows) {
    std::vector<std::string> row;
    for (const auto& c : cols) row.push_back(FormatPath(*m, c.path));
    cells.push_back(std::move(row));
  }
  // A column empty in every row says nothing; leave it out.
  std::vector<size_t> keep;
  for (size_t c = 0; c < cols.size(); ++c) {
    bool any = cells.empty();
    for (const auto& row : cells) any = any || !row[c].empty();
    if (any) keep.push_back(c);
  }
  Table t;
  for (size_t c : keep) {
    t.headers.push_back(cols[c].header.empty() ? UpperHeader(cols[c].path) : cols[c].header);
  }
  for (const auto& row : cells) {
    std::vector<std::string> kept;
    for (size_t c : keep) kept.push_back(row[c]);
    t.rows.push_back(std::move(kept));
  }
  return t;
}

std::string FormatField(const pb::Message& m, const pb::FieldDescriptor* f, int index) {
  const pb::Reflection* r = m.GetReflection();
  bool rep = f->is_repeated() && index >= 0;
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_INT64:
      return std::to_string(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      return std::to_string(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      return std::to_string(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      return FormatDouble(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      return FormatDouble(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      const pb::EnumValueDescriptor* v = rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f);
      return ShortEnumName(v);
    }
    case pb::FieldDescriptor::CPPTYPE_STRING: {
      std::string s = rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
      return f->type() == pb::FieldDescriptor::TYPE_BYTES ? Base64(s) : s;
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      return FormatLeafMessage(rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f));
  }
  return "";
}

std::string FormatPath(const pb::Message& message, std::string_view path) {
  const pb::Message* m = &message;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part(path.substr(start, dot == std::string_view::npos ? path.npos : dot - start));
    const pb::FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(part);
    if (f == nullptr) return "";
    if (dot == std::string_view::npos) return Cell(*m, f);
    if (f->is_repeated() || f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) return "";
    if (!IsSet(*m, f)) return "";
    m = &m->GetReflection()->GetMessage(*m, f);
    start = dot + 1;
  }
}

void RenderTree(const pb::Message& message, std::ostream& out, int indent) {
  const pb::Reflection* r = message.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(message, &fields);
  for (const pb::FieldDescriptor* f : fields) {
    if (f->is_map()) {
      Pad(out, indent);
      out << f->name() << ":\n";
      std::vector<std::pair<std::string, std::string>> items;
      for (int i = 0; i < r->FieldSize(message, f); ++i) {
        const pb::Message& e = r->GetRepeatedMessage(message, f, i);
        const pb::Descriptor* ed = e.GetDescriptor();
        items.emplace_back(FormatField(e, ed->FindFieldByName("key")),
                           FormatField(e, ed->FindFieldByName("value")));
      }
      std::sort(items.begin(), items.end());
      for (const auto& [k, v] : items) {
        Pad(out, indent + 2);
        out << k << ": " << Flatten(v) << "\n";
      }
      continue;
    }
    if (f->is_repeated()) {
      int n = r->FieldSize(message, f);
      Pad(out, indent);
      if (IsLeafField(f)) {
        out << f->name() << ":\n";
        for (int i = 0; i < n; ++i) {
          Pad(out, indent + 2);
          out << "- " << Flatten(FormatField(message, f, i)) << "\n";
        }
        continue;
      }
      out << f->name() << ": (" << n << ")\n";
      std::vector<const pb::Message*> rows;
      for (int i = 0; i < n; ++i) rows.push_back(&r->GetRepeatedMessage(message, f, i));
      std::vector<Column> cols = DefaultColumns(rows);
      if (cols.size() <= 10) {
        RenderTable(MessageTable(rows, cols), out,
                    std::string(static_cast<size_t>(indent + 2), ' '));
      } else {
        for (int i = 0; i < n; ++i) {
          Pad(out, indent + 2);
          out << "- [" << i + 1 << "]\n";
          RenderTree(*rows[static_cast<size_t>(i)], out, indent + 4);
        }
      }
      continue;
    }
    if (!IsLeafField(f)) {
      Pad(out, indent);
      out << f->name() << ":\n";
      RenderTree(r->GetMessage(message, f), out, indent + 2);
      continue;
    }
    Pad(out, indent);
    out << f->name() << ": " << Flatten(FormatField(message, f)) << "\n";
  }
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string FormatErrorText(const Error& error) {
  std::ostringstream s;
  s << CodeName(error.code()) << ": " << Flatten(error.message());
  for (const auto& f : error.field_violations()) {
    s << "\n  field " << f.field << ": " << Flatten(f.description);
  }
  for (const auto& v : error.rule_violations()) {
    s << "\n  precondition " << v.type;
    if (!v.subject.empty()) s << " (" << v.subject << ")";
    s << ": " << Flatten(v.description);
  }
  if (!error.reason().empty()) s << "\n  reason: " << error.reason();
  for (const auto& [k, v] : error.metadata()) s << "\n  " << k << ": " << Flatten(v);
  return s.str();
}

std::string FormatErrorJson(const Error& error) {
  nlohmann::ordered_json e;
  e["code"] = CodeName(error.code());
  e["message"] = error.message();
  if (!error.field_violations().empty()) {
    auto& list = e["field_violations"] = nlohmann::ordered_json::array();
    for (const auto& f : error.field_violations()) {
      list.push_back({{"field", f.field}, {"description", f.description}});
    }
  }
  if (!error.rule_violations().empty()) {
    auto& list = e["precondition_violations"] = nlohmann::ordered_json::array();
    for (const auto& v : error.rule_violations()) {
      list.push_back({{"type", v.type}, {"subject", v.subject}, {"description", v.description}});
    }
  }
  if (!error.reason().empty()) e["reason"] = error.reason();
  if (!error.metadata().empty()) {
    auto& md = e["metadata"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : error.metadata()) md[k] = v;
  }
  nlohmann::ordered_json root;
  root["error"] = std::move(e);
  return root.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace nrp::nrpctl
