// bi version 1: the kinds that version 2 changed, as version 1 declared
// them. A Card says whether it is a model with `dataset: true|false`
// (version 2: `type`); a Dashboard lists its cards as `ordered_cards`
// (version 2: `dashcards`). Queries are legacy MBQL, as in version 2.
#pragma once
#include "entities/bi/dashboard.hpp"
#include "tests/evolution/bi_v2/kinds.hpp"

namespace bi_v1 {

using namespace bi;

struct Card {
  std::string name;
  Maybe<std::string> description;
  EntityId entity_id;
  Display display;
  std::optional<bool> dataset;  // true: a model; false or absent: a question
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
  Maybe<Parent<bi::Dashboard>> dashboard_id;  // any Dashboard: refs name kinds, not structs
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
                      (name, description, entity_id, display, dataset, creator_id, database_id, query_type,
                       dataset_query, visualization_settings, archived, archived_directly, collection_id,
                       collection_position, collection_preview, dashboard_id, document_id, parameters,
                       parameter_mappings, result_metadata, enable_embedding, embedding_params, embedding_type,
                       public_uuid, made_public_by_id, metabase_version, card_schema, created_at, serdes_meta))

inline void metaport_check(const Card& card, metaport::Checker& c) {
  check_user_ref(c, "creator_id", card.creator_id);
  check_user_ref(c, "made_public_by_id", card.made_public_by_id);
  check_map(c, "dataset_query", card.dataset_query);
  check_map(c, "visualization_settings", card.visualization_settings);
}

struct Dashboard {
  std::string name;
  Maybe<std::string> description;
  EntityId entity_id;
  Ref<User> creator_id;
  std::optional<bool> archived;
  std::optional<bool> archived_directly;
  Maybe<Parent<Collection>> collection_id;
  Maybe<std::int64_t> collection_position;
  Maybe<std::int64_t> position;
  std::optional<bool> auto_apply_filters;
  std::optional<DashboardWidth> width;
  std::optional<bool> enable_embedding;
  Maybe<metaport::Document> embedding_params;
  Maybe<EmbeddingType> embedding_type;
  Maybe<std::string> public_uuid;
  Maybe<Ref<User>> made_public_by_id;
  std::optional<bool> show_in_getting_started;
  Maybe<std::string> caveats;
  Maybe<std::string> points_of_interest;
  Maybe<Timestamp> initially_published_at;
  std::optional<std::vector<Parameter>> parameters;
  std::optional<std::vector<DashboardTab>> tabs;
  std::optional<std::vector<DashboardCard>> ordered_cards;  // the dashcards (grid checks are DashboardCard's own)
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Dashboard&, const Dashboard&) = default;
};
BOOST_DESCRIBE_STRUCT(Dashboard, (),
                      (name, description, entity_id, creator_id, archived, archived_directly, collection_id,
                       collection_position, position, auto_apply_filters, width, enable_embedding, embedding_params,
                       embedding_type, public_uuid, made_public_by_id, show_in_getting_started, caveats,
                       points_of_interest, initially_published_at, parameters, tabs, ordered_cards, created_at,
                       serdes_meta))

inline void metaport_check(const Dashboard& d, metaport::Checker& c) {
  check_user_ref(c, "creator_id", d.creator_id);
  check_user_ref(c, "made_public_by_id", d.made_public_by_id);
}

inline void derive_dashboard(Dashboard& dash) {
  dash.serdes_meta.value = labeled_self_path("Dashboard", dash.entity_id, dash.name);
  const auto self = meta_entry("Dashboard", dash.entity_id.str());
  if (dash.tabs)
    for (auto& t : *dash.tabs)
      if (t.serdes_meta) t.serdes_meta->value = {self, meta_entry("DashboardTab", t.entity_id.str())};
  if (dash.ordered_cards)
    for (auto& d : *dash.ordered_cards) d.serdes_meta.value = {self, meta_entry("DashboardCard", d.entity_id.str())};
}

}  // namespace bi_v1

METAPORT_RENAME(bi_v1::Card, {"serdes_meta", "serdes/meta"})
METAPORT_RENAME(bi_v1::Dashboard, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi_v1::Card> : metaport::kind_defaults {
  static constexpr std::string_view name = "Card";
  static void derive(bi_v1::Card& c) { bi_v2::derive_legacy_card(c); }
};
template <>
struct metaport::kind_traits<bi_v1::Dashboard> : metaport::kind_defaults {
  static constexpr std::string_view name = "Dashboard";
  static void derive(bi_v1::Dashboard& d) { bi_v1::derive_dashboard(d); }
};
