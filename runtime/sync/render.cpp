#include "runtime/sync/render.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <unordered_map>

#include "metaport/format/json.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "metaport/refs.hpp"
#include "runtime/engine/present.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/store/row.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::sync {

std::string OutsideRef::str() const {
  return kind + " " + key + (file.empty() ? "" : " (" + file + ")") + " at " + field + " references " + target_kind +
         " " + target_key + (missing ? ", which does not exist" : ", which is outside the synced scope");
}

Renderer::Renderer(store::Store& store, const SchemaInfo& schema, std::vector<std::string> roots,
                   const std::string& tree_layout)
    : store_(store), schema_(schema), roots_(std::move(roots)), tree_layout_(tree_layout),
      doc_layout_(schema.layout(tree_layout)) {
  if (!doc_layout_) doc_layout_ = schema.layout();  // an unknown name is refused when the sync state is read
}

Renderer::~Renderer() = default;

std::size_t Renderer::kind_index(const std::string& kind) const {
  for (std::size_t k = 0; k < schema_.kinds.size(); ++k)
    if (schema_.kinds[k]->name == kind) return k;
  return schema_.kinds.size();
}

std::string tree_header(const SchemaInfo& schema) {
  // As the tree writer writes it (runtime/format/dump_format.cpp).
  Value v = Value::object();
  v.set("format", format::kFormatVersion);
  v.set("schema", schema.name);
  v.set("version", schema.version);
  return yaml::write(v);
}

Status Renderer::prepare() {
  if (prepared_) return ok_status();
  auto tables = store::tables_for(schema_);
  if (!tables) return tables.errors();
  tables_ = std::move(*tables);
  place_members_.resize(schema_.kinds.size());
  has_secrets_.resize(schema_.kinds.size());
  for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
    const KindInfo& kind = *schema_.kinds[k];
    has_secrets_[k] = engine::kind_has_secrets(kind);
    std::vector<std::string> m;
    if (auto im = doc_layout_->index_members(kind)) m = *im;
    else for (const auto& f : kind.fields) m.push_back(f.name);
    if (auto pm = doc_layout_->place_members(kind)) m.insert(m.end(), pm->begin(), pm->end());
    else for (const auto& f : kind.fields) m.push_back(f.name);
    for (const auto& f : kind.fields)
      if (f.type.tag == TypeDesc::Tag::Ref && f.type.parent) m.push_back(f.name);
    std::sort(m.begin(), m.end());
    m.erase(std::unique(m.begin(), m.end()), m.end());
    place_members_[k] = std::move(m);
  }
  // Kinds that can sit in the scope kind's containers: a fixpoint over Parent<T>.
  placed_.assign(schema_.kinds.size(), false);
  if (const std::size_t sk = kind_index(schema_.scope_kind); sk < schema_.kinds.size()) placed_[sk] = true;
  for (bool grew = true; grew;) {
    grew = false;
    for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
      if (placed_[k]) continue;
      for (const auto& f : schema_.kinds[k]->fields) {
        const std::size_t t = kind_index(f.type.ref_kind);
        if (f.type.tag == TypeDesc::Tag::Ref && f.type.parent && t < placed_.size() && placed_[t]) {
          placed_[k] = grew = true;
          break;
        }
      }
    }
  }
  prepared_ = true;
  return ok_status();
}

bool Renderer::placed(const std::string& kind) {
  if (!prepare()) return false;
  const std::size_t k = kind_index(kind);
  return k < placed_.size() && placed_[k];
}

std::string Renderer::place_of(std::size_t k, const Value& doc) const {
  Value v = Value::object();
  for (const auto& m : place_members_[k])
    if (const Value* x = doc.find(m)) v.set(m, *x);
  return blob_id(json::write(v)).hex();
}

namespace {

std::string label_of(const Value& doc) {
  for (const char* m : {"name", "title", "term", "path", "email"})
    if (const Value* v = doc.find(m); v && v->is_string()) return v->as_string();
  return {};
}

// The member columns holding `members` (indexed like TableDesc::columns).
std::vector<bool> columns_for(const store::TableDesc& t, const std::vector<std::string>& members) {
  std::vector<bool> cols(t.columns.size(), false);
  for (const auto& m : members)
    if (std::size_t c = t.member_column(m); c != store::TableDesc::npos) cols[c] = true;
  return cols;
}

}  // namespace

void Renderer::check_refs(const Entity& e, const std::string& file, const RefCheck& check, Status& status) {
  schema_.refs(e, [&](const FoundRef& r) {
    if (!status) return;
    const std::size_t t = kind_index(r.kind);
    if (t >= schema_.kinds.size() || !schema_.kinds[t]->dumped) return;  // not synced content (users)
    auto where = check(r.kind, r.key);
    if (!where) { status = where.errors(); return; }
    if (*where != RefTarget::in_scope)
      outside_.push_back(OutsideRef{e.kind->name, e.key.str(), file, path_to_string(r.path), r.kind, r.key.str(),
                                    *where == RefTarget::missing});
  });
}

Rendered Renderer::render(std::size_t k, std::int64_t id, const Entity& e) const {
  Rendered r;
  r.k = k;
  r.id = id;
  r.key = e.key.str();
  r.label = label_of(e.value);
  // As the tree dump writes a file (runtime/format/dump_format.cpp).
  Value scratch;
  r.text = doc_layout_->render(doc_layout_->write_document(e, engine::present(e, /*keep_secrets=*/false, has_secrets_[k], scratch)));
  r.hash = blob_id(r.text);
  r.place = place_of(k, e.value);
  find_typed_refs(*e.kind, e.value, [&](const FoundRef& f) {
    if (f.parent) r.parents.emplace_back(f.kind, f.key.str());
  });
  return r;
}

Status Renderer::select_scope() {
  const std::size_t scope_k = kind_index(schema_.scope_kind);
  if (schema_.scope_kind.empty() || scope_k >= schema_.kinds.size())
    return make_error("schema " + schema_.name + " has no container kind whose subtrees a scope could select");
  // Each entity's containers (Parent<T> members), read from those columns only.
  std::vector<std::unordered_map<std::string, std::vector<std::pair<std::size_t, std::string>>>> parents(
      schema_.kinds.size());
  for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
    const KindInfo& kind = *schema_.kinds[k];
    if (!kind.dumped) continue;
    std::vector<std::string> members;
    for (const auto& f : kind.fields)
      if (f.type.tag == TypeDesc::Tag::Ref && f.type.parent) {
        members.push_back(f.name);
        if (auto s = keys_.load(store_, f.type.ref_kind); !s) return s;
      }
    const auto cols = columns_for(tables_[k], members);
    const auto lookup = keys_.lookup();
    auto s = store_.scan_all(kind.name, [&](std::int64_t, store::Row& row) -> Status {
      auto e = store::entity_value_from_row(tables_[k], row, lookup, members.empty() ? std::vector<bool>(row.size(), false) : cols);
      if (!e) return e.errors();
      auto& mine = parents[k][e->key.str()];
      find_typed_refs(kind, e->value, [&](const FoundRef& r) {
        if (r.parent) mine.emplace_back(kind_index(r.kind), r.key.str());
      });
      return ok_status();
    });
    if (!s) return s;
  }
  std::unordered_set<std::string> roots;
  for (const auto& r : roots_) {
    if (!parents[scope_k].count(r)) return make_error("scope: no " + schema_.scope_kind + " " + r + " in the store");
    roots.insert(r);
  }
  std::vector<std::unordered_map<std::string, int>> memo(schema_.kinds.size());  // 1 in, 2 out, 3 visiting
  std::function<bool(std::size_t, const std::string&)> in = [&](std::size_t k, const std::string& key) -> bool {
    if (k == scope_k && roots.count(key)) return true;
    if (k >= schema_.kinds.size()) return false;
    int& m = memo[k][key];
    if (m) return m == 1;
    m = 3;
    bool found = false;
    if (auto it = parents[k].find(key); it != parents[k].end())
      for (const auto& [pk, pkey] : it->second)
        if (in(pk, pkey)) { found = true; break; }
    memo[k][key] = found ? 1 : 2;
    return found;
  };
  scope_.assign(schema_.kinds.size(), {});
  for (std::size_t k = 0; k < parents.size(); ++k)
    for (const auto& [key, ps] : parents[k])
      if (in(k, key)) scope_[k].insert(key);
  return ok_status();
}

Status Renderer::render_all(const std::function<Status(Rendered&)>& sink) {
  if (auto s = prepare(); !s) return s;
  outside_.clear();
  if (!roots_.empty())
    if (auto s = select_scope(); !s) return s;
  const bool partial = !roots_.empty();
  auto in_scope = [&](std::size_t k, const std::string& key) { return !partial || scope_[k].count(key) > 0; };
  // Every referenced kind's keys before the first row (PostgreSQL's scan_all
  // streams: no other query may run inside it).
  for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
    if (!schema_.kinds[k]->dumped) continue;
    for (const auto& c : tables_[k].columns)
      if (c.type == store::ColumnType::Ref)
        if (auto s = keys_.load(store_, c.ref_kind); !s) return s;
  }
  // The key of every dumped entity, to tell a reference to nothing.
  existing_.assign(schema_.kinds.size(), {});
  for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
    if (!schema_.kinds[k]->dumped) continue;
    auto s = store_.scan_keys(schema_.kinds[k]->name, [&](std::int64_t, Key key) {
      existing_[k].insert(key.str());
      return ok_status();
    });
    if (!s) return s;
  }
  const auto lookup = keys_.lookup();
  auto layout = schema_.layout(tree_layout_);
  if (!layout) layout = schema_.layout();
  for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
    const KindInfo& kind = *schema_.kinds[k];
    if (!kind.dumped || !layout->indexes(kind)) continue;
    std::vector<bool> cols;
    if (auto members = layout->index_members(kind)) cols = columns_for(tables_[k], *members);
    auto s = store_.scan_all(kind.name, [&](std::int64_t, store::Row& row) -> Status {
      auto e = store::entity_value_from_row(tables_[k], row, lookup, cols);
      if (!e) return e.errors();
      if (!in_scope(k, e->key.str())) return ok_status();
      e->kind = &kind;
      layout->index(*e);
      return ok_status();
    });
    if (!s) return s;
  }
  RefCheck scope_check = [&](const std::string& kind, const Key& key) -> Result<RefTarget> {
    const std::size_t t = kind_index(kind);
    const std::string text = key.str();
    if (t >= existing_.size() || !existing_[t].count(text)) return RefTarget::missing;
    if (partial && placed_[t] && !scope_[t].count(text)) return RefTarget::outside;
    return RefTarget::in_scope;
  };
  for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
    const KindInfo& kind = *schema_.kinds[k];
    if (!kind.dumped) continue;
    auto s = store_.scan(kind.name, [&](std::int64_t id, store::Row& row) -> Status {
      auto e = store::entity_value_from_row(tables_[k], row, lookup);
      if (!e) return e.errors();
      e->kind = &kind;
      if (!in_scope(k, e->key.str())) return ok_status();
      Rendered r = render(k, id, *e);
      try {
        r.path = layout->path_of(*e);
      } catch (const std::exception& x) {
        return make_error(std::string("placing ") + kind.name + " " + r.key + ": " + x.what());
      }
      Status st = ok_status();
      check_refs(*e, r.path, scope_check, st);
      if (!st) return st;
      return sink(r);
    });
    if (!s) return s;
  }
  return ok_status();
}

std::optional<Key> Renderer::cached_key(const std::string& kind, std::int64_t id) {
  auto& m = row_keys_[kind];
  if (auto it = m.find(id); it != m.end()) return it->second;
  std::optional<Key> key;
  const std::size_t k = kind_index(kind);
  if (k < tables_.size()) {
    auto row = store_.fetch(kind, id);
    if (row && *row && (**row)[store::TableDesc::kKey].is_text())
      key = store::key_from_text((**row)[store::TableDesc::kKey].as_text(), tables_[k].key_single);
  }
  m.emplace(id, key);
  return key;
}

Result<std::optional<Rendered>> Renderer::render_row(std::size_t k, std::int64_t id, const RefCheck& check) {
  if (auto s = prepare(); !s) return s.errors();
  auto row = store_.fetch(schema_.kinds[k]->name, id);
  if (!row) return row.errors();
  if (!*row) return std::optional<Rendered>();
  store::KeyLookup lookup = [this](const std::string& kind, std::int64_t i) { return cached_key(kind, i); };
  auto e = store::entity_value_from_row(tables_[k], **row, lookup);
  if (!e) return e.errors();
  e->kind = schema_.kinds[k].get();
  Status st = ok_status();
  check_refs(*e, "", check, st);
  if (!st) return st.errors();
  return std::optional<Rendered>(render(k, id, *e));
}

}  // namespace metaport::sync
