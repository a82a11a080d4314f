// Transform: materializes a table by running a query or a Python script.
// Lives in the transforms namespace of collections.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

enum class TransformSourceType { query, python };
BOOST_DESCRIBE_ENUM(TransformSourceType, query, python)

enum class TransformTargetType { table, table_incremental };
BOOST_DESCRIBE_ENUM(TransformTargetType, table, table_incremental)

// A table handed to a Python transform as a DataFrame. The table is named by
// database_id + schema + table (the walker reports that Table) or by
// table_id (a typed Table FK, as transform.yaml says; the spec's prose calls
// it a numeric id, which would not be portable).
struct PythonSourceTable {
  std::string alias;  // the DataFrame's variable name
  Ref<Database> database_id;
  Maybe<std::string> schema;
  std::optional<std::string> table;
  std::optional<Ref<Table>> table_id;
  friend bool operator==(const PythonSourceTable&, const PythonSourceTable&) = default;
};
BOOST_DESCRIBE_STRUCT(PythonSourceTable, (), (alias, database_id, schema, table, table_id))

// Either {type: query, query} or {type: python, body, source-tables,
// source-database?}; one struct with the members of both, checked below.
struct TransformSource {
  TransformSourceType type;
  std::optional<metaport::Document> query;  // pMBQL; references found by the walker
  std::optional<std::string> body;          // Python source code, kept byte for byte
  std::optional<std::vector<PythonSourceTable>> source_tables;
  std::optional<Ref<Database>> source_database;
  std::optional<metaport::Document> source_incremental_strategy;
  friend bool operator==(const TransformSource&, const TransformSource&) = default;
};
BOOST_DESCRIBE_STRUCT(TransformSource, (),
                      (type, query, body, source_tables, source_database, source_incremental_strategy))

// The table the transform writes (it need not exist yet: not a reference).
struct TransformTarget {
  std::optional<Ref<Database>> database;
  TransformTargetType type;
  Maybe<std::string> schema;
  std::string name;
  friend bool operator==(const TransformTarget&, const TransformTarget&) = default;
};
BOOST_DESCRIBE_STRUCT(TransformTarget, (), (database, type, schema, name))

// A transform-tag association (owned). transform.yaml requires none of its
// members.
struct TransformTagLink {
  std::optional<EntityId> entity_id;
  std::optional<Ref<TransformTag>> tag_id;
  std::optional<std::int64_t> position;
  std::optional<Derived<SerdesMeta>> serdes_meta;  // [TransformTransformTag], recomputed when present
  friend bool operator==(const TransformTagLink&, const TransformTagLink&) = default;
};
BOOST_DESCRIBE_STRUCT(TransformTagLink, (), (entity_id, tag_id, position, serdes_meta))

struct Transform {
  std::string name;
  Maybe<std::string> description;
  EntityId entity_id;
  Ref<User> creator_id;
  Ref<Database> source_database_id;
  TransformSource source;
  TransformTarget target;
  Maybe<Parent<Collection>> collection_id;
  std::optional<std::vector<TransformTagLink>> tags;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Transform&, const Transform&) = default;
};
BOOST_DESCRIBE_STRUCT(Transform, (),
                      (name, description, entity_id, creator_id, source_database_id, source, target, collection_id,
                       tags, created_at, serdes_meta))

inline void metaport_check(const PythonSourceTable& t, metaport::Checker& c) {
  if (t.alias.empty()) c.error("alias", "a source table needs an alias (its variable name in the script)");
  if (!t.table && !t.table_id) c.error("a source table is named by `table` (with `schema`) or by `table_id`");
}

inline void metaport_check(const TransformSource& s, metaport::Checker& c) {
  if (s.type == TransformSourceType::query) {
    if (!s.query)
      c.error("a query source needs `query`");
    else
      check_map(c, "query", *s.query);
    for (auto [set, name] :
         {std::pair{s.body.has_value(), "body"}, std::pair{s.source_tables.has_value(), "source-tables"},
          std::pair{s.source_database.has_value(), "source-database"}})
      if (set) c.error(name, "belongs to a python source, this one is a query source");
  } else {
    if (!s.body) c.error("a python source needs `body`");
    if (!s.source_tables) c.error("a python source needs `source-tables`");
    if (s.query) c.error("query", "belongs to a query source, this one is a python source");
  }
  check_map(c, "source-incremental-strategy", s.source_incremental_strategy);
}

inline void metaport_check(const TransformTagLink& t, metaport::Checker& c) {
  if (t.position && *t.position < 0) c.error("position", "a position is 0 or more");
}

inline void metaport_check(const Transform& t, metaport::Checker& c) { check_user_ref(c, "creator_id", t.creator_id); }

inline void derive_transform(Transform& t) {
  bi::derive_self_path(t.serdes_meta.value, "Transform", t.entity_id, t.name);
  if (t.tags)
    for (auto& link : *t.tags)
      if (link.serdes_meta && link.entity_id)
        link.serdes_meta->value = {meta_entry("TransformTransformTag", link.entity_id->str())};
}

}  // namespace bi

METAPORT_RENAME(bi::TransformSource, {"source_tables", "source-tables"}, {"source_database", "source-database"},
                {"source_incremental_strategy", "source-incremental-strategy"})
METAPORT_RENAME(bi::TransformTagLink, {"serdes_meta", "serdes/meta"})
METAPORT_RENAME(bi::Transform, {"serdes_meta", "serdes/meta"})
METAPORT_ENUM_STYLE(bi::TransformSourceType, identity)
METAPORT_ENUM_STYLE(bi::TransformTargetType, kebab_slash)

template <>
struct metaport::kind_traits<bi::Transform> : metaport::kind_defaults {
  static constexpr std::string_view name = "Transform";
  static void derive(bi::Transform& t) { bi::derive_transform(t); }
};
