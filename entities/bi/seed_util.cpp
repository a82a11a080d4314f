#include "entities/bi/seed_util.hpp"

#include <cstdio>

#include "metaport/format/json.hpp"

namespace bi::seeding {

std::string Rng::uuid() {
  static constexpr char hex[] = "0123456789abcdef";
  std::uint64_t a = g_(), b = g_();
  std::string s(36, '-');
  int bit = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    std::uint64_t& src = bit < 64 ? a : b;
    s[i] = hex[src & 15];
    src >>= 4;
    bit += 4;
  }
  s[14] = '4';                         // version 4
  s[19] = hex[8 + (b & 3)];            // variant 10xx
  return s;
}

Timestamp Rng::when() {
  // 2023-01-01T00:00:00Z .. 2025-06-30T23:59:59Z, to the second.
  constexpr std::int64_t start = 1672531200, span = 1751327999 - 1672531200;
  return Timestamp::from_micros((start + static_cast<std::int64_t>(g_() % span)) * 1000000);
}

V TableSpec::field_fk(std::initializer_list<std::string_view> path) const {
  V fk = this->fk();
  for (auto p : path) fk.push_back(std::string(p));
  return fk;
}

const ColumnSpec* TableSpec::column(std::string_view n) const {
  for (const auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}

bool is_temporal(const ColumnSpec& c) {
  return c.base_type == "type/DateTime" || c.base_type == "type/Date" || c.base_type == "type/DateTimeWithLocalTZ";
}
bool is_numeric_measure(const ColumnSpec& c) {
  const bool number = c.base_type == "type/Float" || c.base_type == "type/Integer" ||
                      c.base_type == "type/Decimal" || c.base_type == "type/BigInteger";
  // Keys, coordinates and scores are numbers nobody sums.
  return number && c.semantic != "type/PK" && c.semantic != "type/FK" && c.semantic != "type/Latitude" &&
         c.semantic != "type/Longitude" && c.semantic != "type/Score";
}
bool is_category(const ColumnSpec& c) { return c.semantic == "type/Category" || !c.values.empty(); }

Parameter parameter(std::string id, std::string name, std::string type) {
  Parameter p;
  p.id = std::move(id);
  p.slug = metaport::slugify(name);
  p.name = std::move(name);
  p.type = std::move(type);
  return p;
}

std::string column_key_name(std::string_view column) {
  return metaport::json::write(arr("name", std::string(column)));
}
std::string column_key_ref(const V& fk) { return metaport::json::write(arr("ref", legacy_field(fk))); }

void Out::put(std::string kind, V doc) {
  if (!status_.ok()) return;
  ++total_;
  status_ = sink_(kind, std::move(doc));
}

}  // namespace bi::seeding
