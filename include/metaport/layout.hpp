// Layout: where each entity lives in a tree dump, and which kind a file
// holds. Each schema defines its own from its declarations (bi: the Metabase
// Representation Format's folders); GenericLayout serves schemas that need
// nothing special: <kind>/<slug of key>.yaml.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "metaport/entity.hpp"
#include "metaport/kind_info.hpp"
#include "metaport/slug.hpp"

namespace metaport {

class Layout {
 public:
  virtual ~Layout() = default;
  // Dump, first pass: every entity that will be written (remember what paths need).
  virtual void index(const Entity& e) = 0;
  // Whether index() needs the entities of `kind` at all: a layout that places
  // most kinds from the entity alone spares the dump a pass over them.
  virtual bool indexes(const KindInfo& kind) const {
    (void)kind;
    return true;
  }
  // The members index() reads from an entity of `kind` (names as on disk);
  // nullopt: it may read any. The dump then hands index() entities holding
  // only these members: it does not parse the large free-form documents
  // (queries, settings) twice. path_of() always gets the whole entity.
  virtual std::optional<std::vector<std::string>> index_members(const KindInfo& kind) const {
    (void)kind;
    return std::nullopt;
  }
  // Dump, second pass: the entity's file, relative to the tree root, '/'-separated.
  // Must be deterministic and distinct for distinct entities.
  virtual std::string path_of(const Entity& e) = 0;
  // Load: the kind a file holds, from its relative path and its document;
  // nullopt if the file is not an entity file of this schema (it is skipped).
  virtual std::optional<std::string> kind_of(std::string_view rel_path, const Value& doc) = 0;
};

// <kind in snake_case>/<slug>.yaml, the slug from the entity's `name` or
// `title` member if it has one, else from its key. Entities whose slugs
// collide within a kind: the one with the smallest key keeps the plain name,
// the others get `__` + a short hash of their key (deterministic; see
// docs/tree-layout.md for the stabler rule of the bi layout).
class GenericLayout : public Layout {
 public:
  explicit GenericLayout(std::vector<std::string> kinds) {
    for (auto& k : kinds) folders_[snake_case(k)] = k;
  }
  std::optional<std::vector<std::string>> index_members(const KindInfo&) const override {
    return std::vector<std::string>{"name", "title"};  // what slug_of reads
  }
  void index(const Entity& e) override {
    auto& first = first_[{e.kind->name, slug_of(e)}];
    std::string key = e.key.str();
    if (first.empty() || key < first) first = key;
  }
  std::string path_of(const Entity& e) override {
    std::string slug = slug_of(e);
    std::string key = e.key.str();
    auto it = first_.find({e.kind->name, slug});
    if (it != first_.end() && it->second != key) slug += "__" + short_hash(key);
    return snake_case(e.kind->name) + "/" + slug + ".yaml";
  }
  std::optional<std::string> kind_of(std::string_view rel_path, const Value&) override {
    auto slash = rel_path.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto it = folders_.find(std::string(rel_path.substr(0, slash)));
    if (it == folders_.end()) return std::nullopt;
    return it->second;
  }

 private:
  static std::string slug_of(const Entity& e) {
    for (const char* m : {"name", "title"})
      if (const Value* v = e.value.find(m); v && v->is_string() && !v->as_string().empty()) return slugify(v->as_string());
    return slugify(e.key.str());
  }
  std::map<std::string, std::string> folders_;
  std::map<std::pair<std::string, std::string>, std::string> first_;  // (kind, slug) -> smallest key
};

}  // namespace metaport
