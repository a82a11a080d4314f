#include "runtime/engine/dump.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "runtime/engine/present.hpp"
#include "runtime/engine/progress.hpp"
#include "runtime/store/row.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::engine {
namespace {

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
    for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
      if (!wanted(k)) continue;
      auto n = store_.count(schema_.kinds[k]->name);
      if (!n) return n.errors();
      total += static_cast<std::size_t>(*n);
    }
    if (writer_.needs_index()) {
      Progress p(opts_.progress, "indexing", total);
      if (auto s = each_entity([&](const Entity& e) { writer_.index(e); p.tick(); return ok_status(); }); !s)
        return s.errors();
    }
    format::DumpHeader h;
    h.schema = schema_.name;
    h.version = schema_.version;
    if (auto s = writer_.begin(h); !s) return s.errors();
    Progress p(opts_.progress, "dumping", total);
    auto s = each_entity([&](const Entity& e) {
      ++report_.counts[e.kind->name];
      p.tick();
      return writer_.write(e, present(e, opts_.keep_secrets));
    });
    if (!s) return s.errors();
    p.done();
    if (auto f = writer_.finish(report_.counts); !f) return f.errors();
    return std::move(report_);
  }

 private:
  Status check_store() { return store_.check_schema(schema_); }

  bool wanted(std::size_t k) const {
    const KindInfo& kind = *schema_.kinds[k];
    if (!kind.dumped) return false;
    if (!opts_.only.empty() && std::find(opts_.only.begin(), opts_.only.end(), kind.name) == opts_.only.end())
      return false;
    return true;
  }

  // id -> key of the kinds a kind's columns refer to, loaded before its rows
  // are scanned: a PostgreSQL connection cannot run a second query while
  // a scan streams, so no lookup may happen inside the scan's callback.
  Status preload_refs(const KindInfo& kind) {
    for (const auto& f : kind.fields) {
      if (f.type.tag != TypeDesc::Tag::Ref) continue;
      auto k = kind_index_.find(f.type.ref_kind);
      if (k == kind_index_.end() || loaded_[k->second]) continue;
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
    auto& m = ids_[k->second];
    auto it = m.find(id);
    if (it == m.end()) return std::nullopt;
    return it->second;
  }

  // Calls f for every wanted (and selected) entity, in dependency order.
  Status each_entity(const std::function<Status(const Entity&)>& f) {
    store::KeyLookup lookup = [this](const std::string& kind, std::int64_t id) { return key_of_id(kind, id); };
    for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
      if (!wanted(k)) continue;
      const KindInfo& kind = *schema_.kinds[k];
      // A kind that contains itself (Parent<Self>): hold children until their parent is out.
      std::string self_parent;
      for (const auto& fd : kind.fields)
        if (fd.type.tag == TypeDesc::Tag::Ref && fd.type.parent && fd.type.ref_kind == kind.name) self_parent = fd.name;
      if (auto s = preload_refs(kind); !s) return s;
      std::unordered_set<std::string> out;
      std::multimap<std::string, Entity> waiting;  // parent key -> children
      std::function<Status(Entity&&)> emit = [&](Entity&& e) -> Status {
        if (auto s = f(e); !s) return s;
        if (self_parent.empty()) return ok_status();
        std::string key = e.key.str();
        out.insert(key);
        auto range = waiting.equal_range(key);
        std::vector<Entity> children;
        for (auto it = range.first; it != range.second; ++it) children.push_back(std::move(it->second));
        waiting.erase(range.first, range.second);
        for (auto& c : children)
          if (auto s = emit(std::move(c)); !s) return s;
        return ok_status();
      };
      auto scanned = store_.scan(kind.name, [&](std::int64_t, store::Row& row) -> Status {
        auto e = store::entity_value_from_row(tables_[k], row, lookup);
        if (!e) return e.errors();
        e->kind = &kind;
        if (!selected(k, e->key)) return ok_status();
        if (!self_parent.empty()) {
          const Value* p = e->value.find(self_parent);
          if (p && !p->is_null()) {
            auto pk = key_from_value(*p);
            if (pk && !out.count(pk->str()) && selected(k, *pk)) {
              waiting.emplace(pk->str(), std::move(*e));
              return ok_status();
            }
          }
        }
        return emit(std::move(*e));
      });
      if (!scanned) return scanned;
      // Children whose parent never came (a cycle in the store): in key order.
      std::vector<Entity> rest;
      for (auto& [pk, e] : waiting) rest.push_back(std::move(e));
      waiting.clear();
      std::sort(rest.begin(), rest.end(), [](const Entity& a, const Entity& b) { return a.key.str() < b.key.str(); });
      for (auto& e : rest)
        if (auto s = f(e); !s) return s;
    }
    return ok_status();
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
      auto s = store_.scan(kind.name, [&](std::int64_t, store::Row& row) -> Status {
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
  std::vector<std::unordered_set<std::string>> selection_;
  DumpReport report_;
};

}  // namespace

Result<DumpReport> dump(store::Store& store, const SchemaInfo& schema, format::DumpWriter& writer,
                        const DumpOptions& opts) {
  Dumper d(store, schema, writer, opts);
  return d.run();
}

}  // namespace metaport::engine
