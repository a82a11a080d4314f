// bi version 2: the kinds whose derive hooks read a query, as version 2
// declared them. Their members are those of version 3 (queries are
// free-form documents in both), but version 2's queries are legacy MBQL, so
// the database, language and table they are about are read differently.
// Every other kind of version 2 is the current struct (schema.hpp).
#pragma once
#include "entities/bi/card.hpp"
#include "entities/bi/measure.hpp"
#include "entities/bi/segment.hpp"
#include "tests/evolution/legacy_query.hpp"

namespace bi_v2 {

using namespace bi;  // the member types did not change

struct Card {
  std::string name;
  Maybe<std::string> description;
  EntityId entity_id;
  Display display;
  std::optional<CardType> type;
  Ref<User> creator_id;
  std::optional<Derived<Nullable<Ref<Database>>>> database_id;
  std::optional<Derived<Nullable<QueryType>>> query_type;
  metaport::Document dataset_query;  // legacy MBQL
  metaport::Document visualization_settings;
  std::optional<bool> archived;
  std::optional<bool> archived_directly;
  Maybe<Parent<Collection>> collection_id;
  Maybe<std::int64_t> collection_position;
  std::optional<bool> collection_preview;
  Maybe<Parent<Dashboard>> dashboard_id;
  Maybe<Parent<Document>> document_id;
  std::optional<std::vector<Parameter>> parameters;
  std::optional<std::vector<metaport::Document>> parameter_mappings;
  Maybe<metaport::Document> result_metadata;
  std::optional<bool> enable_embedding;
  Maybe<metaport::Document> embedding_params;
  Maybe<EmbeddingType> embedding_type;
  Maybe<std::string> public_uuid;
  Maybe<Ref<User>> made_public_by_id;
  Maybe<std::string> metabase_version;
  Maybe<std::int64_t> card_schema;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Card&, const Card&) = default;
};
BOOST_DESCRIBE_STRUCT(Card, (),
                      (name, description, entity_id, display, type, creator_id, database_id, query_type, dataset_query,
                       visualization_settings, archived, archived_directly, collection_id, collection_position,
                       collection_preview, dashboard_id, document_id, parameters, parameter_mappings, result_metadata,
                       enable_embedding, embedding_params, embedding_type, public_uuid, made_public_by_id,
                       metabase_version, card_schema, created_at, serdes_meta))

inline void metaport_check(const Card& card, metaport::Checker& c) {
  check_user_ref(c, "creator_id", card.creator_id);
  check_user_ref(c, "made_public_by_id", card.made_public_by_id);
  check_map(c, "dataset_query", card.dataset_query);
  check_map(c, "visualization_settings", card.visualization_settings);
}

// The derive hook of versions 1 and 2 (templated: version 1's Card has the same members for this).
template <class C>
void derive_legacy_card(C& card) {
  if (auto db = bi_legacy::database_of(card.dataset_query))
    card.database_id = Derived<Nullable<Ref<Database>>>(Nullable<Ref<Database>>(Ref<Database>(*db)));
  if (auto lang = bi_legacy::language_of(card.dataset_query))
    card.query_type = Derived<Nullable<QueryType>>(Nullable<QueryType>(*lang));
  card.serdes_meta.value = labeled_self_path("Card", card.entity_id, card.name);
}

// Segments and measures: their table is their definition's source-table.
struct Segment {
  std::string name;
  Maybe<std::string> description;
  EntityId entity_id;
  Ref<User> creator_id;
  std::optional<Derived<Parent<Table>>> table_id;
  metaport::Document definition;  // the legacy inner query {source-table, filter}
  std::optional<bool> archived;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Segment&, const Segment&) = default;
};
BOOST_DESCRIBE_STRUCT(Segment, (),
                      (name, description, entity_id, creator_id, table_id, definition, archived, created_at,
                       serdes_meta))

struct Measure {
  std::string name;
  Maybe<std::string> description;
  EntityId entity_id;
  Ref<User> creator_id;
  std::optional<Derived<Parent<Table>>> table_id;
  metaport::Document definition;  // the legacy inner query {source-table, aggregation}
  std::optional<bool> archived;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Measure&, const Measure&) = default;
};
BOOST_DESCRIBE_STRUCT(Measure, (),
                      (name, description, entity_id, creator_id, table_id, definition, archived, created_at,
                       serdes_meta))

template <class X>
void check_definition(const X& x, metaport::Checker& c) {
  check_user_ref(c, "creator_id", x.creator_id);
  check_map(c, "definition", x.definition);
}
inline void metaport_check(const Segment& x, metaport::Checker& c) { check_definition(x, c); }
inline void metaport_check(const Measure& x, metaport::Checker& c) { check_definition(x, c); }

template <class X>
void derive_definition(X& x, std::string_view model) {
  if (auto t = bi_legacy::source_table_of(x.definition)) x.table_id = Derived<Parent<Table>>(Parent<Table>(std::move(*t)));
  x.serdes_meta.value = labeled_self_path(model, x.entity_id, x.name);
}

}  // namespace bi_v2

METAPORT_RENAME(bi_v2::Card, {"serdes_meta", "serdes/meta"})
METAPORT_RENAME(bi_v2::Segment, {"serdes_meta", "serdes/meta"})
METAPORT_RENAME(bi_v2::Measure, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi_v2::Card> : metaport::kind_defaults {
  static constexpr std::string_view name = "Card";
  static void derive(bi_v2::Card& c) { bi_v2::derive_legacy_card(c); }
};
template <>
struct metaport::kind_traits<bi_v2::Segment> : metaport::kind_defaults {
  static constexpr std::string_view name = "Segment";
  static void derive(bi_v2::Segment& x) { bi_v2::derive_definition(x, "Segment"); }
};
template <>
struct metaport::kind_traits<bi_v2::Measure> : metaport::kind_defaults {
  static constexpr std::string_view name = "Measure";
  static void derive(bi_v2::Measure& x) { bi_v2::derive_definition(x, "Measure"); }
};
