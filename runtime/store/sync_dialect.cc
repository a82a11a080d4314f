#include "runtime/store/sync_dialect.hpp"

#include <algorithm>

#include "metaport/slug.hpp"

namespace metaport::store {

namespace {
std::vector<const SyncDialect*>& registry() {
  static std::vector<const SyncDialect*> all;
  return all;
}
}  // namespace

bool register_sync_dialect(const SyncDialect& d) {
  auto& all = registry();
  if (std::find(all.begin(), all.end(), &d) == all.end()) all.push_back(&d);
  return true;
}

const SyncDialect* find_sync_dialect(const Dialect& d) {
  for (const SyncDialect* s : registry())
    if (s->name() == d.name()) return s;
  return nullptr;
}

std::size_t SyncDialect::trigger_count(const std::vector<TableDesc>& tables, bool production) const {
  std::size_t n = 0;
  for (const auto& s : create_triggers(tables, production, true))
    if (s.rfind("CREATE TRIGGER ", 0) == 0) ++n;
  return n;
}

namespace sync_sql {

std::string read_only_message(std::string_view kind) {
  return std::string(kMessageHead) + std::string(kind) + kMessageTail;
}

std::string literal(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string trigger_name(std::string_view role, const TableDesc& t, std::string_view op) {
  std::string n = "mp_sync__" + std::string(role) + "_" + t.table + "_" + std::string(op);
  if (n.size() <= 63) return n;
  return "mp_sync__" + std::string(role) + "_" + short_hash(t.table) + "_" + std::string(op);
}

std::vector<std::string> trigger_names(const TableDesc& t) {
  std::vector<std::string> out;
  for (const char* role : {"m", "g"})
    for (const char* op : {"i", "u", "d", "t", "r"}) out.push_back(trigger_name(role, t, op));
  return out;
}

std::vector<std::pair<std::string, std::string>> parent_columns(const TableDesc& t) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : t.columns)
    if (c.type == ColumnType::Ref && c.field >= 0 && t.kind->fields[static_cast<std::size_t>(c.field)].type.parent)
      out.emplace_back(c.name, c.ref_kind);
  return out;
}

std::array<std::string, 3> guard_conditions(const TableDesc& t, bool whole, std::string_view yes, std::string_view no) {
  if (whole) return {std::string(yes), std::string(yes), std::string(yes)};
  auto synced = [](const std::string& kind_lit, const std::string& id) {
    return "EXISTS (SELECT 1 FROM \"mp_sync__entity\" WHERE \"kind\" = " + kind_lit + " AND \"id\" = " + id + ")";
  };
  std::string new_parent;
  for (const auto& [col, target] : parent_columns(t))
    new_parent += (new_parent.empty() ? "" : " OR ") + synced(literal(target), "NEW." + quote_ident(col));
  if (new_parent.empty()) new_parent = no;
  const std::string old_row = synced(literal(t.kind_name), "OLD.\"mp_id\"");
  return {new_parent, old_row + " OR " + new_parent, old_row};
}

std::string entity_values(const SyncDialect& d, std::size_t rows) {
  std::string s;
  int n = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    s += r ? ", (" : "(";
    for (int c = 0; c < 7; ++c, ++n) s += (c ? ", " : "") + (c == 2 ? d.int_param(n) : d.param(n));
    s += ")";
  }
  return s;
}

}  // namespace sync_sql

}  // namespace metaport::store
