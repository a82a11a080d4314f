// SqlValue / Row: the four kinds of value a store column holds, whatever the
// engine. Both backends and the row conversion speak only these, so no SQL
// library type leaks into the engine. A Row holds the columns of one entity
// in TableDesc::columns order (mp_key, mp_absent, mp_unknown, then one per
// top-level member); the local id travels beside it, never inside it.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace metaport::store {

class SqlValue {
 public:
  SqlValue() = default;  // SQL NULL
  SqlValue(std::nullptr_t) {}
  SqlValue(std::int64_t i) : v_(i) {}
  SqlValue(int i) : v_(static_cast<std::int64_t>(i)) {}
  SqlValue(double d) : v_(d) {}
  SqlValue(std::string s) : v_(std::move(s)) {}
  SqlValue(const char* s) : v_(std::string(s)) {}

  bool is_null() const { return v_.index() == 0; }
  bool is_int() const { return v_.index() == 1; }
  bool is_double() const { return v_.index() == 2; }
  bool is_text() const { return v_.index() == 3; }

  std::int64_t as_int() const { return std::get<1>(v_); }
  double as_double() const { return std::get<2>(v_); }
  const std::string& as_text() const { return std::get<3>(v_); }
  std::string& as_text() { return std::get<3>(v_); }

  friend bool operator==(const SqlValue&, const SqlValue&) = default;

  // For messages and test failures; never used to build SQL.
  std::string debug_string() const {
    switch (v_.index()) {
      case 0: return "NULL";
      case 1: return std::to_string(as_int());
      case 2: return std::to_string(as_double());
      default: return "'" + as_text() + "'";
    }
  }

 private:
  std::variant<std::monostate, std::int64_t, double, std::string> v_;
};

using Row = std::vector<SqlValue>;

}  // namespace metaport::store
