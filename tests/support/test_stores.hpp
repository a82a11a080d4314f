// Fresh, real stores for tests: an SQLite file in a temporary folder, or a
// new database on the PostgreSQL server that tests/run started (its URL in
// METAPORT_PG_URL). A PostgreSQL test without a server FAILS: it never skips.
#pragma once
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace metaport::testing {

// A temporary folder removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string base = std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR") : "/tmp";
    std::string tmpl = base + "/metaport-XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string pg_base_url() {
  const char* u = std::getenv("METAPORT_PG_URL");
  if (!u || !*u)
    throw std::runtime_error(
        "METAPORT_PG_URL is not set: PostgreSQL tests need the server that tests/run starts (they fail, never skip)");
  return u;
}

// postgresql:///postgres?host=... -> postgresql:///DB?host=...
inline std::string pg_url_with_db(const std::string& base, const std::string& db) {
  auto scheme = base.find("://");
  auto slash = base.find('/', scheme + 3);
  auto q = base.find('?', slash);
  return base.substr(0, slash + 1) + db + (q == std::string::npos ? "" : base.substr(q));
}

inline void pg_exec(const std::string& url, const std::string& sql) {
  std::string conninfo = url;
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("cannot reach PostgreSQL at " + url + ": " + msg);
  }
  PGresult* r = PQexec(c, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  std::string msg = PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error(sql + ": " + msg);
}

// A database of its own for one test, dropped at the end.
class TempPgDatabase {
 public:
  TempPgDatabase() {
    static std::atomic<int> n{0};
    base_ = pg_base_url();
    // Not the pid alone: every test binary in Bazel's sandbox has its own
    // pid namespace, so tests running side by side share pids (and dropped
    // each other's databases).
    std::random_device rd;
    name_ = "mp_t_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + "_" + std::to_string(rd() % 100000000);
    pg_exec(base_, "DROP DATABASE IF EXISTS " + name_);
    pg_exec(base_, "CREATE DATABASE " + name_);
    url_ = pg_url_with_db(base_, name_);
  }
  ~TempPgDatabase() {
    try {
      pg_exec(base_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  const std::string& url() const { return url_; }

 private:
  std::string base_, name_, url_;
};

enum class Engine { sqlite, postgres };
inline const char* engine_name(Engine e) { return e == Engine::sqlite ? "sqlite" : "postgres"; }

// A fresh store URL of either engine; keeps what it needs alive.
class FreshStore {
 public:
  explicit FreshStore(Engine e, const std::string& tag = "store") {
    if (e == Engine::sqlite) {
      url_ = "sqlite://" + dir_.path() + "/" + tag + ".db";
    } else {
      pg_ = std::make_unique<TempPgDatabase>();
      url_ = pg_->url();
    }
  }
  const std::string& url() const { return url_; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  std::unique_ptr<TempPgDatabase> pg_;
  std::string url_;
};

}  // namespace metaport::testing
