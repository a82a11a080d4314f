// Card: a question, model or metric: a query and how to show its result.
// collection_id places it in a collection; dashboard_id / document_id nest it
// in a dashboard or document (a card is in at most one of them).
#pragma once
#include "entities/bi/common.hpp"
#include "entities/bi/parameter.hpp"
#include "entities/bi/query.hpp"

namespace bi {

enum class Display {
  table,
  bar,
  line,
  area,
  row,
  pie,
  scalar,
  smartscalar,
  number,
  combo,
  pivot,
  funnel,
  map,
  scatter,
  waterfall,
  progress,
  gauge,
  object,
  list,
  heading,
  text,
  link,
  iframe,
  action,
  sankey,
  boxplot
};
BOOST_DESCRIBE_ENUM(Display, table, bar, line, area, row, pie, scalar, smartscalar, number, combo, pivot, funnel, map,
                    scatter, waterfall, progress, gauge, object, list, heading, text, link, iframe, action, sankey,
                    boxplot)

enum class CardType { question, model, metric };
BOOST_DESCRIBE_ENUM(CardType, question, model, metric)

enum class QueryType { query, native };
BOOST_DESCRIBE_ENUM(QueryType, query, native)

struct Card {
  std::string name;
  Maybe<std::string> description;
  EntityId entity_id;
  Display display;
  std::optional<CardType> type;
  Ref<User> creator_id;
  // Derived from dataset_query (its database, the language of its first
  // stage) when present; a dumped value is only kept when the query does not tell.
  std::optional<Derived<Nullable<Ref<Database>>>> database_id;
  std::optional<Derived<Nullable<QueryType>>> query_type;
  metaport::Document dataset_query;           // pMBQL; references found by the walker
  metaport::Document visualization_settings;  // a map, possibly empty
  std::optional<bool> archived;
  std::optional<bool> archived_directly;
  Maybe<Parent<Collection>> collection_id;  // absent or null: the root collection
  Maybe<std::int64_t> collection_position;
  std::optional<bool> collection_preview;
  Maybe<Parent<Dashboard>> dashboard_id;
  Maybe<Parent<Document>> document_id;
  std::optional<std::vector<Parameter>> parameters;
  std::optional<std::vector<metaport::Document>> parameter_mappings;  // unused by Metabase, always []
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

inline bool is_set(const Maybe<Parent<Dashboard>>& p) { return p && p->has_value(); }
inline bool is_set(const Maybe<Parent<Document>>& p) { return p && p->has_value(); }

inline void metaport_check(const Card& card, metaport::Checker& c) {
  check_user_ref(c, "creator_id", card.creator_id);
  check_user_ref(c, "made_public_by_id", card.made_public_by_id);
  check_map(c, "dataset_query", card.dataset_query);
  check_map(c, "visualization_settings", card.visualization_settings);
  check_map(c, "embedding_params", card.embedding_params);
  check_uuid(c, "public_uuid", card.public_uuid);
  if (is_set(card.dashboard_id) && is_set(card.document_id))
    c.error("document_id", "a card is nested in a dashboard or in a document, not both (dashboard_id is set too)");
  if (card.result_metadata && card.result_metadata->has_value() && !(**card.result_metadata).is_array())
    c.error("result_metadata", "result metadata is a list of columns");
  if (card.parameters) {
    for (std::size_t i = 0; i < card.parameters->size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if ((*card.parameters)[i].id == (*card.parameters)[j].id)
          c.error_at({std::string("parameters"), i, std::string("id")}, "parameter id '" + (*card.parameters)[i].id +
                                                                            "' is used twice (also parameters[" +
                                                                            std::to_string(j) + "])");
  }
}

// database_id and query_type are recomputed when the document has them
// (and kept as written when the query does not tell); a document without
// them stays without: they are optional and derivable, and a file read and
// written again must not gain lines.
inline void derive_card(Card& card) {
  if (card.database_id)
    if (auto db = query::database_of(card.dataset_query))
      card.database_id = Derived<Nullable<Ref<Database>>>(Nullable<Ref<Database>>(Ref<Database>(*db)));
  if (card.query_type)
    if (auto lang = query::language_of(card.dataset_query))
      card.query_type = Derived<Nullable<QueryType>>(
          Nullable<QueryType>(*lang == query::Language::native ? QueryType::native : QueryType::query));
  bi::derive_self_path(card.serdes_meta.value, "Card", card.entity_id, card.name);
}

}  // namespace bi

METAPORT_RENAME(bi::Card, {"serdes_meta", "serdes/meta"})
METAPORT_ENUM_STYLE(bi::Display, identity)
METAPORT_ENUM_STYLE(bi::CardType, identity)
METAPORT_ENUM_STYLE(bi::QueryType, identity)

template <>
struct metaport::kind_traits<bi::Card> : metaport::kind_defaults {
  static constexpr std::string_view name = "Card";
  static void derive(bi::Card& c) { bi::derive_card(c); }
};
