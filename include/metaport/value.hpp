// The neutral document tree between the typed entity structs and the dump
// formats (YAML, JSON). Every reader produces a Value (with source marks, so
// errors can point at line:col), every writer consumes one. Free-form
// documents (queries, visualization settings, ...) are Values too.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "metaport/result.hpp"

namespace metaport {

class Value {
 public:
  enum class Type : std::uint8_t { Null, Bool, Int, Double, String, Array, Object };
  using Array = std::vector<Value>;
  using Member = std::pair<std::string, Value>;
  using Object = std::vector<Member>;  // insertion order; see sort_keys()

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int i) : v_(static_cast<std::int64_t>(i)) {}
  Value(long i) : v_(static_cast<std::int64_t>(i)) {}
  Value(long long i) : v_(static_cast<std::int64_t>(i)) {}
  Value(unsigned i) : v_(static_cast<std::int64_t>(i)) {}
  Value(double d) : v_(d) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}

  static Value array() { return Value(Array{}); }
  static Value object() { return Value(Object{}); }

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::Null; }
  bool is_bool() const { return type() == Type::Bool; }
  bool is_int() const { return type() == Type::Int; }
  bool is_double() const { return type() == Type::Double; }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return type() == Type::String; }
  bool is_array() const { return type() == Type::Array; }
  bool is_object() const { return type() == Type::Object; }
  bool is_scalar() const { return !is_array() && !is_object(); }

  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  double as_double() const {
    return is_int() ? static_cast<double>(std::get<std::int64_t>(v_)) : std::get<double>(v_);
  }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  std::string& as_string() { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // Object helpers (objects are small: linear search is faster than a map).
  const Value* find(std::string_view key) const {
    if (!is_object()) return nullptr;
    for (const auto& [k, v] : as_object())
      if (k == key) return &v;
    return nullptr;
  }
  Value* find(std::string_view key) {
    return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
  }
  // Sets (replacing) a member; turns a null Value into an object.
  Value& set(std::string key, Value v) {
    if (is_null()) v_ = Object{};
    for (auto& [k, old] : as_object())
      if (k == key) return old = std::move(v);
    as_object().emplace_back(std::move(key), std::move(v));
    return as_object().back().second;
  }
  bool erase(std::string_view key) {
    if (!is_object()) return false;
    auto& o = as_object();
    auto it = std::find_if(o.begin(), o.end(), [&](const Member& m) { return m.first == key; });
    if (it == o.end()) return false;
    o.erase(it);
    return true;
  }
  Value& push_back(Value v) {
    if (is_null()) v_ = Array{};
    as_array().push_back(std::move(v));
    return as_array().back();
  }
  std::size_t size() const {
    if (is_array()) return as_array().size();
    if (is_object()) return as_object().size();
    return 0;
  }

  // Canonical order for free-form documents: keys sorted bytewise, recursively.
  // Same content => same bytes, whatever order a person or a tool wrote.
  void sort_keys() {
    if (is_array()) {
      for (auto& v : as_array()) v.sort_keys();
    } else if (is_object()) {
      auto& o = as_object();
      for (auto& m : o) m.second.sort_keys();
      std::sort(o.begin(), o.end(), [](const Member& a, const Member& b) { return a.first < b.first; });
    }
  }

  // Structural equality: marks are ignored, objects compare as sets of members.
  friend bool operator==(const Value& a, const Value& b) {
    if (a.type() != b.type()) {
      if (a.is_number() && b.is_number()) return a.as_double() == b.as_double();
      return false;
    }
    switch (a.type()) {
      case Type::Null: return true;
      case Type::Bool: return a.as_bool() == b.as_bool();
      case Type::Int: return a.as_int() == b.as_int();
      case Type::Double: return a.as_double() == b.as_double();
      case Type::String: return a.as_string() == b.as_string();
      case Type::Array: return a.as_array() == b.as_array();
      case Type::Object: {
        const auto& x = a.as_object();
        const auto& y = b.as_object();
        if (x.size() != y.size()) return false;
        for (const auto& [k, v] : x) {
          const Value* w = b.find(k);
          if (!w || !(v == *w)) return false;
        }
        return true;
      }
    }
    return false;
  }

  static std::string_view type_name(Type t) {
    switch (t) {
      case Type::Null: return "null";
      case Type::Bool: return "a boolean";
      case Type::Int: return "an integer";
      case Type::Double: return "a number";
      case Type::String: return "a string";
      case Type::Array: return "a list";
      case Type::Object: return "a map";
    }
    return "?";
  }
  std::string_view type_name() const { return type_name(type()); }

  Mark mark;  // where this value was read from, if known

 private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object> v_;
};

}  // namespace metaport
