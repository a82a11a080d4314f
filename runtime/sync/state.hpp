// The sync's state, kept in the store itself (state_sql.hpp has the tables):
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
  explicit SyncState(store::Store& s) : store_(s) {}

  // The sync tables exist (the store was connected once).
  Result<bool> exists();
  Status create_tables();
  Result<std::optional<SyncConfig>> config();
  Status save_config(const SyncConfig& c);

  // Drops and re-creates the triggers on every kind table.
  Status install_triggers(bool production, bool whole_scope);
  // How many of the sync's triggers the store has (enabled).
  Result<std::int64_t> trigger_count();
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

 private:
  Result<std::vector<store::Row>> q(const std::string& sql, const store::Row& params = {});
  std::string p(int n) const { return store_.sql_placeholder(n); }
  // In statements with many parameters: SQLite's plain "?" (numbered ones
  // cost a lookup each, quadratic in the statement's size).
  std::string pb(int n) const { return store_.dialect() == store::Dialect::sqlite ? "?" : p(n); }
  store::Store& store_;
};

// Values as both engines return them (PostgreSQL: text).
std::string text_of(const store::SqlValue& v);
std::optional<std::int64_t> int_of(const store::SqlValue& v);
std::string utc_now();

}  // namespace metaport::sync
