// migrate: bring a store's tables from the schema version it was created at
// to the current one (docs/changing-your-schema.md). The old version's shape comes from the
// schema.lock history compiled into the binary, so no old code is needed:
//   1. a backup dump of the store as it is (every kind, secrets in clear),
//      written and synced before anything changes, and named in the report;
//   2. in ONE write transaction: the old tables are dropped, the current ones
//      created, and the backup loaded back through the upgrade steps, as any
//      old dump would be; the version table then says the new version.
// Any failure rolls the transaction back: the store is exactly as it was.
#pragma once
#include <string>

#include "metaport/schema.hpp"
#include "runtime/engine/report.hpp"
#include "runtime/store/store.hpp"

namespace metaport::engine {

struct MigrateReport {
  int from = 0, to = 0;
  bool nothing_to_do = false;
  std::string backup;     // where the backup dump was written
  LoadReport load;        // the reload into the new tables
  bool committed = false;
};

// `backup_path`: where to write the backup dump (jsonl); empty: a name beside
// the store (or in the current folder for PostgreSQL).
Result<MigrateReport> migrate(store::Store& store, const SchemaInfo& schema, const std::string& backup_path,
                              bool dry_run, bool progress);

}  // namespace metaport::engine
