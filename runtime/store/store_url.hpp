// Store URLs (docs/stores.md):
//   sqlite://relative/path.db      relative to the working directory
//   sqlite:///abs/path.db          absolute
//   postgres://... postgresql://...  libpq URIs, unix sockets included:
//                                  postgresql:///db?host=/tmp/sock&port=5433&user=u
//   mysql://... mariadb://...      mysql://user:pass@host:port/db, ?socket=/path
// Each backend registers its schemes (backend.hpp); parsing is separate from
// opening so that the command line can tell a malformed URL (a usage error,
// exit 2) from a store that cannot be reached.
#pragma once
#include <string>
#include <string_view>

#include "metaport/result.hpp"

namespace metaport::store {

class Dialect;

struct StoreUrl {
  const Dialect* dialect = nullptr;  // the backend's
  std::string scheme;    // as written: "sqlite", "postgresql", "mariadb", ...
  std::string path;      // a file store (SQLite): the database file
  std::string conninfo;  // a server store: the URL as given, for its client library
  std::string display;   // for messages: the URL with any password masked
};

// Checks the syntax without touching anything: the scheme picks the backend,
// which judges the rest.
Result<StoreUrl> parse_store_url(std::string_view url);

// scheme://user:password@host... -> scheme://user:***@host..., and any
// password=... parameter masked too.
std::string mask_password(std::string_view url);
// `text` (a driver's message about `url`) with the URL's password masked
// wherever it appears.
std::string mask_password_in(std::string text, std::string_view url);

// The URL forms of every linked backend, for messages ("expected ...").
std::string store_url_forms();

}  // namespace metaport::store
