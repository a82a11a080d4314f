#include "runtime/store/mysql/dialect.hpp"

#include <map>

namespace metaport::store {

namespace {

// InnoDB tables in utf8mb4 (all of Unicode) with a binary collation.
// Keys are VARBINARY: compared and ordered bytewise like the other engines,
// and without the PAD SPACE rule of the _bin collations, under which 'a' and
// 'a ' would be the same key. Documents are LONGTEXT, kept byte for byte
// (MariaDB's JSON is LONGTEXT too; MySQL 8's JSON type would reorder keys
// and respell numbers as PostgreSQL's jsonb does). InnoDB has no deferred
// foreign keys: metaport's write transactions run with foreign_key_checks
// off and check every reference they wrote at commit (docs/stores.md); the
// constraints still hold every other writer to them.
class MysqlDialect final : public Dialect {
 public:
  std::string_view name() const override { return "mysql"; }
  std::vector<std::string_view> aliases() const override { return {"mariadb"}; }

  std::string quote(std::string_view ident) const override {
    std::string out = "`";
    for (char c : ident) {
      if (c == '`') out += '`';
      out += c;
    }
    return out + "`";
  }

  std::string column_sql(const sql::Column& c) const override {
    if (c.type == sql::Type::Id) return quote(c.name) + " BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY";
    return quote(c.name) + " " + type(c.type) + column_constraints(c);
  }

  std::vector<std::string> to_sql(const sql::Statement& st) const override {
    if (auto* t = std::get_if<sql::CreateTable>(&st))
      return {create_table_sql(*this, *t, kTableOptions)};
    if (auto* i = std::get_if<sql::CreateIndex>(&st)) return {create_index_sql(*this, *i)};
    if (auto* f = std::get_if<sql::AddForeignKey>(&st))
      return {"ALTER TABLE " + quote(f->table) + " ADD " + foreign_key(*f)};
    if (auto* d = std::get_if<sql::DropTable>(&st)) return {"DROP TABLE " + quote(d->table)};
    return {};
  }

  // Indexes and foreign keys go inside their CREATE TABLE: each ALTER TABLE
  // would rebuild the table (bi's schema: 5.5 s with ALTERs, 1.9 s inline).
  // A foreign key may then name a table created further down (references
  // form cycles), which InnoDB allows with foreign_key_checks off.
  std::vector<std::string> script(const std::vector<sql::Statement>& statements) const override {
    std::map<std::string, std::string> inlined;  // table -> ",\n  INDEX ...,\n  CONSTRAINT ..."
    std::vector<bool> folded(statements.size(), false);
    for (const auto& st : statements)
      if (const auto* t = std::get_if<sql::CreateTable>(&st)) inlined[t->table];
    bool inline_keys = false;
    for (std::size_t j = 0; j < statements.size(); ++j) {
      if (const auto* x = std::get_if<sql::CreateIndex>(&statements[j]); x && inlined.count(x->table)) {
        inlined[x->table] += ",\n  INDEX " + quote(x->name) + " (" + quote(x->column) + ")";
        folded[j] = true;
      } else if (const auto* f = std::get_if<sql::AddForeignKey>(&statements[j]); f && inlined.count(f->table)) {
        inlined[f->table] += ",\n  " + foreign_key(*f);
        folded[j] = inline_keys = true;
      }
    }
    std::vector<std::string> out;
    if (inline_keys) out.push_back("SET foreign_key_checks = 0");
    for (std::size_t i = 0; i < statements.size(); ++i) {
      if (folded[i]) continue;
      if (const auto* t = std::get_if<sql::CreateTable>(&statements[i])) {
        std::string create = create_table_sql(*this, *t, kTableOptions);
        create.insert(create.rfind("\n)"), inlined[t->table]);
        out.push_back(std::move(create));
        continue;
      }
      for (auto& s : to_sql(statements[i])) out.push_back(std::move(s));
    }
    return out;
  }

  bool transactional_ddl() const override { return false; }
  std::string placeholder(int) const override { return "?"; }

 private:
  static constexpr std::string_view kTableOptions = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

  std::string foreign_key(const sql::AddForeignKey& f) const {
    return "CONSTRAINT " + quote(f.name) + " FOREIGN KEY (" + quote(f.column) + ") REFERENCES " + quote(f.ref_table) +
           " (" + quote(TableDesc::kIdColumn) + ")";
  }

  static std::string type(sql::Type t) {
    switch (t) {
      case sql::Type::Id:
      case sql::Type::Int:
      case sql::Type::Ref: return "BIGINT";
      case sql::Type::Bool: return "BOOLEAN";
      case sql::Type::Double: return "DOUBLE";
      case sql::Type::Text:
      case sql::Type::Json: return "LONGTEXT";
      case sql::Type::Key: return "VARBINARY(" + std::to_string(kMysqlMaxKeyBytes) + ")";
    }
    return "LONGTEXT";
  }
};

const MysqlDialect kDialect;
const bool kRegistered = register_dialect(kDialect);

}  // namespace

const Dialect& mysql_dialect() { return kDialect; }

}  // namespace metaport::store
