// The key order of Metabase's serialization files. Metabase sorts every map
// of an entity before writing it (metabase-enterprise.serialization.dump,
// serialization-deep-sort with resources/serialization-order.edn): the keys
// a model's list names come first, in that order, the others after them in
// Clojure's order (plain keys before namespaced ones such as serdes/meta or
// lib/type, each group by text). A map's list is looked up by its path from
// the entity ([Dashboard dashcards]) or else by its own key alone (so every
// `serdes/meta` and `settings` map is simply sorted). The lists below are
// the ones Metabase 1.5x ships (model names as that file spells them: the
// FieldValues list is named FieldValue, so FieldValues files are sorted).
#pragma once
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "metaport/value.hpp"

namespace bi::serdes_order {

struct OrderList {
  std::vector<std::string_view> path;  // model first, then keys
  std::vector<std::string_view> keys;
};

inline const std::vector<OrderList>& lists() {
  static const std::vector<OrderList> kLists = {
      {{"Card"},
       {"name", "description", "entity_id", "created_at", "creator_id", "display", "archived", "collection_id",
        "collection_preview", "collection_position", "query_type", "dataset", "cache_ttl", "database_id", "table_id",
        "enable_embedding", "embedding_params", "made_public_by_id", "public_uuid", "parameters", "parameter_mappings",
        "dataset_query", "result_metadata", "visualization_settings", "card_schema", "serdes/meta"}},
      {{"Collection"},
       {"name", "description", "entity_id", "slug", "created_at", "archived", "type", "parent_id", "personal_owner_id",
        "namespace", "authority_level", "serdes/meta"}},
      {{"Dashboard"},
       {"name", "description", "entity_id", "created_at", "creator_id", "archived", "collection_id",
        "auto_apply_filters", "cache_ttl", "collection_position", "position", "enable_embedding", "embedding_params",
        "made_public_by_id", "public_uuid", "show_in_getting_started", "caveats", "points_of_interest", "parameters",
        "ordered_cards", "ordered_tabs", "serdes/meta"}},
      {{"Dashboard", "dashcards"}, {"entity_id", "card_id", "created_at", "row", "col", "size_x", "size_y"}},
      {{"Database"},
       {"name", "description", "engine", "dbms_version", "created_at", "creator_id", "timezone", "auto_run_queries",
        "cache_ttl", "refingerprint", "is_full_sync", "is_on_demand", "is_sample", "is_audit", "is_attached_dwh",
        "metadata_sync_schedule", "cache_field_values_schedule", "settings", "options", "caveats",
        "points_of_interest", "initial_sync_status", "details", "serdes/meta"}},
      {{"Database", "dbms_version"}, {"flavor", "version"}},
      {{"FieldValue"},
       {"created_at", "hash_key", "has_more_values", "last_used_at", "type", "human_readable_values", "values",
        "serdes/meta"}},
      {{"Field"},
       {"name", "display_name", "description", "created_at", "active", "visibility_type", "table_id", "database_type",
        "base_type", "effective_type", "semantic_type", "database_is_auto_increment", "database_required",
        "fk_target_field_id", "dimensions", "json_unfolding", "parent_id", "coercion_strategy", "preview_display",
        "position", "custom_position", "database_position", "has_field_values", "settings", "caveats",
        "points_of_interest", "nfc_path", "fingerprint_version", "last_analyzed", "fingerprint", "serdes/meta"}},
      {{"NativeQuerySnippet"}, {"name", "description", "entity_id", "created_at"}},
      {{"Table"},
       {"name", "display_name", "description", "created_at", "db_id", "schema", "entity_type", "active", "is_upload",
        "field_order", "visibility_type", "show_in_getting_started", "initial_sync_status", "points_of_interest",
        "caveats", "serdes/meta"}},
      {{"Metabot"}, {"name", "description", "created_at", "entity_id", "updated_at", "serdes/meta"}},
  };
  return kLists;
}

// Clojure orders plain keywords before namespaced ones (lib/type,
// serdes/meta), and namespaced ones by namespace, then name. Keys that are
// not keywords (the JSON-text keys of column_settings) compare as text.
inline bool is_namespaced(std::string_view k) {
  const auto slash = k.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= k.size()) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
          c == '.' || c == '/' || c == '?' || c == '!' || c == '*'))
      return false;
  return true;
}

inline bool clojure_less(std::string_view a, std::string_view b) {
  const bool na = is_namespaced(a), nb = is_namespaced(b);
  if (na != nb) return nb;  // plain first
  if (!na) return a < b;
  const auto sa = a.find('/'), sb = b.find('/');
  if (a.substr(0, sa) != b.substr(0, sb)) return a.substr(0, sa) < b.substr(0, sb);
  return a.substr(sa + 1) < b.substr(sb + 1);
}

inline const OrderList* find_list(const std::vector<std::string_view>& path) {
  for (const auto& l : lists())
    if (l.path == path) return &l;
  if (path.size() > 1)
    for (const auto& l : lists())
      if (l.path.size() == 1 && l.path[0] == path.back()) return &l;
  return nullptr;
}

inline void sort_map(metaport::Value& v, std::vector<std::string_view>& path) {
  if (v.is_array()) {
    for (auto& x : v.as_array()) sort_map(x, path);
    return;
  }
  if (!v.is_object()) return;
  for (auto& [k, x] : v.as_object()) {
    path.push_back(k);
    sort_map(x, path);
    path.pop_back();
  }
  const OrderList* list = find_list(path);
  auto index = [&](std::string_view k) -> std::size_t {
    if (list)
      for (std::size_t i = 0; i < list->keys.size(); ++i)
        if (list->keys[i] == k) return i;
    return static_cast<std::size_t>(-1);
  };
  auto& o = v.as_object();
  std::stable_sort(o.begin(), o.end(), [&](const auto& a, const auto& b) {
    const std::size_t ia = index(a.first), ib = index(b.first);
    if (ia != ib) return ia < ib;  // listed keys first, in list order; unlisted after
    return ia == static_cast<std::size_t>(-1) && clojure_less(a.first, b.first);
  });
}

// Sorts an entity document of `model` (a serdes/meta model name) as
// Metabase writes it. Nested keys are taken as they are (a path of keys
// beginning with the model); `model` names the top-level list.
inline void sort_like_metabase(metaport::Value& doc, std::string_view model) {
  std::vector<std::string_view> path{model};
  sort_map(doc, path);
}

}  // namespace bi::serdes_order
