// The SQLite backend: one connection per Store; WAL journal (readers never
// block the writer), synchronous=NORMAL (durable at checkpoints, never
// corrupt), foreign_keys=ON with every reference DEFERRABLE INITIALLY
// DEFERRED, a busy timeout for concurrent writers, and one cached prepared
// statement per table and operation. Registered for sqlite:// URLs.
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <map>

#include "runtime/store/backend.hpp"
#include "runtime/store/sql_store_base.hpp"
#include "runtime/store/sqlite/dialect.hpp"

namespace metaport::store {

namespace {

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// Resets a cached statement when its use ends, however it ends, so that it
// never holds a read lock or keeps a transaction from committing.
struct ResetOnExit {
  sqlite3_stmt* s;
  ~ResetOnExit() { sqlite3_reset(s); }
};

int bind_value(sqlite3_stmt* s, int index, const SqlValue& v) {
  if (v.is_null()) return sqlite3_bind_null(s, index);
  if (v.is_int()) return sqlite3_bind_int64(s, index, v.as_int());
  if (v.is_double()) return sqlite3_bind_double(s, index, v.as_double());
  // SQLITE_STATIC: the Row outlives the step that reads it.
  return sqlite3_bind_text64(s, index, v.as_text().data(), v.as_text().size(), SQLITE_STATIC, SQLITE_UTF8);
}

SqlValue column_value(sqlite3_stmt* s, int i) {
  switch (sqlite3_column_type(s, i)) {
    case SQLITE_NULL: return SqlValue();
    case SQLITE_INTEGER: return SqlValue(static_cast<std::int64_t>(sqlite3_column_int64(s, i)));
    case SQLITE_FLOAT: return SqlValue(sqlite3_column_double(s, i));
    default: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
      return SqlValue(std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, i))));
    }
  }
}

// column_value into an existing value: text goes into the string already
// there, so a scan whose caller recycles its rows allocates nothing per row
// (the dump hands rows to its writing thread and gets them back).
void assign_column(SqlValue& v, sqlite3_stmt* s, int i) {
  const int type = sqlite3_column_type(s, i);
  if (v.is_text() && type != SQLITE_NULL && type != SQLITE_INTEGER && type != SQLITE_FLOAT) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
    v.as_text().assign(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
    return;
  }
  v = column_value(s, i);
}

std::string column_list(const TableDesc& t) {
  std::string s;
  for (std::size_t i = 0; i < t.columns.size(); ++i) s += (i ? ", " : "") + quote_ident(t.columns[i].name);
  return s;
}

class SqliteStore final : public SqlStoreBase {
 public:
  SqliteStore(StoreUrl url, sqlite3* db, int busy_ms, bool read_only_fs)
      : SqlStoreBase(std::move(url)), db_(db), busy_ms_(busy_ms), read_only_fs_(read_only_fs) {}
  ~SqliteStore() override {
    stmts_.clear();  // finalize before closing
    if (tx_ != TxState::none) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db_);
  }

  // ---- transactions ----
  Status begin_write() override {
    if (tx_ != TxState::none) return make_error(url_.display + ": begin_write inside an open transaction");
    if (read_only_fs_)
      return make_error("cannot write to SQLite store '" + url_.path + "' (" + url_.display +
                        "): its file system is mounted read-only (it can be dumped, not changed)");
    if (auto st = exec_raw("BEGIN IMMEDIATE"); !st) {
      if (sqlite3_errcode(db_) == SQLITE_BUSY)
        return make_error(url_.display + ": another writer holds the store's write lock (waited " +
                          std::to_string(busy_ms_) + " ms)");
      return st;
    }
    tx_ = TxState::write;
    tx_failure_.reset();
    next_id_.assign(tables_.size(), 0);
    return ok_status();
  }

  Status begin_snapshot() override {
    if (tx_ != TxState::none) return make_error(url_.display + ": begin_snapshot inside an open transaction");
    if (auto st = exec_raw("BEGIN DEFERRED"); !st) return st;
    // A deferred transaction takes its WAL read mark at its first read: read
    // now, so the snapshot is the state at this call, not at the first scan.
    if (auto st = exec_raw("SELECT count(*) FROM sqlite_master"); !st) {
      (void)exec_raw("ROLLBACK");
      return st;
    }
    tx_ = TxState::snapshot;
    return ok_status();
  }

  Status commit() override {
    if (tx_ == TxState::none) return make_error(url_.display + ": commit without a transaction");
    if (tx_failure_) {
      std::string why = *tx_failure_;
      (void)rollback();
      return make_error(url_.display + ": the write transaction failed (" + why + ") and was rolled back");
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::string why = sqlite3_errmsg(db_);
      if (sqlite3_extended_errcode(db_) == SQLITE_CONSTRAINT_FOREIGNKEY) why = describe_dangling();
      if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      tx_ = TxState::none;
      tx_failure_.reset();
      return make_error(url_.display + ": commit refused, nothing was written: " + why);
    }
    tx_ = TxState::none;
    return ok_status();
  }

  Status rollback() override {
    if (tx_ == TxState::none) return ok_status();
    tx_ = TxState::none;
    tx_failure_.reset();
    if (sqlite3_get_autocommit(db_)) return ok_status();  // SQLite already rolled back (e.g. on I/O error)
    return exec_raw("ROLLBACK");
  }

  // ---- reads ----
  Status scan(std::string_view kind, const RowSink& sink) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    StmtPtr nested;
    auto s = scan_stmt(t, slot(t).scan, nested, [&] {
      return "SELECT \"mp_id\", " + column_list(t) + " FROM " + quote_ident(t.table) + " ORDER BY " +
             std::string(t.order_column());
    });
    if (!s) return s.errors();
    ResetOnExit reset{*s};
    const int n = static_cast<int>(t.columns.size());
    Row row(t.columns.size());
    for (;;) {
      int rc = sqlite3_step(*s);
      if (rc == SQLITE_DONE) return ok_status();
      if (rc != SQLITE_ROW) return error_at(t, "scan", "", sqlite3_errmsg(db_));
      const std::int64_t id = sqlite3_column_int64(*s, 0);
      for (int i = 0; i < n; ++i) assign_column(row[static_cast<std::size_t>(i)], *s, i + 1);
      if (auto st = sink(id, row); !st) return st;
    }
  }

  Status scan_children(std::string_view kind, std::string_view member, std::int64_t target_id,
                       const RowSink& sink) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    const std::size_t c = t.member_column(member);
    if (c == TableDesc::npos || t.columns[c].type != ColumnType::Ref)
      return error_at(t, "scan", "", "'" + std::string(member) + "' is not a reference member");
    StmtPtr nested;
    auto s = scan_stmt(t, slot(t).children[c], nested, [&] {
      return "SELECT \"mp_id\", " + column_list(t) + " FROM " + quote_ident(t.table) + " WHERE " +
             quote_ident(t.columns[c].name) + " = ?1 ORDER BY " + std::string(t.order_column());
    });
    if (!s) return s.errors();
    ResetOnExit reset{*s};
    sqlite3_bind_int64(*s, 1, target_id);
    const int n = static_cast<int>(t.columns.size());
    Row row(t.columns.size());
    for (;;) {
      int rc = sqlite3_step(*s);
      if (rc == SQLITE_DONE) return ok_status();
      if (rc != SQLITE_ROW) return error_at(t, "scan", "", sqlite3_errmsg(db_));
      const std::int64_t id = sqlite3_column_int64(*s, 0);
      for (int i = 0; i < n; ++i) assign_column(row[static_cast<std::size_t>(i)], *s, i + 1);
      if (auto st = sink(id, row); !st) return st;
    }
  }

  Status scan_keys(std::string_view kind, const KeySink& sink) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    StmtPtr nested;
    auto s = scan_stmt(t, slot(t).scan_keys, nested, [&] {
      return "SELECT \"mp_id\", \"mp_key\" FROM " + quote_ident(t.table) + " ORDER BY " + std::string(t.order_column());
    });
    if (!s) return s.errors();
    ResetOnExit reset{*s};
    for (;;) {
      int rc = sqlite3_step(*s);
      if (rc == SQLITE_DONE) return ok_status();
      if (rc != SQLITE_ROW) return error_at(t, "scan keys of", "", sqlite3_errmsg(db_));
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(*s, 1));
      std::string_view text(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(*s, 1)));
      auto key = key_from_text(text, t.key_single);
      if (!key) return error_at(t, "scan keys of", text, "mp_key is not a well-formed key");
      if (auto st = sink(sqlite3_column_int64(*s, 0), std::move(*key)); !st) return st;
    }
  }

  Result<std::optional<std::int64_t>> lookup(std::string_view kind, const Key& key) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    auto s = stmt(t, slot(t).lookup, [&] {
      return "SELECT \"mp_id\" FROM " + quote_ident(t.table) + " WHERE \"mp_key\" = ?1";
    });
    if (!s) return s.errors();
    ResetOnExit reset{*s};
    const std::string text = key_text(key, t.key_single);
    // `text` outlives the step (bind_value binds SQLITE_STATIC).
    sqlite3_bind_text64(*s, 1, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
    int rc = sqlite3_step(*s);
    if (rc == SQLITE_DONE) return std::optional<std::int64_t>{};
    if (rc != SQLITE_ROW) return error_at(t, "look up", text, sqlite3_errmsg(db_));
    return std::optional<std::int64_t>(sqlite3_column_int64(*s, 0));
  }

  Result<std::optional<Row>> fetch(std::string_view kind, std::int64_t id) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    auto s = stmt(t, slot(t).fetch, [&] {
      return "SELECT " + column_list(t) + " FROM " + quote_ident(t.table) + " WHERE \"mp_id\" = ?1";
    });
    if (!s) return s.errors();
    ResetOnExit reset{*s};
    sqlite3_bind_int64(*s, 1, id);
    int rc = sqlite3_step(*s);
    if (rc == SQLITE_DONE) return std::optional<Row>{};
    if (rc != SQLITE_ROW) return error_at(t, "fetch", "#" + std::to_string(id), sqlite3_errmsg(db_));
    Row row(t.columns.size());
    for (std::size_t i = 0; i < row.size(); ++i) row[i] = column_value(*s, static_cast<int>(i));
    return std::optional<Row>(std::move(row));
  }

  Result<std::int64_t> count(std::string_view kind) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    auto s = stmt(t, slot(t).count, [&] { return "SELECT count(*) FROM " + quote_ident(t.table); });
    if (!s) return s.errors();
    ResetOnExit reset{*s};
    if (sqlite3_step(*s) != SQLITE_ROW) return error_at(t, "count", "", sqlite3_errmsg(db_));
    return static_cast<std::int64_t>(sqlite3_column_int64(*s, 0));
  }

  // ---- writes ----
  // Every insert takes its id from the same per-transaction counter as
  // reserve_ids, so an id handed out earlier can never be taken by a row
  // inserted without one.
  Result<std::int64_t> insert(std::string_view kind, const Row& row) override {
    auto ids = reserve_ids(kind, 1);
    if (!ids) return ids.errors();
    if (auto st = insert_with_ids(kind, *ids, std::span<const Row>(&row, 1)); !st) return st.errors();
    return ids->front();
  }

  Result<std::vector<std::int64_t>> bulk_insert(std::string_view kind, std::span<const Row> rows) override {
    auto ids = reserve_ids(kind, rows.size());
    if (!ids) return ids.errors();
    if (auto st = insert_with_ids(kind, *ids, rows); !st) return st.errors();
    return ids;
  }

  Result<std::vector<std::int64_t>> reserve_ids(std::string_view kind, std::size_t n) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    if (auto st = check_writable("reserve ids in", t); !st) return st.errors();
    std::int64_t& next = next_id_[index(t)];
    if (next == 0) {
      // BEGIN IMMEDIATE holds the write lock: no other writer can insert
      // above this maximum before we commit.
      auto s = stmt(t, slot(t).max_id, [&] {
        return "SELECT coalesce(max(\"mp_id\"), 0) + 1 FROM " + quote_ident(t.table);
      });
      if (!s) return s.errors();
      ResetOnExit reset{*s};
      if (sqlite3_step(*s) != SQLITE_ROW) return fail(error_at(t, "reserve ids in", "", sqlite3_errmsg(db_))).errors();
      next = sqlite3_column_int64(*s, 0);
    }
    std::vector<std::int64_t> ids(n);
    for (auto& id : ids) id = next++;
    return ids;
  }

  Status insert_with_ids(std::string_view kind, std::span<const std::int64_t> ids, std::span<const Row> rows) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    if (auto st = check_writable("insert into", t); !st) return st;
    if (ids.size() != rows.size())
      return fail(error_at(t, "insert into", "", std::to_string(ids.size()) + " ids for " +
                                                     std::to_string(rows.size()) + " rows"));
    auto s = stmt(t, slot(t).insert, [&] {
      std::string sql = "INSERT INTO " + quote_ident(t.table) + " (\"mp_id\", " + column_list(t) + ") VALUES (?1";
      for (std::size_t i = 0; i < t.columns.size(); ++i) sql += ", ?" + std::to_string(i + 2);
      return sql + ")";
    });
    if (!s) return s.errors();
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const Row& row = rows[r];
      if (row.size() != t.columns.size()) return fail(row_size_error(t, row));
      ResetOnExit reset{*s};
      sqlite3_bind_int64(*s, 1, ids[r]);
      for (std::size_t i = 0; i < row.size(); ++i) bind_value(*s, static_cast<int>(i) + 2, row[i]);
      if (sqlite3_step(*s) != SQLITE_DONE) {
        std::string why = sqlite3_errmsg(db_);
        if (sqlite3_extended_errcode(db_) == SQLITE_CONSTRAINT_UNIQUE && why.find(".mp_key") != std::string::npos)
          why = "an entity with this key is already stored (" + why + ")";
        return fail(error_at(t, "insert into", key_of_row(row), why));
      }
    }
    return ok_status();
  }

  Status update(std::string_view kind, std::int64_t id, const Row& row, const std::vector<std::size_t>& keep) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    if (auto st = check_writable("update", t); !st) return st;
    if (row.size() != t.columns.size()) return fail(row_size_error(t, row));
    auto& cached = slot(t).update[keep];
    const int id_param = static_cast<int>(t.columns.size()) + 1;
    // Kept secrets keep their mp_redacted bits too (known stays known).
    const std::int64_t kept_bits = redacted_mask(t, keep);
    auto s = stmt(t, cached, [&] {
      std::string sql = "UPDATE " + quote_ident(t.table) + " SET ";
      bool first = true;
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (std::find(keep.begin(), keep.end(), i) != keep.end()) continue;
        const std::string col = quote_ident(t.columns[i].name), param = "?" + std::to_string(i + 1);
        sql += (first ? "" : ", ") + col + " = ";
        sql += i == TableDesc::kRedacted && kept_bits ? "(" + col + " & " + std::to_string(kept_bits) + ") | " + param
                                                      : param;
        first = false;
      }
      return sql + " WHERE \"mp_id\" = ?" + std::to_string(id_param);
    });
    if (!s) return s.errors();
    ResetOnExit reset{*s};
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (std::find(keep.begin(), keep.end(), i) != keep.end()) continue;
      if (i == TableDesc::kRedacted && kept_bits && row[i].is_int())
        sqlite3_bind_int64(*s, static_cast<int>(i) + 1, row[i].as_int() & ~kept_bits);
      else
        bind_value(*s, static_cast<int>(i) + 1, row[i]);
    }
    sqlite3_bind_int64(*s, id_param, id);
    if (sqlite3_step(*s) != SQLITE_DONE) return fail(error_at(t, "update", key_of_row(row), sqlite3_errmsg(db_)));
    if (sqlite3_changes(db_) != 1)
      return fail(error_at(t, "update", key_of_row(row), "no row with local id " + std::to_string(id)));
    return ok_status();
  }

  Status update_column(std::string_view kind, std::int64_t id, std::size_t column, const SqlValue& value) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    if (auto st = check_writable("update", t); !st) return st;
    if (column >= t.columns.size())
      return fail(error_at(t, "update", "#" + std::to_string(id), "no column #" + std::to_string(column)));
    auto& slots = slot(t).update_column;
    slots.resize(t.columns.size());
    auto s = stmt(t, slots[column], [&] {
      return "UPDATE " + quote_ident(t.table) + " SET " + quote_ident(t.columns[column].name) +
             " = ?1 WHERE \"mp_id\" = ?2";
    });
    if (!s) return s.errors();
    ResetOnExit reset{*s};
    bind_value(*s, 1, value);
    sqlite3_bind_int64(*s, 2, id);
    if (sqlite3_step(*s) != SQLITE_DONE)
      return fail(error_at(t, "update", "#" + std::to_string(id), t.columns[column].name + ": " + sqlite3_errmsg(db_)));
    if (sqlite3_changes(db_) != 1)
      return fail(error_at(t, "update", "#" + std::to_string(id), "no row with local id " + std::to_string(id)));
    return ok_status();
  }

  Status remove(std::string_view kind, std::int64_t id) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    if (auto st = check_writable("delete from", t); !st) return st;
    auto s = stmt(t, slot(t).remove, [&] {
      return "DELETE FROM " + quote_ident(t.table) + " WHERE \"mp_id\" = ?1";
    });
    if (!s) return s.errors();
    ResetOnExit reset{*s};
    sqlite3_bind_int64(*s, 1, id);
    if (sqlite3_step(*s) != SQLITE_DONE)
      return fail(error_at(t, "delete from", "#" + std::to_string(id), sqlite3_errmsg(db_)));
    if (sqlite3_changes(db_) != 1)
      return fail(error_at(t, "delete from", "#" + std::to_string(id), "no row with local id " + std::to_string(id)));
    return ok_status();
  }

 protected:
  Status exec(const std::string& sql) override { return exec_raw(sql.c_str()); }

  Result<std::vector<Row>> query(const std::string& sql, const Row& params) override {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
      return make_error(url_.display + ": " + sqlite3_errmsg(db_) + " in: " + sql);
    StmtPtr s(raw);
    for (std::size_t i = 0; i < params.size(); ++i) bind_value(raw, static_cast<int>(i) + 1, params[i]);
    std::vector<Row> out;
    const int n = sqlite3_column_count(raw);
    for (;;) {
      int rc = sqlite3_step(raw);
      if (rc == SQLITE_DONE) return out;
      if (rc != SQLITE_ROW) return make_error(url_.display + ": " + sqlite3_errmsg(db_) + " in: " + sql);
      Row r(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) r[static_cast<std::size_t>(i)] = column_value(raw, i);
      out.push_back(std::move(r));
    }
  }

  std::string placeholder(int n) const override { return "?" + std::to_string(n); }

  Result<std::vector<std::string>> list_tables() override {
    auto rows = query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", {});
    if (!rows) return rows.errors();
    std::vector<std::string> out;
    for (auto& r : *rows)
      if (r[0].is_text()) out.push_back(std::move(r[0].as_text()));
    return out;
  }

  void on_tables_changed() override {
    stmts_.clear();
    stmts_.resize(tables_.size());
    next_id_.assign(tables_.size(), 0);
  }

 private:
  struct TableStmts {
    StmtPtr insert, max_id, lookup, fetch, scan, scan_keys, remove, count;
    std::map<std::vector<std::size_t>, StmtPtr> update;  // by kept columns
    std::vector<StmtPtr> update_column;                  // by column index
    std::map<std::size_t, StmtPtr> children;             // scan_children, by column index
  };

  std::size_t index(const TableDesc& t) const { return static_cast<std::size_t>(&t - tables_.data()); }
  TableStmts& slot(const TableDesc& t) { return stmts_[index(t)]; }

  // A scan's statement: the cached one, unless a scan of the same table is
  // already running on it (a sink scanning its own kind again), in which
  // case a fresh one owned by `spare`.
  template <class MakeSql>
  Result<sqlite3_stmt*> scan_stmt(const TableDesc& t, StmtPtr& cached, StmtPtr& spare, MakeSql&& make_sql) {
    if (!cached || !sqlite3_stmt_busy(cached.get())) return stmt(t, cached, make_sql);
    return stmt(t, spare, make_sql);
  }

  template <class MakeSql>
  Result<sqlite3_stmt*> stmt(const TableDesc& t, StmtPtr& cached, MakeSql&& make_sql) {
    if (cached) return cached.get();
    const std::string sql = make_sql();
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK)
      return make_error(url_.display + ": table " + t.table + ": " + sqlite3_errmsg(db_) + " in: " + sql);
    cached.reset(raw);
    return raw;
  }

  Error row_size_error(const TableDesc& t, const Row& row) const {
    return error_at(t, "write", key_of_row(row),
                    "a row of " + std::to_string(row.size()) + " values for " + std::to_string(t.columns.size()) +
                        " columns");
  }

  Status exec_raw(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return make_error(url_.display + ": " + msg);
    }
    return ok_status();
  }
  Status exec_raw(const std::string& sql) { return exec_raw(sql.c_str()); }

  // SQLite says only "FOREIGN KEY constraint failed"; foreign_key_check
  // (run inside the still-open transaction) says which rows dangle.
  std::string describe_dangling() {
    auto rows = query("PRAGMA foreign_key_check", {});
    if (!rows || rows->empty()) return "a reference points to a row that does not exist (FOREIGN KEY constraint failed)";
    std::string out;
    std::size_t shown = 0;
    for (const Row& r : *rows) {
      if (shown == 3) break;
      if (!r[0].is_text() || !r[1].is_int() || !r[3].is_int()) continue;
      const std::string& table = r[0].as_text();
      const std::int64_t rowid = r[1].as_int();
      std::string column = "?";
      if (auto fks = query("PRAGMA foreign_key_list(" + quote_ident(table) + ")", {}))
        for (const Row& fk : *fks)
          if (fk[0].is_int() && fk[0].as_int() == r[3].as_int() && fk[3].is_text()) column = fk[3].as_text();
      std::string key = "#" + std::to_string(rowid), value = "?";
      if (auto k = query("SELECT \"mp_key\", " + quote_ident(column) + " FROM " + quote_ident(table) +
                             " WHERE \"mp_id\" = ?1",
                         Row{SqlValue(rowid)});
          k && !k->empty()) {
        if ((*k)[0][0].is_text()) key = "'" + (*k)[0][0].as_text() + "'";
        value = (*k)[0][1].debug_string();
      }
      const std::string parent = r[2].is_text() ? r[2].as_text() : "?";
      out += (shown ? "; " : "") + table + " " + key + " column " + column + " refers to " + parent + " row " + value +
             ", which does not exist";
      ++shown;
    }
    if (rows->size() > shown) out += " (" + std::to_string(rows->size()) + " dangling references in all)";
    return "dangling reference: " + out;
  }

  sqlite3* db_;
  int busy_ms_;
  std::vector<TableStmts> stmts_;  // parallel to tables_
  // Next free local id per table, fetched at the first insert or reservation
  // of a write transaction (0: not yet); forgotten when the transaction ends.
  std::vector<std::int64_t> next_id_;
  bool read_only_fs_ = false;  // opened immutable: the file system is read-only
};

// Whether the file system holding `path` is mounted read-only.
bool on_read_only_fs(const std::string& path) {
  struct statvfs vfs {};
  return ::statvfs(path.c_str(), &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
}

Result<std::unique_ptr<Store>> open_sqlite_store(StoreUrl url, const OpenOptions& options) {
  struct stat st {};
  const bool exists = ::stat(url.path.c_str(), &st) == 0;
  if (!exists && !options.create)
    return make_error("no SQLite store at '" + url.path + "' (" + url.display +
                      "): the file does not exist; create one with `metaport SCHEMA init " + url.display + "`");
  if (exists && S_ISDIR(st.st_mode))
    return make_error("bad SQLite store '" + url.path + "' (" + url.display + "): it is a directory");
  sqlite3* db = nullptr;
  // On a read-only file system a WAL database cannot be opened normally (its
  // -shm file cannot be created): opened immutable, read-only, it can still
  // be dumped, and every write is refused with the reason.
  const bool read_only_fs = exists && on_read_only_fs(url.path);
  const std::string immutable = "file:" + url.path + "?immutable=1";
  const int flags = read_only_fs ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX
                                 : SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(read_only_fs ? immutable.c_str() : url.path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return make_error("cannot open SQLite store '" + url.path + "' (" + url.display + "): " + msg +
                      (exists ? "" : " (does its directory exist and is it writable?)"));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  auto store = std::make_unique<SqliteStore>(url, db, options.busy_timeout_ms, read_only_fs);
  // journal_mode=WAL is the first statement that reads the file: a file that
  // is not a database fails here.
  const char* setup = read_only_fs ? "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; "
                                     "SELECT count(*) FROM sqlite_master;"
                                   : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                                     "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";
  char* err = nullptr;
  if (sqlite3_exec(db, setup, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    if (sqlite3_errcode(db) == SQLITE_NOTADB)
      return make_error("'" + url.path + "' (" + url.display + ") is not an SQLite database: " + msg);
    return make_error("cannot set up SQLite store '" + url.path + "' (" + url.display + "): " + msg);
  }
  return std::unique_ptr<Store>(std::move(store));
}

constexpr std::string_view kForms = "sqlite://RELATIVE/PATH, sqlite:///ABSOLUTE/PATH";

Result<StoreUrl> parse_sqlite_url(std::string_view url) {
  StoreUrl out;
  if (url.rfind("sqlite://", 0) != 0)
    return make_error("bad store URL '" + std::string(url) + "': expected " + store_url_forms());
  out.path = std::string(url.substr(9));  // after "sqlite://": "rel/x.db" or "/abs/x.db"
  out.display = std::string(url);
  if (out.path.empty() || out.path == "/")
    return make_error("bad store URL '" + out.display + "': no database file path (expected " + std::string(kForms) + ")");
  if (out.path.back() == '/')
    return make_error("bad store URL '" + out.display + "': the path names a directory, not a database file");
  if (out.path.find('?') != std::string::npos)
    return make_error("bad store URL '" + out.display +
                      "': sqlite:// URLs take no parameters (the store sets WAL, foreign keys and timeouts itself)");
  return out;
}

const bool kRegistered = register_backend(Backend{0, &sqlite_dialect(), {"sqlite"}, kForms, parse_sqlite_url, open_sqlite_store});

}  // namespace

}  // namespace metaport::store
