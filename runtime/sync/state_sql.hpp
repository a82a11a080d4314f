// Every dialect-specific SQL text of the git sync, in one place: its own
// tables and the triggers it puts on the kind tables. Plain string building
// over the store's neutral TableDesc, so a new engine adds one case here.
//
// Tables (created by `sync connect`, docs/sync.md):
//   mp_sync__state   one row: repository, branch, mode, scope, last synced commit, sealed token
//   mp_sync__entity  per synced entity: kind, key, local id, file path, blob in the synced
//                    commit, hash of the store's own rendering, hash of its placement
//   mp_sync__dirty   rows written since the last sync (filled by the triggers below)
//   mp_sync__log     one line per connect / push / pull
//   mp_sync__bypass  holds a row only inside a pull's own transaction (never committed)
//
// Triggers on each kind table:
//   marks   (both modes) every insert, update and delete of a dumped kind's row,
//           and key changes and deletions of the other kinds' rows (documents
//           spell references by key), go to mp_sync__dirty: `status` then
//           looks at those rows only;
//   guards  (production) refuse writes to synced content from any writer,
//           unless mp_sync__bypass holds a row (only `pull` inserts one, in its
//           own transaction, which no other connection can see).
#pragma once
#include <string>
#include <vector>

#include "runtime/store/ddl.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::sync::sql {

using store::Dialect;

std::vector<std::string> create_tables(Dialect d);

// Drops every trigger (and PostgreSQL trigger function) of the sync.
std::vector<std::string> drop_triggers(const std::vector<store::TableDesc>& tables, Dialect d);
// Marks on every table; with `production` also the guards. `whole_scope`:
// every row of a dumped kind is synced content; otherwise the synced rows
// are those in mp_sync__entity, and a new row is synced content when one of
// its containers (Parent<T> members) is.
std::vector<std::string> create_triggers(const std::vector<store::TableDesc>& tables, Dialect d, bool production,
                                         bool whole_scope);

// How many triggers create_triggers makes, and a query counting those the
// store has (PostgreSQL: only enabled ALWAYS, as they are made).
std::size_t trigger_count(const std::vector<store::TableDesc>& tables, Dialect d, bool production);
std::string count_triggers(Dialect d);

// Taken at the start of a pull (PostgreSQL): writers wait until it commits,
// so no write slips between its comparison and its clearing the marks.
// Empty when the engine's write transaction already excludes other writers.
std::string lock_marks(Dialect d);

// The n-th (1-based) statement parameter.
std::string placeholder(Dialect d, int n);

// INSERT of `rows` rows of (kind, key, id, path, blob, hash, place) into
// mp_sync__entity, replacing rows with the same (kind, key).
std::string upsert_entities(Dialect d, std::size_t rows);
// A mark in mp_sync__dirty that asks for a full comparison (a PostgreSQL
// TRUNCATE leaves no row ids behind): kind '*'.
inline constexpr const char* kEverythingKind = "*";

// The message the guards raise for a kind (also what tests look for).
std::string read_only_message(const std::string& kind);

}  // namespace metaport::sync::sql
