// SqlStoreBase: what both backends share, written once over a few SQL
// primitives: schema creation and checks against mp_schema_version, the
// emptiness test, table lookup by kind, and the transaction bookkeeping
// (a write that fails poisons the transaction on both engines alike, so the
// engine sees the same semantics on SQLite, where a failed statement leaves
// the transaction usable, and on PostgreSQL, where it aborts it).
// Internal to runtime/store.
#pragma once
#include <string>
#include <vector>

#include "runtime/store/store.hpp"

namespace metaport::store {

class SqlStoreBase : public Store {
 public:
  Status create_schema(const SchemaInfo& schema) override;
  Status check_schema(const SchemaInfo& schema) override;
  Status replace_schema(const SchemaInfo& schema) override;
  Result<std::optional<StoredSchema>> stored_schema() override;
  Result<bool> is_empty() override;
  Status sql_exec(const std::string& sql) override { return exec(sql); }
  Result<std::vector<Row>> sql_query(const std::string& sql, const Row& params) override { return query(sql, params); }
  std::string sql_placeholder(int n) const override { return placeholder(n); }

 protected:
  using Store::Store;

  // ---- primitives ----
  virtual Status exec(const std::string& sql) = 0;
  // A small query with positional parameters (spelled by placeholder(n),
  // 1-based); values come back as the engine gives them (PostgreSQL: text).
  virtual Result<std::vector<Row>> query(const std::string& sql, const Row& params) = 0;
  virtual std::string placeholder(int n) const = 0;
  // Base tables of the store's namespace (SQLite: the main database;
  // PostgreSQL: current_schema()).
  virtual Result<std::vector<std::string>> list_tables() = 0;
  // tables_ changed: drop cached statements.
  virtual void on_tables_changed() {}

  // ---- helpers for the backends ----
  Result<const TableDesc*> find_table(std::string_view kind) const;
  // Refuses a write outside a write transaction, or after a failed write.
  Status check_writable(std::string_view what, const TableDesc& t) const;
  // Records the first failed write of the transaction and returns it.
  Status fail(Error e);
  Error error_at(const TableDesc& t, std::string_view op, std::string_view key, std::string detail) const;
  static std::string key_of_row(const Row& row);

  // Set by fail(), cleared by begin_write/commit/rollback.
  std::optional<std::string> tx_failure_;
};

}  // namespace metaport::store
