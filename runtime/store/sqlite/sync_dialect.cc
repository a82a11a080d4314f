// SQLite's spelling of the git sync's tables and triggers (sync_dialect.hpp).
// A write transaction here excludes every other writer, so a pull needs no
// lock on the marks.
#include "runtime/store/sync_dialect.hpp"

namespace metaport::store {

namespace {

using namespace sync_sql;

const char* const kOps[] = {"i", "u", "d"};
const char* const kEvents[] = {"INSERT", "UPDATE", "DELETE"};

class SqliteSyncDialect final : public SyncDialect {
 public:
  std::string_view name() const override { return "sqlite"; }

  std::vector<std::string> create_tables() const override {
    return {
        "CREATE TABLE \"mp_sync__state\" (\n  \"one\" INTEGER PRIMARY KEY CHECK (\"one\" = 1),\n  \"repo\" TEXT NOT NULL,\n"
        "  \"branch\" TEXT NOT NULL,\n  \"mode\" TEXT NOT NULL,\n  \"scope\" TEXT NOT NULL,\n  \"synced_commit\" TEXT,\n"
        "  \"token\" TEXT,\n  \"author\" TEXT,\n  \"layout\" TEXT NOT NULL,\n  \"tree_layout\" TEXT\n)",
        "CREATE TABLE \"mp_sync__entity\" (\n  \"kind\" TEXT NOT NULL,\n  \"key\" TEXT NOT NULL,\n  \"id\" INTEGER,\n"
        "  \"path\" TEXT NOT NULL,\n  \"blob\" TEXT NOT NULL,\n  \"hash\" TEXT NOT NULL,\n  \"place\" TEXT NOT NULL,\n"
        "  PRIMARY KEY (\"kind\", \"key\")\n)",
        "CREATE INDEX \"mp_sync__entity_id\" ON \"mp_sync__entity\" (\"kind\", \"id\")",
        "CREATE INDEX \"mp_sync__entity_path\" ON \"mp_sync__entity\" (\"path\")",
        "CREATE TABLE \"mp_sync__dirty\" (\n  \"seq\" INTEGER PRIMARY KEY AUTOINCREMENT,\n  \"kind\" TEXT NOT NULL,\n"
        "  \"id\" INTEGER NOT NULL,\n  UNIQUE (\"kind\", \"id\")\n)",
        "CREATE TABLE \"mp_sync__log\" (\n  \"seq\" INTEGER PRIMARY KEY AUTOINCREMENT,\n  \"at\" TEXT NOT NULL,\n"
        "  \"action\" TEXT NOT NULL,\n  \"branch\" TEXT NOT NULL,\n  \"commit_id\" TEXT,\n"
        "  \"created\" INTEGER NOT NULL DEFAULT 0,\n  \"updated\" INTEGER NOT NULL DEFAULT 0,\n"
        "  \"deleted\" INTEGER NOT NULL DEFAULT 0,\n  \"note\" TEXT\n)",
        "CREATE TABLE \"mp_sync__bypass\" (\n  \"pid\" INTEGER\n)",
    };
  }

  std::string count_state_tables() const override {
    return "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'mp_sync__state'";
  }
  std::string count_state_columns(std::string_view column) const override {
    return "SELECT count(*) FROM pragma_table_info('mp_sync__state') WHERE name = " + literal(column);
  }

  std::vector<std::string> drop_triggers(const std::vector<TableDesc>& tables) const override {
    std::vector<std::string> out;
    for (const auto& t : tables)
      for (const auto& n : trigger_names(t)) out.push_back("DROP TRIGGER IF EXISTS " + quote_ident(n));
    return out;
  }

  std::vector<std::string> create_triggers(const std::vector<TableDesc>& tables, bool production,
                                           bool whole) const override {
    std::vector<std::string> out;
    for (const auto& t : tables) triggers(t, production, whole, out);
    return out;
  }

  std::string count_triggers() const override {
    return "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'mp\\_sync\\_\\_%' ESCAPE '\\'";
  }

  // Plain "?": numbered ones cost a lookup each, quadratic in a statement
  // with thousands of them.
  std::string param(int) const override { return "?"; }

  std::string upsert_entities(std::size_t rows) const override {
    return kEntityInsert + entity_values(*this, rows) +
           " ON CONFLICT (\"kind\", \"key\") DO UPDATE SET \"id\" = excluded.\"id\", \"path\" = excluded.\"path\", "
           "\"blob\" = excluded.\"blob\", \"hash\" = excluded.\"hash\", \"place\" = excluded.\"place\"";
  }

  // "WHERE true": SQLite's parser would read ON CONFLICT as a join's ON.
  std::string add_marks(const std::string& select) const override {
    return "INSERT INTO \"mp_sync__dirty\" (\"kind\", \"id\") " + select + " WHERE true ON CONFLICT (\"kind\", \"id\") DO NOTHING";
  }

 private:
  // Row triggers: a mark is INSERT OR REPLACE (a row written again gets a new seq).
  static void triggers(const TableDesc& t, bool production, bool whole, std::vector<std::string>& out) {
    const std::string table = quote_ident(t.table), kind = literal(t.kind_name);
    for (int op = 0; op < 3; ++op) {
      const std::string row = op == 2 ? "OLD" : "NEW";
      std::string when;
      if (!t.kind->dumped) {
        if (op == 0) continue;  // a new row is nobody's reference yet
        if (op == 1) when = " WHEN OLD.\"mp_key\" IS NOT NEW.\"mp_key\"";
      }
      out.push_back("CREATE TRIGGER " + quote_ident(trigger_name("m", t, kOps[op])) + " AFTER " + kEvents[op] + " ON " +
                    table + when + " BEGIN INSERT OR REPLACE INTO \"mp_sync__dirty\" (\"kind\", \"id\") VALUES (" + kind +
                    ", " + row + ".\"mp_id\"); END");
    }
    if (!production || !t.kind->dumped) return;
    const auto conds = guard_conditions(t, whole, "1", "0");
    for (int op = 0; op < 3; ++op)
      out.push_back("CREATE TRIGGER " + quote_ident(trigger_name("g", t, kOps[op])) + " BEFORE " + kEvents[op] + " ON " +
                    table + " WHEN NOT EXISTS (SELECT 1 FROM \"mp_sync__bypass\") AND (" + conds[op] +
                    ") BEGIN SELECT RAISE(ABORT, " + literal(read_only_message(t.kind_name)) + "); END");
  }
};

const SqliteSyncDialect kSyncDialect;
const bool kRegistered = register_sync_dialect(kSyncDialect);

}  // namespace

}  // namespace metaport::store
