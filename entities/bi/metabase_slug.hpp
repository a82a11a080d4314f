// Metabase's slugs (metabase.util/slugify), as its serialization writes them:
// the `label` of an entity's `serdes/meta` and the name part of its file in
// an export. Lower case (Java's toLowerCase, en-US), accents removed (NFD,
// combining marks U+0300-U+036F dropped), every ASCII character other than
// a-z, 0-9 and _ becomes _, and other characters are kept (`unicode`) or
// URL-encoded (a collection's `slug` column: "Été" -> "ete",
// "数据" -> "%E6%95%B0%E6%8D%AE").
//
// Lower-casing and decomposition are done for what Metabase content names
// use: Latin (Latin-1, Latin Extended-A), Greek and Cyrillic; other scripts
// have no case and no decomposable accents that names use, and pass through
// as they are. Unlike metaport::slugify (tree file names), nothing is
// truncated and `/` is an ordinary '_'.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "metaport/format/utf8.hpp"

namespace bi {

namespace metabase_slug_detail {

// U+00E0..U+017F, lower case: the base letter of a character that decomposes
// into letter + combining mark(s), 0 if it does not decompose (æ, ø, ð, þ,
// ß, đ, ħ, ı, ĳ, ĸ, ŀ, ł, ŉ, ŋ, œ, ŧ, ſ: Metabase keeps those).
inline char32_t latin_base(char32_t cp) {
  static constexpr char kLatin1[] = "aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0y";  // U+00E0..U+00FF
  static constexpr char kExtA[] =                                             // U+0100..U+017F
      "aaaaaaccccccccdd\0\0eeeeeeeeeegggggggghh\0\0iiiiiiiii\0\0\0jjkk\0llllll\0\0\0\0nnnnnn\0\0\0oooooo\0\0rrrrrr"
      "sssssssstttt\0\0uuuuuuuuuuuuwwyyyzzzzzz\0";
  static_assert(sizeof kLatin1 - 1 == 0x20 && sizeof kExtA - 1 == 0x80);
  if (cp >= 0xe0 && cp <= 0xff) return static_cast<unsigned char>(kLatin1[cp - 0xe0]);
  if (cp >= 0x100 && cp <= 0x17f) return static_cast<unsigned char>(kExtA[cp - 0x100]);
  return 0;
}

// Java's String.toLowerCase(Locale.US) for the scripts above (the Greek
// final sigma is decided by the caller).
inline char32_t lower(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp < 0xc0) return cp;
  if ((cp >= 0xc0 && cp <= 0xde) && cp != 0xd7) return cp + 0x20;
  if (cp >= 0x100 && cp <= 0x17f) {
    if (cp == 0x130) return 'i';  // İ -> i + U+0307, whose mark is removed next
    if (cp == 0x178) return 0xff;
    const bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e);
    if (cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17f) return cp;
    if (odd_upper) return (cp % 2 == 1) ? cp + 1 : cp;
    return (cp % 2 == 0) ? cp + 1 : cp;
  }
  if (cp == 0x386) return 0x3ac;
  if (cp >= 0x388 && cp <= 0x38a) return cp + 0x25;
  if (cp == 0x38c) return 0x3cc;
  if (cp == 0x38e || cp == 0x38f) return cp + 0x3f;
  if (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2) return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40f) return cp + 0x50;
  if (cp >= 0x410 && cp <= 0x42f) return cp + 0x20;
  return cp;
}

// The letter a lower-case Greek or Cyrillic character decomposes to (NFD
// without its marks), or 0.
inline char32_t greek_cyrillic_base(char32_t cp) {
  switch (cp) {
    case 0x3ac: return 0x3b1;  // ά
    case 0x3ad: return 0x3b5;  // έ
    case 0x3ae: return 0x3b7;  // ή
    case 0x3af: case 0x390: case 0x3ca: return 0x3b9;  // ί ΐ ϊ
    case 0x3cc: return 0x3bf;  // ό
    case 0x3cd: case 0x3b0: case 0x3cb: return 0x3c5;  // ύ ΰ ϋ
    case 0x3ce: return 0x3c9;  // ώ
    case 0x450: case 0x451: return 0x435;  // ѐ ё
    case 0x453: return 0x433;  // ѓ
    case 0x457: return 0x456;  // ї
    case 0x45c: return 0x43a;  // ќ
    case 0x439: case 0x45d: return 0x438;  // й ѝ
    case 0x45e: return 0x443;  // ў
    default: return 0;
  }
}

inline bool is_letter_ish(char32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xc0 && cp != 0xd7 && cp != 0xf7);
}

// Decodes s into code points (a byte that is not UTF-8 stands for itself).
inline std::u32string decode(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : metaport::utf8::sequence_length(s, i);
    if (n <= 1) {
      out += static_cast<char32_t>(c);
      ++i;
      continue;
    }
    char32_t cp = n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    out += cp;
    i += n;
  }
  return out;
}

}  // namespace metabase_slug_detail

inline std::string metabase_slugify(std::string_view s, bool unicode = true) {
  namespace d = metabase_slug_detail;
  const std::u32string cps = d::decode(s);
  std::string out;
  out.reserve(s.size());
  static const char* hex = "0123456789ABCDEF";
  for (std::size_t i = 0; i < cps.size(); ++i) {
    char32_t cp = cps[i];
    if (cp == 0x3a3) {  // Σ: final sigma at the end of a word (Java's rule)
      const bool after_letter = i > 0 && d::is_letter_ish(cps[i - 1]);
      const bool before_letter = i + 1 < cps.size() && d::is_letter_ish(cps[i + 1]);
      cp = after_letter && !before_letter ? 0x3c2 : 0x3c3;
    } else {
      cp = d::lower(cp);
    }
    if (cp >= 0x300 && cp <= 0x36f) continue;  // a combining mark: removed
    if (char32_t base = d::latin_base(cp)) cp = base;
    else if (char32_t gc = d::greek_cyrillic_base(cp)) cp = gc;
    if (cp < 0x80) {
      out += ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '_') ? static_cast<char>(cp) : '_';
    } else if (unicode) {
      metaport::utf8::append(out, cp);
    } else if (cp >= 0x10000) {
      out += "%3F%3F";  // Java encodes each half of a surrogate pair on its own: "?" each
    } else {
      std::string bytes;
      metaport::utf8::append(bytes, cp);
      for (unsigned char b : bytes) {
        out += '%';
        out += hex[b >> 4];
        out += hex[b & 15];
      }
    }
  }
  return out;
}

}  // namespace bi
