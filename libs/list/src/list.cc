#include "nrp/list/list.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "nrp/core/calendar.h"
#include "nrp/core/clock.h"
#include "nrp/core/uuid.h"
#include "nrp/db/migrations.h"
#include "nrp/rpc/auth.h"

namespace nrp::list {

namespace {

// The token payload's first line; earlier formats were "o:<offset>"
// (registration), "v1.<offset>" (land supply) and "p1:<key>" (planning).
constexpr std::string_view kTokenVersion = "nrp.list.v2";

Error BadFilter(const std::string& why) { return Error::InvalidArgument("filter", why); }
Error BadOrder(const std::string& why) { return Error::InvalidArgument("order_by", why); }
Error BadToken(const std::string& why) { return Error::InvalidArgument("page_token", why); }

const char* OpText(Op op) {
  switch (op) {
    case Op::kEq:
      return "=";
    case Op::kNe:
      return "!=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
  }
  return "?";
}

const char* OpSql(Op op) { return op == Op::kNe ? "<>" : OpText(op); }

const char* Cast(Type t) {
  switch (t) {
    case Type::kText:
      return "::text";
    case Type::kInt:
      return "::bigint";
    case Type::kDouble:
      return "::double precision";
    case Type::kEnum:
      return "::integer";
    case Type::kBool:
      return "::boolean";
    case Type::kTimestamp:
      return "::timestamptz";
    case Type::kDate:
      return "::date";
    case Type::kUuid:
      return "::uuid";
  }
  return "";
}

std::vector<Op> AllowedOps(const Field& f) {
  if (!f.ops.empty()) return f.ops;
  switch (f.type) {
    case Type::kText:
    case Type::kEnum:
    case Type::kBool:
    case Type::kUuid:
      return {Op::kEq, Op::kNe};
    default:
      return {Op::kEq, Op::kNe, Op::kLt, Op::kLe, Op::kGt, Op::kGe};
  }
}

template <class C, class F>
std::string Join(const C& items, F name) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + name(i);
  return out;
}

bool IsInteger(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  if (s.empty() || s.size() > 18) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit((unsigned char)c); });
}

bool IsNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::none_of(s.begin(), s.end(), [](char c) {
           return std::isalpha((unsigned char)c) && c != 'e' && c != 'E';
         });
}

// The characters a value may have without quotes: enum names, numbers, dates,
// RFC 3339 times and any non-ASCII text.
bool BareChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || u >= 0x80 || c == '_' || c == '.' || c == '-' || c == ':' || c == '+';
}

struct Lexer {
  std::string_view s;
  size_t i = 0;

  void Skip() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  bool End() {
    Skip();
    return i >= s.size();
  }
  char Peek() {
    Skip();
    return i < s.size() ? s[i] : '\0';
  }
  std::string Position() const { return "position " + std::to_string(i + 1); }
  // A field name or keyword: [A-Za-z_][A-Za-z0-9_.]*.
  std::string Name() {
    Skip();
    size_t b = i;
    if (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_')) {
      ++i;
      while (i < s.size() &&
             (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '.')) {
        ++i;
      }
    }
    return std::string(s.substr(b, i - b));
  }
  // The next run of non-space characters, for messages.
  std::string Rest() {
    Skip();
    size_t b = i;
    while (i < s.size() && i - b < 20 && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    return std::string(s.substr(b, i - b));
  }
  std::optional<Op> Operator() {
    Skip();
    static const std::pair<const char*, Op> kOps[] = {{"!=", Op::kNe}, {"<=", Op::kLe},
                                                      {">=", Op::kGe}, {"=", Op::kEq},
                                                      {"<", Op::kLt},  {">", Op::kGt}};
    for (const auto& [text, op] : kOps) {
      std::string_view t(text);
      if (s.substr(i, t.size()) == t) {
        i += t.size();
        return op;
      }
    }
    return std::nullopt;
  }
  // A quoted string ("…" or '…', backslash escapes) or a bare value.
  Result<std::pair<std::string, bool>> Value() {
    Skip();
    if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
      const char quote = s[i];
      const size_t start = i;
      ++i;
      std::string out;
      while (i < s.size() && s[i] != quote) {
        if (s[i] == '\\') {
          if (i + 1 >= s.size()) break;
          char e = s[i + 1];
          switch (e) {
            case '\\':
            case '"':
            case '\'':
              out += e;
              break;
            case 'n':
              out += '\n';
              break;
            case 't':
              out += '\t';
              break;
            default:
              return BadFilter(std::string("unknown escape \\") + e + " at position " +
                               std::to_string(i + 1) + R"( (use \\, \", \', \n or \t))");
          }
          i += 2;
          continue;
        }
        out += s[i++];
      }
      if (i >= s.size()) {
        return BadFilter("unterminated string starting at position " + std::to_string(start + 1));
      }
      ++i;
      return std::make_pair(std::move(out), true);
    }
    size_t b = i;
    while (i < s.size() && BareChar(s[i])) ++i;
    return std::make_pair(std::string(s.substr(b, i - b)), false);
  }
};

std::string Quote(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The parameter text for `value` of field `f`, or the refusal naming the field.
Result<std::string> ValueFor(const Field& f, const std::string& value, bool quoted,
                             std::string* canonical) {
  *canonical = value;
  switch (f.type) {
    case Type::kText:
      *canonical = Quote(value);
      return value;
    case Type::kInt:
      if (!IsInteger(value)) return BadFilter(f.name + " takes an integer, got '" + value + "'");
      return value;
    case Type::kDouble:
      if (!IsNumber(value)) return BadFilter(f.name + " takes a number, got '" + value + "'");
      return value;
    case Type::kBool:
      if (quoted || (value != "true" && value != "false")) {
        return BadFilter(f.name + " takes true or false, got '" + value + "'");
      }
      return value;
    case Type::kEnum: {
      auto it = f.enum_type.values.find(value);
      if (it == f.enum_type.values.end()) {
        return BadFilter("'" + value + "' is not a value of " + f.name + " (" + f.enum_type.name +
                         ")");
      }
      return std::to_string(it->second);
    }
    case Type::kTimestamp: {
      auto t = ParseRfc3339(value);
      if (!t.ok()) {
        return BadFilter(f.name + " takes an RFC 3339 time such as 2026-09-01T00:00:00+08:00, " +
                         "got '" + value + "'");
      }
      *canonical = FormatRfc3339(*t);
      return *canonical;
    }
    case Type::kDate: {
      auto d = Date::Parse(value, f.name);
      if (!d.ok()) return BadFilter(f.name + " takes a date YYYY-MM-DD, got '" + value + "'");
      *canonical = d->ToString();
      return *canonical;
    }
    case Type::kUuid:
      if (!IsUuid(value)) return BadFilter(f.name + " takes a UUID, got '" + value + "'");
      return value;
  }
  return value;
}

struct Term {
  const Order* order;
  bool desc;
};

Result<std::vector<Term>> ParseOrder(const Spec& spec, const std::string& text) {
  std::vector<Term> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string item =
        text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? text.size() + 1 : comma + 1;
    Lexer lx{item};
    std::string name = lx.Name();
    if (name.empty()) {
      return BadOrder("expected a field name in '" + item + "' (write `field [asc|desc], …`)");
    }
    auto it = std::find_if(spec.orders.begin(), spec.orders.end(),
                           [&](const Order& o) { return o.name == name; });
    if (it == spec.orders.end()) {
      return BadOrder("cannot order by '" + name +
                      "'; orderable: " + Join(spec.orders, [](const Order& o) { return o.name; }));
    }
    for (const auto& t : out) {
      if (t.order == &*it) return BadOrder("'" + name + "' appears twice");
    }
    bool desc = false;
    if (!lx.End()) {
      std::string dir = lx.Name();
      if (dir == "desc") {
        desc = true;
      } else if (dir != "asc") {
        return BadOrder("after '" + name + "' expected asc, desc or a comma, got '" +
                        (dir.empty() ? lx.Rest() : dir) + "'");
      }
      if (!lx.End()) {
        return BadOrder("after '" + name + " " + dir + "' expected a comma, got '" + lx.Rest() +
                        "'");
      }
    }
    out.push_back({&*it, desc});
  }
  return out;
}

}  // namespace

EnumType EnumOf(const google::protobuf::EnumDescriptor* d, bool with_zero) {
  EnumType out{d->name(), {}};
  for (int i = 0; i < d->value_count(); ++i) {
    if (!with_zero && d->value(i)->number() == 0) continue;
    out.values[d->value(i)->name()] = d->value(i)->number();
  }
  return out;
}

pqxx::result Params::Exec(pqxx::transaction_base& txn, const std::string& sql) const {
  return txn.exec_params(sql, pqxx::prepare::make_dynamic_params(values_));
}

Result<Query> Parse(const Spec& spec, const Request& request) {
  Query q;
  if (request.page_size < 0) return Error::InvalidArgument("page_size", "must not be negative");
  q.page_size_ =
      request.page_size == 0 ? kDefaultPageSize : std::min(request.page_size, kMaxPageSize);

  // ---- filter: condition (AND condition)*, condition = field op value
  if (request.filter.size() > kMaxFilterLength) {
    return BadFilter("must be at most " + std::to_string(kMaxFilterLength) + " characters");
  }
  Lexer lx{request.filter};
  std::string canonical;
  while (!lx.End()) {
    char c = lx.Peek();
    if (c == '(' || c == ')') {
      return BadFilter("parentheses are not supported (at " + lx.Position() +
                       "); write conditions joined by AND");
    }
    if (c == '-') return BadFilter("negation is not supported (at " + lx.Position() + "); use !=");
    const size_t at = lx.i;
    std::string name = lx.Name();
    if (name.empty()) {
      const std::string where = lx.Position();
      return BadFilter("expected a field name at " + where + ", got '" + lx.Rest() + "'");
    }
    if (name == "NOT") return BadFilter("NOT is not supported; use !=");
    if (name == "AND" || name == "OR") {
      return BadFilter("expected a condition at position " + std::to_string(at + 1) + ", got " +
                       name);
    }
    auto f = std::find_if(spec.fields.begin(), spec.fields.end(),
                          [&](const Field& x) { return x.name == name; });
    if (f == spec.fields.end()) {
      return BadFilter("unknown field '" + name + "'; filterable: " +
                       Join(spec.fields, [](const Field& x) { return x.name; }));
    }
    const std::vector<Op> ops = AllowedOps(*f);
    auto ops_text = [&] { return Join(ops, [](Op o) { return std::string(OpText(o)); }); };
    if (lx.Peek() == ':') {
      return BadFilter("the has operator ':' is not supported; " + name + " takes " + ops_text());
    }
    auto op = lx.Operator();
    if (!op) {
      return BadFilter("expected an operator (" + ops_text() + ") after '" + name + "', got '" +
                       lx.Rest() + "'");
    }
    if (std::find(ops.begin(), ops.end(), *op) == ops.end()) {
      return BadFilter(name + " does not support " + OpText(*op) + "; use " + ops_text());
    }
    NRP_ASSIGN_OR_RETURN(auto value, lx.Value());
    if (value.first.empty() && !value.second) {
      return BadFilter("expected a value after '" + name + " " + OpText(*op) + "' at " +
                       lx.Position());
    }
    std::string shown;
    NRP_ASSIGN_OR_RETURN(std::string param, ValueFor(*f, value.first, value.second, &shown));
    q.conditions_.push_back({f->sql, *op, std::move(param), f->type, f->prefix});
    canonical += (canonical.empty() ? "" : " AND ") + name + " " + OpText(*op) + " " + shown;
    if (lx.End()) break;
    const size_t conj_at = lx.i;
    std::string conj = lx.Name();
    if (conj == "OR") {
      return BadFilter("OR is not supported (at position " + std::to_string(conj_at + 1) +
                       "); only conditions joined by AND");
    }
    if (conj != "AND") {
      return BadFilter("expected AND or the end after '" + name + " " + OpText(*op) + " " +
                       value.first + "', got '" + (conj.empty() ? lx.Rest() : conj) + "'");
    }
    if (lx.End()) return BadFilter("expected a condition after the last AND");
  }
  q.filter_ = canonical;

  // ---- order_by: field [asc|desc] (, field [asc|desc])*, then the id
  const std::string& order_text = request.order_by.empty() ? spec.default_order : request.order_by;
  std::vector<Term> terms;
  if (!order_text.empty()) {
    NRP_ASSIGN_OR_RETURN(terms, ParseOrder(spec, order_text));
  }
  bool last_desc = false;
  bool has_id = false;
  for (const auto& t : terms) {
    q.order_ += (q.order_.empty() ? "" : ", ") + t.order->name + (t.desc ? " desc" : " asc");
    for (const auto& k : t.order->keys) {
      q.keys_.push_back({k, t.desc});
      has_id = has_id || k.sql == spec.id.sql;
    }
    last_desc = t.desc;
  }
  if (!has_id) q.keys_.push_back({spec.id, last_desc && !spec.id_ascending});

  q.binding_ = db::Sha256Hex(spec.name + "\n" + request.parent + "\n" + q.filter_ + "\n" + q.order_)
                   .substr(0, 16);

  // ---- page_token
  if (!request.page_token.empty()) {
    const std::string& token = request.page_token;
    const Error earlier = BadToken(
        "issued by an earlier version of the service; start again from the first page (no "
        "page_token)");
    if (token.rfind("v1.", 0) == 0) return earlier;
    auto raw = rpc::Base64UrlDecode(token);
    if (!raw.ok()) {
      std::string url = token;
      std::replace(url.begin(), url.end(), '+', '-');
      std::replace(url.begin(), url.end(), '/', '_');
      raw = rpc::Base64UrlDecode(url);
    }
    if (raw.ok() && (raw->rfind("o:", 0) == 0 || raw->rfind("p1:", 0) == 0)) return earlier;
    const Error foreign = BadToken("is not a token this service issued");
    if (!raw.ok()) return foreign;
    // version \n binding \n count \n (value line)* \n checksum
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos <= raw->size()) {
      size_t nl = raw->find('\n', pos);
      if (nl == std::string::npos) nl = raw->size();
      lines.push_back(raw->substr(pos, nl - pos));
      pos = nl + 1;
    }
    if (lines.size() < 4 || lines[0] != kTokenVersion) return foreign;
    const std::string body = raw->substr(0, raw->size() - lines.back().size() - 1);
    if (db::Sha256Hex(body).substr(0, 12) != lines.back()) return foreign;
    if (lines[1] != q.binding_) {
      return BadToken(
          "was issued for another filter or order_by; send the same filter and order_by as for "
          "the first page, or start again without a page_token");
    }
    if (lines[2] != std::to_string(q.keys_.size()) || lines.size() != q.keys_.size() + 4) {
      return foreign;
    }
    std::vector<std::optional<std::string>> after;
    for (size_t k = 0; k < q.keys_.size(); ++k) {
      const std::string& line = lines[3 + k];
      if (line == "-") {
        if (!q.keys_[k].key.nullable) return foreign;
        after.push_back(std::nullopt);
        continue;
      }
      if (line.empty() || line[0] != '+') return foreign;
      auto v = rpc::Base64UrlDecode(line.substr(1));
      if (!v.ok()) return foreign;
      after.push_back(std::move(*v));
    }
    q.after_ = std::move(after);
  }
  return q;
}

std::string Query::Where(Params& params) const {
  std::string sql;
  for (const auto& c : conditions_) {
    if (c.prefix && (c.op == Op::kEq || c.op == Op::kNe)) {
      sql += std::string(" AND ") + (c.op == Op::kNe ? "NOT " : "") + "starts_with(" + c.sql +
             ", " + params.Add(c.value) + "::text)";
      continue;
    }
    sql += " AND " + c.sql + " " + OpSql(c.op) + " " + params.Add(c.value) + Cast(c.type);
  }
  if (after_) {
    // After the cursor in the sort order: for some key i, equal on the keys
    // before it and after it on key i. NULL sorts after every value.
    std::string any;
    std::string equal_before;
    for (size_t i = 0; i < keys_.size(); ++i) {
      const auto& [key, desc] = keys_[i];
      const auto& v = (*after_)[i];
      std::string after;
      if (!v) {
        if (desc) after = key.sql + " IS NOT NULL";
      } else {
        after = key.sql + (desc ? " < " : " > ") + params.Add(*v) + Cast(key.type);
        if (key.nullable && !desc) after = "(" + after + " OR " + key.sql + " IS NULL)";
      }
      if (!after.empty()) any += (any.empty() ? "(" : " OR (") + equal_before + after + ")";
      if (i + 1 == keys_.size()) break;
      equal_before +=
          (v ? key.sql + " = " + params.Add(*v) + Cast(key.type) : key.sql + " IS NULL") + " AND ";
    }
    sql += " AND (" + (any.empty() ? std::string("false") : any) + ")";
  }
  return sql;
}

std::string Query::OrderLimit(Params& params) const {
  std::string sql = " ORDER BY ";
  for (size_t i = 0; i < keys_.size(); ++i) {
    sql += (i ? ", " : "") + keys_[i].key.sql + (keys_[i].desc ? " DESC" : " ASC");
  }
  return sql + " LIMIT " + params.Add(std::to_string(page_size_ + 1)) + "::bigint";
}

std::string Query::CursorColumns() const {
  std::string sql;
  // Named so that they never make an ORDER BY name ambiguous.
  for (size_t i = 0; i < keys_.size(); ++i) {
    sql += ", (" + keys_[i].key.sql + ")::text AS nrp_list_cursor_" + std::to_string(i);
  }
  return sql;
}

std::vector<std::optional<std::string>> Query::CursorOf(const pqxx::row& row) const {
  std::vector<std::optional<std::string>> out;
  const size_t first = row.size() - keys_.size();
  for (size_t k = 0; k < keys_.size(); ++k) {
    const pqxx::field f = row[static_cast<pqxx::row::size_type>(first + k)];
    if (f.is_null()) {
      out.push_back(std::nullopt);
    } else {
      out.push_back(std::string(f.c_str()));
    }
  }
  return out;
}

std::string Query::TokenAfter(const std::vector<std::optional<std::string>>& cursor) const {
  std::string body =
      std::string(kTokenVersion) + "\n" + binding_ + "\n" + std::to_string(cursor.size());
  for (const auto& v : cursor) body += "\n" + (v ? "+" + rpc::Base64UrlEncode(*v) : "-");
  return rpc::Base64UrlEncode(body + "\n" + db::Sha256Hex(body).substr(0, 12));
}

}  // namespace nrp::list
