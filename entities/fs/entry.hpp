// Entry: a name in a directory, pointing at an inode. Keyed by (directory,
// name); a file with hard links has one entry per name. Placed in its
// directory (Parent<Node>).
#pragma once
#include "entities/fs/common.hpp"
#include "entities/fs/node.hpp"

namespace fs {

struct Entry {
  Parent<Node> parent;
  std::string name;  // bytes, escaped (common.hpp)
  Ref<Node> inode;
  friend bool operator==(const Entry&, const Entry&) = default;
};
BOOST_DESCRIBE_STRUCT(Entry, (), (parent, name, inode))

inline void metaport_check(const Entry& e, metaport::Checker& c) {
  if (e.name.empty()) return c.error("name", "an entry needs a name");
  if (e.name == "." || e.name == "..") return c.error("name", "'" + e.name + "' is not a name an entry may have");
  if (e.name.find('/') != std::string::npos) return c.error("name", "a name cannot hold '/'");
  if (auto why = why_not_escaped(e.name); !why.empty()) c.error("name", why);
}

}  // namespace fs

template <>
struct metaport::kind_traits<fs::Entry> : metaport::kind_defaults {
  static constexpr std::string_view name = "Entry";
  static constexpr KeyShape key_shape = KeyShape::path;
  static constexpr std::size_t key_min = 2;
  static constexpr std::size_t key_max = 2;
  static Key key(const fs::Entry& e) { return Key{e.parent.key.first(), e.name}; }
};
