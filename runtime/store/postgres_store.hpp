// The PostgreSQL backend (internal; use open_store), over libpq. One
// connection per Store; prepared statements per table and operation; COPY
// for bulk inserts; snapshots are REPEATABLE READ, READ ONLY, DEFERRABLE
// transactions whose snapshot is taken when begin_snapshot() returns.
#pragma once
#include <memory>

#include "runtime/store/store.hpp"

namespace metaport::store {

Result<std::unique_ptr<Store>> open_postgres_store(StoreUrl url, const OpenOptions& options);

}  // namespace metaport::store
