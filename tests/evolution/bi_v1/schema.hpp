// bi version 1, compiled as it was: version 2's kinds, except that a Card
// has `dataset: true|false` and a Dashboard `ordered_cards`. The oldest
// version; //tests/evolution:metaport_bi_v1 is its binary (it creates
// version 1 stores: `metaport_bi_v1 init sqlite://v1.db`).
#pragma once
#include "tests/evolution/bi_v1/kinds.hpp"
#include "tests/evolution/bi_v2/schema.hpp"

namespace bi_v1 {

struct Schema : bi::Schema {
  static constexpr int version = 1;
  static constexpr int oldest_version = 1;
  using kinds = boost::mp11::mp_list<
      bi::User, bi::Settings, bi::Database, bi::Table, bi::Field, bi::FieldValues, bi::FieldUserSettings,
      bi::Channel, bi::Glossary, bi::Collection, bi::NativeQuerySnippet, bi_v2::Segment, bi_v2::Measure,
      bi_v1::Card, bi_v1::Dashboard, bi::Document, bi::Timeline, bi::Action, bi::Metabot, bi::TransformTag,
      bi::TransformJob, bi::PythonLibrary, bi::Transform>;
  // The walker of version 2, reading ordered_cards where it reads dashcards.
  static void document_refs(const metaport::Entity& e, const metaport::RefSink& sink) {
    bi_legacy::document_refs(e, sink, "ordered_cards", "dashcards");
  }
  static std::vector<metaport::UpgradeStep> upgrade_steps() { return {}; }
  // Version 4 added these; version 1 had neither.
  static std::vector<std::pair<std::string, std::vector<std::string>>> carried_members() { return {}; }
  static std::vector<metaport::LayoutChoice> layouts() { return {}; }
};

}  // namespace bi_v1
