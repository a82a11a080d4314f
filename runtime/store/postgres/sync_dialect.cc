// PostgreSQL's spelling of the git sync's tables and triggers
// (sync_dialect.hpp): statement triggers over transition tables mark rows
// (one INSERT per statement, not per row), TRUNCATE asks for a full
// comparison, and one shared plpgsql function guards every table.
#include "runtime/store/sync_dialect.hpp"

namespace metaport::store {

namespace {

using namespace sync_sql;

// Every mark: a row marked again gets a new seq.
constexpr const char* kRemark = "ON CONFLICT (\"kind\", \"id\") DO UPDATE SET \"seq\" = nextval('mp_sync__dirty_seq')";

class PostgresSyncDialect final : public SyncDialect {
 public:
  std::string_view name() const override { return "postgres"; }

  // Keys and paths sort bytewise, as the kind tables' keys do.
  std::vector<std::string> create_tables() const override {
    return {
        "CREATE TABLE \"mp_sync__state\" (\n  \"one\" BIGINT PRIMARY KEY CHECK (\"one\" = 1),\n  \"repo\" TEXT NOT NULL,\n"
        "  \"branch\" TEXT NOT NULL,\n  \"mode\" TEXT NOT NULL,\n  \"scope\" TEXT NOT NULL,\n  \"synced_commit\" TEXT,\n"
        "  \"token\" TEXT,\n  \"author\" TEXT,\n  \"layout\" TEXT NOT NULL,\n  \"tree_layout\" TEXT\n)",
        "CREATE TABLE \"mp_sync__entity\" (\n  \"kind\" TEXT COLLATE \"C\" NOT NULL,\n  \"key\" TEXT COLLATE \"C\" NOT NULL,\n"
        "  \"id\" BIGINT,\n  \"path\" TEXT COLLATE \"C\" NOT NULL,\n  \"blob\" TEXT NOT NULL,\n  \"hash\" TEXT NOT NULL,\n"
        "  \"place\" TEXT NOT NULL,\n  PRIMARY KEY (\"kind\", \"key\")\n)",
        "CREATE INDEX \"mp_sync__entity_id\" ON \"mp_sync__entity\" (\"kind\", \"id\")",
        "CREATE INDEX \"mp_sync__entity_path\" ON \"mp_sync__entity\" (\"path\")",
        "CREATE SEQUENCE \"mp_sync__dirty_seq\"",
        "CREATE TABLE \"mp_sync__dirty\" (\n  \"seq\" BIGINT NOT NULL DEFAULT nextval('mp_sync__dirty_seq'),\n"
        "  \"kind\" TEXT COLLATE \"C\" NOT NULL,\n  \"id\" BIGINT NOT NULL,\n  UNIQUE (\"kind\", \"id\")\n)",
        "CREATE UNIQUE INDEX \"mp_sync__dirty_seq_ix\" ON \"mp_sync__dirty\" (\"seq\")",
        "CREATE TABLE \"mp_sync__log\" (\n  \"seq\" BIGSERIAL PRIMARY KEY,\n  \"at\" TEXT NOT NULL,\n  \"action\" TEXT NOT NULL,\n"
        "  \"branch\" TEXT NOT NULL,\n  \"commit_id\" TEXT,\n  \"created\" BIGINT NOT NULL DEFAULT 0,\n"
        "  \"updated\" BIGINT NOT NULL DEFAULT 0,\n  \"deleted\" BIGINT NOT NULL DEFAULT 0,\n  \"note\" TEXT\n)",
        "CREATE TABLE \"mp_sync__bypass\" (\n  \"pid\" BIGINT\n)",
    };
  }

  std::string count_state_tables() const override {
    return "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'mp_sync__state'";
  }
  std::string count_state_columns(std::string_view column) const override {
    return "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND "
           "table_name = 'mp_sync__state' AND column_name = " + literal(column);
  }

  std::vector<std::string> drop_triggers(const std::vector<TableDesc>& tables) const override {
    std::vector<std::string> out;
    for (const auto& t : tables)
      for (const auto& n : trigger_names(t))
        out.push_back("DROP TRIGGER IF EXISTS " + quote_ident(n) + " ON " + quote_ident(t.table));
    return out;
  }

  std::vector<std::string> create_triggers(const std::vector<TableDesc>& tables, bool production,
                                           bool whole) const override {
    std::vector<std::string> out = functions();  // CREATE OR REPLACE: always current
    for (const auto& t : tables) triggers(t, production, whole, out);
    return out;
  }

  std::string count_triggers() const override {
    return "SELECT count(*) FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
           "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
           "AND t.tgname LIKE 'mp\\_sync\\_\\_%' AND t.tgenabled = 'A'";
  }

  std::string lock_marks() const override { return "LOCK TABLE \"mp_sync__dirty\" IN EXCLUSIVE MODE"; }

  std::string param(int n) const override { return "$" + std::to_string(n); }
  // Parameters travel as text: an integer column needs saying.
  std::string int_param(int n) const override { return param(n) + "::bigint"; }

  std::string upsert_entities(std::size_t rows) const override {
    return kEntityInsert + entity_values(*this, rows) +
           " ON CONFLICT (\"kind\", \"key\") DO UPDATE SET \"id\" = excluded.\"id\", \"path\" = excluded.\"path\", "
           "\"blob\" = excluded.\"blob\", \"hash\" = excluded.\"hash\", \"place\" = excluded.\"place\"";
  }

  std::string add_marks(const std::string& select) const override {
    return "INSERT INTO \"mp_sync__dirty\" (\"kind\", \"id\") " + select + " ON CONFLICT (\"kind\", \"id\") DO NOTHING";
  }

 private:
  // The functions the triggers call, shared by every table (arguments say the kind).
  static std::vector<std::string> functions() {
    return {
        // Rows of a statement (its transition table) become marks.
        std::string("CREATE OR REPLACE FUNCTION \"mp_sync__mark\"() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
                    "INSERT INTO \"mp_sync__dirty\" (\"kind\", \"id\") SELECT TG_ARGV[0], \"mp_id\" FROM \"mp_sync__rows\" ") +
            kRemark + "; RETURN NULL; END $f$",
        // Rows of another kind whose key changed.
        std::string("CREATE OR REPLACE FUNCTION \"mp_sync__mark_rekeyed\"() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
                    "INSERT INTO \"mp_sync__dirty\" (\"kind\", \"id\") SELECT TG_ARGV[0], n.\"mp_id\" FROM \"mp_sync__new\" n "
                    "JOIN \"mp_sync__old\" o ON o.\"mp_id\" = n.\"mp_id\" WHERE o.\"mp_key\" IS DISTINCT FROM n.\"mp_key\" ") +
            kRemark + "; RETURN NULL; END $f$",
        // TRUNCATE leaves no ids: ask for a full comparison.
        std::string("CREATE OR REPLACE FUNCTION \"mp_sync__mark_all\"() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
                    "INSERT INTO \"mp_sync__dirty\" (\"kind\", \"id\") VALUES (") +
            literal(kEverythingKind) + ", 0) " + kRemark + "; RETURN NULL; END $f$",
        // Production: arguments (kind, whole scope '1'/'0', then column, target kind pairs).
        "CREATE OR REPLACE FUNCTION \"mp_sync__guard\"() RETURNS trigger LANGUAGE plpgsql AS $f$ "
        "DECLARE hit boolean := false; r jsonb; i int; BEGIN "
        "IF EXISTS (SELECT 1 FROM \"mp_sync__bypass\") THEN RETURN COALESCE(NEW, OLD); END IF; "
        "IF TG_ARGV[1] = '1' OR TG_OP = 'TRUNCATE' THEN hit := true; "
        "ELSE "
        "  IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (SELECT 1 FROM \"mp_sync__entity\" WHERE \"kind\" = TG_ARGV[0] "
        "AND \"id\" = OLD.\"mp_id\") THEN hit := true; END IF; "
        "  IF NOT hit AND TG_OP IN ('INSERT', 'UPDATE') THEN r := to_jsonb(NEW); i := 2; "
        "    WHILE i + 1 < TG_NARGS LOOP "
        "      IF EXISTS (SELECT 1 FROM \"mp_sync__entity\" WHERE \"kind\" = TG_ARGV[i + 1] "
        "AND \"id\" = (r ->> TG_ARGV[i])::bigint) THEN hit := true; END IF; "
        "      i := i + 2; END LOOP; END IF; "
        "END IF; "
        "IF hit THEN RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = " +
            literal(kMessageHead) + " || TG_ARGV[0] || " + literal(kMessageTail) +
            "; END IF; "
            "RETURN COALESCE(NEW, OLD); END $f$",
    };
  }

  static void triggers(const TableDesc& t, bool production, bool whole, std::vector<std::string>& out) {
    const std::string table = quote_ident(t.table), kind = literal(t.kind_name);
    std::vector<std::string> names;
    auto add = [&](const std::string& name, const std::string& body) {
      out.push_back("CREATE TRIGGER " + quote_ident(name) + " " + body);
      names.push_back(name);
    };
    auto statement = [&](const char* event, const char* tables, const char* function, const std::string& args) {
      return std::string("AFTER ") + event + " ON " + table + " REFERENCING " + tables +
             " FOR EACH STATEMENT EXECUTE FUNCTION \"" + function + "\"(" + args + ")";
    };
    if (t.kind->dumped) {
      add(trigger_name("m", t, "i"), statement("INSERT", "NEW TABLE AS \"mp_sync__rows\"", "mp_sync__mark", kind));
      add(trigger_name("m", t, "u"), statement("UPDATE", "NEW TABLE AS \"mp_sync__rows\"", "mp_sync__mark", kind));
    } else {
      add(trigger_name("m", t, "u"), statement("UPDATE", "OLD TABLE AS \"mp_sync__old\" NEW TABLE AS \"mp_sync__new\"",
                                               "mp_sync__mark_rekeyed", kind));
    }
    add(trigger_name("m", t, "d"), statement("DELETE", "OLD TABLE AS \"mp_sync__rows\"", "mp_sync__mark", kind));
    add(trigger_name("m", t, "t"),
        "AFTER TRUNCATE ON " + table + " FOR EACH STATEMENT EXECUTE FUNCTION \"mp_sync__mark_all\"()");
    if (production && t.kind->dumped) {
      std::string args = kind + ", " + literal(whole ? "1" : "0");
      for (const auto& [col, target] : parent_columns(t)) args += ", " + literal(col) + ", " + literal(target);
      add(trigger_name("g", t, "r"), "BEFORE INSERT OR UPDATE OR DELETE ON " + table +
                                         " FOR EACH ROW EXECUTE FUNCTION \"mp_sync__guard\"(" + args + ")");
      add(trigger_name("g", t, "t"),
          "BEFORE TRUNCATE ON " + table + " FOR EACH STATEMENT EXECUTE FUNCTION \"mp_sync__guard\"(" + args + ")");
    }
    // Fire also under session_replication_role = replica, which a bulk load
    // into an empty store sets (Store::check_references_in_bulk).
    for (const auto& n : names) out.push_back("ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + quote_ident(n));
  }
};

const PostgresSyncDialect kSyncDialect;
const bool kRegistered = register_sync_dialect(kSyncDialect);

}  // namespace

}  // namespace metaport::store
