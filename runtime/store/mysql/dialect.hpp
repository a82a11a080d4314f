// MySQL's and MariaDB's spelling of metaport's DDL (no client library needed).
#pragma once
#include "runtime/store/dialect.hpp"

namespace metaport::store {

const Dialect& mysql_dialect();

// The longest key (mp_key) in bytes: InnoDB's limit for one index entry.
inline constexpr std::size_t kMysqlMaxKeyBytes = 3072;

}  // namespace metaport::store
