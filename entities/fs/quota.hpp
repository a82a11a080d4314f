// Quotas: a directory's (keyed by its inode), a user's (by uid) and a
// group's (by gid). JuiceFS dumps the limits and recomputes the usage on
// load; so does this schema (usage is not part of a dump).
#pragma once
#include "entities/fs/common.hpp"
#include "entities/fs/node.hpp"

namespace fs {

struct Quota {
  Parent<Node> inode;
  std::int64_t maxSpace = 0;
  std::int64_t maxInodes = 0;
  friend bool operator==(const Quota&, const Quota&) = default;
};
BOOST_DESCRIBE_STRUCT(Quota, (), (inode, maxSpace, maxInodes))

struct UserQuota {
  std::uint32_t uid = 0;
  std::int64_t maxSpace = 0;
  std::int64_t maxInodes = 0;
  friend bool operator==(const UserQuota&, const UserQuota&) = default;
};
BOOST_DESCRIBE_STRUCT(UserQuota, (), (uid, maxSpace, maxInodes))

struct GroupQuota {
  std::uint32_t gid = 0;
  std::int64_t maxSpace = 0;
  std::int64_t maxInodes = 0;
  friend bool operator==(const GroupQuota&, const GroupQuota&) = default;
};
BOOST_DESCRIBE_STRUCT(GroupQuota, (), (gid, maxSpace, maxInodes))

}  // namespace fs

template <>
struct metaport::kind_traits<fs::Quota> : metaport::kind_defaults {
  static constexpr std::string_view name = "Quota";
  static constexpr KeyShape key_shape = KeyShape::integer;
  static Key key(const fs::Quota& q) { return q.inode.key; }
};
template <>
struct metaport::kind_traits<fs::UserQuota> : metaport::kind_defaults {
  static constexpr std::string_view name = "UserQuota";
  static constexpr KeyShape key_shape = KeyShape::integer;
  static Key key(const fs::UserQuota& q) { return Key(std::to_string(q.uid)); }
};
template <>
struct metaport::kind_traits<fs::GroupQuota> : metaport::kind_defaults {
  static constexpr std::string_view name = "GroupQuota";
  static constexpr KeyShape key_shape = KeyShape::integer;
  static Key key(const fs::GroupQuota& q) { return Key(std::to_string(q.gid)); }
};
