// Dashboard: cards on a 24-column grid, with filters (parameters) and tabs.
// Its dashcards, tabs, overlay series and parameter mappings are owned data,
// written inside the dashboard's file, not entities of their own.
#pragma once
#include <algorithm>

#include "entities/bi/common.hpp"
#include "entities/bi/parameter.hpp"

namespace bi {

enum class DashboardWidth { fixed, full };
BOOST_DESCRIBE_ENUM(DashboardWidth, fixed, full)

inline constexpr std::int64_t kGridColumns = 24;

struct DashboardTab {
  EntityId entity_id;
  std::string name;
  std::int64_t position;  // display order, ascending from 0
  // Metabase writes these two; dashboard.yaml does not list them.
  std::optional<Timestamp> created_at;
  std::optional<Derived<SerdesMeta>> serdes_meta;  // [Dashboard, DashboardTab], recomputed when present
  friend bool operator==(const DashboardTab&, const DashboardTab&) = default;
};
BOOST_DESCRIBE_STRUCT(DashboardTab, (), (entity_id, name, position, created_at, serdes_meta))

// Wires a dashboard parameter to a column or variable of the dashcard's card.
struct ParameterMapping {
  std::optional<Ref<Card>> card_id;  // left out on virtual cards (text-tag placeholders)
  std::string parameter_id;          // a dashboard parameter's id
  // Legacy-MBQL target: [dimension, [field, FieldFK, opts]], [variable,
  // [template-tag, name]], [text-tag, name]; its Field refs are walked.
  metaport::Document target;
  friend bool operator==(const ParameterMapping&, const ParameterMapping&) = default;
};
BOOST_DESCRIBE_STRUCT(ParameterMapping, (), (card_id, parameter_id, target))

// Another card overlaid on the dashcard's visualization.
struct DashboardCardSeries {
  Ref<Card> card_id;
  std::int64_t position;
  friend bool operator==(const DashboardCardSeries&, const DashboardCardSeries&) = default;
};
BOOST_DESCRIBE_STRUCT(DashboardCardSeries, (), (card_id, position))

struct DashboardCard {
  EntityId entity_id;
  Maybe<Ref<Card>> card_id;      // null: a virtual card (text, heading, link, iframe, placeholder)
  Maybe<Ref<Action>> action_id;  // an action button (Metabase writes it; not in dashboard.yaml)
  // [dashboard entity_id, tab entity_id] as dashboard.yaml says (the prose
  // of the spec shows a bare tab id; the validator checks the schema); null
  // or absent: the dashboard has no tabs.
  Maybe<std::vector<EntityId>> dashboard_tab_id;
  std::int64_t row;
  std::int64_t col;
  std::int64_t size_x;
  std::int64_t size_y;
  std::optional<std::vector<std::string>> inline_parameters;  // ids of dashboard parameters shown on the card
  std::optional<std::vector<ParameterMapping>> parameter_mappings;
  std::optional<std::vector<DashboardCardSeries>> series;
  std::optional<metaport::Document> visualization_settings;  // overrides the card's; click behaviours
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;  // [Dashboard, DashboardCard]
  friend bool operator==(const DashboardCard&, const DashboardCard&) = default;
};
BOOST_DESCRIBE_STRUCT(DashboardCard, (),
                      (entity_id, card_id, action_id, dashboard_tab_id, row, col, size_x, size_y, inline_parameters,
                       parameter_mappings, series, visualization_settings, created_at, serdes_meta))

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
  std::optional<std::vector<DashboardCard>> dashcards;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Dashboard&, const Dashboard&) = default;
};
BOOST_DESCRIBE_STRUCT(Dashboard, (),
                      (name, description, entity_id, creator_id, archived, archived_directly, collection_id,
                       collection_position, position, auto_apply_filters, width, enable_embedding, embedding_params,
                       embedding_type, public_uuid, made_public_by_id, show_in_getting_started, caveats,
                       points_of_interest, initially_published_at, parameters, tabs, dashcards, created_at,
                       serdes_meta))

// ---- checks ---------------------------------------------------------------------
inline void metaport_check(const DashboardTab& t, metaport::Checker& c) {
  if (t.position < 0) c.error("position", "a tab position is 0 or more, not " + std::to_string(t.position));
}

inline void metaport_check(const ParameterMapping& m, metaport::Checker& c) {
  if (m.parameter_id.empty()) c.error("parameter_id", "may not be empty");
  if (!m.target.is_array() || m.target.size() < 2)
    c.error("target", "a parameter target is a list: [dimension|variable|text-tag, ...]");
}

inline void metaport_check(const DashboardCardSeries& s, metaport::Checker& c) {
  if (s.position < 0) c.error("position", "a series position is 0 or more, not " + std::to_string(s.position));
}

// The grid: 24 columns, rows grow downwards.
inline void metaport_check(const DashboardCard& d, metaport::Checker& c) {
  if (d.row < 0) c.error("row", "row is 0 or more, not " + std::to_string(d.row));
  if (d.col < 0 || d.col >= kGridColumns) c.error("col", "col is 0 to 23, not " + std::to_string(d.col));
  if (d.size_x < 1 || d.size_x > kGridColumns)
    c.error("size_x", "size_x is 1 to 24, not " + std::to_string(d.size_x));
  else if (d.col >= 0 && d.col < kGridColumns && d.col + d.size_x > kGridColumns)
    c.error("size_x", "the card overflows the 24-column grid: col " + std::to_string(d.col) + " + size_x " +
                          std::to_string(d.size_x) + " > 24");
  if (d.size_y < 1) c.error("size_y", "size_y is 1 or more, not " + std::to_string(d.size_y));
  if (d.dashboard_tab_id && d.dashboard_tab_id->has_value() && (**d.dashboard_tab_id).size() != 2)
    c.error("dashboard_tab_id", "a tab reference is [dashboard entity_id, tab entity_id], this one has " +
                                    std::to_string((**d.dashboard_tab_id).size()) + " parts");
  if (d.visualization_settings) check_map(c, "visualization_settings", *d.visualization_settings);
}

namespace detail {
inline bool overlaps(const DashboardCard& a, const DashboardCard& b) {
  return a.col < b.col + b.size_x && b.col < a.col + a.size_x && a.row < b.row + b.size_y && b.row < a.row + a.size_y;
}
inline std::optional<std::string> tab_of(const DashboardCard& d) {
  if (!d.dashboard_tab_id || !d.dashboard_tab_id->has_value() || (**d.dashboard_tab_id).size() != 2)
    return std::nullopt;
  return (**d.dashboard_tab_id)[1].str();
}
}  // namespace detail

// What relates the owned items to each other and to the dashboard.
inline void metaport_check(const Dashboard& dash, metaport::Checker& c) {
  using metaport::FieldPath;
  check_user_ref(c, "creator_id", dash.creator_id);
  check_user_ref(c, "made_public_by_id", dash.made_public_by_id);
  check_map(c, "embedding_params", dash.embedding_params);
  check_uuid(c, "public_uuid", dash.public_uuid);
  const std::string P = "parameters", T = "tabs", D = "dashcards";

  std::vector<std::string> param_ids;
  if (dash.parameters)
    for (std::size_t i = 0; i < dash.parameters->size(); ++i) {
      const auto& id = (*dash.parameters)[i].id;
      if (std::find(param_ids.begin(), param_ids.end(), id) != param_ids.end())
        c.error_at({P, i, std::string("id")}, "parameter id '" + id + "' is used twice");
      param_ids.push_back(id);
    }
  std::vector<std::string> tab_ids;
  if (dash.tabs)
    for (std::size_t i = 0; i < dash.tabs->size(); ++i) {
      const auto id = (*dash.tabs)[i].entity_id.str();
      if (std::find(tab_ids.begin(), tab_ids.end(), id) != tab_ids.end())
        c.error_at({T, i, std::string("entity_id")}, "tab entity_id '" + id + "' is used twice");
      tab_ids.push_back(id);
    }
  if (!dash.dashcards) return;
  const auto& cards = *dash.dashcards;
  for (std::size_t i = 0; i < cards.size(); ++i) {
    const auto& d = cards[i];
    for (std::size_t j = 0; j < i; ++j)
      if (cards[j].entity_id == d.entity_id)
        c.error_at({D, i, std::string("entity_id")}, "dashcard entity_id '" + d.entity_id.str() +
                                                         "' is used twice (also dashcards[" + std::to_string(j) + "])");
    if (d.dashboard_tab_id && d.dashboard_tab_id->has_value() && (**d.dashboard_tab_id).size() == 2) {
      const auto& tab = **d.dashboard_tab_id;
      if (tab[0] != dash.entity_id)
        c.error_at(
            {D, i, std::string("dashboard_tab_id"), std::size_t{0}},
            "the tab's dashboard is '" + tab[0].str() + "', not this dashboard ('" + dash.entity_id.str() + "')");
      else if (std::find(tab_ids.begin(), tab_ids.end(), tab[1].str()) == tab_ids.end())
        c.error_at({D, i, std::string("dashboard_tab_id"), std::size_t{1}},
                   "no tab of this dashboard has entity_id '" + tab[1].str() + "'");
    }
    if (d.parameter_mappings)
      for (std::size_t k = 0; k < d.parameter_mappings->size(); ++k) {
        const auto& pid = (*d.parameter_mappings)[k].parameter_id;
        if (std::find(param_ids.begin(), param_ids.end(), pid) == param_ids.end())
          c.error_at({D, i, std::string("parameter_mappings"), k, std::string("parameter_id")},
                     "the dashboard has no parameter with id '" + pid + "'");
      }
    if (d.inline_parameters)
      for (std::size_t k = 0; k < d.inline_parameters->size(); ++k) {
        const auto& pid = (*d.inline_parameters)[k];
        if (std::find(param_ids.begin(), param_ids.end(), pid) == param_ids.end())
          c.error_at({D, i, std::string("inline_parameters"), k},
                     "the dashboard has no parameter with id '" + pid + "'");
      }
    // Cards on the same tab may not overlap (checked only between cards that
    // are on the grid; a card off the grid has its own error already).
    auto on_grid = [](const DashboardCard& x) {
      return x.row >= 0 && x.col >= 0 && x.size_x >= 1 && x.size_y >= 1 && x.col + x.size_x <= kGridColumns;
    };
    if (!on_grid(d)) continue;
    for (std::size_t j = 0; j < i; ++j) {
      if (on_grid(cards[j]) && detail::tab_of(cards[j]) == detail::tab_of(d) && detail::overlaps(cards[j], d)) {
        c.error_at({D, i, std::string("row")},
                   "overlaps dashcards[" + std::to_string(j) + "] (cards on the grid cannot overlap)");
        break;
      }
    }
  }
}

inline void derive_dashboard(Dashboard& dash) {
  bi::derive_self_path(dash.serdes_meta.value, "Dashboard", dash.entity_id, dash.name);
  const auto self = meta_entry("Dashboard", dash.entity_id.str());
  if (dash.tabs)
    for (auto& t : *dash.tabs)
      if (t.serdes_meta) t.serdes_meta->value = {self, meta_entry("DashboardTab", t.entity_id.str())};
  if (dash.dashcards)
    for (auto& d : *dash.dashcards) d.serdes_meta.value = {self, meta_entry("DashboardCard", d.entity_id.str())};
}

}  // namespace bi

METAPORT_RENAME(bi::DashboardTab, {"serdes_meta", "serdes/meta"})
METAPORT_RENAME(bi::DashboardCard, {"serdes_meta", "serdes/meta"})
METAPORT_RENAME(bi::Dashboard, {"serdes_meta", "serdes/meta"})
METAPORT_ENUM_STYLE(bi::DashboardWidth, identity)

template <>
struct metaport::kind_traits<bi::Dashboard> : metaport::kind_defaults {
  static constexpr std::string_view name = "Dashboard";
  static void derive(bi::Dashboard& d) { bi::derive_dashboard(d); }
};
