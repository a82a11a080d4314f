// The sync's state, kept in the store itself (runtime/store/sync_dialect.hpp
// has the tables, each engine's spelling in its own folder):
// any process that opens the store sees which repository and branch it
// syncs with, the commit it last synced, and per synced entity what that
// commit holds. Every call runs on the store's connection, inside whatever
// transaction the caller opened.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "metaport/result.hpp"
#include "metaport/schema.hpp"
#include "runtime/store/store.hpp"
#include "runtime/store/sync_dialect.hpp"

namespace metaport::sync {

enum class SyncMode { development, production };
std::string_view mode_name(SyncMode m);

struct SyncConfig {
  std::string repo;    // never with credentials
  std::string branch;
  SyncMode mode = SyncMode::development;
  std::vector<std::string> scope;         // root keys of the scope kind; empty: the whole schema
  std::optional<std::string> synced_commit;  // hex; nullopt: nothing synced yet
  std::optional<std::string> token;       // sealed (token_box.hpp)
  std::optional<std::string> author;      // "Name <email>" for commits
  std::string layout;                     // the store's layout fingerprint the triggers were made for
  std::string tree_layout;                // the tree layout the branch holds (`--layout`); "": the schema's default
};

// What the synced commit holds for one entity.
struct SyncedEntity {
  std::string kind, key;
  std::optional<std::int64_t> id;  // the local row; nullopt: not in this store
  std::string path;                // its file in the commit's tree
  std::string blob;                // that file's blob id
  std::string hash;                // blob id of the store's own rendering when synced
  std::string place;               // hash of the members that place its file (and scope)
};

struct DirtyMark {
  std::string kind;
  std::int64_t id = 0;
  std::int64_t seq = 0;
};

struct LogLine {
  std::string at, action, branch, commit;
  std::int64_t created = 0, updated = 0, deleted = 0;
  std::string note;
};

class SyncState {
 public:
  // `sql`: find_sync_dialect(s.dialect()).
  SyncState(store::Store& s, const store::SyncDialect& sql) : store_(s), sql_(sql) {}

  const store::SyncDialect& sql() const { return sql_; }

  // The sync tables exist (the store was connected once).
  Result<bool> exists();
  Status create_tables();
  // Brings tables made by an older metaport up to date (columns added
  // since); outside any transaction, on every command's open.
  Status migrate_tables();
  Result<std::optional<SyncConfig>> config();
  Status save_config(const SyncConfig& c);

  // Drops and re-creates the triggers on every kind table.
  Status install_triggers(bool production, bool whole_scope);
  // Undoing a connect where DDL commits by itself (MySQL): its triggers,
  // and the tables when it made them.
  Status drop_triggers();
  Status drop_tables();
  // How many of the sync's triggers the store has (enabled), and should have.
  Result<std::int64_t> trigger_count();
  std::size_t triggers_wanted(bool production) const { return sql_.trigger_count(store_.tables(), production); }
  // Every row of the dumped kinds (and a full-comparison mark): the next
  // status compares everything.
  Status mark_everything();

  // Every synced entity's local id looked up again by its key (a migrate
  // reloads the rows under new ids).
  Status relink();

  Result<std::vector<DirtyMark>> dirty();
  // Exactly these marks (a row written again since has a newer seq and stays).
  Status clear(const std::vector<DirtyMark>& marks);
  Status clear_all_marks();

  Result<std::optional<SyncedEntity>> by_id(const std::string& kind, std::int64_t id);
  Result<std::optional<SyncedEntity>> by_key(const std::string& kind, const std::string& key);
  Result<std::optional<SyncedEntity>> by_path(const std::string& path);
  // Synced entities of `kind` by key (bytewise), `limit` after `after`.
  Result<std::vector<SyncedEntity>> page(const std::string& kind, const std::optional<std::string>& after,
                                         std::size_t limit);
  Result<std::int64_t> count();
  Status upsert(const std::vector<SyncedEntity>& rows);
  Status remove(const std::vector<std::pair<std::string, std::string>>& kind_keys);
  Status remove_all();

  Status log(const LogLine& line);
  Result<std::vector<LogLine>> recent_log(int n);

  // pull's own writes pass the production guards: a row in mp_sync__bypass,
  // inside the pull's transaction only.
  Status bypass_on();
  Status bypass_off();
  // Writers wait for the caller's transaction before they add a mark (pull).
  Status lock_marks();

 private:
  Result<std::vector<store::Row>> q(const std::string& sql, const store::Row& params = {});
  std::string p(int n) const { return store_.sql_placeholder(n); }
  store::Store& store_;
  const store::SyncDialect& sql_;
};

// Values as both engines return them (PostgreSQL: text).
std::string text_of(const store::SqlValue& v);
std::optional<std::int64_t> int_of(const store::SqlValue& v);
std::string utc_now();

}  // namespace metaport::sync
