// The fs tree layout: a folder per volume, files grouped so that no folder
// holds more than about a thousand entries, whatever the volume (a
// directory of a million entries included). It needs to see nothing but the
// volume's Setting (its name names the folder): every path follows from the
// entity alone, so a tree dump keeps no per-entity index (docs/memory.md).
//
//   <volume>/setting.yaml
//   <volume>/counters.yaml
//   <volume>/nodes/<inode div 1000>/<inode>.yaml
//   <volume>/entries/<parent div 1000>/<parent>/<hh>/<stem>.yaml
//   <volume>/quotas/<inode>.yaml, user_quotas/<uid>.yaml, group_quotas/<gid>.yaml,
//   <volume>/del_files/<inode>.yaml, sustained/<sid>.yaml, change_log/<version>.yaml
//
// An entry's <hh> is two hex digits of a hash of its name (256 groups per
// directory); its <stem> is the name itself when that is a safe, portable
// file name (lower-case letters, digits, '.', '_', '-', at most 100 bytes, not
// starting with '.'), else a slug of it and 16 hex digits of the name's hash,
// so two names never share a file on any file system (case-insensitive ones
// included). The file holds the name exactly; the path is only a place.
#pragma once
#include <cstdint>
#include <string>

#include "entities/fs/common.hpp"
#include "metaport/layout.hpp"
#include "metaport/slug.hpp"

namespace fs {

class TreeLayout : public metaport::Layout {
 public:
  bool indexes(const metaport::KindInfo& kind) const override { return kind.name == "Setting"; }
  std::optional<std::vector<std::string>> index_members(const metaport::KindInfo&) const override {
    return std::vector<std::string>{"Name"};
  }
  void index(const metaport::Entity& e) override {
    if (e.kind->name != "Setting") return;
    if (const metaport::Value* n = e.value.find("Name"); n && n->is_string()) volume_ = folder_name(n->as_string());
  }
  std::string path_of(const metaport::Entity& e) override {
    const std::string& kind = e.kind->name;
    const std::string base = volume_ + "/";
    if (kind == "Setting") return base + "setting.yaml";
    if (kind == "Counters") return base + "counters.yaml";
    if (kind == "Node") return base + "nodes/" + group(e.key.first()) + "/" + e.key.first() + ".yaml";
    if (kind == "Entry") {
      const std::string parent = e.key.parts.size() == 2 && e.key.parts[0] ? *e.key.parts[0] : "";
      const std::string name = e.key.parts.size() == 2 && e.key.parts[1] ? *e.key.parts[1] : "";
      const std::uint64_t h = hash(name);
      static constexpr char hex[] = "0123456789abcdef";
      const std::string hh{hex[(h >> 4) & 0xF], hex[h & 0xF]};
      return base + "entries/" + group(parent) + "/" + parent + "/" + hh + "/" + stem(name, h) + ".yaml";
    }
    for (const auto& [k, folder] : kFlat)
      if (kind == k) return base + std::string(folder) + "/" + e.key.first() + ".yaml";
    return base + metaport::snake_case(kind) + "/" + metaport::slugify(e.key.str()) + ".yaml";
  }
  std::optional<std::string> kind_of(std::string_view rel, const metaport::Value&) override {
    // <volume>/<what>...
    const auto slash = rel.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    std::string_view rest = rel.substr(slash + 1);
    if (rest == "setting.yaml") return "Setting";
    if (rest == "counters.yaml") return "Counters";
    const auto next = rest.find('/');
    if (next == std::string_view::npos) return std::nullopt;
    const std::string_view folder = rest.substr(0, next);
    if (folder == "nodes") return "Node";
    if (folder == "entries") return "Entry";
    for (const auto& [k, f] : kFlat)
      if (folder == f) return std::string(k);
    return std::nullopt;
  }

 private:
  static constexpr std::pair<std::string_view, std::string_view> kFlat[] = {
      {"Quota", "quotas"},       {"UserQuota", "user_quotas"}, {"GroupQuota", "group_quotas"},
      {"DelFile", "del_files"},  {"Sustained", "sustained"},   {"ChangeLog", "change_log"},
  };
  // Inode 123456 -> "123": a thousand inodes per folder.
  static std::string group(const std::string& number) {
    return number.size() > 3 ? number.substr(0, number.size() - 3) : "0";
  }
  static std::uint64_t hash(std::string_view s) {  // FNV-1a: stable across builds and machines
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    return h;
  }
  static bool portable(std::string_view name) {
    if (name.empty() || name.size() > 100 || name[0] == '.') return false;
    for (char c : name)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
    return true;
  }
  static std::string stem(const std::string& name, std::uint64_t h) {
    if (portable(name)) return name;
    const std::string slug = metaport::slugify(name, 80);
    static constexpr char hex[] = "0123456789abcdef";
    std::string tail(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) tail[static_cast<std::size_t>(i)] = hex[h & 0xF];
    return slug + "~" + tail;
  }
  static std::string folder_name(const std::string& volume) {
    std::string s = metaport::slugify(volume);
    return s.empty() ? "volume" : s;
  }
  std::string volume_ = "volume";
};

}  // namespace fs
