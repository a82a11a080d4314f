// Counters: the volume's totals and next free numbers, as a dump's
// "Counters" object spells them. They follow from the rest of the volume:
// `load --restore` recomputes them from what it loads (fs::Totals, as JuiceFS's
// own load does) instead of trusting the dump; other loads keep them as
// dumped.
#pragma once
#include "entities/fs/common.hpp"

namespace fs {

struct Counters {
  Derived<std::int64_t> usedSpace;   // bytes of regular files, each rounded up to 4 KiB
  Derived<std::int64_t> usedInodes;  // inodes but the root and the trash
  Derived<std::int64_t> nextInodes;  // above the largest inode (JuiceFS's spelling)
  Derived<std::int64_t> nextChunk;   // above the largest slice id
  Derived<std::int64_t> nextSession;
  Derived<std::int64_t> nextTrash;   // the largest trash folder number
  std::optional<std::int64_t> nextCleanupSlices;  // deprecated in JuiceFS, kept when present
  std::optional<std::int64_t> lastChangelog;
  friend bool operator==(const Counters&, const Counters&) = default;
};
BOOST_DESCRIBE_STRUCT(Counters, (),
                      (usedSpace, usedInodes, nextInodes, nextChunk, nextSession, nextTrash, nextCleanupSlices,
                       lastChangelog))

}  // namespace fs

template <>
struct metaport::kind_traits<fs::Counters> : metaport::kind_defaults {
  static constexpr std::string_view name = "Counters";
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const fs::Counters&) { return Key(std::string("counters")); }
};
