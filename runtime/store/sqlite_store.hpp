// The SQLite backend (internal; use open_store). One connection per Store:
// WAL journal (readers never block the writer), synchronous=NORMAL (durable
// at checkpoints, never corrupt), foreign_keys=ON with every reference
// DEFERRABLE INITIALLY DEFERRED, a busy timeout for concurrent writers, and
// one cached prepared statement per table and operation.
#pragma once
#include <memory>

#include "runtime/store/store.hpp"

namespace metaport::store {

Result<std::unique_ptr<Store>> open_sqlite_store(StoreUrl url, const OpenOptions& options);

}  // namespace metaport::store
