// dump --subdir PATH: the inode a path from the volume's root names, found
// entry by entry through the store's key index (as JuiceFS resolves one,
// but reading only the entries on the way).
#pragma once
#include <string>

#include "metaport/key.hpp"
#include "metaport/result.hpp"
#include "runtime/store/store.hpp"

namespace fs {

// "/home/alice" or "home/alice" (raw bytes: a name need not be UTF-8); ""
// or "/" is the root. The Node's key, or an error naming the first
// component that is not there.
metaport::Result<metaport::Key> resolve_path(metaport::store::Store& store, const std::string& path);

}  // namespace fs
