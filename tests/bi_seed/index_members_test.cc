// A tree dump indexes entities that hold only the members the layout says it
// reads (bi::TreeLayout::index_members): the big JSON documents are not
// parsed twice (docs/performance.md). That is only right while the lists
// name everything the layout reads. Here the seeded sample (every kind, every
// container shape) goes through the real engine: a second layout indexed
// with the whole documents must give every entity the same file.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "entities/bi/layout.hpp"
#include "runtime/engine/dump.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/store/store.hpp"
#include "tests/bi_seed/seed_test_util.hpp"
#include "tests/support/test_stores.hpp"

namespace {

namespace engine = metaport::engine;
namespace format = metaport::format;
using metaport::Entity;
using metaport::Status;
using metaport::Value;

const metaport::SchemaInfo& schema() { return metaport::generated::schema_bi(); }

// Records what the engine hands a tree writer: the indexed (partial)
// entities and the written (whole) ones.
class Recorder : public format::DumpWriter {
 public:
  bool needs_index() const override { return true; }
  std::optional<std::vector<std::string>> index_members(const metaport::KindInfo& k) const override {
    return layout_.index_members(k);
  }
  void index(const Entity& e) override { indexed.push_back(e); }
  Status begin(const format::DumpHeader&) override { return metaport::ok_status(); }
  Status write(const Entity& e, const Value&) override {
    written.push_back(e);
    return metaport::ok_status();
  }
  Status finish(const format::Counts&) override { return metaport::ok_status(); }

  std::vector<Entity> indexed, written;

 private:
  bi::TreeLayout layout_;
};
TEST(IndexMembers, PartialEntitiesPlaceEveryFileAsWholeOnesDo) {
  const auto sample = bi::seed_testing::collect(bi::kDefaultSeedSize);
  metaport::testing::TempDir tmp;
  // The sample into a store, as `metaport bi seed` does (through jsonl).
  const std::string jsonl = tmp / "sample.jsonl";
  {
    auto w = format::make_stream_writer(format::Format::jsonl, jsonl);
    ASSERT_TRUE(w.ok());
    format::DumpHeader h;
    h.schema = schema().name;
    h.version = schema().version;
    ASSERT_TRUE((*w)->begin(h).ok());
    format::Counts counts;
    Entity e;
    for (const auto& [kind, doc] : sample.docs) {
      e.kind = schema().find(kind);
      ++counts[kind];
      ASSERT_TRUE((*w)->write(e, doc).ok());
    }
    ASSERT_TRUE((*w)->finish(counts).ok());
  }
  metaport::store::OpenOptions o;
  o.create = true;
  auto st = metaport::store::open_store("sqlite://" + tmp / "s.db", o);
  ASSERT_TRUE(st.ok()) << st.errors().to_string();
  ASSERT_TRUE((*st)->create_schema(schema()).ok());
  auto reader = format::open_dump(jsonl, schema());
  ASSERT_TRUE(reader.ok());
  auto loaded = engine::load(**st, schema(), **reader, {});
  ASSERT_TRUE(loaded.ok()) << loaded.errors().to_string();
  ASSERT_EQ(loaded->failed(), 0u) << loaded->text();

  Recorder rec;
  auto r = engine::dump(**st, schema(), rec, {});
  ASSERT_TRUE(r.ok()) << r.errors().to_string();
  ASSERT_EQ(rec.indexed.size(), rec.written.size());
  ASSERT_GT(rec.written.size(), 100u);

  bi::TreeLayout partial, whole;
  std::size_t left_out = 0;
  for (std::size_t i = 0; i < rec.indexed.size(); ++i) {
    const Entity& p = rec.indexed[i];
    const Entity& w = rec.written[i];
    ASSERT_EQ(p.kind, w.kind);
    ASSERT_EQ(p.key, w.key);
    // Only listed members, each exactly as in the whole document.
    const auto members = partial.index_members(*p.kind);
    ASSERT_TRUE(members.has_value());
    for (const auto& [name, v] : p.value.as_object()) {
      EXPECT_NE(std::find(members->begin(), members->end(), name), members->end()) << p.kind->name << " " << name;
      const Value* in_whole = w.value.find(name);
      ASSERT_NE(in_whole, nullptr) << name;
      EXPECT_EQ(v, *in_whole) << p.kind->name << " " << name;
    }
    left_out += w.value.size() - p.value.size();
    partial.index(p);
    whole.index(w);
  }
  EXPECT_GT(left_out, rec.written.size());  // the partial entities are smaller indeed
  std::size_t kinds_seen = 0;
  std::string last_kind;
  for (const Entity& e : rec.written) {
    EXPECT_EQ(partial.path_of(e), whole.path_of(e)) << e.kind->name << " " << e.key.str();
    if (e.kind->name != last_kind) ++kinds_seen, last_kind = e.kind->name;
  }
  EXPECT_GE(kinds_seen, 15u);  // every kind the sample holds went through the check
}

}  // namespace
