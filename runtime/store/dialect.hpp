// Dialect: how one SQL engine spells metaport's neutral statements (ddl.hpp)
// and parameters. One object per engine, defined in the engine's folder
// (runtime/store/sqlite/dialect.cc, postgres/, mysql/) in a library that
// links no client library, and registered by name when linked in: the code
// generator links every dialect to print their scripts, the runtime links
// them through the backends.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "runtime/store/ddl.hpp"

namespace metaport::store {

class Dialect {
 public:
  virtual ~Dialect() = default;

  // "sqlite", "postgres", "mysql": `schema --sql NAME`, generated file names.
  virtual std::string_view name() const = 0;
  // Other names `schema --sql` accepts ("postgresql", "mariadb").
  virtual std::vector<std::string_view> aliases() const { return {}; }

  // An identifier quoted the dialect's own way (what its tools read).
  virtual std::string quote(std::string_view ident) const { return quote_ident(ident); }
  // The SQL of one column: quoted name, type, constraints.
  virtual std::string column_sql(const sql::Column& c) const = 0;
  // The text of one neutral statement: nothing (the dialect has nothing to
  // do for it), one statement, or several.
  virtual std::vector<std::string> to_sql(const sql::Statement& s) const = 0;
  // A whole list of statements: each one's to_sql, in order, unless the
  // dialect does better with the list in view (MySQL declares indexes and
  // foreign keys inside CREATE TABLE: an ALTER TABLE rebuilds the table).
  virtual std::vector<std::string> script(const std::vector<sql::Statement>& statements) const;

  // DDL inside a transaction is undone by its rollback (SQLite, PostgreSQL);
  // MySQL commits around every DDL statement instead.
  virtual bool transactional_ddl() const { return true; }
  // The n-th (1-based) parameter of a prepared statement: ?1, $1, ?.
  virtual std::string placeholder(int n) const = 0;
};

// Registers a dialect object that lives for the whole program (a static in
// its dialect.cc). Returns true, for `static const bool x = register_...`.
bool register_dialect(const Dialect& d);
// By name or alias; nullptr when no linked dialect has it.
const Dialect* find_dialect(std::string_view name);
// Every linked dialect, in name order.
std::vector<const Dialect*> dialects();

// CREATE TABLE name (columns...)suffix, one column per line: the common
// shape of the dialects' to_sql.
std::string create_table_sql(const Dialect& d, const sql::CreateTable& t, std::string_view suffix = "");
std::string create_index_sql(const Dialect& d, const sql::CreateIndex& i);
// " PRIMARY KEY NOT NULL DEFAULT 0 UNIQUE", the parts a column has, in the
// order every dialect reads them.
std::string column_constraints(const sql::Column& c);

}  // namespace metaport::store
