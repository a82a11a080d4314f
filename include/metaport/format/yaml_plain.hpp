// YAML 1.2 core schema resolution of plain (unquoted) scalars: null, booleans,
// integers, floats, else a string. Shared by both YAML readers (yaml-cpp's
// tree and the fast canonical reader) so they cannot disagree on a scalar.
#pragma once
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "metaport/value.hpp"

namespace metaport::yaml {

namespace detail {

// The value of a float literal (unsigned, well-formed) that does not fit a
// double: its decimal exponent (where its first significant digit sits)
// tells an overflow (infinity) from an underflow (zero).
inline double out_of_range_double(std::string_view t, bool negative) {
  long long exp10 = 0;  // power of ten of the first nonzero digit
  bool found = false;
  long long int_digits = 0, frac_pos = 0;
  std::size_t i = 0;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
    if (!found && t[i] != '0') { found = true; int_digits = 0; }
    if (found) ++int_digits;
  }
  if (found) exp10 = int_digits - 1;
  if (i < t.size() && t[i] == '.') {
    for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
      ++frac_pos;
      if (!found && t[i] != '0') { found = true; exp10 = -frac_pos; }
    }
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) eneg = t[i++] == '-';
    long long e = 0;
    for (; i < t.size(); ++i) e = std::min<long long>(e * 10 + (t[i] - '0'), 1'000'000'000);
    exp10 += eneg ? -e : e;
  }
  const double magnitude = exp10 > 0 ? HUGE_VAL : 0.0;
  return negative ? -magnitude : magnitude;
}

}  // namespace detail

// YAML 1.2 core schema resolution of a plain (unquoted) scalar.
inline Value resolve_plain(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value();
  if (s == "true" || s == "True" || s == "TRUE") return Value(true);
  if (s == "false" || s == "False" || s == "FALSE") return Value(false);
  const char* b = s.data();
  const char* e = s.data() + s.size();
  // integers: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+
  {
    std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (i < s.size() && s.find_first_not_of("0123456789", i) == std::string_view::npos) {
      long long v = 0;
      auto r = std::from_chars(b + (s[0] == '+' ? 1 : 0), e, v);
      if (r.ec == std::errc() && r.ptr == e) return Value(v);
      // too large for 64 bits: keep it exact as a float is not; fall through to float
    }
    // from_chars would take "0x-1" as -1: the digits must start right after the prefix.
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o') && s[2] != '-') {
      long long v = 0;
      auto r = std::from_chars(b + 2, e, v, s[1] == 'x' ? 16 : 8);
      if (r.ec == std::errc() && r.ptr == e) return Value(v);
    }
  }
  // floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)
  {
    std::string_view t = s;
    bool neg = false;
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) { neg = t[0] == '-'; t.remove_prefix(1); }
    if (t == ".inf" || t == ".Inf" || t == ".INF") return Value(neg ? -INFINITY : INFINITY);
    if (s == ".nan" || s == ".NaN" || s == ".NAN") return Value(NAN);
    std::size_t i = 0, digits = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') { ++i; ++digits; }
    if (i < t.size() && t[i] == '.') {
      ++i;
      while (i < t.size() && t[i] >= '0' && t[i] <= '9') { ++i; ++digits; }
    }
    bool ok = digits > 0;
    if (ok && i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
      ++i;
      if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
      std::size_t ed = 0;
      while (i < t.size() && t[i] >= '0' && t[i] <= '9') { ++i; ++ed; }
      ok = ed > 0;
    }
    if (ok && i == t.size()) {
      double d = 0;
      auto r = std::from_chars(b + (s[0] == '+' ? 1 : 0), e, d);
      if (r.ec == std::errc()) return Value(d);
      // from_chars leaves d alone when out of range (1e400, 1e-400): the
      // value is then an infinity or a zero, as every other YAML reader says.
      if (r.ec == std::errc::result_out_of_range) return Value(detail::out_of_range_double(t, neg));
    }
  }
  return Value(std::string(s));
}

}  // namespace metaport::yaml
