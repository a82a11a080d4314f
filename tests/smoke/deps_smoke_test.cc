// Uses every third-party library for real, so a broken BUILD file, a missing
// package or a wrong link flag shows up here and not in the middle of a feature.
#include <boost/describe.hpp>
#include <boost/json.hpp>
#include <boost/mp11.hpp>
#include <boost/pfr.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <git2.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sqlite3.h>
#include <yaml-cpp/yaml.h>
#include <zstd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

struct Card {
  int id;
  std::string name;
  double weight;
};
BOOST_DESCRIBE_STRUCT(Card, (), (id, name, weight))

TEST(Boost, DescribeEnumeratesMembers) {
  std::vector<std::string> names;
  boost::mp11::mp_for_each<boost::describe::describe_members<Card, boost::describe::mod_public>>(
      [&](auto d) { names.emplace_back(d.name); });
  EXPECT_EQ(names, (std::vector<std::string>{"id", "name", "weight"}));
}

TEST(Boost, PfrEquality) {
  Card a{1, "x", 2.5};
  Card b{1, "x", 2.5};
  Card c{2, "x", 2.5};
  EXPECT_TRUE(boost::pfr::eq(a, b));
  EXPECT_FALSE(boost::pfr::eq(a, c));
  EXPECT_EQ(boost::pfr::tuple_size_v<Card>, 3u);
}

TEST(Boost, JsonParseSerialize) {
  boost::json::value v = boost::json::parse(R"({"b":[1,2],"a":"z"})");
  EXPECT_EQ(v.at("a").as_string(), "z");
  EXPECT_EQ(v.at("b").as_array().size(), 2u);
  EXPECT_EQ(boost::json::serialize(boost::json::parse(boost::json::serialize(v))), boost::json::serialize(v));
}

TEST(YamlCpp, Load) {
  YAML::Node n = YAML::Load("name: Orders\ntags: [a, b]\n");
  EXPECT_EQ(n["name"].as<std::string>(), "Orders");
  EXPECT_EQ(n["tags"].size(), 2u);
  YAML::Emitter out;
  out << n;
  EXPECT_TRUE(out.good());
}

TEST(Sqlite, InMemoryQuery) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (20),(22);", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT sum(x) FROM t", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 42);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(Simdjson, Parse) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string json(std::string(R"({"kind":"card","n":7})"));
  auto doc = parser.iterate(json);
  EXPECT_EQ(std::string_view(doc["kind"].get_string().value()), "card");
  EXPECT_EQ(int64_t(doc["n"].get_int64().value()), 7);
}

TEST(Fmt, Format) { EXPECT_EQ(fmt::format("{}-{:03d}", "card", 7), "card-007"); }

TEST(Cli11, Parse) {
  CLI::App app{"smoke"};
  std::string mode = "skip";
  int size = 0;
  app.add_option("--mode", mode);
  app.add_option("--size", size);
  std::vector<std::string> args{"--size", "12", "--mode", "update"};
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  app.parse(args);
  EXPECT_EQ(mode, "update");
  EXPECT_EQ(size, 12);
}

TEST(Zstd, RoundTrip) {
  std::string in(10000, 'm');
  for (size_t i = 0; i < in.size(); i += 7) in[i] = char('a' + i % 26);
  std::string packed(ZSTD_compressBound(in.size()), '\0');
  size_t n = ZSTD_compress(packed.data(), packed.size(), in.data(), in.size(), 3);
  ASSERT_FALSE(ZSTD_isError(n));
  EXPECT_LT(n, in.size());
  std::string out(in.size(), '\0');
  size_t m = ZSTD_decompress(out.data(), out.size(), packed.data(), n);
  ASSERT_FALSE(ZSTD_isError(m));
  EXPECT_EQ(out, in);
}

TEST(Libgit2, InitRepository) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::filesystem::path dir = std::filesystem::path(tmp ? tmp : "/tmp") / "git_smoke";
  std::filesystem::remove_all(dir);
  ASSERT_GE(git_libgit2_init(), 1);
  git_repository* repo = nullptr;
  ASSERT_EQ(git_repository_init(&repo, dir.c_str(), /*is_bare=*/0), 0) << git_error_last()->message;
  EXPECT_TRUE(std::filesystem::exists(dir / ".git" / "HEAD"));
  EXPECT_EQ(git_repository_is_empty(repo), 1);
  git_repository_free(repo);
  git_libgit2_shutdown();
}

}  // namespace
