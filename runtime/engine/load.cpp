#include "runtime/engine/load.hpp"

#include <unistd.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <cstdio>
#include <thread>
#include <unordered_map>

#include "metaport/format/json.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "runtime/format/io.hpp"
#include "runtime/engine/batch_writer.hpp"
#include "runtime/engine/ordered_pool.hpp"
#include "runtime/engine/present.hpp"
#include "runtime/engine/progress.hpp"
#include "runtime/engine/spool.hpp"
#include "runtime/engine/spooled_row.hpp"
#include "runtime/store/key_map.hpp"
#include "runtime/store/nested_secrets.hpp"
#include "runtime/store/row.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::engine {
namespace {

constexpr std::int32_t kNone = -1;

// Every (kind, key) the load mentions: incoming entities and their targets.
struct Node {
  std::uint32_t kind = 0;
  Key key;
  std::int32_t incoming = kNone;       // the record that defines it in this dump
  std::optional<std::int64_t> store_id;  // its id in the target store, if it exists there
  std::int64_t id = 0;                 // its id once the load is applied
  bool missing = false;                // neither in the dump nor in the store
  bool looked_up = false;
};

struct Dep {
  std::uint32_t node;
  bool column;  // a top-level reference (a foreign key column)
  bool parent;  // Parent<T>: containment
};

enum class Action { create, update, skip };


struct Incoming {
  std::uint32_t node = 0;
  Origin origin;
  std::uint64_t off = 0;
  std::uint32_t len = 0;
  std::vector<Dep> deps;
  std::vector<std::pair<FieldPath, std::uint32_t>> user_refs;  // for --user
  std::vector<std::pair<FieldPath, Key>> rewrites;              // applied before writing
  std::vector<Error> errors;
  bool failed = false;
  bool placeholder = false;
  Action action = Action::create;
  // Its secrets that arrived redacted ("password", "details.auth-info.x"):
  // a created entity has no value for them (the report says so); an update
  // keeps the store's values.
  std::vector<std::string> unknown_secrets;
};

std::string label(const KindInfo& k, const Key& key) { return k.name + " " + key.str(); }

// A readable name for a record that could not be decoded (no key yet).
std::string guess_key(const Value& doc) {
  for (const char* f : {"entity_id", "name", "email", "term", "path"})
    if (const Value* v = doc.find(f); v && v->is_string()) return v->as_string();
  return {};
}

void set_at(Value& root, const FieldPath& path, Value v) {
  Value* at = &root;
  for (std::size_t i = 0; at && i < path.size(); ++i) {
    if (auto* k = std::get_if<std::string>(&path[i])) at = at->find(*k);
    else {
      std::size_t idx = std::get<std::size_t>(path[i]);
      at = at->is_array() && idx < at->size() ? &at->as_array()[idx] : nullptr;
    }
  }
  if (at) *at = std::move(v);
}

}  // namespace

Status version_supported(const SchemaInfo& schema, const format::DumpHeader& h) {
  if (h.schema != schema.name) return make_error("this dump is of schema '" + h.schema + "', not '" + schema.name + "'");
  if (h.version > schema.version)
    return make_error("this dump is " + schema.name + " version " + std::to_string(h.version) + ", newer than this metaport's " +
                      schema.name + " version " + std::to_string(schema.version) + ": refusing to load it (upgrade metaport first)");
  if (h.version < schema.oldest_version)
    return make_error("this dump is " + schema.name + " version " + std::to_string(h.version) + "; the oldest version this metaport upgrades is " +
                      std::to_string(schema.oldest_version));
  return ok_status();
}

namespace {

class Loader {
 public:
  Loader(store::Store* store, const SchemaInfo& schema, const LoadOptions& opts)
      : store_(store), schema_(schema), opts_(opts), index_(schema.kinds.size()) {
    for (std::size_t i = 0; i < schema.kinds.size(); ++i) kind_index_[schema.kinds[i]->name] = static_cast<std::uint32_t>(i);
  }

  Result<LoadReport> run(format::DumpReader& reader) {
    report_.dry_run = opts_.dry_run;
    if (auto s = check_version(reader.header()); !s) return s.errors();
    if (store_)
      if (auto s = store_->check_schema(schema_); !s) return s.errors();
    if (opts_.restore && store_) {
      auto empty = store_->is_empty();
      if (!empty) return empty.errors();
      if (!*empty) return make_error("--restore loads only into an empty store, and this one already holds entities");
    }
    auto tables = store::tables_for(schema_);
    if (!tables) return tables.errors();
    tables_ = std::move(*tables);
    if (!spool_.ok()) return make_error("cannot create a temporary file for the load (is TMPDIR writable?)");
    if (auto s = start_streaming(); !s) return s.errors();

    // ---- plan --------------------------------------------------------------------------------
    // Streaming writes while it reads: the line says so.
    Progress progress(opts_.progress, streaming_ ? "loading" : "reading", reader.expected());
    {
      // Parse and decode on every core; accept in input order.
      OrderedPool<format::RawRecord, Prepared> pool(
          workers(), [&](format::RawRecord& raw) { return prepare_raw(reader, raw); });
      format::RawRecord raw;
      Prepared p;
      for (;;) {
        Errors read_errors;
        bool more = reader.next_raw(raw, read_errors);
        for (const auto& e : read_errors.list()) unreadable(e);
        if (!more) break;
        if (pool.full()) {
          pool.pop(p);
          if (auto s = accept(reader, p); !s) return s.errors();
          progress.tick();
        }
        pool.push(std::move(raw));
        raw = format::RawRecord{};
      }
      while (pool.pop(p)) {
        if (auto s = accept(reader, p); !s) return s.errors();
        progress.tick();
      }
    }
    progress.done();
    if (auto s = reader.finish(); !s) {
      for (const auto& e : s.errors().list()) unreadable(e);
    }
    report_.ignored_files = reader.ignored();
    if (auto s = spool_.flush(); !s) return s.errors();
    if (auto s = resolve_identities(); !s) return s.errors();
    if (auto s = resolve_missing(); !s) return s.errors();
    find_containment_cycles();
    propagate_failures();
    decide_actions();
    if (opts_.mode == Mode::update && store_)
      if (auto s = skip_unchanged(); !s) return s.errors();
    count();
    if (streaming_) {
      auto done = finish_streaming();
      if (!done) return done.errors();
      if (*done) return std::move(report_);
    }

    const bool any_failure = report_.failed() > 0;
    if (opts_.plan_only || !store_) return std::move(report_);
    if (any_failure && opts_.on_error == OnError::abort) {
      // Nothing is written: the report must not claim otherwise.
      for (auto& [k, c] : report_.kinds) c.created = c.updated = c.skipped = 0;
      report_.stubs.clear();
      report_.placeholders.clear();
      report_.secrets_unknown.clear();
      report_.remapped = 0;
      return std::move(report_);
    }

    // ---- apply -------------------------------------------------------------------------------
    if (auto s = apply(); !s) return s.errors();
    return std::move(report_);
  }

 private:
  Status check_version(const format::DumpHeader& h) {
    secrets_kept_ = h.secrets_kept;
    if (auto s = version_supported(schema_, h); !s) return s;
    if (h.version < schema_.version) {
      from_version_ = h.version;
      report_.notes.push_back("upgraded from " + schema_.name + " version " + std::to_string(h.version) + " to " +
                              std::to_string(schema_.version) + " while loading");
    }
    return ok_status();
  }

  void unreadable(const Error& e) {
    Failure f;
    f.origin = Origin{e.file, e.mark};
    f.errors.push_back(e);
    report_.failures.push_back(std::move(f));
  }

  std::uint32_t intern(std::uint32_t kind, const Key& key) {
    auto [it, fresh] = index_[kind].try_emplace(key, static_cast<std::uint32_t>(nodes_.size()));
    if (fresh) {
      Node n;
      n.kind = kind;
      n.key = key;
      nodes_.push_back(std::move(n));
    }
    return it->second;
  }
  std::optional<std::uint32_t> find_node(std::uint32_t kind, const Key& key) const {
    auto it = index_[kind].find(key);
    if (it == index_[kind].end()) return std::nullopt;
    return it->second;
  }

  // What a worker makes of one record: everything that needs no shared state.
  struct Prepared {
    format::Parsed parsed = format::Parsed::failed;
    format::RawRecord raw;         // for skipped tree files
    std::string kind_name;         // as the record says
    std::int64_t kind = -1;        // index into schema_.kinds, -1 when unknown
    Origin origin;
    std::string guess;             // a readable key for records that do not decode
    Errors errors;                 // reading or decoding problems
    Key key;
    struct Ref {
      std::uint32_t kind;
      Key key;
      bool column, parent, user;
      FieldPath path;  // kept for references to the user kind (--user rewrites them)
    };
    std::vector<Ref> refs;
    store::EntityRow row;  // the row to write, references still keys
    std::string spooled;   // the same row, serialized for the spool
    bool placeholder = false;
    std::vector<UpgradeRecord> extra;  // records an upgrade step emitted beside this one
    std::vector<Error> warnings;       // secrets in clear (see warn_clear_secrets)
  };

  static std::size_t workers() {
    unsigned n = std::thread::hardware_concurrency();
    return n <= 1 ? 0 : n;
  }

  Prepared prepare_raw(format::DumpReader& reader, format::RawRecord& raw) {
    Prepared p;
    format::Record rec;
    p.parsed = reader.parse(raw, rec, p.errors);
    if (p.parsed == format::Parsed::skipped) p.raw = std::move(raw);
    if (p.parsed != format::Parsed::record) return p;
    p.kind_name = rec.kind;
    p.origin = rec.origin;
    if (from_version_) {  // an older dump: the upgrade steps, record by record
      std::vector<UpgradeRecord> up;
      p.guess = guess_key(rec.doc);
      if (!upgrade_record(schema_.upgrades, from_version_, schema_.version, UpgradeRecord{rec.kind, std::move(rec.doc)}, up,
                          p.errors)) {
        auto kit = kind_index_.find(p.kind_name);
        p.kind = kit == kind_index_.end() ? -1 : kit->second;
        if (p.kind < 0) p.errors = Errors{};  // reported as an unknown kind
        return p;
      }
      rec.kind = std::move(up[0].kind);
      rec.doc = std::move(up[0].doc);
      p.kind_name = rec.kind;
      for (std::size_t i = 1; i < up.size(); ++i) p.extra.push_back(std::move(up[i]));
    }
    auto kit = kind_index_.find(rec.kind);
    if (kit == kind_index_.end()) {
      p.guess = guess_key(rec.doc);
      return p;
    }
    prepare_entity(p, kit->second, rec.doc);
    if (!rec.problems.empty()) {  // the layout's, found converting the file
      if (p.errors.empty()) p.guess = p.key.size() ? p.key.str() : guess_key(rec.doc);
      p.errors.append(rec.problems);
    }
    return p;
  }

  // Decodes strictly, finds the references, serializes for the spool.
  void prepare_entity(Prepared& p, std::uint32_t kind_idx, const Value& doc) const {
    p.kind = kind_idx;
    const KindInfo& kind = *schema_.kinds[kind_idx];
    Entity e;
    DecodeOptions dopts;
    dopts.keep_unknown = opts_.keep_unknown;
    if (!kind.normalize(kind, doc, dopts, e, p.errors)) {
      p.guess = guess_key(doc);
      return;
    }
    p.key = e.key;
    if (!secrets_kept_)
      for (auto& [path, mark] : clear_secrets(kind, doc))
        p.warnings.push_back(Error{"a secret in clear, in a dump not written with --keep-secrets: redact it (" +
                                       std::string(kRedacted) + ") or remove it before this file goes into git",
                                   path_to_string(path), mark.known() ? mark : p.origin.mark, p.origin.file,
                                   kind.name + " " + e.key.str()});
    schema_.refs(e, [&](const FoundRef& r) {
      auto kit = kind_index_.find(r.kind);
      if (kit == kind_index_.end()) return;  // a walker naming a kind the schema lacks: not a reference here
      const bool user = !schema_.user_kind.empty() && r.kind == schema_.user_kind;
      p.refs.push_back(Prepared::Ref{kit->second, r.key, r.column, r.parent, user, user ? r.path : FieldPath{}});
    });
    // One entry per target (a question names the same field many times):
    // the main thread interns each reference, and that is serial work.
    // References to users keep every path (--user rewrites each one).
    std::sort(p.refs.begin(), p.refs.end(), [](const Prepared::Ref& a, const Prepared::Ref& b) {
      if (a.user != b.user) return a.user < b.user;
      if (a.kind != b.kind) return a.kind < b.kind;
      return a.key < b.key;
    });
    std::size_t out = 0;
    for (std::size_t i = 0; i < p.refs.size(); ++i) {
      auto& r = p.refs[i];
      if (out > 0 && !r.user) {
        auto& last = p.refs[out - 1];
        if (!last.user && last.kind == r.kind && last.key == r.key) {
          last.column |= r.column;
          last.parent |= r.parent;
          continue;
        }
      }
      if (out != i) p.refs[out] = std::move(r);
      ++out;
    }
    p.refs.resize(out);
    // The row, built here on a worker; its references stay keys until apply.
    auto row = store::row_from_entity(tables_[kind_idx], e, [](const std::string&, const Key&) { return std::nullopt; });
    if (!row) {
      p.errors = row.errors();
      p.guess = guess_key(doc);
      return;
    }
    p.spooled.reserve(1024);
    append_spooled_row(p.spooled, *row);
    p.row = std::move(*row);
  }

  // In input order: identity, duplicates, the spool, the plan.
  Status accept(format::DumpReader& reader, Prepared& p) {
    if (p.parsed == format::Parsed::skipped) {
      reader.skipped(p.raw);
      return ok_status();
    }
    if (p.parsed == format::Parsed::failed) {
      for (const auto& e : p.errors.list()) unreadable(e);
      return ok_status();
    }
    format::Record counted;
    counted.kind = p.kind_name;
    reader.accepted(counted);
    for (auto& w : p.warnings) report_.warnings.push_back(std::move(w));
    ++report_.records;
    if (auto s = accept_entity(p); !s) return s;
    for (auto& x : p.extra) {
      auto kit = kind_index_.find(x.kind);
      if (kit == kind_index_.end()) {
        Failure f;
        f.kind = x.kind;
        f.origin = p.origin;
        f.errors.push_back(Error{"an upgrade step produced a record of unknown kind '" + x.kind + "'", {}, p.origin.mark,
                                 p.origin.file, {}});
        report_.failures.push_back(std::move(f));
        continue;
      }
      if (auto s = add_entity(kit->second, x.doc, p.origin, false); !s) return s;
    }
    return ok_status();
  }

  Status accept_entity(Prepared& p) {
    if (p.kind < 0) {
      std::string known;
      for (const auto& k : schema_.kinds) known += (known.empty() ? "" : ", ") + k->name;
      Failure f;
      f.kind = p.kind_name;
      f.key = p.guess;
      f.origin = p.origin;
      f.errors.push_back(Error{"unknown kind '" + p.kind_name + "' (schema " + schema_.name + " has: " + known + ")", {},
                               p.origin.mark, p.origin.file, {}});
      report_.failures.push_back(std::move(f));
      return ok_status();
    }
    const KindInfo& kind = *schema_.kinds[static_cast<std::size_t>(p.kind)];
    if (!p.errors.empty()) {
      Failure f;
      f.kind = kind.name;
      f.key = p.guess;
      f.origin = p.origin;
      for (auto err : p.errors.list()) {
        if (err.file.empty()) err.file = p.origin.file;
        if (!err.mark.known()) err.mark = p.origin.mark;  // JSON lines: the record's line
        f.errors.push_back(std::move(err));
      }
      if (p.errors.dropped())
        f.errors.push_back(Error{"... and " + std::to_string(p.errors.dropped()) + " more problems", {}, {}, p.origin.file, {}});
      ++report_.kinds[kind.name].failed;
      report_.failures.push_back(std::move(f));
      return ok_status();
    }
    const std::uint32_t node = intern(static_cast<std::uint32_t>(p.kind), p.key);
    if (nodes_[node].incoming != kNone) {
      const Incoming& first = incoming_[static_cast<std::size_t>(nodes_[node].incoming)];
      Failure f;
      f.kind = kind.name;
      f.key = p.key.str();
      f.origin = p.origin;
      f.errors.push_back(Error{"duplicate " + label(kind, p.key) + ": the same entity is also at " + first.origin.str(), {},
                               p.origin.mark, p.origin.file, {}});
      ++report_.kinds[kind.name].failed;
      report_.failures.push_back(std::move(f));
      return ok_status();
    }
    Incoming in;
    in.node = node;
    in.origin = p.origin;
    in.placeholder = p.placeholder;
    in.deps.reserve(p.refs.size());
    for (auto& r : p.refs) {
      const std::uint32_t t = intern(r.kind, r.key);
      in.deps.push_back(Dep{t, r.column, r.parent});
      if (r.user) in.user_refs.emplace_back(std::move(r.path), t);
    }
    std::sort(in.deps.begin(), in.deps.end(), [](const Dep& a, const Dep& b) { return a.node < b.node; });
    std::vector<Dep> merged;
    merged.reserve(in.deps.size());
    for (const auto& d : in.deps) {
      if (!merged.empty() && merged.back().node == d.node) {
        merged.back().column |= d.column;
        merged.back().parent |= d.parent;
      } else {
        merged.push_back(d);
      }
    }
    in.deps = std::move(merged);
    auto off = spool_.append(p.spooled);
    if (!off) return off.errors();
    in.off = *off;
    in.len = static_cast<std::uint32_t>(p.spooled.size());
    in.unknown_secrets = store::unknown_secrets(tables_[static_cast<std::size_t>(p.kind)], p.row.row);
    nodes_[node].incoming = static_cast<std::int32_t>(incoming_.size());
    incoming_.push_back(std::move(in));
    if (streaming_) return stream_insert(node, p.row);
    return ok_status();
  }

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
  Status start_streaming() {
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

  Result<std::int64_t> stream_id(std::uint32_t node) {
    Node& n = nodes_[node];
    if (n.id) return n.id;
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

  Status stream_insert(std::uint32_t node, store::EntityRow& row) {
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

  Status stream_flush(std::size_t k) {
    auto& b = stream_batches_[k];
    if (b.rows.empty()) return ok_status();
    auto s = writer_->push(k, std::move(b));
    b = Batch{};
    return s;
  }

  // True: committed, the load is done. False: rolled back, apply as usual.
  Result<bool> finish_streaming() {
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
    for (auto& n : nodes_) n.id = n.store_id.value_or(0);  // apply hands out its own
    return false;
  }

  Status add_entity(std::uint32_t kind_idx, const Value& doc, const Origin& origin, bool placeholder) {
    Prepared p;
    p.parsed = format::Parsed::record;
    p.kind_name = schema_.kinds[kind_idx]->name;
    p.origin = origin;
    p.placeholder = placeholder;
    prepare_entity(p, kind_idx, doc);
    return accept_entity(p);
  }

  Status read_row(const Incoming& in, SpooledRow& out) const {
    thread_local std::string buf;
    if (auto s = spool_.read(in.off, in.len, buf); !s) return s;
    return read_spooled_row(buf, tables_[nodes_[in.node].kind], out);
  }

  // The entity document back from its spooled row (for messages, --mode
  // update's comparison and --user rewrites; the common path needs only the row).
  Result<Entity> read_spooled(const Incoming& in) const {
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
  Result<store::EntityRow> row_to_write(const Incoming& in, const store::RefResolver& resolve) const {
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

  // Which nodes already exist in the store.
  Status resolve_identities() {
    std::vector<std::vector<std::uint32_t>> by_kind(schema_.kinds.size());
    for (std::uint32_t i = 0; i < nodes_.size(); ++i) by_kind[nodes_[i].kind].push_back(i);
    for (std::uint32_t k = 0; k < by_kind.size(); ++k) {
      if (by_kind[k].empty()) continue;
      if (auto s = lookup_nodes(k, by_kind[k]); !s) return s;
    }
    return ok_status();
  }
  Status lookup_nodes(std::uint32_t k, const std::vector<std::uint32_t>& which) {
    const std::string& kind = schema_.kinds[k]->name;
    if (!store_ || streaming_) {  // no store, or an empty one (streaming): nothing exists beyond the dump
      for (auto i : which) nodes_[i].looked_up = true;
      return ok_status();
    }
    if (which.size() < 64) {
      for (auto i : which) {
        if (nodes_[i].looked_up) continue;
        auto id = store_->lookup(kind, nodes_[i].key);
        if (!id) return id.errors();
        nodes_[i].store_id = *id;
        nodes_[i].looked_up = true;
      }
      return ok_status();
    }
    // Many: one scan of the kind's keys is cheaper than a query per key.
    auto s = store_->scan_keys(kind, [&](std::int64_t id, Key key) {
      if (auto n = find_node(k, key)) nodes_[*n].store_id = id;
      return ok_status();
    });
    if (!s) return s;
    for (auto i : which) nodes_[i].looked_up = true;
    return ok_status();
  }

  // References that are neither in the dump nor in the store: placeholders,
  // --user, or failures.
  Status resolve_missing() {
    std::optional<std::uint32_t> user_node;
    if (opts_.user) {
      if (schema_.user_kind.empty()) return make_error("--user: schema " + schema_.name + " has no users");
      auto uk = kind_index_.at(schema_.user_kind);
      user_node = intern(uk, Key(*opts_.user));
      if (auto s = lookup_nodes(uk, {*user_node}); !s) return s;
      const Node& u = nodes_[*user_node];
      if (!u.store_id && u.incoming == kNone)
        return make_error("--user " + *opts_.user + ": no such user in the target store or in the dump");
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
        if (!nodes_[i].looked_up) {
          std::vector<std::uint32_t> one{i};
          if (auto s = lookup_nodes(nodes_[i].kind, one); !s) return s;
        }
        Node& n = nodes_[i];
        if (n.incoming != kNone || n.store_id || n.missing) continue;
        const KindInfo& kind = *schema_.kinds[n.kind];
        if (user_node && kind.name == schema_.user_kind) {
          n.missing = true;  // re-attributed below
          continue;
        }
        StubPolicy p = schema_.stub_policy_of(kind.name);
        if ((p == StubPolicy::always || (p == StubPolicy::on_flag && opts_.stub_missing)) && schema_.make_stub) {
          auto doc = schema_.make_stub(kind.name, n.key);
          if (doc) {
            const std::size_t before = incoming_.size();
            Key key = n.key;  // n may move when nodes_ grows
            if (auto s = add_entity(n.kind, *doc, Origin{"(placeholder)", {}}, true); !s) return s;
            if (incoming_.size() > before) {
              (p == StubPolicy::always ? report_.placeholders : report_.stubs).push_back(label(kind, key));
              changed = true;
              continue;
            }
          }
        }
        nodes_[i].missing = true;
      }
    }
    if (user_node) {
      for (auto& in : incoming_) {
        for (auto& [path, target] : in.user_refs) {
          if (!nodes_[target].missing) continue;
          in.rewrites.emplace_back(path, Key(*opts_.user));
          for (auto& d : in.deps)
            if (d.node == target) d.node = *user_node;
          ++report_.remapped;
        }
      }
    }
    return ok_status();
  }

  // The position of `path` in the file a record came from, when that file
  // holds just this entity (a tree file): re-read only for failures.
  Mark locate(const Origin& origin, const std::string& path) {
    if (path.empty() || !(origin.file.ends_with(".yaml") || origin.file.ends_with(".yml"))) return {};
    if (origin.mark.line != 1) return {};  // a record inside a stream: its own line is all we know
    auto text = io::read_file(origin.file);
    if (!text) return {};
    auto doc = yaml::parse(*text);
    if (!doc) return {};
    const Value* at = &*doc;
    Mark best = at->mark;
    // Walk "a.b[2].c" (keys may contain '/', never '.' or '[' in metaport's own paths).
    std::size_t i = 0;
    while (at && i < path.size()) {
      if (path[i] == '.') { ++i; continue; }
      if (path[i] == '[') {
        std::size_t close = path.find(']', i);
        if (close == std::string::npos) break;
        std::size_t idx = std::stoul(path.substr(i + 1, close - i - 1));
        at = at->is_array() && idx < at->size() ? &at->as_array()[idx] : nullptr;
        i = close + 1;
      } else {
        std::size_t end = path.find_first_of(".[", i);
        if (end == std::string::npos) end = path.size();
        at = at->find(path.substr(i, end - i));
        i = end;
      }
      if (at && at->mark.known()) best = at->mark;
    }
    return best;
  }

  void fail(Incoming& in, Error e) {
    if (e.file.empty()) e.file = in.origin.file;
    if (!e.mark.known()) e.mark = locate(in.origin, e.path);
    if (!e.mark.known()) e.mark = in.origin.mark;
    in.errors.push_back(std::move(e));
    in.failed = true;
  }

  // A containment chain that loops (a collection inside itself) can never be
  // placed: every entity on the loop fails, with the chain in the message.
  void find_containment_cycles() {
    std::vector<std::uint8_t> color(incoming_.size(), 0);  // 0 new, 1 on stack, 2 done
    for (std::size_t start = 0; start < incoming_.size(); ++start) {
      if (color[start]) continue;
      std::vector<std::size_t> stack{start};
      std::vector<std::size_t> path;
      while (!stack.empty()) {
        std::size_t cur = stack.back();
        if (color[cur] == 0) {
          color[cur] = 1;
          path.push_back(cur);
          for (const auto& d : incoming_[cur].deps) {
            if (!d.parent) continue;
            std::int32_t t = nodes_[d.node].incoming;
            if (t == kNone || static_cast<std::size_t>(t) == cur) {
              if (static_cast<std::size_t>(t) == cur) report_cycle({cur});
              continue;
            }
            if (color[static_cast<std::size_t>(t)] == 1) {
              auto it = std::find(path.begin(), path.end(), static_cast<std::size_t>(t));
              report_cycle(std::vector<std::size_t>(it, path.end()));
            } else if (color[static_cast<std::size_t>(t)] == 0) {
              stack.push_back(static_cast<std::size_t>(t));
            }
          }
        } else {
          if (color[cur] == 1) {
            color[cur] = 2;
            if (!path.empty() && path.back() == cur) path.pop_back();
          }
          stack.pop_back();
        }
      }
    }
  }
  void report_cycle(const std::vector<std::size_t>& loop) {
    std::string chain;
    for (auto i : loop) chain += label(*schema_.kinds[nodes_[incoming_[i].node].kind], nodes_[incoming_[i].node].key) + " -> ";
    chain += label(*schema_.kinds[nodes_[incoming_[loop.front()].node].kind], nodes_[incoming_[loop.front()].node].key);
    for (auto i : loop) fail(incoming_[i], make_error("containment cycle (an entity inside itself): " + chain));
  }

  // Missing references fail their entity; failures spread to every entity
  // that refers to a failed one (unless the store already has that entity).
  void propagate_failures() {
    std::vector<std::vector<std::uint32_t>> rev(incoming_.size());
    for (std::uint32_t i = 0; i < incoming_.size(); ++i) {
      for (const auto& d : incoming_[i].deps) {
        const Node& t = nodes_[d.node];
        if (t.incoming != kNone) rev[static_cast<std::size_t>(t.incoming)].push_back(i);
        if (t.missing) {
          // Say where: walk the references again for the paths.
          auto e = read_spooled(incoming_[i]);
          const KindInfo& tk = *schema_.kinds[t.kind];
          std::string where;
          if (e) {
            schema_.refs(*e, [&](const FoundRef& r) {
              if (r.kind == tk.name && r.key == t.key && where.empty()) where = path_to_string(r.path);
            });
          }
          fail(incoming_[i], Error{"references " + label(tk, t.key) + ", which is neither in the dump nor in the target store" +
                                       (schema_.stub_policy_of(tk.name) == StubPolicy::on_flag ? " (--stub-missing creates a placeholder)" : ""),
                                   where, {}, {}, {}});
        }
      }
    }
    std::vector<std::uint32_t> queue;
    for (std::uint32_t i = 0; i < incoming_.size(); ++i)
      if (incoming_[i].failed) queue.push_back(i);
    while (!queue.empty()) {
      std::uint32_t f = queue.back();
      queue.pop_back();
      const Node& fn = nodes_[incoming_[f].node];
      if (fn.store_id && opts_.mode == Mode::skip) continue;  // dependents can use the stored one
      for (std::uint32_t j : rev[f]) {
        if (incoming_[j].failed) continue;
        fail(incoming_[j], make_error("depends on " + label(*schema_.kinds[fn.kind], fn.key) + " (" +
                                      incoming_[f].origin.str() + "), which cannot be loaded"));
        queue.push_back(j);
      }
    }
  }

  void decide_actions() {
    for (auto& in : incoming_) {
      Node& n = nodes_[in.node];
      if (n.store_id) {
        in.action = opts_.mode == Mode::update ? Action::update : Action::skip;
        n.id = *n.store_id;
      } else {
        in.action = Action::create;
      }
    }
    for (auto& n : nodes_)
      if (n.store_id) n.id = *n.store_id;
  }

  // --mode update replaces what changed; an entity identical to the one in
  // the store is left alone (no write, counted as skipped), so a report says
  // what a load really changed. Secrets the dump redacted count as equal.
  Status skip_unchanged() {
    std::vector<std::vector<std::uint32_t>> candidates(schema_.kinds.size());
    for (std::uint32_t i = 0; i < incoming_.size(); ++i)
      if (!incoming_[i].failed && incoming_[i].action == Action::update) candidates[nodes_[incoming_[i].node].kind].push_back(i);
    store::KeyMap keys;  // of the kinds the candidates' columns refer to
    const store::KeyLookup lookup = keys.lookup();
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      if (candidates[k].empty()) continue;
      const KindInfo& kind = *schema_.kinds[k];
      for (const auto& f : kind.fields)
        if (f.type.tag == TypeDesc::Tag::Ref)
          if (auto s = keys.load(*store_, f.type.ref_kind); !s) return s;
      std::unordered_map<std::int64_t, std::uint32_t> by_id;
      for (auto i : candidates[k]) by_id[nodes_[incoming_[i].node].id] = i;
      auto s = store_->scan(kind.name, [&](std::int64_t id, store::Row& row) -> Status {
        auto it = by_id.find(id);
        if (it == by_id.end()) return ok_status();
        auto stored = store::entity_value_from_row(tables_[k], row, lookup);
        if (!stored) return stored.errors();
        auto in = read_spooled(incoming_[it->second]);
        if (!in) return in.errors();
        for (const auto& f : kind.fields) {
          const Value* iv = in->value.find(f.name);
          Value* sv = stored->value.find(f.name);
          if (iv && sv) align_redacted(f.type, *iv, *sv);
        }
        if (stored->value == in->value && stored->unknowns == in->unknowns) incoming_[it->second].action = Action::skip;
        return ok_status();
      });
      if (!s) return s;
    }
    return ok_status();
  }
  // Where the incoming document has the redaction marker, the stored secret
  // is taken as the same (the dump did not say what it is).
  static void align_redacted(const TypeDesc& t, const Value& in, Value& stored) {
    if (t.secret) {
      if (in.is_string() && in.as_string() == kRedacted) stored = in;
      return;
    }
    if (t.tag == TypeDesc::Tag::Struct && in.is_object() && stored.is_object()) {
      for (const auto& f : t.fields) {
        const Value* iv = in.find(f.name);
        Value* sv = stored.find(f.name);
        if (iv && sv) align_redacted(f.type, *iv, *sv);
      }
    } else if ((t.tag == TypeDesc::Tag::List) && in.is_array() && stored.is_array()) {
      for (std::size_t i = 0; i < std::min(in.size(), stored.size()); ++i)
        align_redacted(*t.elem, in.as_array()[i], stored.as_array()[i]);
    } else if (t.tag == TypeDesc::Tag::Map && in.is_object() && stored.is_object()) {
      for (const auto& [key, iv] : in.as_object())
        if (Value* sv = stored.find(key)) align_redacted(*t.elem, iv, *sv);
    }
  }

  // An update whose dump redacted some secrets: the store's values stay
  // (top-level ones through Store::update's kept columns, nested ones merged
  // into the row here); what neither side knows is reported.
  Status keep_stored_secrets(std::uint32_t k, const Incoming& in, store::EntityRow& row) {
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

  void count() {
    for (auto& in : incoming_) {
      const KindInfo& k = *schema_.kinds[nodes_[in.node].kind];
      auto& c = report_.kinds[k.name];
      if (in.failed) {
        ++c.failed;
        Failure f;
        f.kind = k.name;
        f.key = nodes_[in.node].key.str();
        f.origin = in.origin;
        f.errors = in.errors;
        report_.failures.push_back(std::move(f));
      } else if (in.action == Action::skip) {
        ++c.skipped;
      } else if (in.action == Action::update) {
        ++c.updated;  // its unknown secrets are listed once the store's are known (apply)
      } else {
        ++c.created;
        for (const auto& path : in.unknown_secrets)
          report_.secrets_unknown.push_back(label(k, nodes_[in.node].key) + ": " + path);
      }
    }
  }

  Status apply() {
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
      if (!creates[k]) continue;
      auto ids = store_->reserve_ids(schema_.kinds[k]->name, creates[k]);
      if (!ids) return ids.errors();
      reserved[k] = std::move(*ids);
    }
    for (auto& in : incoming_)
      if (!in.failed && in.action == Action::create) nodes_[in.node].id = reserved[nodes_[in.node].kind][next[nodes_[in.node].kind]++];

    store::RefResolver resolve = [&](const std::string& kind, const Key& key) -> std::optional<std::int64_t> {
      auto k = kind_index_.find(kind);
      if (k == kind_index_.end()) return std::nullopt;
      auto n = find_node(k->second, key);
      if (!n || nodes_[*n].id == 0) return std::nullopt;
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

  store::Store* store_;
  const SchemaInfo& schema_;
  LoadOptions opts_;
  bool secrets_kept_ = false;  // the dump says it was written with --keep-secrets
  std::vector<store::TableDesc> tables_;
  std::unordered_map<std::string, std::uint32_t> kind_index_;
  std::vector<std::unordered_map<Key, std::uint32_t, KeyHash>> index_;  // per kind: key -> node
  std::vector<Node> nodes_;
  std::vector<Incoming> incoming_;
  Spool spool_;

  // Streaming (see start_streaming).
  struct IdPool {
    std::vector<std::int64_t> ids;
    std::size_t next = 0;
  };
  bool streaming_ = false;
  bool stream_tx_open_ = false;
  std::vector<IdPool> stream_ids_;
  std::vector<Batch> stream_batches_;
  std::unique_ptr<BatchWriter> writer_;
  struct StreamGuard {  // an early return stops the writer and rolls the streamed rows back
    Loader* l;
    ~StreamGuard() {
      if (l->writer_) (void)l->writer_->finish();
      if (l->stream_tx_open_) (void)l->store_->rollback();
    }
  } stream_guard_{this};

  LoadReport report_;
  int from_version_ = 0;  // non-zero: the dump is of this older version
};

}  // namespace

Result<LoadReport> load(store::Store& store, const SchemaInfo& schema, format::DumpReader& reader,
                        const LoadOptions& opts) {
  Loader l(&store, schema, opts);
  return l.run(reader);
}

Result<LoadReport> validate(store::Store* against, const SchemaInfo& schema, format::DumpReader& reader,
                            const LoadOptions& opts) {
  LoadOptions o = opts;
  o.plan_only = true;
  Loader l(against, schema, o);
  return l.run(reader);
}

}  // namespace metaport::engine
