#include "api/list_query.h"

#include <cctype>

#include "nrp/core/clock.h"
#include "signing/document_signer.h"

namespace nrp::registration {

namespace {

Error Bad(const std::string& why) { return Error::InvalidArgument("filter", why); }

struct Lexer {
  const std::string& s;
  size_t i = 0;
  void Skip() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  bool End() {
    Skip();
    return i >= s.size();
  }
  std::string Word() {
    Skip();
    size_t b = i;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' ||
                            s[i] == '.' || s[i] == '-' || s[i] == ':')) {
      ++i;
    }
    return s.substr(b, i - b);
  }
  std::string Op() {
    Skip();
    for (const char* op : {"!=", "<=", ">=", "=", "<", ">"}) {
      std::string o(op);
      if (s.compare(i, o.size(), o) == 0) {
        i += o.size();
        return o;
      }
    }
    return "";
  }
  Result<std::string> Value() {
    Skip();
    if (i < s.size() && s[i] == '"') {
      ++i;
      std::string out;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        out += s[i++];
      }
      if (i >= s.size()) return Bad("unterminated string");
      ++i;
      return out;
    }
    std::string w = Word();
    if (w.empty()) return Bad("expected a value at position " + std::to_string(i + 1));
    return w;
  }
};

}  // namespace

Result<std::vector<FilterCondition>> ParseFilter(const std::string& text,
                                                 const std::map<std::string, FilterField>& fields) {
  std::vector<FilterCondition> out;
  if (text.size() > 2000) return Bad("must be at most 2000 characters");
  Lexer lx{text};
  if (lx.End()) return out;
  while (true) {
    std::string name = lx.Word();
    if (name.empty()) return Bad("expected a field name at position " + std::to_string(lx.i + 1));
    auto it = fields.find(name);
    if (it == fields.end()) {
      std::string allowed;
      for (const auto& [k, _] : fields) allowed += (allowed.empty() ? "" : ", ") + k;
      return Bad("unknown field '" + name + "'; allowed: " + allowed);
    }
    const FilterField& f = it->second;
    std::string op = lx.Op();
    if (op.empty()) return Bad("expected an operator after '" + name + "'");
    NRP_ASSIGN_OR_RETURN(std::string value, lx.Value());
    FilterCondition c{f.column, op, value, f.type};
    switch (f.type) {
      case FilterField::Type::kEnum: {
        auto e = f.enum_values.find(value);
        if (e == f.enum_values.end()) return Bad("'" + value + "' is not a value of " + name);
        c.value = std::to_string(e->second);
        if (op != "=" && op != "!=") return Bad(name + " supports only = and !=");
        break;
      }
      case FilterField::Type::kBool:
        if (value != "true" && value != "false") return Bad(name + " must be true or false");
        if (op != "=" && op != "!=") return Bad(name + " supports only = and !=");
        break;
      case FilterField::Type::kTimestamp: {
        auto t = ParseRfc3339(value);
        if (!t.ok()) return Bad(name + " must be an RFC 3339 time, got '" + value + "'");
        c.value = FormatRfc3339(*t);
        break;
      }
      case FilterField::Type::kInt:
        for (char ch : value) {
          if (!std::isdigit(static_cast<unsigned char>(ch)))
            return Bad(name + " must be an integer");
        }
        break;
      case FilterField::Type::kText:
        if (op != "=" && op != "!=") return Bad(name + " supports only = and !=");
        break;
    }
    out.push_back(std::move(c));
    if (lx.End()) break;
    std::string conj = lx.Word();
    if (conj != "AND") return Bad("only AND is supported between conditions, got '" + conj + "'");
  }
  return out;
}

void AppendConditions(const std::vector<FilterCondition>& conditions, std::string* sql,
                      std::vector<std::string>* params) {
  for (const auto& c : conditions) {
    params->push_back(c.value);
    std::string p = "$" + std::to_string(params->size());
    switch (c.type) {
      case FilterField::Type::kEnum:
        p += "::smallint";
        break;
      case FilterField::Type::kBool:
        p += "::boolean";
        break;
      case FilterField::Type::kTimestamp:
        p += "::timestamptz";
        break;
      case FilterField::Type::kInt:
        p += "::bigint";
        break;
      case FilterField::Type::kText:
        break;
    }
    *sql += " AND " + c.column + " " + c.op + " " + p;
  }
}

Result<Page> ParsePage(int page_size, const std::string& page_token) {
  Page p;
  if (page_size < 0) return Error::InvalidArgument("page_size", "must not be negative");
  p.limit = page_size == 0 ? 50 : std::min(page_size, 1000);
  if (!page_token.empty()) {
    auto raw = Base64Decode(page_token);
    if (!raw.ok() || raw->rfind("o:", 0) != 0) {
      return Error::InvalidArgument("page_token", "is not a token this service issued");
    }
    try {
      p.offset = std::stoll(raw->substr(2));
    } catch (...) {
      return Error::InvalidArgument("page_token", "is not a token this service issued");
    }
    if (p.offset < 0)
      return Error::InvalidArgument("page_token", "is not a token this service issued");
  }
  return p;
}

std::string NextPageToken(const Page& page, size_t returned) {
  if (returned <= static_cast<size_t>(page.limit)) return "";
  return Base64Encode("o:" + std::to_string(page.offset + page.limit));
}

Status CheckOrderBy(const std::string& order_by, const std::vector<std::string>& allowed) {
  if (order_by.empty()) return Ok();
  for (const auto& a : allowed) {
    if (order_by == a) return Ok();
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "'" : ", '") + a + "'";
  return Error::InvalidArgument("order_by", "supported orderings: " + list);
}

}  // namespace nrp::registration
