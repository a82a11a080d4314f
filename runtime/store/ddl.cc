#include "runtime/store/ddl.hpp"

#include <cstdint>

#include "metaport/slug.hpp"
#include "runtime/store/dialect.hpp"

namespace metaport::store {

std::string derived_name(std::string_view prefix, const std::string& table, const std::string& column) {
  std::string s = std::string(prefix) + table + "__" + column;
  if (s.size() <= 63) return s;
  const std::string h = short_hash(s);
  return s.substr(0, 63 - h.size() - 1) + "_" + h;
}

std::string quote_ident(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// ---- the neutral form -------------------------------------------------------

sql::Column column_def(const Column& c) {
  sql::Column out;
  out.name = c.name;
  switch (c.type) {
    case ColumnType::Bool: out.type = sql::Type::Bool; break;
    case ColumnType::Int: out.type = sql::Type::Int; break;
    case ColumnType::Double: out.type = sql::Type::Double; break;
    case ColumnType::Text: out.type = c.role == ColumnRole::Key ? sql::Type::Key : sql::Type::Text; break;
    case ColumnType::Json: out.type = sql::Type::Json; break;
    case ColumnType::Ref: out.type = sql::Type::Ref; break;
  }
  out.not_null = c.not_null;
  out.unique = c.unique;
  if (c.role == ColumnRole::Absent || c.role == ColumnRole::Redacted) out.default_int = 0;
  out.ref_table = c.ref_table;
  return out;
}

std::vector<sql::Statement> table_statements(const TableDesc& t) {
  sql::CreateTable create{t.table, {}};
  create.columns.push_back(sql::Column{std::string(TableDesc::kIdColumn), sql::Type::Id, true, false, true, {}, {}});
  for (const auto& c : t.columns) create.columns.push_back(column_def(c));
  std::vector<sql::Statement> out = {std::move(create)};
  for (const auto& c : t.columns)
    if (c.indexed) out.push_back(sql::CreateIndex{derived_name("ix_", t.table, c.name), t.table, c.name});
  return out;
}

std::vector<sql::Statement> foreign_key_statements(const TableDesc& t) {
  std::vector<sql::Statement> out;
  for (const auto& c : t.columns)
    if (c.type == ColumnType::Ref)
      out.push_back(sql::AddForeignKey{derived_name("fk_", t.table, c.name), t.table, c.name, c.ref_table});
  return out;
}

std::vector<sql::Statement> bookkeeping_statements() {
  using sql::Type;
  return {
      sql::CreateTable{"mp_schema_version",
                       {{"schema", Type::Key, false, false, true, {}, {}},
                        {"version", Type::Int, true, false, false, {}, {}},
                        {"lock_fingerprint", Type::Text, false, false, false, {}, {}}}},
      sql::CreateTable{"mp_meta",
                       {{"key", Type::Key, false, false, true, {}, {}},
                        {"value", Type::Text, true, false, false, {}, {}}}},
  };
}

std::vector<sql::Statement> schema_statements(const std::vector<TableDesc>& tables) {
  std::vector<sql::Statement> out = bookkeeping_statements();
  for (const auto& t : tables)
    for (auto& s : table_statements(t)) out.push_back(std::move(s));
  for (const auto& t : tables)
    for (auto& s : foreign_key_statements(t)) out.push_back(std::move(s));
  return out;
}

// ---- spelled by a dialect ---------------------------------------------------

std::vector<std::string> Dialect::script(const std::vector<sql::Statement>& statements) const {
  std::vector<std::string> out;
  for (const auto& s : statements)
    for (auto& text : to_sql(s)) out.push_back(std::move(text));
  return out;
}

std::vector<std::string> to_sql(const std::vector<sql::Statement>& statements, const Dialect& d) {
  return d.script(statements);
}

std::string column_sql(const Column& c, const Dialect& d) { return d.column_sql(column_def(c)); }

std::vector<std::string> to_sql(const TableDesc& t, const Dialect& d) { return to_sql(table_statements(t), d); }

std::vector<std::string> foreign_keys_sql(const TableDesc& t, const Dialect& d) {
  return to_sql(foreign_key_statements(t), d);
}

std::vector<std::string> bookkeeping_sql(const Dialect& d) { return to_sql(bookkeeping_statements(), d); }

std::vector<std::string> schema_sql(const std::vector<TableDesc>& tables, const Dialect& d) {
  return to_sql(schema_statements(tables), d);
}

std::string schema_script(const std::vector<TableDesc>& tables, const Dialect& d) {
  std::string out;
  for (const auto& s : schema_sql(tables, d)) out += s + ";\n";
  return out;
}

std::string create_table_sql(const Dialect& d, const sql::CreateTable& t, std::string_view suffix) {
  std::string out = "CREATE TABLE " + d.quote(t.table) + " (";
  for (std::size_t i = 0; i < t.columns.size(); ++i) out += (i ? ",\n  " : "\n  ") + d.column_sql(t.columns[i]);
  return out + "\n)" + std::string(suffix);
}

std::string create_index_sql(const Dialect& d, const sql::CreateIndex& i) {
  return "CREATE INDEX " + d.quote(i.name) + " ON " + d.quote(i.table) + " (" + d.quote(i.column) + ")";
}

std::string column_constraints(const sql::Column& c) {
  std::string s;
  if (c.primary_key) s += " PRIMARY KEY";
  if (c.not_null && !c.primary_key) s += " NOT NULL";
  if (c.default_int) s += " DEFAULT " + std::to_string(*c.default_int);
  if (c.unique) s += " UNIQUE";
  return s;
}

std::string layout_fingerprint(const std::vector<TableDesc>& tables) {
  std::string text;
  for (const auto& t : tables) {
    text += t.table + (t.key_is_id ? "(id)" : t.key_single ? "(single)" : "(path)") + "{";
    for (const auto& c : t.columns) {
      text += c.name + ":" + std::string(column_type_name(c.type));
      if (c.not_null) text += "!";
      if (c.absent_bit >= 0) text += "?" + std::to_string(c.absent_bit);
      if (c.secret) text += "$" + std::to_string(c.redacted_bit);
      if (!c.ref_table.empty()) text += "->" + c.ref_table;
      text += ";";
    }
    text += "}";
  }
  // 64-bit FNV-1a, hex: stable across platforms and builds.
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) { h ^= c; h *= 1099511628211ull; }
  static const char* hex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) { out[static_cast<std::size_t>(i)] = hex[h & 15]; h >>= 4; }
  return out;
}

}  // namespace metaport::store
