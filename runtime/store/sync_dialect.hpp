// SyncDialect: how one engine spells the git sync's bookkeeping
// (runtime/sync, docs/sync.md). One object per engine, in the engine's own
// folder (sqlite/sync_dialect.cc, postgres/, mysql/) beside its Dialect,
// registered under the Dialect's name when linked in; runtime/sync finds it
// with find_sync_dialect(store.dialect()). Plain SQL text over the neutral
// TableDesc: nothing here talks to a server.
//
// Tables (created by `sync connect`):
//   mp_sync__state   one row: repository, branch, mode, scope, last synced commit, sealed token
//   mp_sync__entity  per synced entity: kind, key, local id, file path, blob in the synced
//                    commit, hash of the store's own rendering, hash of its placement
//   mp_sync__dirty   rows written since the last sync (filled by the triggers below); a
//                    row written again gets a new seq
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
//           own transaction, which no other connection can see). With the
//           whole schema in scope every row of a dumped kind is synced
//           content; under a collection scope the synced rows are those in
//           mp_sync__entity, and a new or moved row is synced content when one
//           of its containers (Parent<T> members) is.
#pragma once
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/store/dialect.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::store {

class SyncDialect {
 public:
  virtual ~SyncDialect() = default;

  // The Dialect's name() this object spells for.
  virtual std::string_view name() const = 0;

  // CREATE statements of the sync's tables.
  virtual std::vector<std::string> create_tables() const = 0;
  // A query whose one value counts the tables named mp_sync__state (0 or 1).
  virtual std::string count_state_tables() const = 0;
  // A query whose one value counts mp_sync__state's columns named `column`
  // (0 or 1): a state table made by an older metaport lacks the newer ones.
  virtual std::string count_state_columns(std::string_view column) const = 0;
  // The column type of a text column added to a table that exists.
  virtual std::string text_type() const { return "TEXT"; }

  // Drops every trigger (and trigger function) of the sync on `tables`.
  virtual std::vector<std::string> drop_triggers(const std::vector<TableDesc>& tables) const = 0;
  // Marks on every table; with `production` also the guards.
  virtual std::vector<std::string> create_triggers(const std::vector<TableDesc>& tables, bool production,
                                                   bool whole_scope) const = 0;
  // A query whose one value counts the sync's triggers the store has, those
  // that fire (PostgreSQL: only enabled ALWAYS, as they are made).
  virtual std::string count_triggers() const = 0;
  // How many create_triggers makes (what count_triggers should say).
  std::size_t trigger_count(const std::vector<TableDesc>& tables, bool production) const;

  // Taken at the start of a pull: writers wait until it commits, so no
  // write slips between its comparison and its clearing the marks. Empty
  // when the engine's write transaction already excludes other writers.
  virtual std::string lock_marks() const { return {}; }

  // The n-th (1-based) parameter of a statement with many of them, each
  // used once and in order; int_param for an integer column.
  virtual std::string param(int n) const = 0;
  virtual std::string int_param(int n) const { return param(n); }

  // INSERT of `rows` rows of (kind, key, id, path, blob, hash, place) into
  // mp_sync__entity, replacing rows with the same (kind, key).
  virtual std::string upsert_entities(std::size_t rows) const = 0;
  // INSERT into mp_sync__dirty ("kind", "id") of what `select` yields,
  // keeping the marks already there (and their seq).
  virtual std::string add_marks(const std::string& select) const = 0;
};

// Registers an engine's object (a static in its sync_dialect.cc); returns
// true, for `static const bool x = register_sync_dialect(...)`.
bool register_sync_dialect(const SyncDialect& d);
// The object for a dialect; nullptr when its engine's is not linked.
const SyncDialect* find_sync_dialect(const Dialect& d);

// What the engines' objects share.
namespace sync_sql {

// The mark of a full comparison (kind '*', id 0): a PostgreSQL TRUNCATE
// leaves no row ids behind; a re-armed store compares everything once.
inline constexpr const char* kEverythingKind = "*";

// The message the guards raise for a kind (tests look for "synced read-only
// content"). At most 128 bytes for every kind name of up to 22 bytes: MySQL
// 8 cuts SIGNAL's MESSAGE_TEXT there (MariaDB allows 512).
std::string read_only_message(std::string_view kind);
// The same in two halves around the kind, for a trigger that puts a kind
// argument in between (PostgreSQL's shared guard function).
inline constexpr const char* kMessageHead = "metaport sync: ";
inline constexpr const char* kMessageTail =
    " is synced read-only content in this production store: change it in development, push, pull";

// An SQL text literal ('it''s').
std::string literal(std::string_view s);
// A trigger's name: mp_sync__<role>_<table>_<op>, within 63 bytes
// (PostgreSQL's limit; MySQL's is 64) by hashing the table name.
std::string trigger_name(std::string_view role, const TableDesc& t, std::string_view op);
// Every name trigger_name gives a table, for dropping them all.
std::vector<std::string> trigger_names(const TableDesc& t);
// (column, target kind) of each Parent<T> member: what places a row in a container.
std::vector<std::pair<std::string, std::string>> parent_columns(const TableDesc& t);
// For row triggers (NEW and OLD rows): when an INSERT, an UPDATE, a DELETE
// touches synced content. With the whole scope always (`yes`); else when the
// old row is synced, or the new row's container is (`no` when it has none).
std::array<std::string, 3> guard_conditions(const TableDesc& t, bool whole, std::string_view yes, std::string_view no);
// The VALUES part of upsert_entities: `rows` tuples of 7 parameters, the
// third (the local id) through int_param.
std::string entity_values(const SyncDialect& d, std::size_t rows);
inline constexpr const char* kEntityInsert =
    "INSERT INTO \"mp_sync__entity\" (\"kind\", \"key\", \"id\", \"path\", \"blob\", \"hash\", \"place\") VALUES ";

}  // namespace sync_sql

}  // namespace metaport::store
