// Store URLs (DESIGN.md §7):
//   sqlite://relative/path.db      relative to the working directory
//   sqlite:///abs/path.db          absolute
//   postgres://... postgresql://...  libpq URIs, unix sockets included:
//                                  postgresql:///db?host=/tmp/sock&port=5433&user=u
// Parsing is separate from opening so that the command line can tell a
// malformed URL (a usage error, exit 2) from a store that cannot be reached.
#pragma once
#include <string>
#include <string_view>

#include "metaport/result.hpp"
#include "runtime/store/ddl.hpp"

namespace metaport::store {

struct StoreUrl {
  Dialect dialect = Dialect::sqlite;
  std::string path;      // sqlite: the database file
  std::string conninfo;  // postgres: the URI as given, for libpq
  std::string display;   // for messages: the URL with any password masked
};

Result<StoreUrl> parse_store_url(std::string_view url);

}  // namespace metaport::store
