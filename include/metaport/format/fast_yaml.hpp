// Fast reader for the canonical YAML subset that yaml_writer.hpp produces.
// Returns nullopt for anything outside that subset, and the caller falls back
// to yaml-cpp; so it must never return a *different* Value than yaml-cpp
// would for the same text (tests/format/fast_yaml_test checks both agree).
//
// The subset, exactly as the writer lays it out (see docs/yaml.md):
//   - block maps, one `key: value` per line, keys plain, 'single' or "double"
//     quoted, nested maps two spaces deeper, sequences under a key at the
//     key's own indentation ("indentless");
//   - `- ` items holding a scalar, `{}`, `[]`, a map (`- k: v`, further keys
//     two columns right of the dash) or a nested sequence (`- - a`);
//   - scalars: plain (a string the writer would write plain, or a number,
//     null, true, false as the writer writes them), single-quoted on one
//     line, double-quoted on one line with the writer's escapes, literal
//     blocks `|`, `|-`, `|+`, `|2`, `|2-`, `|2+` (content two columns right
//     of the enclosing collection, as the writer puts it).
// Anything else (comments, blank lines, flow collections other than `{}` and
// `[]`, anchors, aliases, tags, document markers, explicit `?` keys, tabs, CR,
// a BOM, folded or multi-line scalars, other escapes, duplicate keys, keys
// longer than YAML's 1024-character limit, a top-level scalar) is left to
// yaml-cpp, which reads it or reports the error with its position.
//
// Marks (1-based line and byte column) are where yaml-cpp puts them: a map at
// its first key, a sequence at its first dash, a scalar at its first
// character (quote, '|', '{' or '[' included).
#pragma once
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metaport/format/utf8.hpp"
#include "metaport/format/yaml_plain.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "metaport/value.hpp"

namespace metaport::yaml::fast {

namespace detail {

// Only characters the writer emits unescaped: printable ASCII, LF, and
// well-formed UTF-8 other than what the writer escapes (C1 controls, NEL, LS,
// PS, BOM, U+FFFE/U+FFFF). Tabs, CR and control characters are rejected here
// once, so the parser below never meets them.
inline bool charset_ok(std::string_view s) {
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) { ++i; continue; }
    if (c == '\n') { ++i; continue; }
    const std::size_t len = c >= 0x80 ? yaml::detail::raw_length(s, i) : 0;
    if (len == 0) return false;
    i += len;
  }
  return true;
}

// A plain value exactly as the writer writes a non-string: null, true,
// false, an integer (-?(0|[1-9][0-9]*)) or a double as std::to_chars prints
// it (-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?, never a bare integer: ".0" is added)
// or .inf/-.inf/.nan. The caller resolves it with resolve_plain, as the
// yaml-cpp path does.
inline bool is_canonical_non_string(std::string_view s) {
  if (s == "null" || s == "true" || s == "false" || s == ".inf" || s == "-.inf" || s == ".nan") return true;
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - from;
  };
  if (i < s.size() && s[i] == '-') ++i;
  const std::size_t int_start = i;
  const std::size_t n = digits();
  if (n == 0) return false;
  if (i == s.size()) return n == 1 || s[int_start] != '0';  // an integer
  if (s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < s.size() && s[i] == 'e') {
    ++i;
    if (i == s.size() || (s[i] != '-' && s[i] != '+')) return false;
    ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A scalar token on one line: plain text, or a quoted string decoded.
struct Token {
  Mark mark;
  const char* start = nullptr;  // first character (a quote for quoted tokens)
  bool quoted = false;
  std::string_view plain;       // the text of a plain token
  std::string decoded;          // the value of a quoted token
  bool is_key = false;          // followed by ':' (and the reader is on it)
};

class Reader {
 public:
  explicit Reader(std::string_view text)
      : p_(text.data()), e_(text.data() + text.size()), line_start_(text.data()) {}

  std::optional<Value> document() {
    if (!indentation() || indent_ != 0) return std::nullopt;
    Value root;
    if (empty_collection(root)) {  // "{}" or "[]" alone
      if (!end_line()) return std::nullopt;
    } else if (at_dash()) {
      if (!sequence(0, root)) return std::nullopt;
    } else {
      Token first;
      if (!token(first) || !first.is_key) return std::nullopt;  // a top-level scalar: yaml-cpp's job
      if (!map(0, root, &first)) return std::nullopt;
    }
    if (indent_ != -1) return std::nullopt;  // trailing lines the structure does not explain
    return root;
  }

 private:
  static constexpr int kMaxDepth = 200;  // deeper input goes to yaml-cpp (and its depth guard)

  Mark mark() const {
    return Mark{line_, static_cast<std::uint32_t>(p_ - line_start_ + 1)};
  }

  // p_ is on a '\n': moves to the next line and reads its indentation.
  bool end_line() {
    if (*p_ != '\n') return false;
    ++p_;
    ++line_;
    line_start_ = p_;
    return indentation();
  }

  // At a line start: skips the indentation; indent_ = -1 at the end of the
  // text. Blank and spaces-only lines are not canonical.
  bool indentation() {
    if (p_ == e_) {
      indent_ = -1;
      return true;
    }
    const char* q = p_;
    while (*q == ' ') ++q;  // the text ends with '\n', so this stops
    if (*q == '\n') return false;
    indent_ = static_cast<int>(q - p_);
    p_ = q;
    return true;
  }

  bool at_dash() const { return p_[0] == '-' && p_[1] == ' '; }  // p_[0] != '\n' => p_[1] exists

  // "{}" or "[]" ending the line.
  bool empty_collection(Value& out) {
    if (!((p_[0] == '{' && p_[1] == '}') || (p_[0] == '[' && p_[1] == ']')) || p_[2] != '\n') return false;
    out = p_[0] == '{' ? Value::object() : Value::array();
    out.mark = mark();
    p_ += 2;
    return true;
  }

  // Reads a key or a scalar on the current line. Plain: up to ':' + space or
  // line end (is_key), or the line end. Quoted: the closing quote must be on
  // this line. Leaves p_ on the ':' (is_key) or on whatever follows.
  bool token(Token& t) {
    t.mark = mark();
    t.start = p_;
    if (*p_ == '\'') {
      t.quoted = true;
      for (++p_;; ++p_) {
        if (*p_ == '\n') return false;  // a multi-line quoted scalar folds lines: yaml-cpp's job
        if (*p_ == '\'') {
          if (p_[1] != '\'') break;
          ++p_;
        }
        t.decoded += *p_;
      }
      ++p_;
    } else if (*p_ == '"') {
      t.quoted = true;
      if (!double_quoted(t.decoded)) return false;
    } else {
      const char* q = p_;
      while (*q != '\n' && !(*q == ':' && (q[1] == ' ' || q[1] == '\n'))) ++q;
      t.plain = std::string_view(p_, q - p_);
      p_ = q;
    }
    t.is_key = *p_ == ':';
    return true;
  }

  // p_ on the opening '"'; decodes up to the closing quote (on this line).
  bool double_quoted(std::string& out) {
    for (++p_;;) {
      const char c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c == '\n') return false;
      if (c != '\\') {
        const char* q = p_ + 1;  // copy a run of ordinary characters at once
        while (*q != '"' && *q != '\\' && *q != '\n') ++q;
        out.append(p_, q - p_);
        p_ = q;
        continue;
      }
      const char esc = p_[1];
      p_ += 2;
      switch (esc) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'L': utf8::append(out, U'\u2028'); break;
        case 'P': utf8::append(out, U'\u2029'); break;
        case 'x':
        case 'u': {
          const int digits = esc == 'x' ? 2 : 4;
          char32_t cp = 0;
          for (int k = 0; k < digits; ++k) {
            const int h = hex_digit(p_[k]);  // stops at '\n' at the latest
            if (h < 0) return false;
            cp = cp * 16 + static_cast<char32_t>(h);
          }
          if (cp >= 0xd800 && cp <= 0xdfff) return false;  // surrogates: yaml-cpp's job
          utf8::append(out, cp);
          p_ += digits;
          break;
        }
        // Other escapes are valid YAML, just not the writer's; "\N" among
        // them, which yaml-cpp 0.7 decodes to a lone 0x85 byte.
        default: return false;
      }
    }
  }

  // The value after "key: " or "- " that is not a map or a nested sequence:
  // `{}`, `[]`, a literal block or a scalar. Ends on the next line's start.
  bool inline_value(int n, Value& out) {
    if (*p_ == '|') return literal(n, out);
    if (empty_collection(out)) return end_line();
    Token t;
    if (!token(t) || t.is_key) return false;
    return scalar(t, out) && end_line();
  }

  // A token that ended its line, as a Value.
  static bool scalar(Token& t, Value& out) {
    if (t.quoted) {
      out = Value(std::move(t.decoded));
    } else if (yaml::detail::is_plain_safe(t.plain)) {
      out = Value(t.plain);
    } else {
      if (!is_canonical_non_string(t.plain)) return false;
      out = resolve_plain(t.plain);
      if (out.is_string()) return false;
    }
    out.mark = t.mark;
    return true;
  }

  // A literal block scalar; p_ on '|'. Content sits at column n + 2 (n: the
  // enclosing collection's indentation), which is what both the writer's
  // "|2" indicator and, without it, yaml-cpp's detection from the first line
  // give. Empty lines are kept; a spaces-only line is not canonical.
  bool literal(int n, Value& out) {
    const Mark at = mark();
    ++p_;
    bool indicator = false;
    char chomp = 0;
    if (*p_ == '2') { indicator = true; ++p_; }
    if (*p_ == '-' || *p_ == '+') chomp = *p_++;
    if (*p_ != '\n') return false;
    ++p_;
    ++line_;
    line_start_ = p_;
    const int content = n + 2;
    std::string text;
    std::size_t empty_lines = 0;  // not yet followed by content
    bool any = false;
    for (;;) {
      if (p_ == e_) {
        indent_ = -1;
        break;
      }
      const char* q = p_;
      while (*q == ' ') ++q;
      if (*q == '\n') {
        if (q != p_) return false;  // spaces-only line
        ++empty_lines;
        p_ = q + 1;
        ++line_;
        line_start_ = p_;
        continue;
      }
      const int sp = static_cast<int>(q - p_);
      if (!indicator && !any && (empty_lines > 0 || sp != content)) return false;
      if (sp < content) {  // the block ends; this line belongs to the parent
        indent_ = sp;
        p_ = q;
        break;
      }
      const char* eol = q;
      while (*eol != '\n') ++eol;
      text.append(empty_lines, '\n');
      empty_lines = 0;
      text.append(p_ + content, eol);
      text += '\n';
      any = true;
      p_ = eol + 1;
      ++line_;
      line_start_ = p_;
    }
    if (!any) return false;
    if (chomp == '-') text.pop_back();
    else if (chomp == '+') text.append(empty_lines, '\n');
    out = Value(std::move(text));
    out.mark = at;
    return true;
  }

  // A block map at indentation n; p_ on its first key (`first` already read,
  // if given). Returns on the first line indented less than n.
  bool map(int n, Value& out, Token* first) {
    if (++depth_ > kMaxDepth) return false;
    out = Value::object();
    out.mark = first ? first->mark : mark();
    auto& members = out.as_object();
    Token next;
    for (Token* key = first;; key = nullptr) {
      if (!key) {
        next = Token();
        if (!token(next)) return false;
        key = &next;
      }
      if (!key->is_key) return false;
      if (p_ - key->start > static_cast<std::ptrdiff_t>(yaml::detail::kMaxImplicitKey)) return false;
      std::string name;
      if (key->quoted) {
        name = std::move(key->decoded);
      } else {
        // Plain keys are strings as written; the writer quotes anything that
        // a reader could take for null (an error as a key) or a number.
        if (!yaml::detail::is_plain_safe(key->plain)) return false;
        name = std::string(key->plain);
      }
      Value& child = members.emplace_back(std::move(name), Value()).second;
      ++p_;  // ':'
      if (*p_ == ' ') {
        ++p_;
        if (!inline_value(n, child)) return false;
      } else {
        if (!end_line()) return false;
        if (indent_ == n + 2 && !at_dash()) {
          if (!map(n + 2, child, nullptr)) return false;
        } else if (indent_ == n && at_dash()) {
          if (!sequence(n, child)) return false;  // indentless, as the writer puts it
        } else {
          return false;  // "key:" then nothing (null) or other indentation
        }
      }
      if (indent_ < n) break;
      if (indent_ > n || at_dash()) return false;
    }
    --depth_;
    return unique_keys(members);
  }

  // A block sequence at indentation n; p_ on its first dash.
  bool sequence(int n, Value& out) {
    if (++depth_ > kMaxDepth) return false;
    out = Value::array();
    out.mark = mark();
    auto& items = out.as_array();
    for (;;) {
      p_ += 2;  // "- "
      Value& item = items.emplace_back();
      if (at_dash()) {
        if (!sequence(n + 2, item)) return false;
      } else if (*p_ == '|' || *p_ == '{' || *p_ == '[') {
        if (!inline_value(n, item)) return false;
      } else {
        Token t;
        if (!token(t)) return false;
        if (t.is_key) {
          if (!map(n + 2, item, &t)) return false;
        } else if (!scalar(t, item) || !end_line()) {
          return false;
        }
      }
      if (indent_ == n && at_dash()) continue;
      if (indent_ <= n) break;  // the parent decides what may follow
      return false;
    }
    --depth_;
    return true;
  }

  // Duplicate keys are errors (yaml_reader.hpp): leave them to yaml-cpp,
  // which reports them with their line.
  static bool unique_keys(const Value::Object& members) {
    const std::size_t n = members.size();
    if (n <= 16) {
      for (std::size_t i = 1; i < n; ++i)
        for (std::size_t j = 0; j < i; ++j)
          if (members[i].first == members[j].first) return false;
      return true;
    }
    std::vector<std::string_view> keys;
    keys.reserve(n);
    for (const auto& m : members) keys.push_back(m.first);
    std::sort(keys.begin(), keys.end());
    return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
  }

  const char* p_;
  const char* e_;
  const char* line_start_;
  std::uint32_t line_ = 1;
  int indent_ = 0;  // indentation of the line p_ is on; -1 at the end
  int depth_ = 0;
};

}  // namespace detail

inline std::optional<Value> try_parse(std::string_view text) {
  // Canonical text ends with a line feed; checking the character set up front
  // lets the parser rely on every line ending with '\n'.
  if (text.empty() || text.back() != '\n' || !detail::charset_ok(text)) return std::nullopt;
  return detail::Reader(text).document();
}

}  // namespace metaport::yaml::fast
