// The store API's test schema: a small data catalog that uses what the API
// must carry exactly as a load does: a containing reference (Parent), a
// nullable self reference, references nested in a list of structs (kept as
// keys inside a JSON column), secrets at the top and nested, a map, a
// derived member, and an optional member.
#pragma once
#include <boost/mp11.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "metaport/metaport.hpp"

namespace catalog {

struct Team {
  metaport::EntityId entity_id;
  std::string name;
  metaport::Secret<std::string> token;
};
BOOST_DESCRIBE_STRUCT(Team, (), (entity_id, name, token))

struct Dataset;

struct Column {
  std::string name;
  std::string type;
  metaport::Maybe<metaport::Ref<Dataset>> lookup;       // a reference nested in a document
  std::optional<metaport::Secret<std::string>> masking;  // a secret nested in a list
};
BOOST_DESCRIBE_STRUCT(Column, (), (name, type, lookup, masking))

struct Dataset {
  metaport::EntityId entity_id;
  std::string name;
  metaport::Parent<Team> team;                        // a foreign-key column, containment
  metaport::Maybe<metaport::Ref<Dataset>> derived_from;  // a nullable self reference
  std::vector<Column> columns;
  std::map<std::string, std::string> labels;
  metaport::Derived<std::int64_t> column_count;  // = columns.size()
  std::optional<std::string> description;
};
BOOST_DESCRIBE_STRUCT(Dataset, (), (entity_id, name, team, derived_from, columns, labels, column_count, description))

struct Schema {
  static constexpr std::string_view name = "catalog";
  static constexpr int version = 1;
  using kinds = boost::mp11::mp_list<Team, Dataset>;
};

}  // namespace catalog

METAPORT_KIND(catalog::Team, "Team")

template <>
struct metaport::kind_traits<catalog::Dataset> : metaport::kind_defaults {
  static constexpr std::string_view name = "Dataset";
  static void derive(catalog::Dataset& d) { d.column_count = static_cast<std::int64_t>(d.columns.size()); }
};
