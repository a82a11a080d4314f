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

#include "metaport/entity.hpp"
#include "metaport/kind_info.hpp"
#include "metaport/slug.hpp"

namespace metaport {

class Layout {
 public:
  virtual ~Layout() = default;
  // Dump, first pass: every entity that will be written (remember what paths need).
  virtual void index(const Entity& e) = 0;
  // Dump, second pass: the entity's file, relative to the tree root, '/'-separated.
  // Must be deterministic and distinct for distinct entities.
  virtual std::string path_of(const Entity& e) = 0;
  // Load: the kind a file holds, from its relative path and its document;
  // nullopt if the file is not an entity file of this schema (it is skipped).
  virtual std::optional<std::string> kind_of(std::string_view rel_path, const Value& doc) = 0;
};

// <kind in snake_case>/<slug of the key>.yaml; a slug shared by two entities
// gets a short hash of the key so both files stay stable.
class GenericLayout : public Layout {
 public:
  explicit GenericLayout(std::vector<std::string> kinds) {
    for (auto& k : kinds) folders_[snake_case(k)] = k;
  }
  void index(const Entity& e) override {
    auto& n = slugs_[{e.kind->name, slugify(e.key.str())}];
    ++n;
  }
  std::string path_of(const Entity& e) override {
    std::string slug = slugify(e.key.str());
    std::string name = slug;
    if (slugs_[{e.kind->name, slug}] > 1) name += "__" + short_hash(e.key.str());
    return snake_case(e.kind->name) + "/" + name + ".yaml";
  }
  std::optional<std::string> kind_of(std::string_view rel_path, const Value&) override {
    auto slash = rel_path.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto it = folders_.find(std::string(rel_path.substr(0, slash)));
    if (it == folders_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, std::string> folders_;
  std::map<std::pair<std::string, std::string>, int> slugs_;
};

}  // namespace metaport
