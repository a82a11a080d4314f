// Node: one inode with everything JuiceFS keeps about it, shaped as a dump's
// entry object without its name and children: `attr`, a symlink's target,
// extended attributes, POSIX ACLs and a file's chunks. Its key is the inode
// number (KeyShape::integer), which is also its local id in a store.
#pragma once
#include "entities/fs/common.hpp"

namespace fs {

enum class NodeType { regular, directory, symlink, fifo, blockdev, chardev, socket };
BOOST_DESCRIBE_ENUM(NodeType, regular, directory, symlink, fifo, blockdev, chardev, socket)

// The members JuiceFS writes in "attr", in its order; the ones it leaves out
// when zero are optional here, so what a dump had is what comes back.
struct Attr {
  std::int64_t inode = 0;
  std::optional<std::uint8_t> flags;
  NodeType type = NodeType::regular;
  std::uint16_t mode = 0;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::int64_t atime = 0;
  std::int64_t mtime = 0;
  std::int64_t ctime = 0;
  std::optional<std::uint32_t> atimensec;
  std::optional<std::uint32_t> mtimensec;
  std::optional<std::uint32_t> ctimensec;
  std::uint32_t nlink = 0;
  std::uint64_t length = 0;
  std::optional<std::uint32_t> rdev;
  std::optional<std::uint8_t> tier;
  friend bool operator==(const Attr&, const Attr&) = default;
};
BOOST_DESCRIBE_STRUCT(Attr, (), (inode, flags, type, mode, uid, gid, atime, mtime, ctime, atimensec, mtimensec,
                                 ctimensec, nlink, length, rdev, tier))

struct Xattr {
  std::string name;
  std::string value;  // bytes, escaped (common.hpp)
  friend bool operator==(const Xattr&, const Xattr&) = default;
};
BOOST_DESCRIBE_STRUCT(Xattr, (), (name, value))

struct AclEntry {
  std::uint32_t id = 0;
  std::uint16_t perm = 0;
  friend bool operator==(const AclEntry&, const AclEntry&) = default;
};
BOOST_DESCRIBE_STRUCT(AclEntry, (), (id, perm))

struct Acl {
  std::uint16_t owner = 0;
  std::uint16_t group = 0;
  std::uint16_t other = 0;
  std::uint16_t mask = 0;
  Nullable<std::vector<AclEntry>> users;  // JuiceFS writes null for none
  Nullable<std::vector<AclEntry>> groups;
  friend bool operator==(const Acl&, const Acl&) = default;
};
BOOST_DESCRIBE_STRUCT(Acl, (), (owner, group, other, mask, users, groups))

// A slice of a chunk: `len` bytes of object `id` (of `size` bytes) starting
// at its `off`, placed at `pos` within the chunk. Dumps of JuiceFS before 1.0
// call the object `chunkid`; either spelling is kept as written.
struct Slice {
  std::optional<std::int64_t> chunkid;
  std::optional<std::int64_t> id;
  std::optional<std::uint32_t> pos;
  std::uint32_t size = 0;
  std::optional<std::uint32_t> off;
  std::uint32_t len = 0;
  friend bool operator==(const Slice&, const Slice&) = default;
};
BOOST_DESCRIBE_STRUCT(Slice, (), (chunkid, id, pos, size, off, len))

// The slices of the index-th 64 MiB of a file.
struct Chunk {
  std::uint32_t index = 0;
  std::vector<Slice> slices;
  friend bool operator==(const Chunk&, const Chunk&) = default;
};
BOOST_DESCRIBE_STRUCT(Chunk, (), (index, slices))

struct Node {
  Attr attr;
  std::optional<std::string> symlink;  // the target's bytes, escaped
  std::optional<std::vector<Xattr>> xattrs;
  std::optional<Acl> posix_acl_access;
  std::optional<Acl> posix_acl_default;
  std::optional<std::vector<Chunk>> chunks;
  friend bool operator==(const Node&, const Node&) = default;
};
BOOST_DESCRIBE_STRUCT(Node, (), (attr, symlink, xattrs, posix_acl_access, posix_acl_default, chunks))

inline void metaport_check(const Slice& s, metaport::Checker& c) {
  if (s.chunkid.has_value() == s.id.has_value())
    c.error(s.id ? "chunkid" : "id", "a slice names its object once: id (or chunkid, in dumps before JuiceFS 1.0)");
  const std::int64_t pos = s.pos.value_or(0), off = s.off.value_or(0);
  if (pos + std::int64_t{s.len} > kChunkSize)
    c.error("len", "the slice ends at " + std::to_string(pos + s.len) + ", past the end of its chunk (" +
                       std::to_string(kChunkSize) + " bytes)");
  if (off + std::int64_t{s.len} > std::int64_t{s.size})
    c.error("len", "the slice reads bytes " + std::to_string(off) + " to " + std::to_string(off + s.len) +
                       " of an object of " + std::to_string(s.size) + " bytes");
}

inline void metaport_check(const Xattr& x, metaport::Checker& c) {
  if (x.name.empty()) c.error("name", "an extended attribute needs a name");
  if (auto why = why_not_escaped(x.value); !why.empty()) c.error("value", why);
}

inline void metaport_check(const Node& n, metaport::Checker& c) {
  if (n.attr.inode < 1) c.error_at({"attr", "inode"}, "inode numbers start at 1, not " + std::to_string(n.attr.inode));
  if (n.symlink) {
    if (n.attr.type != NodeType::symlink) c.error("symlink", "only a symlink has a target");
    else if (auto why = why_not_escaped(*n.symlink); !why.empty()) c.error("symlink", why);
  }
  if (n.chunks) {
    if (n.attr.type != NodeType::regular) c.error("chunks", "only a regular file has chunks");
    for (std::size_t i = 1; i < n.chunks->size(); ++i)
      if ((*n.chunks)[i].index <= (*n.chunks)[i - 1].index)
        c.error_at({"chunks", i, "index"}, "chunks are listed once each, by index: " +
                                               std::to_string((*n.chunks)[i].index) + " after " +
                                               std::to_string((*n.chunks)[i - 1].index));
  }
  if (n.xattrs)
    for (std::size_t i = 1; i < n.xattrs->size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if ((*n.xattrs)[i].name == (*n.xattrs)[j].name)
          c.error_at({"xattrs", i, "name"}, "extended attribute '" + (*n.xattrs)[i].name + "' is listed twice");
}

}  // namespace fs

template <>
struct metaport::kind_traits<fs::Node> : metaport::kind_defaults {
  static constexpr std::string_view name = "Node";
  static constexpr KeyShape key_shape = KeyShape::integer;
  static Key key(const fs::Node& n) { return Key(std::to_string(n.attr.inode)); }
};
