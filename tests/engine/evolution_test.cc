// Schema evolution on the `lib` schema compiled at versions 1 and 2:
// dumps of version 1 load under version 2 through the upgrade steps, a
// version-1 store migrates to version 2 (backup first, one transaction), and
// the lock history checks catch a change without a bump or without a step.
#include <gtest/gtest.h>

#include "metaport/schema_lock.hpp"
#include "runtime/engine/migrate.hpp"
#include "tests/engine/engine_test_util.hpp"
#include "tests/engine/library_v2_schema.hpp"

namespace metaport::testing {
namespace {

using format::Format;

const SchemaInfo& v1() {
  static const SchemaInfo s = [] {
    auto x = make_schema_info<lib::Schema>();
    x.lock_history = schema_lock::lock_text(x);
    return x;
  }();
  return s;
}
const SchemaInfo& v2() {
  static const SchemaInfo s = [] {
    auto x = make_schema_info<lib2::Schema>();
    x.lock_history = schema_lock::lock_text(x, schema_lock::parse_lock(v1().lock_history));
    return x;
  }();
  return s;
}

std::string id(const std::string& name) { return EntityId::from_name(name).str(); }

std::vector<Rec> v1_library() {
  std::vector<Rec> r;
  Value shelf = Value::object();
  shelf.set("entity_id", id("Fiction"));
  shelf.set("name", "Fiction");
  shelf.set("description", "Novels and stories");
  r.push_back({"Shelf", shelf});
  Value book = Value::object();
  book.set("entity_id", id("Dune"));
  book.set("title", "Dune");
  book.set("author", "frank@example.com");
  book.set("shelf_id", id("Fiction"));
  book.set("license_key", "k-123");
  r.push_back({"Book", book});
  Value label = Value::object();
  label.set("name", "classic");
  label.set("color", "gold");
  r.push_back({"Label", label});
  return r;
}

class EvolutionTest : public ::testing::TestWithParam<Engine> {
 protected:
  TempDir dir_;
};

TEST(LockHistory, KeepsPastVersionsAndListsTheSteps) {
  const std::string lock = v2().lock_history;
  EXPECT_NE(lock.find("version 1\n"), std::string::npos) << lock;
  EXPECT_NE(lock.find("upgrade 1 -> 2\n  Shelf: rename description -> summary\n  Book: add language\n  Label: drop color\n"),
            std::string::npos)
      << lock;
  EXPECT_NE(lock.find("version 2\n"), std::string::npos);
  EXPECT_TRUE(schema_lock::check_lock(v2(), lock).empty());
  // The version-1 shape reads back exactly.
  auto old = schema_lock::schema_at_version(v2(), 1);
  ASSERT_TRUE(old.ok()) << old.errors().to_string();
  EXPECT_EQ(schema_lock::shape_text(*old), schema_lock::shape_text(v1()));
}

TEST(LockHistory, AStructChangeWithoutABumpNamesTheChange) {
  // v2's structs checked against a lock that says version 2 looked like v1.
  SchemaInfo same_version = make_schema_info<lib2::Schema>();
  same_version.version = 1;
  auto problems = schema_lock::check_lock(same_version, v1().lock_history);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("changed, but the schema version is still 1"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("- Shelf.description?: string|null"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("+ Shelf.summary?: string|null"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("+ Book.language: string"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("(a rename? rename_field(FROM, \"Shelf\", \"description\", \"summary\"))"),
            std::string::npos)
      << problems[0];
}

TEST(LockHistory, ABumpWithoutAStepNamesTheKind) {
  SchemaInfo no_steps = make_schema_info<lib2::Schema>();
  no_steps.upgrades.erase(no_steps.upgrades.begin());  // forget the Shelf rename
  auto problems = schema_lock::check_lock(no_steps, v1().lock_history);
  bool shelf = false, stale = false;
  for (const auto& p : problems) {
    shelf |= p.find("kind Shelf changed from version 1 to 2 but no upgrade step from version 1 is registered") != std::string::npos;
    stale |= p.find("version 2 is not in the committed lock yet") != std::string::npos;
  }
  EXPECT_TRUE(shelf) << problems.size();
  EXPECT_TRUE(stale);
}

TEST_P(EvolutionTest, AVersion1DumpLoadsUnderVersion2) {
  FreshStore a(GetParam());
  std::string p = dir_ / "v1.jsonl";
  write_dump(v1(), p, v1_library());
  auto rep = load_path(a.url(), v2(), p);
  ASSERT_EQ(rep.failed(), 0u) << rep.text();
  EXPECT_NE(rep.text().find("upgraded from lib version 1 to 2"), std::string::npos) << rep.text();
  std::string text = dump_text(a.url(), v2(), Format::jsonl, dir_ / "out.jsonl");
  EXPECT_NE(text.find("\"summary\":\"Novels and stories\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"language\":\"en\""), std::string::npos);
  EXPECT_EQ(text.find("gold"), std::string::npos);
  EXPECT_NE(text.find("{\"metaport\":\"dump\",\"format\":1,\"schema\":\"lib\",\"version\":2,\"end\":\"counts\"}"), std::string::npos);
}

TEST_P(EvolutionTest, AVersion1StoreMigratesWithItsDataAndABackup) {
  FreshStore a(GetParam());
  std::string p = dir_ / "v1.jsonl";
  write_dump(v1(), p, v1_library());
  ASSERT_EQ(load_path(a.url(), v1(), p).failed(), 0u);
  engine::DumpOptions keep;
  keep.keep_secrets = true;
  std::string before = dump_text(a.url(), v1(), Format::jsonl, dir_ / "before.jsonl", keep);

  // Refused by the old code once migrated; by the new code before.
  auto st = open_store(a.url(), v1(), false);
  st.reset();
  {
    store::OpenOptions o;
    auto raw = store::open_store(a.url(), o);
    ASSERT_TRUE(raw.ok());
    auto c = (*raw)->check_schema(v2());
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.errors().to_string().find("migrate"), std::string::npos);
  }
  // A dry run changes nothing.
  {
    auto raw = store::open_store(a.url(), {});
    auto r = engine::migrate(**raw, v2(), dir_ / "dry-backup.jsonl", /*dry_run=*/true, false);
    ASSERT_TRUE(r.ok()) << r.errors().to_string();
    EXPECT_FALSE(r->committed);
    EXPECT_EQ(r->load.failed(), 0u) << r->load.text();
  }
  EXPECT_EQ(dump_text(a.url(), v1(), Format::jsonl, dir_ / "after-dry.jsonl", keep), before);

  auto raw = store::open_store(a.url(), {});
  ASSERT_TRUE(raw.ok());
  auto r = engine::migrate(**raw, v2(), dir_ / "backup.jsonl", false, false);
  ASSERT_TRUE(r.ok()) << r.errors().to_string();
  EXPECT_TRUE(r->committed) << r->load.text();
  EXPECT_EQ(r->from, 1);
  EXPECT_EQ(r->to, 2);
  // The backup is a version-1 dump of everything, users and secrets included.
  std::string backup = read_text(dir_ / "backup.jsonl");
  EXPECT_NE(backup.find("\"version\":1"), std::string::npos);
  EXPECT_NE(backup.find("\"kind\":\"Author\""), std::string::npos);
  EXPECT_NE(backup.find("k-123"), std::string::npos);
  // Migrated: the data, upgraded; the secret kept; the version recorded.
  std::string after = dump_text(a.url(), v2(), Format::jsonl, dir_ / "after.jsonl", keep);
  EXPECT_NE(after.find("\"summary\":\"Novels and stories\""), std::string::npos) << after;
  EXPECT_NE(after.find("k-123"), std::string::npos);
  EXPECT_NE(after.find("\"language\":\"en\""), std::string::npos);
  // Again: nothing to do. The old code now refuses the store.
  auto again = engine::migrate(**raw, v2(), dir_ / "b2.jsonl", false, false);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->nothing_to_do);
  auto old_code = engine::migrate(**raw, v1(), dir_ / "b3.jsonl", false, false);
  ASSERT_FALSE(old_code.ok());
  EXPECT_NE(old_code.errors().to_string().find("newer"), std::string::npos);
}

TEST_P(EvolutionTest, AFailedMigrationLeavesTheStoreAsItWas) {
  FreshStore a(GetParam());
  std::string p = dir_ / "v1.jsonl";
  auto recs = v1_library();
  write_dump(v1(), p, recs);
  ASSERT_EQ(load_path(a.url(), v1(), p).failed(), 0u);
  std::string before = dump_text(a.url(), v1(), Format::jsonl, dir_ / "before.jsonl");
  // A version 2 whose step cannot convert books: every book fails.
  SchemaInfo broken = make_schema_info<lib2::Schema>();
  broken.lock_history = v2().lock_history;
  broken.upgrades.push_back({1, "Book", "Book: refuse", [](UpgradeRecord&, UpgradeContext& ctx) {
                               ctx.error("title", "cannot convert this book");
                             }});
  auto raw = store::open_store(a.url(), {});
  auto r = engine::migrate(**raw, broken, dir_ / "backup.jsonl", false, false);
  ASSERT_TRUE(r.ok()) << r.errors().to_string();
  EXPECT_FALSE(r->committed);
  EXPECT_NE(r->load.text().find("cannot convert this book"), std::string::npos) << r->load.text();
  EXPECT_EQ(dump_text(a.url(), v1(), Format::jsonl, dir_ / "after.jsonl"), before);  // still version 1, same rows
}

INSTANTIATE_TEST_SUITE_P(Engines, EvolutionTest, ::testing::ValuesIn(engines()), EngineParamName());

}  // namespace
}  // namespace metaport::testing
