// Store: the small, non-template interface through which the engine reads and
// writes a store, whatever the engine behind it (SQLite file, PostgreSQL or
// MySQL/MariaDB server: one folder each under runtime/store/, backend.hpp). Tables are named by kind ("Card"), rows are Rows (row.hpp converts
// entities), local ids are int64 and never leave the instance.
//
//   auto s = open_store("sqlite://metabase.db", {.create = true});
//   s.value()->create_schema(schema);                 // or check_schema
//   s.value()->begin_write();  ... insert/update ... s.value()->commit();
//
// Every operation returns a Result/Status; messages name the store, the table
// and the entity key. Not thread-safe: one Store per thread.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "metaport/result.hpp"
#include "metaport/schema.hpp"
#include "runtime/store/dialect.hpp"
#include "runtime/store/sql_value.hpp"
#include "runtime/store/store_url.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::store {

// What mp_schema_version says the store was created for.
struct StoredSchema {
  std::string name;
  int version = 0;
  std::string fingerprint;  // layout_fingerprint() of the tables at creation
};

struct OpenOptions {
  // SQLite: create the database file if it does not exist (init). Without
  // it a missing file is an error, so a typo in a dump's URL does not
  // silently dump an empty, freshly created store.
  bool create = false;
  // SQLite: how long to wait for another writer's lock before failing.
  int busy_timeout_ms = 10000;
};

// Called once per row; a non-ok Status stops the scan and is returned.
using RowSink = std::function<Status(std::int64_t id, Row& row)>;
using KeySink = std::function<Status(std::int64_t id, Key key)>;

enum class TxState { none, write, snapshot };

class Store {
 public:
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const Dialect& dialect() const { return *url_.dialect; }
  const StoreUrl& url() const { return url_; }
  const std::string& display_url() const { return url_.display; }

  // ---- schema ---------------------------------------------------------------
  // Creates metaport's tables for `schema` in one transaction. Idempotent for
  // the same schema, version and layout; refuses a store created for another
  // schema or version (naming both) or holding mp_* tables it did not record.
  virtual Status create_schema(const SchemaInfo& schema) = 0;
  // The store was created for this schema name, version and layout. Either
  // this or create_schema must succeed before any row operation.
  virtual Status check_schema(const SchemaInfo& schema) = 0;
  // Migrations: inside the current write transaction, drop the kind tables of
  // the layout loaded by check_schema (an older version's) and create those
  // of `schema`, recording its version. Nothing is visible to others until
  // commit(); a rollback leaves the old tables and rows as they were.
  virtual Status replace_schema(const SchemaInfo& schema) = 0;
  // What the store was created for; nullopt for a store without metaport tables.
  virtual Result<std::optional<StoredSchema>> stored_schema() = 0;
  // True when no kind table holds a row (tables may exist). Works before
  // create_schema/check_schema.
  virtual Result<bool> is_empty() = 0;

  const std::vector<TableDesc>& tables() const { return tables_; }
  const TableDesc* table(std::string_view kind) const;

  // ---- transactions ---------------------------------------------------------
  // A write transaction (SQLite BEGIN IMMEDIATE: the write lock is taken now,
  // not at the first write; PostgreSQL READ COMMITTED). Every write needs one.
  virtual Status begin_write() = 0;
  // A read-only snapshot taken now: later commits by other connections are
  // not seen until commit()/rollback() (SQLite WAL read transaction;
  // PostgreSQL REPEATABLE READ, READ ONLY, DEFERRABLE).
  virtual Status begin_snapshot() = 0;
  // For a write transaction that alone fills tables which were empty when it
  // began (a load into an empty store): stop checking references row by row
  // and check every foreign key at commit with one query each instead, as
  // pg_restore does by adding its constraints after the data. Only sound
  // when every referenced row is this transaction's own (nobody else can
  // delete it meanwhile). True if the engine switched; false if it keeps
  // its per-row checks (SQLite, where they are cheap index probes; a
  // PostgreSQL role that may not set session_replication_role).
  virtual Result<bool> check_references_in_bulk() { return false; }
  // Deferred foreign keys are checked here: a dangling reference makes the
  // commit fail (naming the table, key and column) and rolls back.
  virtual Status commit() = 0;
  // No-op outside a transaction.
  virtual Status rollback() = 0;
  // The last write transaction failed because another writer's conflicting
  // commit came first (a deadlock victim; in a Galera cluster, a
  // certification failure or a transaction aborted by a replicated write):
  // it was rolled back whole, and running it again may succeed. Reset by
  // begin_write. Engines that cannot tell say false.
  virtual bool conflicted() const { return false; }
  TxState transaction() const { return tx_; }

  // ---- rows (kind = the kind's name) ----------------------------------------
  // Every row in bytewise mp_key order (the same on both engines). The sink
  // may call this Store again (lookups, other scans) on both engines.
  virtual Status scan(std::string_view kind, const RowSink& sink) = 0;
  // The same rows in the same order, for a sink that does NOT call this Store
  // (a dump's: its lookups are preloaded). PostgreSQL streams the table in
  // one COPY instead of keyset pages; SQLite's scan already streams.
  virtual Status scan_all(std::string_view kind, const RowSink& sink) { return scan(kind, sink); }
  // The rows whose reference member `member` (its on-disk name) holds
  // `target_id`, in the kind's scan order: a container's contents read
  // through the foreign key's index, not by scanning the table (a directory's
  // entries for dump --subdir). Bounded memory; the sink may call the store.
  virtual Status scan_children(std::string_view kind, std::string_view member, std::int64_t target_id,
                               const RowSink& sink) = 0;
  // (local id, key) of every row, in mp_key order; cheap (index only).
  virtual Status scan_keys(std::string_view kind, const KeySink& sink) = 0;
  virtual Result<std::optional<std::int64_t>> lookup(std::string_view kind, const Key& key) = 0;
  virtual Result<std::optional<Row>> fetch(std::string_view kind, std::int64_t id) = 0;
  virtual Result<std::int64_t> count(std::string_view kind) = 0;

  virtual Result<std::int64_t> insert(std::string_view kind, const Row& row) = 0;
  // Replaces every column of row `id`, except the columns listed in `keep`
  // (indexes into TableDesc::columns, e.g. EntityRow::redacted secrets).
  virtual Status update(std::string_view kind, std::int64_t id, const Row& row,
                        const std::vector<std::size_t>& keep = {}) = 0;
  // Sets one column (index into TableDesc::columns): patches a deferred
  // reference once its target exists (PendingRef::column).
  virtual Status update_column(std::string_view kind, std::int64_t id, std::size_t column,
                               const SqlValue& value) = 0;
  virtual Status remove(std::string_view kind, std::int64_t id) = 0;
  // Inserts many rows through the engine's fast path (one reused prepared
  // statement on SQLite, COPY on PostgreSQL); returns their local ids, in
  // order. Inside a write transaction like every write.
  virtual Result<std::vector<std::int64_t>> bulk_insert(std::string_view kind, std::span<const Row> rows) = 0;

  // Draws `n` fresh local ids for `kind`, ascending, inside a write
  // transaction. With ids known before anything is written, every reference
  // to an entity about to be created resolves at once (cycles included: the
  // foreign keys are deferred), so no reference needs patching afterwards.
  // PostgreSQL: from the table's identity sequence (ids of a rolled-back
  // transaction are not reused); SQLite: above the table's largest id, the
  // write lock keeping other writers out until commit.
  virtual Result<std::vector<std::int64_t>> reserve_ids(std::string_view kind, std::size_t n) = 0;
  // Inserts rows[i] under ids[i] (from reserve_ids) through the bulk path.
  virtual Status insert_with_ids(std::string_view kind, std::span<const std::int64_t> ids,
                                 std::span<const Row> rows) = 0;

  // ---- plain SQL, for metaport's own bookkeeping tables ----------------------
  // The git sync (runtime/sync) keeps its state in tables of its own, named
  // mp_sync__*, and guards the kind tables with triggers; it needs the same
  // connection and transaction as the rows. Statements run inside whatever
  // transaction is open (or on their own, autocommitted); parameters are
  // spelled sql_placeholder(1..n). Values come back as the engine gives them
  // (SQLite: typed; PostgreSQL: text). Not for kind rows: use the calls above.
  virtual Status sql_exec(const std::string& sql) = 0;
  virtual Result<std::vector<Row>> sql_query(const std::string& sql, const Row& params) = 0;
  virtual std::string sql_placeholder(int n) const = 0;

 protected:
  explicit Store(StoreUrl url) : url_(std::move(url)) {}

  StoreUrl url_;
  std::vector<TableDesc> tables_;  // set by create_schema / check_schema
  TxState tx_ = TxState::none;
};

// Opens (connects to) the store named by `url`, through the backend its
// scheme names. Errors: a malformed URL (see parse_store_url), a missing
// SQLite file without `create`, a file that is not an SQLite database, an
// unreachable server, wrong credentials, a missing database.
Result<std::unique_ptr<Store>> open_store(std::string_view url, const OpenOptions& options = {});

}  // namespace metaport::store
