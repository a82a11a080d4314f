// bi's version history and the upgrade steps between its versions
// (docs/changing-your-schema.md tells the whole story):
//
//   1  Metabase's older serialization: a Card says `dataset: true|false`
//      (model or question), a Dashboard lists its `ordered_cards`, and every
//      query is legacy MBQL ({type, database, query: {source-table, filter, ...}}).
//   2  Cards have `type: question|model|metric`, dashboards `dashcards`;
//      queries are still legacy MBQL.
//   3  The Metabase Representation Format v1.0.0: queries are pMBQL
//      ({lib/type: mbql/query, database, stages: [...]}).
//   4  The same; every kind but User and Settings also carries a free-form
//      `serdes` member: what a file of Metabase's own serialization export
//      had beyond v1.0.0 (docs/metabase.md).
//
// The models of versions 1 and 2 are compiled in tests/evolution/, with
// golden dumps that must keep loading under the current schema.
#pragma once
#include <vector>

#include "metaport/upgrade.hpp"

namespace bi {

// Every step, from version 1 up to the current version.
std::vector<metaport::UpgradeStep> upgrade_steps();

// The steps of one transition: `version` -> `version + 1`.
std::vector<metaport::UpgradeStep> upgrade_steps_from(int version);

}  // namespace bi
