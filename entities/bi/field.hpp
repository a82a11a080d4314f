// Field: a column of a table, identified by [database, schema, table, field];
// a JSON-unfolded field nests under its parent field (parent_id) and its key
// continues the parent's: [db, schema, table, DATA, user, name].
// Open kind (field.yaml allows any other member).
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

struct Field {
  std::string name;
  Maybe<std::string> display_name;
  Maybe<std::string> description;
  std::string base_type;  // type/Integer, type/Text, ...
  Maybe<std::string> effective_type;
  std::string database_type;         // INTEGER, VARCHAR, ...
  Maybe<std::string> semantic_type;  // type/PK, type/FK, type/Category, ...
  Maybe<std::string> coercion_strategy;
  Parent<Table> table_id;
  Maybe<Ref<Field>> fk_target_field_id;
  Maybe<Parent<Field>> parent_id;  // JSON-unfolded fields: the field they unfold
  std::optional<bool> active;
  // Display and formatting settings, any keys (additionalProperties: true).
  Maybe<metaport::Document> settings;
  // Inlined Dimension rows (remapping), free-form; a human_readable_field_id
  // in them is a Field reference the walker reports.
  std::optional<std::vector<metaport::Document>> dimensions;
  // Declared beyond field.yaml: written by Metabase, with a clear type.
  Maybe<std::string> visibility_type;
  Maybe<std::string> has_field_values;
  std::optional<std::int64_t> position;
  std::optional<std::int64_t> database_position;
  Maybe<bool> json_unfolding;
  Maybe<std::vector<std::string>> nfc_path;
  Maybe<std::string> caveats;
  Maybe<std::string> points_of_interest;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Field&, const Field&) = default;
};
BOOST_DESCRIBE_STRUCT(Field, (),
                      (name, display_name, description, base_type, effective_type, database_type, semantic_type,
                       coercion_strategy, table_id, fk_target_field_id, parent_id, active, settings, dimensions,
                       visibility_type, has_field_values, position, database_position, json_unfolding, nfc_path,
                       caveats, points_of_interest, created_at, serdes_meta))

inline bool has_parent_field(const Field& f) { return f.parent_id && f.parent_id->has_value(); }

// A top-level field continues its table's key, a nested one its parent's.
inline Key field_key(const Field& f) {
  Key base = has_parent_field(f) ? (**f.parent_id).key : f.table_id.key;
  return base.with(f.name);
}

inline void metaport_check(const Field& f, metaport::Checker& c) {
  if (f.name.empty()) c.error("name", "a field name may not be empty (it is part of the field's key)");
  check_map(c, "settings", f.settings);
  if (has_parent_field(f) && (**f.parent_id).key.prefix(3) != f.table_id.key)
    c.error("parent_id",
            "the parent field " + (**f.parent_id).key.str() + " is not in this field's table " + f.table_id.key.str());
  if (f.dimensions)
    for (std::size_t i = 0; i < f.dimensions->size(); ++i)
      if (!(*f.dimensions)[i].is_object()) c.error_at({std::string("dimensions"), i}, "a dimension is a map");
}

}  // namespace bi

METAPORT_RENAME(bi::Field, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::Field> : metaport::kind_defaults {
  static constexpr std::string_view name = "Field";
  static constexpr bool open = true;
  static constexpr KeyShape key_shape = KeyShape::path;
  static constexpr std::size_t key_min = 4;
  static constexpr std::size_t key_max = 4096;  // JSON-unfolded fields nest arbitrarily deep
  static constexpr std::uint32_t key_nullable_parts = 0b010;
  static Key key(const bi::Field& f) { return bi::field_key(f); }
  static void derive(bi::Field& f) { f.serdes_meta.value = bi::data_model_path(bi::field_key(f)); }
};
