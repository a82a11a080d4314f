// Apply: the planned load written in one transaction, rows read back from
// the spool and built on every core, written in input order.
#include "runtime/engine/loader.hpp"

#include <algorithm>

#include "runtime/engine/ordered_pool.hpp"
#include "runtime/engine/progress.hpp"
#include "runtime/store/nested_secrets.hpp"

namespace metaport::engine::load_detail {

Status Loader::read_row(const Incoming& in, SpooledRow& out) const {
  thread_local std::string buf;
  if (auto s = spool_.read(in.off, in.len, buf); !s) return s;
  return read_spooled_row(buf, tables_[nodes_[in.node].kind], out);
}

// The entity document back from its spooled row (for messages, --mode
// update's comparison and --user rewrites; the common path needs only the row).
Result<Entity> Loader::read_spooled(const Incoming& in) const {
  SpooledRow r;
  if (auto s = read_row(in, r); !s) return s.errors();
  for (std::size_t j = 0; j < r.refs.size(); ++j) r.row[r.refs[j].column] = store::SqlValue(static_cast<std::int64_t>(j));
  auto e = store::entity_value_from_row(tables_[nodes_[in.node].kind], r.row,
                                        [&](const std::string&, std::int64_t j) -> std::optional<Key> {
                                          return r.refs[static_cast<std::size_t>(j)].key;
                                        });
  if (!e) return e.errors();
  e->origin = in.origin;
  return e;
}

// The row to write: spooled references become the local ids just assigned.
Result<store::EntityRow> Loader::row_to_write(const Incoming& in, const store::RefResolver& resolve) const {
  if (!in.rewrites.empty()) {  // --user: rewrite the document, convert again
    auto e = read_spooled(in);
    if (!e) return e.errors();
    for (const auto& [path, key] : in.rewrites) set_at(e->value, path, Value(key.first()));
    return store::row_from_entity(tables_[nodes_[in.node].kind], *e, resolve);
  }
  SpooledRow r;
  if (auto s = read_row(in, r); !s) return s.errors();
  for (const auto& ref : r.refs) {
    auto id = resolve(ref.kind, ref.key);
    // Every target has an id by now (reserved, or the stored one); one
    // without is a target that failed, and then this entity failed too.
    if (!id)
      return make_error("internal error: " + label(*schema_.kinds[nodes_[in.node].kind], nodes_[in.node].key) +
                        " refers to " + ref.kind + " " + ref.key.str() + ", which has no id at write time");
    r.row[ref.column] = store::SqlValue(*id);
  }
  store::EntityRow out;
  out.row = std::move(r.row);
  out.redacted = std::move(r.redacted);
  return out;
}

// An update whose dump redacted some secrets: the store's values stay
// (top-level ones through Store::update's kept columns, nested ones merged
// into the row here); what neither side knows is reported.
Status Loader::keep_stored_secrets(std::uint32_t k, const Incoming& in, store::EntityRow& row) {
  const store::TableDesc& table = tables_[k];
  auto stored = store_->fetch(schema_.kinds[k]->name, nodes_[in.node].id);
  if (!stored) return stored.errors();
  if (!*stored) return ok_status();
  if (auto s = store::keep_stored_secrets(table, row.row, **stored); !s) return s;
  std::vector<std::string> unknown = store::unknown_secrets(table, row.row);
  const std::vector<std::string> stored_unknown = store::unknown_secrets(table, **stored);
  for (const auto& path : unknown) {
    const bool top = table.member_column(path) != store::TableDesc::npos;
    if (top && std::find(stored_unknown.begin(), stored_unknown.end(), path) == stored_unknown.end()) continue;
    report_.secrets_unknown.push_back(label(*schema_.kinds[k], nodes_[in.node].key) + ": " + path);
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

  // Reserve ids for every new entity first: then any reference, forward or
  // cyclic, resolves at once and the deferred foreign keys check it at commit.
  std::vector<std::size_t> creates(schema_.kinds.size(), 0);
  for (const auto& in : incoming_)
    if (!in.failed && in.action == Action::create) ++creates[nodes_[in.node].kind];
  std::vector<std::vector<std::int64_t>> reserved(schema_.kinds.size());
  std::vector<std::size_t> next(schema_.kinds.size(), 0);
  for (std::size_t k = 0; k < creates.size(); ++k) {
    if (!creates[k] || schema_.kinds[k]->key_is_id()) continue;  // an integer key is its own id
    auto ids = store_->reserve_ids(schema_.kinds[k]->name, creates[k]);
    if (!ids) return ids.errors();
    reserved[k] = std::move(*ids);
  }
  for (auto& in : incoming_) {
    if (in.failed || in.action != Action::create) continue;
    Node& n = nodes_[in.node];
    if (schema_.kinds[n.kind]->key_is_id()) {
      auto id = store::integer_key_id(n.key);
      if (!id) return id.errors();
      n.id = *id;
    } else {
      n.id = reserved[n.kind][next[n.kind]++];
    }
  }

  store::RefResolver resolve = [&](const std::string& kind, const Key& key) -> std::optional<std::int64_t> {
    auto k = kind_index_.find(kind);
    if (k == kind_index_.end()) return std::nullopt;
    auto n = find_node(k->second, key);
    if (!n || nodes_[*n].id == kNoId) return std::nullopt;
    return nodes_[*n].id;
  };

  Progress progress(opts_.progress, opts_.dry_run ? "checking" : "writing", incoming_.size());
  std::vector<Batch> batches(schema_.kinds.size());
  auto flush = [&](std::size_t k) -> Status {
    if (batches[k].rows.empty()) return ok_status();
    auto s = store_->insert_with_ids(schema_.kinds[k]->name, batches[k].ids, batches[k].rows);
    batches[k].ids.clear();
    batches[k].rows.clear();
    return s;
  };
  // Rows are built on every core (spool read, JSON parse, row conversion);
  // the main thread writes them in input order.
  struct Built {
    std::size_t index = 0;
    Result<store::EntityRow> row = make_error("not built");
  };
  OrderedPool<std::size_t, Built> pool(workers(), [&](std::size_t& i) {
    Built b;
    b.index = i;
    b.row = row_to_write(incoming_[i], resolve);
    return b;
  });
  auto write = [&](Built& b) -> Status {
    Incoming& in = incoming_[b.index];
    const std::uint32_t k = nodes_[in.node].kind;
    if (!b.row) {
      Errors errs = b.row.errors();
      errs.set_file(in.origin.file);
      return errs;
    }
    if (in.action == Action::create) {
      batches[k].ids.push_back(nodes_[in.node].id);
      batches[k].rows.push_back(std::move(b.row->row));
      if (batches[k].rows.size() >= 512)
        if (auto s = flush(k); !s) return s;
    } else {
      if (!in.unknown_secrets.empty())
        if (auto s = keep_stored_secrets(k, in, *b.row); !s) return s;
      if (auto s = store_->update(schema_.kinds[k]->name, nodes_[in.node].id, b.row->row, b.row->redacted); !s) return s;
    }
    progress.tick();
    return ok_status();
  };
  Built b;
  for (std::size_t i = 0; i < incoming_.size(); ++i) {
    const Incoming& in = incoming_[i];
    if (in.failed || in.action == Action::skip) continue;
    if (pool.full()) {
      pool.pop(b);
      if (auto s = write(b); !s) return s;
    }
    pool.push(i);
  }
  while (pool.pop(b))
    if (auto s = write(b); !s) return s;
  for (std::size_t k = 0; k < batches.size(); ++k)
    if (auto s = flush(k); !s) return s;
  progress.done();
  if (opts_.dry_run) return ok_status();  // the guard rolls back
  if (opts_.in_transaction) return ok_status();  // the caller commits
  if (auto s = store_->commit(); !s) return s;
  guard.armed = false;
  report_.committed = true;
  return ok_status();
}

}  // namespace metaport::engine::load_detail
