// schema.lock: the committed, reviewable changelog of a schema. One section
// per version with every kind, member and type (and a fingerprint), and
// between sections the upgrade steps registered for that transition:
//
//   schema bi
//   version 1
//   fingerprint 3f0c...
//   kind Card since 1 key entity_id closed
//     dataset?: bool
//   upgrade 1 -> 2
//     Card: dataset -> type (converted)
//   version 2
//   ...
//
// The generator keeps the sections of past versions as committed, writes the
// current one from the structs, and checks (NAME.lockcheck.txt, turned into a
// test by the macro) that a struct change came with a version bump and that
// every kind that changed between two versions has an upgrade step. The
// runtime reads it too (`schema --lock`, and migrate rebuilds an older
// version's layout from it): in the core, so nothing in the runtime points
// back into codegen/.
#pragma once
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "metaport/schema.hpp"

namespace metaport::schema_lock {

inline std::string key_shape_name(KeyShape k) {
  switch (k) {
    case KeyShape::entity_id: return "entity_id";
    case KeyShape::name: return "name";
    case KeyShape::path: return "path";
    case KeyShape::integer: return "integer";
  }
  return "?";
}

namespace detail {
// The members of nested structs, one line each, named by their path from the
// kind: `columns[].data_type: string`, `details.password?: secret<string>`,
// `auth_info{}` for a map's values. Indented deeper than top-level members so
// that readers of a past version's tables (schema_at_version) can skip them.
// An open struct gets a `PATH.*: open` line (it keeps members it does not
// declare). Anything stored or dumped is on some line, so any change to it
// changes the lock.
inline void nested_lines(const TypeDesc& t, const std::string& path, std::string& out) {
  switch (t.tag) {
    case TypeDesc::Tag::Struct:
      if (t.open) out += "    " + path + ".*: open\n";
      for (const auto& f : t.fields) {
        const std::string p = path + "." + f.name;
        out += "    " + p + (f.optional ? "?" : "") + ": " + f.type.str() + "\n";
        nested_lines(f.type, p, out);
      }
      break;
    case TypeDesc::Tag::List: nested_lines(*t.elem, path + "[]", out); break;
    case TypeDesc::Tag::Map: nested_lines(*t.elem, path + "{}", out); break;
    default: break;
  }
}
}  // namespace detail

// The shape of a schema, one line per kind, per member and per nested member.
inline std::string shape_text(const SchemaInfo& s) {
  std::string out;
  for (const auto& k : s.kinds) {
    out += "kind " + k->name + " since " + std::to_string(k->since) + " key " + key_shape_name(k->key_shape);
    if (k->key_shape == KeyShape::path)
      out += "[" + std::to_string(k->key_min) + ".." + (k->key_max > 1000 ? std::string("") : std::to_string(k->key_max)) + "]";
    out += k->open ? " open" : " closed";
    if (!k->dumped) out += " store-only";
    for (const auto& c : k->carried) out += " carries " + c;
    out += "\n";
    for (const auto& f : k->fields) {
      out += "  " + f.name + (f.optional ? "?" : "") + ": " + f.type.str() + "\n";
      detail::nested_lines(f.type, f.name, out);
    }
  }
  return out;
}

inline std::string fingerprint(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) { h ^= c; h *= 1099511628211ull; }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// A lock parsed: per version, the shape lines (fingerprint excluded).
struct LockHistory {
  std::string schema;
  std::map<int, std::string> shapes;  // version -> shape_text
};

inline LockHistory parse_lock(const std::string& text) {
  LockHistory h;
  std::istringstream in(text);
  std::string line;
  int current = -1;
  bool in_upgrade = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("schema ", 0) == 0) { h.schema = line.substr(7); continue; }
    if (line.rfind("version ", 0) == 0) {
      current = std::stoi(line.substr(8));
      h.shapes[current];
      in_upgrade = false;
      continue;
    }
    if (line.rfind("upgrade ", 0) == 0) { in_upgrade = true; continue; }
    if (line.rfind("fingerprint ", 0) == 0) continue;
    if (in_upgrade || current < 0) continue;
    h.shapes[current] += line + "\n";
  }
  return h;
}

inline std::string section_text(int version, const std::string& shape) {
  return "version " + std::to_string(version) + "\nfingerprint " + fingerprint(shape) + "\n" + shape;
}

inline std::string upgrade_text(const SchemaInfo& s, int from) {
  std::string out = "upgrade " + std::to_string(from) + " -> " + std::to_string(from + 1) + "\n";
  for (const auto& step : s.upgrades)
    if (step.from == from) out += "  " + step.name + "\n";
  return out;
}

// The command that rewrites a schema's committed lock from its structs. The
// metaport_schema macro passes `bazel run //PKG:NAME_update_lock`, which works
// even while the stale lock keeps the schema's binary from building.
inline std::string default_regenerate_command(const SchemaInfo& s) {
  return "./metaport " + s.name + " schema --lock > PATH/schema.lock";
}

// The whole lock: past sections as committed, the current one from the structs.
inline std::string lock_text(const SchemaInfo& s, const LockHistory& committed = {},
                             std::string regenerate_command = {}) {
  if (regenerate_command.empty()) regenerate_command = default_regenerate_command(s);
  std::string out;
  out += "# metaport schema lock: the changelog of schema " + s.name + ". Generated; commit it.\n";
  out += "# A struct change needs a version bump and an upgrade step for each changed kind;\n";
  out += "# then regenerate this file: " + regenerate_command + "\n";
  out += "schema " + s.name + "\n";
  std::map<int, std::string> sections;  // past versions as committed, then the current one
  for (const auto& [v, shape] : committed.shapes)
    if (v < s.version) sections[v] = shape;
  sections[s.version] = shape_text(s);
  int prev = -1;
  for (const auto& [v, shape] : sections) {
    if (prev >= 0 && prev >= s.oldest_version) out += upgrade_text(s, prev);
    out += section_text(v, shape);
    prev = v;
  }
  return out;
}
namespace detail {
// kind name -> its lines (header + members)
inline std::map<std::string, std::vector<std::string>> kinds_of(const std::string& shape) {
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream in(shape);
  std::string line, kind;
  while (std::getline(in, line)) {
    if (line.rfind("kind ", 0) == 0) {
      kind = line.substr(5, line.find(' ', 5) - 5);
      out[kind].push_back(line);
    } else if (!kind.empty()) {
      out[kind].push_back(line);
    }
  }
  return out;
}
// One member line of a shape, split: "  columns[].data_type?: string" ->
// {"columns[].data_type", "?: string"}.
inline std::pair<std::string, std::string> member_of(const std::string& line) {
  const std::size_t b = line.find_first_not_of(' ');
  const std::size_t colon = line.find(": ", b);
  if (b == std::string::npos || colon == std::string::npos) return {line, ""};
  std::string path = line.substr(b, colon - b), decl = line.substr(colon);
  if (!path.empty() && path.back() == '?') { path.pop_back(); decl = "?" + decl; }
  return {path, decl};
}
// What changed in each kind between two shapes, one line per member path,
// named from the kind: "- Table.columns[].data_type: string" (removed),
// "+ Table.columns[].type: string" (added), "~ Card.display: enum(a|b) ->
// enum(a|b|c)" (changed), and a hint when a removal and an addition of the
// same type under the same parent look like a rename.
inline std::map<std::string, std::vector<std::string>> changes(const std::string& a, const std::string& b) {
  auto ka = kinds_of(a), kb = kinds_of(b);
  std::map<std::string, std::vector<std::string>> out;
  auto members = [](const std::vector<std::string>& lines) {
    std::vector<std::pair<std::string, std::string>> m;  // in order
    for (std::size_t i = 1; i < lines.size(); ++i) m.push_back(member_of(lines[i]));
    return m;
  };
  auto parent_of = [](const std::string& path) {
    const std::size_t cut = path.find_last_of(".");
    return cut == std::string::npos ? std::string() : path.substr(0, cut);
  };
  for (const auto& [k, lines] : ka) {
    auto it = kb.find(k);
    if (it == kb.end()) { out[k].push_back("kind removed"); continue; }
    auto& o = out[k];
    if (lines.front() != it->second.front()) o.push_back("~ " + lines.front() + " -> " + it->second.front());
    const auto ma = members(lines), mb = members(it->second);
    std::map<std::string, std::string> da(ma.begin(), ma.end()), db(mb.begin(), mb.end());
    std::vector<std::pair<std::string, std::string>> removed, added;
    for (const auto& [path, decl] : ma) {
      auto n = db.find(path);
      if (n == db.end()) removed.emplace_back(path, decl);
      else if (n->second != decl) o.push_back("~ " + k + "." + path + decl + " -> " + n->second.substr(n->second.find(": ") + 2));
    }
    for (const auto& [path, decl] : mb)
      if (!da.count(path)) added.emplace_back(path, decl);
    for (const auto& [path, decl] : removed) o.push_back("- " + k + "." + path + decl);
    for (const auto& [path, decl] : added) o.push_back("+ " + k + "." + path + decl);
    for (const auto& [rp, rd] : removed)
      for (const auto& [ap, ad] : added)
        if (rd == ad && parent_of(rp) == parent_of(ap) && rp.find(".*") == std::string::npos)
          o.push_back("  (a rename? rename_field(FROM, \"" + k + "\", \"" + rp + "\", \"" + ap + "\"))");
    if (o.empty()) out.erase(k);
  }
  for (const auto& [k, lines] : kb)
    if (!ka.count(k)) out[k].push_back("kind added");
  return out;
}
}  // namespace detail

// Problems with the committed lock; empty when it is in step with the structs.
inline std::vector<std::string> check_lock(const SchemaInfo& s, const std::string& committed_text,
                                           std::string regenerate_command = {}) {
  if (regenerate_command.empty()) regenerate_command = default_regenerate_command(s);
  std::vector<std::string> problems;
  const LockHistory committed = parse_lock(committed_text);
  const std::string now = shape_text(s);
  const std::string regenerate = "regenerate the lock: " + regenerate_command;
  auto it = committed.shapes.find(s.version);
  if (it != committed.shapes.end() && it->second != now) {
    std::string msg = "the " + s.name + " entity structs changed, but the schema version is still " + std::to_string(s.version) + ":";
    for (const auto& [k, lines] : detail::changes(it->second, now))
      for (const auto& l : lines) msg += "\n    " + (l.rfind("kind ", 0) == 0 ? k + ": " + l : l);
    msg += "\n  to ship this change: bump the version to " + std::to_string(s.version + 1) +
           ", register an upgrade step from version " + std::to_string(s.version) +
           " for each changed kind (docs/changing-your-schema.md), then " + regenerate;
    problems.push_back(msg);
    return problems;  // the checks below would only repeat it
  }
  // Every transition between kept versions needs a step for each changed kind.
  std::map<int, std::string> shapes = committed.shapes;
  shapes[s.version] = now;
  for (auto a = shapes.begin(); a != shapes.end(); ++a) {
    auto b = std::next(a);
    if (b == shapes.end()) break;
    if (a->first < s.oldest_version) continue;
    for (const auto& [k, lines] : detail::changes(a->second, b->second)) {
      bool covered = false;
      for (const auto& step : s.upgrades)
        if (step.from == a->first && (step.kind.empty() || step.kind == k)) covered = true;
      if (lines.size() == 1 && lines[0] == "kind added") covered = true;  // nothing old to convert
      if (covered) continue;
      std::string msg = "kind " + k + " changed from version " + std::to_string(a->first) + " to " + std::to_string(b->first) +
                        " but no upgrade step from version " + std::to_string(a->first) + " is registered for it:";
      for (const auto& l : lines) msg += "\n    " + l;
      msg += "\n  register one in upgrade_steps() (rename_field, add_field, add_optional_field, map_field, drop_field, or your own function; nested members by path, e.g. \"columns[].data_type\")";
      problems.push_back(msg);
    }
  }
  if (committed_text != lock_text(s, committed, regenerate_command))
    problems.push_back(it == committed.shapes.end()
                           ? "version " + std::to_string(s.version) + " is not in the committed lock yet: " + regenerate
                           : "the committed lock is out of date (the upgrade steps or the header changed): " + regenerate);
  return problems;
}

}  // namespace metaport::schema_lock

namespace metaport::schema_lock {

// ---- reading a past version's shape back (for `migrate`) ---------------------------
namespace detail {
inline bool ends_outside(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size() || s.compare(s.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
  int depth = 0;
  for (std::size_t i = 0; i + suffix.size() < s.size(); ++i) {
    if (s[i] == '<' || s[i] == '(') ++depth;
    if (s[i] == '>' || s[i] == ')') --depth;
  }
  return depth == 0;
}
inline bool wrapped(const std::string& s, const std::string& head, std::string& inner) {
  if (s.rfind(head, 0) != 0 || s.back() != '>') return false;
  inner = s.substr(head.size(), s.size() - head.size() - 1);
  return true;
}
}  // namespace detail

// The inverse of TypeDesc::str(). A struct comes back by name only; its
// members are on the nested lines that follow (detail::add_nested_member).
inline std::optional<TypeDesc> parse_type(std::string s) {
  TypeDesc t;
  if (detail::ends_outside(s, "|null")) {
    t.nullable = true;
    s.resize(s.size() - 5);
  }
  std::string inner;
  if (detail::wrapped(s, "derived<", inner)) { t.derived = true; s = inner; }
  if (detail::wrapped(s, "secret<", inner)) { t.secret = true; s = inner; }
  using Tag = TypeDesc::Tag;
  if (s == "bool") t.tag = Tag::Bool;
  else if (s == "int") t.tag = Tag::Int;
  else if (s == "double") t.tag = Tag::Double;
  else if (s == "string") t.tag = Tag::String;
  else if (s == "entity_id") t.tag = Tag::EntityId;
  else if (s == "timestamp") t.tag = Tag::Timestamp;
  else if (s == "anyref") t.tag = Tag::AnyRef;
  else if (s == "document") t.tag = Tag::Document;
  else if (s.rfind("enum(", 0) == 0 && s.back() == ')') {
    t.tag = Tag::Enum;
    std::string body = s.substr(5, s.size() - 6);
    std::size_t start = 0;
    while (start <= body.size()) {
      std::size_t bar = body.find('|', start);
      if (bar == std::string::npos) bar = body.size();
      t.enum_values.push_back(body.substr(start, bar - start));
      start = bar + 1;
    }
  } else if (detail::wrapped(s, "ref<", inner)) {
    t.tag = Tag::Ref;
    t.ref_kind = inner;
  } else if (detail::wrapped(s, "parent<", inner)) {
    t.tag = Tag::Ref;
    t.parent = true;
    t.ref_kind = inner;
  } else if (detail::wrapped(s, "list<", inner) || detail::wrapped(s, "map<", inner)) {
    t.tag = s[0] == 'l' ? Tag::List : Tag::Map;
    auto e = parse_type(inner);
    if (!e) return std::nullopt;
    t.elem = std::make_shared<TypeDesc>(std::move(*e));
  } else if (!s.empty() && s.find_first_of("<>()| ") == std::string::npos) {
    t.tag = Tag::Struct;
    t.struct_name = s;
  } else {
    return std::nullopt;
  }
  return t;
}

namespace detail {
// "columns[].data_type?: string" under kind k: finds columns' element struct
// and adds the member; "details.*: open" marks the struct open.
inline Status add_nested_member(KindInfo& k, const std::string& line) {
  const auto bad = [&](const std::string& why) {
    return make_error("schema.lock: kind " + k.name + ": cannot read the nested member line '" + line + "': " + why);
  };
  const std::size_t colon = line.find(": ");
  if (colon == std::string::npos) return bad("no ': '");
  std::string path = line.substr(0, colon);
  bool optional = false;
  if (!path.empty() && path.back() == '?') { optional = true; path.pop_back(); }
  // Tokens: member names, "[]" and "{}".
  std::vector<std::string> tokens;
  std::string name;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '.') {
      if (!name.empty()) tokens.push_back(std::move(name));
      name.clear();
    } else if ((c == '[' || c == '{') && i + 1 < path.size() && path[i + 1] == (c == '[' ? ']' : '}')) {
      if (!name.empty()) tokens.push_back(std::move(name));
      name.clear();
      tokens.push_back(c == '[' ? "[]" : "{}");
      ++i;
    } else {
      name += c;
    }
  }
  if (!name.empty()) tokens.push_back(std::move(name));
  if (tokens.size() < 2) return bad("not a nested path");
  FieldDesc* top = nullptr;
  for (auto& f : k.fields)
    if (f.name == tokens[0]) top = &f;
  if (!top) return bad("no member '" + tokens[0] + "' above it");
  TypeDesc* t = &top->type;
  for (std::size_t i = 1; i + 1 < tokens.size(); ++i) {
    if (tokens[i] == "[]" || tokens[i] == "{}") {
      if (!t->elem) return bad("'" + tokens[i] + "' on a member that is not a list or map");
      t = t->elem.get();
      continue;
    }
    TypeDesc* next = nullptr;
    for (auto& f : t->fields)
      if (f.name == tokens[i]) next = &f.type;
    if (!next) return bad("no member '" + tokens[i] + "' above it");
    t = next;
  }
  if (t->tag != TypeDesc::Tag::Struct) return bad("its container is not a struct");
  const std::string type_text = line.substr(colon + 2);
  if (tokens.back() == "*") {
    if (type_text != "open") return bad("'*' is followed by 'open'");
    t->open = true;
    return ok_status();
  }
  auto type = parse_type(type_text);
  if (!type) return bad("unknown type '" + type_text + "'");
  FieldDesc f;
  f.name = tokens.back();
  f.cpp_name = f.name;
  f.optional = optional;
  f.type = std::move(*type);
  t->fields.push_back(std::move(f));
  return ok_status();
}
}  // namespace detail

// The schema as it was at `version`, from the lock history: kinds, members,
// types, keys (no decoders: enough to read that version's tables). Ref
// shapes are taken from the kinds of that version.
inline Result<SchemaInfo> schema_at_version(const SchemaInfo& current, int version) {
  const LockHistory h = parse_lock(current.lock_history);
  auto it = h.shapes.find(version);
  if (it == h.shapes.end())
    return make_error("the schema.lock history of " + current.name + " has no version " + std::to_string(version));
  SchemaInfo s;
  s.name = current.name;
  s.version = version;
  std::istringstream in(it->second);
  std::string line;
  KindInfo* k = nullptr;
  while (std::getline(in, line)) {
    if (line.rfind("kind ", 0) == 0) {
      std::istringstream words(line.substr(5));
      auto kind = std::make_unique<KindInfo>();
      std::string w;
      words >> kind->name;
      while (words >> w) {
        if (w == "since") words >> kind->since;
        else if (w == "key") {
          words >> w;
          if (w == "entity_id") kind->key_shape = KeyShape::entity_id;
          else if (w == "name") kind->key_shape = KeyShape::name;
          else if (w == "integer") kind->key_shape = KeyShape::integer;
          else if (w.rfind("path", 0) == 0) {
            kind->key_shape = KeyShape::path;
            auto dots = w.find("..");
            kind->key_min = std::stoul(w.substr(5, dots - 5));
            std::string max = w.substr(dots + 2, w.size() - dots - 3);
            kind->key_max = max.empty() ? 4096 : std::stoul(max);
          }
        } else if (w == "open") kind->open = true;
        else if (w == "store-only") kind->dumped = false;
        else if (w == "carries" && words >> w) kind->carried.push_back(w);
      }
      s.kinds.push_back(std::move(kind));
      k = s.kinds.back().get();
    } else if (k && line.rfind("    ", 0) == 0) {
      // A nested struct's member (inside its top-level member's JSON column):
      // it rebuilds the struct's shape, so that what depends on it (which
      // secrets are nested, hence the table layout) is that version's.
      if (auto st = detail::add_nested_member(*k, line.substr(4)); !st) return st.errors();
    } else if (k && line.rfind("  ", 0) == 0) {
      auto colon = line.find(": ");
      if (colon == std::string::npos) return make_error("schema.lock: cannot read the line '" + line + "'");
      FieldDesc f;
      f.name = line.substr(2, colon - 2);
      if (!f.name.empty() && f.name.back() == '?') {
        f.optional = true;
        f.name.pop_back();
      }
      f.cpp_name = f.name;
      auto t = parse_type(line.substr(colon + 2));
      if (!t) return make_error("schema.lock: cannot read the type in '" + line + "'");
      f.type = std::move(*t);
      k->fields.push_back(std::move(f));
    }
  }
  for (auto& kind : s.kinds)  // a reference's shape is its target's key shape
    for (auto& f : kind->fields)
      if (f.type.tag == TypeDesc::Tag::Ref)
        if (const KindInfo* target = s.find(f.type.ref_kind)) f.type.ref_shape = target->key_shape;
  return s;
}

}  // namespace metaport::schema_lock
