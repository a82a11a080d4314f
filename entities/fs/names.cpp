#include "entities/fs/common.hpp"

namespace fs {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

// The length of the valid UTF-8 sequence at s[i], 0 if it is not one (as Go
// decodes: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  const auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return k < s.size() && b(k) >= lo && b(k) <= hi;
  };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c == 0xE0) return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(i + 1) && cont(i + 2) ? 3 : 0;
  if (c == 0xED) return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0;
  if (c == 0xF0) return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  if (c == 0xF4) return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  return 0;
}

bool needs_escape(unsigned char c) { return c <= 0x20 || c == '%' || c == '"' || c == '\\'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void put_escaped(std::string& out, unsigned char c) {
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

}  // namespace

std::string escape_bytes(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    const std::size_t n = utf8_length(raw, i);
    if (n == 0) {  // not UTF-8: this byte alone
      put_escaped(out, static_cast<unsigned char>(raw[i]));
      ++i;
    } else if (n == 1 && needs_escape(static_cast<unsigned char>(raw[i]))) {
      put_escaped(out, static_cast<unsigned char>(raw[i]));
      ++i;
    } else if (n == 3 && raw.substr(i, 3) == "\xEF\xBF\xBD") {  // U+FFFD: all three bytes (see common.hpp)
      for (std::size_t k = 0; k < 3; ++k) put_escaped(out, static_cast<unsigned char>(raw[i + k]));
      i += 3;
    } else {
      out.append(raw.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string unescape_bytes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int h = hex_value(s[i + 1]), l = hex_value(s[i + 2]);
      if (h >= 0 && l >= 0) {
        out += static_cast<char>(h * 16 + l);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string why_not_escaped(std::string_view text) {
  const std::string where = "'" + std::string(text) + "': ";
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::string hex{kHex[c >> 4], kHex[c & 0xF]};
    if (c == '%') {
      if (i + 2 >= text.size() || hex_value(text[i + 1]) < 0 || hex_value(text[i + 2]) < 0)
        return where + "a '%' that does not start %XX (upper-case hex) is written %25";
      // %XX must stand for a byte that needs it (else two spellings of one name).
      const std::string raw(1, static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      if (escape_bytes(raw) == raw)
        return where + std::string(text.substr(i, 3)) + " stands for '" + raw + "', which is written as itself";
      i += 3;
      continue;
    }
    if (c <= 0x20 || c == '"' || c == '\\') return where + "'" + (c <= 0x20 ? std::string("\\x") + hex : std::string(1, static_cast<char>(c))) + "' is written %" + hex;
    const std::size_t n = utf8_length(text, i);
    if (n == 0) return where + "a byte that is not UTF-8 is written %" + hex;
    if (text.substr(i, n) == "\xEF\xBF\xBD") return where + "U+FFFD is written %EF%BF%BD";
    i += n;
  }
  // Bytes escaped one by one that together are UTF-8 text, or spellings
  // escape_bytes would not make: not the one way to write these bytes.
  if (escape_bytes(unescape_bytes(text)) != text) return where + "not written as JuiceFS's dump escapes these bytes";
  return {};
}

}  // namespace fs
