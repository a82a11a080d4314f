#include "runtime/store/store.hpp"

#include <algorithm>
#include <charconv>

#include "runtime/store/backend.hpp"
#include "runtime/store/sql_store_base.hpp"

namespace metaport::store {

namespace {

// The layout of metaport's own columns (mp_key, mp_absent, mp_unknown,
// mp_redacted, their encodings), recorded in mp_meta.
constexpr std::string_view kStoreFormat = "1";

// mp_sync__*: the git sync's state (runtime/sync); a kind's table name never
// holds a double underscore (table_name_for_kind).
bool is_bookkeeping(const std::string& t) {
  return t == "mp_schema_version" || t == "mp_meta" || t.rfind("mp_sync__", 0) == 0;
}

// Integers come back as integers from SQLite and as text from PostgreSQL.
std::optional<std::int64_t> int_of(const SqlValue& v) {
  if (v.is_int()) return v.as_int();
  if (v.is_text()) {
    std::int64_t out = 0;
    const auto& s = v.as_text();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size()) return out;
  }
  return std::nullopt;
}

std::string describe(const StoredSchema& s) { return "schema '" + s.name + "' version " + std::to_string(s.version); }
std::string describe(const SchemaInfo& s) { return "schema '" + s.name + "' version " + std::to_string(s.version); }

}  // namespace

const TableDesc* Store::table(std::string_view kind) const {
  for (const auto& t : tables_)
    if (t.kind_name == kind) return &t;
  return nullptr;
}

Result<const TableDesc*> SqlStoreBase::find_table(std::string_view kind) const {
  if (tables_.empty())
    return make_error(url_.display + ": no schema loaded: call create_schema or check_schema before using kind '" +
                      std::string(kind) + "'");
  if (const TableDesc* t = table(kind)) return t;
  return make_error(url_.display + ": kind '" + std::string(kind) + "' is not part of the store's schema");
}

std::string SqlStoreBase::key_of_row(const Row& row) {
  if (!row.empty() && row[TableDesc::kKey].is_text()) return row[TableDesc::kKey].as_text();
  return "?";
}

Error SqlStoreBase::error_at(const TableDesc& t, std::string_view op, std::string_view key, std::string detail) const {
  std::string msg = url_.display + ": " + std::string(op) + " " + t.table;
  if (!key.empty()) msg += " '" + std::string(key) + "'";
  Error e = make_error(msg + ": " + detail);
  if (!key.empty()) e.entity = t.kind_name + " " + std::string(key);
  return e;
}

Status SqlStoreBase::check_writable(std::string_view what, const TableDesc& t) const {
  if (tx_ == TxState::write) {
    if (tx_failure_)
      return make_error(url_.display + ": " + std::string(what) + " " + t.table +
                        ": the write transaction already failed (" + *tx_failure_ + "); roll it back");
    return ok_status();
  }
  if (tx_ == TxState::snapshot)
    return make_error(url_.display + ": " + std::string(what) + " " + t.table + " inside a read-only snapshot");
  return make_error(url_.display + ": " + std::string(what) + " " + t.table +
                    " outside a transaction: call begin_write() first");
}

Status SqlStoreBase::fail(Error e) {
  if (tx_ == TxState::write && !tx_failure_) tx_failure_ = e.message;
  return e;
}

Result<std::optional<StoredSchema>> SqlStoreBase::stored_schema() {
  auto tables = list_tables();
  if (!tables) return tables.errors();
  if (std::find(tables->begin(), tables->end(), "mp_schema_version") == tables->end())
    return std::optional<StoredSchema>{};
  auto rows = query("SELECT \"schema\", \"version\", \"lock_fingerprint\" FROM \"mp_schema_version\"", {});
  if (!rows) return rows.errors();
  if (rows->empty()) return std::optional<StoredSchema>{};
  if (rows->size() > 1)
    return make_error(url_.display + ": mp_schema_version records " + std::to_string(rows->size()) +
                      " schemas; a metaport store holds exactly one");
  const Row& r = rows->front();
  StoredSchema s;
  s.name = r[0].is_text() ? r[0].as_text() : "";
  auto v = int_of(r[1]);
  if (!v) return make_error(url_.display + ": mp_schema_version.version is not an integer");
  s.version = static_cast<int>(*v);
  s.fingerprint = r[2].is_text() ? r[2].as_text() : "";
  return std::optional<StoredSchema>(std::move(s));
}

Status SqlStoreBase::create_schema(const SchemaInfo& schema) {
  auto tables = tables_for(schema);
  if (!tables) return tables.errors();
  const std::string fp = layout_fingerprint(*tables);
  if (tx_ != TxState::none)
    return make_error(url_.display + ": create_schema inside an open transaction; commit or roll it back first");

  auto existing = stored_schema();
  if (!existing) return existing.errors();
  if (*existing) {
    const StoredSchema& s = **existing;
    if (s.name != schema.name || s.version != schema.version)
      return make_error(url_.display + " already holds " + describe(s) + "; cannot create " + describe(schema) +
                        " in it" +
                        (s.name == schema.name ? " (to bring it to the new version: metaport " + schema.name +
                                                     " migrate STORE)"
                                               : " (use another database)"));
    if (s.fingerprint != fp)
      return make_error(url_.display + " holds " + describe(s) +
                        " created from different declarations (layout fingerprint " + s.fingerprint + ", this build " +
                        fp + "): the structs changed without a version bump");
    // Same schema: make sure nothing was dropped behind our back.
    auto names = list_tables();
    if (!names) return names.errors();
    for (const auto& t : *tables)
      if (std::find(names->begin(), names->end(), t.table) == names->end())
        return make_error(url_.display + " records " + describe(s) + " but its table " + t.table + " (kind " +
                          t.kind_name + ") is missing");
    tables_ = std::move(*tables);
    on_tables_changed();
    return ok_status();
  }
  auto names = list_tables();
  if (!names) return names.errors();
  std::vector<std::string> ours;
  for (const auto& n : *names)
    if (n.rfind("mp_", 0) == 0) ours.push_back(n);
  if (!ours.empty()) {
    std::string list;
    for (std::size_t i = 0; i < ours.size() && i < 5; ++i) list += (i ? ", " : "") + ours[i];
    if (ours.size() > 5) list += ", ...";
    return make_error(url_.display + " is not empty: it has tables named like metaport's (" + list +
                      ") but records no schema; refusing to create " + describe(schema) + " over them");
  }

  if (auto st = begin_write(); !st) return st;
  auto abort = [&](Status st) {
    (void)rollback();
    // MySQL commits each DDL statement: take back the tables made so far
    // (none of these names existed: checked above), so the store is as it was.
    if (!dialect().transactional_ddl()) {
      for (auto it = tables->rbegin(); it != tables->rend(); ++it) (void)exec("DROP TABLE IF EXISTS " + quote_ident(it->table));
      for (const char* b : {"mp_meta", "mp_schema_version"}) (void)exec(std::string("DROP TABLE IF EXISTS ") + quote_ident(b));
    }
    return st;
  };
  // The version row comes last: with non-transactional DDL (MySQL), a store
  // interrupted halfway records no schema, and a later init says so.
  for (const auto& sql : schema_sql(*tables, dialect()))
    if (auto st = exec(sql); !st) return abort(st);
  auto ins = query("INSERT INTO \"mp_schema_version\" (\"schema\", \"version\", \"lock_fingerprint\") VALUES (" +
                       placeholder(1) + ", " + placeholder(2) + ", " + placeholder(3) + ")",
                   Row{SqlValue(schema.name), SqlValue(std::int64_t{schema.version}), SqlValue(fp)});
  if (!ins) return abort(ins.errors());
  auto meta = query("INSERT INTO \"mp_meta\" (\"key\", \"value\") VALUES ('store_format', " + placeholder(1) + ")",
                    Row{SqlValue(std::string(kStoreFormat))});
  if (!meta) return abort(meta.errors());
  tables_ = std::move(*tables);
  on_tables_changed();
  if (auto st = commit(); !st) {
    tables_.clear();
    on_tables_changed();
    return st;
  }
  return ok_status();
}

Status SqlStoreBase::replace_schema(const SchemaInfo& schema) {
  if (tx_ != TxState::write) return make_error(url_.display + ": replace_schema needs a write transaction");
  if (tables_.empty()) return make_error(url_.display + ": replace_schema needs the old layout (check_schema) first");
  auto tables = tables_for(schema);
  if (!tables) return tables.errors();
  // Referencing tables first is not needed: every table goes in the same
  // transaction (PostgreSQL: CASCADE drops the foreign-key constraints).
  for (auto it = tables_.rbegin(); it != tables_.rend(); ++it)
    for (const auto& sql : dialect().to_sql(sql::DropTable{it->table}))
      if (auto st = exec(sql); !st) return fail(st.errors().list().front());
  for (const auto& t : *tables)
    for (const auto& sql : to_sql(t, dialect()))
      if (auto st = exec(sql); !st) return fail(st.errors().list().front());
  for (const auto& t : *tables)
    for (const auto& sql : foreign_keys_sql(t, dialect()))
      if (auto st = exec(sql); !st) return fail(st.errors().list().front());
  auto up = query("UPDATE \"mp_schema_version\" SET \"version\" = " + placeholder(1) + ", \"lock_fingerprint\" = " +
                      placeholder(2) + " WHERE \"schema\" = " + placeholder(3),
                  Row{SqlValue(std::int64_t{schema.version}), SqlValue(layout_fingerprint(*tables)), SqlValue(schema.name)});
  if (!up) return fail(up.errors().list().front());
  tables_ = std::move(*tables);
  on_tables_changed();
  return ok_status();
}

Status SqlStoreBase::check_schema(const SchemaInfo& schema) {
  auto tables = tables_for(schema);
  if (!tables) return tables.errors();
  auto existing = stored_schema();
  if (!existing) return existing.errors();
  if (!*existing)
    return make_error(url_.display + " has no metaport schema: create it with `metaport " + schema.name +
                      " init STORE`");
  const StoredSchema& s = **existing;
  if (s.name != schema.name)
    return make_error(url_.display + " holds " + describe(s) + ", not schema '" + schema.name + "'");
  if (s.version < schema.version)
    return make_error(url_.display + " holds " + describe(s) + ", older than this build's " + describe(schema) +
                      ": bring it up to date with `metaport " + schema.name + " migrate STORE`");
  if (s.version > schema.version)
    return make_error(url_.display + " holds " + describe(s) + ", newer than this build's " + describe(schema) +
                      ": use a newer metaport");
  const std::string fp = layout_fingerprint(*tables);
  if (s.fingerprint != fp)
    return make_error(url_.display + " holds " + describe(s) +
                      " created from different declarations (layout fingerprint " + s.fingerprint + ", this build " +
                      fp + "): the structs changed without a version bump");
  // The table layout itself (mp_* columns, encodings) is versioned apart
  // from the schema: a store written by a future layout is not misread.
  auto format = query("SELECT \"value\" FROM \"mp_meta\" WHERE \"key\" = 'store_format'", {});
  if (!format) return format.errors();
  const std::string f = !format->empty() && (*format)[0][0].is_text() ? (*format)[0][0].as_text() : "?";
  if (f != kStoreFormat)
    return make_error(url_.display + " has store format " + f + "; this build reads format " +
                      std::string(kStoreFormat));
  tables_ = std::move(*tables);
  on_tables_changed();
  return ok_status();
}

Result<bool> SqlStoreBase::is_empty() {
  auto names = list_tables();
  if (!names) return names.errors();
  for (const auto& n : *names) {
    if (n.rfind("mp_", 0) != 0 || is_bookkeeping(n)) continue;
    auto rows = query("SELECT 1 FROM " + quote_ident(n) + " LIMIT 1", {});
    if (!rows) return rows.errors();
    if (!rows->empty()) return false;
  }
  return true;
}

Result<std::unique_ptr<Store>> open_store(std::string_view url, const OpenOptions& options) {
  auto parsed = parse_store_url(url);
  if (!parsed) return parsed.errors();
  const Backend* b = find_backend(parsed->scheme);
  if (!b) return make_error("unsupported store URL '" + parsed->display + "'");  // parse_store_url found it
  return b->open(std::move(*parsed), options);
}

}  // namespace metaport::store
