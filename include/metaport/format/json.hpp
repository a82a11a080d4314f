// JSON <-> Value. Reading uses simdjson (the fast path for jsonl dumps and
// for documents stored as JSON in SQL columns); writing is a direct walk of
// the Value (compact, keys in Value order, UTF-8 kept as is, only the escapes
// JSON requires), which avoids building a second tree just to print it.
#pragma once
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "metaport/result.hpp"
#include "metaport/value.hpp"

namespace metaport::json {

inline void write_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // copy unescaped runs in one go
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: out += "\\u00"; out += hex[c >> 4]; out += hex[c & 15];
    }
  }
  out.append(s.substr(run));
  out += '"';
}

inline void write(std::string& out, const Value& v) {
  switch (v.type()) {
    case Value::Type::Null: out += "null"; break;
    case Value::Type::Bool: out += v.as_bool() ? "true" : "false"; break;
    case Value::Type::Int: {
      char buf[24];
      auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v.as_int());
      out.append(buf, p);
      break;
    }
    case Value::Type::Double: {
      double d = v.as_double();
      if (!std::isfinite(d)) { out += "null"; break; }  // JSON has no inf/nan
      char buf[64];
      auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
      std::string_view s(buf, p - buf);
      out += s;
      if (s.find_first_of(".eE") == std::string_view::npos) out += ".0";  // read back as a float
      break;
    }
    case Value::Type::String: write_string(out, v.as_string()); break;
    case Value::Type::Array: {
      out += '[';
      bool first = true;
      for (const auto& x : v.as_array()) {
        if (!first) out += ',';
        first = false;
        write(out, x);
      }
      out += ']';
      break;
    }
    case Value::Type::Object: {
      out += '{';
      bool first = true;
      for (const auto& [k, x] : v.as_object()) {
        if (!first) out += ',';
        first = false;
        write_string(out, k);
        out += ':';
        write(out, x);
      }
      out += '}';
      break;
    }
  }
}

inline std::string write(const Value& v) {
  std::string out;
  write(out, v);
  return out;
}

namespace detail {
inline Value from_element(simdjson::dom::element e) {
  using T = simdjson::dom::element_type;
  switch (e.type()) {
    case T::NULL_VALUE: return Value();
    case T::BOOL: return Value(bool(e.get_bool().value_unsafe()));
    case T::INT64: return Value(static_cast<long long>(e.get_int64().value_unsafe()));
    case T::UINT64: return Value(static_cast<double>(e.get_uint64().value_unsafe()));
    case T::DOUBLE: return Value(e.get_double().value_unsafe());
    case T::STRING: return Value(std::string_view(e.get_string().value_unsafe()));
    case T::ARRAY: {
      Value::Array a;
      simdjson::dom::array arr = e.get_array().value_unsafe();  // a named local: see below
      a.reserve(arr.size());
      for (auto x : arr) a.push_back(from_element(x));
      return Value(std::move(a));
    }
    case T::OBJECT: {
      Value::Object o;
      // Not `for (... : e.get_object().value_unsafe())`: that iterates a
      // temporary that dies before the loop body runs.
      simdjson::dom::object obj = e.get_object().value_unsafe();
      o.reserve(obj.size());
      for (auto field : obj)
        o.emplace_back(std::string(field.key), from_element(field.value));
      return Value(std::move(o));
    }
  }
  return Value();
}
}  // namespace detail

// A reusable parser: keep one per thread and feed it many documents.
class Parser {
 public:
  Result<Value> parse(std::string_view text) {
    simdjson::padded_string padded(text);
    simdjson::dom::element root;
    auto err = parser_.parse(padded).get(root);
    if (err) return Error{std::string("invalid JSON: ") + simdjson::error_message(err), {}, {}, {}, {}};
    return detail::from_element(root);
  }

 private:
  simdjson::dom::parser parser_;
};

inline Result<Value> parse(std::string_view text) {
  static thread_local Parser p;
  return p.parse(text);
}

}  // namespace metaport::json
