// The store test fixture: one test body, run on every engine of
// tests/support/engines.inc: a real SQLite file in a fresh temporary
// directory, and the real PostgreSQL and MariaDB servers that tests/run
// starts (METAPORT_PG_URL, METAPORT_MYSQL_URL), each test in its own fresh
// database. Without a server its instances FAIL: a suite that silently
// skips an engine would prove nothing about it.
#pragma once
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "runtime/store/store.hpp"
#include "tests/store/test_entities.hpp"
#include "tests/support/test_stores.hpp"

namespace storetest {

using metaport::testing::Engine;

inline const char* pg_base_url() {
  const char* u = std::getenv("METAPORT_PG_URL");
  return u && *u ? u : nullptr;
}
inline constexpr const char* kNoPg =
    "METAPORT_PG_URL is not set: run the tests through tests/run (it starts a private PostgreSQL), "
    "or pass --test_env=METAPORT_PG_URL=postgresql:///postgres?host=SOCKETDIR&port=PORT&user=USER";

// The base URL with another database: libpq URI form, every other parameter kept.
inline std::string pg_url_for_database(const std::string& base, const std::string& db) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(base.c_str(), &err);
  if (!opts) {
    std::string m = err ? err : "?";
    PQfreemem(err);
    ADD_FAILURE() << "bad METAPORT_PG_URL: " << m;
    return {};
  }
  auto encode = [](const std::string& s) {
    std::string out;
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') out += static_cast<char>(c);
      else { out += '%'; out += hex[c >> 4]; out += hex[c & 15]; }
    }
    return out;
  };
  std::string url = "postgresql:///" + db, sep = "?";
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || std::string(o->keyword) == "dbname") continue;
    url += sep + o->keyword + "=" + encode(o->val);
    sep = "&";
  }
  PQconninfoFree(opts);
  return url;
}

// Runs SQL on a PostgreSQL URL outside the store (database admin, raw checks).
inline std::string pg_exec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  std::string err;
  if (PQstatus(c) != CONNECTION_OK) err = PQerrorMessage(c);
  else {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) err = PQerrorMessage(c);
    PQclear(r);
  }
  PQfinish(c);
  return err;
}

inline std::string sqlite_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string err;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) err = sqlite3_errmsg(db);
  else {
    char* e = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &e) != SQLITE_OK) err = e ? e : "?";
    sqlite3_free(e);
  }
  sqlite3_close(db);
  return err;
}

class StoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    url_ = fresh_url();
    ASSERT_FALSE(url_.empty());
    store_ = open();
    ASSERT_NE(store_, nullptr);
    auto st = store_->create_schema(schema());
    ASSERT_TRUE(st.ok()) << st.errors().to_string();
  }

  void TearDown() override {
    store_.reset();
    databases_.clear();  // dropped
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // A new, empty store of the test's engine (a file in a fresh temporary
  // directory, or a fresh server database dropped at the end).
  std::string fresh_url() {
    static std::atomic<int> counter{0};
    const int n = counter++;
    if (GetParam() == Engine::sqlite) {
      if (dir_.empty()) {
        const char* tmp = std::getenv("TEST_TMPDIR");
        std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/mpstore.XXXXXX";
        char* d = mkdtemp(tmpl.data());
        EXPECT_NE(d, nullptr);
        dir_ = tmpl;
      }
      return "sqlite://" + dir_ + "/store" + std::to_string(n) + ".db";  // dir_ is absolute: sqlite:///...
    }
    try {
      databases_.push_back(std::make_unique<metaport::testing::TempDatabase>(GetParam()));
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
      return {};
    }
    return databases_.back()->url();
  }

  std::unique_ptr<metaport::store::Store> open(const std::string& url = {}) {
    auto s = metaport::store::open_store(url.empty() ? url_ : url, {.create = true});
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.errors().to_string());
    if (!s.ok()) return nullptr;
    return std::move(*s);
  }

  // Raw SQL on the test's store, outside the Store interface.
  // Identifiers may be "double-quoted" on every engine (MariaDB: ANSI_QUOTES).
  std::string raw_exec(const std::string& url, const std::string& sql) {
    if (GetParam() == Engine::sqlite) return sqlite_exec(url.substr(std::string("sqlite://").size()), sql);
    try {
      metaport::testing::server_exec(GetParam(), url, sql);
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  }

  // Converts and inserts; records the id in `ids`.
  std::int64_t put(metaport::store::Store& s, const metaport::Entity& e) {
    const auto* t = s.table(e.kind->name);
    EXPECT_NE(t, nullptr);
    auto row = metaport::store::row_from_entity(*t, e, ids_.resolver());
    EXPECT_TRUE(row.ok()) << (row.ok() ? "" : row.errors().to_string());
    if (!row.ok()) return -1;
    auto id = s.insert(e.kind->name, row->row);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.errors().to_string());
    if (!id.ok()) return -1;
    ids_.add(e.kind->name, e.key, *id);
    return *id;
  }

  // Every row of every table, for before/after comparisons.
  using Dump = std::map<std::string, std::vector<std::pair<std::int64_t, metaport::store::Row>>>;
  Dump dump(metaport::store::Store& s) {
    Dump out;
    for (const auto& t : s.tables()) {
      auto& rows = out[t.kind_name];
      auto st = s.scan(t.kind_name, [&](std::int64_t id, metaport::store::Row& r) {
        rows.emplace_back(id, r);
        return metaport::ok_status();
      });
      EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.errors().to_string());
    }
    return out;
  }

  // Reads every entity of `kind` back, keys resolved through the store.
  std::vector<metaport::Entity> read_all(metaport::store::Store& s, const std::string& kind) {
    IdMap map;
    for (const auto& t : s.tables()) {
      auto st = s.scan_keys(t.kind_name, [&](std::int64_t id, metaport::Key k) {
        map.add(t.kind_name, k, id);
        return metaport::ok_status();
      });
      EXPECT_TRUE(st.ok());
    }
    std::vector<metaport::Entity> out;
    auto st = s.scan(kind, [&](std::int64_t, metaport::store::Row& r) {
      auto e = metaport::store::entity_value_from_row(*s.table(kind), r, map.lookup());
      if (!e) return metaport::Status(e.errors());
      out.push_back(std::move(*e));
      return metaport::ok_status();
    });
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.errors().to_string());
    return out;
  }

  std::string url_;
  std::unique_ptr<metaport::store::Store> store_;
  IdMap ids_;
  std::string dir_;
  std::vector<std::unique_ptr<metaport::testing::TempDatabase>> databases_;
};

// ---- sample documents ------------------------------------------------------
inline std::string folder_doc(int n, int parent = -1) {
  std::string d = R"({"entity_id": ")" + eid(n, 'f') + R"(", "name": "Folder )" + std::to_string(n) +
                  R"(", "settings": {"n": )" + std::to_string(n) + "}";
  if (parent >= 0) d += R"(, "parent": ")" + eid(parent, 'f') + "\"";
  return d + "}";
}
inline std::string account_doc(const std::string& login, const std::string& token = "tok") {
  return R"({"realm": "corp", "login": ")" + login + R"(", "active": true, "quota": 5, "api_token": ")" + token + "\"}";
}
inline std::string item_doc(int n, int folder, const std::string& owner_login, int board = -1) {
  std::string d = R"({"entity_id": ")" + eid(n, 'i') + R"(", "name": "Item ✓ )" + std::to_string(n) +
                  R"(", "folder": ")" + eid(folder, 'f') + R"(", "owner": ["corp", ")" + owner_login +
                  R"("], "shape": "big-triangle", "score": 0.1, "size": 9223372036854775807, "tag_count": 0,
      "created_at": "2024-01-15T10:30:00.123456Z", "tags": ["x", "日本"], "counters": {"b": 2, "a": 1},
      "display/options": {"compact": true, "related": [")" + eid(n + 1, 'i') + R"("], "extra": {"k": [1, 2]}},
      "see_also": [")" + eid(n + 2, 'i') + R"("], "position": -9223372036854775808, "ratio": 1e300)";
  if (board >= 0) d += R"(, "board": ")" + eid(board, 'b') + "\"";
  return d + "}";
}
inline std::string board_doc(int n, int cover = -1) {
  std::string d = R"({"entity_id": ")" + eid(n, 'b') + R"(", "name": "Board )" + std::to_string(n) + R"(", "order": 3)";
  if (cover >= 0) d += R"(, "cover": ")" + eid(cover, 'i') + "\"";
  return d + "}";
}

}  // namespace storetest
