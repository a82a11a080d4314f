// The dump/load engine against real stores, SQLite and PostgreSQL alike:
// every load rule of docs/loading.md and the dump rules of docs/commands/dump.md, on the small `lib`
// schema (tests/engine/library_schema.hpp).
#include <gtest/gtest.h>

#include <sstream>

#include <thread>

#include "tests/engine/engine_test_util.hpp"
#include "tests/engine/library_schema.hpp"

namespace metaport::testing {
namespace {

using format::Format;

const SchemaInfo& lib_schema() {
  static const SchemaInfo s = make_schema_info<lib::Schema>();
  return s;
}

std::string id(const std::string& name) { return EntityId::from_name(name).str(); }

Value obj(std::initializer_list<std::pair<const char*, Value>> members) {
  Value v = Value::object();
  for (auto& [k, x] : members) v.set(k, x);
  return v;
}
Value arr(std::initializer_list<Value> items) {
  Value v = Value::array();
  for (auto& x : items) v.push_back(x);
  return v;
}

Rec shelf(const std::string& name, std::optional<std::string> parent = std::nullopt) {
  Value v = obj({{"entity_id", id(name)}, {"name", name}});
  if (parent) v.set("parent_id", id(*parent));
  return {"Shelf", v};
}
Rec book(const std::string& name, const std::string& author, std::optional<std::string> shelf_name = std::nullopt,
         std::optional<std::string> series = std::nullopt) {
  Value v = obj({{"entity_id", id(name)}, {"title", name}, {"author", author}});
  if (shelf_name) v.set("shelf_id", id(*shelf_name));
  if (series) v.set("series_id", id(*series));
  return {"Book", v};
}
Rec series(const std::string& name, std::vector<std::string> books) {
  Value b = Value::array();
  for (auto& x : books) b.push_back(id(x));
  return {"Series", obj({{"entity_id", id(name)}, {"name", name}, {"books", b}})};
}

// A realistic little library: nested shelves, a series cycle, chapters with
// nested references, notes with document references, a secret, an open kind.
std::vector<Rec> library() {
  std::vector<Rec> r;
  r.push_back(shelf("Fiction"));
  r.push_back(shelf("Fantasy", "Fiction"));
  r.push_back(shelf("Épopées & «sagas»", "Fantasy"));
  r.push_back(shelf("Reference"));
  Rec b1 = book("The Hobbit", "jrr@example.com", "Fantasy", "Middle-earth");
  b1.doc.set("format", "hardcover");
  b1.doc.set("chapters", arr({obj({{"title", "An Unexpected Party"}}),
                              obj({{"title", "Roast Mutton"}, {"see_also", id("The Fellowship")}})}));
  b1.doc.set("notes", obj({{"see", arr({Value(id("Atlas"))})}, {"comment", "multi\nline\n"}}));
  b1.doc.set("license_key", "s3cr3t-key");
  b1.doc.set("created_at", "2024-01-15T10:30:00Z");
  r.push_back(b1);
  Rec b2 = book("The Fellowship", "jrr@example.com", "Épopées & «sagas»", "Middle-earth");
  b2.doc.set("format", "e-book");
  r.push_back(b2);
  r.push_back(book("Atlas", "maps@example.com", "Reference"));
  r.push_back(series("Middle-earth", {"The Hobbit", "The Fellowship"}));
  r.push_back({"Label", obj({{"name", "classic"}, {"color", "gold"}, {"x-extra", arr({1, 2.5, "three"})}})});
  return r;
}

class EngineTest : public ::testing::TestWithParam<Engine> {
 protected:
  FreshStore fresh(const std::string& tag = "s") { return FreshStore(GetParam(), tag); }
  const SchemaInfo& schema() { return lib_schema(); }
  std::string jsonl(const std::vector<Rec>& recs, const std::string& name = "in.jsonl") {
    std::string p = dir_ / name;
    write_dump(schema(), p, recs);
    return p;
  }
  TempDir dir_;
};

TEST_P(EngineTest, LoadsALibraryAndDumpsItBackInEveryFormat) {
  auto a = fresh("a");
  auto rep = load_path(a.url(), schema(), jsonl(library()));
  ASSERT_EQ(rep.failed(), 0u) << rep.text();
  EXPECT_TRUE(rep.committed);
  EXPECT_EQ(rep.kinds["Shelf"].created, 4u);
  EXPECT_EQ(rep.kinds["Book"].created, 3u);
  EXPECT_EQ(rep.kinds["Author"].created, 2u);  // placeholders: authors are store-only
  EXPECT_EQ(rep.placeholders.size(), 2u);

  for (Format f : {Format::jsonl, Format::yaml, Format::tree}) {
    std::string out = dir_ / ("first." + std::string(format::format_name(f)));
    std::string first = dump_text(a.url(), schema(), f, out);
    auto b = fresh(std::string("b") + std::string(format::format_name(f)));
    auto rep2 = load_path(b.url(), schema(), out);
    ASSERT_EQ(rep2.failed(), 0u) << rep2.text();
    std::string out2 = dir_ / ("second." + std::string(format::format_name(f)));
    EXPECT_EQ(dump_text(b.url(), schema(), f, out2), first) << "format " << format::format_name(f);
    // Same content => byte-identical output, run after run.
    std::string out3 = dir_ / ("third." + std::string(format::format_name(f)));
    EXPECT_EQ(dump_text(a.url(), schema(), f, out3), first);
  }
}

TEST_P(EngineTest, DumpIsInDependencyOrderAndRedactsSecrets) {
  auto a = fresh();
  ASSERT_EQ(load_path(a.url(), schema(), jsonl(library())).failed(), 0u);
  std::string text = dump_text(a.url(), schema(), Format::jsonl, dir_ / "d.jsonl");
  // Shelves before books before series; a parent shelf before its children.
  auto pos = [&](const std::string& s) { return text.find(s); };
  EXPECT_LT(pos("\"name\":\"Fiction\""), pos("\"name\":\"Fantasy\""));
  EXPECT_LT(pos("\"name\":\"Fantasy\""), pos("\"name\":\"Épopées"));
  EXPECT_LT(pos("\"kind\":\"Shelf\""), pos("\"kind\":\"Book\""));
  EXPECT_LT(pos("\"kind\":\"Book\""), pos("\"kind\":\"Series\""));
  EXPECT_EQ(text.find("s3cr3t-key"), std::string::npos);
  EXPECT_NE(text.find("\"license_key\":\"**redacted**\""), std::string::npos);
  engine::DumpOptions keep;
  keep.keep_secrets = true;
  EXPECT_NE(dump_text(a.url(), schema(), Format::jsonl, dir_ / "k.jsonl", keep).find("s3cr3t-key"), std::string::npos);
  // The open kind keeps what it does not declare; derived members are recomputed.
  EXPECT_NE(text.find("\"x-extra\":[1,2.5,\"three\"]"), std::string::npos);
  EXPECT_NE(text.find("\"chapter_count\":2"), std::string::npos);
}

TEST_P(EngineTest, RecordsInAnyOrderAndCyclesLoad) {
  auto recs = library();
  std::reverse(recs.begin(), recs.end());  // series first, children before parents
  auto a = fresh();
  auto rep = load_path(a.url(), schema(), jsonl(recs));
  ASSERT_EQ(rep.failed(), 0u) << rep.text();
  auto b = fresh("b");
  ASSERT_EQ(load_path(b.url(), schema(), jsonl(library(), "fwd.jsonl")).failed(), 0u);
  EXPECT_EQ(dump_text(a.url(), schema(), Format::jsonl, dir_ / "a.jsonl"),
            dump_text(b.url(), schema(), Format::jsonl, dir_ / "b.jsonl"));
}

TEST_P(EngineTest, ContainmentCycleIsAnErrorNamingTheChain) {
  std::vector<Rec> recs{shelf("A", "B"), shelf("B", "C"), shelf("C", "A"), shelf("D")};
  auto a = fresh();
  auto rep = load_path(a.url(), schema(), jsonl(recs));
  EXPECT_FALSE(rep.committed);
  EXPECT_EQ(rep.kinds["Shelf"].failed, 3u);
  std::string t = rep.text();
  EXPECT_NE(t.find("containment cycle"), std::string::npos) << t;
  EXPECT_NE(t.find("Shelf " + id("A") + " -> "), std::string::npos) << t;
  auto st = open_store(a.url(), schema());
  auto n = st->count("Shelf");
  ASSERT_TRUE(n.ok()) << n.errors().to_string();
  EXPECT_EQ(*n, 0);  // abort: nothing, not even D
}

TEST_P(EngineTest, ABadEntityInTheMiddleOfTenThousandLeavesTheStoreAsItWas) {
  auto a = fresh();
  ASSERT_EQ(load_path(a.url(), schema(), jsonl(library())).failed(), 0u);
  const std::string before = dump_text(a.url(), schema(), Format::jsonl, dir_ / "before.jsonl");
  std::vector<Rec> recs;
  for (int i = 0; i < 10000; ++i) recs.push_back(book("bulk " + std::to_string(i), "bulk@example.com", "Fiction"));
  recs[5000].doc.set("series_id", id("no such series"));
  auto rep = load_path(a.url(), schema(), jsonl(recs, "bulk.jsonl"));
  EXPECT_FALSE(rep.committed);
  ASSERT_EQ(rep.failures.size(), 1u) << rep.text();
  EXPECT_EQ(rep.failures[0].errors[0].path, "series_id");
  EXPECT_NE(rep.failures[0].errors[0].message.find("neither in the dump nor in the target store"), std::string::npos);
  EXPECT_NE(rep.failures[0].origin.str().find("bulk.jsonl:5002"), std::string::npos) << rep.failures[0].origin.str();
  EXPECT_EQ(dump_text(a.url(), schema(), Format::jsonl, dir_ / "after.jsonl"), before);

  engine::LoadOptions cont;
  cont.on_error = engine::OnError::continue_;
  auto rep2 = load_path(a.url(), schema(), dir_ / "bulk.jsonl", cont);
  EXPECT_TRUE(rep2.committed);
  EXPECT_EQ(rep2.kinds["Book"].created, 9999u);
  EXPECT_EQ(rep2.kinds["Book"].failed, 1u);
}

// Into an empty store a load writes while it reads (streaming); into one that
// holds entities it plans first, then writes. Both give the same content, and
// a streamed load that meets a failure is rolled back and redone from its
// plan: `abort` leaves the store empty, `continue` commits exactly the valid
// entities, once.
TEST_P(EngineTest, StreamingIntoAnEmptyStoreMatchesThePlannedLoad) {
  // (LoadsALibrary... checks the streamed load's report, placeholders included.)
  auto empty = fresh("empty");
  ASSERT_EQ(load_path(empty.url(), schema(), jsonl(library())).failed(), 0u);
  auto other = fresh("other");
  ASSERT_EQ(load_path(other.url(), schema(), jsonl({shelf("Elsewhere")}, "other.jsonl")).failed(), 0u);
  auto rep2 = load_path(other.url(), schema(), dir_ / "in.jsonl");
  ASSERT_EQ(rep2.failed(), 0u) << rep2.text();
  std::string streamed = dump_text(empty.url(), schema(), Format::jsonl, dir_ / "streamed.jsonl");
  std::string planned = dump_text(other.url(), schema(), Format::jsonl, dir_ / "planned.jsonl");
  // The planned store has one more shelf: drop its line (and the counts in
  // the closing record) and the two dumps are the same.
  auto without = [](const std::string& text, const std::string& needle) {
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
      if (line.find(needle) == std::string::npos && line.find("\"end\"") == std::string::npos) out += line + "\n";
    return out;
  };
  EXPECT_EQ(without(planned, id("Elsewhere")), without(streamed, "\u0001"));

  std::vector<Rec> recs;
  for (int i = 0; i < 3000; ++i) recs.push_back(book("bulk " + std::to_string(i), "bulk@example.com"));
  recs[2000].doc.set("series_id", id("no such series"));
  auto fresh_abort = fresh("abort");
  auto aborted = load_path(fresh_abort.url(), schema(), jsonl(recs, "bulk.jsonl"));
  EXPECT_FALSE(aborted.committed);
  EXPECT_EQ(aborted.kinds["Book"].failed, 1u) << aborted.text();
  EXPECT_TRUE(*open_store(fresh_abort.url(), schema())->is_empty());

  auto fresh_cont = fresh("cont");
  engine::LoadOptions cont;
  cont.on_error = engine::OnError::continue_;
  auto continued = load_path(fresh_cont.url(), schema(), dir_ / "bulk.jsonl", cont);
  EXPECT_TRUE(continued.committed);
  EXPECT_EQ(continued.kinds["Book"].created, 2999u);
  EXPECT_EQ(continued.kinds["Book"].failed, 1u);
  auto n = open_store(fresh_cont.url(), schema())->count("Book");
  ASSERT_TRUE(n.ok()) << n.errors().to_string();
  EXPECT_EQ(*n, 2999);
  EXPECT_EQ(dump_text(fresh_cont.url(), schema(), Format::jsonl, dir_ / "cont.jsonl").find("bulk 2000\""), std::string::npos);
}

TEST_P(EngineTest, FailuresSpreadToWhatDependsOnThem) {
  std::vector<Rec> recs{shelf("Top"), shelf("Child", "Top"), book("In child", "x@example.com", "Child")};
  recs[0].doc.set("nmae", "typo");  // Top fails to decode
  auto a = fresh();
  engine::LoadOptions cont;
  cont.on_error = engine::OnError::continue_;
  auto rep = load_path(a.url(), schema(), jsonl(recs), cont);
  EXPECT_EQ(rep.kinds["Shelf"].failed, 2u) << rep.text();  // Top and, through it, Child
  EXPECT_EQ(rep.kinds["Book"].failed, 1u) << rep.text();
  std::string t = rep.text();
  EXPECT_NE(t.find("unknown field 'nmae' (did you mean 'name'?)"), std::string::npos) << t;
  EXPECT_NE(t.find("in.jsonl:2"), std::string::npos) << t;
}

TEST_P(EngineTest, ModeSkipLeavesExistingEntitiesAndUpdateReplacesThemWhole) {
  auto a = fresh();
  ASSERT_EQ(load_path(a.url(), schema(), jsonl(library())).failed(), 0u);
  auto changed = library();
  changed[4].doc.set("title", "The Hobbit, revised");
  changed[4].doc.set("chapters", arr({obj({{"title", "Only chapter"}})}));  // an owned child removed
  changed[4].doc.set("license_key", "**redacted**");                        // a redacted dump keeps the secret
  changed[4].doc.erase("format");                                            // absent now
  std::string p = jsonl(changed, "changed.jsonl");

  auto skip = load_path(a.url(), schema(), p);
  EXPECT_EQ(skip.kinds["Book"].skipped, 3u);
  EXPECT_EQ(skip.kinds["Book"].updated, 0u);
  EXPECT_EQ(dump_text(a.url(), schema(), Format::jsonl, dir_ / "s.jsonl").find("revised"), std::string::npos);

  engine::LoadOptions up;
  up.mode = engine::Mode::update;
  auto upd = load_path(a.url(), schema(), p, up);
  EXPECT_EQ(upd.kinds["Book"].updated, 1u) << upd.text();  // only the changed book is written
  EXPECT_EQ(upd.kinds["Book"].skipped, 2u) << upd.text();  // identical ones are left alone
  EXPECT_EQ(upd.kinds["Shelf"].skipped, 4u) << upd.text();
  engine::DumpOptions keep;
  keep.keep_secrets = true;
  std::string text = dump_text(a.url(), schema(), Format::jsonl, dir_ / "u.jsonl", keep);
  EXPECT_NE(text.find("The Hobbit, revised"), std::string::npos);
  EXPECT_EQ(text.find("Roast Mutton"), std::string::npos);       // no stale child
  EXPECT_NE(text.find("\"chapter_count\":1"), std::string::npos);
  EXPECT_NE(text.find("s3cr3t-key"), std::string::npos);         // kept, not wiped
  EXPECT_EQ(text.find("\"format\":\"hardcover\""), std::string::npos);
}

TEST_P(EngineTest, DryRunWritesNothing) {
  auto a = fresh();
  engine::LoadOptions dry;
  dry.dry_run = true;
  auto rep = load_path(a.url(), schema(), jsonl(library()), dry);
  EXPECT_EQ(rep.failed(), 0u) << rep.text();
  EXPECT_EQ(rep.kinds["Book"].created, 3u);
  EXPECT_FALSE(rep.committed);
  auto st = open_store(a.url(), schema());
  EXPECT_TRUE(*st->is_empty());
}

TEST_P(EngineTest, RestoreOnlyIntoAnEmptyStore) {
  auto a = fresh();
  engine::LoadOptions restore;
  restore.restore = true;
  EXPECT_EQ(load_path(a.url(), schema(), jsonl(library()), restore).failed(), 0u);
  auto st = open_store(a.url(), schema());
  auto r = format::open_dump(dir_ / "in.jsonl", schema());
  auto rep = engine::load(*st, schema(), **r, restore);
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.errors().to_string().find("empty store"), std::string::npos);
}

TEST_P(EngineTest, UnknownFieldsAreErrorsUnlessKept) {
  auto recs = library();
  recs[4].doc.set("colour", "red");
  recs[4].doc.as_object().back().second.mark = {};  // (jsonl has no columns)
  auto a = fresh();
  auto rep = load_path(a.url(), schema(), jsonl(recs));
  ASSERT_GE(rep.failures.size(), 1u) << rep.text();
  // The book fails (with the record's line), and so does what depends on it.
  EXPECT_EQ(rep.failures[0].kind, "Book");
  EXPECT_EQ(rep.failures[0].errors[0].path, "colour");
  EXPECT_EQ(rep.failures[0].errors[0].mark.line, 6u);
  EXPECT_FALSE(rep.committed);
  engine::LoadOptions keep;
  keep.keep_unknown = true;
  ASSERT_EQ(load_path(a.url(), schema(), dir_ / "in.jsonl", keep).failed(), 0u);
  EXPECT_NE(dump_text(a.url(), schema(), Format::jsonl, dir_ / "d.jsonl").find("\"colour\":\"red\""), std::string::npos);
}

TEST_P(EngineTest, MissingUsersArePlaceholdersOrAttributedToUser) {
  auto a = fresh();
  // The target knows one author; the dump's author is missing there.
  ASSERT_EQ(load_path(a.url(), schema(), jsonl({book("Seed", "owner@example.com")}, "seed.jsonl")).failed(), 0u);
  engine::LoadOptions as_owner;
  as_owner.user = "owner@example.com";
  auto rep = load_path(a.url(), schema(), jsonl({book("Import", "gone@example.com")}), as_owner);
  ASSERT_EQ(rep.failed(), 0u) << rep.text();
  EXPECT_EQ(rep.remapped, 1u);
  EXPECT_TRUE(rep.placeholders.empty());
  EXPECT_NE(dump_text(a.url(), schema(), Format::jsonl, dir_ / "d.jsonl").find("\"title\":\"Import\",\"author\":\"owner@example.com\""),
            std::string::npos);
  engine::LoadOptions nobody;
  nobody.user = "nobody@example.com";
  auto st = open_store(a.url(), schema());
  auto r = format::open_dump(dir_ / "in.jsonl", schema());
  auto bad = engine::load(*st, schema(), **r, nobody);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.errors().to_string().find("no such user"), std::string::npos);
}

TEST_P(EngineTest, DuplicateEntitiesAreErrors) {
  auto recs = library();
  recs.push_back(recs[4]);
  auto a = fresh();
  auto rep = load_path(a.url(), schema(), jsonl(recs));
  EXPECT_FALSE(rep.committed);
  EXPECT_NE(rep.text().find("duplicate Book"), std::string::npos) << rep.text();
}

TEST_P(EngineTest, TruncatedStreamsAndNewerVersionsAreRefused) {
  auto a = fresh();
  std::string p = jsonl(library());
  std::string text = read_text(p);
  std::string cut = text.substr(0, text.rfind("{\"metaport\":\"end\""));
  std::ofstream(dir_ / "cut.jsonl") << cut;
  auto rep = load_path(a.url(), schema(), dir_ / "cut.jsonl");
  EXPECT_FALSE(rep.committed);
  EXPECT_NE(rep.text().find("truncated"), std::string::npos) << rep.text();

  write_dump(schema(), dir_ / "v9.jsonl", library(), Format::jsonl, 9);
  auto st = open_store(a.url(), schema());
  auto r = format::open_dump(dir_ / "v9.jsonl", schema());
  auto refused = engine::load(*st, schema(), **r, {});
  ASSERT_FALSE(refused.ok());
  std::string msg = refused.errors().to_string();
  EXPECT_NE(msg.find("version 9"), std::string::npos) << msg;
  EXPECT_NE(msg.find("version 1"), std::string::npos) << msg;
  EXPECT_TRUE(*st->is_empty());
}

TEST_P(EngineTest, CollectionSubsetsPullInTheirClosureOrRefuseIt) {
  auto a = fresh();
  ASSERT_EQ(load_path(a.url(), schema(), jsonl(library())).failed(), 0u);
  engine::DumpOptions sub;
  sub.roots = {id("Fantasy")};
  auto r = try_dump(a.url(), schema(), Format::jsonl, dir_ / "sub.jsonl", sub);
  ASSERT_TRUE(r.ok()) << r.errors().to_string();
  std::string text = read_text(dir_ / "sub.jsonl");
  EXPECT_NE(text.find("The Hobbit"), std::string::npos);
  EXPECT_NE(text.find("Épopées"), std::string::npos);  // a sub-shelf
  EXPECT_NE(text.find("\"title\":\"Atlas\""), std::string::npos);   // referenced by a note: pulled in
  EXPECT_EQ(text.find("\"name\":\"Reference\"") == std::string::npos, false);  // Atlas's shelf comes with it
  bool pulled_atlas = false;
  for (const auto& p : r->pulled_in) pulled_atlas |= p.find(id("Atlas")) != std::string::npos && p.find("notes.see[0]") != std::string::npos;
  EXPECT_TRUE(pulled_atlas);
  // The subset loads on its own into an empty store.
  auto b = fresh("b");
  EXPECT_EQ(load_path(b.url(), schema(), dir_ / "sub.jsonl").failed(), 0u);

  sub.no_closure = true;
  auto refused = try_dump(a.url(), schema(), Format::jsonl, dir_ / "nc.jsonl", sub);
  ASSERT_FALSE(refused.ok());
  std::string msg = refused.errors().to_string();
  EXPECT_NE(msg.find("notes.see[0]"), std::string::npos) << msg;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "nc.jsonl"));  // nothing half-written
}

TEST_P(EngineTest, ADumpIsOneSnapshotWhileWritersGoOn) {
  auto a = fresh();
  std::vector<Rec> recs = library();
  for (int i = 0; i < 2000; ++i) recs.push_back(book("b" + std::to_string(i), "w@example.com", "Fiction"));
  ASSERT_EQ(load_path(a.url(), schema(), jsonl(recs)).failed(), 0u);
  // A writer that commits new books while the dump is being written.
  struct RacingWriter : format::DumpWriter {
    format::DumpWriter& inner;
    std::function<void()> race;
    int n = 0;
    RacingWriter(format::DumpWriter& i, std::function<void()> r) : inner(i), race(std::move(r)) {}
    Status begin(const format::DumpHeader& h) override { return inner.begin(h); }
    Status write(const Entity& e, const Value& d) override {
      if (++n == 10) race();
      return inner.write(e, d);
    }
    Status finish(const format::Counts& c) override { return inner.finish(c); }
  };
  std::string more = jsonl({book("late 1", "w@example.com", "Fiction"), book("late 2", "w@example.com", "Fiction")}, "late.jsonl");
  auto st = open_store(a.url(), schema(), false);
  auto w = format::make_stream_writer(Format::jsonl, dir_ / "snap.jsonl");
  RacingWriter racing(**w, [&] {
    std::thread t([&] { EXPECT_EQ(load_path(a.url(), schema(), more).kinds["Book"].created, 2u); });
    t.join();
  });
  auto r = engine::dump(*st, schema(), racing, {});
  ASSERT_TRUE(r.ok()) << r.errors().to_string();
  EXPECT_EQ(r->counts["Book"], 2003u);  // not 2005: the dump never saw the late books
  EXPECT_EQ(read_text(dir_ / "snap.jsonl").find("late 1"), std::string::npos);
  EXPECT_EQ(*open_store(a.url(), schema(), false)->count("Book"), 2005);
}

INSTANTIATE_TEST_SUITE_P(Engines, EngineTest, ::testing::ValuesIn(engines()), EngineParamName());

}  // namespace
}  // namespace metaport::testing
