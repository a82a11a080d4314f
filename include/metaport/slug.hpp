// File-name slugs, as the Metabase Representation Format makes them: lower
// case, anything but letters and digits becomes '_', slashes and backslashes
// are spelled out (__SLASH__, __BACKSLASH__) so no name can escape its folder.
// Non-ASCII letters are kept (UTF-8 file names are fine and readable).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace metaport {

inline std::string slugify(std::string_view name, std::size_t max_bytes = 120) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == '/') out += "__SLASH__";
    else if (c == '\\') out += "__BACKSLASH__";
    else if (c >= 'A' && c <= 'Z') out += static_cast<char>(c + 32);
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') out += static_cast<char>(c);
    else if (c >= 0x80) out += static_cast<char>(c);
    else out += '_';
  }
  if (out.size() > max_bytes) {  // cut on a UTF-8 boundary
    std::size_t n = max_bytes;
    while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xc0) == 0x80) --n;
    out.resize(n);
  }
  if (out.empty() || out == "." || out == "..") out = "_";
  return out;
}

// "NativeQuerySnippet" -> "native_query_snippet"
inline std::string snake_case(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') {
      if (i > 0) out += '_';
      out += static_cast<char>(c + 32);
    } else {
      out += c;
    }
  }
  return out;
}

// 8 characters of a stable hash, to tell apart names that slug the same.
inline std::string short_hash(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) { h ^= c; h *= 1099511628211ull; }
  static const char* alphabet = "0123456789abcdefghijklmnopqrstuv";
  std::string out;
  for (int i = 0; i < 8; ++i) { out += alphabet[h & 31]; h >>= 5; }
  return out;
}

}  // namespace metaport
