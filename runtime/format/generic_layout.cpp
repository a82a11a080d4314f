#include "runtime/format/generic_layout.hpp"

#include <set>
#include <stdexcept>

#include "metaport/refs.hpp"
#include "metaport/slug.hpp"
#include "runtime/disk/scratch_db.hpp"

namespace metaport::format {
namespace {

// The members a file is named after, the first a document has wins.
constexpr const char* kNamingMembers[] = {"name", "title", "term"};

class NestedLayout : public Layout {
 public:
  explicit NestedLayout(const SchemaInfo& schema) {
    for (const auto& k : schema.kinds) {
      folders_[snake_case(k->name)] = k->name;
      auto& parents = parents_[k->name];
      for (const auto& f : k->fields)
        if (f.type.tag == TypeDesc::Tag::Ref && f.type.parent) parents.push_back(f.name);
    }
  }

  std::optional<std::vector<std::string>> index_members(const KindInfo& kind) const override {
    std::vector<std::string> m(std::begin(kNamingMembers), std::end(kNamingMembers));
    if (auto it = parents_.find(kind.name); it != parents_.end()) m.insert(m.end(), it->second.begin(), it->second.end());
    return m;
  }

  void index(const Entity& e) override {
    open();
    resolved_ = false;
    std::optional<Key> parent;
    std::string parent_kind;
    for (const auto& f : e.kind->fields) {
      if (f.type.tag != TypeDesc::Tag::Ref || !f.type.parent) continue;
      if (const Value* v = e.value.find(f.name)) {
        if ((parent = key_from_value(*v))) {
          parent_kind = f.type.ref_kind;
          break;
        }
      }
    }
    auto& ins = db_->stmt(
        "INSERT OR REPLACE INTO ent(kind, key, slug, kfolder, pkind, pkey) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    ins.bind(1, e.kind->name).bind(2, e.key.str()).bind(3, slug_of(e)).bind(4, snake_case(e.kind->name));
    if (parent) ins.bind(5, parent_kind).bind(6, parent->str());
    else ins.bind_null(5).bind_null(6);
    check(ins.run());
  }

  std::string path_of(const Entity& e) override {
    if (!resolved_) resolve();
    if (!error_.empty()) throw std::runtime_error(error_);
    auto& q = db_->stmt("SELECT folder, stem FROM ent WHERE kind = ?1 AND key = ?2");
    q.bind(1, e.kind->name).bind(2, e.key.str());
    auto row = q.step();
    check(row);
    if (!*row) throw std::logic_error("path_of: " + e.kind->name + " " + e.key.str() + " was never indexed");
    std::string path = std::string(q.text_at(0)) + "/" + std::string(q.text_at(1)) + ".yaml";
    q.reset();
    return path;
  }

  // The folder just above the file names its kind, at any depth.
  std::optional<std::string> kind_of(std::string_view rel_path, const Value&) override {
    auto slash = rel_path.rfind('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto dir = rel_path.substr(0, slash);
    auto start = dir.rfind('/');
    auto it = folders_.find(std::string(start == std::string_view::npos ? dir : dir.substr(start + 1)));
    if (it == folders_.end()) return std::nullopt;
    return it->second;
  }

 private:
  static std::string slug_of(const Entity& e) {
    for (const char* m : kNamingMembers)
      if (const Value* v = e.value.find(m); v && v->is_string() && !v->as_string().empty())
        return slugify(v->as_string());
    return slugify(e.key.str());
  }

  template <class R>
  void check(const R& r) const {
    if (!r) throw std::runtime_error(r.errors().to_string());
  }

  void open() {
    if (db_) return;
    auto db = disk::ScratchDb::open("tree layout");
    check(db);
    db_ = std::move(*db);
    check(db_->exec(
        "CREATE TABLE ent(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, slug TEXT NOT NULL,"
        " kfolder TEXT NOT NULL, pkind TEXT, pkey TEXT, parent INT, level INT, folder TEXT, stem TEXT);"
        "CREATE UNIQUE INDEX ent_key ON ent(kind, key);"
        "CREATE TABLE taken(folder TEXT NOT NULL, stem TEXT NOT NULL, PRIMARY KEY(folder, stem)) WITHOUT ROWID;"
        "CREATE TABLE st(id INTEGER PRIMARY KEY, stem TEXT NOT NULL);"));
  }

  // Every entity's folder and stem, level by level from the roots: a
  // level's folders are known once its parents' stems are.
  void resolve() {
    open();
    resolved_ = true;
    error_.clear();
    check(db_->exec(
        "DROP INDEX IF EXISTS ent_parent; DROP INDEX IF EXISTS ent_level; DELETE FROM taken;"
        "UPDATE ent SET parent = (SELECT p.id FROM ent p WHERE p.kind = ent.pkind AND p.key = ent.pkey),"
        " level = NULL, folder = NULL, stem = NULL;"
        "UPDATE ent SET level = 0, folder = kfolder WHERE parent IS NULL;"
        "CREATE INDEX ent_parent ON ent(parent); CREATE INDEX ent_level ON ent(level, folder, slug, key);"));
    for (std::int64_t level = 0;; ++level) {
      assign_stems(level);
      auto& next = db_->stmt(
          "UPDATE ent SET level = ?1 + 1, folder = (SELECT p.folder || '/' || p.stem FROM ent p"
          " WHERE p.id = ent.parent) || '/' || kfolder"
          " WHERE level IS NULL AND parent IN (SELECT id FROM ent WHERE level = ?1)");
      next.bind(1, level);
      check(next.run());
      if (db_->changes() == 0) break;
    }
    // What no level reached hangs below a loop of parents.
    auto& left = db_->stmt("SELECT id FROM ent WHERE level IS NULL LIMIT 1");
    auto row = left.step();
    check(row);
    if (!*row) return;
    std::int64_t id = left.int_at(0);
    left.reset();
    error_ = loop_from(id);
  }

  // Within each folder of the level, ordered by slug then key: the first
  // entity wanting a stem keeps it plain, the others add `__` and a hash of
  // their own key (then of kind and key, then that numbered).
  void assign_stems(std::int64_t level) {
    check(db_->exec("DELETE FROM st"));
    auto& rows = db_->stmt("SELECT id, folder, slug, kind, key FROM ent WHERE level = ?1 ORDER BY folder, slug, key");
    rows.bind(1, level);
    auto& claim = db_->stmt("INSERT OR IGNORE INTO taken(folder, stem) VALUES(?1, ?2)");
    auto& keep = db_->stmt("INSERT INTO st(id, stem) VALUES(?1, ?2)");
    for (;;) {
      auto more = rows.step();
      check(more);
      if (!*more) break;
      const std::int64_t id = rows.int_at(0);
      const std::string folder(rows.text_at(1)), slug(rows.text_at(2)), kind(rows.text_at(3)), key(rows.text_at(4));
      const std::string hashed = slug + "__" + short_hash(kind + "\n" + key);
      std::string stem;
      for (int attempt = 0; stem.empty(); ++attempt) {
        std::string candidate = attempt == 0   ? slug
                                : attempt == 1 ? slug + "__" + short_hash(key)
                                : attempt == 2 ? hashed
                                               : hashed + "_" + std::to_string(attempt - 2);
        claim.bind(1, folder).bind(2, candidate);
        check(claim.run());
        if (db_->changes() == 1) stem = std::move(candidate);
      }
      keep.bind(1, id).bind(2, stem);
      check(keep.run());
    }
    check(db_->exec("UPDATE ent SET stem = (SELECT stem FROM st WHERE st.id = ent.id) WHERE id IN (SELECT id FROM st)"));
  }

  // "Term B: its parents form a loop: Term B -> Term C -> Term B", walking up
  // from an entity no root reaches (the walk's ids are the only heap it takes).
  std::string loop_from(std::int64_t id) {
    auto& up = db_->stmt("SELECT parent, kind, key FROM ent WHERE id = ?1");
    std::vector<std::int64_t> chain;
    std::vector<std::string> names;
    std::set<std::int64_t> seen;
    while (seen.insert(id).second) {
      up.bind(1, id);
      auto row = up.step();
      check(row);
      chain.push_back(id);
      names.push_back(std::string(up.text_at(1)) + " " + std::string(up.text_at(2)));
      id = up.int_at(0);
      up.reset();
    }
    std::size_t start = 0;
    while (chain[start] != id) ++start;
    std::string loop;
    for (std::size_t i = start; i < names.size(); ++i) loop += names[i] + " -> ";
    loop += names[start];
    return names[start] + ": its parents form a loop (" + loop +
           "), so it has no folder in the tree; give one of them another parent or none";
  }

  std::map<std::string, std::string> folders_;                    // snake_case(kind) -> kind
  std::map<std::string, std::vector<std::string>> parents_;       // kind -> its Parent<K> members
  std::unique_ptr<disk::ScratchDb> db_;
  bool resolved_ = false;
  std::string error_;
};

}  // namespace

std::unique_ptr<Layout> make_nested_layout(const SchemaInfo& schema) { return std::make_unique<NestedLayout>(schema); }

}  // namespace metaport::format

namespace metaport {
std::unique_ptr<Layout> make_generic_layout(const SchemaInfo& schema) { return format::make_nested_layout(schema); }
}  // namespace metaport
