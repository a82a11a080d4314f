// Loading a dump into a store (docs/loading.md). Two phases:
//   plan   read every record, decode it strictly, find its references, match
//          identities against the store, decide create / update / skip, and
//          find every failure (missing or failed references, duplicates,
//          containment cycles) BEFORE anything is written;
//   apply  one write transaction: ids are reserved first, so references in
//          any order and cycles through foreign keys need no second pass
//          (the foreign keys are deferred to the commit).
// With --on-error abort a single failure means nothing is written at all;
// with continue, failures and everything that depends on them are left out.
// A load killed at any point leaves the store as it was (one transaction).
#pragma once
#include <optional>
#include <string>

#include "metaport/schema.hpp"
#include "runtime/engine/report.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/store/store.hpp"

namespace metaport::engine {

class SecretsKey;

enum class Mode { skip, update };
enum class OnError { abort, continue_ };

struct LoadOptions {
  Mode mode = Mode::skip;
  OnError on_error = OnError::abort;
  bool restore = false;        // the store must be empty; everything is created as dumped
  bool dry_run = false;        // everything but the commit
  bool keep_unknown = false;   // carry unknown members of closed kinds instead of failing
  bool stub_missing = false;   // create placeholders for missing data-model references
  std::optional<std::string> user;  // attribute content of missing users to this user
  bool progress = false;       // a progress line on stderr
  bool plan_only = false;      // validate: find every problem, write nothing (store may be null)
  bool in_transaction = false; // the caller has begun the write transaction and commits it (migrate)
  // --secrets-key: opens sealed secrets. Without it they count as redacted
  // (the store keeps its values). runtime/engine/sealed_secrets.hpp
  const SecretsKey* secrets_key = nullptr;
};

// Returns the report; an Error only for problems that are not about the data
// (the store cannot be written, the dump cannot be read, a version refused...).
// Data problems are in the report (report.failed() > 0).
Result<LoadReport> load(store::Store& store, const SchemaInfo& schema, format::DumpReader& reader,
                        const LoadOptions& opts);

// Whether a dump of this header can be loaded: same schema, not newer, not
// older than the oldest version the upgrade steps start from.
Status version_supported(const SchemaInfo& schema, const format::DumpHeader& h);

// validate: the plan phase alone, against a store (references may point into
// it) or against nothing (the dump must be self-contained).
Result<LoadReport> validate(store::Store* against, const SchemaInfo& schema, format::DumpReader& reader,
                            const LoadOptions& opts);

}  // namespace metaport::engine
