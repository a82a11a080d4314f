// The MySQL / MariaDB backend, over MariaDB Connector/C (libmariadb). One
// connection per Store; server-side prepared statements per table and
// operation (binary protocol: doubles and integers travel exactly);
// multi-row INSERTs for bulk loads; snapshots are START TRANSACTION WITH
// CONSISTENT SNAPSHOT, READ ONLY at REPEATABLE READ. Registered for mysql://
// and mariadb:// URLs. What InnoDB lacks and how metaport makes up for it
// (deferred foreign keys, transactional DDL) is in docs/stores.md.
#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>

#include "metaport/slug.hpp"
#include "runtime/store/backend.hpp"
#include "runtime/store/mysql/dialect.hpp"
#include "runtime/store/sql_store_base.hpp"

namespace metaport::store {

namespace {

// ---- URLs -------------------------------------------------------------------

constexpr std::string_view kForms = "mysql://USER:PASSWORD@HOST:PORT/DB or mariadb://... (?socket=/path)";

struct Target {
  std::string user, password, host = "localhost", db, socket;
  unsigned port = 0;
  unsigned connect_timeout = 10;
  std::string ssl;  // "", "required", "verify"
};

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') { out += s[i]; continue; }
    if (i + 2 >= s.size()) return std::nullopt;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
    if (ec != std::errc() || p != s.data() + i + 3) return std::nullopt;
    out += static_cast<char>(v);
    i += 2;
  }
  return out;
}

// mysql://[user[:password]@][host][:port]/db[?socket=PATH&connect_timeout=N&ssl=required|verify]
Result<Target> parse_target(std::string_view url) {
  const std::string display = mask_password(url);
  auto bad = [&](const std::string& why) { return make_error("bad store URL '" + display + "': " + why); };
  const auto sep = url.find("://");
  std::string_view rest = url.substr(sep + 3), query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash + 1 == rest.size())
    return bad("no database name (expected " + std::string(kForms) + ")");
  std::string_view authority = rest.substr(0, slash), path = rest.substr(slash + 1);
  Target t;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    std::string_view user = userinfo, pw;
    bool has_pw = false;
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      pw = userinfo.substr(colon + 1);
      has_pw = true;
    }
    auto u = percent_decode(user);
    auto p = percent_decode(pw);
    if (!u || !p) return bad("a malformed %-escape in the user or password");
    t.user = *u;
    if (has_pw) t.password = *p;
  }
  std::string_view host = authority, port;
  if (!host.empty() && host.front() == '[') {  // [IPv6]:port
    auto close = host.find(']');
    if (close == std::string_view::npos) return bad("an IPv6 host without its closing ']'");
    if (close + 1 < host.size()) {
      if (host[close + 1] != ':') return bad("unexpected text after the host");
      port = host.substr(close + 2);
    }
    host = host.substr(1, close - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (!host.empty()) t.host = std::string(host);
  if (!port.empty()) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc() || p != port.data() + port.size() || v == 0 || v > 65535)
      return bad("the port '" + std::string(port) + "' is not a number from 1 to 65535");
    t.port = v;
  }
  auto db = percent_decode(path);
  if (!db || db->empty() || db->find('/') != std::string::npos) return bad("the database name '" + std::string(path) + "' is not valid");
  t.db = *db;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    auto eq = kv.find('=');
    const std::string key(kv.substr(0, eq));
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : kv.substr(eq + 1));
    if (!value) return bad("a malformed %-escape in parameter '" + key + "'");
    if (key == "socket") {
      t.socket = *value;
    } else if (key == "connect_timeout") {
      unsigned v = 0;
      auto [p, ec] = std::from_chars(value->data(), value->data() + value->size(), v);
      if (ec != std::errc() || p != value->data() + value->size()) return bad("connect_timeout must be a number of seconds");
      t.connect_timeout = v;
    } else if (key == "ssl") {
      if (*value != "required" && *value != "verify" && *value != "disabled")
        return bad("ssl must be disabled, required or verify, not '" + *value + "'");
      t.ssl = *value == "disabled" ? "" : *value;
    } else if (key == "password") {
      t.password = *value;
    } else {
      return bad("unknown parameter '" + key + "' (known: socket, connect_timeout, ssl, password)");
    }
  }
  return t;
}

Result<StoreUrl> parse_mysql_url(std::string_view url) {
  auto t = parse_target(url);
  if (!t) return t.errors();
  StoreUrl out;
  out.conninfo = std::string(url);
  out.display = mask_password(url);
  return out;
}

// ---- values -------------------------------------------------------------------

struct StmtDeleter {
  void operator()(MYSQL_STMT* s) const { mysql_stmt_close(s); }
};
using StmtPtr = std::unique_ptr<MYSQL_STMT, StmtDeleter>;

// Parameters of one execution, bound to a statement. Holds the values it
// points to (integers, doubles, lengths); text is bound in place, so the
// Rows must outlive the execution.
class Params {
 public:
  void reset(std::size_t n) {
    binds_.assign(n, MYSQL_BIND{});
    ints_.assign(n, 0);
    doubles_.assign(n, 0);
    lengths_.assign(n, 0);
    nulls_.assign(n, 0);
  }
  std::size_t size() const { return binds_.size(); }
  // Returns what is wrong with a value MySQL cannot hold, else nullopt.
  std::optional<std::string> set(std::size_t i, const SqlValue& v) {
    MYSQL_BIND& b = binds_[i];
    b = MYSQL_BIND{};
    if (v.is_null()) {
      nulls_[i] = 1;
      b.buffer_type = MYSQL_TYPE_NULL;
      b.is_null = &nulls_[i];
    } else if (v.is_int()) {
      ints_[i] = v.as_int();
      b.buffer_type = MYSQL_TYPE_LONGLONG;
      b.buffer = &ints_[i];
    } else if (v.is_double()) {
      if (!std::isfinite(v.as_double()))
        return std::string(std::isnan(v.as_double()) ? "NaN" : "infinity") + ": MySQL and MariaDB cannot store it in a DOUBLE";
      doubles_[i] = v.as_double();
      b.buffer_type = MYSQL_TYPE_DOUBLE;
      b.buffer = &doubles_[i];
    } else {
      const std::string& s = v.as_text();
      lengths_[i] = s.size();
      b.buffer_type = MYSQL_TYPE_STRING;
      b.buffer = const_cast<char*>(s.data());
      b.buffer_length = s.size();
      b.length = &lengths_[i];
    }
    return std::nullopt;
  }
  MYSQL_BIND* data() { return binds_.data(); }

 private:
  std::vector<MYSQL_BIND> binds_;
  std::vector<long long> ints_;
  std::vector<double> doubles_;
  std::vector<unsigned long> lengths_;
  std::vector<my_bool> nulls_;
};

// How to read a result column into a SqlValue.
enum class Read : std::uint8_t { integer, real, text };

Read read_of(ColumnType t) {
  switch (t) {
    case ColumnType::Bool:
    case ColumnType::Int:
    case ColumnType::Ref: return Read::integer;
    case ColumnType::Double: return Read::real;
    case ColumnType::Text:
    case ColumnType::Json: return Read::text;
  }
  return Read::text;
}

Read read_of(enum_field_types t) {
  switch (t) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR: return Read::integer;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE: return Read::real;
    default: return Read::text;
  }
}

// The output side of a statement: one bound buffer per column; text columns
// grow their buffer when a value does not fit (mysql_stmt_fetch_column).
class Results {
 public:
  Status bind(MYSQL_STMT* s, std::vector<Read> reads) {
    reads_ = std::move(reads);
    const std::size_t n = reads_.size();
    binds_.assign(n, MYSQL_BIND{});
    ints_.assign(n, 0);
    doubles_.assign(n, 0);
    lengths_.assign(n, 0);
    nulls_.assign(n, 0);
    bufs_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      MYSQL_BIND& b = binds_[i];
      b.is_null = &nulls_[i];
      b.length = &lengths_[i];
      switch (reads_[i]) {
        case Read::integer: b.buffer_type = MYSQL_TYPE_LONGLONG; b.buffer = &ints_[i]; break;
        case Read::real: b.buffer_type = MYSQL_TYPE_DOUBLE; b.buffer = &doubles_[i]; break;
        case Read::text:
          if (bufs_[i].size() < 256) bufs_[i].resize(256);
          b.buffer_type = MYSQL_TYPE_STRING;
          b.buffer = bufs_[i].data();
          b.buffer_length = bufs_[i].size();
          break;
      }
    }
    if (mysql_stmt_bind_result(s, binds_.data())) return make_error(mysql_stmt_error(s));
    return ok_status();
  }

  // mysql_stmt_fetch: 1 = a row, 0 = no more rows, -1 = an error.
  int fetch(MYSQL_STMT* s) {
    int rc = mysql_stmt_fetch(s);
    if (rc == MYSQL_NO_DATA) return 0;
    if (rc == 1) return -1;
    if (rc == MYSQL_DATA_TRUNCATED) {
      bool grown = false;
      for (std::size_t i = 0; i < reads_.size(); ++i) {
        if (reads_[i] != Read::text || nulls_[i] || lengths_[i] <= binds_[i].buffer_length) continue;
        bufs_[i].resize(lengths_[i] + lengths_[i] / 2);
        MYSQL_BIND one{};
        one.buffer_type = MYSQL_TYPE_STRING;
        one.buffer = bufs_[i].data();
        one.buffer_length = bufs_[i].size();
        unsigned long len = 0;
        one.length = &len;
        if (mysql_stmt_fetch_column(s, &one, static_cast<unsigned>(i), 0)) return -1;
        binds_[i].buffer = bufs_[i].data();
        binds_[i].buffer_length = bufs_[i].size();
        grown = true;
      }
      if (grown && mysql_stmt_bind_result(s, binds_.data())) return -1;
    }
    return 1;
  }

  // Column i of the fetched row into `v` (text reuses v's string).
  void get(std::size_t i, SqlValue& v) const {
    if (nulls_[i]) { v = SqlValue(); return; }
    switch (reads_[i]) {
      case Read::integer: v = SqlValue(static_cast<std::int64_t>(ints_[i])); return;
      case Read::real: v = SqlValue(doubles_[i]); return;
      case Read::text:
        if (v.is_text()) v.as_text().assign(bufs_[i].data(), lengths_[i]);
        else v = SqlValue(std::string(bufs_[i].data(), lengths_[i]));
        return;
    }
  }
  std::int64_t get_int(std::size_t i) const { return ints_[i]; }
  std::string_view get_text(std::size_t i) const { return std::string_view(bufs_[i].data(), lengths_[i]); }
  bool is_null(std::size_t i) const { return nulls_[i] != 0; }

 private:
  std::vector<Read> reads_;
  std::vector<MYSQL_BIND> binds_;
  std::vector<long long> ints_;
  std::vector<double> doubles_;
  std::vector<unsigned long> lengths_;
  std::vector<my_bool> nulls_;
  std::vector<std::string> bufs_;
};

std::string column_list(const TableDesc& t) {
  std::string s;
  for (std::size_t i = 0; i < t.columns.size(); ++i) s += (i ? ", " : "") + quote_ident(t.columns[i].name);
  return s;
}

std::vector<Read> row_reads(const TableDesc& t, bool with_id) {
  std::vector<Read> r;
  if (with_id) r.push_back(Read::integer);
  for (const auto& c : t.columns) r.push_back(read_of(c.type));
  return r;
}

// A name beside `table` for migrations: prefix + table, within MySQL's 64
// bytes for identifiers.
std::string side_name(std::string_view prefix, const std::string& table) {
  std::string s = std::string(prefix) + table;
  if (s.size() <= 64) return s;
  const std::string h = short_hash(s);
  return s.substr(0, 64 - h.size() - 1) + "_" + h;
}
constexpr std::string_view kNewPrefix = "mpnew_", kOldPrefix = "mpold_";

class MysqlStore final : public SqlStoreBase {
 public:
  MysqlStore(StoreUrl url, MYSQL* conn) : SqlStoreBase(std::move(url)), conn_(conn) {}
  ~MysqlStore() override {
    stmts_.clear();
    if (tx_ != TxState::none) mysql_query(conn_, "ROLLBACK");
    if (staged_) drop_staged();
    mysql_close(conn_);
  }

  // ---- transactions ----
  Status begin_write() override {
    if (tx_ != TxState::none) return make_error(url_.display + ": begin_write inside an open transaction");
    // REPEATABLE READ: reserve_ids locks the end of each table's id range
    // (a next-key lock), so no other writer can insert there before commit.
    if (auto st = exec_raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"); !st) return st;
    if (auto st = exec_raw("START TRANSACTION"); !st) return st;
    tx_ = TxState::write;
    tx_failure_.reset();
    conflicted_ = false;
    reset_marks();
    return ok_status();
  }

  Status begin_snapshot() override {
    if (tx_ != TxState::none) return make_error(url_.display + ": begin_snapshot inside an open transaction");
    if (auto st = exec_raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"); !st) return st;
    // WITH CONSISTENT SNAPSHOT takes the read view now, not at the first read.
    if (auto st = exec_raw("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"); !st) return st;
    tx_ = TxState::snapshot;
    return ok_status();
  }

  // References are always checked in bulk at commit here (InnoDB has no
  // deferred foreign keys; see commit()).
  Result<bool> check_references_in_bulk() override {
    if (tx_ != TxState::write) return make_error(url_.display + ": check_references_in_bulk outside a write transaction");
    return true;
  }

  Status commit() override {
    if (tx_ == TxState::none) return make_error(url_.display + ": commit without a transaction");
    if (tx_ == TxState::snapshot) {
      tx_ = TxState::none;
      return exec_raw("COMMIT");
    }
    if (tx_failure_) {
      std::string why = *tx_failure_;
      (void)rollback();
      return make_error(url_.display + ": the write transaction failed (" + why + ") and was rolled back");
    }
    if (Status st = check_references(); !st) {
      const std::string why = st.errors().list().front().message;
      (void)rollback();
      return make_error(why + "; commit refused, nothing was written");
    }
    if (mysql_query(conn_, "COMMIT") != 0) {
      const unsigned code = mysql_errno(conn_);
      if (code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST)
        lost_note_ = " (the connection to the server was lost during COMMIT: whether the server committed is unknown; "
                     "look at the store before loading again)";
      const std::string why = explained(code, mysql_error(conn_));
      (void)rollback();
      if (lost_note_) return make_error(url_.display + ": " + why);
      return make_error(url_.display + ": commit refused, nothing was written: " + why);
    }
    tx_ = TxState::none;
    if (staged_) return swap_staged();
    return ok_status();
  }

  bool conflicted() const override { return conflicted_; }

  Status rollback() override {
    if (tx_ == TxState::none) return ok_status();
    tx_ = TxState::none;
    tx_failure_.reset();
    Status st = exec_raw("ROLLBACK");
    if (staged_) {
      drop_staged();
      tables_ = std::move(old_tables_);
      on_tables_changed();
    }
    return st;
  }

  // ---- schema ----
  // InnoDB commits around every DDL statement, so the new tables cannot be
  // made in the migration's transaction. They are made beside the old ones
  // (mpnew_*), filled in the transaction, and swapped in after its commit by
  // one RENAME TABLE of every table, which is atomic: until then the old
  // tables are untouched, and a failure or a kill leaves them as they were.
  Status replace_schema(const SchemaInfo& schema) override {
    if (tx_ != TxState::write) return make_error(url_.display + ": replace_schema needs a write transaction");
    if (tables_.empty()) return make_error(url_.display + ": replace_schema needs the old layout (check_schema) first");
    if (staged_) return make_error(url_.display + ": replace_schema twice in one transaction");
    auto tables = tables_for(schema);
    if (!tables) return tables.errors();
    std::vector<TableDesc> staged = *tables;
    for (auto& t : staged) {
      t.table = side_name(kNewPrefix, t.table);
      for (auto& c : t.columns)
        if (!c.ref_table.empty()) c.ref_table = side_name(kNewPrefix, c.ref_table);
    }
    // The DDL below commits: this transaction has only read so far (the
    // backup); a new one takes over for the rows.
    tx_ = TxState::none;
    auto failed = [&](Status st) {
      drop_staged_tables(staged);
      (void)exec_raw("ROLLBACK");
      return st;
    };
    if (auto st = drop_leftovers(); !st) return failed(st);
    std::vector<sql::Statement> ddl;
    for (const auto& t : staged)
      for (auto& s : table_statements(t)) ddl.push_back(std::move(s));
    for (const auto& t : staged)
      for (auto& s : foreign_key_statements(t)) ddl.push_back(std::move(s));
    for (const auto& sql : to_sql(ddl, dialect()))
      if (auto st = exec_raw(sql); !st) return failed(st);
    const std::string version = side_name(kNewPrefix, "mp_schema_version");
    if (auto st = exec_raw("CREATE TABLE " + quote_ident(version) + " LIKE \"mp_schema_version\""); !st) return failed(st);
    if (auto st = exec_raw("START TRANSACTION"); !st) return failed(st);
    auto copy = query("INSERT INTO " + quote_ident(version) + " (\"schema\", \"version\", \"lock_fingerprint\") VALUES (?, ?, ?)",
                      Row{SqlValue(schema.name), SqlValue(std::int64_t{schema.version}), SqlValue(layout_fingerprint(*tables))});
    if (!copy) return failed(copy.errors());
    tx_ = TxState::write;
    staged_schema_ = StoredSchema{schema.name, schema.version, layout_fingerprint(*tables)};
    old_tables_ = std::move(tables_);
    final_tables_ = std::move(*tables);
    tables_ = std::move(staged);
    staged_ = true;
    on_tables_changed();
    reset_marks();
    return ok_status();
  }

  // Inside a migration the store already answers for the new version (the
  // load into the new tables checks it), without leaving those tables.
  Status check_schema(const SchemaInfo& schema) override {
    if (!staged_) return SqlStoreBase::check_schema(schema);
    auto tables = tables_for(schema);
    if (!tables) return tables.errors();
    if (schema.name != staged_schema_.name || schema.version != staged_schema_.version ||
        layout_fingerprint(*tables) != staged_schema_.fingerprint)
      return make_error(url_.display + ": a migration to " + staged_schema_.name + " version " +
                        std::to_string(staged_schema_.version) + " is in progress in this transaction");
    return ok_status();
  }
  Result<std::optional<StoredSchema>> stored_schema() override {
    if (staged_) return std::optional<StoredSchema>(staged_schema_);
    return SqlStoreBase::stored_schema();
  }

  // ---- reads ----
  Status scan(std::string_view kind, const RowSink& sink) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    const std::string cols = "\"mp_id\", " + column_list(t);
    return scan_rows(t, "scan", {}, {}, sink);
  }

  // Keyset pages on the reference column's index: the sink may call the store.
  Status scan_children(std::string_view kind, std::string_view member, std::int64_t target_id,
                       const RowSink& sink) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    const std::size_t c = t.member_column(member);
    if (c == TableDesc::npos || t.columns[c].type != ColumnType::Ref)
      return fail(error_at(t, "scan", "", "'" + std::string(member) + "' is not a reference member"));
    return scan_rows(t, "children_" + std::to_string(c), quote_ident(t.columns[c].name), SqlValue(target_id), sink);
  }

  // One statement streamed to the end (unbuffered): the server sends rows
  // while the sink consumes them. The connection is busy meanwhile, hence
  // scan_all's contract (the sink does not call the store).
  Status scan_all(std::string_view kind, const RowSink& sink) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    auto s = stmt(t, "scan_all", [&] {
      return "SELECT \"mp_id\", " + column_list(t) + " FROM " + quote_ident(t.table) + " ORDER BY " + std::string(t.order_column());
    });
    if (!s) return s.errors();
    if (mysql_stmt_execute(*s)) return fail(error_at(t, "scan", "", stmt_error(*s)));
    Results r;
    if (auto st = r.bind(*s, row_reads(t, true)); !st) return fail(error_at(t, "scan", "", st.errors().to_string()));
    Row row(t.columns.size());
    std::optional<Status> stop;
    for (;;) {
      const int got = r.fetch(*s);
      if (got == 0) break;
      if (got < 0) { stop = fail(error_at(t, "scan", "", stmt_error(*s))); break; }
      for (std::size_t i = 0; i < row.size(); ++i) r.get(i + 1, row[i]);
      if (Status st = sink(r.get_int(0), row); !st) { stop = st; break; }
    }
    mysql_stmt_free_result(*s);
    mysql_stmt_reset(*s);
    return stop ? *stop : ok_status();
  }

  Status scan_keys(std::string_view kind, const KeySink& sink) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    std::vector<std::pair<std::int64_t, SqlValue>> page;
    return paged(t, "keys", "\"mp_id\", \"mp_key\"", {Read::integer, Read::text}, kKeyBatch, page,
                 [&](const Results& r, std::pair<std::int64_t, SqlValue>& out) {
                   out.first = r.get_int(0);
                   r.get(1, out.second);
                 },
                 [&](std::pair<std::int64_t, SqlValue>& row) -> Status {
                   const std::string& text = row.second.as_text();
                   auto key = key_from_text(text, t.key_single);
                   if (!key) return error_at(t, "scan keys of", text, "mp_key is not a well-formed key");
                   return sink(row.first, std::move(*key));
                 },
                 [&](const std::pair<std::int64_t, SqlValue>& row) {
                   return t.key_is_id ? SqlValue(row.first) : row.second;
                 });
  }

  Result<std::optional<std::int64_t>> lookup(std::string_view kind, const Key& key) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    const std::string text = key_text(key, t.key_single);
    if (text.size() > kMysqlMaxKeyBytes) return std::optional<std::int64_t>{};  // cannot be stored
    auto s = stmt(t, "lookup", [&] { return "SELECT \"mp_id\" FROM " + quote_ident(t.table) + " WHERE \"mp_key\" = ?"; });
    if (!s) return s.errors();
    std::optional<std::int64_t> out;
    auto st = run(*s, Row{SqlValue(text)}, {Read::integer}, [&](const Results& r) {
      out = r.get_int(0);
      return ok_status();
    });
    if (!st) return fail(error_at(t, "look up", text, st.errors().to_string())).errors();
    return out;
  }

  Result<std::optional<Row>> fetch(std::string_view kind, std::int64_t id) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    auto s = stmt(t, "fetch", [&] {
      return "SELECT " + column_list(t) + " FROM " + quote_ident(t.table) + " WHERE \"mp_id\" = ?";
    });
    if (!s) return s.errors();
    std::optional<Row> out;
    auto st = run(*s, Row{SqlValue(id)}, row_reads(t, false), [&](const Results& r) {
      Row row(t.columns.size());
      for (std::size_t i = 0; i < row.size(); ++i) r.get(i, row[i]);
      out = std::move(row);
      return ok_status();
    });
    if (!st) return fail(error_at(t, "fetch", "#" + std::to_string(id), st.errors().to_string())).errors();
    return out;
  }

  Result<std::int64_t> count(std::string_view kind) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    auto s = stmt(t, "count", [&] { return "SELECT COUNT(*) FROM " + quote_ident(t.table); });
    if (!s) return s.errors();
    std::int64_t n = 0;
    auto st = run(*s, {}, {Read::integer}, [&](const Results& r) {
      n = r.get_int(0);
      return ok_status();
    });
    if (!st) return fail(error_at(t, "count", "", st.errors().to_string())).errors();
    return n;
  }

  // ---- writes ----
  // Every insert takes its id from the same per-transaction counter as
  // reserve_ids (as on SQLite), so an id handed out earlier can never be
  // taken by a row inserted without one.
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
    Marks& m = marks_[index(t)];
    if (m.next_id == 0) {
      // The largest id, read with a locking read: under REPEATABLE READ it
      // locks the end of the index too, so no other writer inserts above it
      // before this transaction ends (a concurrent writer waits; in a Galera
      // cluster a writer on another node that takes the same ids loses at
      // certification and is rolled back whole).
      auto s = stmt(t, "max_id", [&] {
        return "SELECT \"mp_id\" FROM " + quote_ident(t.table) + " ORDER BY \"mp_id\" DESC LIMIT 1 FOR UPDATE";
      });
      if (!s) return s.errors();
      std::int64_t max = 0;
      auto st = run(*s, {}, {Read::integer}, [&](const Results& r) {
        max = r.get_int(0);
        return ok_status();
      });
      if (!st) return fail(error_at(t, "reserve ids in", "", st.errors().to_string())).errors();
      m.next_id = max + 1;
      m.first_new = m.next_id;
    }
    std::vector<std::int64_t> ids(n);
    for (auto& id : ids) id = m.next_id++;
    return ids;
  }

  // Multi-row INSERTs with parameters: up to kInsertRows rows or about
  // kInsertBytes per statement (see docs/stores.md for what was measured).
  Status insert_with_ids(std::string_view kind, std::span<const std::int64_t> ids, std::span<const Row> rows) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    if (auto st = check_writable("insert into", t); !st) return st;
    if (ids.size() != rows.size())
      return fail(error_at(t, "insert into", "", std::to_string(ids.size()) + " ids for " + std::to_string(rows.size()) + " rows"));
    const std::size_t ncols = t.columns.size() + 1;
    const std::size_t max_rows = std::min<std::size_t>(kInsertRows, 65535 / ncols);
    std::size_t start = 0;
    while (start < rows.size()) {
      std::size_t end = start, bytes = 0;
      while (end < rows.size() && end - start < max_rows && (bytes < kInsertBytes || end == start)) {
        const Row& row = rows[end];
        if (row.size() != t.columns.size()) return fail(row_size_error(t, row));
        for (const auto& v : row)
          bytes += v.is_text() ? v.as_text().size() + 4 : 9;
        ++end;
      }
      if (auto st = insert_batch(t, ids.subspan(start, end - start), rows.subspan(start, end - start)); !st) return st;
      start = end;
    }
    return ok_status();
  }

  Status update(std::string_view kind, std::int64_t id, const Row& row, const std::vector<std::size_t>& keep) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    if (auto st = check_writable("update", t); !st) return st;
    if (row.size() != t.columns.size()) return fail(row_size_error(t, row));
    std::string op = "update";
    for (std::size_t k : keep) op += "_" + std::to_string(k);
    const std::int64_t kept_bits = redacted_mask(t, keep);  // kept secrets keep their bits
    auto s = stmt(t, op, [&] {
      std::string sql = "UPDATE " + quote_ident(t.table) + " SET ";
      bool first = true;
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (std::find(keep.begin(), keep.end(), i) != keep.end()) continue;
        const std::string col = quote_ident(t.columns[i].name);
        sql += (first ? "" : ", ") + col + " = ";
        sql += i == TableDesc::kRedacted && kept_bits ? "(" + col + " & " + std::to_string(kept_bits) + ") | ?" : "?";
        first = false;
      }
      return sql + " WHERE \"mp_id\" = ?";
    });
    if (!s) return s.errors();
    Row values;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (std::find(keep.begin(), keep.end(), i) != keep.end()) continue;
      if (i == TableDesc::kRedacted && kept_bits && row[i].is_int()) values.push_back(SqlValue(row[i].as_int() & ~kept_bits));
      else values.push_back(row[i]);
    }
    values.push_back(SqlValue(id));
    auto changed = execute(*s, values);
    if (!changed) return fail(write_error(t, "update", key_of_row(row), changed.errors().to_string()));
    if (*changed != 1) return fail(error_at(t, "update", key_of_row(row), "no row with local id " + std::to_string(id)));
    marks_[index(t)].updated = true;
    return ok_status();
  }

  Status update_column(std::string_view kind, std::int64_t id, std::size_t column, const SqlValue& value) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    if (auto st = check_writable("update", t); !st) return st;
    const std::string at = "#" + std::to_string(id);
    if (column >= t.columns.size()) return fail(error_at(t, "update", at, "no column #" + std::to_string(column)));
    auto s = stmt(t, "set_" + std::to_string(column), [&] {
      return "UPDATE " + quote_ident(t.table) + " SET " + quote_ident(t.columns[column].name) + " = ? WHERE \"mp_id\" = ?";
    });
    if (!s) return s.errors();
    auto changed = execute(*s, Row{value, SqlValue(id)});
    if (!changed) return fail(error_at(t, "update", at, t.columns[column].name + ": " + changed.errors().to_string()));
    if (*changed != 1) return fail(error_at(t, "update", at, "no row with local id " + std::to_string(id)));
    marks_[index(t)].updated = true;
    return ok_status();
  }

  Status remove(std::string_view kind, std::int64_t id) override {
    auto tr = find_table(kind);
    if (!tr) return tr.errors();
    const TableDesc& t = **tr;
    if (auto st = check_writable("delete from", t); !st) return st;
    const std::string at = "#" + std::to_string(id);
    auto s = stmt(t, "remove", [&] { return "DELETE FROM " + quote_ident(t.table) + " WHERE \"mp_id\" = ?"; });
    if (!s) return s.errors();
    auto changed = execute(*s, Row{SqlValue(id)});
    if (!changed) return fail(error_at(t, "delete from", at, changed.errors().to_string()));
    if (*changed != 1) return fail(error_at(t, "delete from", at, "no row with local id " + std::to_string(id)));
    marks_[index(t)].deleted = true;
    return ok_status();
  }

 protected:
  Status exec(const std::string& sql) override {
    if (auto st = exec_raw(sql); !st) return fail(st.errors().list().front());
    return ok_status();
  }

  Result<std::vector<Row>> query(const std::string& sql, const Row& params) override {
    StmtPtr s(mysql_stmt_init(conn_));
    if (!s) return make_error(url_.display + ": out of memory");
    if (mysql_stmt_prepare(s.get(), sql.data(), sql.size()))
      return fail(make_error(url_.display + ": " + mysql_stmt_error(s.get()) + " in: " + first_line(sql))).errors();
    std::vector<Read> reads;
    if (MYSQL_RES* meta = mysql_stmt_result_metadata(s.get())) {
      for (unsigned i = 0; i < mysql_num_fields(meta); ++i) reads.push_back(read_of(mysql_fetch_field_direct(meta, i)->type));
      mysql_free_result(meta);
    }
    std::vector<Row> out;
    auto st = run(s.get(), params, reads, [&](const Results& r) {
      Row row(reads.size());
      for (std::size_t i = 0; i < row.size(); ++i) r.get(i, row[i]);
      out.push_back(std::move(row));
      return ok_status();
    });
    if (!st) return fail(make_error(url_.display + ": " + st.errors().to_string() + " in: " + first_line(sql))).errors();
    return out;
  }

  std::string placeholder(int) const override { return "?"; }

  Result<std::vector<std::string>> list_tables() override {
    auto rows = query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' "
        "ORDER BY table_name",
        {});
    if (!rows) return rows.errors();
    std::vector<std::string> out;
    for (auto& r : *rows)
      if (r[0].is_text()) out.push_back(std::move(r[0].as_text()));
    return out;
  }

  void on_tables_changed() override {
    stmts_.clear();
    marks_.assign(tables_.size(), Marks{});
  }

 private:
  // What this write transaction did to each table, for the reference checks
  // at commit and the id counter.
  struct Marks {
    std::int64_t next_id = 0;    // the next id to hand out (0: not yet read)
    std::int64_t first_new = 0;  // every row inserted by this transaction has an id >= this (0: none)
    bool updated = false;        // a row was updated (its references may have changed)
    bool deleted = false;        // a row was deleted (references to it may dangle)
  };
  static constexpr int kScanBatch = 2000, kKeyBatch = 100000;
  static constexpr std::size_t kInsertRows = 1000, kInsertBytes = 4u << 20;

  std::size_t index(const TableDesc& t) const { return static_cast<std::size_t>(&t - tables_.data()); }
  void reset_marks() { marks_.assign(tables_.size(), Marks{}); }

  // What an error message quotes of a statement (a multi-row INSERT is long).
  static std::string first_line(const std::string& sql) {
    std::string line = sql.substr(0, sql.find('\n'));
    if (line.size() > 200) line = line.substr(0, 200) + "...";
    return line;
  }

  Status exec_raw(const std::string& sql) {
    if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) {
      return make_error(url_.display + ": " + explained(mysql_errno(conn_), mysql_error(conn_)) + " in: " + first_line(sql));
    }
    // Statements that return rows (none expected) are read and dropped.
    do {
      if (MYSQL_RES* r = mysql_store_result(conn_)) mysql_free_result(r);
    } while (mysql_next_result(conn_) == 0);
    return ok_status();
  }

  template <class MakeSql>
  Result<MYSQL_STMT*> stmt(const TableDesc& t, const std::string& op, MakeSql&& make_sql) {
    auto& cached = stmts_[std::to_string(index(t)) + ":" + op];
    if (cached) return cached.get();
    const std::string sql = make_sql();
    StmtPtr s(mysql_stmt_init(conn_));
    if (!s) return make_error(url_.display + ": out of memory");
    if (mysql_stmt_prepare(s.get(), sql.data(), sql.size()))
      return fail(error_at(t, "prepare", "", explained(mysql_stmt_errno(s.get()), mysql_stmt_error(s.get())) + " in: " +
                                                 first_line(sql))).errors();
    cached = std::move(s);
    return cached.get();
  }

  // Executes with parameters; each result row (buffered first, so the
  // callback may use the connection) goes to on_row.
  template <class OnRow>
  Status run(MYSQL_STMT* s, const Row& params, const std::vector<Read>& reads, OnRow&& on_row) {
    Params p;
    p.reset(params.size());
    for (std::size_t i = 0; i < params.size(); ++i)
      if (auto why = p.set(i, params[i])) return make_error(*why);
    if (params.size() && mysql_stmt_bind_param(s, p.data())) return make_error(mysql_stmt_error(s));
    if (mysql_stmt_execute(s)) return make_error(stmt_error(s));
    Status out = ok_status();
    if (!reads.empty()) {
      Results r;
      if (auto st = r.bind(s, reads); !st) return st;
      // A locking read (FOR UPDATE) learns that it lost a conflict here, when
      // the rows come, not at execute: explained() too, so the load retries.
      if (mysql_stmt_store_result(s)) return make_error(stmt_error(s));
      for (;;) {
        const int got = r.fetch(s);
        if (got == 0) break;
        if (got < 0) { out = make_error(stmt_error(s)); break; }
        if (Status st = on_row(r); !st) { out = st; break; }
      }
      mysql_stmt_free_result(s);
    }
    return out;
  }

  // Executes a statement without results; the number of rows it matched.
  Result<std::uint64_t> execute(MYSQL_STMT* s, const Row& params) {
    Params p;
    p.reset(params.size());
    for (std::size_t i = 0; i < params.size(); ++i)
      if (auto why = p.set(i, params[i])) return make_error(*why);
    if (mysql_stmt_bind_param(s, p.data())) return make_error(mysql_stmt_error(s));
    if (mysql_stmt_execute(s)) {
      last_errno_ = mysql_stmt_errno(s);
      return make_error(stmt_error(s));
    }
    return static_cast<std::uint64_t>(mysql_stmt_affected_rows(s));
  }

  // Rows in scan order (all of them, or those whose `where_column` holds
  // `where_value`), by keyset pages.
  Status scan_rows(const TableDesc& t, const std::string& op, const std::string& where_column, SqlValue where_value,
                   const RowSink& sink) {
    const std::string cols = "\"mp_id\", " + column_list(t);
    std::vector<std::pair<std::int64_t, Row>> page;
    return paged(
        t, op, cols, row_reads(t, true), kScanBatch, page,
        [&](const Results& r, std::pair<std::int64_t, Row>& out) {
          out.first = r.get_int(0);
          out.second.resize(t.columns.size());
          for (std::size_t i = 0; i < t.columns.size(); ++i) r.get(i + 1, out.second[i]);
        },
        [&](std::pair<std::int64_t, Row>& row) { return sink(row.first, row.second); },
        [&](const std::pair<std::int64_t, Row>& row) {
          return t.key_is_id ? SqlValue(row.first) : row.second[TableDesc::kKey];
        },
        where_column, std::move(where_value));
  }

  // Keyset pages in the table's order (mp_key, or mp_id for integer keys):
  // each page read whole, then handed to the sink with the connection free
  // (the sink may call the store). `where_column = where_value` narrows it.
  template <class Item, class Fill, class Each, class KeyOf>
  Status paged(const TableDesc& t, const std::string& op, const std::string& cols, std::vector<Read> reads, int batch,
               std::vector<Item>& page, Fill&& fill, Each&& each, KeyOf&& key_of,
               const std::string& where_column = {}, SqlValue where_value = {}) {
    const std::string order(t.order_column());
    const std::string limit = " ORDER BY " + order + " LIMIT " + std::to_string(batch);
    const std::string head = "SELECT " + cols + " FROM " + quote_ident(t.table) + " WHERE " +
                             (where_column.empty() ? std::string("TRUE") : where_column + " = ?");
    auto first = stmt(t, op + "_first", [&] { return head + limit; });
    if (!first) return first.errors();
    auto next = stmt(t, op + "_next", [&] { return head + " AND " + order + " > ?" + limit; });
    if (!next) return next.errors();
    SqlValue last;
    for (bool start = true;; start = false) {
      std::size_t n = 0;
      Row params;
      if (!where_column.empty()) params.push_back(where_value);
      if (!start) params.push_back(last);
      // A sink that scans the same kind again runs these statements while
      // this loop is between pages: each page is read to the end first.
      auto st = run(start ? *first : *next, params, reads, [&](const Results& r) {
        if (page.size() <= n) page.emplace_back();
        fill(r, page[n++]);
        return ok_status();
      });
      if (!st) return fail(error_at(t, op == "keys" ? "scan keys of" : "scan", "", st.errors().to_string()));
      if (n == 0) return ok_status();
      last = key_of(page[n - 1]);
      for (std::size_t i = 0; i < n; ++i)
        if (Status s = each(page[i]); !s) return s;
      if (n < static_cast<std::size_t>(batch)) return ok_status();
    }
  }

  Status insert_batch(const TableDesc& t, std::span<const std::int64_t> ids, std::span<const Row> rows) {
    const std::size_t ncols = t.columns.size() + 1, n = rows.size();
    auto s = stmt(t, "insert_" + std::to_string(n), [&] {
      std::string one = "(?";
      for (std::size_t i = 1; i < ncols; ++i) one += ", ?";
      one += ")";
      std::string sql = "INSERT INTO " + quote_ident(t.table) + " (\"mp_id\", " + column_list(t) + ") VALUES " + one;
      for (std::size_t r = 1; r < n; ++r) sql += ", " + one;
      return sql;
    });
    if (!s) return s.errors();
    Params p;
    p.reset(ncols * n);
    std::vector<SqlValue> idv(ids.begin(), ids.end());
    for (std::size_t r = 0; r < n; ++r) {
      const Row& row = rows[r];
      const std::string& key = row[TableDesc::kKey].is_text() ? row[TableDesc::kKey].as_text() : std::string();
      if (key.size() > kMysqlMaxKeyBytes)
        return fail(error_at(t, "insert into", key.substr(0, 80) + "...",
                             "the key is " + std::to_string(key.size()) + " bytes; MySQL indexes at most " +
                                 std::to_string(kMysqlMaxKeyBytes)));
      (void)p.set(r * ncols, idv[r]);
      for (std::size_t c = 0; c < row.size(); ++c)
        if (auto why = p.set(r * ncols + c + 1, row[c]))
          return fail(error_at(t, "insert into", key_of_row(row), t.columns[c].name + ": " + *why));
    }
    if (mysql_stmt_bind_param(*s, p.data())) return fail(error_at(t, "insert into", "", mysql_stmt_error(*s)));
    if (mysql_stmt_execute(*s)) {
      const std::string why = stmt_error(*s);
      std::string key;
      // "Duplicate entry 'KEY' for key 'mp_key'": the key is in the message;
      // "... at row N": the row of this statement.
      if (auto at = why.find(" at row "); at != std::string::npos) {
        const std::size_t r = std::strtoul(why.c_str() + at + 8, nullptr, 10);
        if (r >= 1 && r <= n) key = key_of_row(rows[r - 1]);
      }
      if (mysql_stmt_errno(*s) == ER_DUP_ENTRY && why.find("mp_key") != std::string::npos) {
        auto q1 = why.find('\''), q2 = why.find("' for key");
        if (q1 != std::string::npos && q2 != std::string::npos && q2 > q1) key = why.substr(q1 + 1, q2 - q1 - 1);
        return fail(error_at(t, "insert into", key, "an entity with this key is already stored (" + why + ")"));
      }
      return fail(error_at(t, "insert into", key, why));
    }
    Marks& m = marks_[index(t)];
    for (std::int64_t id : ids)
      if (m.first_new == 0 || id < m.first_new) m.first_new = id;
    return ok_status();
  }

  Error write_error(const TableDesc& t, std::string_view op, const std::string& key, const std::string& why) const {
    if (last_errno_ == ER_DUP_ENTRY && why.find("mp_key") != std::string::npos)
      return error_at(t, op, key, "an entity with this key is already stored (" + why + ")");
    return error_at(t, op, key, why);
  }

  Error row_size_error(const TableDesc& t, const Row& row) const {
    return error_at(t, "write", key_of_row(row),
                    "a row of " + std::to_string(row.size()) + " values for " + std::to_string(t.columns.size()) +
                        " columns");
  }

  // The deferred foreign-key check InnoDB does not have: every reference
  // this transaction may have broken, one anti-join per foreign-key column,
  // limited to the rows it inserted when it only inserted into that table,
  // and whole when it updated the table or deleted from the target. The
  // first dangling rows are named by key, column and missing id.
  Status check_references() {
    std::string problems;
    int found = 0;
    for (std::size_t ti = 0; ti < tables_.size(); ++ti) {
      const TableDesc& t = tables_[ti];
      const Marks& m = marks_[ti];
      for (const Column& c : t.columns) {
        if (c.type != ColumnType::Ref) continue;
        const TableDesc* target = nullptr;
        for (const auto& x : tables_)
          if (x.table == c.ref_table) target = &x;
        const bool target_deleted = target && marks_[index(*target)].deleted;
        if (!m.updated && !target_deleted && m.first_new == 0) continue;
        std::string sql = "SELECT ch.\"mp_key\", ch." + quote_ident(c.name) + " FROM " + quote_ident(t.table) + " ch WHERE ch." +
                          quote_ident(c.name) + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + quote_ident(c.ref_table) +
                          " p WHERE p.\"mp_id\" = ch." + quote_ident(c.name) + ")";
        Row params;
        if (!m.updated && !target_deleted) {
          sql += " AND ch.\"mp_id\" >= ?";
          params.push_back(SqlValue(m.first_new));
        }
        auto rows = query(sql + " LIMIT 5", params);
        if (!rows) return make_error(url_.display + ": checking references: " + rows.errors().to_string());
        for (const Row& r : *rows) {
          problems += std::string(problems.empty() ? "" : "; ") + t.table + " '" + (r[0].is_text() ? r[0].as_text() : "?") +
                      "' column " + c.name + " refers to " + c.ref_table + " id " + r[1].debug_string() +
                      ", which does not exist";
          ++found;
        }
      }
    }
    if (found) return make_error(url_.display + ": dangling references: " + problems);
    return ok_status();
  }

  // ---- migrations (replace_schema) ----
  // Tables left by a migration that was interrupted before its swap.
  Status drop_leftovers() {
    auto names = list_tables();
    if (!names) return names.errors();
    for (const auto& n : *names)
      if (n.rfind(kNewPrefix, 0) == 0 || n.rfind(kOldPrefix, 0) == 0)
        if (auto st = exec_raw("DROP TABLE " + quote_ident(n)); !st) return st;
    return ok_status();
  }

  void drop_staged_tables(const std::vector<TableDesc>& staged) {
    for (auto it = staged.rbegin(); it != staged.rend(); ++it) (void)exec_raw("DROP TABLE IF EXISTS " + quote_ident(it->table));
    (void)exec_raw("DROP TABLE IF EXISTS " + quote_ident(side_name(kNewPrefix, "mp_schema_version")));
  }
  void drop_staged() {
    drop_staged_tables(tables_);
    staged_ = false;
  }

  // After the commit: the new tables take the old ones' names, all in one
  // atomic RENAME TABLE; then the old tables go.
  Status swap_staged() {
    staged_ = false;
    stmts_.clear();
    std::string rename = "RENAME TABLE ";
    bool first = true;
    auto add = [&](const std::string& from, const std::string& to) {
      rename += (first ? "" : ", ") + quote_ident(from) + " TO " + quote_ident(to);
      first = false;
    };
    for (const auto& t : old_tables_) add(t.table, side_name(kOldPrefix, t.table));
    add("mp_schema_version", side_name(kOldPrefix, "mp_schema_version"));
    for (std::size_t i = 0; i < final_tables_.size(); ++i) add(tables_[i].table, final_tables_[i].table);
    add(side_name(kNewPrefix, "mp_schema_version"), "mp_schema_version");
    if (auto st = exec_raw(rename); !st) {
      drop_staged_tables(tables_);
      tables_ = std::move(old_tables_);
      on_tables_changed();
      return make_error(st.errors().list().front().message + "; the new tables were not swapped in: the store is unchanged");
    }
    tables_ = std::move(final_tables_);
    on_tables_changed();
    // The old tables are out of use now; a failure to drop them is only
    // space, and the next migration drops what is left.
    for (const auto& t : old_tables_) (void)exec_raw("DROP TABLE IF EXISTS " + quote_ident(side_name(kOldPrefix, t.table)));
    (void)exec_raw("DROP TABLE IF EXISTS " + quote_ident(side_name(kOldPrefix, "mp_schema_version")));
    old_tables_.clear();
    return ok_status();
  }

  std::string stmt_error(MYSQL_STMT* s) { return explained(mysql_stmt_errno(s), mysql_stmt_error(s)); }
  // The server's message, and what it means for the transaction.
  //
  // ER_LOCK_DEADLOCK is what InnoDB says to a deadlock's victim and what
  // Galera says to a transaction that failed certification at COMMIT or
  // was aborted by a replicated write of another node ("brute force"
  // abort, reported by the next statement, whichever it is): the
  // transaction is rolled back whole, and running it again may succeed
  // (conflicted()).
  //
  // A lost connection (the server or its node died, a network cut) ends the
  // session: the server rolls back the write transaction it had open, unless
  // it was lost during COMMIT. Every later error of this store (the caller
  // may go on, and its last error is the one a person reads) says which.
  std::string explained(unsigned code, std::string why) {
    if (code == ER_LOCK_DEADLOCK) {
      conflicted_ = true;
      return why + " (another writer's conflicting commit came first; in a Galera cluster, a certification "
                   "conflict: this transaction was rolled back whole)";
    }
    if (code != CR_SERVER_GONE_ERROR && code != CR_SERVER_LOST) return why;
    if (!lost_note_ && tx_ == TxState::write)
      lost_note_ = " (the connection to the server was lost during a write transaction: the server rolls it back, "
                   "nothing of it was written)";
    return why + lost_note_.value_or("");
  }
  MYSQL* conn_;
  bool conflicted_ = false;
  std::optional<std::string> lost_note_;  // explained()
  std::map<std::string, StmtPtr> stmts_;  // by "table index:operation"
  std::vector<Marks> marks_;              // parallel to tables_
  unsigned last_errno_ = 0;
  // A migration in progress: tables_ are the mpnew_* tables being filled.
  bool staged_ = false;
  StoredSchema staged_schema_;
  std::vector<TableDesc> old_tables_, final_tables_;
};

Result<std::unique_ptr<Store>> open_mysql_store(StoreUrl url, const OpenOptions&) {
  auto t = parse_target(url.conninfo);
  if (!t) return t.errors();
  MYSQL* conn = mysql_init(nullptr);
  if (!conn) return make_error("cannot connect to MySQL store " + url.display + ": out of memory");
  mysql_optionsv(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  unsigned timeout = t->connect_timeout;
  mysql_optionsv(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  if (!t->ssl.empty()) {
    my_bool on = 1;
    mysql_optionsv(conn, MYSQL_OPT_SSL_ENFORCE, &on);
    if (t->ssl == "verify") mysql_optionsv(conn, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
  }
  // CLIENT_FOUND_ROWS: an UPDATE reports the rows it matched, not only
  // those whose values changed (rewriting a row as it was is still a hit).
  if (!mysql_real_connect(conn, t->host.c_str(), t->user.empty() ? nullptr : t->user.c_str(),
                          t->password.empty() ? nullptr : t->password.c_str(), t->db.c_str(), t->port,
                          t->socket.empty() ? nullptr : t->socket.c_str(), CLIENT_FOUND_ROWS)) {
    // The server's or the connector's own words: the socket or host that
    // refused, "Access denied for user ...", "Unknown database ...".
    std::string msg = mysql_error(conn);
    mysql_close(conn);
    return make_error("cannot connect to MySQL store " + url.display + ": " + msg);
  }
  auto store = std::make_unique<MysqlStore>(url, conn);
  // ANSI_QUOTES: "identifiers" as in standard SQL (the shared store code
  // and the other engines spell them so). STRICT_ALL_TABLES: a value that
  // does not fit is an error, never silently truncated.
  // NO_AUTO_VALUE_ON_ZERO: an explicit id is kept as given.
  // foreign_key_checks = 0: InnoDB checks references row by row, at once,
  // so cycles and references to rows inserted later would fail; metaport
  // checks what each transaction wrote at its commit instead (commit()).
  const char* setup =
      "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,ANSI_QUOTES,NO_AUTO_VALUE_ON_ZERO,"
      "ERROR_FOR_DIVISION_BY_ZERO', SESSION foreign_key_checks = 0, SESSION autocommit = 1";
  if (mysql_query(conn, setup) != 0)
    return make_error("cannot set up MySQL store " + url.display + ": " + mysql_error(conn));
  // A Galera node applies other nodes' commits a little after they are
  // certified: a dump through node 3 right after a load through node 1
  // could miss its end. wsrep_sync_wait = 1 makes reads (and the start of
  // a snapshot) wait until this node has applied every commit the cluster
  // made before them: causal reads, as on one server.
  if (mysql_query(conn, "SELECT @@global.wsrep_on") == 0) {
    bool galera = false;
    if (MYSQL_RES* r = mysql_store_result(conn)) {
      if (MYSQL_ROW row = mysql_fetch_row(r); row && row[0]) galera = std::string_view(row[0]) == "1";
      mysql_free_result(r);
    }
    if (galera && mysql_query(conn, "SET SESSION wsrep_sync_wait = 1") != 0)
      return make_error("cannot set up MySQL store " + url.display + " (a Galera node): " + mysql_error(conn));
  }
  return std::unique_ptr<Store>(std::move(store));
}

const bool kRegistered = register_backend(Backend{2, &mysql_dialect(), {"mysql", "mariadb"}, kForms, parse_mysql_url,
                                                  open_mysql_store});

}  // namespace

}  // namespace metaport::store
