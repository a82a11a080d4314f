#include "runtime/format/json_scanner.hpp"

#include "metaport/format/json.hpp"

namespace metaport::format {
namespace {

bool blank(int c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Every member of a value parsed from one piece of text gets its start: the
// JSON parser keeps no positions, and a member's line within an entry
// (JuiceFS writes each on one line) is the line that matters.
void mark_all(Value& v, Mark at) {
  v.mark = at;
  if (v.is_array())
    for (auto& x : v.as_array()) mark_all(x, at);
  else if (v.is_object())
    for (auto& [k, x] : v.as_object()) mark_all(x, at);
}

}  // namespace

Error JsonScanner::error(std::string message) const {
  return Error{std::move(message), {}, mark(), in_.name(), {}};
}

Status JsonScanner::fill() {
  if (eof_) return ok_status();
  buf_.erase(0, pos_);
  pos_ = 0;
  const std::size_t have = buf_.size();
  buf_.resize(have + (1 << 16));
  auto n = in_.read(buf_.data() + have, 1 << 16);
  if (!n) {
    buf_.resize(have);
    return n.errors();
  }
  buf_.resize(have + *n);
  if (*n == 0) eof_ = true;
  return ok_status();
}

Result<int> JsonScanner::look() {
  if (pos_ >= buf_.size()) {
    if (auto s = fill(); !s) return s.errors();
    if (pos_ >= buf_.size()) return 0;
  }
  return static_cast<unsigned char>(buf_[pos_]);
}

Result<int> JsonScanner::get() {
  auto c = look();
  if (!c || *c == 0) return c;
  ++pos_;
  if (*c == '\n') {
    ++line_;
    col_ = 1;
  } else {
    ++col_;
  }
  return c;
}

Result<char> JsonScanner::peek() {
  for (;;) {
    auto c = look();
    if (!c) return c.errors();
    if (*c == 0 || !blank(*c)) return static_cast<char>(*c);
    (void)get();
  }
}

Status JsonScanner::expect(char want, std::string_view what) {
  auto c = peek();
  if (!c) return c.errors();
  if (*c == 0) return error("the file ends where " + std::string(what) + " was expected (a truncated file?)");
  if (*c != want) return error("expected " + std::string(what) + ", found '" + std::string(1, *c) + "'");
  (void)get();
  return ok_status();
}

Status JsonScanner::string_body(std::string* out) {
  for (;;) {
    auto c = get();
    if (!c) return c.errors();
    if (*c == 0) return error("the file ends inside a string (a truncated file?)");
    if (*c == '"') return ok_status();
    if (*c < 0x20) return error("a control character inside a string");
    if (out) out->push_back(static_cast<char>(*c));
    if (*c == '\\') {
      auto e = get();
      if (!e) return e.errors();
      if (*e == 0) return error("the file ends inside a string (a truncated file?)");
      if (out) out->push_back(static_cast<char>(*e));
    }
  }
}

Status JsonScanner::string(std::string& out) {
  auto c = peek();
  if (!c) return c.errors();
  if (*c != '"') return *c == 0 ? error("the file ends where a string was expected (a truncated file?)")
                                 : error("expected a string, found '" + std::string(1, *c) + "'");
  std::string raw = "\"";
  (void)get();
  if (auto s = string_body(&raw); !s) return s;
  raw += '"';
  // Escapes decoded by the JSON parser (\u sequences, surrogate pairs).
  if (raw.find('\\') == std::string::npos) {
    out.assign(raw, 1, raw.size() - 2);
    return ok_status();
  }
  auto v = json::parse(raw);
  if (!v || !v->is_string()) return error("a malformed string");
  out = v->as_string();
  return ok_status();
}

Status JsonScanner::copy_value(std::string* out) {
  auto c = peek();
  if (!c) return c.errors();
  if (*c == 0) return error("the file ends where a value was expected (a truncated file?)");
  int depth = 0;
  for (;;) {
    auto b = look();
    if (!b) return b.errors();
    if (*b == 0) {
      if (depth > 0) return error("the file ends inside a value (a truncated file?)");
      return ok_status();
    }
    if (depth == 0 && (*b == ',' || *b == '}' || *b == ']' || blank(*b)) && (out ? !out->empty() : true)) {
      // A scalar ends at a separator; a container ends at its own bracket (below).
      return ok_status();
    }
    (void)get();
    if (*b == '"') {
      if (out) out->push_back('"');
      if (auto s = string_body(out); !s) return s;
      if (out) out->push_back('"');
      if (depth == 0) return ok_status();
      continue;
    }
    if (out) out->push_back(static_cast<char>(*b));
    if (*b == '{' || *b == '[') {
      ++depth;
    } else if (*b == '}' || *b == ']') {
      if (--depth <= 0) return ok_status();
    }
  }
}

Status JsonScanner::value_text(std::string& out, Mark& at) {
  auto c = peek();
  if (!c) return c.errors();
  at = mark();
  out.clear();
  return copy_value(&out);
}

Result<Value> JsonScanner::value() {
  std::string text;
  Mark at;
  if (auto s = value_text(text, at); !s) return s.errors();
  auto v = json::parse(text);
  if (!v) {
    Error e = v.errors().list().front();
    e.file = in_.name();
    e.mark = at;
    return e;
  }
  mark_all(*v, at);
  return std::move(*v);
}

Status JsonScanner::skip_value() {
  auto c = peek();
  if (!c) return c.errors();
  if (*c == '"') {
    (void)get();
    return string_body(nullptr);
  }
  std::string scalar;  // a number or a literal: short
  if (*c != '{' && *c != '[') return copy_value(&scalar);
  int depth = 0;
  for (;;) {
    auto b = get();
    if (!b) return b.errors();
    if (*b == 0) return error("the file ends inside a value (a truncated file?)");
    if (*b == '"') {
      if (auto s = string_body(nullptr); !s) return s;
    } else if (*b == '{' || *b == '[') {
      ++depth;
    } else if (*b == '}' || *b == ']') {
      if (--depth == 0) return ok_status();
    }
  }
}

Status JsonScanner::end() {
  auto c = peek();
  if (!c) return c.errors();
  if (*c != 0) return error("more after the end of the document ('" + std::string(1, *c) + "')");
  return ok_status();
}

}  // namespace metaport::format
