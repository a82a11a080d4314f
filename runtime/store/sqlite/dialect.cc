#include "runtime/store/sqlite/dialect.hpp"

namespace metaport::store {

namespace {

// SQLite has five storage classes; INTEGER PRIMARY KEY is the rowid. It
// resolves a foreign key's target when it uses it, so references are
// declared inline, deferred to the commit (cycles load in one transaction).
class SqliteDialect final : public Dialect {
 public:
  std::string_view name() const override { return "sqlite"; }

  std::string column_sql(const sql::Column& c) const override {
    if (c.type == sql::Type::Id) return quote(c.name) + " INTEGER PRIMARY KEY";
    std::string s = quote(c.name) + " " + type(c.type) + column_constraints(c);
    if (c.type == sql::Type::Ref)
      s += " REFERENCES " + quote(c.ref_table) + " (" + quote(TableDesc::kIdColumn) + ") DEFERRABLE INITIALLY DEFERRED";
    return s;
  }

  std::vector<std::string> to_sql(const sql::Statement& st) const override {
    if (auto* t = std::get_if<sql::CreateTable>(&st)) return {create_table_sql(*this, *t)};
    if (auto* i = std::get_if<sql::CreateIndex>(&st)) return {create_index_sql(*this, *i)};
    if (auto* d = std::get_if<sql::DropTable>(&st)) return {"DROP TABLE " + quote(d->table)};
    return {};  // AddForeignKey: declared inline
  }

  std::string placeholder(int n) const override { return "?" + std::to_string(n); }

 private:
  static const char* type(sql::Type t) {
    switch (t) {
      case sql::Type::Id:
      case sql::Type::Bool:
      case sql::Type::Int:
      case sql::Type::Ref: return "INTEGER";
      case sql::Type::Double: return "REAL";
      case sql::Type::Text:
      case sql::Type::Key:  // BINARY collation: bytewise
      case sql::Type::Json: return "TEXT";
    }
    return "TEXT";
  }
};

const SqliteDialect kDialect;
const bool kRegistered = register_dialect(kDialect);

}  // namespace

const Dialect& sqlite_dialect() { return kDialect; }

}  // namespace metaport::store
