// The canonical YAML writer. Same Value => same bytes, made for review:
// block style everywhere, sequences not indented under their key (as Metabase
// and most YAML tools write them), `{}`/`[]` for empty collections, strings
// plain when that is unambiguous, single-quoted when not, literal blocks
// (`|-`) for multi-line text so a one-line SQL change is a one-line diff, and
// double quotes with escapes only for control characters.
//
// Not yaml-cpp's emitter: measured 5k card-sized documents/s (bench/
// yaml_codec_bench), against 20k/s needed for tree dumps, and its layout of
// nested lists ("-\n  - a") is hard to read in a diff. See docs/yaml.md.
#pragma once
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "metaport/value.hpp"

namespace metaport::yaml {

namespace detail {

inline bool is_plain_safe(std::string_view s) {
  if (s.empty()) return false;
  const unsigned char f = static_cast<unsigned char>(s.front());
  if (s.front() == ' ' || s.back() == ' ') return false;
  switch (f) {  // indicators and anything that could start a number or a special value
    case '-': case '?': case ':': case ',': case '[': case ']': case '{': case '}': case '#':
    case '&': case '*': case '!': case '|': case '>': case '\'': case '"': case '%': case '@':
    case '`': case '.': case '+': case '=': case '~': case '<':
      return false;
    default: break;
  }
  if (f >= '0' && f <= '9') return false;  // numbers, dates, times, octal, hex...
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
    if (c >= 0x80) return false;  // keep non-ASCII quoted: no reader misreads a quoted string
  }
  // Words some YAML readers turn into null or booleans (YAML 1.1 and 1.2).
  static constexpr std::string_view special[] = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  for (auto w : special)
    if (lower == w) return false;
  return true;
}

// True when the UTF-8 text needs escapes (control characters, invalid UTF-8,
// or the line/paragraph separators and BOM that some readers treat as breaks).
inline bool needs_escapes(std::string_view s, bool allow_newline) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n' && allow_newline) continue;
    if (c < 0x20 || c == 0x7f) return true;
    if (c >= 0x80) {
      std::size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
      if (n == 0 || i + n > s.size()) return true;
      for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return true;
      if (c == 0xc2 && static_cast<unsigned char>(s[i + 1]) == 0x85) return true;  // NEL
      if (c == 0xe2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
          (static_cast<unsigned char>(s[i + 2]) == 0xa8 || static_cast<unsigned char>(s[i + 2]) == 0xa9))
        return true;  // LS, PS
      if (c == 0xef && static_cast<unsigned char>(s[i + 1]) == 0xbb && static_cast<unsigned char>(s[i + 2]) == 0xbf)
        return true;  // BOM
      i += n - 1;
    }
  }
  return false;
}

inline void write_double_quoted(std::string& out, std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\x"; out += hex[c >> 4]; out += hex[c & 15];
        } else if (c >= 0x80 && needs_escapes(s.substr(i, std::min<std::size_t>(4, s.size() - i)), false)) {
          // a separator or BOM: escape the code point; invalid bytes: \x (lossy, documented)
          if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) { out += "\\N"; ++i; }
          else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   static_cast<unsigned char>(s[i + 2]) == 0xa8) { out += "\\L"; i += 2; }
          else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   static_cast<unsigned char>(s[i + 2]) == 0xa9) { out += "\\P"; i += 2; }
          else if (c == 0xef && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xbb &&
                   static_cast<unsigned char>(s[i + 2]) == 0xbf) { out += "\\uFEFF"; i += 2; }
          else {
            std::size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            bool ok = n > 1 && i + n <= s.size();
            for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
            if (ok) { out.append(s.substr(i, n)); i += n - 1; }
            else { out += "\\x"; out += hex[c >> 4]; out += hex[c & 15]; }
          }
        } else {
          out += static_cast<char>(c);
        }
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
// no carriage returns or tabs at line starts, and no line made only of spaces
// (a reader would fold those into empty lines).
inline bool literal_ok(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  if (needs_escapes(s, true)) return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = s.substr(start, end - start);
    if (!line.empty() && line.find_first_not_of(' ') == std::string_view::npos) return false;
    if (!line.empty() && line[0] == '\t') return false;
    start = end + 1;
  }
  return true;
}

inline void write_literal(std::string& out, std::string_view s, int indent) {
  // Chomping: '-' strip (no final newline), '' clip (exactly one), '+' keep (more).
  std::size_t trailing = 0;
  while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
  out += '|';
  if (s.front() == ' ' || s.front() == '\n') out += std::to_string(2);  // indentation indicator
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
  if (s.find_first_of(".eEn") == std::string_view::npos) out += ".0";  // stays a float when read back
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
    case Value::Type::Int: out += std::to_string(v.as_int()); break;
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
inline bool is_empty_collection(const Value& v) { return (v.is_array() || v.is_object()) && v.size() == 0; }

inline void write_node(std::string& out, const Value& v, int indent);

// Writes the members of a map whose first key is already positioned.
inline void write_map_body(std::string& out, const Value& v, int indent, bool first_positioned) {
  bool first = true;
  for (const auto& [k, child] : v.as_object()) {
    if (!(first && first_positioned)) { out.append(indent, ' '); }
    first = false;
    write_key(out, k);
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
