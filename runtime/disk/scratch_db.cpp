#include "runtime/disk/scratch_db.hpp"

#include <sqlite3.h>

namespace metaport::disk {

Stmt::~Stmt() { sqlite3_finalize(s_); }

Stmt& Stmt::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}
Result<bool> Stmt::step() {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = db_.error(sqlite3_sql(s_) ? sqlite3_sql(s_) : "a statement");
  reset();
  return e;
}
Status Stmt::run() {
  for (;;) {
    auto r = step();
    if (!r) return r.errors();
    if (!*r) break;
  }
  reset();
  return ok_status();
}
std::int64_t Stmt::int_at(int col) const { return sqlite3_column_int64(s_, col); }
bool Stmt::null_at(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
std::string_view Stmt::text_at(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, col))) : std::string_view();
}
void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

Result<std::unique_ptr<ScratchDb>> ScratchDb::open(std::string purpose, int cache_mib) {
  sqlite3* db = nullptr;
  // An empty name: a private database in a temporary file, deleted on close.
  if (sqlite3_open_v2("", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_PRIVATECACHE, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return make_error("cannot create a temporary database for " + purpose + ": " + msg);
  }
  std::unique_ptr<ScratchDb> out(new ScratchDb(db, std::move(purpose)));
  const std::string pragmas = "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE; "
                              "PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -" +
                              std::to_string(cache_mib * 1024);
  if (auto s = out->exec(pragmas); !s) return s.errors();
  // One transaction for the database's life: nothing in it is meant to
  // survive, and a commit per statement would cost a pass over the cache.
  if (auto s = out->exec("BEGIN"); !s) return s.errors();
  return out;
}

ScratchDb::~ScratchDb() {
  cache_.clear();  // statements before the connection
  sqlite3_close(db_);
}

Error ScratchDb::error(std::string_view what) const {
  return make_error("temporary database for " + purpose_ + ": " + sqlite3_errmsg(db_) + " (" + std::string(what) +
                    "; is TMPDIR writable, with room?)");
}

Status ScratchDb::exec(std::string_view sql) {
  std::string s(sql);
  char* msg = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : "?";
    sqlite3_free(msg);
    return make_error("temporary database for " + purpose_ + ": " + m + " (in: " + s.substr(0, 200) + ")");
  }
  return ok_status();
}

Stmt& ScratchDb::stmt(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->reset();
    return *it->second;
  }
  sqlite3_stmt* s = nullptr;
  // A statement of the engine's own: failing to prepare it is a bug, said loudly.
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
    throw std::logic_error("ScratchDb: cannot prepare '" + sql + "': " + sqlite3_errmsg(db_));
  auto [ins, _] = cache_.emplace(sql, std::make_unique<Stmt>(*this, s));
  return *ins->second;
}

Result<std::unique_ptr<Stmt>> ScratchDb::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK) return error(sql);
  return std::make_unique<Stmt>(*this, s);
}

std::int64_t ScratchDb::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
std::int64_t ScratchDb::changes() const { return sqlite3_changes64(db_); }

}  // namespace metaport::disk
