// Layout: where each entity lives in a tree dump, and which kind a file
// holds. Each schema defines its own from its declarations (bi: the Metabase
// Representation Format's folders); make_generic_layout serves schemas that need
// nothing special: each entity in its parent's folder.
//
// A schema may offer several tree layouts (bi: the Representation Format and
// Metabase's own serialization export): a layout whose files are another
// program's documents converts them on the way in (read_document) and out
// (write_document, render), and says which folders are its own
// (recognizes), so that `load` and `validate` pick it by themselves.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "metaport/entity.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "metaport/kind_info.hpp"
#include "metaport/result.hpp"
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
  // The members of an entity of `kind` that path_of() reads besides its key
  // and what index() read (names as on disk); nullopt: it may read any. The
  // git sync hashes them to tell an edit that keeps a file where it is from
  // one that moves it, without placing every entity again.
  virtual std::optional<std::vector<std::string>> place_members(const KindInfo& kind) const {
    return index_members(kind);
  }
  // Dump, second pass: the entity's file, relative to the tree root, '/'-separated.
  // Must be deterministic and distinct for distinct entities.
  virtual std::string path_of(const Entity& e) = 0;
  // Load: the kind a file holds, from its relative path and its document;
  // nullopt if the file is not an entity file of this schema (it is skipped).
  virtual std::optional<std::string> kind_of(std::string_view rel_path, const Value& doc) = 0;

  // Load: the document the kind's decoder reads, made from the file's
  // document. Problems go to `errors` (with the marks of the values, the
  // caller adds the file); nullopt when the file cannot be read as this
  // kind. `keep_unknown`: members the layout does not know are carried
  // instead of being errors (--keep-unknown). Called from several threads.
  virtual std::optional<Value> read_document(std::string_view kind, std::string_view rel_path, Value doc,
                                             bool keep_unknown, Errors& errors) const {
    (void)kind, (void)rel_path, (void)keep_unknown, (void)errors;
    return doc;
  }
  // Dump: the file's document, made from the entity's (`doc`: secrets
  // redacted or not, unknown members in place).
  virtual Value write_document(const Entity& e, Value doc) const {
    (void)e;
    return doc;
  }
  // Dump: the file's text.
  virtual std::string render(const Value& doc) const { return yaml::write(doc); }
  // Whether the file at `rel_path` of a tree is one this layout writes or
  // reads. A dump into an existing folder replaces these and keeps every
  // other file where it is (.git, a README, CI files).
  virtual bool owns(std::string_view rel_path) const {
    return rel_path.ends_with(".yaml") || rel_path.ends_with(".yml");
  }
  // Whether the folder holds a tree of this layout (the files it has, not
  // metaport.yaml): how `load` and `validate` tell layouts apart.
  virtual bool recognizes(const std::string& dir) const {
    (void)dir;
    return false;
  }
  // Whether a dump writes metaport.yaml at the top of the tree. A layout
  // that writes another program's export leaves it out, so the folder holds
  // exactly what that program writes.
  virtual bool writes_header() const { return true; }
};

// One of a schema's tree layouts, by name (`--layout NAME`).
struct LayoutChoice {
  std::string name;
  std::string description;
  std::function<std::unique_ptr<Layout>()> make;
};

struct SchemaInfo;
// The tree layout of a schema that declares none of its own: entities in
// their Parent<K>'s folder, as deep as the hierarchy goes (docs/tree-layout.md,
// "Your own schema"). Defined in runtime/format/generic_layout.cpp: it keeps
// its index in a scratch database on disk.
std::unique_ptr<Layout> make_generic_layout(const SchemaInfo& schema);

}  // namespace metaport
