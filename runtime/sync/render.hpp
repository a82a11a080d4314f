// Renderer: the store's content in scope as the files of a tree dump, with
// their paths and git blob ids, without writing anything to disk. It works
// inside any transaction of the store (a pull renders what it has just
// loaded before it commits), so it reads rows through the Store interface
// and turns them into documents exactly as a tree dump does (the same row
// conversion, redaction, YAML writer and schema layout); tests compare the
// two byte for byte.
//
// Scope: the whole schema, or the subtrees of some scope-kind entities (for
// bi, `--collection` roots): an entity is in scope when its chain of
// containers (Parent<T> members) reaches a root. References from content in
// scope to content outside it are collected (OutsideRef), never followed.
// Kinds that never sit in such a container (for bi the data model, settings)
// are not anyone's content: references to them are fine as long as the
// target exists (the target instance has its own data model, as Metabase's
// Remote Sync expects).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "metaport/schema.hpp"
#include "runtime/store/key_map.hpp"
#include "runtime/store/store.hpp"
#include "runtime/sync/git.hpp"

namespace metaport::sync {

struct Rendered {
  std::size_t k = 0;  // index into SchemaInfo::kinds
  std::int64_t id = 0;
  std::string key;    // Key::str()
  std::string label;  // its name or title, for messages
  std::string path;   // its file (render_all only)
  std::string text;   // the file's bytes
  Oid hash;           // blob id of text
  std::string place;  // hash of the members that decide its file and scope
  std::vector<std::pair<std::string, std::string>> parents;  // its containers: (kind, key)
};

// A reference from content in scope to content outside it, or to nothing.
struct OutsideRef {
  std::string kind, key, file, field, target_kind, target_key;
  bool missing = false;  // the target does not exist at all
  std::string str() const;
};

// Where a reference's target is.
enum class RefTarget { in_scope, outside, missing };
using RefCheck = std::function<Result<RefTarget>(const std::string& kind, const Key& key)>;

// metaport.yaml at the top of a tree (format, schema, version), as the tree
// writer writes it (for a layout that writes one: Layout::writes_header).
std::string tree_header(const SchemaInfo& schema);
inline constexpr const char* kHeaderFile = "metaport.yaml";

class Renderer {
 public:
  // `tree_layout`: the name of one of the schema's tree layouts ("": the
  // default one), which places the files and writes their documents.
  Renderer(store::Store& store, const SchemaInfo& schema, std::vector<std::string> roots, const std::string& tree_layout);
  ~Renderer();

  // Every entity in scope, kind by kind (schema order), by key within a kind.
  // The sink may call the store.
  Status render_all(const std::function<Status(Rendered&)>& sink);
  // One row, with no path (the caller knows where it was); nullopt when the
  // row is gone. `check` says where each referenced entity is.
  Result<std::optional<Rendered>> render_row(std::size_t k, std::int64_t id, const RefCheck& check);

  const std::vector<OutsideRef>& outside() const { return outside_; }
  // Whether entities of `kind` can sit in a scope-kind container (directly
  // or through containers that can): only they can be in or out of a scope.
  bool placed(const std::string& kind);
  std::size_t kind_index(const std::string& kind) const;
  const SchemaInfo& schema() const { return schema_; }

 private:
  Status prepare();
  Status select_scope();
  Rendered render(std::size_t k, std::int64_t id, const Entity& e) const;
  std::string place_of(std::size_t k, const Value& doc) const;
  void check_refs(const Entity& e, const std::string& file, const RefCheck& check, Status& status);
  std::optional<Key> cached_key(const std::string& kind, std::int64_t id);

  store::Store& store_;
  const SchemaInfo& schema_;
  std::vector<std::string> roots_;
  std::string tree_layout_;
  std::unique_ptr<Layout> doc_layout_;  // writes documents (stateless): render_all places with a fresh one
  std::vector<store::TableDesc> tables_;
  std::vector<std::vector<std::string>> place_members_;  // per kind, sorted
  std::vector<bool> has_secrets_;
  std::vector<std::unordered_set<std::string>> scope_;   // partial scope: keys in scope, per kind
  std::vector<std::unordered_set<std::string>> existing_;  // render_all: keys of every dumped entity, per kind
  std::vector<bool> placed_;                             // per kind, see placed()
  std::vector<OutsideRef> outside_;
  store::KeyMap keys_;                                   // render_all: every referenced kind
  std::unordered_map<std::string, std::unordered_map<std::int64_t, std::optional<Key>>> row_keys_;  // render_row
  bool prepared_ = false;
};

}  // namespace metaport::sync
