// bi version 2, compiled as it was (the evolution tests' past model; ODB's
// evolution tests keep old headers the same way): Cards have
// `type: question|model|metric` and dashboards `dashcards`, as in version 3,
// but every query is legacy MBQL. Loads version 1 dumps through the 1 -> 2
// steps. //tests/evolution:metaport_bi_v2 is its binary.
#pragma once
#include "entities/bi/schema.hpp"
#include "entities/bi/upgrades.hpp"
#include "tests/evolution/bi_v2/kinds.hpp"
#include "tests/evolution/legacy_query.hpp"

namespace bi_v2 {

// Everything bi::Schema says (name, layout, stubs, user and scope kinds)
// except the version, the kinds that changed, the walker and the steps.
struct Schema : bi::Schema {
  static constexpr int version = 2;
  static constexpr int oldest_version = 1;
  using kinds = boost::mp11::mp_list<
      bi::User, bi::Settings, bi::Database, bi::Table, bi::Field, bi::FieldValues, bi::FieldUserSettings,
      bi::Channel, bi::Glossary, bi::Collection, bi::NativeQuerySnippet, bi_v2::Segment, bi_v2::Measure,
      bi_v2::Card, bi::Dashboard, bi::Document, bi::Timeline, bi::Action, bi::Metabot, bi::TransformTag,
      bi::TransformJob, bi::PythonLibrary, bi::Transform>;
  static void document_refs(const metaport::Entity& e, const metaport::RefSink& sink) {
    bi_legacy::document_refs(e, sink);
  }
  static std::vector<metaport::UpgradeStep> upgrade_steps() { return bi::upgrade_steps_from(1); }
  // Version 4 added these; version 2 had neither.
  static std::vector<std::pair<std::string, std::vector<std::string>>> carried_members() { return {}; }
  static std::vector<metaport::LayoutChoice> layouts() { return {}; }
};

}  // namespace bi_v2
