// EntityId: the portable identity of an entity, a 21-character NanoID
// (alphabet A-Za-z0-9_-), as Metabase's `entity_id`. Stable across renames and
// moves; local numeric ids never leave an instance.
#pragma once
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace metaport {

class EntityId {
 public:
  static constexpr std::size_t kLength = 21;
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

  EntityId() = default;
  // No validation here: use parse() for untrusted text.
  explicit EntityId(std::string s) : s_(std::move(s)) {}

  static bool valid(std::string_view s) {
    if (s.size() != kLength) return false;
    for (char c : s)
      if (!is_alphabet(c)) return false;
    return true;
  }
  static constexpr bool is_alphabet(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  }
  // Why a problem is not a valid id, for error messages ("" if it is valid).
  static std::string why_invalid(std::string_view s) {
    if (s.size() != kLength)
      return "an entity_id is 21 characters (A-Za-z0-9_-), this one has " + std::to_string(s.size());
    for (char c : s)
      if (!is_alphabet(c)) return std::string("an entity_id may only use A-Za-z0-9_-, found '") + c + "'";
    return {};
  }

  // A random id from a cryptographically seeded generator.
  static EntityId generate() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    return from_rng(rng);
  }
  // A deterministic id from any 64-bit generator (seeded sample data: same
  // seed => same ids => byte-identical dumps).
  template <class Rng>
  static EntityId from_rng(Rng& rng) {
    std::string s(kLength, 'A');
    std::uint64_t bits = rng();
    int left = 64;
    for (auto& c : s) {
      if (left < 6) { bits = rng(); left = 64; }
      c = kAlphabet[bits & 63];
      bits >>= 6;
      left -= 6;
    }
    return EntityId(std::move(s));
  }
  // A deterministic id derived from a name (FNV-1a + splitmix), for stable
  // ids of things that have none in their source (placeholders, fixtures).
  static EntityId from_name(std::string_view name) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : name) { h ^= c; h *= 1099511628211ull; }
    struct SplitMix { std::uint64_t x; std::uint64_t operator()() {
      std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      return z ^ (z >> 31); } } rng{h};
    return from_rng(rng);
  }

  const std::string& str() const { return s_; }
  bool empty() const { return s_.empty(); }
  friend bool operator==(const EntityId&, const EntityId&) = default;
  friend auto operator<=>(const EntityId&, const EntityId&) = default;

 private:
  std::string s_;
};

}  // namespace metaport
