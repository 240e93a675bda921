// The one grammar of List RPCs: an AIP-160 filter subset, AIP-132 order_by and
// AIP-158 keyset page tokens (docs/calling.md, "Listing: filter, order_by,
// pages").
//
// A resource declares a Spec in its store: the fields a filter may compare
// (name → SQL expression, type, operators), the orderings and the unique id
// that breaks ties. Parse() checks a request against it and gives a Query that
// writes the WHERE conditions, ORDER BY and LIMIT with every value as a
// parameter, and turns the rows read into a page and the next page's token.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "nrp/core/status.h"

namespace google::protobuf {
class EnumDescriptor;
}  // namespace google::protobuf

namespace nrp::list {

// Page sizes: 0 asks for the default, more than the maximum gets the maximum,
// a negative size is INVALID_ARGUMENT.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;
// Longest filter accepted.
inline constexpr size_t kMaxFilterLength = 2000;

enum class Type { kText, kInt, kDouble, kEnum, kBool, kTimestamp, kDate, kUuid };
enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };

// An enum a filter names by value name; `values` maps names to the numbers
// stored in the column.
struct EnumType {
  std::string name;  // shown in refusals, e.g. "ParcelState"
  std::map<std::string, int> values;
};
// The values of a protobuf enum as stored (the proto numbers); without the
// zero value (…_UNSPECIFIED) when `with_zero` is false.
EnumType EnumOf(const google::protobuf::EnumDescriptor* descriptor, bool with_zero = true);

// A field a filter may compare.
struct Field {
  std::string name;  // as written in the filter
  std::string sql;   // SQL expression (from the code, never from input)
  Type type = Type::kText;
  EnumType enum_type = {};  // kEnum only
  // Operators allowed; empty: = and != for text, enum, bool and uuid, all six
  // for numbers, timestamps and dates.
  std::vector<Op> ops = {};
  // Text only: `=` matches the value and every value that starts with it (a
  // region code and the codes under it), `!=` the others.
  bool prefix = false;
};

// One SQL expression of an ordering, in the ordering's direction. A nullable
// key sorts its NULLs as PostgreSQL does: last ascending, first descending.
struct Key {
  std::string sql;
  Type type = Type::kText;
  bool nullable = false;
};

// A name order_by may use and the keys it sorts by (usually one).
struct Order {
  std::string name;
  std::vector<Key> keys;
};

struct Spec {
  std::string name;  // the list it describes, e.g. "land_supply.ListParcels"; binds tokens
  std::vector<Field> fields;
  std::vector<Order> orders;
  std::string default_order;  // an order_by used when the request has none
  Key id;                     // unique; the last key of every ordering
  // The id follows the direction of the ordering's last term unless this is set.
  bool id_ascending = false;
};

// What a List request carries. `parent` is anything else the list depends on
// (a parent resource id); a token is bound to it as to the filter.
struct Request {
  std::string filter;
  std::string order_by;
  int page_size = 0;
  std::string page_token;
  std::string parent;
};
template <class R>
Request RequestOf(const R& r, std::string parent = "") {
  return {r.filter(), r.order_by(), r.page_size(), r.page_token(), std::move(parent)};
}

// Statement parameters ($1, $2, …), collected while the SQL is written.
class Params {
 public:
  Params() = default;
  explicit Params(std::vector<std::string> first) : values_(std::move(first)) {}
  // Adds a value and returns the marker that stands for it in the SQL text ("$3").
  std::string Add(std::string value) {
    values_.push_back(std::move(value));
    return "$" + std::to_string(values_.size());
  }
  const std::vector<std::string>& values() const { return values_; }
  pqxx::result Exec(pqxx::transaction_base& txn, const std::string& sql) const;

 private:
  std::vector<std::string> values_;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;  // empty on the last page
};

namespace detail {
template <class X>
struct Unwrap {
  using type = X;
  static constexpr bool kResult = false;
};
template <class X>
struct Unwrap<Result<X>> {
  using type = X;
  static constexpr bool kResult = true;
};
}  // namespace detail

// A checked list request.
class Query {
 public:
  int page_size() const { return page_size_; }
  // The filter as the service understood it ("state = X AND year >= 2020").
  const std::string& canonical_filter() const { return filter_; }
  const std::string& canonical_order() const { return order_; }

  // " AND <condition>" for every condition of the filter and for the position
  // after the page token; empty when there are none.
  std::string Where(Params& params) const;
  // " ORDER BY … LIMIT $n": one row more than the page, to see whether another follows.
  std::string OrderLimit(Params& params) const;
  // ", (<key>)::text AS nrp_list_cursor_0, …": append to the select list; Collect reads these
  // columns from the end of each row.
  std::string CursorColumns() const;

  // The page from rows read with Where/OrderLimit/CursorColumns; `fn` turns a
  // row into an item (returning the item or a Result of it).
  template <class Fn>
  auto Collect(const pqxx::result& rows, Fn&& fn) const
      -> Result<Page<typename detail::Unwrap<std::invoke_result_t<Fn&, const pqxx::row&>>::type>> {
    using R = std::invoke_result_t<Fn&, const pqxx::row&>;
    Page<typename detail::Unwrap<R>::type> page;
    const size_t n = std::min(rows.size(), static_cast<size_t>(page_size_));
    for (size_t i = 0; i < n; ++i) {
      const pqxx::row row = rows[static_cast<pqxx::result::size_type>(i)];
      if constexpr (detail::Unwrap<R>::kResult) {
        auto item = fn(row);
        if (!item.ok()) return std::move(item.error());
        page.items.push_back(std::move(item).value());
      } else {
        page.items.push_back(fn(row));
      }
    }
    if (rows.size() > n) {
      page.next_page_token =
          TokenAfter(CursorOf(rows[static_cast<pqxx::result::size_type>(n - 1)]));
    }
    return page;
  }

  // The token of the page after a row with these key values (one per key of
  // the ordering, the id last; nullopt for NULL). Collect uses it.
  std::string TokenAfter(const std::vector<std::optional<std::string>>& cursor) const;

 private:
  friend Result<Query> Parse(const Spec& spec, const Request& request);
  struct Condition {
    std::string sql;
    Op op;
    std::string value;  // parameter text
    Type type;
    bool prefix;
  };
  struct SortKey {
    Key key;
    bool desc;
  };
  std::vector<std::optional<std::string>> CursorOf(const pqxx::row& row) const;

  std::vector<Condition> conditions_;
  std::vector<SortKey> keys_;
  std::optional<std::vector<std::optional<std::string>>> after_;
  int page_size_ = kDefaultPageSize;
  std::string filter_;
  std::string order_;
  std::string binding_;  // fingerprint of list, parent, filter and order
};

// Checks filter, order_by, page_size and page_token against `spec`.
// INVALID_ARGUMENT naming `filter`, `order_by`, `page_size` or `page_token`.
Result<Query> Parse(const Spec& spec, const Request& request);

}  // namespace nrp::list
