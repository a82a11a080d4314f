#include "runtime/engine/dump.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "metaport/format/json.hpp"
#include "metaport/refs.hpp"
#include "metaport/secret.hpp"
#include "runtime/disk/scratch_db.hpp"
#include "runtime/engine/present.hpp"
#include "runtime/engine/sealed_secrets.hpp"
#include "runtime/engine/progress.hpp"
#include "runtime/engine/row_json.hpp"
#include "runtime/store/row.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::engine {
namespace {

// Rows from the scanning thread to one writing thread, in order, in batches
// (a handoff per row would cost more than it saves). Reading rows from the
// store and turning them into documents take comparable time on a jsonl
// dump, so the two overlap on two cores (docs/performance.md). Rows travel
// back once written, and the scan refills their strings in place: no
// allocation per row once the pipeline is warm. Bounded: at most
// kMaxBatches batches wait. The first error of the writing thread stops
// both; push() returns it.
class RowPipeline {
 public:
  using Sink = std::function<Status(std::size_t k, const store::Row& row)>;
  explicit RowPipeline(Sink sink) : sink_(std::move(sink)), thread_([this] { run(); }) {}
  ~RowPipeline() { (void)finish(); }

  // Takes the row's contents; the caller's row gets an old row's columns back
  // (as many as it had), for the scan to overwrite.
  Status push(std::size_t k, store::Row& row) {
    if (batch_.n == batch_.items.size()) batch_.items.emplace_back();
    Item& it = batch_.items[batch_.n++];
    it.k = k;
    it.row.resize(row.size());
    it.row.swap(row);
    if (batch_.n < kBatch) return ok_status();
    return hand_over();
  }
  // Waits for every pushed row; the writing thread's first error, if any.
  Status finish() {
    if (thread_.joinable()) {
      (void)hand_over();
      {
        std::lock_guard<std::mutex> l(m_);
        done_ = true;
      }
      ready_.notify_all();
      thread_.join();
    }
    std::lock_guard<std::mutex> l(m_);
    return error_;
  }

 private:
  static constexpr std::size_t kBatch = 256, kMaxBatches = 8;
  struct Item {
    std::size_t k = 0;
    store::Row row;
  };
  struct Batch {
    std::vector<Item> items;
    std::size_t n = 0;  // items in use
  };
  Status hand_over() {
    std::unique_lock<std::mutex> l(m_);
    if (queue_.size() >= kMaxBatches && error_) {
      scanner_waits_ = true;
      room_.wait(l, [&] { return queue_.size() < kMaxBatches || !error_; });
      scanner_waits_ = false;
    }
    if (!error_) return error_;
    if (batch_.n > 0) queue_.push_back(std::move(batch_));
    batch_ = Batch{};
    if (!free_.empty()) {
      batch_ = std::move(free_.back());
      free_.pop_back();
    }
    const bool wake = writer_waits_;
    l.unlock();
    if (wake) ready_.notify_one();  // a wake-up per batch only when it sleeps
    return ok_status();
  }
  void run() {
    std::unique_lock<std::mutex> l(m_);
    for (;;) {
      if (queue_.empty() && !done_) {
        writer_waits_ = true;
        ready_.wait(l, [&] { return done_ || !queue_.empty(); });
        writer_waits_ = false;
      }
      if (queue_.empty()) return;
      Batch batch = std::move(queue_.front());
      queue_.pop_front();
      const bool failed = !error_;
      const bool wake = scanner_waits_;
      l.unlock();
      if (wake) room_.notify_one();
      Status s = ok_status();
      if (!failed)
        for (std::size_t i = 0; i < batch.n; ++i)
          if (s = sink_(batch.items[i].k, batch.items[i].row); !s) break;
      batch.n = 0;
      l.lock();
      free_.push_back(std::move(batch));
      if (!s && error_) {
        error_ = std::move(s);
        room_.notify_all();  // a waiting push() returns the error
      }
    }
  }

  Sink sink_;
  Batch batch_;  // the scanning thread's, not yet handed over
  std::mutex m_;
  std::condition_variable ready_, room_;
  std::deque<Batch> queue_, free_;
  bool done_ = false, writer_waits_ = false, scanner_waits_ = false;
  Status error_ = ok_status();
  std::thread thread_;  // last: starts once the rest is built
};

class Dumper {
 public:
  Dumper(store::Store& store, const SchemaInfo& schema, format::DumpWriter& writer, const DumpOptions& opts)
      : store_(store), schema_(schema), writer_(writer), opts_(opts) {}

  Result<DumpReport> run() {
    auto tables = store::tables_for(schema_);
    if (!tables) return tables.errors();
    tables_ = std::move(*tables);
    for (std::size_t i = 0; i < schema_.kinds.size(); ++i) kind_index_[schema_.kinds[i]->name] = i;
    for (const auto& k : opts_.only)
      if (!kind_index_.count(k)) return make_error("--only " + k + ": schema " + schema_.name + " has no such kind");

    if (auto s = store_.begin_snapshot(); !s) return s.errors();
    struct End {
      store::Store& s;
      ~End() { (void)s.rollback(); }  // a read-only snapshot: nothing to commit
    } end{store_};

    if (auto s = check_store(); !s) return s.errors();
    if (!opts_.roots.empty())
      if (auto s = select(); !s) return s.errors();

    std::size_t total = 0;
    if (opts_.subtree_root) {
      auto k = kind_index_.find(opts_.subtree_kind);
      if (k == kind_index_.end()) return make_error("schema " + schema_.name + " has no kind " + opts_.subtree_kind);
      auto key = opts_.subtree_root(store_);
      if (!key) return key.errors();
      auto id = store_.lookup(opts_.subtree_kind, *key);
      if (!id) return id.errors();
      if (!*id) return make_error("no " + opts_.subtree_kind + " " + key->str() + " in the store");
      subtree_ = std::make_pair(k->second, **id);
    }
    for (std::size_t k = 0; k < schema_.kinds.size() && !subtree_; ++k) {
      if (!wanted(k)) continue;
      auto n = store_.count(schema_.kinds[k]->name);
      if (!n) return n.errors();
      total += static_cast<std::size_t>(*n);
    }
    // Every reference map before the first row: the other thread reads them
    // while this one scans (and preloads nothing more).
    for (std::size_t k = 0; k < schema_.kinds.size(); ++k)
      if (wanted(k))
        if (auto pre = preload_refs(*schema_.kinds[k]); !pre) return pre.errors();
    if (writer_.needs_index()) {
      Progress p(opts_.progress, "indexing", total);
      // Per kind, the member columns the layout reads (empty: all).
      std::vector<std::vector<bool>> index_columns(schema_.kinds.size());
      for (std::size_t k = 0; k < schema_.kinds.size(); ++k)
        if (wanted(k)) index_columns[k] = index_columns_of(k);
      RowPipeline pipe([&](std::size_t k, const store::Row& row) -> Status {
        auto e = store::entity_value_from_row(tables_[k], row, lookup_, index_columns[k]);
        if (!e) return e.errors();
        e->kind = &*schema_.kinds[k];
        writer_.index(*e);
        return ok_status();
      });
      std::vector<bool> to_index(schema_.kinds.size());
      for (std::size_t k = 0; k < schema_.kinds.size(); ++k) to_index[k] = writer_.indexes(*schema_.kinds[k]);
      auto scanned = each_row([&](std::size_t k, const Key&, store::Row& row) -> Status {
        p.tick();
        return pipe.push(k, row);
      }, &to_index);
      auto indexed = pipe.finish();
      if (!indexed) return indexed.errors();
      if (!scanned) return scanned.errors();
    }
    format::DumpHeader h;
    h.schema = schema_.name;
    h.version = schema_.version;
    h.secrets_kept = opts_.keep_secrets && !opts_.seal;
    if (opts_.seal) h.secrets_key = opts_.seal->id();
    if (auto s = writer_.begin(h); !s) return s.errors();
    Progress p(opts_.progress, "dumping", total);
    // A writer that takes JSON text gets the document rendered straight from
    // the row (RowJson, per kind); the rows RowJson declines and every other
    // writer take the Value path.
    std::vector<std::unique_ptr<RowJson>> fast(schema_.kinds.size());
    std::vector<bool> has_secrets(schema_.kinds.size(), false);
    for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
      if (!wanted(k)) continue;
      has_secrets[k] = kind_has_secrets(*schema_.kinds[k]);
      // Sealing needs the Value path for kinds with secrets.
      if (writer_.takes_json() && !(opts_.seal && has_secrets[k]))
        fast[k] = std::make_unique<RowJson>(tables_[k], opts_.keep_secrets,
                                            [&](const store::Column& c, const FieldDesc& f) {
                                              return f.type.ref_shape == KeyShape::integer
                                                         ? nullptr
                                                         : &ref_json(c.ref_kind, f.type.ref_shape);
                                            });
    }
    std::vector<std::size_t> counts(schema_.kinds.size(), 0);
    std::string doc_json;
    Value scratch;
    // Runs on the pipeline's thread: rows become documents and go to the
    // writer while this thread reads the next ones from the store.
    auto write_row = [&](std::size_t k, const store::Row& row) -> Status {
      const KindInfo& kind = *schema_.kinds[k];
      if (fast[k]) {
        doc_json.clear();
        if (fast[k]->append(row, doc_json)) return writer_.write_json(kind, doc_json);
      }
      auto e = store::entity_value_from_row(tables_[k], row, lookup_);
      if (!e) return e.errors();
      e->kind = &kind;
      if (opts_.seal && has_secrets[k]) {
        scratch = present(*e, /*keep_secrets=*/true);
        seal_secrets(kind, scratch, *opts_.seal);
        return writer_.write(*e, scratch);
      }
      return writer_.write(*e, present(*e, opts_.keep_secrets, has_secrets[k], scratch));
    };
    RowPipeline pipe(write_row);
    auto scanned = each_row([&](std::size_t k, const Key&, store::Row& row) -> Status {
      ++counts[k];
      p.tick();
      return pipe.push(k, row);
    });
    // The writer's error came from an earlier row than a scan error would.
    auto written = pipe.finish();
    auto s = !written ? written : scanned;
    for (std::size_t k = 0; k < counts.size(); ++k)
      if (counts[k]) report_.counts[schema_.kinds[k]->name] += counts[k];
    if (!s) return s.errors();
    p.done();
    if (auto f = writer_.finish(report_.counts); !f) return f.errors();
    return std::move(report_);
  }

 private:
  Status check_store() { return store_.check_schema(schema_); }

  bool wanted(std::size_t k) const {
    const KindInfo& kind = *schema_.kinds[k];
    if (!kind.dumped && !opts_.store_only_kinds) return false;
    if (!opts_.only.empty() && std::find(opts_.only.begin(), opts_.only.end(), kind.name) == opts_.only.end())
      return false;
    return true;
  }

  // The columns of kind k's table that hold the members the writer's index
  // pass reads; empty: all of them.
  std::vector<bool> index_columns_of(std::size_t k) const {
    auto members = writer_.index_members(*schema_.kinds[k]);
    if (!members) return {};
    const store::TableDesc& t = tables_[k];
    std::vector<bool> cols(t.columns.size(), false);
    for (const auto& m : *members)
      if (std::size_t c = t.member_column(m); c != store::TableDesc::npos) cols[c] = true;
    return cols;
  }

  // id -> key of the kinds a kind's columns refer to, loaded before its rows
  // are scanned: a PostgreSQL connection cannot run a second query while
  // a scan streams, so no lookup may happen inside the scan's callback.
  Status preload_refs(const KindInfo& kind) {
    for (const auto& f : kind.fields) {
      if (f.type.tag != TypeDesc::Tag::Ref) continue;
      auto k = kind_index_.find(f.type.ref_kind);
      if (k == kind_index_.end() || loaded_[k->second]) continue;
      if (schema_.kinds[k->second]->key_is_id()) continue;  // its key is its id: no map
      loaded_[k->second] = true;
      auto& m = ids_[k->second];
      auto s = store_.scan_keys(f.type.ref_kind, [&](std::int64_t i, Key key) {
        m.emplace(i, std::move(key));
        return ok_status();
      });
      if (!s) return s;
    }
    return ok_status();
  }
  std::optional<Key> key_of_id(const std::string& kind, std::int64_t id) {
    auto k = kind_index_.find(kind);
    if (k == kind_index_.end()) return std::nullopt;
    if (schema_.kinds[k->second]->key_is_id()) return Key(std::to_string(id));
    // Read only (find, not []): the writing thread looks keys up too.
    auto m = ids_.find(k->second);
    if (m == ids_.end()) return std::nullopt;
    auto it = m->second.find(id);
    if (it == m->second.end()) return std::nullopt;
    return it->second;
  }

  // The JSON text of the key of row `id` of `kind`, as a reference spells it
  // (key_to_value(key, shape)), for every row of the preloaded kind.
  const IdKeyJson& ref_json(const std::string& kind, KeyShape shape) {
    auto [it, fresh] = ref_json_.try_emplace({kind, shape});
    if (fresh) {
      auto k = kind_index_.find(kind);
      if (k != kind_index_.end()) {
        std::vector<std::pair<std::int64_t, std::string>> texts;
        texts.reserve(ids_[k->second].size());
        for (const auto& [id, key] : ids_[k->second]) texts.emplace_back(id, json::write(key_to_value(key, shape)));
        it->second = IdKeyJson(texts);
      }
    }
    return it->second;
  }

  // Calls f for every row of every wanted (and selected) entity, in
  // dependency order: kinds in the schema's order, rows by key, and for a
  // kind that contains itself (Parent<Self>) every container before its
  // contents. f gets the kind's index, the key (parsed only when a selection
  // or a self-containing kind needs it, else empty: parsing 100k keys for
  // nothing showed in profiles) and the row (columns as in tables_[k]);
  // turning the row into a document is f's business, so the jsonl path can
  // skip the Value tree.
  // f may take the row's contents (swap it out): the scan refills it.
  // `only`, if given, narrows the kinds further.
  using RowFn = std::function<Status(std::size_t k, const Key& key, store::Row& row)>;
  Status each_row(const RowFn& f, const std::vector<bool>* only = nullptr) {
    if (subtree_) return each_subtree_row(f, only);
    for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
      if (!wanted(k) || (only && !(*only)[k])) continue;
      const KindInfo& kind = *schema_.kinds[k];
      const store::TableDesc& table = tables_[k];
      // A kind that contains itself: hold children until their parent is out.
      std::size_t self_parent = store::TableDesc::npos;
      for (const auto& fd : kind.fields)
        if (fd.type.tag == TypeDesc::Tag::Ref && fd.type.parent && fd.type.ref_kind == kind.name)
          self_parent = table.member_column(fd.name);
      if (auto s = preload_refs(kind); !s) return s;
      const bool need_key = !selection_.empty() || self_parent != store::TableDesc::npos;
      static const Key no_key;
      struct Held {
        Key key;
        store::Row row;
      };
      std::unordered_set<std::string> out;
      std::multimap<std::string, Held> waiting;  // parent key -> children
      std::function<Status(const Key&, store::Row&)> emit = [&](const Key& key, store::Row& row) -> Status {
        if (auto s = f(k, key, row); !s) return s;
        if (self_parent == store::TableDesc::npos) return ok_status();
        std::string ks = key.str();
        out.insert(ks);
        auto range = waiting.equal_range(ks);
        std::vector<Held> children;
        for (auto it = range.first; it != range.second; ++it) children.push_back(std::move(it->second));
        waiting.erase(range.first, range.second);
        for (auto& c : children)
          if (auto s = emit(c.key, c.row); !s) return s;
        return ok_status();
      };
      auto scanned = store_.scan_all(kind.name, [&](std::int64_t, store::Row& row) -> Status {
        // Only a selection or a kind that contains itself looks at keys here;
        // the writers get theirs from the row (a bad mp_key is their error).
        if (!need_key) return emit(no_key, row);
        std::optional<Key> key;
        if (row.size() == table.columns.size() && row[store::TableDesc::kKey].is_text())
          key = store::key_from_text(row[store::TableDesc::kKey].as_text(), table.key_single);
        if (!key) {  // the conversion says what is wrong, as it always did
          auto e = store::entity_value_from_row(table, row, lookup_);
          return e ? make_error(table.table + ": a row without a well-formed mp_key") : Status(e.errors());
        }
        if (!selected(k, *key)) return ok_status();
        if (self_parent != store::TableDesc::npos) {
          if (auto pk = parent_key(table, self_parent, row); pk && !out.count(pk->str()) && selected(k, *pk)) {
            store::Row held(row.size());
            held.swap(row);  // the scan refills `row` column by column
            waiting.emplace(pk->str(), Held{std::move(*key), std::move(held)});
            return ok_status();
          }
        }
        return emit(*key, row);
      });
      if (!scanned) return scanned;
      // Children whose parent never came (a cycle in the store): in key order.
      std::vector<Held> rest;
      for (auto& [pk, h] : waiting) rest.push_back(std::move(h));
      waiting.clear();
      std::sort(rest.begin(), rest.end(), [](const Held& a, const Held& b) { return a.key.str() < b.key.str(); });
      for (auto& h : rest)
        if (auto s = f(k, h.key, h.row); !s) return s;
    }
    return ok_status();
  }

  // A subtree, breadth first: the context kinds whole, then the root, and
  // for each entity taken: what it contains (every Parent member pointing at
  // its kind, read through that column's index; a container's contents come
  // together, as the JuiceFS writer wants a directory's entries), then
  // what those refer to. Only the subtree is read. The queue and the set of
  // entities already taken live in a scratch database (docs/memory.md).
  Status each_subtree_row(const RowFn& f, const std::vector<bool>* only) {
    static const Key no_key;
    auto take = [&](std::size_t k) { return wanted(k) && (!only || (*only)[k]); };
    for (const auto& name : schema_.context_kinds) {
      auto k = kind_index_.find(name);
      if (k == kind_index_.end() || !take(k->second)) continue;
      auto s = store_.scan_all(name, [&](std::int64_t, store::Row& row) { return f(k->second, no_key, row); });
      if (!s) return s;
    }
    auto db = disk::ScratchDb::open("the subtree being dumped", 8);
    if (!db) return db.errors();
    disk::ScratchDb& q = **db;
    if (auto s = q.exec("CREATE TABLE queue(seq INTEGER PRIMARY KEY, kind INT NOT NULL, id INT NOT NULL);"
                        "CREATE TABLE seen(kind INT NOT NULL, id INT NOT NULL, PRIMARY KEY(kind, id)) WITHOUT ROWID;");
        !s)
      return s;
    // True the first time (kind, id) is met.
    auto first_time = [&](std::size_t k, std::int64_t id) -> Result<bool> {
      auto& ins = q.stmt("INSERT OR IGNORE INTO seen(kind, id) VALUES(?1, ?2)");
      ins.bind(1, static_cast<std::int64_t>(k)).bind(2, id);
      if (auto s = ins.run(); !s) return s.errors();
      return q.changes() > 0;
    };
    auto enqueue = [&](std::size_t k, std::int64_t id) -> Status {
      auto& ins = q.stmt("INSERT INTO queue(kind, id) VALUES(?1, ?2)");
      ins.bind(1, static_cast<std::int64_t>(k)).bind(2, id);
      return ins.run();
    };
    // The containers' members: (kind, member) for every Parent member, by target kind.
    std::vector<std::vector<std::pair<std::size_t, std::string>>> contents(schema_.kinds.size());
    for (std::size_t k = 0; k < schema_.kinds.size(); ++k)
      for (const auto& fd : schema_.kinds[k]->fields)
        if (fd.type.tag == TypeDesc::Tag::Ref && fd.type.parent)
          if (auto t = kind_index_.find(fd.type.ref_kind); t != kind_index_.end())
            contents[t->second].emplace_back(k, fd.name);
    // After an entity is written: what it refers to joins the queue.
    auto follow = [&](std::size_t k, const store::Row& row) -> Status {
      const store::TableDesc& t = tables_[k];
      for (std::size_t c = store::TableDesc::kFirstMember; c < t.columns.size(); ++c) {
        if (t.columns[c].type != store::ColumnType::Ref || !row[c].is_int()) continue;
        auto target = kind_index_.find(t.columns[c].ref_kind);
        if (target == kind_index_.end()) continue;
        auto fresh = first_time(target->second, row[c].as_int());
        if (!fresh) return fresh.errors();
        if (*fresh)
          if (auto s = enqueue(target->second, row[c].as_int()); !s) return s;
      }
      return ok_status();
    };
    if (auto fresh = first_time(subtree_->first, subtree_->second); !fresh) return fresh.errors();
    if (auto s = enqueue(subtree_->first, subtree_->second); !s) return s;
    for (std::int64_t seq = 0;;) {
      std::size_t k;
      std::int64_t id;
      bool expand_only;
      {
        auto& next = q.stmt("SELECT seq, kind, id FROM queue WHERE seq > ?1 ORDER BY seq LIMIT 1");
        next.bind(1, seq);
        auto row = next.step();
        if (!row) return row.errors();
        if (!*row) break;
        seq = next.int_at(0);
        const std::int64_t kind = next.int_at(1);
        expand_only = kind < 0;
        k = static_cast<std::size_t>(expand_only ? -1 - kind : kind);
        id = next.int_at(2);
        next.reset();
      }
      if (!expand_only) {
        auto row = store_.fetch(schema_.kinds[k]->name, id);
        if (!row) return row.errors();
        if (!*row) continue;  // a dangling reference in the store: its load will say so
        store::Row r = std::move(**row);
        if (auto s = follow(k, r); !s) return s;
        if (take(k))
          if (auto s = f(k, no_key, r); !s) return s;
      }
      for (const auto& [ck, member] : contents[k]) {
        auto s = store_.scan_children(schema_.kinds[ck]->name, member, id, [&](std::int64_t cid, store::Row& crow) -> Status {
          auto fresh = first_time(ck, cid);
          if (!fresh) return fresh.errors();
          if (!*fresh) return ok_status();
          if (auto st = follow(ck, crow); !st) return st;
          // Its own contents later, through the queue.
          if (!contents[ck].empty())
            if (auto st = enqueue_expanded(q, ck, cid); !st) return st;
          return take(ck) ? f(ck, no_key, crow) : ok_status();
        });
        if (!s) return s;
      }
    }
    return ok_status();
  }
  // A child already written whose own contents are still to read: queued
  // with its kind negated (fetched again only for its contents).
  Status enqueue_expanded(disk::ScratchDb& q, std::size_t k, std::int64_t id) {
    auto& ins = q.stmt("INSERT INTO queue(kind, id) VALUES(?1, ?2)");
    ins.bind(1, -1 - static_cast<std::int64_t>(k)).bind(2, id);
    return ins.run();
  }

  // The key the container member (column `c`) of a row names, as the
  // entity's document spells it; nullopt when absent or null. A row the
  // conversion would refuse is not held back: the conversion reports it.
  std::optional<Key> parent_key(const store::TableDesc& t, std::size_t c, const store::Row& row) {
    const store::Column& col = t.columns[c];
    const store::SqlValue& absent = row[store::TableDesc::kAbsent];
    const store::SqlValue& redacted = row[store::TableDesc::kRedacted];
    if (!absent.is_int() || !redacted.is_int()) return std::nullopt;
    if (col.absent_bit >= 0 && (absent.as_int() >> col.absent_bit & 1)) return std::nullopt;
    if (col.redacted_bit >= 0 && (redacted.as_int() >> col.redacted_bit & 1)) return Key(std::string(kRedacted));
    const store::SqlValue& v = row[c];
    if (!v.is_int()) return std::nullopt;
    auto target = key_of_id(col.ref_kind, v.as_int());
    if (!target) return std::nullopt;
    const FieldDesc& f = t.kind->fields[static_cast<std::size_t>(col.field)];
    return key_from_value(key_to_value(*target, f.type.ref_shape));
  }

  bool selected(std::size_t k, const Key& key) const {
    if (selection_.empty()) return true;
    return selection_[k].count(key.str()) > 0;
  }

  // --collection: the subtrees of the roots, plus (unless --no-closure) every
  // entity they reference, transitively.
  Status select() {
    const std::string scope = schema_.scope_kind;
    if (scope.empty() || !kind_index_.count(scope))
      return make_error("schema " + schema_.name + " has no container kind to select subtrees of");
    const std::size_t scope_k = kind_index_.at(scope);
    store::KeyLookup lookup = [this](const std::string& kind, std::int64_t id) { return key_of_id(kind, id); };

    struct NodeInfo {
      std::vector<std::pair<std::size_t, std::string>> parents;  // (kind, key)
      std::vector<FoundRef> refs;
    };
    std::vector<std::unordered_map<std::string, NodeInfo>> graph(schema_.kinds.size());
    for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
      if (!schema_.kinds[k]->dumped) continue;
      const KindInfo& kind = *schema_.kinds[k];
      if (auto p = preload_refs(kind); !p) return p;
      auto s = store_.scan_all(kind.name, [&](std::int64_t, store::Row& row) -> Status {
        auto e = store::entity_value_from_row(tables_[k], row, lookup);
        if (!e) return e.errors();
        e->kind = &kind;
        NodeInfo& n = graph[k][e->key.str()];
        schema_.refs(*e, [&](const FoundRef& r) {
          auto t = kind_index_.find(r.kind);
          if (t == kind_index_.end() || !schema_.kinds[t->second]->dumped) return;
          if (r.parent) n.parents.emplace_back(t->second, r.key.str());
          n.refs.push_back(r);
        });
        return ok_status();
      });
      if (!s) return s;
    }
    selection_.assign(schema_.kinds.size(), {});
    std::set<std::string> roots;
    for (const auto& r : opts_.roots) {
      if (!graph[scope_k].count(r)) return make_error("--collection " + r + ": no such " + scope + " in the store");
      roots.insert(r);
    }
    // In scope: a root, or anything whose container chain reaches one.
    std::vector<std::unordered_map<std::string, int>> memo(schema_.kinds.size());  // 0 unknown, 1 in, 2 out, 3 visiting
    std::function<bool(std::size_t, const std::string&)> in_scope = [&](std::size_t k, const std::string& key) -> bool {
      if (k == scope_k && roots.count(key)) return true;
      int& m = memo[k][key];
      if (m == 1) return true;
      if (m == 2 || m == 3) return false;
      m = 3;
      bool in = false;
      auto it = graph[k].find(key);
      if (it != graph[k].end())
        for (const auto& [pk, pkey] : it->second.parents)
          if (in_scope(pk, pkey)) { in = true; break; }
      memo[k][key] = in ? 1 : 2;
      return in;
    };
    std::vector<std::pair<std::size_t, std::string>> queue;
    for (std::size_t k = 0; k < graph.size(); ++k)
      for (const auto& [key, n] : graph[k])
        if (in_scope(k, key)) { selection_[k].insert(key); queue.emplace_back(k, key); }
    Errors outside;
    std::sort(queue.begin(), queue.end());
    for (std::size_t i = 0; i < queue.size(); ++i) {
      auto [k, key] = queue[i];
      const auto& n = graph[k].at(key);
      for (const auto& r : n.refs) {
        std::size_t t = kind_index_.at(r.kind);
        std::string tkey = r.key.str();
        if (selection_[t].count(tkey)) continue;
        std::string what = r.kind + " " + tkey + " (referenced by " + schema_.kinds[k]->name + " " + key + " at " +
                           path_to_string(r.path) + ")";
        if (opts_.no_closure) {
          outside.add(Error{"reference outside the selected collections: " + what, path_to_string(r.path), {}, {}, schema_.kinds[k]->name + " " + key});
          continue;
        }
        if (!graph[t].count(tkey)) continue;  // dangling in the store: the load of this dump will say so
        selection_[t].insert(tkey);
        report_.pulled_in.push_back(what);
        queue.emplace_back(t, tkey);
      }
    }
    if (!outside.empty()) return outside;
    return ok_status();
  }

  store::Store& store_;
  const SchemaInfo& schema_;
  format::DumpWriter& writer_;
  DumpOptions opts_;
  std::vector<store::TableDesc> tables_;
  std::unordered_map<std::string, std::size_t> kind_index_;
  std::unordered_map<std::size_t, std::unordered_map<std::int64_t, Key>> ids_;
  std::unordered_map<std::size_t, bool> loaded_;
  std::map<std::pair<std::string, KeyShape>, IdKeyJson> ref_json_;  // (kind, shape) -> id -> key text
  std::vector<std::unordered_set<std::string>> selection_;
  std::optional<std::pair<std::size_t, std::int64_t>> subtree_;  // (kind, id) of --subdir's root
  store::KeyLookup lookup_ = [this](const std::string& kind, std::int64_t id) { return key_of_id(kind, id); };
  DumpReport report_;
};

}  // namespace

Result<DumpReport> dump(store::Store& store, const SchemaInfo& schema, format::DumpWriter& writer,
                        const DumpOptions& opts) {
  Dumper d(store, schema, writer, opts);
  return d.run();
}

}  // namespace metaport::engine
