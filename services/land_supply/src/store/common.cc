// List queries: a small AIP-160 filter subset, ordering and page tokens.
#include <algorithm>
#include <cctype>

#include "store/list_sql.h"
#include "store/sql.h"

namespace nrp::land_supply::store {

namespace {

void SkipSpace(const std::string& s, size_t& i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
}

Error BadFilter(const std::string& why) { return Error::InvalidArgument("filter", why); }

}  // namespace

Result<ListQuery> ParseListQuery(const std::string& filter, const std::string& order_by,
                                 int32_t page_size, const std::string& page_token,
                                 const std::vector<std::string>& fields,
                                 const std::vector<std::string>& orders, bool default_desc) {
  ListQuery q;
  if (page_size < 0) return Error::InvalidArgument("page_size", "must not be negative");
  q.limit = page_size == 0 ? 50 : std::min(page_size, 1000);
  if (!page_token.empty()) {
    bool ok =
        page_token.size() > 3 && page_token.compare(0, 3, "v1.") == 0 && page_token.size() < 24;
    for (size_t i = 3; ok && i < page_token.size(); ++i) {
      ok = std::isdigit(static_cast<unsigned char>(page_token[i]));
    }
    if (!ok) return Error::InvalidArgument("page_token", "not a token this service issued");
    q.offset = std::stoll(page_token.substr(3));
  }
  if (filter.size() > 2000) return BadFilter("at most 2000 characters");
  size_t i = 0;
  SkipSpace(filter, i);
  while (i < filter.size()) {
    ListQuery::Condition c;
    size_t start = i;
    while (i < filter.size() &&
           (std::isalnum(static_cast<unsigned char>(filter[i])) || filter[i] == '_')) {
      ++i;
    }
    c.field = filter.substr(start, i - start);
    if (c.field.empty())
      return BadFilter("expected a field name at position " + std::to_string(start));
    if (std::find(fields.begin(), fields.end(), c.field) == fields.end()) {
      std::string list;
      for (const auto& f : fields) list += (list.empty() ? "" : ", ") + f;
      return BadFilter("unknown field '" + c.field + "'; filterable: " + list);
    }
    SkipSpace(filter, i);
    if (filter.compare(i, 2, "!=") == 0) {
      c.op = "!=";
      i += 2;
    } else if (i < filter.size() && filter[i] == '=') {
      c.op = "=";
      i += 1;
    } else {
      return BadFilter("expected = or != after '" + c.field + "'");
    }
    SkipSpace(filter, i);
    if (i < filter.size() && filter[i] == '"') {
      size_t close = filter.find('"', i + 1);
      if (close == std::string::npos) return BadFilter("unterminated string");
      c.value = filter.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      start = i;
      while (i < filter.size() && !std::isspace(static_cast<unsigned char>(filter[i]))) ++i;
      c.value = filter.substr(start, i - start);
      if (c.value.empty()) return BadFilter("expected a value for '" + c.field + "'");
    }
    q.conditions.push_back(std::move(c));
    SkipSpace(filter, i);
    if (i >= filter.size()) break;
    if (filter.compare(i, 3, "AND") != 0) {
      return BadFilter("expected AND at position " + std::to_string(i) +
                       " (only conjunctions of = and != are supported)");
    }
    i += 3;
    SkipSpace(filter, i);
  }

  q.order_field = orders.front();
  q.descending = default_desc;
  if (!order_by.empty()) {
    std::string field = order_by;
    std::string dir;
    if (auto sp = order_by.find(' '); sp != std::string::npos) {
      field = order_by.substr(0, sp);
      dir = order_by.substr(order_by.find_first_not_of(' ', sp));
    }
    if (std::find(orders.begin(), orders.end(), field) == orders.end()) {
      std::string list;
      for (const auto& f : orders) list += (list.empty() ? "" : ", ") + f;
      return Error::InvalidArgument("order_by",
                                    "cannot order by '" + field + "'; use one of " + list);
    }
    if (dir.empty() || dir == "asc") {
      q.descending = false;
    } else if (dir == "desc") {
      q.descending = true;
    } else {
      return Error::InvalidArgument("order_by", "direction must be asc or desc, got '" + dir + "'");
    }
    q.order_field = field;
  }
  return q;
}

std::string NextPageToken(const ListQuery& q, size_t returned) {
  if (returned < static_cast<size_t>(q.limit)) return "";
  return "v1." + std::to_string(q.offset + q.limit);
}

Result<std::string> BuildListTail(const ListQuery& q, const std::vector<FieldSpec>& fields,
                                  const std::vector<OrderSpec>& orders,
                                  const std::string& region_column,
                                  std::vector<std::string> conditions, Params& params,
                                  const std::string& tie_breaker) {
  for (const auto& c : q.conditions) {
    const FieldSpec* spec = nullptr;
    for (const auto& f : fields) {
      if (f.name == c.field) spec = &f;
    }
    if (!spec) return BadFilter("unknown field '" + c.field + "'");
    std::string value = c.value;
    std::string cast;
    switch (spec->type) {
      case FieldSpec::Type::kText:
        break;
      case FieldSpec::Type::kInt: {
        bool ok = !value.empty();
        for (size_t k = 0; k < value.size(); ++k) {
          ok = ok &&
               (std::isdigit(static_cast<unsigned char>(value[k])) || (k == 0 && value[k] == '-'));
        }
        if (!ok || value.size() > 18)
          return BadFilter(c.field + " takes an integer, got '" + value + "'");
        cast = "::bigint";
        break;
      }
      case FieldSpec::Type::kEnum: {
        const auto* ev = spec->enum_type->FindValueByName(value);
        if (!ev) {
          return BadFilter("'" + value + "' is not a value of " + spec->enum_type->name());
        }
        value = std::to_string(ev->number());
        cast = "::integer";
        break;
      }
      case FieldSpec::Type::kBool:
        if (value != "true" && value != "false") {
          return BadFilter(c.field + " takes true or false, got '" + value + "'");
        }
        cast = "::boolean";
        break;
      case FieldSpec::Type::kDate: {
        auto d = Date::Parse(value, "filter");
        if (!d.ok()) return BadFilter(c.field + " takes a date YYYY-MM-DD, got '" + value + "'");
        cast = "::date";
        break;
      }
    }
    conditions.push_back(spec->column + (c.op == "=" ? " = " : " <> ") + params.Add(value) + cast);
  }
  if (!q.region_prefixes.empty() && !region_column.empty()) {
    std::string any;
    for (const auto& p : q.region_prefixes) {
      any += (any.empty() ? "" : " OR ") + region_column + "::text LIKE " + params.Add(p + "%");
    }
    conditions.push_back("(" + any + ")");
  }
  std::string sql;
  for (size_t k = 0; k < conditions.size(); ++k) {
    sql += (k == 0 ? " WHERE " : " AND ") + conditions[k];
  }
  std::string column;
  for (const auto& o : orders) {
    if (o.name == q.order_field) column = o.column;
  }
  if (column.empty()) return Error::InvalidArgument("order_by", "unknown ordering");
  const char* dir = q.descending ? " DESC" : " ASC";
  sql += " ORDER BY " + column + dir + ", " + tie_breaker + dir;
  sql += " LIMIT " + params.Add(std::to_string(q.limit)) + "::bigint OFFSET " +
         params.Add(std::to_string(q.offset)) + "::bigint";
  return sql;
}

pqxx::result ExecParams(pqxx::work& txn, const std::string& sql, const Params& params) {
  return txn.exec_params(sql, pqxx::prepare::make_dynamic_params(params.values()));
}

}  // namespace nrp::land_supply::store
