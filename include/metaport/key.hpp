// Key: the portable identity of an entity, as written in dumps.
//   entity-id kinds:   ["f1C68pznmrpN1F5xFDj6d"]                   (a NanoID)
//   named kinds:       ["Sample Database"], ["internal@metabase.com"]
//   path kinds:        ["Sample Database", "PUBLIC", "ORDERS", "TOTAL"]
//                      (a part may be null: a schemaless database's schema)
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace metaport {

struct Key {
  std::vector<std::optional<std::string>> parts;

  Key() = default;
  explicit Key(std::string single) { parts.emplace_back(std::move(single)); }
  Key(std::initializer_list<std::optional<std::string>> p) : parts(p) {}

  bool empty() const { return parts.empty(); }
  std::size_t size() const { return parts.size(); }
  // The single string of a one-part key ("" for a null part).
  const std::string& first() const {
    static const std::string none;
    return parts.empty() || !parts[0] ? none : *parts[0];
  }
  Key with(std::optional<std::string> part) const {
    Key k = *this;
    k.parts.push_back(std::move(part));
    return k;
  }
  Key prefix(std::size_t n) const {
    Key k;
    k.parts.assign(parts.begin(), parts.begin() + std::min(n, parts.size()));
    return k;
  }

  // Canonical text: the part itself for a one-part key, else a JSON array.
  // Used as the store's key column and in messages; parse() inverts it.
  std::string str() const {
    if (parts.size() == 1 && parts[0]) return *parts[0];
    std::string out = "[";
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i) out += ',';
      if (!parts[i]) { out += "null"; continue; }
      out += '"';
      for (char c : *parts[i]) {
        if (c == '"' || c == '\\') { out += '\\'; out += c; }
        else if (static_cast<unsigned char>(c) < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00"; out += hex[(c >> 4) & 0xf]; out += hex[c & 0xf];
        } else out += c;
      }
      out += '"';
    }
    return out + "]";
  }
  // Inverse of str() for a key of the given arity (1 => the raw string).
  static std::optional<Key> parse(std::string_view text, bool single) {
    if (single) return Key(std::string(text));
    Key k;
    std::size_t i = 0;
    auto skip = [&] { while (i < text.size() && text[i] == ' ') ++i; };
    skip();
    if (i >= text.size() || text[i] != '[') return std::nullopt;
    ++i;
    skip();
    if (i < text.size() && text[i] == ']') return k;
    while (i < text.size()) {
      skip();
      if (text.substr(i, 4) == "null") { k.parts.emplace_back(std::nullopt); i += 4; }
      else if (text[i] == '"') {
        std::string s;
        ++i;
        while (i < text.size() && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < text.size()) {
            ++i;
            if (text[i] == 'u' && i + 4 < text.size()) {
              s += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 4)), nullptr, 16));
              i += 5;
              continue;
            }
          }
          s += text[i++];
        }
        if (i >= text.size()) return std::nullopt;
        ++i;
        k.parts.emplace_back(std::move(s));
      } else return std::nullopt;
      skip();
      if (i < text.size() && text[i] == ',') { ++i; continue; }
      if (i < text.size() && text[i] == ']') return k;
      return std::nullopt;
    }
    return std::nullopt;
  }

  friend bool operator==(const Key&, const Key&) = default;
  friend auto operator<=>(const Key& a, const Key& b) { return a.parts <=> b.parts; }
};

struct KeyHash {
  std::size_t operator()(const Key& k) const {
    std::size_t h = 1469598103934665603ull;
    for (const auto& p : k.parts) {
      if (p) for (unsigned char c : *p) { h ^= c; h *= 1099511628211ull; }
      h ^= 0xff; h *= 1099511628211ull;
    }
    return h;
  }
};

}  // namespace metaport
