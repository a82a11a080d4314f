// ScratchDb: a private SQLite database on disk for bookkeeping that grows
// with the number of entities (a load's plan, a reader's hard-link table),
// so that it never grows in memory (docs/memory.md). Opened empty, deleted
// when closed; journal off, no syncing, one transaction for its whole life
// (nothing in it must survive a crash); the page cache is bounded, the rest
// lives in the file (and in the kernel's page cache, which is not the
// process's memory).
//
//   auto db = ScratchDb::open();
//   db->exec("CREATE TABLE t(k TEXT PRIMARY KEY, v INT)");
//   auto& ins = db->stmt("INSERT INTO t VALUES(?1, ?2)");
//   ins.bind(1, "a").bind(2, 7);
//   if (auto s = ins.run(); !s) ...
//
// Not thread-safe: one thread uses it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "metaport/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace metaport::disk {

class ScratchDb;

// A prepared statement, cached by the database; reset before each use.
class Stmt {
 public:
  Stmt(ScratchDb& db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind_null(int i);
  // The next row: true, false at the end, or an error (the statement is reset).
  Result<bool> step();
  // Steps to the end (a write); resets.
  Status run();
  std::int64_t int_at(int col) const;
  bool null_at(int col) const;
  std::string_view text_at(int col) const;
  void reset();

 private:
  ScratchDb& db_;
  sqlite3_stmt* s_;
};

class ScratchDb {
 public:
  static Result<std::unique_ptr<ScratchDb>> open(std::string purpose, int cache_mib = 16);
  ~ScratchDb();
  ScratchDb(const ScratchDb&) = delete;
  ScratchDb& operator=(const ScratchDb&) = delete;

  Status exec(std::string_view sql);
  // The statement for `sql`, prepared once and reset (bindings cleared).
  Stmt& stmt(const std::string& sql);
  // A statement prepared on the spot (for one-off queries the cache need not keep).
  Result<std::unique_ptr<Stmt>> prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  std::int64_t changes() const;
  // An error naming the purpose and SQLite's message.
  Error error(std::string_view what) const;

 private:
  ScratchDb(sqlite3* db, std::string purpose) : db_(db), purpose_(std::move(purpose)) {}
  sqlite3* db_;
  std::string purpose_;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
  friend class Stmt;
};

}  // namespace metaport::disk
