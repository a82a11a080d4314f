// copy SRC DST: one store into another in one process, then verified
// (docs/commands/copy.md). Three steps:
//   1. SRC is dumped in one snapshot, at the schema version its tables are
//      (an older one is read through the lock history, as migrate reads it),
//      every kind included (users too, which dumps leave out), on a thread,
//      into an in-process bounded pipe (runtime/format/pipe.hpp); the same
//      bytes go to a temporary file, the record of what SRC held;
//   2. this thread loads the pipe into DST: the load's own semantics and
//      flags, one transaction, an older version upgraded record by record;
//      a dump that fails half-way is a truncated stream, so nothing is
//      written;
//   3. after the commit DST is dumped (its own snapshot, into another pipe)
//      and compared entity by entity with the record of SRC (diff): DST
//      must hold every entity SRC held, identical. What DST held besides is
//      counted, not a difference.
// Secrets travel sealed with a key made for this copy alone and never
// written down (sealed_secrets.hpp): nothing is in clear in the temporary
// files, and the verification compares secrets without printing them.
// Memory: a dump's and a load's, plus the pipes; per-entity bookkeeping of
// the verification is on disk (diff.hpp).
#pragma once
#include <optional>

#include "metaport/schema.hpp"
#include "runtime/engine/diff.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/engine/report.hpp"
#include "runtime/store/store.hpp"

namespace metaport::engine {

struct CopyReport {
  int from_version = 0;  // SRC's schema version (DST gets the current one)
  bool created_schema = false;  // DST had no metaport tables: created first
  LoadReport load;
  // Set when the load committed: the entity-level comparison of DST with SRC.
  std::optional<DiffReport> verify;
  // DST holds every entity SRC held, identical (only what DST had besides differs).
  bool holds_source() const { return verify && verify->removed.empty() && verify->changed.empty(); }
  std::string text() const;
  Value json() const;
};

// `load` are the load flags (mode, on-error, restore, dry-run, ...); its
// secrets_key is set by copy. An Error for what is not about the data
// (SRC unreadable, a refused version, DST cannot be written); data problems
// are in the report.
Result<CopyReport> copy(store::Store& src, store::Store& dst, const SchemaInfo& schema, LoadOptions load);

}  // namespace metaport::engine
