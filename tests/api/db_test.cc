// metaport::Db<Schema> on every engine of tests/support/engines.inc (a real
// SQLite file, the real PostgreSQL and MariaDB servers of tests/run): reads,
// writes, the loader's reference rules, erases that would orphan, rollback,
// and that content made through the API dumps byte for byte as the same
// content loaded from a file.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "runtime/api/db.hpp"
#include "runtime/engine/dump.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/format/dump_format.hpp"
#include "tests/api/catalog.hpp"
#include "tests/support/test_stores.hpp"

namespace {

using catalog::Column;
using catalog::Dataset;
using catalog::Team;
using metaport::col;
using metaport::EntityId;
using metaport::Key;
using metaport::Nullable;
using metaport::Parent;
using metaport::Ref;
using metaport::Secret;
using metaport::Status;
using metaport::testing::Engine;
using Db = metaport::Db<catalog::Schema>;

std::string id(char tag, int n) {
  std::string s = std::to_string(n);
  return std::string(1, tag) + std::string(20 - s.size(), '0') + s;
}

Team team(int n, std::string name) {
  Team t;
  t.entity_id = EntityId(id('T', n));
  t.name = std::move(name);
  t.token = Secret<std::string>("tok-" + std::to_string(n));
  return t;
}

Dataset dataset(int n, std::string name, int team_n) {
  Dataset d;
  d.entity_id = EntityId(id('D', n));
  d.name = std::move(name);
  d.team = Parent<Team>(id('T', team_n));
  return d;
}

Column column(std::string name, std::string type) {
  Column c;
  c.name = std::move(name);
  c.type = std::move(type);
  return c;
}

std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class DbTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    auto d = Db::open(store_.url(), /*create=*/true);
    ASSERT_TRUE(d.ok()) << d.errors().to_string();
    db_.emplace(std::move(*d));
  }

  // Every error message of a failed Status, one per line.
  static std::string text(const Status& s) { return s.ok() ? std::string("(ok)") : s.errors().to_string(); }

  std::size_t count(std::string_view kind) {
    auto n = db_->store().count(kind);
    EXPECT_TRUE(n.ok()) << n.errors().to_string();
    return n.ok() ? static_cast<std::size_t>(*n) : 0;
  }

  // The store dumped as a stream (jsonl or yaml), as `metaport dump` writes it.
  static std::string dump(metaport::store::Store& st, metaport::format::Format f, const std::string& path,
                          bool keep_secrets) {
    auto w = metaport::format::make_stream_writer(f, path);
    if (!w) throw std::runtime_error(w.errors().to_string());
    metaport::engine::DumpOptions o;
    o.keep_secrets = keep_secrets;
    auto r = metaport::engine::dump(st, metaport::typed::schema_info<catalog::Schema>(), **w, o);
    if (!r) throw std::runtime_error(r.errors().to_string());
    return read_text(path);
  }

  metaport::testing::FreshStore store_{GetParam(), "api"};
  std::optional<Db> db_;
};

TEST_P(DbTest, InsertThenGetGivesBackNestedListsMapsAndSecrets) {
  ASSERT_TRUE(db_->insert(team(1, "Sales")).ok());
  Dataset orders = dataset(1, "orders", 1);
  ASSERT_TRUE(db_->insert(orders).ok());
  Dataset d = dataset(2, "order_lines", 1);
  d.derived_from = Nullable<Ref<Dataset>>(Ref<Dataset>(id('D', 1)));
  Column c1 = column("order_id", "int");
  c1.lookup = Nullable<Ref<Dataset>>(Ref<Dataset>(id('D', 1)));
  Column c2 = column("card", "text");
  c2.masking = Secret<std::string>("sha256(card)");
  d.columns = {c1, c2};
  d.labels = {{"pii", "yes"}, {"domain", "sales"}};
  d.column_count = 99;  // derived: recomputed by the write, as by a load
  d.description = "one row per line";
  auto s = db_->insert(d);
  ASSERT_TRUE(s.ok()) << text(s);

  auto t = db_->get<Team>(id('T', 1));
  ASSERT_TRUE(t.ok()) << t.errors().to_string();
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ((*t)->name, "Sales");
  EXPECT_EQ((*t)->token.reveal(), "tok-1");

  auto got = db_->get<Dataset>(id('D', 2));
  ASSERT_TRUE(got.ok()) << got.errors().to_string();
  ASSERT_TRUE(got->has_value());
  const Dataset& g = **got;
  EXPECT_EQ(g.name, "order_lines");
  EXPECT_EQ(g.team.key.str(), id('T', 1));
  ASSERT_TRUE(g.derived_from && !g.derived_from->is_null());
  EXPECT_EQ((*g.derived_from)->key.str(), id('D', 1));
  ASSERT_EQ(g.columns.size(), 2u);
  ASSERT_TRUE(g.columns[0].lookup && !g.columns[0].lookup->is_null());
  EXPECT_EQ((*g.columns[0].lookup)->key.str(), id('D', 1));
  EXPECT_FALSE(g.columns[0].masking.has_value());
  ASSERT_TRUE(g.columns[1].masking.has_value());
  EXPECT_EQ(g.columns[1].masking->reveal(), "sha256(card)");
  EXPECT_EQ(g.labels.at("pii"), "yes");
  EXPECT_EQ(g.column_count.value, 2);
  EXPECT_EQ(g.description, std::optional<std::string>("one row per line"));

  auto none = db_->get<Dataset>(id('D', 9));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_P(DbTest, InsertUpdateUpsertKeepTheirPromises) {
  ASSERT_TRUE(db_->insert(team(1, "Sales")).ok());
  auto again = db_->insert(team(1, "Other"));
  ASSERT_FALSE(again.ok());
  EXPECT_NE(text(again).find("Team " + id('T', 1) + ": already exists"), std::string::npos) << text(again);

  auto missing = db_->update(team(2, "Nobody"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(text(missing).find("Team " + id('T', 2) + ": does not exist"), std::string::npos) << text(missing);
  EXPECT_EQ(count("Team"), 1u);

  Team renamed = team(1, "Revenue");
  ASSERT_TRUE(db_->update(renamed).ok());
  EXPECT_EQ((*db_->get<Team>(id('T', 1)))->name, "Revenue");

  ASSERT_TRUE(db_->upsert(team(2, "Ops")).ok());  // creates
  ASSERT_TRUE(db_->upsert(team(2, "Operations")).ok());  // updates
  EXPECT_EQ((*db_->get<Team>(id('T', 2)))->name, "Operations");
  EXPECT_EQ(count("Team"), 2u);
}

TEST_P(DbTest, ScanStreamsInKeyOrderAndFiltersOnColumns) {
  ASSERT_TRUE(db_->insert(team(1, "Sales")).ok());
  ASSERT_TRUE(db_->insert(team(2, "Ops")).ok());
  // Inserted out of key order: scans come back in key order, as dumps list them.
  for (int n : {3, 1, 4, 2}) {
    Dataset d = dataset(n, "ds" + std::to_string(n), n % 2 ? 1 : 2);
    if (n == 4) d.description = "four";
    ASSERT_TRUE(db_->insert(d).ok());
  }
  std::vector<std::string> names;
  auto s = db_->scan<Dataset>([&](const Dataset& d) { names.push_back(d.name); });
  ASSERT_TRUE(s.ok()) << text(s);
  EXPECT_EQ(names, (std::vector<std::string>{"ds1", "ds2", "ds3", "ds4"}));

  auto sales = db_->find<Dataset>(col<&Dataset::team> == id('T', 1));
  ASSERT_TRUE(sales.ok());
  ASSERT_EQ(sales->size(), 2u);
  EXPECT_EQ((*sales)[0].name, "ds1");
  EXPECT_EQ((*sales)[1].name, "ds3");

  auto described = db_->find<Dataset>(col<&Dataset::description>.present());
  ASSERT_TRUE(described.ok());
  ASSERT_EQ(described->size(), 1u);
  EXPECT_EQ((*described)[0].name, "ds4");

  auto some = db_->find<Dataset>((col<&Dataset::name> == "ds2" || col<&Dataset::name> >= "ds4") &&
                                 col<&Dataset::team> != id('T', 1));
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->size(), 2u);
  EXPECT_EQ((*some)[0].name, "ds2");
  EXPECT_EQ((*some)[1].name, "ds4");

  // A sink's error stops the scan and comes back.
  int seen = 0;
  auto stopped = db_->scan<Dataset>([&](const Dataset&) -> Status {
    return ++seen == 2 ? Status(metaport::make_error("enough")) : metaport::ok_status();
  });
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(seen, 2);
  EXPECT_NE(text(stopped).find("enough"), std::string::npos);
}

TEST_P(DbTest, DanglingReferencesAreRefusedAsByALoad) {
  // A foreign-key column: the team does not exist.
  auto s = db_->insert(dataset(1, "orphan", 7));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(text(s).find(id('T', 7)), std::string::npos) << text(s);
  EXPECT_NE(text(s).find("neither in the dump nor in the target store"), std::string::npos) << text(s);
  EXPECT_NE(text(s).find("Dataset " + id('D', 1)), std::string::npos) << text(s);
  EXPECT_EQ(count("Dataset"), 0u);

  // A reference nested in a list of structs (a key inside a JSON column).
  ASSERT_TRUE(db_->insert(team(1, "Sales")).ok());
  Dataset d = dataset(2, "lines", 1);
  Column c = column("order_id", "int");
  c.lookup = Nullable<Ref<Dataset>>(Ref<Dataset>(id('D', 8)));
  d.columns = {column("x", "int"), c};
  s = db_->insert(d);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(text(s).find("columns[1].lookup"), std::string::npos) << text(s);
  EXPECT_NE(text(s).find(id('D', 8)), std::string::npos) << text(s);
  EXPECT_EQ(count("Dataset"), 0u);

  // An update that would dangle leaves the stored entity as it was.
  Dataset ok = dataset(3, "fine", 1);
  ASSERT_TRUE(db_->insert(ok).ok());
  ok.derived_from = Nullable<Ref<Dataset>>(Ref<Dataset>(id('D', 9)));
  s = db_->update(ok);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(text(s).find("derived_from"), std::string::npos) << text(s);
  auto back = db_->get<Dataset>(id('D', 3));
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_FALSE((*back)->derived_from.has_value());
}

TEST_P(DbTest, EraseRefusesToOrphanADependantAndNamesIt) {
  ASSERT_TRUE(db_->insert(team(1, "Sales")).ok());
  ASSERT_TRUE(db_->insert(dataset(1, "orders", 1)).ok());
  Dataset lines = dataset(2, "lines", 1);
  Column c = column("order_id", "int");
  c.lookup = Nullable<Ref<Dataset>>(Ref<Dataset>(id('D', 1)));
  lines.columns = {c};
  ASSERT_TRUE(db_->insert(lines).ok());
  Dataset copy = dataset(3, "orders_copy", 1);
  copy.derived_from = Nullable<Ref<Dataset>>(Ref<Dataset>(id('D', 3)));  // itself: no dependant
  ASSERT_TRUE(db_->insert(copy).ok());

  // The team contains datasets (a foreign-key column).
  auto s = db_->erase<Team>(id('T', 1));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(text(s).find("Team " + id('T', 1) + ": cannot be erased: Dataset " + id('D', 1) + " refers to it (team)"),
            std::string::npos)
      << text(s);
  // orders is referred to from inside lines' columns (a nested key).
  s = db_->erase<Dataset>(id('D', 1));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(text(s).find("Dataset " + id('D', 2) + " refers to it (columns[0].lookup)"), std::string::npos) << text(s);
  EXPECT_EQ(count("Dataset"), 3u);

  // Erase what nothing refers to, then what is free at last.
  ASSERT_TRUE(db_->erase<Dataset>(id('D', 3)).ok());  // refers only to itself
  ASSERT_TRUE(db_->erase<Dataset>(id('D', 2)).ok());
  ASSERT_TRUE(db_->erase<Dataset>(id('D', 1)).ok());
  ASSERT_TRUE(db_->erase<Team>(id('T', 1)).ok());
  EXPECT_EQ(count("Dataset"), 0u);
  EXPECT_EQ(count("Team"), 0u);
  EXPECT_FALSE((*db_->get<Team>(id('T', 1))).has_value());

  s = db_->erase<Team>(id('T', 1));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(text(s).find("does not exist"), std::string::npos) << text(s);
}

TEST_P(DbTest, TransactionCommitsTogetherAndRollsBackOnError) {
  // References to entities created earlier in the same transaction resolve.
  auto s = db_->transaction([&](Db& tx) -> Status {
    if (auto r = tx.insert(team(1, "Sales")); !r) return r;
    return tx.insert(dataset(1, "orders", 1));
  });
  ASSERT_TRUE(s.ok()) << text(s);
  EXPECT_EQ(count("Dataset"), 1u);

  // An error inside: everything the transaction wrote is rolled back.
  s = db_->transaction([&](auto& tx) -> Status {
    if (auto r = tx.insert(team(2, "Ops")); !r) return r;
    if (auto r = tx.update(team(1, "Renamed")); !r) return r;
    if (auto r = tx.template erase<Dataset>(id('D', 1)); !r) return r;
    return tx.insert(dataset(2, "dangling", 9));  // refused
  });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(text(s).find(id('T', 9)), std::string::npos) << text(s);
  EXPECT_EQ(count("Team"), 1u);
  EXPECT_EQ((*db_->get<Team>(id('T', 1)))->name, "Sales");
  EXPECT_TRUE((*db_->get<Dataset>(id('D', 1))).has_value());

  // A body's own error rolls back too.
  s = db_->transaction([&](Db& tx) -> Status {
    if (auto r = tx.insert(team(3, "Temp")); !r) return r;
    return metaport::make_error("changed my mind");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(count("Team"), 1u);
}

TEST_P(DbTest, TransactionRollsBackOnException) {
  ASSERT_TRUE(db_->insert(team(1, "Sales")).ok());
  EXPECT_THROW(db_->transaction([&](Db& tx) {
    ASSERT_TRUE(tx.insert(team(2, "Ops")).ok());
    ASSERT_TRUE(tx.erase<Team>(id('T', 1)).ok());
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(count("Team"), 1u);
  EXPECT_TRUE((*db_->get<Team>(id('T', 1))).has_value());
  EXPECT_FALSE((*db_->get<Team>(id('T', 2))).has_value());
  // The store is usable afterwards.
  ASSERT_TRUE(db_->insert(team(2, "Ops")).ok());
  EXPECT_EQ(count("Team"), 2u);
}

// The same content, once made through the API (with edits and erases on
// the way) and once loaded from a hand-written dump: their dumps are equal
// byte for byte, secrets kept or redacted, jsonl and yaml.
TEST_P(DbTest, ContentMadeThroughTheApiDumpsAsTheSameContentLoaded) {
  ASSERT_TRUE(db_->insert(team(2, "Ops")).ok());
  ASSERT_TRUE(db_->insert(team(1, "Sales")).ok());
  Dataset lines = dataset(2, "lines", 1);
  Column c1 = column("order_id", "int");
  c1.lookup = Nullable<Ref<Dataset>>(Ref<Dataset>(id('D', 1)));
  Column c2 = column("card", "text");
  c2.masking = Secret<std::string>("sha256(card)");
  lines.columns = {c1, c2};
  lines.labels = {{"pii", "yes"}};
  ASSERT_TRUE(db_->insert(dataset(1, "orders", 2)).ok());
  auto s = db_->insert(lines);
  ASSERT_TRUE(s.ok()) << text(s);
  ASSERT_TRUE(db_->insert(dataset(3, "scratch", 2)).ok());
  // Edits: orders moves to Sales and gets a description; scratch goes.
  s = db_->transaction([&](Db& tx) -> Status {
    Dataset orders = dataset(1, "orders", 1);
    orders.description = "one row per order";
    orders.derived_from = Nullable<Ref<Dataset>>(nullptr);
    if (auto r = tx.update(orders); !r) return r;
    return tx.erase<Dataset>(id('D', 3));
  });
  ASSERT_TRUE(s.ok()) << text(s);

  const std::string file = store_.dir() / "same.yaml";
  {
    std::ofstream f(file);
    f << "metaport: dump\nformat: 1\nschema: catalog\nversion: 1\nsecrets: kept\n"
         "---\nkind: Dataset\nentity:\n"
         "  entity_id: " << id('D', 2) << "\n  name: lines\n  team: " << id('T', 1) << "\n"
         "  columns:\n"
         "  - name: order_id\n    type: int\n    lookup: " << id('D', 1) << "\n"
         "  - name: card\n    type: text\n    masking: sha256(card)\n"
         "  labels:\n    pii: 'yes'\n  column_count: 2\n"
         "---\nkind: Team\nentity:\n  entity_id: " << id('T', 1) << "\n  name: Sales\n  token: tok-1\n"
         "---\nkind: Dataset\nentity:\n"
         "  entity_id: " << id('D', 1) << "\n  name: orders\n  team: " << id('T', 1) << "\n"
         "  derived_from: null\n  columns: []\n  labels: {}\n  column_count: 0\n  description: one row per order\n"
         "---\nkind: Team\nentity:\n  entity_id: " << id('T', 2) << "\n  name: Ops\n  token: tok-2\n"
         "---\nmetaport: end\ncounts:\n  Dataset: 2\n  Team: 2\ntotal: 4\n";
  }
  metaport::testing::FreshStore other(GetParam(), "loaded");
  {
    auto loaded = Db::open(other.url(), true);  // creates the tables, as init
    ASSERT_TRUE(loaded.ok()) << loaded.errors().to_string();
    auto reader = metaport::format::open_dump(file, loaded->schema());
    ASSERT_TRUE(reader.ok()) << reader.errors().to_string();
    auto rep = metaport::engine::load(loaded->store(), loaded->schema(), **reader, {});
    ASSERT_TRUE(rep.ok()) << rep.errors().to_string();
    ASSERT_EQ(rep->failed(), 0u) << rep->text();

    using metaport::format::Format;
    for (bool keep : {false, true})
      for (Format f : {Format::jsonl, Format::yaml}) {
        const std::string tag = std::string(keep ? "kept." : "redacted.") + (f == Format::jsonl ? "jsonl" : "yaml");
        const std::string api = dump(db_->store(), f, store_.dir() / ("api." + tag), keep);
        const std::string from_file = dump(loaded->store(), f, other.dir() / ("file." + tag), keep);
        EXPECT_EQ(api, from_file) << tag;
        EXPECT_NE(api.find("lines"), std::string::npos);
        EXPECT_EQ(api.find("scratch"), std::string::npos);
        EXPECT_EQ(api.find("tok-1") != std::string::npos, keep) << tag;
      }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, DbTest, ::testing::ValuesIn(metaport::testing::engines()),
                         metaport::testing::EngineParamName());

}  // namespace
