// Entity-level differences between two dumps or stores: what was added,
// removed and changed, with the changed field paths and their old and new
// values. Both sides are decoded and normalized first, so formatting, key
// order and file placement never show up as differences.
#pragma once
#include <string>
#include <vector>

#include "metaport/schema.hpp"
#include "runtime/format/dump_format.hpp"

namespace metaport::engine {

struct FieldChange {
  std::string path;
  std::optional<Value> old_value;  // nullopt: absent
  std::optional<Value> new_value;
};

struct EntityChange {
  std::string kind;
  std::string key;
  std::string label;  // the entity's name, if it has one
  std::vector<FieldChange> changes;
};

struct DiffReport {
  std::vector<EntityChange> added, removed, changed;
  std::size_t unchanged = 0;
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
  std::string text() const;
  Value json() const;
};

class SecretsKey;

// Reads both dumps entirely (streaming; a hash per entity is kept in a
// scratch database on disk, the documents in spool files). Records that do
// not decode are errors (validate tells more). With `secrets`, sealed
// secrets are opened to decode the documents and compared sealed again
// (deterministic sealing: equal secrets, equal text), so a difference is
// shown without the secret.
Result<DiffReport> diff(const SchemaInfo& schema, format::DumpReader& a, format::DumpReader& b,
                        const SecretsKey* secrets = nullptr);

// The field-level differences of two documents (exposed for tests).
void diff_values(const Value& a, const Value& b, const std::string& path, std::vector<FieldChange>& out);

}  // namespace metaport::engine
