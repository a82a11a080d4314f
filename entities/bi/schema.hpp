// The bundled `bi` schema: analytics content as Metabase's Representation
// Format v1.0.0 describes it (@metabase/representations 1.2.0,
// core-spec/v1). Version 3 is that format; versions 1 and 2 (legacy MBQL,
// older card and dashboard members) still load through the upgrade steps of
// upgrades.hpp; their models and golden dumps live in tests/evolution/.
//
// The kinds are listed in a dependency-friendly order: what is referenced
// comes before what refers to it, where there is no cycle (cards and
// dashboards refer to each other; the engine loads cycles in two phases).
#pragma once
#include <boost/mp11.hpp>

#include "entities/bi/action.hpp"
#include "entities/bi/card.hpp"
#include "entities/bi/channel.hpp"
#include "entities/bi/collection.hpp"
#include "entities/bi/dashboard.hpp"
#include "entities/bi/database.hpp"
#include "entities/bi/document.hpp"
#include "entities/bi/field.hpp"
#include "entities/bi/field_user_settings.hpp"
#include "entities/bi/field_values.hpp"
#include "entities/bi/glossary.hpp"
#include "entities/bi/layout.hpp"
#include "entities/bi/measure.hpp"
#include "entities/bi/metabot.hpp"
#include "entities/bi/python_library.hpp"
#include "entities/bi/segment.hpp"
#include "entities/bi/serdes_layout.hpp"
#include "entities/bi/settings.hpp"
#include "entities/bi/snippet.hpp"
#include "entities/bi/table.hpp"
#include "entities/bi/timeline.hpp"
#include "entities/bi/transform.hpp"
#include "entities/bi/transform_job.hpp"
#include "entities/bi/transform_tag.hpp"
#include "entities/bi/upgrades.hpp"
#include "entities/bi/user.hpp"
#include "entities/bi/walker.hpp"

namespace bi {

struct Schema {
  static constexpr std::string_view name = "bi";
  // 3: the Representation Format v1.0.0; 4: the same, with what a file of
  // Metabase's serialization export has beyond it (the `serdes` members).
  static constexpr int version = 4;
  // Dumps of versions 1 and 2 load too, upgraded record by record.
  static constexpr int oldest_version = 1;
  static std::vector<metaport::UpgradeStep> upgrade_steps() { return bi::upgrade_steps(); }
  // Every kind but User and Settings carries `serdes`: what a file of
  // Metabase's serialization export had that the Representation Format has
  // no place for, by member path (the legacy query as written, members
  // v1.0.0 does not have, nulls it leaves out). Free-form; the serdes layout
  // reads and writes it (serdes_codec.hpp).
  static std::vector<std::pair<std::string, std::vector<std::string>>> carried_members() {
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    for (const char* kind : kSerdesKinds) out.push_back({kind, {"serdes"}});
    return out;
  }
  static constexpr const char* kSerdesKinds[] = {
      "Database", "Table",      "Field",   "FieldValues",  "FieldUserSettings", "Channel",      "Glossary",
      "Collection", "NativeQuerySnippet", "Segment", "Measure", "Card", "Dashboard", "Document", "Timeline",
      "Action", "Metabot", "TransformTag", "TransformJob", "PythonLibrary", "Transform"};

  using kinds = boost::mp11::mp_list<
      // people and instance settings
      User, Settings,
      // the data model, synced from the databases
      Database, Table, Field, FieldValues, FieldUserSettings,
      // instance-level configuration
      Channel, Glossary,
      // content
      Collection, NativeQuerySnippet, Segment, Measure, Card, Dashboard, Document, Timeline, Action, Metabot,
      // transforms
      TransformTag, TransformJob, PythonLibrary, Transform>;

  // References inside free-form documents (queries, visualization settings,
  // rich text, ...): see walker.hpp.
  static void document_refs(const metaport::Entity& e, const metaport::RefSink& sink) {
    walker::document_refs(e, sink);
  }

  // The Metabase Representation Format folders (layout.hpp).
  static std::unique_ptr<metaport::Layout> make_layout() { return make_tree_layout(); }
  // Tree layouts by name (`dump --layout NAME`; load and validate recognise
  // them by themselves): the Representation Format (the default), and
  // Metabase's own serialization export (serdes_layout.hpp, docs/metabase.md).
  static std::vector<metaport::LayoutChoice> layouts() {
    return {{"representation", "the Metabase Representation Format v1.0.0 (docs/tree-layout.md)", &make_tree_layout},
            {"serdes", "Metabase's serialization export and Remote Sync repositories (docs/metabase.md)",
             &make_serdes_layout}};
  }

  static constexpr std::string_view user_kind = "User";         // --user EMAIL
  static constexpr std::string_view scope_kind = "Collection";  // --collection ID

  // References missing on both sides (docs/loading.md): users become placeholders
  // (Metabase attributes content the same way); the data model only with
  // --stub-missing (as Metabase Remote Sync stubs a missing database).
  static metaport::StubPolicy stub_policy(std::string_view kind) {
    if (kind == "User") return metaport::StubPolicy::always;
    if (kind == "Database" || kind == "Table" || kind == "Field") return metaport::StubPolicy::on_flag;
    return metaport::StubPolicy::never;
  }
  static std::optional<metaport::Value> make_stub(std::string_view kind, const metaport::Key& key) {
    using metaport::Value;
    const std::string note = "Placeholder created by metaport: referenced by loaded content, missing in this instance";
    auto part = [&](std::size_t i) { return key.parts[i] ? Value(*key.parts[i]) : Value(); };
    Value v = Value::object();
    if (kind == "User" && key.size() == 1) {
      v.set("email", key.first());
    } else if (kind == "Database" && key.size() == 1) {
      v.set("name", key.first());
      v.set("description", note);
    } else if (kind == "Table" && key.size() == 3) {
      v.set("name", part(2));
      v.set("db_id", part(0));
      v.set("schema", part(1));
      v.set("description", note);
    } else if (kind == "Field" && key.size() >= 4) {
      v.set("name", part(key.size() - 1));
      Value table = Value::array();
      for (std::size_t i = 0; i < 3; ++i) table.push_back(part(i));
      v.set("table_id", std::move(table));
      if (key.size() > 4) {
        Value parent = Value::array();
        for (std::size_t i = 0; i + 1 < key.size(); ++i) parent.push_back(part(i));
        v.set("parent_id", std::move(parent));
      }
      v.set("base_type", "type/*");
      v.set("database_type", "unknown");
      v.set("description", note);
    } else {
      return std::nullopt;
    }
    return v;
  }
};

}  // namespace bi
