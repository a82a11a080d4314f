// JSON <-> Value. Reading uses simdjson (the fast path for jsonl dumps and
// for documents stored as JSON in SQL columns); writing is a direct walk of
// the Value (compact, keys in Value order, UTF-8 kept as is, only the escapes
// JSON requires), which avoids building a second tree just to print it.
#pragma once
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "metaport/format/utf8.hpp"
#include "metaport/result.hpp"
#include "metaport/value.hpp"

namespace metaport::json {

namespace detail {
// Eight bytes at a time: nonzero when one of them may need a second look (a
// control character, '"', '\\' or a byte >= 0x80; it may also flag a plain
// byte next to one of those, never miss one). Strings are most of a
// document's bytes, and most of them are plain ASCII (docs/performance.md).
inline std::uint64_t special_bytes(std::uint64_t x) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  const auto zero_byte = [](std::uint64_t v) { return (v - ones) & ~v & high; };
  return ((x - ones * 0x20) & ~x & high)  // < 0x20 (bytes >= 0x80 are caught below)
         | zero_byte(x ^ (ones * '"')) | zero_byte(x ^ (ones * '\\')) | (x & high);
}
}  // namespace detail

inline void write_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // copy unescaped runs in one go
  for (std::size_t i = 0; i < s.size(); ++i) {
    while (i + 8 <= s.size()) {  // skip plain ASCII a word at a time
      std::uint64_t x;
      std::memcpy(&x, s.data() + i, 8);
      if (detail::special_bytes(x)) break;
      i += 8;
    }
    if (i == s.size()) break;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      // Well-formed UTF-8 goes out as is; a byte that is not UTF-8 is written
      // as its Latin-1 reading U+00HH, as the YAML writer does (JSON text
      // must be UTF-8: simdjson and JSON.parse reject or mangle stray bytes).
      if (const std::size_t n = utf8::sequence_length(s, i)) { i += n - 1; continue; }
    } else if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
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

// JSON has no NaN or infinity: write() spells them null, which reads back as
// another value. Callers that must not lose them (a jsonl dump, a JSON
// column) look first: the field path of the first one in v ("" for v
// itself, "a.b[2]" below it) and what it is, or nothing.
struct NonFinite {
  std::string path;
  const char* what;  // "NaN", "infinity", "-infinity"
};
inline std::optional<NonFinite> find_non_finite(const Value& v, const std::string& path = {}) {
  switch (v.type()) {
    case Value::Type::Double: {
      const double d = v.as_double();
      if (std::isfinite(d)) return std::nullopt;
      return NonFinite{path, std::isnan(d) ? "NaN" : d > 0 ? "infinity" : "-infinity"};
    }
    case Value::Type::Array:
      for (std::size_t i = 0; i < v.as_array().size(); ++i)
        if (auto f = find_non_finite(v.as_array()[i], path + "[" + std::to_string(i) + "]")) return f;
      return std::nullopt;
    case Value::Type::Object:
      for (const auto& [k, x] : v.as_object())
        if (auto f = find_non_finite(x, path.empty() ? k : path + "." + k)) return f;
      return std::nullopt;
    default: return std::nullopt;
  }
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

struct DuplicateKey {
  std::string key;
  std::string path;  // built on the way out of the recursion, only on error
};

inline void prepend_path(DuplicateKey& dup, std::string part) {
  if (!dup.path.empty() && dup.path[0] != '[') part += '.';
  dup.path.insert(0, part);
}

// Converts a simdjson element; returns false at a duplicate key. Duplicates
// are errors as in YAML: JSON.parse and most readers keep the last one
// silently, which would lose data.
inline bool from_element(simdjson::dom::element e, Value& out, DuplicateKey& dup) {
  using T = simdjson::dom::element_type;
  switch (e.type()) {
    case T::NULL_VALUE: out = Value(); return true;
    case T::BOOL: out = Value(bool(e.get_bool().value_unsafe())); return true;
    case T::INT64: out = Value(static_cast<long long>(e.get_int64().value_unsafe())); return true;
    // Above INT64_MAX: kept as the nearest double, as the YAML reader does.
    case T::UINT64: out = Value(static_cast<double>(e.get_uint64().value_unsafe())); return true;
    case T::DOUBLE: out = Value(e.get_double().value_unsafe()); return true;
    case T::STRING: out = Value(std::string_view(e.get_string().value_unsafe())); return true;
    case T::ARRAY: {
      Value::Array a;
      simdjson::dom::array arr = e.get_array().value_unsafe();  // a named local: see below
      a.reserve(arr.size());
      for (auto x : arr) {
        if (!from_element(x, a.emplace_back(), dup)) {
          prepend_path(dup, "[" + std::to_string(a.size() - 1) + "]");
          return false;
        }
      }
      out = Value(std::move(a));
      return true;
    }
    case T::OBJECT: {
      Value::Object o;
      // Not `for (... : e.get_object().value_unsafe())`: that iterates a
      // temporary that dies before the loop body runs.
      simdjson::dom::object obj = e.get_object().value_unsafe();
      const std::size_t n = obj.size();
      o.reserve(n);
      // Most objects are small: a linear scan beats hashing there.
      std::unordered_set<std::string_view> seen;
      if (n > 16) seen.reserve(n);
      for (auto field : obj) {
        bool duplicate = false;
        if (n > 16) {
          duplicate = !seen.insert(field.key).second;  // views into the parser's buffer
        } else {
          for (const auto& m : o) duplicate = duplicate || m.first == field.key;
        }
        if (duplicate) {
          dup.key = std::string(field.key);
          dup.path = dup.key;
          return false;
        }
        auto& m = o.emplace_back(std::string(field.key), Value());
        if (!from_element(field.value, m.second, dup)) {
          prepend_path(dup, m.first);
          return false;
        }
      }
      out = Value(std::move(o));
      return true;
    }
  }
  return true;
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
    Value out;
    detail::DuplicateKey dup;
    if (!detail::from_element(root, out, dup))
      return Error{"invalid JSON: duplicate key '" + dup.key + "'", dup.path, {}, {}, {}};
    return out;
  }

 private:
  simdjson::dom::parser parser_;
};

inline Result<Value> parse(std::string_view text) {
  static thread_local Parser p;
  return p.parse(text);
}

}  // namespace metaport::json
