// DDL in two steps, as sqlgen does it: the neutral form of every statement
// that creates a store (sql::Statement: plain structs, dialect-free, built
// here once from the TableDesc), then one small `to_sql` per dialect that
// spells them (runtime/store/<engine>/dialect.cc). Testable without a
// server; the code generator prints every dialect's script without linking
// any client library.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/store/table_desc.hpp"

namespace metaport::store {

class Dialect;

namespace sql {

// What a column holds, as the DDL needs to know it.
enum class Type : std::uint8_t {
  Id,      // the local id: a 64-bit integer primary key that the store draws
  Bool,    // 0/1
  Int,     // 64-bit
  Double,  // IEEE double
  Text,    // UTF-8 text of any length
  Key,     // text that rows are looked up and ordered by (unique or primary key): compared bytewise
  Json,    // a JSON document, kept byte for byte as written
  Ref,     // the local id of a row of `ref_table`
};

struct Column {
  std::string name;
  Type type = Type::Text;
  bool not_null = false;
  bool unique = false;
  bool primary_key = false;
  std::optional<std::int64_t> default_int;
  std::string ref_table;  // Ref: the table whose Id column it refers to
};

struct CreateTable {
  std::string table;
  std::vector<Column> columns;
};
struct CreateIndex {
  std::string name, table, column;
};
// Issued after every table exists (references may form cycles). Dialects
// that declare foreign keys inline with the column (SQLite) spell nothing.
struct AddForeignKey {
  std::string name, table, column, ref_table;
};
struct DropTable {
  std::string table;
};
using Statement = std::variant<CreateTable, CreateIndex, AddForeignKey, DropTable>;

}  // namespace sql

// ---- the neutral form -------------------------------------------------------
// One TableDesc column (member or bookkeeping) as a DDL column.
sql::Column column_def(const Column& c);
// CREATE TABLE (the implicit mp_id first) plus one index per foreign-key column.
std::vector<sql::Statement> table_statements(const TableDesc& t);
// One foreign key per reference column.
std::vector<sql::Statement> foreign_key_statements(const TableDesc& t);
// metaport's own bookkeeping tables: mp_schema_version and mp_meta.
std::vector<sql::Statement> bookkeeping_statements();
// Everything that creates a store for these tables, in order: bookkeeping,
// tables and indexes, then foreign keys.
std::vector<sql::Statement> schema_statements(const std::vector<TableDesc>& tables);

// ---- spelled by a dialect ---------------------------------------------------
std::vector<std::string> to_sql(const std::vector<sql::Statement>& statements, const Dialect& d);
// The SQL of one column (name, type, constraints).
std::string column_sql(const Column& c, const Dialect& d);
// CREATE TABLE plus one CREATE INDEX per foreign-key column, and the foreign
// keys when the dialect declares them inline.
std::vector<std::string> to_sql(const TableDesc& t, const Dialect& d);
// The foreign keys added once every table exists (ALTER TABLE; none for SQLite).
std::vector<std::string> foreign_keys_sql(const TableDesc& t, const Dialect& d);
std::vector<std::string> bookkeeping_sql(const Dialect& d);
std::vector<std::string> schema_sql(const std::vector<TableDesc>& tables, const Dialect& d);
// The same joined into one script ("statement;\n" each), for `schema --sql`.
std::string schema_script(const std::vector<TableDesc>& tables, const Dialect& d);

// "name" with embedded quotes doubled: standard SQL, what SQLite and
// PostgreSQL read, and MySQL too in metaport's sessions (ANSI_QUOTES). The
// store backends build their statements with it; Dialect::quote spells DDL
// for the dialect's own tools.
std::string quote_ident(std::string_view name);

// Index and constraint names: prefix + table + "__" + column, kept within
// the 63 bytes PostgreSQL allows (64 in MySQL) by a hash of the full name.
std::string derived_name(std::string_view prefix, const std::string& table, const std::string& column);

// A stable fingerprint of the table layout (names, column types, nullability,
// references), dialect-independent. Recorded in mp_schema_version at creation
// and compared by check_schema, so a store made from different structs under
// the same version number is caught instead of misread.
std::string layout_fingerprint(const std::vector<TableDesc>& tables);

}  // namespace metaport::store
