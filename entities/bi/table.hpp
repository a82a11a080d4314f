// Table: a table (or view) of a database, identified by the path
// [database, schema, table]; the schema is null for schemaless databases.
// Open kind (table.yaml allows any other member).
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

struct Table {
  std::string name;
  Maybe<std::string> display_name;
  Maybe<std::string> description;
  Parent<Database> db_id;
  Maybe<std::string> schema;  // absent or null: a schemaless database
  std::optional<bool> active;
  // Declared beyond table.yaml because Metabase writes them and they have a
  // clear type; anything else Metabase adds is kept as an unknown member.
  Maybe<std::string> entity_type;
  Maybe<std::string> visibility_type;
  Maybe<std::string> field_order;
  Maybe<std::string> caveats;
  Maybe<std::string> points_of_interest;
  std::optional<bool> show_in_getting_started;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Table&, const Table&) = default;
};
BOOST_DESCRIBE_STRUCT(Table, (),
                      (name, display_name, description, db_id, schema, active, entity_type, visibility_type,
                       field_order, caveats, points_of_interest, show_in_getting_started, created_at, serdes_meta))

inline Key table_key(const Table& t) {
  Key k(t.db_id.key.first());
  k.parts.push_back(t.schema && t.schema->has_value() ? std::optional<std::string>(**t.schema) : std::nullopt);
  k.parts.emplace_back(t.name);
  return k;
}

inline void metaport_check(const Table& t, metaport::Checker& c) {
  if (t.name.empty()) c.error("name", "a table name may not be empty (it is part of the table's key)");
}

}  // namespace bi

METAPORT_RENAME(bi::Table, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::Table> : metaport::kind_defaults {
  static constexpr std::string_view name = "Table";
  static constexpr bool open = true;
  static constexpr KeyShape key_shape = KeyShape::path;
  static constexpr std::size_t key_min = 3;
  static constexpr std::size_t key_max = 3;
  static constexpr std::uint32_t key_nullable_parts = 0b010;  // the schema
  static Key key(const bi::Table& t) { return bi::table_key(t); }
  static void derive(bi::Table& t) { t.serdes_meta.value = bi::data_model_path(bi::table_key(t)); }
};
