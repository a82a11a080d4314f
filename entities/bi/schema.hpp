// The bundled `bi` schema: analytics content as Metabase's Representation
// Format v1.0.0 describes it (@metabase/representations 1.2.0,
// core-spec/v1). Version 3 is that format; older versions of the schema
// and their upgrade steps live with the evolution tests.
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
#include "entities/bi/measure.hpp"
#include "entities/bi/metabot.hpp"
#include "entities/bi/python_library.hpp"
#include "entities/bi/segment.hpp"
#include "entities/bi/settings.hpp"
#include "entities/bi/snippet.hpp"
#include "entities/bi/table.hpp"
#include "entities/bi/timeline.hpp"
#include "entities/bi/transform.hpp"
#include "entities/bi/transform_job.hpp"
#include "entities/bi/transform_tag.hpp"
#include "entities/bi/user.hpp"
#include "entities/bi/walker.hpp"

namespace bi {

struct Schema {
  static constexpr std::string_view name = "bi";
  static constexpr int version = 3;  // Representation Format v1.0.0
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
};

}  // namespace bi
