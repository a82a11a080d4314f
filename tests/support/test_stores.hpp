// Fresh, real stores for tests, on every engine of tests/support/engines.inc:
// an SQLite file in a temporary folder, or a new database on the PostgreSQL
// or MariaDB server that tests/run started (their URLs in METAPORT_PG_URL and
// METAPORT_MYSQL_URL). A server test without its server FAILS: it never skips.
#pragma once
#include <libpq-fe.h>
#include <mysql.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace metaport::testing {

enum class Engine {
#define METAPORT_ENGINE(e) e,
#include "tests/support/engines.inc"
#undef METAPORT_ENGINE
};

// Every engine of the list, in its order: ::testing::ValuesIn(engines()).
inline const std::vector<Engine>& engines() {
  static const std::vector<Engine> all = {
#define METAPORT_ENGINE(e) Engine::e,
#include "tests/support/engines.inc"
#undef METAPORT_ENGINE
  };
  return all;
}

// "sqlite", "postgres", "mysql": test names, messages.
inline const char* engine_name(Engine e) {
  switch (e) {
#define METAPORT_ENGINE(x) \
  case Engine::x: return #x;
#include "tests/support/engines.inc"
#undef METAPORT_ENGINE
  }
  return "?";
}
// For INSTANTIATE_TEST_SUITE_P(..., ValuesIn(engines()), EngineParamName()).
struct EngineParamName {
  template <class Info>
  std::string operator()(const Info& info) const { return engine_name(info.param); }
};

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
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// ---- servers ---------------------------------------------------------------

// The URL of the server tests/run started for `e` (not for sqlite).
inline std::string server_url(Engine e) {
  const char* var = e == Engine::postgres ? "METAPORT_PG_URL" : "METAPORT_MYSQL_URL";
  const char* u = std::getenv(var);
  if (!u || !*u)
    throw std::runtime_error(std::string(var) + " is not set: " + engine_name(e) +
                             " tests need the server that tests/run starts (they fail, never skip)");
  return u;
}

// scheme://auth@host/DB?params from a server URL with another database.
inline std::string url_with_db(const std::string& base, const std::string& db) {
  auto scheme = base.find("://");
  auto slash = base.find('/', scheme + 3);
  auto q = base.find('?', slash);
  return base.substr(0, slash + 1) + db + (q == std::string::npos ? "" : base.substr(q));
}

inline void pg_exec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
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

// mysql://user[:pw]@host[:port]/db?socket=PATH, as the test server's URL
// spells it (user, password, database and socket; nothing else).
inline void mysql_exec(const std::string& url, const std::string& sql) {
  auto scheme = url.find("://") + 3;
  auto slash = url.find('/', scheme);
  std::string auth = url.substr(scheme, slash - scheme), user = "root", pw, host = "localhost";
  if (auto at = auth.rfind('@'); at != std::string::npos) {
    user = auth.substr(0, at);
    host = auth.substr(at + 1);
    if (auto colon = user.find(':'); colon != std::string::npos) {
      pw = user.substr(colon + 1);
      user.resize(colon);
    }
  }
  auto q = url.find('?', slash);
  std::string db = url.substr(slash + 1, (q == std::string::npos ? url.size() : q) - slash - 1), socket;
  if (auto s = url.find("socket=", q == std::string::npos ? url.size() : q); s != std::string::npos)
    socket = url.substr(s + 7, url.find('&', s) == std::string::npos ? std::string::npos : url.find('&', s) - s - 7);
  MYSQL* m = mysql_init(nullptr);
  const bool ok = mysql_real_connect(m, host.c_str(), user.c_str(), pw.empty() ? nullptr : pw.c_str(),
                                     db.empty() ? nullptr : db.c_str(), 0, socket.empty() ? nullptr : socket.c_str(),
                                     CLIENT_MULTI_STATEMENTS) != nullptr;
  if (!ok) {
    std::string msg = mysql_error(m);
    mysql_close(m);
    throw std::runtime_error("cannot reach MariaDB at " + url + ": " + msg);
  }
  // ANSI_QUOTES: tests write "identifiers" as for the other engines.
  std::string all = "SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES'); " + sql;
  std::string err;
  if (mysql_real_query(m, all.c_str(), all.size()) != 0) err = mysql_error(m);
  else {
    do {
      if (MYSQL_RES* r = mysql_store_result(m)) mysql_free_result(r);
    } while (mysql_next_result(m) == 0);
    if (mysql_errno(m)) err = mysql_error(m);
  }
  mysql_close(m);
  if (!err.empty()) throw std::runtime_error(sql + ": " + err);
}

// Runs SQL on a server outside any Store (administration, raw checks).
inline void server_exec(Engine e, const std::string& url, const std::string& sql) {
  if (e == Engine::postgres) pg_exec(url, sql);
  else mysql_exec(url, sql);
}

// A database of its own on a server, for one test, dropped at the end.
class TempDatabase {
 public:
  explicit TempDatabase(Engine e) : engine_(e), base_(server_url(e)) {
    static std::atomic<int> n{0};
    // Not the pid alone: every test binary in Bazel's sandbox has its own
    // pid namespace, so tests running side by side share pids (and dropped
    // each other's databases).
    std::random_device rd;
    name_ = "mp_t_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + "_" + std::to_string(rd() % 100000000);
    server_exec(e, base_, "DROP DATABASE IF EXISTS " + name_);
    server_exec(e, base_, "CREATE DATABASE " + name_);
    url_ = url_with_db(base_, name_);
  }
  ~TempDatabase() {
    try {
      server_exec(engine_, base_, "DROP DATABASE IF EXISTS " + name_ + (engine_ == Engine::postgres ? " WITH (FORCE)" : ""));
    } catch (...) {
    }
  }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  Engine engine_;
  std::string base_, name_, url_;
};

// A fresh store URL of any engine; keeps what it needs alive.
class FreshStore {
 public:
  explicit FreshStore(Engine e, const std::string& tag = "store") : engine_(e) {
    if (e == Engine::sqlite) {
      url_ = "sqlite://" + dir_.path() + "/" + tag + ".db";
    } else {
      db_ = std::make_unique<TempDatabase>(e);
      url_ = db_->url();
    }
  }
  Engine engine() const { return engine_; }
  const std::string& url() const { return url_; }
  const TempDir& dir() const { return dir_; }

 private:
  Engine engine_;
  TempDir dir_;
  std::unique_ptr<TempDatabase> db_;
  std::string url_;
};

}  // namespace metaport::testing
