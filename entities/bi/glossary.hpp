// Glossary: a business term and its definition (used by Metabot). Keyed by
// its term, which Metabase keeps unique (newer Metabase versions add an
// entity_id, kept when present). Open kind (glossary.yaml allows any other
// member).
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

struct Glossary {
  std::string term;  // the natural key
  std::optional<std::string> definition;
  std::optional<EntityId> entity_id;
  Maybe<Ref<User>> creator_id;
  std::optional<Timestamp> created_at;
  std::optional<Timestamp> updated_at;
  Derived<SerdesMeta> serdes_meta;  // [{id: entity_id or term, model: Glossary}]
  friend bool operator==(const Glossary&, const Glossary&) = default;
};
BOOST_DESCRIBE_STRUCT(Glossary, (), (term, definition, entity_id, creator_id, created_at, updated_at, serdes_meta))

inline void metaport_check(const Glossary& g, metaport::Checker& c) {
  if (g.term.empty()) c.error("term", "a glossary term may not be empty (it is the entry's key)");
  check_user_ref(c, "creator_id", g.creator_id);
}

}  // namespace bi

METAPORT_RENAME(bi::Glossary, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::Glossary> : metaport::kind_defaults {
  static constexpr std::string_view name = "Glossary";
  static constexpr bool open = true;
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const bi::Glossary& g) { return Key(g.term); }
  static void derive(bi::Glossary& g) {
    g.serdes_meta.value = {bi::meta_entry("Glossary", g.entity_id ? g.entity_id->str() : g.term)};
  }
};
