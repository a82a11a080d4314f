// MySQL / MariaDB's spelling of the git sync's tables and triggers
// (sync_dialect.hpp). Row triggers (InnoDB has no statement triggers with
// transition tables); the guards SIGNAL SQLSTATE '45000' with the read-only
// message. The triggers keep the sql_mode they were made under (metaport's
// connection: ANSI_QUOTES), whichever client writes later.
//
// What no trigger sees here: TRUNCATE TABLE is DDL on MySQL (it needs the
// DROP privilege, commits, and fires no trigger), as DROP TABLE is on every
// engine. docs/sync.md says how to keep it from a production store's writers.
#include "runtime/store/mysql/dialect.hpp"
#include "runtime/store/sync_dialect.hpp"

namespace metaport::store {

namespace {

using namespace sync_sql;

const char* const kOps[] = {"i", "u", "d"};
const char* const kEvents[] = {"INSERT", "UPDATE", "DELETE"};
constexpr std::string_view kTableOptions = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

// Keys and paths are VARBINARY (bytewise, as the kind tables' keys). InnoDB
// indexes at most 3072 bytes of a key: the primary key (kind, key) gives the
// key what the kind (64 bytes) leaves.
constexpr std::size_t kKindBytes = 64;
const std::string kKind = "VARBINARY(" + std::to_string(kKindBytes) + ")";
const std::string kKey = "VARBINARY(" + std::to_string(kMysqlMaxKeyBytes - kKindBytes) + ")";
const std::string kPath = "VARBINARY(" + std::to_string(kMysqlMaxKeyBytes) + ")";

class MysqlSyncDialect final : public SyncDialect {
 public:
  std::string_view name() const override { return "mysql"; }

  std::vector<std::string> create_tables() const override {
    const std::string opts(kTableOptions);
    return {
        "CREATE TABLE \"mp_sync__state\" (\n  \"one\" BIGINT NOT NULL PRIMARY KEY CHECK (\"one\" = 1),\n"
        "  \"repo\" LONGTEXT NOT NULL,\n  \"branch\" LONGTEXT NOT NULL,\n  \"mode\" VARCHAR(16) NOT NULL,\n"
        "  \"scope\" LONGTEXT NOT NULL,\n  \"synced_commit\" VARCHAR(64),\n  \"token\" LONGTEXT,\n  \"author\" LONGTEXT,\n"
        "  \"layout\" LONGTEXT NOT NULL,\n  \"tree_layout\" LONGTEXT\n)" + opts,
        "CREATE TABLE \"mp_sync__entity\" (\n  \"kind\" " + kKind + " NOT NULL,\n  \"key\" " + kKey + " NOT NULL,\n"
        "  \"id\" BIGINT,\n  \"path\" " + kPath + " NOT NULL,\n  \"blob\" VARCHAR(64) NOT NULL,\n"
        "  \"hash\" VARCHAR(64) NOT NULL,\n  \"place\" VARCHAR(64) NOT NULL,\n  PRIMARY KEY (\"kind\", \"key\"),\n"
        "  INDEX \"mp_sync__entity_id\" (\"kind\", \"id\"),\n  INDEX \"mp_sync__entity_path\" (\"path\")\n)" + opts,
        "CREATE TABLE \"mp_sync__dirty\" (\n  \"seq\" BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  \"kind\" " + kKind +
            " NOT NULL,\n  \"id\" BIGINT NOT NULL,\n  UNIQUE (\"kind\", \"id\")\n)" + opts,
        "CREATE TABLE \"mp_sync__log\" (\n  \"seq\" BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
        "  \"at\" VARCHAR(32) NOT NULL,\n  \"action\" VARCHAR(32) NOT NULL,\n  \"branch\" LONGTEXT NOT NULL,\n"
        "  \"commit_id\" VARCHAR(64),\n  \"created\" BIGINT NOT NULL DEFAULT 0,\n  \"updated\" BIGINT NOT NULL DEFAULT 0,\n"
        "  \"deleted\" BIGINT NOT NULL DEFAULT 0,\n  \"note\" LONGTEXT\n)" + opts,
        "CREATE TABLE \"mp_sync__bypass\" (\n  \"pid\" BIGINT\n)" + opts,
    };
  }

  std::string count_state_tables() const override {
    return "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND "
           "table_name = 'mp_sync__state'";
  }
  std::string count_state_columns(std::string_view column) const override {
    return "SELECT count(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND "
           "table_name = 'mp_sync__state' AND column_name = " + literal(column);
  }
  std::string text_type() const override { return "LONGTEXT"; }

  // Trigger names are the schema's, as SQLite's are.
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

  // '!' escapes LIKE's '_' (a backslash would need doubling under MySQL's
  // string escapes, and not under NO_BACKSLASH_ESCAPES).
  std::string count_triggers() const override {
    return "SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE() AND "
           "trigger_name LIKE 'mp!_sync!_!_%' ESCAPE '!'";
  }

  // A locking read over every mark and the gaps between them (REPEATABLE
  // READ's next-key locks): another writer's trigger waits to add one.
  std::string lock_marks() const override { return "SELECT count(*) FROM \"mp_sync__dirty\" FOR UPDATE"; }

  std::string param(int) const override { return "?"; }

  std::string upsert_entities(std::size_t rows) const override {
    return kEntityInsert + entity_values(*this, rows) +
           " ON DUPLICATE KEY UPDATE \"id\" = VALUES(\"id\"), \"path\" = VALUES(\"path\"), \"blob\" = VALUES(\"blob\"), "
           "\"hash\" = VALUES(\"hash\"), \"place\" = VALUES(\"place\")";
  }

  // A no-op update keeps the mark there (and its seq).
  std::string add_marks(const std::string& select) const override {
    return "INSERT INTO \"mp_sync__dirty\" (\"kind\", \"id\") " + select +
           " ON DUPLICATE KEY UPDATE \"seq\" = \"mp_sync__dirty\".\"seq\"";
  }

 private:
  // A mark is REPLACE: a row written again gets a new seq (AUTO_INCREMENT).
  static void triggers(const TableDesc& t, bool production, bool whole, std::vector<std::string>& out) {
    const std::string table = quote_ident(t.table), kind = literal(t.kind_name);
    for (int op = 0; op < 3; ++op) {
      const std::string row = op == 2 ? "OLD" : "NEW";
      const std::string mark =
          "REPLACE INTO \"mp_sync__dirty\" (\"kind\", \"id\") VALUES (" + kind + ", " + row + ".\"mp_id\")";
      std::string body = mark;
      if (!t.kind->dumped) {
        if (op == 0) continue;  // a new row is nobody's reference yet
        if (op == 1) body = "IF NOT (OLD.\"mp_key\" <=> NEW.\"mp_key\") THEN " + mark + "; END IF";
      }
      out.push_back("CREATE TRIGGER " + quote_ident(trigger_name("m", t, kOps[op])) + " AFTER " + kEvents[op] + " ON " +
                    table + " FOR EACH ROW " + body);
    }
    if (!production || !t.kind->dumped) return;
    const auto conds = guard_conditions(t, whole, "TRUE", "FALSE");
    for (int op = 0; op < 3; ++op)
      out.push_back("CREATE TRIGGER " + quote_ident(trigger_name("g", t, kOps[op])) + " BEFORE " + kEvents[op] + " ON " +
                    table + " FOR EACH ROW IF NOT EXISTS (SELECT 1 FROM \"mp_sync__bypass\") AND (" + conds[op] +
                    ") THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = " + literal(read_only_message(t.kind_name)) +
                    "; END IF");
  }
};

const MysqlSyncDialect kSyncDialect;
const bool kRegistered = register_sync_dialect(kSyncDialect);

}  // namespace

}  // namespace metaport::store
