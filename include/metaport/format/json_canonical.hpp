// Is this JSON text exactly what json::write writes for the value it holds?
//
// Stores keep documents as the text json::write produced (SQLite TEXT,
// PostgreSQL `json`, which keeps the text as given). A jsonl dump would
// parse each such column into a Value and write it back, byte for byte the
// same text: most of a dump's time (docs/performance.md). When this check
// says yes, the text can be copied into the dump as it is, and the bytes are
// those the Value round trip would give. When it says no (text written by
// another tool, a reformatting engine, a string that held invalid UTF-8, a
// corrupt column), the caller takes the Value path, which also reports the
// errors with their member and key.
//
// Canonical means, as json/write does it: no white space; integers as
// std::to_chars writes an int64; other numbers as the shortest round-trip
// form of a finite double, with ".0" added when that has no '.', 'e' or 'E';
// strings with raw well-formed UTF-8 and only the escapes \" \\ \n \t \r \b
// \f and \u00xx (lower-case hex) for the other control characters; no
// duplicate member names (the reader rejects them). Escapes of bytes >= 0x80
// are what the writer makes of invalid UTF-8, and they read back as other
// text: not canonical.
//
// It may say no to canonical text (nesting deeper than kMaxDepth), never yes
// to text that is not. Hand-written rather than simdjson: simdjson would
// only validate, and the canonical form still needs its own pass; this one
// pass does both at ~1.5 GB/s on card-sized documents (bench/dump_bench.cc).
#pragma once
#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "metaport/format/json.hpp"
#include "metaport/format/utf8.hpp"

namespace metaport::json {

namespace canonical_detail {

// Bytes a canonical string holds raw without a second look: printable ASCII
// other than '"' and '\\'.
inline constexpr auto kPlain = [] {
  struct Table {
    bool v[256] = {};
  } t;
  for (int c = 0x20; c < 0x80; ++c) t.v[c] = c != '"' && c != '\\';
  return t;
}();

}  // namespace canonical_detail

// Reusable (keeps its buffer of member names): one per thread.
class CanonicalChecker {
 public:
  static constexpr int kMaxDepth = 256;  // simdjson allows 1024

  // True when `text` is one JSON value exactly as json::write writes the
  // value json::parse reads from it (see the top of this file).
  bool check(std::string_view text) {
    p_ = text.data();
    end_ = text.data() + text.size();
    names_.clear();
    return value(0) && p_ == end_;
  }

 private:
  bool value(int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(depth + 1);
      case '[': return array(depth + 1);
      case '"': return string();
      case 'n': return word("null");
      case 't': return word("true");
      case 'f': return word("false");
      default: return number();
    }
  }

  bool word(std::string_view w) {
    if (static_cast<std::size_t>(end_ - p_) < w.size() || std::memcmp(p_, w.data(), w.size()) != 0) return false;
    p_ += w.size();
    return true;
  }

  bool number() {
    const char* start = p_;
    bool floating = false;
    while (p_ != end_) {
      const char c = *p_;
      if ((c >= '0' && c <= '9') || c == '-') {
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+') {
        floating = true;
      } else {
        break;
      }
      ++p_;
    }
    const std::size_t n = static_cast<std::size_t>(p_ - start);
    if (n == 0 || n > 32) return false;
    char buf[40];
    if (!floating) {
      std::int64_t i = 0;
      auto [q, ec] = std::from_chars(start, p_, i);
      if (ec != std::errc() || q != p_) return false;  // out of int64 range: the reader makes it a double
      auto [w, ec2] = std::to_chars(buf, buf + sizeof buf, i);
      return static_cast<std::size_t>(w - buf) == n && std::memcmp(buf, start, n) == 0;  // no "-0", "007"
    }
    double d = 0;
    auto [q, ec] = std::from_chars(start, p_, d);
    if (ec != std::errc() || q != p_ || !std::isfinite(d)) return false;
    auto [w, ec2] = std::to_chars(buf, buf + sizeof buf, d);
    std::string_view s(buf, static_cast<std::size_t>(w - buf));
    if (s.find_first_of(".eE") == std::string_view::npos) {
      buf[s.size()] = '.';
      buf[s.size() + 1] = '0';
      s = std::string_view(buf, s.size() + 2);
    }
    return s == std::string_view(start, n);
  }

  // A string token; its raw text (without the quotes) in `last_`.
  bool string() {
    const char* const start = p_ + 1;
    const char* p = start;  // a local: p_ is a member the compiler would store on every byte
    const char* const end = end_;
    for (;;) {
      // Plain ASCII a word at a time; the lowest flagged byte of a word is
      // always a real special byte (false flags only sit above a real one).
      for (;;) {
        if (end - p < 8) {
          while (p != end && canonical_detail::kPlain.v[static_cast<unsigned char>(*p)]) ++p;
          break;
        }
        std::uint64_t x;
        std::memcpy(&x, p, 8);
        if (const std::uint64_t m = detail::special_bytes(x)) {
          p += std::countr_zero(m) / 8;
          break;
        }
        p += 8;
      }
      if (p == end) return false;
      const auto c = static_cast<unsigned char>(*p);
      if (c == '"') break;
      if (c == '\\') {
        if (end - p < 2) return false;
        switch (p[1]) {
          case '"': case '\\': case 'n': case 't': case 'r': case 'b': case 'f': p += 2; continue;
          case 'u': {
            // \u00xx for a control character without a short escape: that is
            // the only \u the writer makes of valid text.
            if (end - p < 6 || p[2] != '0' || p[3] != '0') return false;
            const char h = p[4], l = p[5];
            if (h != '0' && h != '1') return false;
            int lo;
            if (l >= '0' && l <= '9') lo = l - '0';
            else if (l >= 'a' && l <= 'f') lo = l - 'a' + 10;
            else return false;
            const int code = (h - '0') * 16 + lo;
            if (code == '\b' || code == '\t' || code == '\n' || code == '\f' || code == '\r') return false;
            p += 6;
            continue;
          }
          default: return false;
        }
      }
      if (c < 0x20) return false;  // a raw control character
      // c >= 0x80: one well-formed UTF-8 sequence, as the writer would keep it.
      const std::string_view rest(start, static_cast<std::size_t>(end - start));
      const std::size_t len = utf8::sequence_length(rest, static_cast<std::size_t>(p - start));
      if (len == 0) return false;
      p += len;
    }
    last_ = std::string_view(start, static_cast<std::size_t>(p - start));
    p_ = p + 1;
    return true;
  }

  bool array(int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;
    if (p_ != end_ && *p_ == ']') { ++p_; return true; }
    for (;;) {
      if (!value(depth)) return false;
      if (p_ == end_) return false;
      if (*p_ == ',') { ++p_; continue; }
      if (*p_ == ']') { ++p_; return true; }
      return false;
    }
  }

  bool object(int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;
    if (p_ != end_ && *p_ == '}') { ++p_; return true; }
    // Member names of the open objects, innermost last; canonical escapes are
    // unique, so equal names have equal raw text.
    const std::size_t mark = names_.size();
    bool ok = false;
    for (;;) {
      if (p_ == end_ || *p_ != '"' || !string()) break;
      names_.push_back(last_);
      if (p_ == end_ || *p_ != ':') break;
      ++p_;
      if (!value(depth)) break;
      if (p_ == end_) break;
      if (*p_ == ',') { ++p_; continue; }
      if (*p_ == '}') { ++p_; ok = true; }
      break;
    }
    ok = ok && distinct(mark);
    names_.resize(mark);
    return ok;
  }

  // No two names of the object whose names start at names_[mark] are equal.
  bool distinct(std::size_t mark) {
    const auto first = names_.begin() + static_cast<std::ptrdiff_t>(mark);
    if (names_.size() - mark <= 16) {  // most objects: pairwise beats sorting
      for (auto i = first; i != names_.end(); ++i)
        for (auto j = i + 1; j != names_.end(); ++j)
          if (*i == *j) return false;
      return true;
    }
    std::sort(first, names_.end());  // our own range, dropped right after
    return std::adjacent_find(first, names_.end()) == names_.end();
  }

  const char* p_ = nullptr;
  const char* end_ = nullptr;
  std::string_view last_;
  std::vector<std::string_view> names_;
};

inline bool is_canonical(std::string_view text) {
  static thread_local CanonicalChecker c;
  return c.check(text);
}

}  // namespace metaport::json
