// Setting: the volume's format (JuiceFS `Format`, the "Setting" object of a
// dump). Every member as JuiceFS names it; all but the name may be left out
// (older JuiceFS versions wrote fewer, newer ones more: the kind is open, so a
// member this schema does not know is carried through unchanged).
#pragma once
#include "entities/fs/common.hpp"

namespace fs {

struct Setting {
  std::string Name;
  std::optional<std::string> UUID;
  std::optional<std::string> Storage;
  std::optional<std::string> StorageClass;
  std::optional<metaport::Document> Tiers;
  std::optional<std::string> Bucket;
  std::optional<std::string> AccessKey;
  std::optional<Secret<std::string>> SecretKey;
  std::optional<Secret<std::string>> SessionToken;
  std::optional<std::int64_t> BlockSize;
  std::optional<std::string> Compression;
  std::optional<std::int64_t> Shards;
  std::optional<bool> HashPrefix;
  std::optional<std::int64_t> Capacity;
  std::optional<std::int64_t> Inodes;
  std::optional<Secret<std::string>> EncryptKey;
  std::optional<std::string> EncryptAlgo;
  std::optional<bool> KeyEncrypted;
  std::optional<std::int64_t> UploadLimit;
  std::optional<std::int64_t> DownloadLimit;
  std::optional<std::int64_t> TrashDays;
  std::optional<std::int64_t> MetaVersion;
  std::optional<std::string> MinClientVersion;
  std::optional<std::string> MaxClientVersion;
  std::optional<bool> DirStats;
  std::optional<bool> UserGroupQuota;
  std::optional<bool> EnableACL;
  std::optional<std::string> RangerRestUrl;
  std::optional<std::string> RangerService;
  std::optional<bool> ChangeLog;
  std::optional<std::int64_t> ChangeLogMaxAge;
  std::optional<std::int64_t> ChangeLogMaxLines;
  std::optional<std::string> KerbConf;
  friend bool operator==(const Setting&, const Setting&) = default;
};
BOOST_DESCRIBE_STRUCT(Setting, (),
                      (Name, UUID, Storage, StorageClass, Tiers, Bucket, AccessKey, SecretKey, SessionToken, BlockSize,
                       Compression, Shards, HashPrefix, Capacity, Inodes, EncryptKey, EncryptAlgo, KeyEncrypted,
                       UploadLimit, DownloadLimit, TrashDays, MetaVersion, MinClientVersion, MaxClientVersion, DirStats,
                       UserGroupQuota, EnableACL, RangerRestUrl, RangerService, ChangeLog, ChangeLogMaxAge,
                       ChangeLogMaxLines, KerbConf))

inline void metaport_check(const Setting& s, metaport::Checker& c) {
  if (s.Name.empty()) c.error("Name", "a volume needs a name");
  if (s.BlockSize && *s.BlockSize <= 0) c.error("BlockSize", "BlockSize is in KiB and must be positive");
}

}  // namespace fs

template <>
struct metaport::kind_traits<fs::Setting> : metaport::kind_defaults {
  static constexpr std::string_view name = "Setting";
  static constexpr bool open = true;
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const fs::Setting& s) { return Key(s.Name); }
};
