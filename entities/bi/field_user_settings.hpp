// FieldUserSettings: the metadata people edited on a field (display name,
// semantic type, ...), kept apart from what sync discovers. Like FieldValues
// its identity is its serdes/meta path
// [Database, Schema?, Table, Field..., FieldUserSettings "1"], kept as
// written; the key is the field's key. Open kind (any other member is kept).
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

struct FieldUserSettings {
  Maybe<std::string> display_name;
  Maybe<std::string> description;
  Maybe<std::string> semantic_type;
  Maybe<std::string> visibility_type;
  Maybe<std::string> has_field_values;
  Maybe<std::string> effective_type;
  Maybe<std::string> coercion_strategy;
  Maybe<Ref<Field>> fk_target_field_id;
  Maybe<metaport::Document> settings;
  Maybe<std::string> caveats;
  Maybe<std::string> points_of_interest;
  std::optional<Timestamp> created_at;
  std::optional<Timestamp> updated_at;
  SerdesMeta serdes_meta;
  friend bool operator==(const FieldUserSettings&, const FieldUserSettings&) = default;
};
BOOST_DESCRIBE_STRUCT(FieldUserSettings, (),
                      (display_name, description, semantic_type, visibility_type, has_field_values, effective_type,
                       coercion_strategy, fk_target_field_id, settings, caveats, points_of_interest, created_at,
                       updated_at, serdes_meta))

inline void metaport_check(const FieldUserSettings& s, metaport::Checker& c) {
  auto r = field_key_from_path(s.serdes_meta, "FieldUserSettings");
  if (!r.key) c.error("serdes/meta", r.why);
  check_map(c, "settings", s.settings);
}

}  // namespace bi

METAPORT_RENAME(bi::FieldUserSettings, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::FieldUserSettings> : metaport::kind_defaults {
  static constexpr std::string_view name = "FieldUserSettings";
  static constexpr bool open = true;
  static constexpr KeyShape key_shape = KeyShape::path;
  static constexpr std::size_t key_min = 4;
  static constexpr std::size_t key_max = 4096;
  static constexpr std::uint32_t key_nullable_parts = 0b010;
  static Key key(const bi::FieldUserSettings& s) {
    return bi::field_key_from_path(s.serdes_meta, "FieldUserSettings").key.value_or(Key{});
  }
};
