// ---- streaming: a load into an empty store writes while it reads -------------
//
// Into an empty store every entity is a create and no identity needs the
// store, so rows are inserted as records are accepted, while the workers
// decode the next ones: the store's work overlaps the decoding instead of
// following it. No plan is kept meanwhile (docs/memory.md):
//   - an integer key is its own id; a kind nothing refers to draws ids in
//     blocks; a kind others refer to gets its ids by key from a scratch
//     table (a bounded cache in front), so a reference to a record further
//     on gets its target's id before that record arrives;
//   - the store refuses what the plan would have caught: a duplicate key
//     (its unique index), a reference to nothing (the foreign keys at the
//     commit); references inside documents are checked against the scratch
//     table at the end.
// On the first sign of trouble (a record that does not decode, a refusal by
// the store, a reference nothing defines, a container that comes after its
// contents in a kind that can contain itself) the streamed rows are rolled
// back and the planned load runs from the spool, which finds and reports
// every failure: the outcome is the same as without streaming in every case.
#include "runtime/engine/loader.hpp"

#include <mutex>

namespace metaport::engine::load_detail {

Status Loader::start_streaming() {
  if (!store_ || opts_.plan_only || opts_.dry_run || opts_.in_transaction) return ok_status();
  if (opts_.user) return ok_status();  // --user must be checked against the store: the planned load does
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
  bool any_map = false;
  for (std::size_t k = 0; k < schema_.kinds.size(); ++k) any_map |= referenced_[k];
  if (any_map) {
    auto db = disk::ScratchDb::open("the load's ids", 8);
    if (!db) {
      (void)store_->rollback();
      return db.errors();
    }
    stream_ids_db_ = std::move(*db);
    if (auto s = stream_ids_db_->exec("CREATE TABLE sid(kind INT NOT NULL, key TEXT NOT NULL, id INT NOT NULL, "
                                      "defined INT NOT NULL, PRIMARY KEY(kind, key)) WITHOUT ROWID");
        !s) {
      (void)store_->rollback();
      return s;
    }
  }
  store_empty_ = true;
  streaming_ = true;
  stream_tx_open_ = true;
  writer_ = std::make_unique<BatchWriter>(*store_, schema_);
  stream_ids_.assign(schema_.kinds.size(), IdPool{});
  stream_batches_.assign(schema_.kinds.size(), Batch{});
  stream_created_.assign(schema_.kinds.size(), 0);
  return ok_status();
}

// The id of a fresh row of kind k, from blocks drawn from the store.
Result<std::int64_t> Loader::stream_new_id(std::uint32_t k) {
  auto& pool = stream_ids_[k];
  if (pool.next == pool.ids.size()) {
    Result<std::vector<std::int64_t>> ids = std::vector<std::int64_t>{};
    {
      std::lock_guard<std::mutex> lock(writer_->store_mutex());  // the writer thread shares the connection
      ids = store_->reserve_ids(schema_.kinds[k]->name, 1024);
    }
    // The transaction failed (the writer thread's insert was refused, or it
    // lost to another writer's conflicting commit): the planned load takes
    // over, and says what is wrong if anything still is. The caller sees
    // that streaming stopped.
    if (!ids) {
      stop_streaming();
      return kNoId;
    }
    pool.ids = std::move(*ids);
    pool.next = 0;
  }
  return pool.ids[pool.next++];
}

// The id a reference to (kind, key) gets. A kind with a key map remembers
// the key as referenced (forward, until its record comes).
Result<std::int64_t> Loader::stream_ref_id(std::uint32_t kind, const Key& key, bool parent) {
  const KindInfo& k = *schema_.kinds[kind];
  if (!referenced_[kind]) {  // an integer key nothing checks by key: its id
    return store::integer_key_id(key);
  }
  const std::string text = key_text(kind, key);
  const bool check_order = parent && nests_[kind];
  if (!check_order)
    if (auto hit = stream_cache_.find(kind, text)) return *hit;
  auto& find = stream_ids_db_->stmt("SELECT id, defined FROM sid WHERE kind = ?1 AND key = ?2");
  find.bind(1, static_cast<std::int64_t>(kind)).bind(2, text);
  auto row = find.step();
  if (!row) return row.errors();
  if (*row) {
    const std::int64_t id = find.int_at(0);
    const bool defined = find.int_at(1) != 0;
    find.reset();
    // A container after its contents, where containment can loop: the plan
    // must look for cycles.
    if (check_order && !defined) {
      stop_streaming();
      return id;
    }
    stream_cache_.put(kind, text, id);
    return id;
  }
  find.reset();
  if (check_order) {
    stop_streaming();
    return kNoId;  // unused: the caller sees streaming stopped
  }
  Result<std::int64_t> id = k.key_is_id() ? store::integer_key_id(key) : stream_new_id(kind);
  if (!id || !streaming_) return id;
  auto& ins = stream_ids_db_->stmt("INSERT INTO sid(kind, key, id, defined) VALUES(?1, ?2, ?3, 0)");
  ins.bind(1, static_cast<std::int64_t>(kind)).bind(2, text).bind(3, *id);
  if (auto s = ins.run(); !s) return s.errors();
  stream_cache_.put(kind, text, *id);
  return id;
}

Status Loader::stream(Prepared& p) {
  const auto k = static_cast<std::uint32_t>(p.kind);
  const KindInfo& kind = *schema_.kinds[k];
  // Its own id.
  std::int64_t id = kNoId;
  if (referenced_[k]) {
    const std::string text = key_text(k, p.rec.key);
    auto& find = stream_ids_db_->stmt("SELECT id, defined FROM sid WHERE kind = ?1 AND key = ?2");
    find.bind(1, static_cast<std::int64_t>(k)).bind(2, text);
    auto row = find.step();
    if (!row) return row.errors();
    if (*row) {
      const bool defined = find.int_at(1) != 0;
      id = find.int_at(0);
      find.reset();
      if (defined) {  // a duplicate: the plan says where the first one is
        stop_streaming();
        return ok_status();
      }
      auto& def = stream_ids_db_->stmt("UPDATE sid SET defined = 1 WHERE kind = ?1 AND key = ?2");
      def.bind(1, static_cast<std::int64_t>(k)).bind(2, text);
      if (auto s = def.run(); !s) return s;
    } else {
      find.reset();
      auto fresh = kind.key_is_id() ? store::integer_key_id(p.rec.key) : stream_new_id(k);
      if (!fresh) return fresh.errors();
      if (!streaming_) return ok_status();
      id = *fresh;
      auto& ins = stream_ids_db_->stmt("INSERT INTO sid(kind, key, id, defined) VALUES(?1, ?2, ?3, 1)");
      ins.bind(1, static_cast<std::int64_t>(k)).bind(2, text).bind(3, id);
      if (auto s = ins.run(); !s) return s;
    }
    stream_cache_.put(k, text, id);
  } else {
    auto fresh = kind.key_is_id() ? store::integer_key_id(p.rec.key) : stream_new_id(k);
    if (!fresh) return fresh.errors();
    if (!streaming_) return ok_status();
    id = *fresh;
  }
  // Every reference (inside documents too) gets its target's id, and is so
  // remembered until the target comes.
  for (const auto& ref : p.rec.refs) {
    auto rid = stream_ref_id(ref.kind, ref.key, ref.flags & kParent);
    if (!rid) return rid.errors();
    if (!streaming_) return ok_status();
  }
  for (const auto& pending : p.row.pending) {
    auto kit = kind_index_.find(pending.kind);
    if (kit == kind_index_.end()) return make_error("internal error: a reference to unknown kind " + pending.kind);
    auto rid = stream_ref_id(kit->second, pending.key, false);
    if (!rid) return rid.errors();
    if (!streaming_) return ok_status();
    p.row.row[pending.column] = store::SqlValue(*rid);
  }
  for (const auto& path : p.rec.unknown_secrets) report_.secrets_unknown.push_back(label(kind, p.rec.key) + ": " + path);
  ++stream_created_[k];
  auto& b = stream_batches_[k];
  b.ids.push_back(id);
  b.rows.push_back(std::move(p.row.row));
  if (b.rows.size() >= 512) return stream_flush(k);
  return ok_status();
}

Status Loader::stream_flush(std::size_t k) {
  auto& b = stream_batches_[k];
  if (b.rows.empty()) return ok_status();
  auto s = writer_->push(k, std::move(b));
  b = Batch{};
  if (!s) stop_streaming();  // the store refused a row: the plan will say which and why
  return ok_status();
}

// Rolls the streamed rows back; the planned load takes over from the spool.
void Loader::stop_streaming() {
  if (!streaming_) return;
  streaming_ = false;
  if (writer_) (void)writer_->finish();  // what it wrote is rolled back next
  writer_.reset();
  stream_batches_.clear();
  stream_ids_db_.reset();
  stream_cache_.clear();
  if (stream_tx_open_) (void)store_->rollback();
  stream_tx_open_ = false;
  // The store was empty inside the rolled-back transaction; another writer
  // may have committed since (the reason streaming stopped, if it lost a
  // conflict): the plan looks identities up unless it is empty still.
  auto empty = store_->is_empty();
  store_empty_ = empty && *empty;
  report_.secrets_unknown.clear();
  report_.placeholders.clear();  // the plan makes them again
  report_.stubs.clear();
}

// True: committed, the load is done. False: rolled back, plan and apply.
Result<bool> Loader::finish_streaming() {
  if (!streaming_) return false;
  if (report_.failed() > 0) {  // every failure so far is in the report
    stop_streaming();
    return false;
  }
  // Referenced, never defined: a placeholder where the schema makes one
  // (users the target lacks), else missing (the plan says where).
  while (stream_ids_db_ && streaming_) {
    std::vector<std::pair<std::uint32_t, std::string>> batch;
    auto& undefined = stream_ids_db_->stmt("SELECT kind, key FROM sid WHERE defined = 0 LIMIT 4096");
    for (;;) {
      auto row = undefined.step();
      if (!row) return row.errors();
      if (!*row) break;
      batch.emplace_back(static_cast<std::uint32_t>(undefined.int_at(0)), std::string(undefined.text_at(1)));
    }
    undefined.reset();
    if (batch.empty()) break;
    for (const auto& [k, text] : batch) {
      const KindInfo& kind = *schema_.kinds[k];
      const StubPolicy p = schema_.stub_policy_of(kind.name);
      auto key = store::key_from_text(text, tables_[k].key_single);
      std::optional<Value> doc;
      if (key && schema_.make_stub && (p == StubPolicy::always || (p == StubPolicy::on_flag && opts_.stub_missing)))
        doc = schema_.make_stub(kind.name, *key);
      if (!doc) {
        stop_streaming();
        return false;
      }
      const std::int64_t before = records_;
      if (auto s = add_entity(k, *doc, Origin{"(placeholder)", {}, {}}, true); !s) return s.errors();
      if (records_ == before || !streaming_) {
        stop_streaming();
        return false;
      }
      (p == StubPolicy::always ? report_.placeholders : report_.stubs).push_back(label(kind, *key));
    }
  }
  if (!streaming_) return false;
  for (std::size_t k = 0; k < stream_batches_.size() && streaming_; ++k)
    if (auto s = stream_flush(k); !s) return s.errors();
  if (!streaming_) return false;
  if (auto s = writer_->finish(); !s) {
    stop_streaming();
    return false;
  }
  writer_.reset();
  // The deferred checks run here: a reference to a row that is not there
  // refuses the commit (and rolls back).
  if (auto s = store_->commit(); !s) {
    stream_tx_open_ = false;
    stop_streaming();
    return false;
  }
  stream_tx_open_ = false;
  streaming_ = false;
  for (std::size_t k = 0; k < stream_created_.size(); ++k)
    if (stream_created_[k]) report_.kinds[schema_.kinds[k]->name].created += stream_created_[k];
  report_.committed = true;
  return true;
}

}  // namespace metaport::engine::load_detail
