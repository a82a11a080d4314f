// FieldValues: the cached distinct values of a field (filter dropdowns).
// It has no id of its own: its serdes/meta path
// [Database, Schema?, Table, Field..., FieldValues "0"] is its identity, so
// that path is kept as written (not derived) and the key is the field's key.
// The Field it belongs to is reported by the walker (schema.hpp) from that
// path, as a parent reference.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

enum class FieldValuesType { full, sandbox };
BOOST_DESCRIBE_ENUM(FieldValuesType, full, sandbox)

struct FieldValues {
  std::vector<metaport::Document> values;  // scalars (or [value] pairs for remapped fields)
  std::optional<std::vector<metaport::Document>> human_readable_values;
  std::optional<bool> has_more_values;
  std::optional<FieldValuesType> type;
  Maybe<std::string> hash_key;
  std::optional<Timestamp> created_at;
  Maybe<Timestamp> last_used_at;
  SerdesMeta serdes_meta;
  friend bool operator==(const FieldValues&, const FieldValues&) = default;
};
BOOST_DESCRIBE_STRUCT(FieldValues, (),
                      (values, human_readable_values, has_more_values, type, hash_key, created_at, last_used_at,
                       serdes_meta))

inline void metaport_check(const FieldValues& v, metaport::Checker& c) {
  auto r = field_key_from_path(v.serdes_meta, "FieldValues");
  if (!r.key) c.error("serdes/meta", r.why);
  if (v.human_readable_values && !v.human_readable_values->empty() &&
      v.human_readable_values->size() != v.values.size())
    c.error("human_readable_values", "has " + std::to_string(v.human_readable_values->size()) + " labels for " +
                                         std::to_string(v.values.size()) + " values (the lists are parallel)");
}

}  // namespace bi

METAPORT_RENAME(bi::FieldValues, {"serdes_meta", "serdes/meta"})
METAPORT_ENUM_STYLE(bi::FieldValuesType, identity)

template <>
struct metaport::kind_traits<bi::FieldValues> : metaport::kind_defaults {
  static constexpr std::string_view name = "FieldValues";
  static constexpr KeyShape key_shape = KeyShape::path;
  static constexpr std::size_t key_min = 4;
  static constexpr std::size_t key_max = 4096;
  static constexpr std::uint32_t key_nullable_parts = 0b010;
  // Only called on decoded values, whose path the check has validated.
  static Key key(const bi::FieldValues& v) {
    return bi::field_key_from_path(v.serdes_meta, "FieldValues").key.value_or(Key{});
  }
};
