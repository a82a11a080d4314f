// Metabase's own validator (@metabase/representations validate-schema, run
// with node) accepts what metaport writes for every kind it knows, and
// rejects broken documents (so a green run means something).
//
// Needs METAPORT_REPRESENTATIONS_DIR (the installed package; tests/run sets
// it) and node (METAPORT_NODE, else `node` on PATH). Missing either is a
// failure, not a skip.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/bi/fixtures.hpp"
#include "tests/bi/test_util.hpp"

namespace {

namespace fs = std::filesystem;
using namespace bi;

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

RunResult validate(const fs::path& folder) {
  RunResult r;
  const std::string pkg = bi::testing::representations_dir();
  if (pkg.empty()) return r;
  const char* node_env = std::getenv("METAPORT_NODE");
  const std::string node = node_env && *node_env ? node_env : "node";
  const std::string cmd = shell_quote(node) + " " + shell_quote(pkg + "/dist/bin/cli.js") +
                          " validate-schema --folder " + shell_quote(folder.string()) + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    ADD_FAILURE() << "cannot run " << cmd;
    return r;
  }
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// A fresh directory under the test's temporary directory.
fs::path fresh_dir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path dir = fs::path(tmp && *tmp ? tmp : fs::temp_directory_path().string()) /
                 ("bi_validator_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

// As a dump writes it: canonical YAML, secrets redacted.
template <class T>
std::string dumped(const T& v) {
  return metaport::yaml::write(metaport::encode(v));
}

int count_passed(const std::string& output, int* failed) {
  std::smatch m;
  static const std::regex summary(R"((\d+) passed, (\d+) failed)");
  if (!std::regex_search(output, m, summary)) return -1;
  *failed = std::stoi(m[2]);
  return std::stoi(m[1]);
}

// The spec expects exports with an empty or broken query ("database_id:
// only included when not derivable from dataset_query (e.g., empty
// query)"), and metaport keeps them, but card.yaml / segment.yaml require a
// query there: such samples are checked separately below.
template <class T>
bool query_is_whole(const T& v) {
  if constexpr (std::is_same_v<T, Card>)
    return query::database_of(v.dataset_query).has_value();
  else if constexpr (std::is_same_v<T, Segment> || std::is_same_v<T, Measure>)
    return query::source_table_of(v.definition).has_value();
  else
    return true;
}

// One file per sample of every kind the validator has a schema for (the
// validator picks the schema by the last serdes/meta model, and only reads
// collections/, databases/**/segments|measures/, channels/, metabots/,
// python_libraries/ and transforms/). Each kind goes where the format puts
// it; Database, Glossary, Action and Timeline documents have no home in
// those folders, so they go under collections/main/ to be checked at all.
TEST(Validator, AcceptsEverySampleOfEveryKindItKnows) {
  const fs::path root = fresh_dir("all");
  int files = 0;
  auto put = [&](const fs::path& rel, const std::string& text) {
    write_file(root / rel, text);
    ++files;
  };
  auto each = [&]<class T>(const std::string& folder) {
    const auto all = fixtures::samples<T>();
    for (std::size_t i = 0; i < all.size(); ++i)
      if (query_is_whole(all[i]))
        put(fs::path(folder) /
                (std::string(metaport::snake_case(metaport::kind_traits<T>::name)) + "_" + std::to_string(i) + ".yaml"),
            dumped(all[i]));
  };
  for (const auto& c : fixtures::samples<Collection>()) {
    const bool snippets = c.namespace_ && c.namespace_->has_value() && **c.namespace_ == CollectionNamespace::snippets;
    const bool transforms =
        c.namespace_ && c.namespace_->has_value() && **c.namespace_ == CollectionNamespace::transforms;
    put(fs::path("collections") /
            (snippets     ? "snippets"
             : transforms ? "transforms"
                          : "main") /
            (metaport::slugify(c.name) + ".yaml"),
        dumped(c));
  }
  each.operator()<Card>("collections/main/marketing");
  each.operator()<Dashboard>("collections/main/marketing");
  each.operator()<Document>("collections/main/marketing/reports");
  each.operator()<Timeline>("collections/main/marketing");
  each.operator()<Action>("collections/main/marketing");
  each.operator()<Database>("collections/main/_databases");
  each.operator()<Glossary>("collections/main/_glossary");
  each.operator()<NativeQuerySnippet>("collections/snippets");
  each.operator()<Transform>("collections/transforms");
  each.operator()<Segment>("databases/sample_database/schemas/public/tables/products/segments");
  each.operator()<Measure>("databases/sample_database/schemas/public/tables/orders/measures");
  each.operator()<TransformTag>("transforms/transform_tags");
  each.operator()<TransformJob>("transforms/transform_jobs");
  each.operator()<PythonLibrary>("python_libraries");
  each.operator()<Channel>("channels");
  each.operator()<Metabot>("metabots");

  const RunResult r = validate(root);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("FAIL"), std::string::npos) << r.output;
  int failed = -1;
  EXPECT_EQ(count_passed(r.output, &failed), files) << r.output;  // every file was read and checked
  EXPECT_EQ(failed, 0);
  EXPECT_GT(files, 35);
}

TEST(Validator, RejectsBrokenDocuments) {
  const fs::path root = fresh_dir("broken");
  const std::string card = dumped(fixtures::orders_by_category_card());
  write_file(root / "collections/main/good.yaml", card);
  // An enum value outside card.yaml's list.
  std::string bad_card = card;
  bad_card.replace(bad_card.find("display: bar"), 12, "display: tabel");
  write_file(root / "collections/main/bad_display.yaml", bad_card);
  // A dashcard off the grid (col 30) and a creator that is not an email.
  std::string dash = dumped(fixtures::sales_dashboard());
  dash.replace(dash.find("  col: 16\n"), 10, "  col: 30\n");
  dash.replace(dash.find("creator_id: admin@metabase.local"), 32, "creator_id: admin");
  write_file(root / "collections/main/bad_dashboard.yaml", dash);

  const RunResult r = validate(root);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("FAIL  "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad_display.yaml (Card)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("/display"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad_dashboard.yaml (Dashboard)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("/dashcards/3/col"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("/creator_id"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("good.yaml"), std::string::npos) << r.output;
  int failed = -1;
  EXPECT_EQ(count_passed(r.output, &failed), 1) << r.output;
  EXPECT_EQ(failed, 2);
}

// What the spec allows and the schema does not: a card with an empty query,
// a segment with a broken definition (their database / table kept in
// database_id / table_id). metaport loads and dumps them as they are; the
// validator flags the missing query parts, nothing else.
TEST(Validator, FlagsTheEmptyQueriesTheSpecAllowsAndTheSchemaDoesNot) {
  const fs::path root = fresh_dir("empty_queries");
  int written = 0;
  for (const auto& c : fixtures::samples<Card>()) {
    if (query_is_whole(c)) continue;
    write_file(root / "collections/main" / (metaport::slugify(c.name) + ".yaml"), dumped(c));
    ++written;
  }
  for (const auto& seg : fixtures::samples<Segment>()) {
    if (query_is_whole(seg)) continue;
    write_file(root / "databases/sample_database/schemas/public/tables/orders/segments" /
                   (metaport::slugify(seg.name) + ".yaml"),
               dumped(seg));
    ++written;
  }
  ASSERT_EQ(written, 2);
  const RunResult r = validate(root);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("/dataset_query must have required property 'stages'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("/definition must have required property 'stages'"), std::string::npos) << r.output;
  for (const char* kept : {"/database_id", "/table_id"}) EXPECT_EQ(r.output.find(kept), std::string::npos) << r.output;
  int failed = -1;
  EXPECT_EQ(count_passed(r.output, &failed), 0);
  EXPECT_EQ(failed, 2);
}

// The spec's Dashboard example (tab ids of 20 characters, a bare tab id in
// dashboard_tab_id) is rejected by the validator too: following the JSON
// Schema rather than the prose is what makes metaport's dumps pass.
TEST(Validator, RejectsTheSpecsOwnDashboardExampleAsMetaportDoes) {
  const std::string pkg = bi::testing::representations_dir();
  ASSERT_FALSE(pkg.empty());
  const std::string spec = bi::testing::read_file(pkg + "/core-spec/v1/spec.md");
  const std::size_t at = spec.find("name: Orders Overview\n");
  ASSERT_NE(at, std::string::npos);
  const std::string example = spec.substr(at, spec.find("```", at) - at);
  const fs::path root = fresh_dir("spec_dashboard");
  write_file(root / "collections/main/orders_overview.yaml", example);
  const RunResult r = validate(root);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("/tabs/0/entity_id"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("/dashcards/0/dashboard_tab_id"), std::string::npos) << r.output;
}

}  // namespace
