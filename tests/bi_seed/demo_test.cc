// `metaport demo` end to end on real SQLite files, its refusal to wipe a
// folder it did not make, and the small tree diff it prints.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "entities/bi/demo_diff.hpp"
#include "entities/bi/extras.hpp"
#include "tests/bi_seed/seed_test_util.hpp"
#include "tests/support/test_stores.hpp"

namespace {

namespace fs = std::filesystem;
using metaport::testing::TempDir;

TEST(Demo, RunsEndToEndAndExitsZero) {
  TempDir tmp;
  const std::string dir = tmp / "work";
  ::testing::internal::CaptureStdout();
  const int rc = bi::demo(metaport::generated::schema_bi(), {dir});
  const std::string out = ::testing::internal::GetCapturedStdout();
  std::cout << out;
  ASSERT_EQ(rc, 0) << out;
  for (const char* step : {"1. seed staging", "2. dump staging", "3. load into production", "4. dump production",
                           "5. change staging", "6. dump staging again", "7. load into production",
                           "8. dump production", "9. git: staging pushes", "10. git: production joins",
                           "11. git: staging pushes", "12. git: production pulls", "13. git: production", "demo OK"})
    EXPECT_NE(out.find(step), std::string::npos) << step;
  // Step 5 goes through the typed store API, as a service's own code would.
  EXPECT_NE(out.find("2 updated through the store API"), std::string::npos) << out;
  // The diff shows the two changes.
  EXPECT_NE(out.find("+name: Operations health (weekly)"), std::string::npos) << out;
  EXPECT_NE(out.find("-name: Operations health"), std::string::npos) << out;
  EXPECT_NE(out.find("+      - 250"), std::string::npos) << out;
  // The git leg: the reviewed commit's one-line diff, the pull, the refusal.
  EXPECT_NE(out.find("+      - 500"), std::string::npos) << out;
  EXPECT_NE(out.find("0 created, 1 updated, 0 deleted"), std::string::npos) << out;
  EXPECT_NE(out.find("synced read-only content"), std::string::npos) << out;
  // What it leaves behind: two stores and two identical trees.
  EXPECT_TRUE(fs::is_regular_file(dir + "/staging.db"));
  EXPECT_TRUE(fs::is_regular_file(dir + "/production.db"));
  EXPECT_TRUE(fs::is_directory(dir + "/content.git"));
  auto a = bi::demo_diff::read_tree(dir + "/staging");
  auto b = bi::demo_diff::read_tree(dir + "/production");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_GT(a->size(), 300u);
  EXPECT_TRUE(*a == *b);
  // A second run recreates its folder and succeeds again.
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(bi::demo(metaport::generated::schema_bi(), {dir}), 0);
  ::testing::internal::GetCapturedStdout();
}

TEST(Demo, RefusesToWipeAFolderItDidNotMake) {
  TempDir tmp;
  const std::string dir = tmp / "precious";
  fs::create_directories(dir);
  std::ofstream(dir + "/notes.txt") << "keep me";
  EXPECT_EQ(bi::demo(metaport::generated::schema_bi(), {dir}), 2);
  EXPECT_TRUE(fs::exists(dir + "/notes.txt"));
  EXPECT_EQ(bi::demo(metaport::generated::schema_bi(), {dir, "extra"}), 2);
}

TEST(DemoDiff, UnifiedDiffWithContext) {
  const std::string a = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
  const std::string b = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\nk\n";
  EXPECT_EQ(bi::demo_diff::unified(a, b, "x", "y", 2),
            "--- x\n+++ y\n"
            "@@ -3,5 +3,5 @@\n c\n d\n-e\n+E\n f\n g\n"
            "@@ -9,2 +9,3 @@\n i\n j\n+k\n");
  EXPECT_EQ(bi::demo_diff::unified(a, a, "x", "y"), "");
  // Changes close together share one hunk.
  EXPECT_EQ(bi::demo_diff::unified("1\n2\n3\n", "1\nX\n3\n", "x", "y", 3), "--- x\n+++ y\n@@ -1,3 +1,3 @@\n 1\n-2\n+X\n 3\n");
  EXPECT_EQ(bi::demo_diff::unified("", "new\n", "x", "y"), "--- x\n+++ y\n@@ -0,0 +1,1 @@\n+new\n");
}

TEST(DemoDiff, CompareFindsChangesRenamesAndTheRest) {
  std::map<std::string, std::string> a = {{"c/old.yaml", "name: Old\nentity_id: abc\n"},
                                          {"c/same.yaml", "x\n"},
                                          {"c/edit.yaml", "v: 1\n"},
                                          {"c/gone.yaml", "entity_id: zzz\n"}};
  std::map<std::string, std::string> b = {{"c/new.yaml", "name: New\nentity_id: abc\n"},
                                          {"c/same.yaml", "x\n"},
                                          {"c/edit.yaml", "v: 2\n"},
                                          {"d/gone.yaml", "entity_id: zzz\n"}};
  const auto d = bi::demo_diff::compare(a, b);
  EXPECT_EQ(d.changed, std::vector<std::string>{"c/edit.yaml"});
  ASSERT_EQ(d.renamed.size(), 1u);
  EXPECT_EQ(d.renamed[0].first, "c/old.yaml");
  EXPECT_EQ(d.renamed[0].second, "c/new.yaml");
  // Another folder is a move, shown as a removal and an addition.
  EXPECT_EQ(d.only_a, std::vector<std::string>{"c/gone.yaml"});
  EXPECT_EQ(d.only_b, std::vector<std::string>{"d/gone.yaml"});
  EXPECT_EQ(d.differences(), 4u);
  EXPECT_FALSE(d.identical());
  EXPECT_TRUE(bi::demo_diff::compare(a, a).identical());
}

}  // namespace
