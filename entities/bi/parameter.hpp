// Parameter: a filter control of a dashboard or a card (common/parameter.yaml).
// Not an entity: parameters live in their owner's `parameters` list and are
// identified by `id` within it.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

// Which columns the UI offers for mapping (`sectionId`).
enum class ParameterSection { string, number, date, boolean, temporal_unit, id, location };
BOOST_DESCRIBE_ENUM(ParameterSection, string, number, date, boolean, temporal_unit, id, location)

// Units a `temporal-unit` parameter may offer.
enum class ParameterTemporalUnit { minute, hour, day, week, month, quarter, year };
BOOST_DESCRIBE_ENUM(ParameterTemporalUnit, minute, hour, day, week, month, quarter, year)

enum class ValuesQueryType { list, search, none };
BOOST_DESCRIBE_ENUM(ValuesQueryType, list, search, none)

enum class ValuesSourceType { card, static_list };
BOOST_DESCRIBE_ENUM(ValuesSourceType, card, static_list)

struct Parameter {
  std::string id;  // unique within the owner; UUIDs recommended, any non-empty string accepted
  std::string name;
  std::string slug;
  std::string type;                    // widget type: string/=, number/between, date/relative, temporal-unit, ...
  Maybe<metaport::Document> default_;  // any value, its shape depends on `type`
  std::optional<bool> required;
  std::optional<ParameterSection> sectionId;
  std::optional<std::vector<ParameterTemporalUnit>> temporal_units;
  std::optional<ValuesQueryType> values_query_type;
  Maybe<ValuesSourceType> values_source_type;
  // {values: [[v, label]...]} or {card_id, value_field, label_field}; its
  // card and field references are found by the walker.
  std::optional<metaport::Document> values_source_config;
  // Not in parameter.yaml, but written by Metabase's own exports (linked
  // filters, multi-select widgets, string-filter options, and the template
  // tag target of a native card's parameter): declared so real exports load.
  Maybe<bool> isMultiSelect;
  Maybe<std::vector<std::string>> filteringParameters;
  Maybe<metaport::Document> options;
  std::optional<metaport::Document> target;
  friend bool operator==(const Parameter&, const Parameter&) = default;
};
BOOST_DESCRIBE_STRUCT(Parameter, (),
                      (id, name, slug, type, default_, required, sectionId, temporal_units, values_query_type,
                       values_source_type, values_source_config, isMultiSelect, filteringParameters, options, target))

inline void metaport_check(const Parameter& p, metaport::Checker& c) {
  if (p.id.empty()) c.error("id", "a parameter id may not be empty");
  check_map(c, "values_source_config", p.values_source_config);
  if (p.target && !p.target->is_array()) c.error("target", "a parameter target is a list");
}

}  // namespace bi

METAPORT_ENUM_STYLE(bi::ParameterSection, kebab_slash)
METAPORT_ENUM_STYLE(bi::ParameterTemporalUnit, identity)
METAPORT_ENUM_STYLE(bi::ValuesQueryType, identity)
METAPORT_ENUM_STYLE(bi::ValuesSourceType, kebab_slash)
