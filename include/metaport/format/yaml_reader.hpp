// YAML text -> Value, with the line and column of every value. Plain scalars
// resolve as YAML 1.2's core schema (null, true/false, integers, floats);
// anything quoted is a string. Duplicate keys are errors (a reviewed file
// must not silently lose a line).
//
// yaml-cpp reads any YAML; the canonical form that metaport writes is read by
// a faster path first (see fast_yaml.hpp), falling back to yaml-cpp for
// anything else (comments, flow collections, anchors, hand-edited files).
#pragma once
#include <cstdio>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <unordered_set>

#include "metaport/format/utf8.hpp"
#include "metaport/format/yaml_plain.hpp"
#include "metaport/result.hpp"
#include "metaport/value.hpp"

namespace metaport::yaml {

namespace detail {

inline Mark mark_of(const YAML::Mark& m) {
  if (m.line < 0) return {};
  return Mark{static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1)};
}

// yaml-cpp 0.7 decodes the escapes "\N" (NEL) and "\_" (no-break space) to
// the lone bytes 0x85 and 0xA0 instead of U+0085 and U+00A0, so a string
// that held them would come back as bytes that are not UTF-8 (and leave as
// other characters once written). The input was checked to be UTF-8 and
// every other escape decodes to UTF-8, so a lone 0x85 or 0xA0 in a scalar can
// only come from those two escapes: put the characters back.
inline std::string utf8_from_yaml_cpp(const std::string& s) {
  if (utf8::valid(s)) return s;
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8::sequence_length(s, i);
    if (n == 0) {  // 0x85 or 0xA0, see above
      utf8::append(out, static_cast<char32_t>(static_cast<unsigned char>(s[i])));
      ++i;
      continue;
    }
    out.append(s, i, n);
    i += n;
  }
  return out;
}

// A character YAML 1.2 does not allow raw in a stream (c-printable: tab,
// line feed, carriage return, printable ASCII, NEL, and Unicode from U+00A0
// but not the surrogates, U+FFFE, U+FFFF): its code point, or -1 when the
// character at s[i] (n bytes of well-formed UTF-8) is allowed. yaml-cpp would
// take such characters as they are, and a NUL in a plain scalar even as the
// start of an escape ("x<NUL>N" read as "x" NEL: fuzz/fs_entity_fuzz).
inline long not_printable(std::string_view s, std::size_t i, std::size_t n) {
  const auto c = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (n == 1) return (c(0) < 0x20 && c(0) != '\t' && c(0) != '\n' && c(0) != '\r') || c(0) == 0x7f ? long(c(0)) : -1;
  if (n == 2 && c(0) == 0xc2 && c(1) < 0xa0 && c(1) != 0x85) return c(1);       // C1 controls
  if (n == 3 && c(0) == 0xef && c(1) == 0xbf && c(2) >= 0xbe) return 0xff40 + c(2);  // U+FFFE, U+FFFF
  return -1;
}

inline Value from_node(const YAML::Node& n, Errors& errors, std::string path) {
  Value out;
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags plain scalars "?" and quoted / block scalars "!".
      out = n.Tag() == "?" ? resolve_plain(n.Scalar()) : Value(utf8_from_yaml_cpp(n.Scalar()));
      break;
    case YAML::NodeType::Sequence: {
      out = Value::array();
      std::size_t i = 0;
      for (const auto& item : n) {
        out.as_array().push_back(from_node(item, errors, path + "[" + std::to_string(i++) + "]"));
      }
      break;
    }
    case YAML::NodeType::Map: {
      out = Value::object();
      std::unordered_set<std::string> seen;
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) {
          errors.add(path, mark_of(kv.first.Mark()), "a key must be a plain string, not a list or map");
          continue;
        }
        const std::string k = utf8_from_yaml_cpp(kv.first.Scalar());
        std::string child = path.empty() ? k : path + "." + k;
        if (!seen.insert(k).second) {
          errors.add(child, mark_of(kv.first.Mark()), "duplicate key '" + k + "'");
          continue;
        }
        out.as_object().emplace_back(k, from_node(kv.second, errors, child));
      }
      break;
    }
  }
  out.mark = mark_of(n.Mark());
  return out;
}

}  // namespace detail

// Parses one YAML document with yaml-cpp. Syntax errors come back with their
// line and column; an empty text is an error (an empty file is not an entity).
inline Result<Value> parse_with_yaml_cpp(std::string_view text) {
  // YAML is Unicode text: yaml-cpp would pass bytes that are not UTF-8
  // through, and the same document would not read back the same (found by
  // fuzz/bi_entity_fuzz: a stray 0xBD came back as U+00BD). Characters YAML
  // does not allow raw are refused too (see not_printable).
  for (std::size_t i = 0, line = 1, col = 1; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80 ? 1 : utf8::sequence_length(text, i);
    const Mark here{static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(col)};
    if (n == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      return Error{std::string("not UTF-8: the byte ") + hex + " starts no UTF-8 character (YAML files are UTF-8)", {},
                   here, {}, {}};
    }
    if (const long cp = detail::not_printable(text, i, n); cp >= 0) {
      char msg[160];
      std::snprintf(msg, sizeof msg,
                    "the character U+%04lX is not printable, and YAML does not allow it raw (in a double-quoted string, write it as \\%s%0*lX)",
                    cp, cp < 0x100 ? "x" : "u", cp < 0x100 ? 2 : 4, cp);
      return Error{msg, {}, here, {}, {}};
    }
    if (c == '\n') { ++line; col = 1; } else { ++col; }
    i += n;
  }
  Errors errors;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Error{"invalid YAML: " + e.msg, {}, detail::mark_of(e.mark), {}, {}};
  }
  // A text with no node at all (empty, only comments) has no mark; "null"
  // or "~" is a null document.
  if (!root.IsDefined() || (root.IsNull() && root.Mark().is_null()))
    return Error{"empty YAML document", {}, {1, 1}, {}, {}};
  Value v = detail::from_node(root, errors, "");
  if (!errors.empty()) return errors;
  return v;
}

}  // namespace metaport::yaml

#include "metaport/format/fast_yaml.hpp"

namespace metaport::yaml {

// Parses one YAML document: the fast reader for metaport's canonical form,
// yaml-cpp for everything else.
inline Result<Value> parse(std::string_view text) {
  if (auto v = fast::try_parse(text)) return std::move(*v);
  return parse_with_yaml_cpp(text);
}

}  // namespace metaport::yaml
