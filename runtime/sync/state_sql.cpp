#include "runtime/sync/state_sql.hpp"

#include "metaport/slug.hpp"

namespace metaport::sync::sql {

namespace {

using store::quote_ident;
using store::TableDesc;

// SQL text literal.
std::string lit(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// Trigger and function names share PostgreSQL's 63-byte limit.
std::string trigger_name(const std::string& role, const TableDesc& t, const std::string& op) {
  std::string n = "mp_sync__" + role + "_" + t.table + "_" + op;
  if (n.size() <= 63) return n;
  return "mp_sync__" + role + "_" + short_hash(t.table) + "_" + op;
}

// (column, target kind) of each Parent<T> member: what places a row in a container.
std::vector<std::pair<std::string, std::string>> parent_columns(const TableDesc& t) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : t.columns)
    if (c.type == store::ColumnType::Ref && c.field >= 0 &&
        t.kind->fields[static_cast<std::size_t>(c.field)].type.parent)
      out.emplace_back(c.name, c.ref_kind);
  return out;
}

constexpr const char* kMessageHead = "metaport sync: ";
constexpr const char* kMessageTail =
    " is synced read-only content in this production store: change it in a development store, push it, and pull it "
    "here";

const char* kOps[] = {"i", "u", "d"};
const char* kEvents[] = {"INSERT", "UPDATE", "DELETE"};

// ---- SQLite ---------------------------------------------------------------------

std::vector<std::string> sqlite_triggers(const TableDesc& t, bool production, bool whole) {
  std::vector<std::string> out;
  const std::string table = quote_ident(t.table), kind = lit(t.kind_name);
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
  if (!production || !t.kind->dumped) return out;
  auto synced = [&](const std::string& kind_lit, const std::string& id) {
    return "EXISTS (SELECT 1 FROM \"mp_sync__entity\" WHERE \"kind\" = " + kind_lit + " AND \"id\" = " + id + ")";
  };
  std::string new_parent_synced;
  for (const auto& [col, target] : parent_columns(t))
    new_parent_synced += (new_parent_synced.empty() ? "" : " OR ") + synced(lit(target), "NEW." + quote_ident(col));
  if (new_parent_synced.empty()) new_parent_synced = "0";
  const std::string old_synced = synced(kind, "OLD.\"mp_id\"");
  const std::string conds[] = {whole ? "1" : new_parent_synced,
                               whole ? "1" : old_synced + " OR " + new_parent_synced,
                               whole ? "1" : old_synced};
  for (int op = 0; op < 3; ++op)
    out.push_back("CREATE TRIGGER " + quote_ident(trigger_name("g", t, kOps[op])) + " BEFORE " + kEvents[op] + " ON " +
                  table + " WHEN NOT EXISTS (SELECT 1 FROM \"mp_sync__bypass\") AND (" + conds[op] +
                  ") BEGIN SELECT RAISE(ABORT, " + lit(read_only_message(t.kind_name)) + "); END");
  return out;
}

// ---- PostgreSQL -----------------------------------------------------------------

// The functions the triggers call, shared by every table (arguments say the kind).
std::vector<std::string> postgres_functions() {
  return {
      // Rows of a statement (its transition table) become marks.
      "CREATE OR REPLACE FUNCTION \"mp_sync__mark\"() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
      "INSERT INTO \"mp_sync__dirty\" (\"kind\", \"id\") SELECT TG_ARGV[0], \"mp_id\" FROM \"mp_sync__rows\" "
      "ON CONFLICT (\"kind\", \"id\") DO UPDATE SET \"seq\" = nextval('mp_sync__dirty_seq'); RETURN NULL; END $f$",
      // Rows of another kind whose key changed.
      "CREATE OR REPLACE FUNCTION \"mp_sync__mark_rekeyed\"() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
      "INSERT INTO \"mp_sync__dirty\" (\"kind\", \"id\") SELECT TG_ARGV[0], n.\"mp_id\" FROM \"mp_sync__new\" n "
      "JOIN \"mp_sync__old\" o ON o.\"mp_id\" = n.\"mp_id\" WHERE o.\"mp_key\" IS DISTINCT FROM n.\"mp_key\" "
      "ON CONFLICT (\"kind\", \"id\") DO UPDATE SET \"seq\" = nextval('mp_sync__dirty_seq'); RETURN NULL; END $f$",
      // TRUNCATE leaves no ids: ask for a full comparison.
      "CREATE OR REPLACE FUNCTION \"mp_sync__mark_all\"() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
      "INSERT INTO \"mp_sync__dirty\" (\"kind\", \"id\") VALUES ('*', 0) "
      "ON CONFLICT (\"kind\", \"id\") DO UPDATE SET \"seq\" = nextval('mp_sync__dirty_seq'); RETURN NULL; END $f$",
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
          lit(kMessageHead) + " || TG_ARGV[0] || " + lit(kMessageTail) + "; END IF; "
      "RETURN COALESCE(NEW, OLD); END $f$",
  };
}

std::vector<std::string> postgres_triggers(const TableDesc& t, bool production, bool whole) {
  std::vector<std::string> out;
  const std::string table = quote_ident(t.table), kind = lit(t.kind_name);
  std::vector<std::string> names;
  auto add = [&](const std::string& name, const std::string& body) {
    out.push_back("CREATE TRIGGER " + quote_ident(name) + " " + body);
    names.push_back(name);
  };
  if (t.kind->dumped) {
    add(trigger_name("m", t, "i"), "AFTER INSERT ON " + table +
                                       " REFERENCING NEW TABLE AS \"mp_sync__rows\" FOR EACH STATEMENT EXECUTE FUNCTION "
                                       "\"mp_sync__mark\"(" + kind + ")");
    add(trigger_name("m", t, "u"), "AFTER UPDATE ON " + table +
                                       " REFERENCING NEW TABLE AS \"mp_sync__rows\" FOR EACH STATEMENT EXECUTE FUNCTION "
                                       "\"mp_sync__mark\"(" + kind + ")");
  } else {
    add(trigger_name("m", t, "u"), "AFTER UPDATE ON " + table +
                                       " REFERENCING OLD TABLE AS \"mp_sync__old\" NEW TABLE AS \"mp_sync__new\" FOR EACH "
                                       "STATEMENT EXECUTE FUNCTION \"mp_sync__mark_rekeyed\"(" + kind + ")");
  }
  add(trigger_name("m", t, "d"), "AFTER DELETE ON " + table +
                                     " REFERENCING OLD TABLE AS \"mp_sync__rows\" FOR EACH STATEMENT EXECUTE FUNCTION "
                                     "\"mp_sync__mark\"(" + kind + ")");
  add(trigger_name("m", t, "t"), "AFTER TRUNCATE ON " + table + " FOR EACH STATEMENT EXECUTE FUNCTION \"mp_sync__mark_all\"()");
  if (production && t.kind->dumped) {
    std::string args = kind + ", " + lit(whole ? "1" : "0");
    for (const auto& [col, target] : parent_columns(t)) args += ", " + lit(col) + ", " + lit(target);
    add(trigger_name("g", t, "r"), "BEFORE INSERT OR UPDATE OR DELETE ON " + table +
                                       " FOR EACH ROW EXECUTE FUNCTION \"mp_sync__guard\"(" + args + ")");
    add(trigger_name("g", t, "t"), "BEFORE TRUNCATE ON " + table + " FOR EACH STATEMENT EXECUTE FUNCTION \"mp_sync__guard\"(" +
                                       args + ")");
  }
  // Fire also under session_replication_role = replica, which a bulk load
  // into an empty store sets (Store::check_references_in_bulk).
  for (const auto& n : names) out.push_back("ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + quote_ident(n));
  return out;
}

}  // namespace

std::string read_only_message(const std::string& kind) { return kMessageHead + kind + kMessageTail; }

std::size_t trigger_count(const std::vector<TableDesc>& tables, Dialect d, bool production) {
  std::size_t n = 0;
  for (const auto& s : create_triggers(tables, d, production, true))
    if (s.rfind("CREATE TRIGGER ", 0) == 0) ++n;
  return n;
}

std::string count_triggers(Dialect d) {
  if (d == Dialect::postgres)
    return "SELECT count(*) FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
           "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
           "AND t.tgname LIKE 'mp\\_sync\\_\\_%' AND t.tgenabled = 'A'";
  return "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'mp\\_sync\\_\\_%' ESCAPE '\\'";
}

std::string lock_marks(Dialect d) {
  return d == Dialect::postgres ? "LOCK TABLE \"mp_sync__dirty\" IN EXCLUSIVE MODE" : "";
}

std::string placeholder(Dialect d, int n) { return (d == Dialect::postgres ? "$" : "?") + std::to_string(n); }

std::vector<std::string> create_tables(Dialect d) {
  const bool pg = d == Dialect::postgres;
  const std::string big = pg ? "BIGINT" : "INTEGER";
  // Keys and paths sort bytewise on both engines, as the kind tables' keys do.
  const std::string text_c = pg ? "TEXT COLLATE \"C\"" : "TEXT";
  const std::string serial = pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
  std::vector<std::string> out;
  out.push_back("CREATE TABLE \"mp_sync__state\" (\n  \"one\" " + big +
                " PRIMARY KEY CHECK (\"one\" = 1),\n  \"repo\" TEXT NOT NULL,\n  \"branch\" TEXT NOT NULL,\n"
                "  \"mode\" TEXT NOT NULL,\n  \"scope\" TEXT NOT NULL,\n  \"synced_commit\" TEXT,\n  \"token\" TEXT,\n"
                "  \"author\" TEXT,\n  \"layout\" TEXT NOT NULL\n)");
  out.push_back("CREATE TABLE \"mp_sync__entity\" (\n  \"kind\" " + text_c + " NOT NULL,\n  \"key\" " + text_c +
                " NOT NULL,\n  \"id\" " + big + ",\n  \"path\" " + text_c +
                " NOT NULL,\n  \"blob\" TEXT NOT NULL,\n  \"hash\" TEXT NOT NULL,\n  \"place\" TEXT NOT NULL,\n"
                "  PRIMARY KEY (\"kind\", \"key\")\n)");
  out.push_back("CREATE INDEX \"mp_sync__entity_id\" ON \"mp_sync__entity\" (\"kind\", \"id\")");
  out.push_back("CREATE INDEX \"mp_sync__entity_path\" ON \"mp_sync__entity\" (\"path\")");
  if (pg) out.push_back("CREATE SEQUENCE \"mp_sync__dirty_seq\"");
  out.push_back("CREATE TABLE \"mp_sync__dirty\" (\n  \"seq\" " +
                (pg ? std::string("BIGINT NOT NULL DEFAULT nextval('mp_sync__dirty_seq')")
                    : std::string("INTEGER PRIMARY KEY AUTOINCREMENT")) +
                ",\n  \"kind\" " + text_c + " NOT NULL,\n  \"id\" " + big + " NOT NULL,\n  UNIQUE (\"kind\", \"id\")\n)");
  if (pg) out.push_back("CREATE UNIQUE INDEX \"mp_sync__dirty_seq_ix\" ON \"mp_sync__dirty\" (\"seq\")");
  out.push_back("CREATE TABLE \"mp_sync__log\" (\n  \"seq\" " + serial +
                ",\n  \"at\" TEXT NOT NULL,\n  \"action\" TEXT NOT NULL,\n  \"branch\" TEXT NOT NULL,\n"
                "  \"commit_id\" TEXT,\n  \"created\" " + big + " NOT NULL DEFAULT 0,\n  \"updated\" " + big +
                " NOT NULL DEFAULT 0,\n  \"deleted\" " + big + " NOT NULL DEFAULT 0,\n  \"note\" TEXT\n)");
  out.push_back("CREATE TABLE \"mp_sync__bypass\" (\n  \"pid\" " + big + "\n)");
  return out;
}

std::vector<std::string> drop_triggers(const std::vector<TableDesc>& tables, Dialect d) {
  std::vector<std::string> out;
  for (const auto& t : tables) {
    for (const char* role : {"m", "g"})
      for (const char* op : {"i", "u", "d", "t", "r"}) {
        const std::string name = quote_ident(trigger_name(role, t, op));
        out.push_back(d == Dialect::postgres ? "DROP TRIGGER IF EXISTS " + name + " ON " + quote_ident(t.table)
                                             : "DROP TRIGGER IF EXISTS " + name);
      }
  }
  return out;
}

std::vector<std::string> create_triggers(const std::vector<TableDesc>& tables, Dialect d, bool production,
                                         bool whole_scope) {
  std::vector<std::string> out;
  if (d == Dialect::postgres)
    for (auto& f : postgres_functions()) out.push_back(std::move(f));  // CREATE OR REPLACE: always current
  for (const auto& t : tables)
    for (auto& s : d == Dialect::postgres ? postgres_triggers(t, production, whole_scope)
                                          : sqlite_triggers(t, production, whole_scope))
      out.push_back(std::move(s));
  return out;
}

std::string upsert_entities(Dialect d, std::size_t rows) {
  std::string s =
      "INSERT INTO \"mp_sync__entity\" (\"kind\", \"key\", \"id\", \"path\", \"blob\", \"hash\", \"place\") VALUES ";
  int n = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    s += r ? ", (" : "(";
    for (int c = 0; c < 7; ++c) {
      // SQLite: plain "?" (numbered ones cost a lookup each, quadratic in a
      // statement with thousands of them).
      s += (c ? ", " : "") + (d == Dialect::sqlite ? std::string("?") : placeholder(d, n));
      ++n;
      // PostgreSQL reads parameters as text: the id column needs saying.
      if (c == 2 && d == Dialect::postgres) s += "::bigint";
    }
    s += ")";
  }
  s += " ON CONFLICT (\"kind\", \"key\") DO UPDATE SET \"id\" = excluded.\"id\", \"path\" = excluded.\"path\", "
       "\"blob\" = excluded.\"blob\", \"hash\" = excluded.\"hash\", \"place\" = excluded.\"place\"";
  return s;
}

}  // namespace metaport::sync::sql
