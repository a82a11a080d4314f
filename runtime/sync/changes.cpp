#include "runtime/sync/changes.hpp"

#include <algorithm>
#include <set>

#include "runtime/store/sync_dialect.hpp"

namespace metaport::sync {

std::string_view change_name(ChangeType t) {
  switch (t) {
    case ChangeType::created: return "created";
    case ChangeType::modified: return "modified";
    case ChangeType::renamed: return "renamed";
    case ChangeType::moved: return "moved";
    case ChangeType::deleted: return "deleted";
  }
  return "?";
}

std::string Change::str() const {
  std::string s = std::string(change_name(type));
  s.resize(9, ' ');
  s += kind + " " + key;
  if (!label.empty()) s += " \"" + label + "\"";
  if (type == ChangeType::deleted) return s + "  " + old_path;
  if (!old_path.empty() && old_path != new_path) return s + "  " + old_path + " -> " + new_path;
  return s + "  " + new_path;
}

Status each_synced_batch(const LocalChanges& c, const std::function<Status(const std::vector<SyncedEntity>&)>& f) {
  constexpr std::size_t kRows = 1000;
  std::vector<SyncedEntity> batch;
  for (const auto& r : c.relinked) {
    batch.push_back(r);
    if (batch.size() >= kRows) {
      if (auto s = f(batch); !s) return s;
      batch.clear();
    }
  }
  auto s = c.changes.each([&](const Change& x) -> Status {
    if (x.type == ChangeType::deleted) return ok_status();
    batch.push_back(SyncedEntity{x.kind, x.key, x.id, x.new_path, x.blob.hex(), x.blob.hex(), x.place});
    if (batch.size() < kRows) return ok_status();
    auto st = f(batch);
    batch.clear();
    return st;
  });
  if (!s) return s;
  return batch.empty() ? ok_status() : f(batch);
}

// ---- ChangeList ---------------------------------------------------------------

namespace {

// More changes than this go to disk.
constexpr std::size_t kChangesInMemory = 4096;

constexpr const char* kChangeColumns = "type, kind, key, label, old_path, new_path, id, blob, place";

Change change_at(const disk::Stmt& st) {
  Change c;
  c.type = static_cast<ChangeType>(st.int_at(0));
  c.kind = std::string(st.text_at(1));
  c.key = std::string(st.text_at(2));
  c.label = std::string(st.text_at(3));
  c.old_path = std::string(st.text_at(4));
  c.new_path = std::string(st.text_at(5));
  if (!st.null_at(6)) c.id = st.int_at(6);
  if (auto b = Oid::parse(st.text_at(7))) c.blob = *b;
  c.place = std::string(st.text_at(8));
  return c;
}

}  // namespace

ChangeList::ChangeList() = default;
ChangeList::~ChangeList() = default;
ChangeList::ChangeList(ChangeList&&) noexcept = default;
ChangeList& ChangeList::operator=(ChangeList&&) noexcept = default;

Status ChangeList::spill() {
  auto db = disk::ScratchDb::open("the list of changes", 4);
  if (!db) return db.errors();
  disk_ = std::move(*db);
  if (auto s = disk_->exec("CREATE TABLE change(n INTEGER PRIMARY KEY, type INT, kind TEXT, key TEXT, label TEXT, "
                           "old_path TEXT, new_path TEXT, id INT, blob TEXT, place TEXT)");
      !s)
    return s;
  std::vector<Change> kept = std::move(kept_);
  kept_.clear();
  size_ = 0;
  for (auto& c : kept)
    if (auto s = add(std::move(c)); !s) return s;
  return ok_status();
}

Status ChangeList::add(Change c) {
  if (!disk_ && kept_.size() < kChangesInMemory) {
    kept_.push_back(std::move(c));
    ++size_;
    return ok_status();
  }
  if (!disk_)
    if (auto s = spill(); !s) return s;
  auto& ins = disk_->stmt(std::string("INSERT INTO change(") + kChangeColumns + ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  ins.bind(1, static_cast<std::int64_t>(c.type)).bind(2, c.kind).bind(3, c.key).bind(4, c.label).bind(5, c.old_path);
  ins.bind(6, c.new_path);
  if (c.id) ins.bind(7, *c.id);
  else ins.bind_null(7);
  ins.bind(8, c.type == ChangeType::deleted ? std::string() : c.blob.hex()).bind(9, c.place);
  if (auto s = ins.run(); !s) return s;
  ++size_;
  return ok_status();
}

void ChangeList::clear() {
  kept_.clear();
  disk_.reset();
  size_ = 0;
}

Status ChangeList::each(const std::function<Status(const Change&)>& f) const {
  if (!disk_) {
    for (const auto& c : kept_)
      if (auto s = f(c); !s) return s;
    return ok_status();
  }
  auto st = disk_->prepare(std::string("SELECT ") + kChangeColumns + " FROM change ORDER BY n");
  if (!st) return st.errors();
  for (;;) {
    auto row = (*st)->step();
    if (!row) return row.errors();
    if (!*row) return ok_status();
    if (auto s = f(change_at(**st)); !s) return s;
  }
}

Status ChangeList::each_by_new_path(const std::function<Status(const Change&)>& f) const {
  if (!disk_) {
    std::vector<const Change*> order;
    for (const auto& c : kept_)
      if (c.type != ChangeType::deleted) order.push_back(&c);
    std::sort(order.begin(), order.end(), [](const Change* a, const Change* b) { return a->new_path < b->new_path; });
    for (const Change* c : order)
      if (auto s = f(*c); !s) return s;
    return ok_status();
  }
  // SQLite's default collation compares bytes (memcmp), as git orders paths.
  auto st = disk_->prepare(std::string("SELECT ") + kChangeColumns + " FROM change WHERE type <> " +
                           std::to_string(static_cast<int>(ChangeType::deleted)) + " ORDER BY new_path");
  if (!st) return st.errors();
  for (;;) {
    auto row = (*st)->step();
    if (!row) return row.errors();
    if (!*row) return ok_status();
    if (auto s = f(change_at(**st)); !s) return s;
  }
}

std::vector<Change> ChangeList::first(std::size_t n) const {
  std::vector<Change> out;
  if (!disk_) {
    out.assign(kept_.begin(), kept_.begin() + static_cast<std::ptrdiff_t>(std::min(n, kept_.size())));
    return out;
  }
  auto st = disk_->prepare(std::string("SELECT ") + kChangeColumns + " FROM change ORDER BY n LIMIT " + std::to_string(n));
  if (!st) return out;
  while (out.size() < n) {
    auto row = (*st)->step();
    if (!row || !*row) break;
    out.push_back(change_at(**st));
  }
  return out;
}

namespace {

// More marks than this: comparing everything is cheaper than row by row.
constexpr std::size_t kMaxLightMarks = 2000;

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// The synced entities of one kind, read in pages, in key order.
class SyncedCursor {
 public:
  SyncedCursor(SyncState& state, std::string kind) : state_(state), kind_(std::move(kind)) {}
  Result<SyncedEntity*> peek() {
    if (pos_ < page_.size()) return &page_[pos_];
    if (done_) return static_cast<SyncedEntity*>(nullptr);
    auto next = state_.page(kind_, after_, kPage);
    if (!next) return next.errors();
    page_ = std::move(*next);
    pos_ = 0;
    done_ = page_.size() < kPage;
    if (!page_.empty()) after_ = page_.back().key;
    return page_.empty() ? nullptr : &page_[0];
  }
  void next() { ++pos_; }

 private:
  static constexpr std::size_t kPage = 2000;
  SyncState& state_;
  std::string kind_;
  std::vector<SyncedEntity> page_;
  std::size_t pos_ = 0;
  std::optional<std::string> after_;
  bool done_ = false;
};

Change deleted(const SyncedEntity& s) {
  Change c;
  c.type = ChangeType::deleted;
  c.kind = s.kind;
  c.key = s.key;
  c.old_path = s.path;
  c.id = s.id;  // the row it was (its mark stays until the deletion is synced)
  return c;
}

Change changed(const Rendered& r, const std::string& kind, const SyncedEntity* s, const std::string& new_path) {
  Change c;
  c.kind = kind;
  c.key = r.key;
  c.label = r.label;
  c.id = r.id;
  c.blob = r.hash;
  c.place = r.place;
  c.new_path = new_path;
  if (!s) {
    c.type = ChangeType::created;
    return c;
  }
  c.old_path = s->path;
  if (s->path == new_path) c.type = ChangeType::modified;
  else if (s->hash == r.hash.hex() || folder_of(s->path) != folder_of(new_path)) c.type = ChangeType::moved;
  else c.type = ChangeType::renamed;
  return c;
}

class Comparison {
 public:
  Comparison(store::Store& store, const SchemaInfo& schema, SyncState& state, const SyncConfig& config,
             const ChangeOptions& opts)
      : store_(store), schema_(schema), state_(state), config_(config), opts_(opts), renderer_(store, schema, config.scope, config.tree_layout) {}

  Result<LocalChanges> run(std::vector<DirtyMark> marks) {
    out_.marks = std::move(marks);
    bool full = opts_.force_full || !config_.synced_commit || out_.marks.size() > kMaxLightMarks;
    if (!full) {
      auto light = try_light();
      if (!light) return light.errors();
      full = !*light;
    }
    if (full) {
      out_.changes.clear();
      out_.full = true;
      if (auto s = compare_all(); !s) return s.errors();
    }
    out_.outside = renderer_.outside();
    if (auto s = settle(); !s) return s.errors();
    return std::move(out_);
  }

 private:
  // Marks whose rows are not among the changes (a full comparison accounts
  // for every mark, the full-comparison mark included).
  Status settle() {
    if (out_.marks.empty()) return ok_status();
    // The marked rows among the changes (the marks are few, or one
    // full-comparison mark: the set holds no more than they do).
    std::set<std::pair<std::string, std::int64_t>> marked, changed;
    for (const auto& m : out_.marks) marked.emplace(m.kind, m.id);
    auto s = out_.changes.each([&](const Change& c) -> Status {
      if (c.id && marked.count({c.kind, *c.id})) changed.emplace(c.kind, *c.id);
      return ok_status();
    });
    if (!s) return s;
    for (const auto& m : out_.marks)
      if (!changed.count({m.kind, m.id})) out_.settled.push_back(m);
    return ok_status();
  }

  Status keep(const Rendered& r) { return opts_.keep_blob ? opts_.keep_blob(r.text, r.hash) : ok_status(); }

  // False when the marks need the full comparison.
  Result<bool> try_light() {
    const bool partial = !config_.scope.empty();
    auto synced_key = [&](const std::string& kind, const std::string& key) -> Result<bool> {
      auto s = state_.by_key(kind, key);
      if (!s) return s.errors();
      return s->has_value();
    };
    // Light mode creates nothing: in scope means synced (partial scope) or
    // present (the whole schema).
    RefCheck check = [&](const std::string& kind, const Key& key) -> Result<RefTarget> {
      const bool placed = partial && renderer_.placed(kind);
      if (placed) {
        auto in = synced_key(kind, key.str());
        if (!in) return in.errors();
        if (*in) return RefTarget::in_scope;
      }
      auto id = store_.lookup(kind, key);
      if (!id) return id.errors();
      if (!*id) return RefTarget::missing;
      return placed ? RefTarget::outside : RefTarget::in_scope;
    };
    for (const auto& m : out_.marks) {
      const std::size_t k = renderer_.kind_index(m.kind);
      if (m.kind == store::sync_sql::kEverythingKind || k >= schema_.kinds.size() || !schema_.kinds[k]->dumped) return false;
      auto synced = state_.by_id(m.kind, m.id);
      if (!synced) return synced.errors();
      auto r = renderer_.render_row(k, m.id, check);
      if (!r) return r.errors();
      if (!*r) {
        if (*synced) return false;  // a deletion: other files may move
        continue;                   // created and deleted since the last sync
      }
      if (!*synced) {
        if (!partial) return false;  // a new entity
        // Outside the scope unless a container is in it (or it is a root).
        bool in = m.kind == schema_.scope_kind &&
                  std::find(config_.scope.begin(), config_.scope.end(), (*r)->key) != config_.scope.end();
        for (const auto& [pk, pkey] : (*r)->parents) {
          if (in) break;
          auto s = synced_key(pk, pkey);
          if (!s) return s.errors();
          in = *s;
        }
        if (in) return false;
        continue;
      }
      const SyncedEntity& s = **synced;
      if (s.key != (*r)->key || s.place != (*r)->place) return false;
      if (s.hash == (*r)->hash.hex()) continue;
      if (auto st = keep(**r); !st) return st.errors();
      if (auto st = out_.changes.add(changed(**r, m.kind, &s, s.path)); !st) return st.errors();
    }
    return true;
  }

  // Deletions of every synced entity of kinds [from, to) not yet consumed.
  Status drain(std::size_t from, std::size_t to, std::unique_ptr<SyncedCursor>& cur) {
    for (std::size_t k = from; k < to; ++k) {
      if (!schema_.kinds[k]->dumped) continue;
      if (!cur || k != cur_kind_) {
        cur = std::make_unique<SyncedCursor>(state_, schema_.kinds[k]->name);
        cur_kind_ = k;
      }
      for (;;) {
        auto p = cur->peek();
        if (!p) return p.errors();
        if (!*p) break;
        if (auto s = out_.changes.add(deleted(**p)); !s) return s;
        cur->next();
      }
      cur.reset();
    }
    return ok_status();
  }

  Status compare_all() {
    std::unique_ptr<SyncedCursor> cur;
    std::size_t next_kind = 0;  // kinds below this are done
    auto s = renderer_.render_all([&](Rendered& r) -> Status {
      ++out_.in_scope;
      if (!cur || r.k != cur_kind_) {
        if (auto d = drain(next_kind, r.k, cur); !d) return d;
        cur = std::make_unique<SyncedCursor>(state_, schema_.kinds[r.k]->name);
        cur_kind_ = r.k;
        next_kind = r.k + 1;
      }
      const std::string& kind = schema_.kinds[r.k]->name;
      for (;;) {
        auto p = cur->peek();
        if (!p) return p.errors();
        SyncedEntity* s = *p;
        if (s && s->key < r.key) {
          if (auto st = out_.changes.add(deleted(*s)); !st) return st;
          cur->next();
          continue;
        }
        if (s && s->key == r.key) {
          cur->next();
          if (s->hash == r.hash.hex() && s->path == r.path) {
            if (s->id != r.id) {
              s->id = r.id;
              out_.relinked.push_back(*s);
            }
            return ok_status();
          }
          if (auto st = keep(r); !st) return st;
          if (auto st = out_.changes.add(changed(r, kind, s, r.path)); !st) return st;
          return ok_status();
        }
        if (auto st = keep(r); !st) return st;
        if (auto st = out_.changes.add(changed(r, kind, nullptr, r.path)); !st) return st;
        return ok_status();
      }
    });
    if (!s) return s;
    // What is left of the last kind, and the kinds after it.
    if (cur) {
      for (;;) {
        auto p = cur->peek();
        if (!p) return p.errors();
        if (!*p) break;
        if (auto st = out_.changes.add(deleted(**p)); !st) return st;
        cur->next();
      }
      cur.reset();
    }
    return drain(next_kind, schema_.kinds.size(), cur);
  }

  store::Store& store_;
  const SchemaInfo& schema_;
  SyncState& state_;
  const SyncConfig& config_;
  const ChangeOptions& opts_;
  Renderer renderer_;
  LocalChanges out_;
  std::size_t cur_kind_ = 0;
};

}  // namespace

Result<LocalChanges> local_changes(store::Store& store, const SchemaInfo& schema, SyncState& state,
                                   const SyncConfig& config, const ChangeOptions& opts) {
  auto marks = state.dirty();
  if (!marks) return marks.errors();
  Comparison c(store, schema, state, config, opts);
  return c.run(std::move(*marks));
}

}  // namespace metaport::sync
