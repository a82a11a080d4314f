// Dumping a store (docs/commands/dump.md): one consistent snapshot, records streamed to
// the writer as they are read (bounded memory), in dependency order: kinds in
// the schema's order, within a kind by key, containers before their contents
// when a kind contains itself (collections in collections).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "metaport/schema.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/store/store.hpp"

namespace metaport::engine {

class SecretsKey;

struct DumpOptions {
  std::vector<std::string> only;   // kinds to dump (empty: every dumped kind)
  std::vector<std::string> roots;  // --collection: keys of scope-kind entities whose subtrees are dumped
  bool no_closure = false;         // with roots: references outside them are errors instead of pulled in
  bool keep_secrets = false;
  // Kinds kept only in stores (bi's users) too: a store moved whole (copy).
  bool store_only_kinds = false;
  // --secrets-key: secrets are sealed with this key instead of redacted
  // (runtime/engine/sealed_secrets.hpp); the header names the key's id.
  const SecretsKey* seal = nullptr;
  bool progress = false;
  // A subtree (fs: dump --subdir): the entity of kind `subtree_kind` whose
  // key `subtree_root` finds (called inside the dump's snapshot), what it
  // contains (Parent members, read through their indexes), what that
  // refers to, and so on; plus the schema's context kinds whole (a volume's
  // Setting and Counters). Nothing else is read.
  std::string subtree_kind;
  std::function<Result<Key>(store::Store&)> subtree_root;
};

struct DumpReport {
  format::Counts counts;
  std::vector<std::string> pulled_in;  // "Card X (referenced by Dashboard Y at dashcards[2].card_id)"
};

Result<DumpReport> dump(store::Store& store, const SchemaInfo& schema, format::DumpWriter& writer,
                        const DumpOptions& opts);

}  // namespace metaport::engine
