// Opening stores: URL forms, and clear errors for bad URLs, missing or
// foreign SQLite files, unreachable PostgreSQL servers, unknown roles and
// missing databases.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "tests/store/store_fixture.hpp"

namespace {

using namespace metaport;
using namespace metaport::store;

std::string open_error(const std::string& url, bool create = false) {
  auto s = open_store(url, {.create = create});
  EXPECT_FALSE(s.ok()) << url << " opened";
  return s.ok() ? "" : s.errors().to_string();
}
bool contains(const std::string& h, const std::string& n) { return h.find(n) != std::string::npos; }

TEST(StoreUrl, ParsesTheDocumentedForms) {
  auto rel = parse_store_url("sqlite://data/metabase.db");
  ASSERT_TRUE(rel.ok());
  EXPECT_EQ(rel->dialect->name(), "sqlite");
  EXPECT_EQ(rel->path, "data/metabase.db");
  auto abs = parse_store_url("sqlite:///var/lib/metabase.db");
  ASSERT_TRUE(abs.ok());
  EXPECT_EQ(abs->path, "/var/lib/metabase.db");
  for (const char* pg : {"postgres://u@localhost:5432/db", "postgresql://u:pw@db.example/meta?sslmode=disable",
                         "postgresql:///db?host=/tmp/sock&port=5433&user=u"}) {
    auto p = parse_store_url(pg);
    ASSERT_TRUE(p.ok()) << pg << ": " << p.errors().to_string();
    EXPECT_EQ(p->dialect->name(), "postgres");
    EXPECT_EQ(p->conninfo, pg);
  }
  for (const char* my : {"mysql://u:pw@db.example:3306/meta", "mariadb://u@localhost/meta?socket=/tmp/x.sock",
                         "mysql://[::1]:3307/db?connect_timeout=5&ssl=required", "mysql://u%40corp:p%2Fw@h/d%2Dx"}) {
    auto m = parse_store_url(my);
    ASSERT_TRUE(m.ok()) << my << ": " << m.errors().to_string();
    EXPECT_EQ(m->dialect->name(), "mysql");
    EXPECT_EQ(m->conninfo, my);
  }
  auto mpw = parse_store_url("mysql://u:hunter2@db.example/meta");
  ASSERT_TRUE(mpw.ok());
  EXPECT_EQ(mpw->display, "mysql://u:***@db.example/meta");
  // Passwords never reach messages.
  auto pw = parse_store_url("postgresql://u:hunter2@db.example/meta?password=hunter3");
  ASSERT_TRUE(pw.ok());
  EXPECT_EQ(pw->display, "postgresql://u:***@db.example/meta?password=***");
}

TEST(StoreUrl, RefusesMalformedUrlsClearly) {
  struct Case {
    const char* url;
    const char* says;
  };
  const Case cases[] = {
      {"", "empty store URL"},
      {"oracle://localhost/db", "unsupported store URL 'oracle://localhost/db': expected sqlite://"},
      {"metabase.db", "for a SQLite file, write sqlite://metabase.db"},
      {"sqlite:metabase.db", "bad store URL 'sqlite:metabase.db'"},
      {"sqlite://", "no database file path"},
      {"sqlite:///", "no database file path"},
      {"sqlite:///tmp/dir/", "names a directory"},
      {"sqlite://x.db?mode=ro", "take no parameters"},
      {"postgresql://[::1", "bad store URL 'postgresql://[::1'"},
      {"postgresql:///db?nonsense=1", "invalid URI query parameter: \"nonsense\""},
      {"mysql://localhost", "no database name"},
      {"mysql://u:secret@localhost/", "bad store URL 'mysql://u:***@localhost/': no database name"},
      {"mariadb://h:99999/db", "the port '99999' is not a number from 1 to 65535"},
      {"mysql://h/db?frob=1", "unknown parameter 'frob'"},
      {"mysql://h/db?ssl=maybe", "ssl must be disabled, required or verify"},
      {"mysql://h/d%zz", "is not valid"},
  };
  for (const auto& c : cases) {
    auto r = parse_store_url(c.url);
    ASSERT_FALSE(r.ok()) << c.url;
    EXPECT_TRUE(contains(r.errors().to_string(), c.says)) << c.url << " -> " << r.errors().to_string();
    // open_store says the same.
    EXPECT_TRUE(contains(open_error(c.url), c.says)) << c.url;
  }
}

// A password that appears again in the part of the URL a message quotes
// (found by store_url_fuzz: fuzz/corpus/store_url_fuzz/crash-39c6e44b...).
TEST(StoreUrl, APasswordQuotedAgainInAMessageIsMasked) {
  for (const char* url : {"mysql://u:s3cretpw@h/db/s3cretpw", "mysql://u:s3cretpw@h:s3cretpw/db",
                          "mysql://u:s3cretpw@h/db?ssl=s3cretpw", "postgresql://u:s3cretpw@h/db?s3cretpw=1"}) {
    auto r = parse_store_url(url);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_FALSE(contains(r.errors().to_string(), "s3cretpw")) << url << " -> " << r.errors().to_string();
    EXPECT_TRUE(contains(r.errors().to_string(), "***")) << url << " -> " << r.errors().to_string();
  }
}

class SqliteOpen : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/mpopen.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string dir;
};

TEST_F(SqliteOpen, AMissingFileIsAnErrorUnlessCreating) {
  const std::string url = "sqlite://" + dir + "/missing.db";
  const std::string msg = open_error(url);
  EXPECT_TRUE(contains(msg, "no SQLite store at '" + dir + "/missing.db'")) << msg;
  EXPECT_FALSE(std::filesystem::exists(dir + "/missing.db"));  // a typo creates nothing
  auto created = open_store(url, {.create = true});
  ASSERT_TRUE(created.ok()) << created.errors().to_string();
  EXPECT_TRUE(std::filesystem::exists(dir + "/missing.db"));
}

TEST_F(SqliteOpen, ADirectoryOrAForeignFileIsRefused) {
  EXPECT_TRUE(contains(open_error("sqlite://" + dir), "it is a directory"));
  const std::string bogus = dir + "/notes.txt";
  std::ofstream(bogus) << "this is not a database, just some text that is long enough to fill a header page....\n";
  const std::string msg = open_error("sqlite://" + bogus);
  EXPECT_TRUE(contains(msg, "is not an SQLite database")) << msg;
  const std::string nodir = open_error("sqlite://" + dir + "/no/such/dir/x.db", /*create=*/true);
  EXPECT_TRUE(contains(nodir, "cannot open SQLite store")) << nodir;
}

TEST_F(SqliteOpen, RelativeUrlsAreRelativeToTheWorkingDirectory) {
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  auto s = open_store("sqlite://rel.db", {.create = true});
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(s.ok()) << s.errors().to_string();
  EXPECT_TRUE(std::filesystem::exists(dir + "/rel.db"));
}

TEST(PostgresOpen, ConnectionErrorsAreClear) {
  const char* base = storetest::pg_base_url();
  ASSERT_NE(base, nullptr) << storetest::kNoPg;
  // A socket directory where no server listens.
  std::string msg = open_error("postgresql:///postgres?host=/nonexistent-metaport-socket-dir&port=5999&user=postgres");
  EXPECT_TRUE(contains(msg, "cannot connect to PostgreSQL store postgresql:///postgres?host=/nonexistent")) << msg;
  EXPECT_TRUE(contains(msg, "No such file or directory")) << msg;
  // A database that does not exist, on the real server.
  msg = open_error(storetest::pg_url_for_database(base, "metaport_no_such_db"));
  EXPECT_TRUE(contains(msg, "database \"metaport_no_such_db\" does not exist")) << msg;
  // Credentials the server does not accept (the test server trusts every
  // known role, so an unknown role is the wrong credential it can refuse).
  std::string as_ghost = storetest::pg_url_for_database(base, "postgres");
  const auto user = as_ghost.find("user=");
  ASSERT_NE(user, std::string::npos);
  as_ghost.replace(user, as_ghost.find('&', user) == std::string::npos ? std::string::npos : as_ghost.find('&', user) - user,
                   "user=metaport_ghost");
  msg = open_error(as_ghost);
  EXPECT_TRUE(contains(msg, "role \"metaport_ghost\" does not exist")) << msg;
  // A database that is not UTF8.
  // pid and a random part: sandboxed tests share pids (own pid namespaces).
  const std::string latin1 = "metaport_latin1_" + std::to_string(getpid()) + "_" + std::to_string(std::random_device{}() % 100000000);
  ASSERT_EQ(storetest::pg_exec(base, "CREATE DATABASE " + latin1 + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"), "");
  msg = open_error(storetest::pg_url_for_database(base, latin1));
  EXPECT_TRUE(contains(msg, "the database's encoding is LATIN1; metaport needs UTF8")) << msg;
  EXPECT_EQ(storetest::pg_exec(base, "DROP DATABASE " + latin1), "");
  // And the real one connects.
  auto ok = open_store(base);
  EXPECT_TRUE(ok.ok()) << ok.errors().to_string();
}

// A server that is not there, a database that does not exist, a wrong
// password: each named, the URL shown with its password masked.
TEST(MysqlOpen, ConnectionErrorsAreClear) {
  using metaport::testing::Engine;
  const std::string base = metaport::testing::server_url(Engine::mysql);
  std::string msg = open_error("mysql://root@localhost/x?socket=/nonexistent-metaport-dir/mysqld.sock");
  EXPECT_TRUE(contains(msg, "cannot connect to MySQL store mysql://root@localhost/x?socket=/nonexistent")) << msg;
  EXPECT_TRUE(contains(msg, "Can't connect to local server through socket")) << msg;
  msg = open_error("mysql://root:hunter2@127.0.0.1:1/x?connect_timeout=2");
  EXPECT_TRUE(contains(msg, "mysql://root:***@127.0.0.1:1/x")) << msg;
  EXPECT_FALSE(contains(msg, "hunter2")) << msg;
  msg = open_error(metaport::testing::url_with_db(base, "metaport_no_such_db"));
  EXPECT_TRUE(contains(msg, "Unknown database 'metaport_no_such_db'")) << msg;
  // A user with a password, and the wrong one.
  const std::string user = "mp_pw_" + std::to_string(getpid()) + "_" + std::to_string(std::random_device{}() % 100000000);
  metaport::testing::TempDatabase db(Engine::mysql);
  metaport::testing::server_exec(Engine::mysql, base,
                                 "CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'right-pw'; GRANT ALL ON " +
                                     db.name() + ".* TO '" + user + "'@'localhost'");
  auto with = [&](const std::string& pw) {
    std::string url = db.url();
    return url.replace(url.find("root@"), 5, user + ":" + pw + "@");
  };
  msg = open_error(with("wrong-pw"));
  EXPECT_TRUE(contains(msg, "Access denied for user '" + user + "'")) << msg;
  EXPECT_TRUE(contains(msg, user + ":***@")) << msg;
  EXPECT_FALSE(contains(msg, "wrong-pw")) << msg;
  auto ok = open_store(with("right-pw"));
  EXPECT_TRUE(ok.ok()) << ok.errors().to_string();
  metaport::testing::server_exec(Engine::mysql, base, "DROP USER '" + user + "'@'localhost'");
}

}  // namespace
