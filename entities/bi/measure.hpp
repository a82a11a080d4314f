// Measure: a saved aggregation: a one-stage MBQL query on a table, with
// exactly one `aggregation`. It lives under its table
// (databases/<db>/.../tables/<table>/measures/). Its table is derived from
// definition.stages[0].source-table; table_id is kept from the file only when
// the definition does not name one (an empty or broken definition, as the
// spec allows).
#pragma once
#include "entities/bi/common.hpp"
#include "entities/bi/query.hpp"

namespace bi {

struct Measure {
  std::string name;
  Maybe<std::string> description;
  EntityId entity_id;
  Ref<User> creator_id;
  std::optional<Derived<Parent<Table>>> table_id;
  metaport::Document definition;  // pMBQL; references found by the walker (walker.hpp)
  std::optional<bool> archived;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Measure&, const Measure&) = default;
};
BOOST_DESCRIBE_STRUCT(Measure, (),
                      (name, description, entity_id, creator_id, table_id, definition, archived, created_at,
                       serdes_meta))

inline void metaport_check(const Measure& x, metaport::Checker& c) {
  check_user_ref(c, "creator_id", x.creator_id);
  check_map(c, "definition", x.definition);
}

inline void derive_measure(Measure& x) {
  if (x.table_id)  // recomputed when present (a file read and written again gains no lines)
    if (auto t = query::source_table_of(x.definition)) x.table_id = Derived<Parent<Table>>(Parent<Table>(std::move(*t)));
  bi::derive_self_path(x.serdes_meta.value, "Measure", x.entity_id, x.name);
}

}  // namespace bi

METAPORT_RENAME(bi::Measure, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::Measure> : metaport::kind_defaults {
  static constexpr std::string_view name = "Measure";
  static void derive(bi::Measure& x) { bi::derive_measure(x); }
};
