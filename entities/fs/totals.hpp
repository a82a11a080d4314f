// The volume's counters recomputed from its entities, by JuiceFS's own rules
// (pkg/meta/dump.go, loadEntries/decodeEntry), for `load --restore`:
//   usedSpace   every inode but the root and the trash, its length rounded up
//               to 4 KiB (an empty one counts 4 KiB)
//   usedInodes  every inode but the root and the trash
//   nextInodes  one above the largest inode below the trash's range (at least 2)
//   nextChunk   one above the largest slice id (at least 1)
//   nextTrash   the largest trash folder number (inode - the trash inode)
// nextSession, nextCleanupSlices and lastChangelog are not implied by the
// tree: they are kept as dumped.
#pragma once
#include <algorithm>
#include <memory>

#include "entities/fs/counters.hpp"
#include "entities/fs/node.hpp"
#include "metaport/totals.hpp"

namespace fs {

class CounterTotals : public metaport::Totals {
 public:
  std::vector<std::string> kinds() const override { return {"Counters"}; }
  void add(const metaport::Entity& e) override {
    if (e.kind->name == "Counters") {
      dumped_ = e.value;
      return;
    }
    if (e.kind->name != "Node") return;
    const metaport::Value* attr = e.value.find("attr");
    const metaport::Value* inode_v = attr ? attr->find("inode") : nullptr;
    if (!inode_v || !inode_v->is_int()) return;  // decoded entities always have it
    const std::int64_t inode = inode_v->as_int();
    if (inode > kRootInode && inode != kTrashInode) {
      const metaport::Value* len = attr->find("length");
      const std::uint64_t length = len && len->is_int() ? static_cast<std::uint64_t>(len->as_int()) : 0;
      used_space_ += length == 0 ? 4096 : static_cast<std::int64_t>((((length - 1) >> 12) + 1) << 12);
      ++used_inodes_;
    }
    if (inode < kTrashInode) next_inode_ = std::max(next_inode_, inode + 1);
    else next_trash_ = std::max(next_trash_, inode - kTrashInode);
    if (const metaport::Value* chunks = e.value.find("chunks"); chunks && chunks->is_array())
      for (const auto& c : chunks->as_array())
        if (const metaport::Value* slices = c.find("slices"); slices && slices->is_array())
          for (const auto& s : slices->as_array()) {
            const metaport::Value* id = s.find("id");
            if (!id) id = s.find("chunkid");
            if (id && id->is_int()) next_chunk_ = std::max(next_chunk_, id->as_int() + 1);
          }
  }
  std::vector<std::pair<std::string, metaport::Value>> result() override {
    metaport::Value c = metaport::Value::object();
    c.set("usedSpace", used_space_);
    c.set("usedInodes", used_inodes_);
    c.set("nextInodes", next_inode_);
    c.set("nextChunk", next_chunk_);
    const metaport::Value* session = dumped_.is_object() ? dumped_.find("nextSession") : nullptr;
    c.set("nextSession", session ? *session : metaport::Value(0));
    c.set("nextTrash", next_trash_);
    for (const char* kept : {"nextCleanupSlices", "lastChangelog"})
      if (const metaport::Value* v = dumped_.is_object() ? dumped_.find(kept) : nullptr) c.set(kept, *v);
    return {{"Counters", std::move(c)}};
  }

 private:
  metaport::Value dumped_;
  std::int64_t used_space_ = 0, used_inodes_ = 0, next_inode_ = 2, next_chunk_ = 1, next_trash_ = 0;
};

}  // namespace fs
