// Backend: one store engine (runtime/store/<engine>/), registered by its URL
// schemes when its library is linked in. Adding an engine is adding a folder
// with a dialect (DDL, no client library) and a backend (connection,
// statements, bulk path, snapshots) and listing it in runtime/store/BUILD.bazel.
#pragma once
#include <memory>
#include <string_view>
#include <vector>

#include "runtime/store/store.hpp"

namespace metaport::store {

struct Backend {
  int order = 0;  // place in lists and messages (SQLite, the embedded default, first)
  const Dialect* dialect = nullptr;
  std::vector<std::string_view> schemes;  // "sqlite"; "postgres", "postgresql"; ...
  std::string_view forms;                 // for messages: "sqlite://RELATIVE/PATH, sqlite:///ABSOLUTE/PATH"
  // The URL's syntax only, nothing touched; fills StoreUrl (dialect included).
  Result<StoreUrl> (*parse)(std::string_view url) = nullptr;
  Result<std::unique_ptr<Store>> (*open)(StoreUrl url, const OpenOptions& options) = nullptr;
};

// Registers a backend; returns true, for `static const bool x = register_backend(...)`.
bool register_backend(const Backend& b);
// The backend of a URL scheme; nullptr when none is linked.
const Backend* find_backend(std::string_view scheme);
// Every linked backend, by `order`.
std::vector<const Backend*> backends();

}  // namespace metaport::store
