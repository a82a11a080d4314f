// Writing the JSON `juicefs dump` writes, byte for byte in its layout
// (pkg/meta/dump.go: writeJsonWithOutTree, writeJSON, dumpDir): the volume's
// sections indented as Go's json.MarshalIndent does, then the FSTree and the
// Trash, one entry per directory member, each directory's entries in name
// order, attributes and chunks compact as json.Marshal writes them.
//
// The engine hands the writer every entity in kind order (nodes by inode,
// entries by directory and name). The tree needs them depth first, and a
// volume of ten million inodes cannot be held: nodes and entries go to
// spill files with fixed-size indexes by inode (disk::SlotFile), and
// finish() walks the tree from them with positioned reads. Memory: the open
// directories' read positions; Quotas are few and are sorted in memory (Go
// orders a map's keys as strings).
//
// JuiceFS orders a directory's entries by their raw bytes, the store by their
// escaped text; the two differ once a name holds an escape ("%C1..." sorts
// before "docs", its raw bytes after). A directory with such names is
// re-sorted in the spill when its group closes: sorted runs of at most
// kRunEntries entries, merged if there are several, so memory stays bounded
// even for a directory of millions of non-UTF-8 names.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <queue>

#include "entities/fs/juicefs.hpp"
#include "metaport/format/json.hpp"
#include "metaport/secret.hpp"
#include "runtime/disk/slot_file.hpp"
#include "runtime/engine/spool.hpp"

namespace fs::juicefs {
namespace {

using metaport::Result;
using metaport::Status;
using metaport::Value;
using metaport::ok_status;
namespace format = metaport::format;

// Inode numbers the index holds: ordinary ones below 2^36, and the trash's
// folders (the trash inode and up) after them.
constexpr std::uint64_t kOrdinary = std::uint64_t{1} << 36;
constexpr std::uint64_t kTrashSlots = std::uint64_t{1} << 30;
constexpr std::size_t kRunEntries = 1 << 16;

Result<std::uint64_t> slot_of(std::int64_t inode) {
  if (inode >= 0 && static_cast<std::uint64_t>(inode) < kOrdinary) return static_cast<std::uint64_t>(inode);
  if (inode >= kTrashInode && static_cast<std::uint64_t>(inode - kTrashInode) < kTrashSlots)
    return kOrdinary + static_cast<std::uint64_t>(inode - kTrashInode);
  return metaport::make_error("inode " + std::to_string(inode) +
                              " is outside the numbers a JuiceFS volume uses (below 2^36, or the trash's)");
}

// A string as Go's encoding/json writes it: HTML characters and the two
// Unicode line separators escaped too.
void go_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '<': case '>': case '&':
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
        continue;
      default: break;
    }
    if (c < 0x20) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void go_scalar(std::string& out, const Value& v) {
  if (v.is_string()) go_string(out, v.as_string());
  else metaport::json::write(out, v);
}

// json.Marshal: compact.
void go_compact(std::string& out, const Value& v) {
  if (v.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [k, x] : v.as_object()) {
      if (!first) out += ',';
      first = false;
      go_string(out, k);
      out += ':';
      go_compact(out, x);
    }
    out += '}';
  } else if (v.is_array()) {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      go_compact(out, v.as_array()[i]);
    }
    out += ']';
  } else {
    go_scalar(out, v);
  }
}

// json.MarshalIndent(v, "", "  "), at an indentation depth.
void go_indent(std::string& out, const Value& v, int depth) {
  const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
  if (v.is_object()) {
    if (v.size() == 0) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& [k, x] : v.as_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + "  ";
      go_string(out, k);
      out += ": ";
      go_indent(out, x, depth + 1);
    }
    out += "\n" + pad + "}";
  } else if (v.is_array()) {
    if (v.size() == 0) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ",\n";
      out += pad + "  ";
      go_indent(out, v.as_array()[i], depth + 1);
    }
    out += "\n" + pad + "]";
  } else {
    go_scalar(out, v);
  }
}

struct Slot {
  std::uint64_t offset = 0;  // in the spill, + 1 (0: no such inode)
  std::uint32_t length = 0;  // bytes (nodes) or entries (directories)
  std::uint32_t mark = 0;    // directories: 1 once written
};
static_assert(sizeof(Slot) == 16);

class Writer : public format::DumpWriter {
 public:
  explicit Writer(std::unique_ptr<metaport::io::Output> out) : out_(std::move(out)) {}

  Status open() {
    auto n = metaport::disk::SlotFile::create(sizeof(Slot), kOrdinary + kTrashSlots, "the nodes of a JuiceFS dump");
    if (!n) return n.errors();
    nodes_index_ = std::move(*n);
    auto d = metaport::disk::SlotFile::create(sizeof(Slot), kOrdinary + kTrashSlots, "the directories of a JuiceFS dump");
    if (!d) return d.errors();
    dirs_index_ = std::move(*d);
    if (!nodes_.ok() || !entries_.ok() || !small_.ok())
      return metaport::make_error("cannot create a temporary file for the JuiceFS dump (is TMPDIR writable?)");
    return ok_status();
  }

  Status begin(const format::DumpHeader&) override { return ok_status(); }
  bool takes_json() const override { return true; }
  Status write(const metaport::Entity& e, const Value& doc) override {
    return take(e.kind->name, metaport::json::write(doc));
  }
  Status write_json(const metaport::KindInfo& kind, std::string_view doc) override { return take(kind.name, doc); }

  Status finish(const format::Counts&) override {
    if (auto s = close_group(); !s) return s;
    for (auto* spool : {&nodes_, &entries_, &small_})
      if (auto s = spool->flush(); !s) return s;
    std::string head = "{";
    if (auto s = sections(head); !s) return s;
    if (auto s = out_->write(head); !s) return s;
    // The volume's root; in a dump of a subtree (--subdir), the subtree's,
    // which comes first (as JuiceFS writes a subdirectory's dump).
    Slot root;
    if (auto s = node_slot(kRootInode, root); !s) return s;
    const std::int64_t top = root.offset ? kRootInode : first_node_;
    if (top == kNoNode) return metaport::make_error("the store has no root directory (inode 1): a JuiceFS dump starts there");
    if (auto s = tree(top, "FSTree"); !s) return s;
    Slot trash;
    if (auto s = node_slot(kTrashInode, trash); !s) return s;
    if (trash.offset && top == kRootInode) {
      if (auto s = out_->write(","); !s) return s;
      if (auto s = tree(kTrashInode, "Trash"); !s) return s;
    }
    if (auto s = out_->write("\n}\n"); !s) return s;
    if (written_ < nodes_seen_)
      std::fprintf(stderr,
                   "note: %llu inodes are in no directory reachable from the root or the trash (files held open by "
                   "a session, orphans): a JuiceFS dump has no place for them\n",
                   static_cast<unsigned long long>(nodes_seen_ - written_));
    return out_->close();
  }

 private:
  Status take(const std::string& kind, std::string_view doc) {
    if (kind == "Node") return take_node(doc);
    if (kind == "Entry") return take_entry(doc);
    // The volume's other records: few, written at the start of finish().
    std::string rec = kind;
    rec += '\0';
    rec.append(doc);
    std::uint32_t len = static_cast<std::uint32_t>(rec.size());
    std::string bytes(reinterpret_cast<const char*>(&len), 4);
    bytes += rec;
    auto off = small_.append(bytes);
    if (!off) return off.errors();
    return ok_status();
  }
  Status take_node(std::string_view doc) {
    // The inode, from {"attr":{"inode":N,... (the canonical order), else parsed.
    std::int64_t inode = 0;
    constexpr std::string_view head = "{\"attr\":{\"inode\":";
    if (doc.substr(0, head.size()) == head) {
      const char* p = doc.data() + head.size();
      const auto [end, ec] = std::from_chars(p, doc.data() + doc.size(), inode);
      if (ec != std::errc()) return metaport::make_error("a Node document without its inode");
    } else {
      auto v = metaport::json::parse(doc);
      const Value* a = v ? v->find("attr") : nullptr;
      const Value* i = a ? a->find("inode") : nullptr;
      if (!i || !i->is_int()) return metaport::make_error("a Node document without its inode");
      inode = i->as_int();
    }
    auto slot = slot_of(inode);
    if (!slot) return slot.errors();
    auto off = nodes_.append(doc);
    if (!off) return off.errors();
    Slot s{*off + 1, static_cast<std::uint32_t>(doc.size()), 0};
    if (first_node_ == kNoNode) first_node_ = inode;
    ++nodes_seen_;
    return nodes_index_->put(*slot, &s);
  }
  Status take_entry(std::string_view doc) {
    auto v = metaport::json::parse(doc);
    if (!v) return v.errors();
    const Value* parent = v->find("parent");
    const Value* name = v->find("name");
    const Value* inode = v->find("inode");
    if (!parent || !parent->is_int() || !name || !name->is_string() || !inode || !inode->is_int())
      return metaport::make_error("an Entry document without its parent, name and inode");
    // Entries come grouped by directory (the store's key order).
    if (group_open_ && parent->as_int() != group_parent_)
      if (auto s = close_group(); !s) return s;
    if (!group_open_) {
      group_open_ = true;
      group_parent_ = parent->as_int();
      group_start_ = entries_.size();
      group_count_ = 0;
      group_escaped_ = false;
    }
    if (name->as_string().find('%') != std::string::npos) group_escaped_ = true;
    std::string rec;
    const std::int64_t child = inode->as_int();
    const auto len = static_cast<std::uint32_t>(name->as_string().size());
    rec.append(reinterpret_cast<const char*>(&child), 8);
    rec.append(reinterpret_cast<const char*>(&len), 4);
    rec += name->as_string();
    auto off = entries_.append(rec);
    if (!off) return off.errors();
    ++group_count_;
    return ok_status();
  }
  Status close_group() {
    if (!group_open_) return ok_status();
    group_open_ = false;
    auto slot = slot_of(group_parent_);
    if (!slot) return slot.errors();
    Slot existing;
    if (auto s = dirs_index_->get(*slot, &existing); !s) return s;
    if (existing.offset)
      return metaport::make_error("the entries of directory " + std::to_string(group_parent_) +
                                  " do not come together (the store's scan order is broken)");
    if (group_escaped_)
      if (auto s = sort_group_by_raw_bytes(); !s) return s;
    Slot s{group_start_ + 1, group_count_, 0};
    return dirs_index_->put(*slot, &s);
  }

  // An entry record in the spill: [inode i64][name length u32][name].
  struct EntryReader {
    std::uint64_t next;
    std::uint32_t left;
    std::string buf;
    std::size_t pos = 0;
    // The next record (whole), or an empty string at the end.
    Result<std::string> take(const metaport::engine::Spool& spill) {
      if (left == 0) return std::string();
      auto need = [&](std::size_t n) -> Status {
        if (pos + n <= buf.size()) return ok_status();
        buf.erase(0, pos);
        pos = 0;
        const auto want = static_cast<std::uint32_t>(
            std::min<std::uint64_t>(spill.size() - next, std::max<std::size_t>(n, 1 << 16)));
        std::string more;
        if (auto s = spill.read(next, want, more); !s) return s;
        next += want;
        buf += more;
        if (buf.size() < n) return metaport::make_error("the JuiceFS dump's entry spill is truncated");
        return ok_status();
      };
      if (auto s = need(12); !s) return s.errors();
      std::uint32_t len = 0;
      std::memcpy(&len, buf.data() + pos + 8, 4);
      if (auto s = need(12 + std::size_t{len}); !s) return s.errors();
      std::string rec = buf.substr(pos, 12 + std::size_t{len});
      pos += rec.size();
      --left;
      return rec;
    }
  };
  static std::string raw_name(const std::string& rec) { return unescape_bytes(std::string_view(rec).substr(12)); }

  // The open group's entries again, in JuiceFS's order (raw bytes), appended
  // to the spill; the group then points at the sorted copy.
  Status sort_group_by_raw_bytes() {
    if (auto s = entries_.flush(); !s) return s;
    EntryReader in{group_start_, group_count_};
    struct Run {
      std::uint64_t start;
      std::uint32_t count;
    };
    std::vector<Run> runs;
    std::vector<std::pair<std::string, std::string>> batch;  // raw name, record
    auto spill_run = [&]() -> Status {
      std::sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      Run r{entries_.size(), static_cast<std::uint32_t>(batch.size())};
      for (const auto& [raw, rec] : batch)
        if (auto off = entries_.append(rec); !off) return off.errors();
      runs.push_back(r);
      batch.clear();
      return ok_status();
    };
    for (;;) {
      auto rec = in.take(entries_);
      if (!rec) return rec.errors();
      if (rec->empty()) break;
      std::string raw = raw_name(*rec);
      batch.emplace_back(std::move(raw), std::move(*rec));
      if (batch.size() == kRunEntries)
        if (auto s = spill_run(); !s) return s;
    }
    if (!batch.empty())
      if (auto s = spill_run(); !s) return s;
    if (runs.size() <= 1) {
      if (!runs.empty()) group_start_ = runs[0].start;
      return ok_status();
    }
    if (auto s = entries_.flush(); !s) return s;
    std::vector<EntryReader> readers;
    for (const auto& r : runs) readers.push_back(EntryReader{r.start, r.count});
    using Head = std::pair<std::string, std::size_t>;  // raw name, run
    std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
    std::vector<std::string> current(readers.size());
    auto advance = [&](std::size_t i) -> Status {
      auto rec = readers[i].take(entries_);
      if (!rec) return rec.errors();
      current[i] = std::move(*rec);
      if (!current[i].empty()) heads.emplace(raw_name(current[i]), i);
      return ok_status();
    };
    for (std::size_t i = 0; i < readers.size(); ++i)
      if (auto s = advance(i); !s) return s;
    const std::uint64_t merged = entries_.size();
    while (!heads.empty()) {
      const std::size_t i = heads.top().second;
      heads.pop();
      if (auto off = entries_.append(current[i]); !off) return off.errors();
      if (auto s = advance(i); !s) return s;
    }
    group_start_ = merged;
    return ok_status();
  }
  Status node_slot(std::int64_t inode, Slot& out) {
    auto slot = slot_of(inode);
    if (!slot) return slot.errors();
    return nodes_index_->get(*slot, &out);
  }
  Result<Value> node(std::int64_t inode) {
    Slot s;
    if (auto st = node_slot(inode, s); !st) return st.errors();
    if (!s.offset) return metaport::make_error("inode " + std::to_string(inode) + " has an entry but no node");
    std::string text;
    if (auto st = nodes_.read(s.offset - 1, s.length, text); !st) return st.errors();
    return metaport::json::parse(text);
  }

  // The sections before the tree, as writeJsonWithOutTree writes them.
  Status sections(std::string& out) {
    Value setting = Value::object(), counters;
    Value sustained = Value::array(), delfiles = Value::array(), changelog = Value::array();
    std::vector<std::pair<std::string, Value>> quotas, user_quotas, group_quotas;
    std::uint64_t pos = 0;
    std::string rec;
    while (pos < small_.size()) {
      std::string len_bytes;
      if (auto s = small_.read(pos, 4, len_bytes); !s) return s;
      std::uint32_t len = 0;
      std::memcpy(&len, len_bytes.data(), 4);
      if (auto s = small_.read(pos + 4, len, rec); !s) return s;
      pos += 4 + len;
      const auto zero = rec.find('\0');
      const std::string kind = rec.substr(0, zero);
      auto v = metaport::json::parse(std::string_view(rec).substr(zero + 1));
      if (!v) return v.errors();
      if (kind == "Setting") {
        for (const char* secret : {"SecretKey", "SessionToken", "EncryptKey"})
          if (Value* s = v->find(secret); s && s->is_string() && s->as_string() == metaport::kRedacted) *s = Value("removed");
        setting = std::move(*v);
      } else if (kind == "Counters") {
        counters = std::move(*v);
      } else if (kind == "Sustained") {
        sustained.push_back(std::move(*v));
      } else if (kind == "DelFile") {
        delfiles.push_back(std::move(*v));
      } else if (kind == "ChangeLog") {
        changelog.push_back(std::move(*v));
      } else if (kind == "Quota" || kind == "UserQuota" || kind == "GroupQuota") {
        const char* key = kind == "Quota" ? "inode" : kind == "UserQuota" ? "uid" : "gid";
        const Value* n = v->find(key);
        Value q = Value::object();
        for (auto& [k, x] : v->as_object())
          if (k != key) q.set(k, std::move(x));
        auto& list = kind == "Quota" ? quotas : kind == "UserQuota" ? user_quotas : group_quotas;
        list.emplace_back(n && n->is_int() ? std::to_string(n->as_int()) : "?", std::move(q));
      }
    }
    if (!counters.is_object()) {  // JuiceFS refuses a dump without them
      counters = Value::object();
      for (const char* k : {"usedSpace", "usedInodes", "nextInodes", "nextChunk", "nextSession", "nextTrash"}) counters.set(k, 0);
    }
    auto member = [&](const char* name, const Value& v) {
      out += "\n  ";
      go_string(out, name);
      out += ": ";
      go_indent(out, v, 1);
      out += ",";
    };
    auto map = [&](const char* name, std::vector<std::pair<std::string, Value>>& list) {
      if (list.empty()) return;  // omitempty
      std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      Value m = Value::object();
      for (auto& [k, q] : list) m.set(k, std::move(q));
      member(name, m);
    };
    member("Setting", setting);
    member("Counters", counters);
    member("Sustained", sustained);
    member("DelFiles", delfiles);
    map("Quotas", quotas);
    map("UserQuotas", user_quotas);
    map("GroupQuotas", group_quotas);
    if (changelog.size()) member("ChangeLog", changelog);
    return ok_status();
  }

  // One entry's head, as writeJSON / writeJsonWithOutEntry write it.
  static void entry_head(std::string& out, const std::string& name, const Value& node, int depth, bool directory) {
    const std::string pad(static_cast<std::size_t>(depth) * 2, ' '), fpad = pad + "  ";
    out += "\n" + pad + "\"" + name + "\": {";
    out += "\n" + fpad + "\"attr\": ";
    if (const Value* a = node.find("attr")) go_compact(out, *a);
    if (!directory)
      if (const Value* s = node.find("symlink"); s && s->is_string() && !s->as_string().empty())
        out += ",\n" + fpad + "\"symlink\": \"" + s->as_string() + "\"";
    if (const Value* x = node.find("xattrs"); x && x->is_array() && x->size()) {
      out += ",\n" + fpad + "\"xattrs\": ";
      go_compact(out, *x);
    }
    for (const char* acl : {"posix_acl_access", "posix_acl_default"})
      if (const Value* a = node.find(acl)) {
        out += ",\n" + fpad + "\"" + acl + "\": ";
        go_compact(out, *a);
      }
    if (directory) return;
    if (const Value* c = node.find("chunks"); c && c->is_array() && c->size()) {
      if (c->size() == 1) {
        out += ",\n" + fpad + "\"chunks\": ";
        go_compact(out, *c);
      } else {
        out += ",\n" + fpad + "\"chunks\": [";
        for (std::size_t i = 0; i < c->size(); ++i) {
          out += "\n" + fpad + "  ";
          go_compact(out, c->as_array()[i]);
          if (i + 1 != c->size()) out += ',';
        }
        out += "\n" + fpad + "]";
      }
    }
  }

  static bool is_directory(const Value& node) {
    const Value* a = node.find("attr");
    const Value* t = a ? a->find("type") : nullptr;
    return t && t->is_string() && t->as_string() == "directory";
  }

  // Depth first from `top`, with a stack of open directories (each reads
  // its entries from the spill a block at a time). Depths as JuiceFS counts
  // them: the top at 1, a directory's entries two deeper (2 spaces each).
  Status tree(std::int64_t top, const std::string& name) {
    struct Open {
      int depth;
      EntryReader in;  // the entries still to write, read ahead a block at a time
      bool first = true;
    };
    std::vector<Open> stack;
    std::string out;
    auto spaces = [](int depth) { return std::string(static_cast<std::size_t>(depth) * 2, ' '); };
    auto open_dir = [&](std::int64_t inode, const std::string& entry_name, const Value& node, int depth) -> Status {
      entry_head(out, entry_name, node, depth, true);
      out += ",\n" + spaces(depth + 1) + "\"entries\": {";
      auto slot = slot_of(inode);
      if (!slot) return slot.errors();
      Slot d;
      if (auto s = dirs_index_->get(*slot, &d); !s) return s;
      if (d.mark)
        return metaport::make_error("directory " + std::to_string(inode) +
                                    " is in two places (a cycle, or a hard-linked directory): a JuiceFS dump cannot say that");
      d.mark = 1;
      if (auto s = dirs_index_->put(*slot, &d); !s) return s;
      stack.push_back(Open{depth, EntryReader{d.offset ? d.offset - 1 : 0, d.offset ? d.length : 0}});
      ++written_;
      return ok_status();
    };
    auto root = node(top);
    if (!root) return root.errors();
    if (auto s = open_dir(top, name, *root, 1); !s) return s;
    while (!stack.empty()) {
      Open& o = stack.back();
      auto rec = o.in.take(entries_);
      if (!rec) return rec.errors();
      if (rec->empty()) {
        out += "\n" + spaces(o.depth + 1) + "}\n" + spaces(o.depth) + "}";
        stack.pop_back();
        continue;
      }
      std::int64_t child = 0;
      std::memcpy(&child, rec->data(), 8);
      const std::string child_name = rec->substr(12);
      if (!o.first) out += ',';
      o.first = false;
      const int depth = o.depth + 2;  // (o may move when the stack grows)
      auto n = node(child);
      if (!n) return n.errors();
      if (is_directory(*n)) {
        if (auto s = open_dir(child, child_name, *n, depth); !s) return s;
      } else {
        entry_head(out, child_name, *n, depth, false);
        out += "\n" + spaces(depth) + "}";
        // A file with several names counts once.
        const Value* a = n->find("attr");
        const Value* nlink = a ? a->find("nlink") : nullptr;
        if (nlink && nlink->is_int() && nlink->as_int() > 1) {
          auto slot = slot_of(child);
          if (!slot) return slot.errors();
          Slot ns;
          if (auto s = nodes_index_->get(*slot, &ns); !s) return s;
          if (!ns.mark) {
            ns.mark = 1;
            if (auto s = nodes_index_->put(*slot, &ns); !s) return s;
            ++written_;
          }
        } else {
          ++written_;
        }
      }
      if (out.size() >= (1 << 16)) {
        if (auto s = out_->write(out); !s) return s;
        out.clear();
      }
    }
    return out_->write(out);
  }

  std::unique_ptr<metaport::io::Output> out_;
  metaport::engine::Spool nodes_, entries_, small_;
  std::unique_ptr<metaport::disk::SlotFile> nodes_index_, dirs_index_;
  bool group_open_ = false;
  std::int64_t group_parent_ = 0;
  std::uint64_t group_start_ = 0;
  std::uint32_t group_count_ = 0;
  bool group_escaped_ = false;
  std::uint64_t nodes_seen_ = 0, written_ = 0;
  static constexpr std::int64_t kNoNode = -1;
  std::int64_t first_node_ = kNoNode;
};

}  // namespace

Result<std::unique_ptr<format::DumpWriter>> make_writer(const std::string& out_path) {
  auto out = metaport::io::open_output(out_path);
  if (!out) return out.errors();
  auto w = std::make_unique<Writer>(std::move(*out));
  if (auto s = w->open(); !s) return s.errors();
  return std::unique_ptr<format::DumpWriter>(std::move(w));
}

}  // namespace fs::juicefs
