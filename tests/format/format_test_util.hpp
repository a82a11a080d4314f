// Helpers for the format tests: an exact, typed rendering of a Value (so a
// test can tell 25 from 25.0, -0.0 from 0.0, and see marks), a seeded
// generator of random Values rich in the strings YAML finds hard, and the
// writer's documented transformation of invalid UTF-8.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "metaport/format/utf8.hpp"
#include "metaport/value.hpp"

namespace metaport::test {

inline void dump_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

// Exact and typed: "i:25" vs "d:25" (doubles as hex floats, so every bit
// counts), members in order, marks as "@line:col" when asked.
inline void dump(std::string& out, const Value& v, bool marks) {
  switch (v.type()) {
    case Value::Type::Null: out += "null"; break;
    case Value::Type::Bool: out += v.as_bool() ? "true" : "false"; break;
    case Value::Type::Int: out += "i:" + std::to_string(v.as_int()); break;
    case Value::Type::Double: {
      const double d = v.as_double();
      if (std::isnan(d)) {
        out += "d:nan";
      } else {
        char buf[64];
        std::snprintf(buf, sizeof buf, "d:%a", d);
        out += buf;
      }
      break;
    }
    case Value::Type::String: out += "s:"; dump_string(out, v.as_string()); break;
    case Value::Type::Array: {
      out += '[';
      bool first = true;
      for (const auto& x : v.as_array()) {
        if (!first) out += ", ";
        first = false;
        dump(out, x, marks);
      }
      out += ']';
      break;
    }
    case Value::Type::Object: {
      out += '{';
      bool first = true;
      for (const auto& [k, x] : v.as_object()) {
        if (!first) out += ", ";
        first = false;
        dump_string(out, k);
        out += ": ";
        dump(out, x, marks);
      }
      out += '}';
      break;
    }
  }
  if (marks) out += "@" + std::to_string(v.mark.line) + ":" + std::to_string(v.mark.col);
}

inline std::string dump(const Value& v, bool marks = false) {
  std::string out;
  dump(out, v, marks);
  return out;
}

// What the YAML writer documents for bytes that are not UTF-8: each is
// written as \xHH, which every YAML reader reads as U+00HH (its Latin-1
// reading). Valid text is unchanged.
inline std::string latin1_reading(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8::sequence_length(s, i);
    if (n == 0) {
      utf8::append(out, static_cast<char32_t>(static_cast<unsigned char>(s[i])));
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// The Value a YAML round trip gives back: strings (and keys) read as above.
inline Value after_yaml_round_trip(const Value& v) {
  switch (v.type()) {
    case Value::Type::String: return Value(latin1_reading(v.as_string()));
    case Value::Type::Array: {
      Value::Array a;
      for (const auto& x : v.as_array()) a.push_back(after_yaml_round_trip(x));
      return Value(std::move(a));
    }
    case Value::Type::Object: {
      Value::Object o;
      for (const auto& [k, x] : v.as_object()) o.emplace_back(latin1_reading(k), after_yaml_round_trip(x));
      return Value(std::move(o));
    }
    default: return v;
  }
}

// splitmix64: tiny, fast, and the same sequence on every platform (the
// standard distributions are not), so a failing seed reproduces anywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }

 private:
  std::uint64_t s_;
};

// Pieces of strings that each stress one rule of the writer.
inline const std::vector<std::string>& string_fragments() {
  static const std::vector<std::string> f = {
      "", "a", "name", "Total Sales", "x_y", "SELECT", "id", " ", "  ", "\n", "\n\n", "\n\n\n", "\t", "\r",
      "\r\n", ":", ": ", " :", " #", "#", "# c", "-", "- ", "--", "---", "...", "?", "? ", ",", "[", "]",
      "{", "}", "{}", "[]", "&", "&a", "*", "*a", "!", "!!str", "|", "|-", ">", "'", "''", "\"", "%", "@",
      "`", "\\", "\\n", "\\x41", "=", "<<", "~", ".", "+", "null", "Null", "NULL", "true", "False", "yes",
      "No", "on", "OFF", "y", "n", "123", "0", "-1", "+1", "1.5", "1e3", "1e+300", ".5", "0x1f", "0o17",
      "1_000", ".inf", "-.inf", ".nan", "2024-01-15", "12:30:00", "é", "日本語", "😀", "\xc2\x85",
      "\xe2\x80\xa8", "\xe2\x80\xa9", "\xef\xbb\xbf", "\xc2\x80", "\xc2\x9f", "\xc2\xa0", "\xef\xbf\xbe",
      "\xef\xbf\xbf", "\xff", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", std::string(1, '\0'),
      "\x01", "\x1b", "\x7f", "http://x.y/z?a=1#f", "a: b", "a #b", "a#b", "key:", "SELECT *\nFROM t\n",
      "  indented\n", "\n  leading", "trailing  ", "x\n  \ny", "   \n", "\u2603 snow",
  };
  return f;
}

class ValueGen {
 public:
  explicit ValueGen(std::uint64_t seed) : rng_(seed) {}

  Rng& rng() { return rng_; }

  std::string string() {
    const auto& f = string_fragments();
    std::string s;
    const std::size_t parts = rng_.below(5);
    for (std::size_t i = 0; i < parts; ++i) s += f[rng_.below(f.size())];
    if (rng_.chance(2)) {  // long: a big SQL text or a long single line
      std::string unit = rng_.chance(50) ? "SELECT a, b FROM t WHERE x = 'y'\n" : "abc def ";
      const std::size_t times = 50 + rng_.below(400);
      for (std::size_t i = 0; i < times; ++i) s += unit;
    }
    return s;
  }

  std::string key() {
    static const char* names[] = {"name", "id", "entity_id", "serdes/meta", "dataset_query", "display",
                                  "visualization_settings", "table.columns", "graph.dimensions", "type",
                                  "source-table", "lib/type", "created_at", "x"};
    if (rng_.chance(60)) return names[rng_.below(std::size(names))];
    if (rng_.chance(1)) return std::string(1020 + rng_.below(10), 'k');  // around YAML's 1024 limit
    return string();
  }

  double number() {
    static const double specials[] = {0.0, -0.0, 0.5, 25.0, 1e300, -1e300, 1e-300, 5e-324, 1.7976931348623157e308,
                                      0.1, 100.0, 1e16, 1e21, 123456.789, -2.5, INFINITY, -INFINITY, NAN};
    if (rng_.chance(60)) return specials[rng_.below(std::size(specials))];
    for (;;) {  // any finite bit pattern
      std::uint64_t bits = rng_.next();
      double d;
      std::memcpy(&d, &bits, sizeof d);
      if (std::isfinite(d)) return d;
    }
  }

  std::int64_t integer() {
    static const std::int64_t specials[] = {0, 1, -1, 42, INT64_MAX, INT64_MIN, 1LL << 53, (1LL << 53) + 1, 1000000};
    if (rng_.chance(50)) return specials[rng_.below(std::size(specials))];
    return static_cast<std::int64_t>(rng_.next()) >> rng_.below(64);
  }

  Value scalar() {
    switch (rng_.below(10)) {
      case 0: return Value();
      case 1: return Value(rng_.chance(50));
      case 2: case 3: return Value(static_cast<long long>(integer()));
      case 4: return Value(number());
      default: return Value(string());
    }
  }

  Value value(int depth) {
    const std::size_t pick = rng_.below(10);
    if (depth <= 0 || pick < 4) return scalar();
    const std::size_t n = rng_.chance(15) ? 0 : 1 + rng_.below(5);
    if (pick < 7) {
      Value o = Value::object();
      for (std::size_t i = 0; i < n; ++i) {
        std::string k = key();
        if (!o.find(k)) o.set(std::move(k), value(depth - 1));
      }
      return o;
    }
    Value a = Value::array();
    for (std::size_t i = 0; i < n; ++i) a.push_back(value(depth - 1));
    return a;
  }

  // A document as the dump writes one: a map or a list at the top.
  Value document() {
    Value v = value(5);
    while (v.is_scalar()) v = value(5);
    return v;
  }

 private:
  Rng rng_;
};

}  // namespace metaport::test
