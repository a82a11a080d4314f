// BatchWriter on real stores: batches pushed from one thread are inserted on
// another, in order; the first failure stops the writing, push() and finish()
// return it, and what the transaction wrote is rolled back by its owner.
#include "runtime/engine/batch_writer.hpp"

#include <gtest/gtest.h>

#include "runtime/store/row.hpp"
#include "tests/engine/engine_test_util.hpp"
#include "tests/engine/library_schema.hpp"

namespace metaport::testing {
namespace {

const SchemaInfo& schema() {
  static const SchemaInfo s = make_schema_info<lib::Schema>();
  return s;
}

std::size_t shelf_kind() {
  for (std::size_t k = 0; k < schema().kinds.size(); ++k)
    if (schema().kinds[k]->name == "Shelf") return k;
  throw std::runtime_error("no Shelf");
}

// `n` shelves named from `first` on, with ids reserved in the store.
engine::Batch shelves(store::Store& st, int first, int n) {
  const store::TableDesc& t = *st.table("Shelf");
  engine::Batch b;
  auto ids = st.reserve_ids("Shelf", static_cast<std::size_t>(n));
  if (!ids) throw std::runtime_error(ids.errors().to_string());
  b.ids = *ids;
  for (int i = first; i < first + n; ++i) {
    Entity e;
    e.kind = schema().find("Shelf");
    const std::string id = EntityId::from_name("shelf " + std::to_string(i)).str();
    e.key = Key(id);
    e.value = Value::object();
    e.value.set("entity_id", id);
    e.value.set("name", "Shelf " + std::to_string(i));
    auto row = store::row_from_entity(t, e, [](const std::string&, const Key&) { return std::nullopt; });
    if (!row) throw std::runtime_error(row.errors().to_string());
    b.rows.push_back(std::move(row->row));
  }
  return b;
}

class BatchWriterTest : public ::testing::TestWithParam<Engine> {};

TEST_P(BatchWriterTest, WritesEveryBatchAndStopsAtTheFirstFailure) {
  FreshStore fresh(GetParam());
  auto st = open_store(fresh.url(), schema());
  ASSERT_TRUE(st->begin_write().ok());
  {
    engine::BatchWriter w(*st, schema());
    for (int b = 0; b < 10; ++b) {  // more batches than the queue holds: push waits
      engine::Batch batch;
      {
        std::lock_guard<std::mutex> lock(w.store_mutex());  // reserve_ids shares the connection
        batch = shelves(*st, b * 100, 100);
      }
      ASSERT_TRUE(w.push(shelf_kind(), std::move(batch)).ok());
    }
    ASSERT_TRUE(w.finish().ok());
    EXPECT_TRUE(w.finish().ok());  // idempotent
  }
  ASSERT_TRUE(st->commit().ok());
  EXPECT_EQ(*st->count("Shelf"), 1000);

  // A batch whose keys are already stored fails; later pushes get its error.
  ASSERT_TRUE(st->begin_write().ok());
  {
    engine::BatchWriter w(*st, schema());
    engine::Batch fresh_rows, dup_rows;
    {
      std::lock_guard<std::mutex> lock(w.store_mutex());
      fresh_rows = shelves(*st, 5000, 10);
      dup_rows = shelves(*st, 0, 10);
    }
    ASSERT_TRUE(w.push(shelf_kind(), std::move(fresh_rows)).ok());
    ASSERT_TRUE(w.push(shelf_kind(), std::move(dup_rows)).ok());  // queued: fails later, on the thread
    Status done = w.finish();
    ASSERT_FALSE(done.ok());
    EXPECT_NE(done.errors().to_string().find("already stored"), std::string::npos) << done.errors().to_string();
    EXPECT_FALSE(w.push(shelf_kind(), engine::Batch{}).ok());
  }
  ASSERT_TRUE(st->rollback().ok());
  EXPECT_EQ(*st->count("Shelf"), 1000);  // nothing of the failed transaction
}

INSTANTIATE_TEST_SUITE_P(Engines, BatchWriterTest, ::testing::ValuesIn(engines()), EngineParamName());

}  // namespace
}  // namespace metaport::testing
