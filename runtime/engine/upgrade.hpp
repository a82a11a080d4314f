// `upgrade IN OUT`: a dump of an older schema version rewritten as the
// current version writes it (docs/changing-your-schema.md), record by
// record: each one goes through the schema's upgrade steps, is decoded
// strictly, and is written with its secrets as they came.
#pragma once
#include <functional>
#include <memory>

#include "metaport/schema.hpp"
#include "runtime/format/dump_format.hpp"

namespace metaport::engine {

struct UpgradeOutcome {
  int from = 0;            // the input's schema version
  format::Counts counts;   // entities written, per kind
  Errors problems;         // records that failed, each placed in its file: the output is not finished
};

// Opens the input afresh: a writer that needs an index first (a tree's)
// reads it twice.
using OpenDump = std::function<Result<std::unique_ptr<format::DumpReader>>()>;

// `in` is the input opened once already (its header read). The Result's
// errors: the input could not be read again, or the output not begun or
// finished. Records that fail are the outcome's `problems`; then `out` is
// not finished (a stream or tree writer leaves nothing behind).
Result<UpgradeOutcome> upgrade_dump(const SchemaInfo& schema, std::unique_ptr<format::DumpReader> in,
                                    const OpenDump& reopen, format::DumpWriter& out);

}  // namespace metaport::engine
