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

std::vector<SyncedEntity> synced_rows(const LocalChanges& c) {
  std::vector<SyncedEntity> out = c.relinked;
  for (const auto& x : c.changes)
    if (x.type != ChangeType::deleted)
      out.push_back(SyncedEntity{x.kind, x.key, x.id, x.new_path, x.blob.hex(), x.blob.hex(), x.place});
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
    settle();
    return std::move(out_);
  }

 private:
  // Marks whose rows are not among the changes (a full comparison accounts
  // for every mark, the full-comparison mark included).
  void settle() {
    std::set<std::pair<std::string, std::int64_t>> changed;
    for (const auto& c : out_.changes)
      if (c.id) changed.emplace(c.kind, *c.id);
    for (const auto& m : out_.marks)
      if (!changed.count({m.kind, m.id})) out_.settled.push_back(m);
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
      out_.changes.push_back(changed(**r, m.kind, &s, s.path));
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
        out_.changes.push_back(deleted(**p));
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
          out_.changes.push_back(deleted(*s));
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
          out_.changes.push_back(changed(r, kind, s, r.path));
          return ok_status();
        }
        if (auto st = keep(r); !st) return st;
        out_.changes.push_back(changed(r, kind, nullptr, r.path));
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
        out_.changes.push_back(deleted(**p));
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
