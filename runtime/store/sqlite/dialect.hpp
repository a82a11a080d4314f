// SQLite's spelling of metaport's DDL (no client library needed).
#pragma once
#include "runtime/store/dialect.hpp"

namespace metaport::store {

const Dialect& sqlite_dialect();

}  // namespace metaport::store
