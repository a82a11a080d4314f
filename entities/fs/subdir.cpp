#include "entities/fs/subdir.hpp"

#include "entities/fs/common.hpp"

namespace fs {

metaport::Result<metaport::Key> resolve_path(metaport::store::Store& store, const std::string& path) {
  const metaport::store::TableDesc* entries = store.table("Entry");
  if (!entries) return metaport::make_error("the store has no Entry table");
  const std::size_t inode_col = entries->member_column("inode");
  std::int64_t cur = kRootInode;
  std::string walked;
  for (std::size_t i = 0; i <= path.size();) {
    std::size_t slash = path.find('/', i);
    if (slash == std::string::npos) slash = path.size();
    const std::string name = path.substr(i, slash - i);
    i = slash + 1;
    if (name.empty() || name == ".") continue;
    const std::string escaped = escape_bytes(name);
    auto id = store.lookup("Entry", metaport::Key{std::to_string(cur), escaped});
    if (!id) return id.errors();
    if (!*id)
      return metaport::make_error("--subdir " + path + ": no '" + escaped + "' in " + (walked.empty() ? "/" : walked) +
                                  " (inode " + std::to_string(cur) + ")");
    auto row = store.fetch("Entry", **id);
    if (!row) return row.errors();
    if (!*row || inode_col >= (*row)->size() || !(**row)[inode_col].is_int())
      return metaport::make_error("--subdir " + path + ": the entry '" + escaped + "' has no inode");
    cur = (**row)[inode_col].as_int();
    walked += "/" + escaped;
  }
  return metaport::Key(std::to_string(cur));
}

}  // namespace fs
