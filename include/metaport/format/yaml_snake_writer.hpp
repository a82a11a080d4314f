// YAML as SnakeYAML writes it (block style, no line splitting), the style of
// the files Java tools write: Metabase's serialization export goes through
// clj-yaml/SnakeYAML with {:flow-style :block :split-lines false}. A tree
// written in this style re-dumps over another tool's files without re-spelling
// their values (docs/metabase.md).
//
// The layout of collections is the canonical writer's (yaml_writer.hpp: maps
// indent by two, sequences under a key not indented, `{}`/`[]` when empty);
// what differs is how scalars are spelled, decided as SnakeYAML's emitter
// decides (analyzeScalar / chooseScalarStyle):
//   - plain when the text reads back as that string under YAML 1.1 (SnakeYAML's
//     resolver: no bool/int/float/null/timestamp look-alike) and has no
//     indicator, no leading or trailing space, no line break, nothing
//     unprintable;
//   - else single-quoted when it has nothing unprintable and no space next to
//     a line break; a line break is written as an empty line, continuation
//     lines indented like a block scalar's;
//   - else double-quoted with escapes (\n, \t, \_ for a no-break space, \x, \u);
//   - keys of 128 UTF-16 units or more become explicit `? key` entries;
//   - doubles as Java's Double.toString writes them (1.5, 1.0E7, 1.0E-4).
#pragma once
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "metaport/format/utf8.hpp"
#include "metaport/value.hpp"

namespace metaport::yaml::snake {

namespace detail {

inline bool digit(char c) { return c >= '0' && c <= '9'; }

// [-+]? then the rest
inline std::string_view unsigned_part(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return s;
}

// All characters of s are in `set`.
inline bool all_of(std::string_view s, std::string_view set) {
  for (char c : s)
    if (set.find(c) == std::string_view::npos) return false;
  return true;
}

// [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+  (sexagesimal), optionally followed by \.[0-9_]* for floats
inline bool sexagesimal(std::string_view s, bool with_fraction) {
  s = unsigned_part(s);
  if (s.empty() || s[0] < '1' || s[0] > '9') return false;
  std::size_t i = 1;
  while (i < s.size() && (digit(s[i]) || s[i] == '_')) ++i;
  int groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    std::size_t start = i;
    while (i < s.size() && digit(s[i]) && i - start < 2) ++i;
    if (i == start) return false;
    if (i - start == 2 && s[start] > '5') return false;
    ++groups;
  }
  if (groups == 0) return false;
  if (!with_fraction) return i == s.size();
  if (i >= s.size() || s[i] != '.') return false;
  return all_of(s.substr(i + 1), "0123456789_");
}

// SnakeYAML's INT: 0b.., 0.. (octal), decimal, 0x.., sexagesimal.
inline bool yaml11_int(std::string_view s) {
  const std::string_view u = unsigned_part(s);
  if (u.empty()) return false;
  if (u.size() > 2 && u[0] == '0' && u[1] == 'b') {
    std::string_view r = u.substr(2);
    while (!r.empty() && r[0] == '_') r.remove_prefix(1);
    return !r.empty() && (r[0] == '0' || r[0] == '1') && all_of(r, "01_");
  }
  if (u.size() > 2 && u[0] == '0' && u[1] == 'x') {
    std::string_view r = u.substr(2);
    while (!r.empty() && r[0] == '_') r.remove_prefix(1);
    return !r.empty() && r[0] != '_' && all_of(r, "0123456789abcdefABCDEF_");
  }
  if (u[0] == '0') {
    if (u.size() == 1) return true;
    std::string_view r = u.substr(1);
    while (!r.empty() && r[0] == '_') r.remove_prefix(1);
    return !r.empty() && r[0] >= '0' && r[0] <= '7' && all_of(r, "01234567_");
  }
  if (u[0] >= '1' && u[0] <= '9' && all_of(u, "0123456789_")) return true;
  return sexagesimal(s, false);
}

// SnakeYAML's FLOAT: [-+]?(\.[0-9]+|[0-9_]+(\.[0-9_]*)?)([eE][-+]?[0-9]+)?, sexagesimal floats, .inf, .nan
inline bool yaml11_float(std::string_view s) {
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return true;
  const std::string_view u = unsigned_part(s);
  if (u == ".inf" || u == ".Inf" || u == ".INF") return true;
  if (sexagesimal(s, true)) return true;
  std::size_t i = 0;
  if (i < u.size() && u[i] == '.') {
    ++i;
    const std::size_t start = i;
    while (i < u.size() && digit(u[i])) ++i;
    if (i == start) return false;
  } else {
    const std::size_t start = i;
    while (i < u.size() && (digit(u[i]) || u[i] == '_')) ++i;
    if (i == start) return false;
    if (i < u.size() && u[i] == '.') {
      ++i;
      while (i < u.size() && (digit(u[i]) || u[i] == '_')) ++i;
    }
  }
  if (i < u.size() && (u[i] == 'e' || u[i] == 'E')) {
    ++i;
    if (i < u.size() && (u[i] == '-' || u[i] == '+')) ++i;
    const std::size_t start = i;
    while (i < u.size() && digit(u[i])) ++i;
    if (i == start) return false;
  }
  return i == u.size();
}

// SnakeYAML's TIMESTAMP: YYYY-MM-DD, or YYYY-M-D[Tt or blanks]H:MM:SS[.f][blanks][Z or ±H[:MM]]
inline bool yaml11_timestamp(std::string_view s) {
  auto digits = [&](std::size_t& i, std::size_t lo, std::size_t hi) {
    std::size_t start = i;
    while (i < s.size() && digit(s[i]) && i - start < hi) ++i;
    return i - start >= lo;
  };
  std::size_t i = 0;
  if (!digits(i, 4, 4) || i >= s.size() || s[i] != '-') return false;
  ++i;
  const std::size_t month_start = i;
  if (!digits(i, 1, 2) || i >= s.size() || s[i] != '-') return false;
  const bool month2 = i - month_start == 2;
  ++i;
  const std::size_t day_start = i;
  if (!digits(i, 1, 2)) return false;
  const bool day2 = i - day_start == 2;
  if (i == s.size()) return month2 && day2;  // the date form wants two digits each
  if (s[i] == 'T' || s[i] == 't') ++i;
  else if (s[i] == ' ' || s[i] == '\t') {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  } else {
    return false;
  }
  if (!digits(i, 1, 2) || i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!digits(i, 2, 2) || i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!digits(i, 2, 2)) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && digit(s[i])) ++i;
  }
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i == s.size()) return true;
  if (s[i] == 'Z') return i + 1 == s.size();
  if (s[i] != '-' && s[i] != '+') return false;
  ++i;
  if (!digits(i, 1, 2)) return false;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!digits(i, 2, 2)) return false;
  }
  return i == s.size();
}

// Whether SnakeYAML's resolver reads this plain text as something other than
// a string (its implicit resolvers, each tried for the first characters it
// is registered for: bool, int, float, merge, null, timestamp).
inline bool resolves_to_non_string(std::string_view s) {
  if (s.empty()) return true;  // null
  switch (s[0]) {
    case 'y': case 'Y': case 'n': case 'N': case 't': case 'T': case 'f': case 'F': case 'o': case 'O': {
      static constexpr std::string_view kBool[] = {"yes", "Yes", "YES", "no",    "No",    "NO",    "true", "True", "TRUE",
                                                   "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"};
      for (auto w : kBool)
        if (s == w) return true;
      return s == "null" || s == "Null" || s == "NULL";
    }
    case '~': return s == "~";
    case '<': return s == "<<";  // merge
    // ('=', the YAML 1.1 value key, is not one of SnakeYAML's resolvers.)
    case '!': case '&': case '*': return s.size() == 1;
    case '-': case '+': case '.': return yaml11_float(s) || yaml11_int(s);
    default: break;
  }
  if (digit(s[0])) return yaml11_float(s) || yaml11_int(s) || yaml11_timestamp(s);
  return false;
}

inline bool is_space_or_break(char32_t c) {
  return c == 0 || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
}
inline bool is_break(char32_t c) { return c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029; }
inline bool printable_unicode(char32_t c) {
  return c == 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

// The code points of s; a byte that is not UTF-8 is kept as a value above
// U+10FFFF (so it is "special" and gets escaped).
inline std::u32string code_points(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : utf8::sequence_length(s, i);
    if (n == 0) {
      out += static_cast<char32_t>(0x110000 + c);
      ++i;
      continue;
    }
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    out += cp;
    i += n;
  }
  return out;
}

struct Analysis {
  bool empty = false, multiline = false;
  bool allow_block_plain = true, allow_single_quoted = true;
};

// SnakeYAML's Emitter.analyzeScalar (allowUnicode), for the block context.
inline Analysis analyze(const std::u32string& s) {
  Analysis a;
  if (s.empty()) {
    a.empty = true;
    return a;
  }
  bool block_indicators = false, line_breaks = false, special = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false;
  if (s.rfind(U"---", 0) == 0 || s.rfind(U"...", 0) == 0) block_indicators = true;
  bool preceded_by_whitespace = true;
  bool followed_by_whitespace = s.size() == 1 || is_space_or_break(s[1]);
  bool previous_space = false, previous_break = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char32_t ch = s[i];
    if (i == 0) {
      if (std::u32string_view(U"#,[]{}&*!|>'\"%@`").find(ch) != std::u32string_view::npos) block_indicators = true;
      if ((ch == '?' || ch == ':') && followed_by_whitespace) block_indicators = true;
      if (ch == '-' && followed_by_whitespace) block_indicators = true;
    } else {
      if (ch == ':' && followed_by_whitespace) block_indicators = true;
      if (ch == '#' && preceded_by_whitespace) block_indicators = true;
    }
    if (is_break(ch)) line_breaks = true;
    if (!(ch == '\n' || (ch >= 0x20 && ch <= 0x7e)) && !printable_unicode(ch)) special = true;
    if (ch == ' ') {
      if (i == 0) leading_space = true;
      if (i == s.size() - 1) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (is_break(ch)) {
      if (i == 0) leading_break = true;
      if (i == s.size() - 1) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = previous_break = false;
    }
    preceded_by_whitespace = is_space_or_break(ch);
    followed_by_whitespace = i + 2 >= s.size() || is_space_or_break(s[i + 2]);
  }
  a.multiline = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break) a.allow_block_plain = false;
  if (break_space) a.allow_block_plain = a.allow_single_quoted = false;
  if (space_break || special) a.allow_block_plain = a.allow_single_quoted = false;
  if (line_breaks) a.allow_block_plain = false;
  if (block_indicators) a.allow_block_plain = false;
  // Where metaport departs from SnakeYAML: two single-quoted spellings it
  // writes do not read back as the same text. NEL, LS and PS are line breaks
  // to SnakeYAML (YAML 1.1) but content to YAML 1.2 readers (yaml-cpp and
  // js-yaml keep the indentation written after them as text too); and
  // yaml-cpp clips the line breaks that end a quoted scalar to one, so a
  // text of only line breaks, or one ending with two, would come back
  // shorter. Double quotes spell both exactly (\N, \L, \P, \n).
  const bool nel_ls_ps = s.find_first_of(U"\u0085\u2028\u2029") != std::u32string::npos;
  const bool clipped = s.find_first_not_of(U'\n') == std::u32string::npos ||
                       (s.size() >= 2 && s[s.size() - 1] == '\n' && s[s.size() - 2] == '\n');
  if (nel_ls_ps || clipped) a.allow_single_quoted = false;
  return a;
}

inline void put(std::string& out, char32_t cp) {
  if (cp >= 0x110000) out += static_cast<char>(cp - 0x110000);
  else utf8::append(out, cp);
}

// Single-quoted, no line splitting: a run of line breaks starting with \n
// is written with one more line break, then the continuation indent.
inline void write_single_quoted(std::string& out, const std::u32string& s, int indent) {
  out += '\'';
  std::size_t i = 0;
  while (i < s.size()) {
    const char32_t ch = s[i];
    if (is_break(ch)) {
      std::size_t end = i;
      while (end < s.size() && is_break(s[end])) ++end;
      if (ch == '\n') out += '\n';
      for (std::size_t k = i; k < end; ++k) {
        if (s[k] == '\n') out += '\n';
        else put(out, s[k]);
      }
      out.append(static_cast<std::size_t>(indent), ' ');
      i = end;
      continue;
    }
    if (ch == '\'') out += "''";
    else put(out, ch);
    ++i;
  }
  out += '\'';
}

inline void write_double_quoted(std::string& out, const std::u32string& s) {
  static const char* hex = "0123456789ABCDEF";
  out += '"';
  for (char32_t ch : s) {
    switch (ch) {
      case 0: out += "\\0"; continue;
      case 7: out += "\\a"; continue;
      case 8: out += "\\b"; continue;
      case 9: out += "\\t"; continue;
      case 10: out += "\\n"; continue;
      case 11: out += "\\v"; continue;
      case 12: out += "\\f"; continue;
      case 13: out += "\\r"; continue;
      case 27: out += "\\e"; continue;
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case 0x85: out += "\\N"; continue;
      case 0xa0: out += "\\_"; continue;
      case 0x2028: out += "\\L"; continue;
      case 0x2029: out += "\\P"; continue;
      default: break;
    }
    if ((ch >= 0x20 && ch <= 0x7e) || (ch != 0xfeff && printable_unicode(ch))) {
      put(out, ch);
    } else if (ch >= 0x110000 || ch <= 0xff) {
      const unsigned b = ch >= 0x110000 ? static_cast<unsigned>(ch - 0x110000) : static_cast<unsigned>(ch);
      out += "\\x";
      out += hex[(b >> 4) & 15];
      out += hex[b & 15];
    } else if (ch <= 0xffff) {
      out += "\\u";
      for (int k = 12; k >= 0; k -= 4) out += hex[(ch >> k) & 15];
    } else {
      out += "\\U";
      for (int k = 28; k >= 0; k -= 4) out += hex[(ch >> k) & 15];
    }
  }
  out += '"';
}

inline void write_string(std::string& out, std::string_view text, int indent, bool key) {
  const std::u32string s = code_points(text);
  const Analysis a = analyze(s);
  if (!(key && (a.empty || a.multiline)) && a.allow_block_plain && !resolves_to_non_string(text)) {
    out += text;
  } else if (a.allow_single_quoted && !(key && a.multiline)) {
    write_single_quoted(out, s, indent);
  } else {
    write_double_quoted(out, s);
  }
}

// Java's Double.toString: the shortest digits that read back, in plain
// notation for 1e-3 <= |d| < 1e7 and computerized scientific notation
// otherwise, always with a fraction digit.
inline void write_double(std::string& out, double d) {
  if (std::isnan(d)) { out += ".NaN"; return; }
  if (std::isinf(d)) { out += d < 0 ? "-.inf" : ".inf"; return; }
  if (d == 0) { out += std::signbit(d) ? "-0.0" : "0.0"; return; }
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(p - buf));  // [-]d[.ddd]e[+-]xx
  bool negative = sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  const std::size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits += c;
  int exp = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+'), sci.data() + sci.size(), exp);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (negative) out += '-';
  const double mag = std::fabs(d);
  if (mag >= 1e-3 && mag < 1e7) {
    if (exp < 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-exp - 1), '0');
      out += digits;
    } else {
      const std::size_t int_len = static_cast<std::size_t>(exp) + 1;
      if (digits.size() <= int_len) {
        out += digits;
        out.append(int_len - digits.size(), '0');
        out += ".0";
      } else {
        out += digits.substr(0, int_len);
        out += '.';
        out += digits.substr(int_len);
      }
    }
  } else {
    out += digits[0];
    out += '.';
    out += digits.size() > 1 ? digits.substr(1) : std::string("0");
    out += 'E';
    out += std::to_string(exp);
  }
}

inline void write_scalar(std::string& out, const Value& v, int indent) {
  switch (v.type()) {
    case Value::Type::Null: out += "null"; break;
    case Value::Type::Bool: out += v.as_bool() ? "true" : "false"; break;
    case Value::Type::Int: out += std::to_string(v.as_int()); break;
    case Value::Type::Double: write_double(out, v.as_double()); break;
    case Value::Type::String: write_string(out, v.as_string(), indent, false); break;
    default: break;
  }
}

// UTF-16 length (SnakeYAML counts Java chars for the simple-key limit).
inline std::size_t utf16_length(std::string_view s) {
  std::size_t n = 0;
  for (char32_t c : code_points(s)) n += c >= 0x10000 && c < 0x110000 ? 2 : 1;
  return n;
}
inline constexpr std::size_t kMaxSimpleKey = 128;

inline void write_node(std::string& out, const Value& v, int indent);

inline void write_value_after(std::string& out, const Value& child, int indent) {
  if (child.is_object() && child.size() > 0) {
    out += '\n';
    write_node(out, child, indent + 2);
  } else if (child.is_array() && child.size() > 0) {
    out += '\n';
    write_node(out, child, indent);  // indentless sequence
  } else {
    out += ' ';
    if (child.is_object()) out += "{}";
    else if (child.is_array()) out += "[]";
    else write_scalar(out, child, indent + 2);
    out += '\n';
  }
}

inline void write_seq_body(std::string& out, const Value& v, int indent, bool first_positioned);

inline void write_map_body(std::string& out, const Value& v, int indent, bool first_positioned) {
  bool first = true;
  for (const auto& [k, child] : v.as_object()) {
    if (!(first && first_positioned)) out.append(static_cast<std::size_t>(indent), ' ');
    first = false;
    if (utf16_length(k) >= kMaxSimpleKey) {
      // An explicit key: "? key", then ": value" on the next line.
      out += "? ";
      write_string(out, k, indent + 2, false);
      out += '\n';
      out.append(static_cast<std::size_t>(indent), ' ');
      out += ':';
      if (child.is_object() && child.size() > 0) {
        out += ' ';
        write_map_body(out, child, indent + 2, true);
      } else if (child.is_array() && child.size() > 0) {
        out += ' ';
        write_seq_body(out, child, indent + 2, true);
      } else {
        write_value_after(out, child, indent);
      }
      continue;
    }
    write_string(out, k, indent + 2, true);
    out += ':';
    write_value_after(out, child, indent);
  }
}

inline void write_seq_body(std::string& out, const Value& v, int indent, bool first_positioned) {
  bool first = true;
  for (const auto& item : v.as_array()) {
    if (!(first && first_positioned)) out.append(static_cast<std::size_t>(indent), ' ');
    first = false;
    out += "- ";
    if (item.is_object() && item.size() > 0) write_map_body(out, item, indent + 2, true);
    else if (item.is_array() && item.size() > 0) write_seq_body(out, item, indent + 2, true);
    else {
      if (item.is_object()) out += "{}";
      else if (item.is_array()) out += "[]";
      else write_scalar(out, item, indent + 2);
      out += '\n';
    }
  }
}

inline void write_node(std::string& out, const Value& v, int indent) {
  if (v.is_object() && v.size() > 0) write_map_body(out, v, indent, false);
  else if (v.is_array() && v.size() > 0) write_seq_body(out, v, indent, false);
  else {
    out.append(static_cast<std::size_t>(indent), ' ');
    if (v.is_object()) out += "{}";
    else if (v.is_array()) out += "[]";
    else write_scalar(out, v, indent + 2);
    out += '\n';
  }
}

}  // namespace detail

// One YAML document (no "---" marker), ending with a newline.
inline void write(std::string& out, const Value& v) { detail::write_node(out, v, 0); }
inline std::string write(const Value& v) {
  std::string out;
  out.reserve(1024);
  write(out, v);
  return out;
}

}  // namespace metaport::yaml::snake
