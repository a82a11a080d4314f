// What a volume keeps beside its tree, as a dump's top-level lists hold it:
// files deleted while open and waiting for their data to go (DelFiles),
// inodes a client session still holds (Sustained), and the change log.
// Their inodes are plain numbers, not references: they are not in the tree.
#pragma once
#include "entities/fs/common.hpp"

namespace fs {

struct DelFile {
  std::int64_t inode = 0;
  std::uint64_t length = 0;
  std::int64_t expire = 0;
  friend bool operator==(const DelFile&, const DelFile&) = default;
};
BOOST_DESCRIBE_STRUCT(DelFile, (), (inode, length, expire))

struct Sustained {
  std::int64_t sid = 0;
  std::vector<std::int64_t> inodes;
  friend bool operator==(const Sustained&, const Sustained&) = default;
};
BOOST_DESCRIBE_STRUCT(Sustained, (), (sid, inodes))

struct ChangeLog {
  std::int64_t version = 0;
  std::string entry;
  friend bool operator==(const ChangeLog&, const ChangeLog&) = default;
};
BOOST_DESCRIBE_STRUCT(ChangeLog, (), (version, entry))

}  // namespace fs

template <>
struct metaport::kind_traits<fs::DelFile> : metaport::kind_defaults {
  static constexpr std::string_view name = "DelFile";
  static constexpr KeyShape key_shape = KeyShape::integer;
  static Key key(const fs::DelFile& d) { return Key(std::to_string(d.inode)); }
};
template <>
struct metaport::kind_traits<fs::Sustained> : metaport::kind_defaults {
  static constexpr std::string_view name = "Sustained";
  static constexpr KeyShape key_shape = KeyShape::integer;
  static Key key(const fs::Sustained& s) { return Key(std::to_string(s.sid)); }
};
template <>
struct metaport::kind_traits<fs::ChangeLog> : metaport::kind_defaults {
  static constexpr std::string_view name = "ChangeLog";
  static constexpr KeyShape key_shape = KeyShape::integer;
  static Key key(const fs::ChangeLog& c) { return Key(std::to_string(c.version)); }
};
