// Apply: the planned load written in one transaction. Ids for every new
// entity are drawn first (an integer key is its own), so every reference,
// forward or cyclic, resolves at once and the deferred foreign keys check it
// at the commit. Rows are read back from the spool on every core and written
// in input order.
#include "runtime/engine/loader.hpp"

#include <algorithm>

#include "runtime/engine/ordered_pool.hpp"
#include "runtime/engine/progress.hpp"
#include "runtime/store/nested_secrets.hpp"

namespace metaport::engine::load_detail {
using disk::Stmt;

Status Loader::read_record(std::uint64_t off, std::uint32_t len, SpoolRecord& out) const {
  thread_local std::string buf;
  if (auto s = spool_.read(off, len, buf); !s) return s;
  if (!read_spool_record(buf, input_name_, out)) return make_error("the load's spool file holds a bad record");
  return ok_status();
}

// The entity document back from its spooled row (for messages, --mode
// update's comparison and --user rewrites; the common path needs only the row).
Result<Entity> Loader::read_spooled(const SpoolRecord& rec) const {
  SpooledRow r;
  if (auto s = read_spooled_row(rec.row, tables_[rec.kind], r); !s) return s.errors();
  for (std::size_t j = 0; j < r.refs.size(); ++j) r.row[r.refs[j].column] = store::SqlValue(static_cast<std::int64_t>(j));
  auto e = store::entity_value_from_row(tables_[rec.kind], r.row, [&](const std::string&, std::int64_t j) -> std::optional<Key> {
    return r.refs[static_cast<std::size_t>(j)].key;
  });
  if (!e) return e.errors();
  e->origin = rec.origin;
  return e;
}

// The id (kind, key) has once the plan is applied: its key for an integer
// kind, else the stored or reserved one from the plan.
Result<std::int64_t> Loader::applied_id(std::uint32_t kind, const Key& key) {
  if (schema_.kinds[kind]->key_is_id()) return store::integer_key_id(key);
  const std::string text = key_text(kind, key);
  if (auto hit = ids_cache_.find(kind, text)) return *hit;
  auto& q = plan_->stmt("SELECT id FROM node WHERE kind = ?1 AND key = ?2");
  q.bind(1, static_cast<std::int64_t>(kind)).bind(2, text);
  auto row = q.step();
  if (!row) return row.errors();
  const bool has = *row && !q.null_at(0);
  const std::int64_t id = has ? q.int_at(0) : kNoId;
  q.reset();
  // Every target has an id by now (reserved, or the stored one); one without
  // is a target that failed, and then whatever refers to it failed too.
  if (!has) return make_error("internal error: " + label(*schema_.kinds[kind], key) + " has no id at write time");
  ids_cache_.put(kind, text, id);
  return id;
}

// An update whose dump redacted some secrets: the store's values stay
// (top-level ones through Store::update's kept columns, nested ones merged
// into the row here); what neither side knows is reported.
Status Loader::keep_stored_secrets(std::uint32_t k, std::int64_t id, const Key& key, store::EntityRow& row) {
  const store::TableDesc& table = tables_[k];
  auto stored = store_->fetch(schema_.kinds[k]->name, id);
  if (!stored) return stored.errors();
  if (!*stored) return ok_status();
  if (auto s = store::keep_stored_secrets(table, row.row, **stored); !s) return s;
  std::vector<std::string> unknown = store::unknown_secrets(table, row.row);
  const std::vector<std::string> stored_unknown = store::unknown_secrets(table, **stored);
  for (const auto& path : unknown) {
    const bool top = table.member_column(path) != store::TableDesc::npos;
    if (top && std::find(stored_unknown.begin(), stored_unknown.end(), path) == stored_unknown.end()) continue;
    report_.secrets_unknown.push_back(label(*schema_.kinds[k], key) + ": " + path);
  }
  return ok_status();
}

// Ids for every entity to create, kind by kind, in blocks.
Status Loader::assign_ids() {
  auto& set = plan_->stmt("UPDATE node SET id = ?1 WHERE n = ?2");
  for (std::uint32_t k = 0; k < schema_.kinds.size(); ++k) {
    if (schema_.kinds[k]->key_is_id()) {
      if (auto s = plan_->exec("UPDATE node SET id = CAST(key AS INTEGER) WHERE kind = " + std::to_string(k) +
                               " AND rec IN (SELECT r FROM rec WHERE failed = 0 AND action = 0)");
          !s)
        return s;
      continue;
    }
    auto q = plan_->prepare(
        "SELECT n.n FROM rec x JOIN node n ON n.n = x.node WHERE n.kind = ?1 AND x.failed = 0 AND x.action = 0 ORDER BY x.r");
    if (!q) return q.errors();
    (*q)->bind(1, static_cast<std::int64_t>(k));
    std::vector<std::int64_t> block;
    std::size_t next = 0;
    for (;;) {
      auto row = (*q)->step();
      if (!row) return row.errors();
      if (!*row) break;
      if (next == block.size()) {
        auto ids = store_->reserve_ids(schema_.kinds[k]->name, 65536);
        if (!ids) return ids.errors();
        block = std::move(*ids);
        next = 0;
      }
      set.bind(1, block[next++]).bind(2, (*q)->int_at(0));
      if (auto s = set.run(); !s) return s;
    }
  }
  return ok_status();
}

Status Loader::apply() {
  if (auto s = spool_.flush(); !s) return s;
  if (!opts_.in_transaction)
    if (auto s = store_->begin_write(); !s) return s;
  struct Rollback {
    store::Store* s;
    bool armed = true;
    ~Rollback() { if (armed) (void)s->rollback(); }
  } guard{store_, !opts_.in_transaction};
  if (auto s = assign_ids(); !s) return s;

  std::int64_t writes = 0;
  {
    auto& q = plan_->stmt("SELECT count(*) FROM rec WHERE failed = 0 AND action != 2");
    auto row = q.step();
    if (!row) return row.errors();
    writes = q.int_at(0);
    q.reset();
  }
  Progress progress(opts_.progress, opts_.dry_run ? "checking" : "writing", static_cast<std::size_t>(writes));
  std::vector<Batch> batches(schema_.kinds.size());
  auto flush = [&](std::size_t k) -> Status {
    if (batches[k].rows.empty()) return ok_status();
    auto s = store_->insert_with_ids(schema_.kinds[k]->name, batches[k].ids, batches[k].rows);
    batches[k].ids.clear();
    batches[k].rows.clear();
    return s;
  };
  // Rows are read back and built on every core; the main thread puts in the
  // ids (from the plan) and writes them in input order.
  struct Task {
    std::int64_t r = 0;
    std::uint64_t off = 0;
    std::uint32_t len = 0;
    Action action = Action::create;
    std::int64_t id = kNoId;
    std::vector<FieldPath> rewrites;  // --user
  };
  struct Built {
    Task task;
    SpoolRecord rec;
    Result<store::EntityRow> row = make_error("not built");
  };
  OrderedPool<Task, Built> pool(workers(), [&](Task& t) {
    Built b;
    b.task = std::move(t);
    if (auto s = read_record(b.task.off, b.task.len, b.rec); !s) {
      b.row = s.errors();
      return b;
    }
    if (!b.task.rewrites.empty()) {  // --user: rewrite the document, convert again
      auto e = read_spooled(b.rec);
      if (!e) {
        b.row = e.errors();
        return b;
      }
      for (const auto& path : b.task.rewrites) set_at(e->value, path, Value(*opts_.user));
      b.row = store::row_from_entity(tables_[b.rec.kind], *e, [](const std::string&, const Key&) { return std::nullopt; });
      return b;
    }
    SpooledRow r;
    if (auto s = read_spooled_row(b.rec.row, tables_[b.rec.kind], r); !s) {
      b.row = s.errors();
      return b;
    }
    store::EntityRow out;
    out.row = std::move(r.row);
    out.pending = std::move(r.refs);
    out.redacted = std::move(r.redacted);
    b.row = std::move(out);
    return b;
  });
  auto write = [&](Built& b) -> Status {
    const std::uint32_t k = b.rec.kind;
    if (!b.row) {
      Errors errs = b.row.errors();
      errs.set_file(b.rec.origin.file);
      return errs;
    }
    for (const auto& ref : b.row->pending) {
      auto kit = kind_index_.find(ref.kind);
      if (kit == kind_index_.end()) return make_error("internal error: a reference to unknown kind " + ref.kind);
      auto id = applied_id(kit->second, ref.key);
      if (!id) return id.errors();
      b.row->row[ref.column] = store::SqlValue(*id);
    }
    if (b.task.action == Action::create) {
      batches[k].ids.push_back(b.task.id);
      batches[k].rows.push_back(std::move(b.row->row));
      if (batches[k].rows.size() >= 512)
        if (auto s = flush(k); !s) return s;
    } else {
      if (!b.rec.unknown_secrets.empty())
        if (auto s = keep_stored_secrets(k, b.task.id, b.rec.key, *b.row); !s) return s;
      if (auto s = store_->update(schema_.kinds[k]->name, b.task.id, b.row->row, b.row->redacted); !s) return s;
    }
    progress.tick();
    return ok_status();
  };
  auto q = plan_->prepare(
      "SELECT x.r, x.off, x.len, x.action, n.id, EXISTS (SELECT 1 FROM rewrite w WHERE w.r = x.r) "
      "FROM rec x JOIN node n ON n.n = x.node WHERE x.failed = 0 AND x.action != 2 ORDER BY x.r");
  if (!q) return q.errors();
  Stmt& cur = **q;
  Built b;
  for (;;) {
    auto row = cur.step();
    if (!row) return row.errors();
    if (!*row) break;
    Task t;
    t.r = cur.int_at(0);
    t.off = static_cast<std::uint64_t>(cur.int_at(1));
    t.len = static_cast<std::uint32_t>(cur.int_at(2));
    t.action = static_cast<Action>(cur.int_at(3));
    t.id = cur.null_at(4) ? kNoId : cur.int_at(4);
    if (cur.int_at(5)) {
      auto& w = plan_->stmt("SELECT path FROM rewrite WHERE r = ?1");
      w.bind(1, t.r);
      for (;;) {
        auto wr = w.step();
        if (!wr) return wr.errors();
        if (!*wr) break;
        t.rewrites.push_back(path_from_json(w.text_at(0)));
      }
      w.reset();
    }
    if (pool.full()) {
      pool.pop(b);
      if (auto s = write(b); !s) return s;
    }
    pool.push(std::move(t));
  }
  while (pool.pop(b))
    if (auto s = write(b); !s) return s;
  for (std::size_t k = 0; k < batches.size(); ++k)
    if (auto s = flush(k); !s) return s;
  progress.done();
  if (opts_.dry_run) return ok_status();         // the guard rolls back
  if (opts_.in_transaction) return ok_status();  // the caller commits
  if (auto s = store_->commit(); !s) return s;
  guard.armed = false;
  report_.committed = true;
  return ok_status();
}

}  // namespace metaport::engine::load_detail
