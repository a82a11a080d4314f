#include "entities/fs/seed.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "entities/fs/common.hpp"
#include "entities/fs/totals.hpp"

namespace fs {
namespace {

using metaport::Status;
using metaport::Value;

// splitmix64: small, fast, and the same on every machine.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
  bool chance(unsigned per_mille) { return below(1000) < per_mille; }
  std::int64_t between(std::int64_t lo, std::int64_t hi) { return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1))); }

 private:
  std::uint64_t s_;
};

constexpr std::array<std::string_view, 16> kWords = {"report", "draft",  "notes", "data",   "final", "budget",
                                                     "plan",   "photo",  "scan",  "backup", "model", "config",
                                                     "index",  "readme", "log",   "summary"};
constexpr std::array<std::string_view, 10> kExt = {".txt", ".csv", ".json", ".md", ".png", ".jpg", ".pdf", ".go", ".py", ".parquet"};
constexpr std::array<std::string_view, 8> kUsers = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};

class Seeder {
 public:
  Seeder(std::size_t files, const SeedSink& emit) : files_(files), emit_(emit), rng_(0x6a75696365667321ull) {
    node_kind_.name = "Node";
    counters_kind_.name = "Counters";
  }

  Status run() {
    if (auto s = setting(); !s) return s;
    const std::size_t big = std::min<std::size_t>(1'000'000, files_ / 10);
    std::size_t left = files_;
    auto take = [&](std::size_t n) {
      n = std::min(n, left);
      left -= n;
      return n;
    };
    // The root and the top-level folders; each folder's node goes out once
    // its contents are known (its nlink counts its subdirectories).
    Dir root{kRootInode, 0};
    const std::size_t big_n = take(big), deep_n = take(64 * 3), media_n = take(std::max<std::size_t>(4, files_ / 1000)),
                      intl_n = take(24), special_n = take(6);
    if (auto s = top(root, "data", [&](Dir& data) {
          return sub(data, "big", [&](Dir& d) { return wide(d, big_n); });
        }); !s) return s;
    if (auto s = top(root, "deep", [&](Dir& d) { return deep(d, 1, deep_n); }); !s) return s;
    if (auto s = top(root, "media", [&](Dir& d) { return media(d, media_n); }); !s) return s;
    if (auto s = top(root, "intl", [&](Dir& d) { return intl(d, intl_n); }); !s) return s;
    if (auto s = top(root, "dev", [&](Dir& d) { return special(d, special_n); }); !s) return s;
    std::int64_t home_inode = 0;
    if (auto s = top(root, "home", [&](Dir& home) {
          home_inode = home.inode;
          const std::size_t per_user = left / kUsers.size() + 1;
          for (auto u : kUsers) {
            const std::size_t n = take(per_user);
            if (auto s = sub(home, std::string(u), [&](Dir& d) { return tree(d, n, 1); }); !s) return s;
          }
          return metaport::ok_status();
        }); !s) return s;
    if (auto s = node_dir(root, 0777, 0, 0); !s) return s;
    if (auto s = trash(); !s) return s;
    if (auto s = bookkeeping(home_inode); !s) return s;
    return counters();
  }

 private:
  struct Dir {
    std::int64_t inode;
    std::uint32_t subdirs = 0;
  };

  // ---- records ----
  Status emit_node(Value node) {
    metaport::Entity e;
    e.kind = &node_kind_;
    e.value = node;
    totals_.add(e);
    return emit_("Node", std::move(node));
  }
  Status entry(std::int64_t parent, const std::string& raw_name, std::int64_t inode) {
    Value e = Value::object();
    e.set("parent", parent);
    e.set("name", escape_bytes(raw_name));
    e.set("inode", inode);
    return emit_("Entry", std::move(e));
  }
  Value attr(std::int64_t inode, std::string_view type, int mode, std::uint32_t nlink, std::uint64_t length) {
    Value a = Value::object();
    a.set("inode", inode);
    if (rng_.chance(5)) a.set("flags", 128);
    a.set("type", std::string(type));
    a.set("mode", mode);
    const std::int64_t uid = rng_.chance(900) ? 1000 + static_cast<std::int64_t>(rng_.below(kUsers.size())) : 0;
    a.set("uid", uid);
    a.set("gid", uid == 0 ? 0 : 100);
    const std::int64_t mtime = 1'700'000'000 + static_cast<std::int64_t>(rng_.below(60'000'000));
    a.set("atime", mtime + static_cast<std::int64_t>(rng_.below(1'000'000)));
    a.set("mtime", mtime);
    a.set("ctime", mtime + static_cast<std::int64_t>(rng_.below(1000)));
    if (rng_.chance(900)) {  // JuiceFS leaves zero nanoseconds out
      const std::int64_t ns = 1 + static_cast<std::int64_t>(rng_.below(999'999'999));
      a.set("atimensec", ns);
      a.set("mtimensec", ns);
      a.set("ctimensec", ns);
    }
    a.set("nlink", nlink);
    a.set("length", static_cast<std::int64_t>(length));
    if (rng_.chance(3)) a.set("tier", 1);
    return a;
  }
  Value chunks_for(std::uint64_t length) {
    Value chunks = Value::array();
    for (std::uint64_t index = 0; index * kChunkSize < length; ++index) {
      const std::uint64_t in_chunk = std::min<std::uint64_t>(kChunkSize, length - index * kChunkSize);
      Value slices = Value::array();
      // One slice, or a few writes laid side by side.
      const std::uint64_t parts = in_chunk > 4 * 1024 * 1024 && rng_.chance(300) ? 1 + rng_.below(3) : 1;
      std::uint64_t pos = 0;
      for (std::uint64_t p = 0; p < parts; ++p) {
        const std::uint64_t len = p + 1 == parts ? in_chunk - pos : in_chunk / parts;
        Value s = Value::object();
        s.set("id", next_slice_++);
        if (pos) s.set("pos", static_cast<std::int64_t>(pos));
        // Sometimes the slice reads the middle of a larger object.
        const std::uint64_t off = rng_.chance(50) ? 4096 : 0;
        s.set("size", static_cast<std::int64_t>(len + off));
        if (off) s.set("off", static_cast<std::int64_t>(off));
        s.set("len", static_cast<std::int64_t>(len));
        slices.push_back(std::move(s));
        pos += len;
      }
      Value c = Value::object();
      c.set("index", static_cast<std::int64_t>(index));
      c.set("slices", std::move(slices));
      chunks.push_back(std::move(c));
    }
    return chunks;
  }
  Value xattrs() {
    Value list = Value::array();
    Value x = Value::object();
    x.set("name", "user.checksum");
    x.set("value", escape_bytes("sha256:" + std::to_string(rng_.next())));
    list.push_back(std::move(x));
    if (rng_.chance(300)) {
      Value y = Value::object();
      y.set("name", "user.origin");
      y.set("value", escape_bytes(std::string("\xb9\xfb\xd6\xad raw bytes")));  // GBK, not UTF-8
      list.push_back(std::move(y));
    }
    return list;
  }
  static Value acl(int owner, int group, int other, bool with_users) {
    Value a = Value::object();
    a.set("owner", owner);
    a.set("group", group);
    a.set("other", other);
    a.set("mask", group);
    if (with_users) {
      Value u = Value::object();
      u.set("id", 1001);
      u.set("perm", 6);
      a.set("users", Value(Value::Array{std::move(u)}));
    } else {
      a.set("users", Value());
    }
    a.set("groups", Value());
    return a;
  }

  // A regular file of `length` bytes named `name` in `dir`; 1% get a second
  // name (a hard link) in the same folder.
  Status file(Dir& dir, const std::string& name, std::uint64_t length) {
    const std::int64_t inode = next_inode_++;
    const bool linked = rng_.chance(10);
    Value n = Value::object();
    n.set("attr", attr(inode, "regular", 0644, linked ? 2 : 1, length));
    if (rng_.chance(30)) n.set("xattrs", xattrs());
    if (rng_.chance(5)) n.set("posix_acl_access", acl(6, 4, 4, true));
    if (length > 0) n.set("chunks", chunks_for(length));
    if (auto s = emit_node(std::move(n)); !s) return s;
    if (auto s = entry(dir.inode, name, inode); !s) return s;
    if (linked) return entry(dir.inode, name + ".hardlink", inode);
    return metaport::ok_status();
  }
  Status symlink(Dir& dir, const std::string& name, const std::string& target) {
    const std::int64_t inode = next_inode_++;
    Value n = Value::object();
    n.set("attr", attr(inode, "symlink", 0777, 1, target.size()));
    n.set("symlink", escape_bytes(target));
    if (auto s = emit_node(std::move(n)); !s) return s;
    return entry(dir.inode, name, inode);
  }
  std::uint64_t file_length() {
    const auto r = rng_.below(1000);
    if (r < 300) return rng_.below(4096);
    if (r < 800) return rng_.below(1 << 20);
    if (r < 990) return rng_.below(kChunkSize);
    return kChunkSize + rng_.below(3 * kChunkSize);
  }
  std::string file_name(std::size_t i) {
    return std::string(kWords[rng_.below(kWords.size())]) + "_" + std::to_string(i) +
           std::string(kExt[rng_.below(kExt.size())]);
  }

  // A directory `name` in `parent`, filled by `fill`, then its node.
  template <class Fill>
  Status sub(Dir& parent, const std::string& name, Fill&& fill) {
    Dir d{next_inode_++, 0};
    ++parent.subdirs;
    if (auto s = entry(parent.inode, name, d.inode); !s) return s;
    if (auto s = fill(d); !s) return s;
    return node_dir(d, 0755, 1000 + static_cast<int>(rng_.below(kUsers.size())), 100);
  }
  template <class Fill>
  Status top(Dir& root, const std::string& name, Fill&& fill) { return sub(root, name, std::forward<Fill>(fill)); }
  Status node_dir(const Dir& d, int mode, int uid, int gid) {
    Value a = attr(d.inode, "directory", mode, 2 + d.subdirs, 0);
    a.set("uid", uid);
    a.set("gid", gid);
    Value n = Value::object();
    n.set("attr", std::move(a));
    if (d.inode == kRootInode) {
      Value x = Value::object();
      x.set("name", "lastBackup");
      x.set("value", "2026-11-30T02:00:00+00:00");
      n.set("xattrs", Value(Value::Array{std::move(x)}));
    }
    if (rng_.chance(20)) n.set("posix_acl_default", acl(7, 5, 5, false));
    return emit_node(std::move(n));
  }

  // ---- the sections ----
  Status wide(Dir& d, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "part-%07zu.parquet", i);
      if (auto s = file(d, name, 1024 + rng_.below(64 * 1024)); !s) return s;
    }
    return metaport::ok_status();
  }
  Status deep(Dir& d, int level, std::size_t n) {
    const std::size_t here = std::min<std::size_t>(n, 3);
    for (std::size_t i = 0; i < here; ++i)
      if (auto s = file(d, "level" + std::to_string(level) + "_" + std::to_string(i) + ".txt", file_length()); !s) return s;
    if (level >= 64 || n <= here) return metaport::ok_status();
    return sub(d, "d" + std::to_string(level + 1), [&](Dir& c) { return deep(c, level + 1, n - here); });
  }
  Status media(Dir& d, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      // 3 to 16 chunks: 128 MiB to 1 GiB.
      const std::uint64_t length = (2 + rng_.below(14)) * kChunkSize + rng_.below(kChunkSize);
      if (auto s = file(d, "video_" + std::to_string(i) + ".mp4", length); !s) return s;
    }
    return metaport::ok_status();
  }
  Status intl(Dir& d, std::size_t n) {
    static const std::array<std::string, 8> names = {
        "\xe6\x9e\x9c\xe6\xb1\x81\xe6\x95\xb0\xe6\x8d\xae.txt",  // 果汁数据 (UTF-8)
        "\xb9\xfb\xd6\xad\xca\xfd\xbe\xdd.txt",                  // the same in GBK: not UTF-8
        "with space.txt",
        "100% done.txt",
        "quote\"and\\backslash",
        "tab\there",
        "caf\xc3\xa9.md",
        "Capital Letters.PDF",
    };
    for (std::size_t i = 0; i < n; ++i) {
      const std::string name = i < names.size() ? names[i] : names[i % names.size()] + "." + std::to_string(i);
      if (auto s = file(d, name, file_length()); !s) return s;
    }
    if (auto s = symlink(d, "link to gbk", names[1]); !s) return s;
    return symlink(d, "\xff\xfe-not-utf8-link", "../data");
  }
  Status special(Dir& d, std::size_t n) {
    static constexpr std::string_view types[] = {"fifo", "socket", "chardev", "blockdev"};
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t inode = next_inode_++;
      const std::string_view t = types[i % 4];
      Value a = attr(inode, t, 0644, 1, 0);
      if (t == "chardev" || t == "blockdev") a.set("rdev", static_cast<std::int64_t>((8 << 8) | i));
      Value node = Value::object();
      node.set("attr", std::move(a));
      if (auto s = emit_node(std::move(node)); !s) return s;
      if (auto s = entry(d.inode, std::string(t) + std::to_string(i), inode); !s) return s;
    }
    return metaport::ok_status();
  }
  // A balanced tree of n files below d: some files here, the rest split
  // among a few subdirectories.
  Status tree(Dir& d, std::size_t n, int depth) {
    std::size_t here = std::min<std::size_t>(n, 10 + rng_.below(50));
    if (depth >= 8) here = n;
    for (std::size_t i = 0; i < here; ++i) {
      if (rng_.chance(20)) {
        if (auto s = symlink(d, "link_" + std::to_string(i), "../" + file_name(i)); !s) return s;
      } else if (auto s = file(d, file_name(i), file_length()); !s) {
        return s;
      }
    }
    std::size_t rest = n - here;
    if (rest == 0) return metaport::ok_status();
    const std::size_t subs = std::clamp<std::size_t>(rest / 150, 1, 12);
    for (std::size_t k = 0; k < subs; ++k) {
      const std::size_t share = k + 1 == subs ? rest : rest / (subs - k);
      rest -= share;
      const std::string name = std::string(kWords[rng_.below(kWords.size())]) + "_" + std::to_string(k);
      if (auto s = sub(d, name, [&](Dir& c) { return tree(c, share, depth + 1); }); !s) return s;
    }
    return metaport::ok_status();
  }
  Status trash() {
    // The trash's folder for an hour, holding files deleted then.
    Dir t{kTrashInode, 1};
    Dir hour{kTrashInode + 1, 0};
    if (auto s = entry(t.inode, "2026-12-01-10", hour.inode); !s) return s;
    for (int i = 0; i < 3; ++i) {
      const std::int64_t inode = next_inode_;  // file() takes it
      if (auto s = file(hour, "1-" + std::to_string(inode) + "-deleted_" + std::to_string(i) + ".txt", 100 + rng_.below(10000)); !s)
        return s;
    }
    if (auto s = node_dir(hour, 0555, 0, 0); !s) return s;
    return node_dir(t, 0555, 0, 0);
  }
  Status bookkeeping(std::int64_t home) {
    Value q = Value::object();
    q.set("inode", home);
    q.set("maxSpace", std::int64_t{1} << 40);
    q.set("maxInodes", 10'000'000);
    if (auto s = emit_("Quota", std::move(q)); !s) return s;
    Value uq = Value::object();
    uq.set("uid", 1000);
    uq.set("maxSpace", std::int64_t{1} << 39);
    uq.set("maxInodes", 1'000'000);
    if (auto s = emit_("UserQuota", std::move(uq)); !s) return s;
    Value gq = Value::object();
    gq.set("gid", 100);
    gq.set("maxSpace", std::int64_t{1} << 40);
    gq.set("maxInodes", 5'000'000);
    if (auto s = emit_("GroupQuota", std::move(gq)); !s) return s;
    for (int i = 0; i < 3; ++i) {  // deleted while open: numbers past every inode of the tree
      Value d = Value::object();
      d.set("inode", next_inode_ + 1000 + i);
      d.set("length", static_cast<std::int64_t>(rng_.below(1 << 20)));
      d.set("expire", 1'764'000'000 + i);
      if (auto s = emit_("DelFile", std::move(d)); !s) return s;
    }
    Value sus = Value::object();
    sus.set("sid", 7);
    sus.set("inodes", Value(Value::Array{Value(next_inode_ + 2000), Value(next_inode_ + 2001)}));
    return emit_("Sustained", std::move(sus));
  }
  Status setting() {
    Value s = Value::object();
    s.set("Name", "seed-volume");
    s.set("UUID", "5eed0000-0000-4000-8000-" + std::string(12 - std::to_string(files_).size(), '0') + std::to_string(files_));
    s.set("Storage", "file");
    s.set("Bucket", "/var/jfs/seed-volume/");
    s.set("AccessKey", "seed-access-key");
    s.set("SecretKey", "seed-secret-key");
    s.set("BlockSize", 4096);
    s.set("Compression", "lz4");
    s.set("TrashDays", 1);
    s.set("MetaVersion", 1);
    s.set("EnableACL", true);
    return emit_("Setting", std::move(s));
  }
  Status counters() {
    metaport::Entity e;
    e.kind = &counters_kind_;
    Value dumped = Value::object();
    dumped.set("nextSession", 8);
    e.value = dumped;
    totals_.add(e);
    auto out = totals_.result();
    return emit_(out[0].first, std::move(out[0].second));
  }

  std::size_t files_;
  const SeedSink& emit_;
  Rng rng_;
  std::int64_t next_inode_ = 2;
  std::int64_t next_slice_ = 1;
  CounterTotals totals_;
  metaport::KindInfo node_kind_, counters_kind_;
};

}  // namespace

Status seed(std::size_t files, const SeedSink& emit) { return Seeder(files, emit).run(); }

}  // namespace fs
