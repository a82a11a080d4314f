// Reading the JSON `juicefs dump` writes (JuiceFS's pkg/meta/dump.go), as a
// stream of fs records, without ever holding the tree: the FSTree is one
// nested object, read entry by entry with JsonScanner; memory holds the path
// of open directories. Each entry becomes a Node (its attr, symlink, xattrs,
// ACLs and chunks, under the same member names) and an Entry (directory,
// name, inode); the volume's other sections their own records.
//
// As JuiceFS's own load does: the FSTree's root is inode 1 whatever its
// number (a dump of a subdirectory loads as a volume's root), a hard-linked
// file appears under each of its names with the same attributes and becomes
// one Node, and "removed" secrets (JuiceFS's redaction) are unknown values.
// Beyond what JuiceFS checks, two entries for one inode that disagree and a
// directory inside itself are errors, with the JSON paths of both places.
#include "entities/fs/juicefs.hpp"

#include <deque>

#include "metaport/format/json.hpp"
#include "metaport/secret.hpp"
#include "runtime/disk/scratch_db.hpp"
#include "runtime/format/json_scanner.hpp"

namespace fs::juicefs {
namespace {

using metaport::Error;
using metaport::Errors;
using metaport::Mark;
using metaport::Result;
using metaport::Status;
using metaport::Value;
using metaport::ok_status;
namespace format = metaport::format;

bool identifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// `.name` or `["name"]`: a member of a path, as the example writes it.
std::string member(std::string_view name) {
  if (identifier(name)) return "." + std::string(name);
  std::string out = "[";
  metaport::json::write_string(out, name);
  return out + "]";
}

class Reader : public format::DumpReader {
 public:
  explicit Reader(std::unique_ptr<metaport::io::Input> in) : in_(std::move(in)), scan_(*in_) {
    header_.schema = "fs";
    header_.version = 1;
    header_.from_metaport = false;
    // JuiceFS redacts its secrets itself ("removed"); one in clear was asked for.
    header_.secrets_kept = true;
  }

  Status open() {
    auto c = scan_.peek();
    if (!c) return c.errors();
    return scan_.expect('{', "'{' (a JuiceFS dump is one JSON object)");
  }

  const format::DumpHeader& header() const override { return header_; }

  bool next_raw(format::RawRecord& raw, Errors& errors) override {
    while (queue_.empty()) {
      if (done_) return false;
      Status s = step(errors);
      if (!s) {  // the structure itself is broken: nothing after it can be read
        for (const auto& e : s.errors().list()) errors.add(e);
        done_ = true;
        return false;
      }
    }
    raw = std::move(queue_.front());
    queue_.pop_front();
    return true;
  }

  format::Parsed parse(format::RawRecord& raw, format::Record& r, Errors&) const override {
    r.kind = std::move(raw.kind);
    r.doc = std::move(raw.doc);
    r.origin = metaport::Origin{raw.path, raw.at, std::move(raw.where)};
    return format::Parsed::record;
  }

  Status finish() override { return ok_status(); }

 private:
  struct Frame {  // an open "entries" object
    std::int64_t inode;
    std::string where;
    bool first = true;
  };

  void emit(std::string kind, Value doc, Mark at, std::string where) {
    format::RawRecord r;
    r.kind = std::move(kind);
    r.doc = std::move(doc);
    r.path = scan_.name();
    r.at = at;
    r.where = std::move(where);
    queue_.push_back(std::move(r));
  }
  Error error_at(Mark at, const std::string& where, std::string message) const {
    return Error{std::move(message), where, at, scan_.name(), {}};
  }

  // One step: a top-level member, or one entry of the innermost directory.
  Status step(Errors& errors) {
    if (!stack_.empty()) return step_entries(errors);
    auto c = scan_.peek();
    if (!c) return c.errors();
    if (*c == '}') {
      (void)scan_.expect('}', "'}'");
      done_ = true;
      if (auto s = scan_.end(); !s) return s;
      if (!saw_counters_) errors.add(scan_.error("a JuiceFS dump needs its Counters (juicefs load refuses one without)"));
      return ok_status();
    }
    if (!top_first_)
      if (auto s = scan_.expect(',', "',' or '}' after a member of the dump"); !s) return s;
    top_first_ = false;
    std::string name;
    if (auto s = scan_.string(name); !s) return s;
    if (auto s = scan_.expect(':', "':' after \"" + name + "\""); !s) return s;
    if (name == "FSTree" || name == "Trash") return entry(0, name, name, name == "Trash", errors);
    const Mark at = scan_.mark();
    if (name == "Setting" || name == "Counters") {
      auto v = scan_.value();
      if (!v) return v.errors();
      if (name == "Setting") {
        for (const char* secret : {"SecretKey", "SessionToken", "EncryptKey"})
          if (Value* s = v->find(secret); s && s->is_string() && s->as_string() == "removed") *s = Value(metaport::kRedacted);
      } else {
        saw_counters_ = true;
      }
      emit(name, std::move(*v), at, name);
      return ok_status();
    }
    if (name == "Sustained" || name == "DelFiles" || name == "ChangeLog") {
      auto v = scan_.value();
      if (!v) return v.errors();
      if (v->is_null()) return ok_status();
      if (!v->is_array()) {
        errors.add(error_at(at, name, name + " is a list"));
        return ok_status();
      }
      const std::string kind = name == "DelFiles" ? "DelFile" : name;
      std::size_t i = 0;
      for (auto& item : v->as_array()) emit(kind, std::move(item), at, name + "[" + std::to_string(i++) + "]");
      return ok_status();
    }
    if (name == "Quotas" || name == "UserQuotas" || name == "GroupQuotas") {
      auto v = scan_.value();
      if (!v) return v.errors();
      if (v->is_null()) return ok_status();
      if (!v->is_object()) {
        errors.add(error_at(at, name, name + " maps numbers to quotas"));
        return ok_status();
      }
      const std::string kind = name == "Quotas" ? "Quota" : name == "UserQuotas" ? "UserQuota" : "GroupQuota";
      const char* key = name == "Quotas" ? "inode" : name == "UserQuotas" ? "uid" : "gid";
      for (auto& [number, q] : v->as_object()) {
        const std::string where = name + member(number);
        std::int64_t n = 0;
        const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
        if (ec != std::errc() || end != number.data() + number.size() || number.empty()) {
          errors.add(error_at(at, where, "'" + number + "' is not a number"));
          continue;
        }
        Value doc = Value::object();
        doc.set(key, n);
        if (q.is_object())
          for (auto& [k, x] : q.as_object()) doc.set(k, std::move(x));
        else
          doc = q;  // not an object: decoding says so
        emit(kind, std::move(doc), at, where);
      }
      return ok_status();
    }
    errors.add(error_at(at, name, "not a member of a JuiceFS dump (Setting, Counters, Sustained, DelFiles, Quotas, "
                                  "UserQuotas, GroupQuotas, ChangeLog, FSTree, Trash)"));
    return scan_.skip_value();
  }

  Status step_entries(Errors& errors) {
    Frame& f = stack_.back();
    auto c = scan_.peek();
    if (!c) return c.errors();
    if (*c == '}') {  // the directory's entries end; so must its entry
      (void)scan_.expect('}', "'}'");
      auto after = scan_.peek();
      if (!after) return after.errors();
      if (*after == ',')
        return scan_.error("'entries' is the last member of an entry (as juicefs dump writes it), in " + f.where);
      if (auto s = scan_.expect('}', "'}' closing " + f.where); !s) return s;
      stack_.pop_back();
      return ok_status();
    }
    if (!f.first)
      if (auto s = scan_.expect(',', "',' or '}' between the entries of " + f.where); !s) return s;
    f.first = false;
    std::string name;
    if (auto s = scan_.string(name); !s) return s;
    if (auto s = scan_.expect(':', "':' after an entry's name"); !s) return s;
    const std::int64_t parent = f.inode;
    const std::string where = f.where + ".entries" + member(name);
    return entry(parent, name, where, false, errors);
  }

  // An entry object: its members up to "entries" (or its end), then its records.
  Status entry(std::int64_t parent, const std::string& name, const std::string& where, bool trash, Errors& errors) {
    const bool root = parent == 0;
    auto c = scan_.peek();
    if (!c) return c.errors();
    const Mark at = scan_.mark();
    if (auto s = scan_.expect('{', "'{' opening " + where); !s) return s;
    Value node = Value::object();
    bool has_entries = false, first = true;
    for (;;) {
      auto d = scan_.peek();
      if (!d) return d.errors();
      if (*d == '}') {
        (void)scan_.expect('}', "'}'");
        break;
      }
      if (!first)
        if (auto s = scan_.expect(',', "',' or '}' between the members of " + where); !s) return s;
      first = false;
      std::string key;
      if (auto s = scan_.string(key); !s) return s;
      if (auto s = scan_.expect(':', "':' after \"" + key + "\""); !s) return s;
      if (key == "entries") {
        has_entries = true;
        break;
      }
      auto v = scan_.value();
      if (!v) return v.errors();
      node.set(key, std::move(*v));
    }
    // The inode number is needed to place the children: without one the
    // whole subtree is unreadable.
    Value* attr = node.find("attr");
    Value* inode_v = attr && attr->is_object() ? attr->find("inode") : nullptr;
    if (!inode_v || !inode_v->is_int()) {
      errors.add(error_at(at, where + (attr ? ".attr.inode" : ".attr"),
                          attr ? "an entry's attr needs its inode number" : "an entry needs its attr (with its inode number)"));
      return has_entries ? skip_entries(where) : ok_status();
    }
    std::int64_t inode = inode_v->as_int();
    if (root && !trash && inode != kRootInode) {  // a subdirectory's dump: its top is the root
      *inode_v = Value(kRootInode);
      inode = kRootInode;
    }
    const Value* type_v = attr->find("type");
    const bool directory = type_v && type_v->is_string() && type_v->as_string() == "directory";
    if (directory) {
      for (const auto& f : stack_)
        if (f.inode == inode) {
          errors.add(error_at(at, where, "a directory cycle: this is inode " + std::to_string(inode) +
                                             ", the directory " + f.where + " that contains it"));
          return has_entries ? skip_entries(where) : ok_status();
        }
    }
    bool emit_node = true;
    const Value* nlink_v = attr->find("nlink");
    if (!directory && nlink_v && nlink_v->is_int() && nlink_v->as_int() > 1) {
      auto seen = hard_link(inode, node, where, at, errors);
      if (!seen) return seen.errors();
      emit_node = !*seen;
    }
    if (emit_node) emit("Node", std::move(node), at, where);
    if (!root) {
      Value e = Value::object();
      e.set("parent", parent);
      e.set("name", name);
      e.set("inode", inode);
      emit("Entry", std::move(e), at, where);
    }
    if (!has_entries) return ok_status();
    if (!directory) {
      errors.add(error_at(at, where + ".entries", "only a directory has entries"));
      return skip_entries(where);
    }
    if (auto s = scan_.expect('{', "'{' opening " + where + ".entries"); !s) return s;
    stack_.push_back(Frame{inode, where});
    return ok_status();
  }

  // Skips an entry's "entries" value and the end of the entry.
  Status skip_entries(const std::string& where) {
    if (auto s = scan_.skip_value(); !s) return s;
    auto after = scan_.peek();
    if (!after) return after.errors();
    if (*after == ',') return scan_.error("'entries' is the last member of an entry (as juicefs dump writes it), in " + where);
    return scan_.expect('}', "'}' closing " + where);
  }

  // A file with several names: the first one is kept (in a scratch table,
  // not in memory); the others must agree with it. True if seen before.
  Result<bool> hard_link(std::int64_t inode, const Value& node, const std::string& where, Mark at, Errors& errors) {
    if (!links_) {
      auto db = metaport::disk::ScratchDb::open("the hard links of a JuiceFS dump", 4);
      if (!db) return db.errors();
      links_ = std::move(*db);
      if (auto s = links_->exec("CREATE TABLE link(inode INTEGER PRIMARY KEY, doc TEXT NOT NULL, place TEXT NOT NULL)"); !s)
        return s.errors();
    }
    const std::string doc = metaport::json::write(node);
    auto& find = links_->stmt("SELECT doc, place FROM link WHERE inode = ?1");
    find.bind(1, inode);
    auto row = find.step();
    if (!row) return row.errors();
    if (*row) {
      const std::string first(find.text_at(0)), place(find.text_at(1));
      find.reset();
      if (first != doc) {
        std::string what;
        auto before = metaport::json::parse(first);
        if (before && before->is_object())
          for (const auto& [k, v] : node.as_object()) {
            const Value* b = before->find(k);
            if (!b || !(*b == v)) {
              what = " (" + k + " differs)";
              break;
            }
          }
        errors.add(error_at(at, where, "two entries for inode " + std::to_string(inode) + " disagree" + what +
                                           ": this one and " + place));
      }
      return true;
    }
    find.reset();
    auto& ins = links_->stmt("INSERT INTO link(inode, doc, place) VALUES(?1, ?2, ?3)");
    ins.bind(1, inode).bind(2, doc).bind(3, where);
    if (auto s = ins.run(); !s) return s.errors();
    return false;
  }

  std::unique_ptr<metaport::io::Input> in_;
  format::JsonScanner scan_;
  format::DumpHeader header_;
  std::deque<format::RawRecord> queue_;
  std::vector<Frame> stack_;
  std::unique_ptr<metaport::disk::ScratchDb> links_;
  bool top_first_ = true, done_ = false, saw_counters_ = false;
};

}  // namespace

bool sniff(std::string_view head) {
  // {"Setting": ... (or any first member of a dump), never {"metaport": ...
  std::size_t i = 0;
  auto blank = [&] { while (i < head.size() && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) ++i; };
  blank();
  if (i >= head.size() || head[i] != '{') return false;
  ++i;
  blank();
  for (std::string_view first : {"\"Setting\"", "\"Counters\"", "\"FSTree\""})
    if (head.substr(i, first.size()) == first) return true;
  return false;
}

Result<std::unique_ptr<format::DumpReader>> open_reader(std::unique_ptr<metaport::io::Input> in) {
  auto r = std::make_unique<Reader>(std::move(in));
  if (auto s = r->open(); !s) return s.errors();
  return std::unique_ptr<format::DumpReader>(std::move(r));
}

}  // namespace fs::juicefs
