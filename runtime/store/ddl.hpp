// DDL: TableDesc -> SQL text, one small function per dialect. Plain string
// building over the neutral form, testable without a server. Every identifier
// is double-quoted (valid in both dialects), so members named `order`,
// `default` or `type` need no special casing.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "runtime/store/table_desc.hpp"

namespace metaport::store {

enum class Dialect { sqlite, postgres };
std::string_view dialect_name(Dialect d);  // "sqlite", "postgres"

// "name" with embedded quotes doubled.
std::string quote_ident(std::string_view name);

// The SQL type (with NOT NULL / UNIQUE / REFERENCES ...) of one column.
std::string column_sql(const Column& c, Dialect d);

// CREATE TABLE plus one CREATE INDEX per foreign-key column. SQLite declares
// its foreign keys inline (it resolves the target at use time, so cycles are
// fine); PostgreSQL needs the targets to exist, so its foreign keys come from
// foreign_keys_sql, run after every table is created.
std::vector<std::string> to_sql(const TableDesc& t, Dialect d);
// ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY for PostgreSQL; empty for SQLite.
std::vector<std::string> foreign_keys_sql(const TableDesc& t, Dialect d);

// metaport's own bookkeeping tables: mp_schema_version and mp_meta.
std::vector<std::string> bookkeeping_sql(Dialect d);

// Every statement that creates the store for these tables, in order:
// bookkeeping, tables and indexes, then (PostgreSQL) foreign keys.
std::vector<std::string> schema_sql(const std::vector<TableDesc>& tables, Dialect d);
// The same joined into one script ("statement;\n" each), for `schema --sql`.
std::string schema_script(const std::vector<TableDesc>& tables, Dialect d);

// A stable fingerprint of the table layout (names, column types, nullability,
// references), dialect-independent. Recorded in mp_schema_version at creation
// and compared by check_schema, so a store made from different structs under
// the same version number is caught instead of misread.
std::string layout_fingerprint(const std::vector<TableDesc>& tables);

}  // namespace metaport::store
