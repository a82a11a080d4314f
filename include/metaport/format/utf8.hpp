// UTF-8 validation shared by the writers and the fast YAML reader. Values may
// hold any bytes (a string read from a database is not guaranteed to be
// UTF-8), but YAML and JSON files must be valid UTF-8: the writers escape the
// bytes that are not, and the fast reader leaves such input to yaml-cpp.
#pragma once
#include <cstddef>
#include <string_view>

namespace metaport::utf8 {

// Length of the well-formed UTF-8 sequence that starts at s[i] (1 for ASCII),
// or 0 when the bytes there are not one: a stray continuation byte, a
// truncated sequence, an overlong form, a surrogate (U+D800..U+DFFF) or a code
// point above U+10FFFF (RFC 3629, Unicode table 3-7).
inline std::size_t sequence_length(std::string_view s, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = at(0);
  if (c < 0x80) return 1;
  const auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xbf) {
    return i + k < s.size() && at(k) >= lo && at(k) <= hi;
  };
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c == 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;             // no overlongs
  if (c == 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;       // no surrogates
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;  // no overlongs
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;  // <= U+10FFFF
  return 0;  // 0x80..0xc1 (continuation / overlong lead), 0xf5..0xff
}

inline bool valid(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) { ++i; continue; }
    const std::size_t n = sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Appends the code point as UTF-8 (cp <= 0x10FFFF, not a surrogate).
template <class String>
void append(String& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

}  // namespace metaport::utf8
