// The `serdes` tree layout of bi: the folders, file names and documents of
// Metabase's own serialization export ("serdes v2": `export` and Remote Sync
// of Metabase 1.50-1.59), so that metaport reads such an export or Remote
// Sync repository and writes one Metabase reads back, sharing one git
// repository without phantom diffs. docs/metabase.md describes it all.
//
//   collections/<eid>_<slug>/<eid>_<slug>.yaml          a collection, in its own folder
//   collections/<eid>_<slug>/<child>/...                 its sub-collections
//   collections/<eid>_<slug>/cards/<eid>_<label>.yaml    its cards (dashboards/, timelines/,
//                                                        documents/, transforms/ likewise)
//   collections/<eid>_<slug>/metabots/<eid>.yaml         its metabots (no label)
//   collections/cards/<eid>_<label>.yaml                 cards in no collection
//   collections/channels/<name>_<label>.yaml             notification channels (no collection)
//   snippets/<collection folders>/<eid>_<label>.yaml     native query snippets
//   actions/<eid>_<label>.yaml   transforms/<eid>_<label>.yaml (no collection)
//   transforms/transform_jobs/, transforms/transform_tags/, python-libraries/<eid>.yaml
//   databases/<Database>/<Database>.yaml                 names as they are (/ -> __SLASH__)
//   databases/<Database>/schemas/<Schema>/tables/<Table>/<Table>.yaml   (schemaless: no schemas/)
//       .../fields/<Field>.yaml, <Field>___fieldvalues.yaml, <Field>___fieldusersettings.yaml,
//       segments/, measures/
//   glossary/<term>.yaml  settings.yaml
//
// <label> is Metabase's slug of the name cut to 100 characters; a
// collection's is its slug. No metaport.yaml is written: the folder holds
// exactly what Metabase writes. Which kind a file holds comes from its
// serdes/meta (as Metabase reads it), so a file may be anywhere in the tree.
#pragma once
#include <memory>

#include "metaport/layout.hpp"

namespace bi {

std::unique_ptr<metaport::Layout> make_serdes_layout();

}  // namespace bi
