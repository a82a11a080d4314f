#include "runtime/engine/loader.hpp"

#include <mutex>

namespace metaport::engine::load_detail {

// ---- streaming: a load into an empty store writes while it reads --------------------------
//
// Into an empty store every entity is a create and no identity needs the
// store, so rows are inserted as records are accepted, while the workers
// decode the next ones: the store's work overlaps the decoding instead of
// following it. Ids are handed out at first sight (a reference to a record
// further on gets its id before that record arrives; the foreign keys are
// deferred to the commit). The plan still runs to the end; if it finds any
// failure, or --user must rewrite documents, the streamed rows are rolled
// back and the ordinary apply runs from the spool, so the outcome is the
// same as without streaming in every case.
Status Loader::start_streaming() {
  if (!store_ || opts_.plan_only || opts_.dry_run || opts_.in_transaction) return ok_status();
  if (auto s = store_->begin_write(); !s) return s;
  auto empty = store_->is_empty();  // inside the write transaction: stays true until we commit
  if (!empty || !*empty) {
    (void)store_->rollback();
    return empty ? ok_status() : Status(empty.errors());
  }
  // Every referenced row will be this transaction's own: its references
  // can be checked in bulk at the commit (PostgreSQL; see Store).
  if (auto bulk = store_->check_references_in_bulk(); !bulk) {
    (void)store_->rollback();
    return bulk.errors();
  }
  streaming_ = true;
  stream_tx_open_ = true;
  writer_ = std::make_unique<BatchWriter>(*store_, schema_);
  stream_ids_.resize(schema_.kinds.size());
  stream_batches_.resize(schema_.kinds.size());
  return ok_status();
}

Result<std::int64_t> Loader::stream_id(std::uint32_t node) {
  Node& n = nodes_[node];
  if (n.id != kNoId) return n.id;
  if (schema_.kinds[n.kind]->key_is_id()) {  // its key is its id
    auto id = store::integer_key_id(n.key);
    if (!id) return id.errors();
    return n.id = *id;
  }
  auto& pool = stream_ids_[n.kind];
  if (pool.next == pool.ids.size()) {
    std::lock_guard<std::mutex> lock(writer_->store_mutex());  // the writer thread shares the connection
    auto ids = store_->reserve_ids(schema_.kinds[n.kind]->name, 1024);
    if (!ids) return ids.errors();
    pool.ids = std::move(*ids);
    pool.next = 0;
  }
  nodes_[node].id = pool.ids[pool.next++];
  return nodes_[node].id;
}

Status Loader::stream_insert(std::uint32_t node, store::EntityRow& row) {
  const std::uint32_t k = nodes_[node].kind;
  for (const auto& ref : row.pending) {
    auto kit = kind_index_.find(ref.kind);
    if (kit == kind_index_.end()) return make_error("internal error: a reference to unknown kind " + ref.kind);
    auto id = stream_id(intern(kit->second, ref.key));
    if (!id) return id.errors();
    row.row[ref.column] = store::SqlValue(*id);
  }
  auto id = stream_id(node);
  if (!id) return id.errors();
  auto& b = stream_batches_[k];
  b.ids.push_back(*id);
  b.rows.push_back(std::move(row.row));
  if (b.rows.size() >= 512) return stream_flush(k);
  return ok_status();
}

Status Loader::stream_flush(std::size_t k) {
  auto& b = stream_batches_[k];
  if (b.rows.empty()) return ok_status();
  auto s = writer_->push(k, std::move(b));
  b = Batch{};
  return s;
}

// True: committed, the load is done. False: rolled back, apply as usual.
Result<bool> Loader::finish_streaming() {
  streaming_ = false;
  const bool clean = report_.failures.empty() && report_.remapped == 0;  // every failure is listed there
  if (clean) {
    for (std::size_t k = 0; k < stream_batches_.size(); ++k)
      if (auto s = stream_flush(k); !s) return s.errors();
    if (auto s = writer_->finish(); !s) return s.errors();
    if (auto s = store_->commit(); !s) return s.errors();
    stream_tx_open_ = false;
    report_.committed = true;
    return true;
  }
  stream_batches_.clear();
  (void)writer_->finish();  // what it wrote is rolled back next
  stream_tx_open_ = false;
  if (auto s = store_->rollback(); !s) return s.errors();
  for (auto& n : nodes_) n.id = n.store_id.value_or(kNoId);  // apply hands out its own
  return false;
}

}  // namespace metaport::engine::load_detail
