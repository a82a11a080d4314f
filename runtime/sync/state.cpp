#include "runtime/sync/state.hpp"

#include <charconv>
#include <map>
#include <ctime>

#include "metaport/format/json.hpp"

namespace metaport::sync {

using store::Row;
using store::SqlValue;

std::string_view mode_name(SyncMode m) { return m == SyncMode::production ? "production" : "development"; }

std::string text_of(const SqlValue& v) {
  if (v.is_text()) return v.as_text();
  if (v.is_int()) return std::to_string(v.as_int());
  return {};
}

std::optional<std::int64_t> int_of(const SqlValue& v) {
  if (v.is_int()) return v.as_int();
  if (!v.is_text()) return std::nullopt;
  std::int64_t out = 0;
  const auto& s = v.as_text();
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return out;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

SqlValue opt_text(const std::optional<std::string>& s) { return s ? SqlValue(*s) : SqlValue(); }
std::optional<std::string> text_or_null(const SqlValue& v) {
  if (v.is_null()) return std::nullopt;
  return text_of(v);
}

constexpr const char* kEntityColumns = "\"kind\", \"key\", \"id\", \"path\", \"blob\", \"hash\", \"place\"";

SyncedEntity entity_of(Row& r) {
  SyncedEntity e;
  e.kind = text_of(r[0]);
  e.key = text_of(r[1]);
  e.id = int_of(r[2]);
  e.path = text_of(r[3]);
  e.blob = text_of(r[4]);
  e.hash = text_of(r[5]);
  e.place = text_of(r[6]);
  return e;
}

// Rows per multi-row statement: 7 parameters each stays far below both
// engines' limits (SQLite 32766, PostgreSQL 65535).
constexpr std::size_t kBatch = 500;

}  // namespace

Result<std::vector<Row>> SyncState::q(const std::string& sql, const Row& params) { return store_.sql_query(sql, params); }

Result<bool> SyncState::exists() {
  auto rows = q(sql_.count_state_tables());
  if (!rows) return rows.errors();
  return !rows->empty() && int_of((*rows)[0][0]).value_or(0) > 0;
}

Status SyncState::create_tables() {
  for (const auto& s : sql_.create_tables())
    if (auto st = store_.sql_exec(s); !st) return st;
  return ok_status();
}

Status SyncState::migrate_tables() {
  // mp_sync__state.tree_layout (the tree layout's name) came after the
  // first release: a store connected before syncs in the default layout,
  // which NULL stands for.
  auto has = q(sql_.count_state_columns("tree_layout"));
  if (!has) return has.errors();
  if (!has->empty() && int_of((*has)[0][0]).value_or(0) > 0) return ok_status();
  if (auto s = store_.sql_exec("ALTER TABLE \"mp_sync__state\" ADD COLUMN \"tree_layout\" " + sql_.text_type()); !s) {
    // Another process may have added it meanwhile.
    auto again = q(sql_.count_state_columns("tree_layout"));
    if (again && !again->empty() && int_of((*again)[0][0]).value_or(0) > 0) return ok_status();
    return s;
  }
  return ok_status();
}

Result<std::optional<SyncConfig>> SyncState::config() {
  auto rows = q("SELECT \"repo\", \"branch\", \"mode\", \"scope\", \"synced_commit\", \"token\", \"author\", \"layout\", "
                "\"tree_layout\" FROM \"mp_sync__state\"");
  if (!rows) return rows.errors();
  if (rows->empty()) return std::optional<SyncConfig>();
  Row& r = (*rows)[0];
  SyncConfig c;
  c.repo = text_of(r[0]);
  c.branch = text_of(r[1]);
  c.mode = text_of(r[2]) == "production" ? SyncMode::production : SyncMode::development;
  if (auto scope = json::parse(text_of(r[3])); scope && scope->is_array())
    for (const auto& v : scope->as_array())
      if (v.is_string()) c.scope.push_back(v.as_string());
  c.synced_commit = text_or_null(r[4]);
  c.token = text_or_null(r[5]);
  c.author = text_or_null(r[6]);
  c.layout = text_of(r[7]);
  c.tree_layout = text_of(r[8]);
  return std::optional<SyncConfig>(std::move(c));
}

Status SyncState::save_config(const SyncConfig& c) {
  Value scope = Value::array();
  for (const auto& s : c.scope) scope.push_back(Value(s));
  if (auto d = q("DELETE FROM \"mp_sync__state\""); !d) return d.errors();
  auto r = q("INSERT INTO \"mp_sync__state\" (\"one\", \"repo\", \"branch\", \"mode\", \"scope\", \"synced_commit\", "
             "\"token\", \"author\", \"layout\", \"tree_layout\") VALUES (1, " +
                 p(1) + ", " + p(2) + ", " + p(3) + ", " + p(4) + ", " + p(5) + ", " + p(6) + ", " + p(7) + ", " + p(8) +
                 ", " + p(9) + ")",
             Row{SqlValue(c.repo), SqlValue(c.branch), SqlValue(std::string(mode_name(c.mode))), SqlValue(json::write(scope)),
                 opt_text(c.synced_commit), opt_text(c.token), opt_text(c.author), SqlValue(c.layout),
                 SqlValue(c.tree_layout)});
  if (!r) return r.errors();
  return ok_status();
}

Status SyncState::install_triggers(bool production, bool whole_scope) {
  for (const auto& s : sql_.drop_triggers(store_.tables()))
    if (auto st = store_.sql_exec(s); !st) return st;
  for (const auto& s : sql_.create_triggers(store_.tables(), production, whole_scope))
    if (auto st = store_.sql_exec(s); !st) return st;
  return ok_status();
}

Status SyncState::drop_triggers() {
  for (const auto& s : sql_.drop_triggers(store_.tables()))
    if (auto st = store_.sql_exec(s); !st) return st;
  return ok_status();
}

Status SyncState::drop_tables() {
  for (const char* t : {"mp_sync__state", "mp_sync__entity", "mp_sync__dirty", "mp_sync__log", "mp_sync__bypass"})
    if (auto st = store_.sql_exec("DROP TABLE IF EXISTS " + store::quote_ident(t)); !st) return st;
  return ok_status();
}

Result<std::int64_t> SyncState::trigger_count() {
  auto rows = q(sql_.count_triggers());
  if (!rows) return rows.errors();
  return rows->empty() ? 0 : int_of((*rows)[0][0]).value_or(0);
}

Status SyncState::mark_everything() {
  for (const auto& t : store_.tables()) {
    if (!t.kind->dumped) continue;
    auto r = q(sql_.add_marks("SELECT " + p(1) + ", \"mp_id\" FROM " + store::quote_ident(t.table)),
               Row{SqlValue(t.kind_name)});
    if (!r) return r.errors();
  }
  auto r = q(sql_.add_marks("SELECT " + p(1) + ", 0"), Row{SqlValue(std::string(store::sync_sql::kEverythingKind))});
  if (!r) return r.errors();
  return ok_status();
}

Status SyncState::relink() {
  for (const auto& t : store_.tables()) {
    if (!t.kind->dumped) continue;
    auto r = q("UPDATE \"mp_sync__entity\" SET \"id\" = (SELECT t.\"mp_id\" FROM " + store::quote_ident(t.table) +
                   " t WHERE t.\"mp_key\" = \"mp_sync__entity\".\"key\") WHERE \"kind\" = " + p(1),
               Row{SqlValue(t.kind_name)});
    if (!r) return r.errors();
  }
  return ok_status();
}

Result<std::vector<DirtyMark>> SyncState::dirty() {
  auto rows = q("SELECT \"kind\", \"id\", \"seq\" FROM \"mp_sync__dirty\" ORDER BY \"seq\"");
  if (!rows) return rows.errors();
  std::vector<DirtyMark> out;
  out.reserve(rows->size());
  for (auto& r : *rows) out.push_back(DirtyMark{text_of(r[0]), int_of(r[1]).value_or(0), int_of(r[2]).value_or(0)});
  return out;
}

Status SyncState::clear(const std::vector<DirtyMark>& marks) {
  // A mark is its seq (a row written again gets a new one), so the marks go
  // by seq, through the primary key / unique index, in one statement per batch.
  for (std::size_t i = 0; i < marks.size(); i += kBatch) {
    const std::size_t n = std::min(kBatch, marks.size() - i);
    std::string sql = "DELETE FROM \"mp_sync__dirty\" WHERE \"seq\" IN (";
    Row params;
    for (std::size_t j = 0; j < n; ++j) {
      sql += (j ? ", " : "") + sql_.int_param(static_cast<int>(j + 1));
      params.push_back(SqlValue(marks[i + j].seq));
    }
    sql += ")";
    if (auto r = q(sql, params); !r) return r.errors();
  }
  return ok_status();
}

Status SyncState::clear_all_marks() {
  if (auto r = q("DELETE FROM \"mp_sync__dirty\""); !r) return r.errors();
  return ok_status();
}

Result<std::optional<SyncedEntity>> SyncState::by_id(const std::string& kind, std::int64_t id) {
  auto rows = q(std::string("SELECT ") + kEntityColumns + " FROM \"mp_sync__entity\" WHERE \"kind\" = " + p(1) +
                    " AND \"id\" = " + p(2),
                Row{SqlValue(kind), SqlValue(id)});
  if (!rows) return rows.errors();
  if (rows->empty()) return std::optional<SyncedEntity>();
  return std::optional<SyncedEntity>(entity_of((*rows)[0]));
}

Result<std::optional<SyncedEntity>> SyncState::by_key(const std::string& kind, const std::string& key) {
  auto rows = q(std::string("SELECT ") + kEntityColumns + " FROM \"mp_sync__entity\" WHERE \"kind\" = " + p(1) +
                    " AND \"key\" = " + p(2),
                Row{SqlValue(kind), SqlValue(key)});
  if (!rows) return rows.errors();
  if (rows->empty()) return std::optional<SyncedEntity>();
  return std::optional<SyncedEntity>(entity_of((*rows)[0]));
}

Result<std::optional<SyncedEntity>> SyncState::by_path(const std::string& path) {
  auto rows = q(std::string("SELECT ") + kEntityColumns + " FROM \"mp_sync__entity\" WHERE \"path\" = " + p(1),
                Row{SqlValue(path)});
  if (!rows) return rows.errors();
  if (rows->empty()) return std::optional<SyncedEntity>();
  return std::optional<SyncedEntity>(entity_of((*rows)[0]));
}

Result<std::vector<SyncedEntity>> SyncState::page(const std::string& kind, const std::optional<std::string>& after,
                                                  std::size_t limit) {
  Row params{SqlValue(kind)};
  std::string sql = std::string("SELECT ") + kEntityColumns + " FROM \"mp_sync__entity\" WHERE \"kind\" = " + p(1);
  if (after) {
    sql += " AND \"key\" > " + p(2);
    params.push_back(SqlValue(*after));
  }
  sql += " ORDER BY \"key\" LIMIT " + std::to_string(limit);
  auto rows = q(sql, params);
  if (!rows) return rows.errors();
  std::vector<SyncedEntity> out;
  out.reserve(rows->size());
  for (auto& r : *rows) out.push_back(entity_of(r));
  return out;
}

Result<std::int64_t> SyncState::count() {
  auto rows = q("SELECT count(*) FROM \"mp_sync__entity\"");
  if (!rows) return rows.errors();
  return int_of((*rows)[0][0]).value_or(0);
}

Status SyncState::upsert(const std::vector<SyncedEntity>& rows) {
  for (std::size_t i = 0; i < rows.size(); i += kBatch) {
    const std::size_t n = std::min(kBatch, rows.size() - i);
    Row params;
    params.reserve(7 * n);
    for (std::size_t j = 0; j < n; ++j) {
      const auto& e = rows[i + j];
      params.push_back(SqlValue(e.kind));
      params.push_back(SqlValue(e.key));
      params.push_back(e.id ? SqlValue(*e.id) : SqlValue());
      params.push_back(SqlValue(e.path));
      params.push_back(SqlValue(e.blob));
      params.push_back(SqlValue(e.hash));
      params.push_back(SqlValue(e.place));
    }
    const std::string sql = sql_.upsert_entities(n);
    if (auto r = q(sql, params); !r) return r.errors();
  }
  return ok_status();
}

Status SyncState::remove(const std::vector<std::pair<std::string, std::string>>& kind_keys) {
  // Kind by kind, keys through the primary key.
  std::map<std::string, std::vector<std::string>> by_kind;
  for (const auto& [k, key] : kind_keys) by_kind[k].push_back(key);
  for (const auto& [kind, keys] : by_kind) {
    for (std::size_t i = 0; i < keys.size(); i += kBatch) {
      const std::size_t n = std::min(kBatch, keys.size() - i);
      std::string sql = "DELETE FROM \"mp_sync__entity\" WHERE \"kind\" = " + sql_.param(1) + " AND \"key\" IN (";
      Row params{SqlValue(kind)};
      for (std::size_t j = 0; j < n; ++j) {
        sql += (j ? ", " : "") + sql_.param(static_cast<int>(j + 2));
        params.push_back(SqlValue(keys[i + j]));
      }
      sql += ")";
      if (auto r = q(sql, params); !r) return r.errors();
    }
  }
  return ok_status();
}

Status SyncState::remove_all() {
  if (auto r = q("DELETE FROM \"mp_sync__entity\""); !r) return r.errors();
  return ok_status();
}

Status SyncState::log(const LogLine& l) {
  auto r = q("INSERT INTO \"mp_sync__log\" (\"at\", \"action\", \"branch\", \"commit_id\", \"created\", \"updated\", "
             "\"deleted\", \"note\") VALUES (" +
                 p(1) + ", " + p(2) + ", " + p(3) + ", " + p(4) + ", " + p(5) + ", " + p(6) + ", " + p(7) + ", " + p(8) + ")",
             Row{SqlValue(l.at), SqlValue(l.action), SqlValue(l.branch), l.commit.empty() ? SqlValue() : SqlValue(l.commit),
                 SqlValue(l.created), SqlValue(l.updated), SqlValue(l.deleted), SqlValue(l.note)});
  if (!r) return r.errors();
  return ok_status();
}

Result<std::vector<LogLine>> SyncState::recent_log(int n) {
  auto rows = q("SELECT \"at\", \"action\", \"branch\", \"commit_id\", \"created\", \"updated\", \"deleted\", \"note\" "
                "FROM \"mp_sync__log\" ORDER BY \"seq\" DESC LIMIT " +
                std::to_string(n));
  if (!rows) return rows.errors();
  std::vector<LogLine> out;
  for (auto& r : *rows)
    out.push_back(LogLine{text_of(r[0]), text_of(r[1]), text_of(r[2]), text_of(r[3]), int_of(r[4]).value_or(0),
                          int_of(r[5]).value_or(0), int_of(r[6]).value_or(0), text_of(r[7])});
  return out;
}

Status SyncState::bypass_on() {
  if (auto r = q("INSERT INTO \"mp_sync__bypass\" (\"pid\") VALUES (1)"); !r) return r.errors();
  return ok_status();
}

Status SyncState::lock_marks() {
  const std::string l = sql_.lock_marks();
  if (l.empty()) return ok_status();
  return store_.sql_exec(l);
}

Status SyncState::bypass_off() {
  if (auto r = q("DELETE FROM \"mp_sync__bypass\""); !r) return r.errors();
  return ok_status();
}

}  // namespace metaport::sync
