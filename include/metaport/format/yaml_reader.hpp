// YAML text -> Value, with the line and column of every value. Plain scalars
// resolve as YAML 1.2's core schema (null, true/false, integers, floats);
// anything quoted is a string. Duplicate keys are errors (a reviewed file
// must not silently lose a line).
//
// yaml-cpp reads any YAML; the canonical form that metaport writes is read by
// a faster path first (see fast_yaml.hpp), falling back to yaml-cpp for
// anything else (comments, flow collections, anchors, hand-edited files).
#pragma once
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <unordered_set>

#include "metaport/result.hpp"
#include "metaport/value.hpp"

namespace metaport::yaml {

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
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
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
      if (r.ec == std::errc() || r.ec == std::errc::result_out_of_range) return Value(d);
    }
  }
  return Value(std::string(s));
}

namespace detail {

inline Mark mark_of(const YAML::Mark& m) {
  if (m.line < 0) return {};
  return Mark{static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1)};
}

inline Value from_node(const YAML::Node& n, Errors& errors, std::string path) {
  Value out;
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags plain scalars "?" and quoted / block scalars "!".
      out = n.Tag() == "?" ? resolve_plain(n.Scalar()) : Value(n.Scalar());
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
        const std::string& k = kv.first.Scalar();
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
  Errors errors;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Error{"invalid YAML: " + e.msg, {}, detail::mark_of(e.mark), {}, {}};
  }
  if (!root.IsDefined() || root.IsNull()) return Error{"empty YAML document", {}, {1, 1}, {}, {}};
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
