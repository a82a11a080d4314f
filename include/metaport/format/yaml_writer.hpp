// The canonical YAML writer. Same Value => same bytes, made for review:
// block style everywhere, sequences not indented under their key (as Metabase
// and most YAML tools write them), `{}`/`[]` for empty collections, strings
// plain when that is unambiguous, single-quoted when not, literal blocks
// (`|-`) for multi-line text so a one-line SQL change is a one-line diff, and
// double quotes with escapes only for what YAML cannot carry raw (control
// characters, invalid UTF-8, the separators some readers take for breaks).
//
// Not yaml-cpp's emitter: it writes 3.6k card-sized documents/s against 190k/s
// for this writer (bench/yaml_codec_bench; a tree dump needs 20k entities/s),
// and its layout of nested lists ("-\n  - a") is hard to read in a diff.
// The exact subset written here is what fast_yaml.hpp reads. See docs/yaml.md.
#pragma once
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "metaport/format/utf8.hpp"
#include "metaport/value.hpp"

namespace metaport::yaml {

namespace detail {

// YAML (1.2 and 1.1, as SnakeYAML and PyYAML read it) words that are not
// strings when plain: compared case-insensitively, so "No" and "ON" are quoted
// too. Only ASCII strings of at most 5 characters can match.
inline bool is_special_word(std::string_view s) {
  if (s.size() > 5) return false;
  char lower[5];
  for (std::size_t i = 0; i < s.size(); ++i) lower[i] = (s[i] >= 'A' && s[i] <= 'Z') ? char(s[i] + 32) : s[i];
  const std::string_view l(lower, s.size());
  return l == "null" || l == "true" || l == "false" || l == "yes" || l == "no" || l == "on" ||
         l == "off" || l == "y" || l == "n";
}

// A plain scalar reads back as this exact string in every YAML reader
// (yaml-cpp, js-yaml, SnakeYAML): printable ASCII, no indicator or digit
// first (numbers, dates, .inf...), no ": " or " #", no surrounding spaces,
// not a special word. Non-ASCII text is quoted rather than risk a reader's
// notion of "printable".
inline bool is_plain_safe(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  switch (s.front()) {
    case '-': case '?': case ':': case ',': case '[': case ']': case '{': case '}': case '#':
    case '&': case '*': case '!': case '|': case '>': case '\'': case '"': case '%': case '@':
    case '`': case '.': case '+': case '=': case '~': case '<':
      return false;
    default: break;
  }
  if (s.front() >= '0' && s.front() <= '9') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f) return false;
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return false;
    if (c == '#' && s[i - 1] == ' ') return false;  // i > 0: '#' first was rejected above
  }
  return !is_special_word(s);
}

// How the code point at s[i] must be written inside a double-quoted scalar:
// returns its length in bytes when it can be copied as is, 0 when it needs
// an escape. Needs one: ASCII controls and DEL; invalid UTF-8; C1 controls,
// U+FFFE and U+FFFF (not "printable" in YAML 1.2: js-yaml refuses a file
// holding them raw); NEL, LS and PS (line breaks to YAML 1.1 readers); and the
// BOM (a reader may strip it).
inline std::size_t raw_length(std::string_view s, std::size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return (c < 0x20 || c == 0x7f) ? 0 : 1;
  const std::size_t n = utf8::sequence_length(s, i);
  if (n == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0) return 0;  // U+0080..U+009F
  if (n == 3) {
    const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    const unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
    if (c == 0xe2 && c1 == 0x80 && (c2 == 0xa8 || c2 == 0xa9)) return 0;  // LS, PS
    if (c == 0xef && c1 == 0xbb && c2 == 0xbf) return 0;                  // BOM
    if (c == 0xef && c1 == 0xbf && (c2 == 0xbe || c2 == 0xbf)) return 0;  // U+FFFE, U+FFFF
  }
  return n;
}

// True when the text cannot be written without escapes (see raw_length); a
// line feed is fine in a literal block (allow_newline) but not in quotes.
inline bool needs_escapes(std::string_view s, bool allow_newline) {
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\n' && allow_newline) { ++i; continue; }
    const std::size_t n = raw_length(s, i);
    if (n == 0) return true;
    i += n;
  }
  return false;
}

inline void write_double_quoted(std::string& out, std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  const auto hex2 = [&](unsigned c) { out += "\\x"; out += hex[c >> 4]; out += hex[c & 15]; };
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      default: break;
    }
    if (const std::size_t n = raw_length(s, i)) {
      out.append(s.data() + i, n);
      i += n;
      continue;
    }
    const std::size_t n = utf8::sequence_length(s, i);
    if (n == 0 || n == 1) {
      // A control character, or a byte that is not UTF-8. \xHH reads back as
      // U+00HH: invalid bytes come back as their Latin-1 reading (lossy but
      // deterministic; json.hpp writes them the same way).
      hex2(c);
      i += 1;
    } else if (n == 2) {
      // C1 controls: C2 80..9F is U+0080..U+009F. NEL too, as \x85: yaml-cpp
      // 0.7 decodes "\N" to a lone 0x85 byte instead of U+0085.
      hex2(static_cast<unsigned char>(s[i + 1]));
      i += 2;
    } else {
      const unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
      if (c == 0xe2) out += c2 == 0xa8 ? "\\L" : "\\P";
      else if (s[i + 1] == '\xbb') out += "\\uFEFF";
      else out += c2 == 0xbe ? "\\uFFFE" : "\\uFFFF";
      i += 3;
    }
  }
  out += '"';
}

inline void write_single_quoted(std::string& out, std::string_view s) {
  out += '\'';
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
}

// A literal block keeps every character when: no escapes needed besides \n,
// some text besides line feeds (a block of only empty lines reads back as ""
// under the default chomping), and no line made only of spaces (a reader
// would take it for an empty line).
inline bool literal_ok(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  if (s.find_first_not_of('\n') == std::string_view::npos) return false;
  if (needs_escapes(s, true)) return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = s.substr(start, end - start);
    if (!line.empty() && line.find_first_not_of(' ') == std::string_view::npos) return false;
    start = end + 1;
  }
  return true;
}

// `indent` is the column (0-based) of the content lines; the indentation
// indicator, when needed, is relative to the enclosing collection, which the
// writer always places exactly two columns to the left of the content.
inline void write_literal(std::string& out, std::string_view s, int indent) {
  // Chomping: '-' strip (no final newline), '' clip (exactly one), '+' keep (more).
  std::size_t trailing = 0;
  while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
  out += '|';
  // A first line that starts with a space or is empty would make the reader
  // guess the indentation wrongly: state it.
  if (s.front() == ' ' || s.front() == '\n') out += '2';
  if (trailing == 0) out += '-';
  else if (trailing > 1) out += '+';
  std::string_view body = trailing == 0 ? s : s.substr(0, s.size() - 1);
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    out += '\n';
    std::string_view line = body.substr(start, end - start);
    if (!line.empty()) {
      out.append(indent, ' ');
      out.append(line);
    }
    if (end == body.size()) break;
    start = end + 1;
  }
}

inline void write_number(std::string& out, double d) {
  if (std::isnan(d)) { out += ".nan"; return; }
  if (std::isinf(d)) { out += d < 0 ? "-.inf" : ".inf"; return; }
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string_view s(buf, p - buf);
  out += s;
  if (s.find_first_of(".eE") == std::string_view::npos) out += ".0";  // stays a float when read back
}

inline void write_int(std::string& out, std::int64_t i) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, p);
}

}  // namespace detail

inline void write_key(std::string& out, std::string_view k) {
  if (detail::is_plain_safe(k)) out += k;
  else if (detail::needs_escapes(k, false)) detail::write_double_quoted(out, k);
  else detail::write_single_quoted(out, k);
}

// `indent` is where continuation lines of a block scalar go.
inline void write_scalar(std::string& out, const Value& v, int indent) {
  switch (v.type()) {
    case Value::Type::Null: out += "null"; break;
    case Value::Type::Bool: out += v.as_bool() ? "true" : "false"; break;
    case Value::Type::Int: detail::write_int(out, v.as_int()); break;
    case Value::Type::Double: detail::write_number(out, v.as_double()); break;
    case Value::Type::String: {
      const std::string& s = v.as_string();
      if (detail::is_plain_safe(s)) out += s;
      else if (detail::literal_ok(s)) detail::write_literal(out, s, indent);
      else if (detail::needs_escapes(s, false)) detail::write_double_quoted(out, s);
      else detail::write_single_quoted(out, s);
      break;
    }
    default: break;
  }
}

namespace detail {

// YAML limits an implicit ("key: value") key to 1024 characters and yaml-cpp
// enforces it in bytes; longer keys are written as explicit "? key" entries.
inline constexpr std::size_t kMaxImplicitKey = 1024;

inline void write_node(std::string& out, const Value& v, int indent);

// Writes the members of a map whose first key may already be positioned.
inline void write_map_body(std::string& out, const Value& v, int indent, bool first_positioned) {
  bool first = true;
  for (const auto& [k, child] : v.as_object()) {
    if (!(first && first_positioned)) out.append(indent, ' ');
    first = false;
    const std::size_t key_start = out.size();
    write_key(out, k);
    if (out.size() - key_start > kMaxImplicitKey) {
      out.insert(key_start, "? ");
      out += '\n';
      out.append(indent, ' ');
    }
    out += ':';
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
}

// Writes a sequence whose first "- " may already be positioned.
inline void write_seq_body(std::string& out, const Value& v, int indent, bool first_positioned) {
  bool first = true;
  for (const auto& item : v.as_array()) {
    if (!(first && first_positioned)) out.append(indent, ' ');
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
    out.append(indent, ' ');
    if (v.is_object()) out += "{}";
    else if (v.is_array()) out += "[]";
    else if (v.is_string() && literal_ok(v.as_string()) && (v.as_string()[0] == ' ' || v.as_string()[0] == '\n'))
      // Only a whole-document scalar gets here. An indentation indicator at
      // the top level is relative to column -1 for js-yaml (as the spec
      // says) but to column 0 for yaml-cpp: no literal block then.
      write_double_quoted(out, v.as_string());
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

}  // namespace metaport::yaml
