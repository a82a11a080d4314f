// The `bi` tree layout: where each entity's file goes in a tree dump, exactly
// as the Metabase Representation Format v1.0.0 lays content out, and which
// kind a file of such a tree holds. docs/tree-layout.md has the full rules,
// an example tree, and why collisions are resolved the way they are.
//
//   collections/main|snippets|transforms/   collections nest by parent_id; each
//       <c>.yaml + <c>/                     collection's file sits beside its folder;
//       <item>.yaml                         items flat in their collection's folder;
//       <dashboard>/<card>.yaml             cards a dashboard/document owns, in a
//                                           folder beside the container's file
//   databases/<db>/<db>.yaml
//   databases/<db>/schemas/<s>/tables/<t>/<t>.yaml   (schemaless: <db>/tables/<t>/)
//       .../<t>/fields/<f>.yaml, <f>___fieldvalues.yaml, <f>___fieldusersettings.yaml
//       .../<t>/segments/<x>.yaml, .../<t>/measures/<x>.yaml
//   python_libraries/, transforms/transform_jobs/, transforms/transform_tags/,
//   metabots/, channels/, actions/, glossary/, settings.yaml
//
// The layout works on canonical documents (member names as on disk) and on
// the kind's name and the key, so it needs no C++ entity type. Memory: per
// entity it keeps the few strings a path needs (identity, slug, container
// ids, created_at), never the document, so 100k+ entities stream through.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "metaport/entity.hpp"
#include "metaport/entity_id.hpp"
#include "metaport/key.hpp"
#include "metaport/kind_info.hpp"
#include "metaport/layout.hpp"
#include "metaport/refs.hpp"
#include "metaport/slug.hpp"
#include "metaport/timestamp.hpp"

namespace bi {

namespace tree_layout_detail {

// What a kind's place in the tree depends on.
enum class Role : std::uint8_t {
  Collection,    // nests under parent_id, file beside its folder
  Card,          // in its dashboard's / document's folder, else its collection's
  Item,          // flat in its collection's folder
  Database,      // databases/<db>/<db>.yaml
  Schema,        // never dumped: the schemas/<s>/ folder of a table (internal node)
  Table,         // .../tables/<t>/<t>.yaml
  Field,         // .../<t>/fields/<f>.yaml
  FieldSidecar,  // beside its field: <f>___fieldvalues.yaml, <f>___fieldusersettings.yaml
  TableChild,    // .../<t>/segments/ or .../<t>/measures/
  Flat,          // one fixed folder
  Settings,      // the root: settings.yaml
};

// Which folder of a container an entity goes in.
enum class Sub : std::uint8_t { Contents, Schemas, Tables, Fields, Segments, Measures };

struct KindRule {
  std::string_view kind;
  Role role;
  std::string_view root;         // the folder when there is no container (or the only one)
  std::string_view name_member;  // the member that names the file ("" = the key)
  Sub sub = Sub::Contents;
  std::string_view file_suffix = {};  // sidecars: appended to the field's stem
};

// Kind names are the spec's `serdes/meta` model names.
inline constexpr KindRule kKindRules[] = {
    {"Collection", Role::Collection, "collections/main", "name"},
    {"Card", Role::Card, "collections/main", "name"},
    {"Dashboard", Role::Item, "collections/main", "name"},
    {"Document", Role::Item, "collections/main", "name"},
    {"Timeline", Role::Item, "collections/main", "name"},
    {"NativeQuerySnippet", Role::Item, "collections/snippets", "name"},
    {"Transform", Role::Item, "collections/transforms", "name"},
    {"Database", Role::Database, "databases", "name"},
    {"Table", Role::Table, "databases", "name"},
    {"Field", Role::Field, "databases", "name", Sub::Fields},
    {"FieldValues", Role::FieldSidecar, "databases", "", Sub::Fields, "___fieldvalues"},
    {"FieldUserSettings", Role::FieldSidecar, "databases", "", Sub::Fields, "___fieldusersettings"},
    {"Segment", Role::TableChild, "databases", "name", Sub::Segments},
    {"Measure", Role::TableChild, "databases", "name", Sub::Measures},
    {"PythonLibrary", Role::Flat, "python_libraries", "path"},
    {"TransformJob", Role::Flat, "transforms/transform_jobs", "name"},
    {"TransformTag", Role::Flat, "transforms/transform_tags", "name"},
    {"Metabot", Role::Flat, "metabots", "name"},
    {"Channel", Role::Flat, "channels", "name"},
    // Metabase's own serialization writes actions to actions/ and glossary
    // terms to glossary/ (serdes/storage-path of Action and Glossary).
    {"Action", Role::Flat, "actions", "name"},
    {"Glossary", Role::Flat, "glossary", "term"},
    {"Settings", Role::Settings, "", ""},
};

inline const KindRule* find_rule(std::string_view kind) {
  for (const auto& r : kKindRules)
    if (r.kind == kind) return &r;
  return nullptr;
}

// Top-level folders whose files are entity files (what Metabase's validator
// reads, plus databases/ beyond segments|measures, actions/ and glossary/).
inline constexpr std::string_view kEntityFolders[] = {
    "collections", "databases", "python_libraries", "python-libraries", "transforms",
    "channels",    "metabots",  "actions",          "glossary",
};

inline constexpr std::string_view kFieldValuesSuffix = "___fieldvalues";
inline constexpr std::string_view kFieldUserSettingsSuffix = "___fieldusersettings";

inline bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// Cut to at most `max_bytes` without splitting a UTF-8 sequence.
inline void truncate_utf8(std::string& s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return;
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xc0) == 0x80) --n;
  s.resize(n);
}

// The key a file name is compared on when deciding collisions, so that two
// names a case-insensitive or normalising file system (macOS APFS/HFS+,
// Windows NTFS) would store as one file count as a collision everywhere:
// ASCII and the common Latin/Greek/Cyrillic letters fold to lower case,
// Latin letters lose their accents and combining marks are dropped (so the
// NFC and NFD spellings of "é" meet). Folding too much is harmless (a rare
// extra suffix); folding too little would make two files one on a Mac.
inline std::string fold_for_file_system(std::string_view s) {
  // U+00C0..U+017F to base letters ("=" keeps the character: × ÷).
  static constexpr std::string_view kLatin[] = {
      // U+00C0
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o", "=", "o", "u", "u", "u", "u", "y", "th", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o", "=", "o", "u", "u", "u", "u", "y", "th", "y",
      // U+0100
      "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
      "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
      "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
      "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
      "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
      "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
      "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
      "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
  };
  static_assert(std::size(kLatin) == 0x180 - 0xc0);
  auto put = [](std::string& out, std::uint32_t cp) {
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp;
    std::size_t n;
    if (c < 0x80) { cp = c; n = 1; }
    else if ((c & 0xe0) == 0xc0) { cp = c & 0x1f; n = 2; }
    else if ((c & 0xf0) == 0xe0) { cp = c & 0x0f; n = 3; }
    else if ((c & 0xf8) == 0xf0) { cp = c & 0x07; n = 4; }
    else { out += static_cast<char>(c); ++i; continue; }  // not UTF-8: keep the byte
    if (i + n > s.size()) { out.append(s.substr(i)); break; }
    bool ok = true;
    for (std::size_t k = 1; k < n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) { ok = false; break; }
      cp = (cp << 6) | (d & 0x3f);
    }
    if (!ok) { out += static_cast<char>(c); ++i; continue; }
    i += n;
    if (cp >= 'A' && cp <= 'Z') out += static_cast<char>(cp + 32);
    else if (cp >= 0xc0 && cp < 0x180) {
      const std::string_view base = kLatin[cp - 0xc0];
      if (base == "=") put(out, cp);
      else out += base;
    } else if (cp >= 0x300 && cp <= 0x36f) {
      // combining diacritical mark (NFD): dropped, as the accents above
    } else if (cp >= 0x391 && cp <= 0x3a9) put(out, cp + 0x20);  // Greek capitals
    else if (cp == 0x3c2) put(out, 0x3c3);                        // final sigma
    else if (cp == 0x386 || cp == 0x3ac) put(out, 0x3b1);         // accented Greek vowels
    else if (cp == 0x388 || cp == 0x3ad) put(out, 0x3b5);
    else if (cp == 0x389 || cp == 0x3ae) put(out, 0x3b7);
    else if (cp == 0x38a || cp == 0x3af) put(out, 0x3b9);
    else if (cp == 0x38c || cp == 0x3cc) put(out, 0x3bf);
    else if (cp == 0x38e || cp == 0x3cd) put(out, 0x3c5);
    else if (cp == 0x38f || cp == 0x3ce) put(out, 0x3c9);
    else if (cp == 0x401 || cp == 0x451) put(out, 0x435);  // Ё ё -> е (NFD: е + U+0308)
    else if (cp == 0x419 || cp == 0x439) put(out, 0x438);  // Й й -> и (NFD: и + U+0306)
    else if (cp >= 0x410 && cp <= 0x42f) put(out, cp + 0x20);  // Cyrillic capitals
    else if (cp >= 0x400 && cp <= 0x40f) put(out, cp + 0x50);
    else put(out, cp);
  }
  return out;
}

}  // namespace tree_layout_detail

class TreeLayout : public metaport::Layout {
  using Role = tree_layout_detail::Role;
  using Sub = tree_layout_detail::Sub;

 public:
  // Longest slug kept for a name, in bytes: with a collision suffix (up to 23)
  // and "___fieldusersettings.yaml" a file name stays well under the 255
  // bytes of ext4/APFS/NTFS.
  static constexpr std::size_t kMaxStemBytes = 120;

  TreeLayout() {
    // Container kinds first, so wants can name them before any entity is seen.
    for (std::string_view k : std::initializer_list<std::string_view>{"Collection", "Dashboard", "Document",
                                                                      "Database", "Table", "Field", kSchemaKind})
      intern_kind(k);
  }

  void index(const metaport::Entity& e) override {
    if (!e.kind) throw std::invalid_argument("bi::TreeLayout::index: entity " + e.key.str() + " has no kind");
    // A late index (after paths were handed out) recomputes everything: the
    // newcomer may take part in collisions.
    if (finalized_) invalidate();
    Node n = make_node(e);
    const auto it = lookup_.find(NodeRef{n.kind, n.id});
    if (it != lookup_.end()) {  // indexed twice: the later document wins
      const std::uint32_t i = it->second;
      lookup_.erase(it);
      nodes_[i] = std::move(n);
      lookup_.emplace(NodeRef{nodes_[i].kind, nodes_[i].id}, i);
      return;
    }
    nodes_.push_back(std::move(n));
    lookup_.emplace(NodeRef{nodes_.back().kind, nodes_.back().id}, static_cast<std::uint32_t>(nodes_.size() - 1));
    ++n_indexed_;
  }

  // What make_node() (and the data_path() it calls) reads, by role: a tree
  // dump indexes 100k entities without parsing their queries.
  // tests/bi_layout/index_members_test.cc checks the lists against
  // whole documents.
  std::optional<std::vector<std::string>> index_members(const metaport::KindInfo& kind) const override {
    using tree_layout_detail::find_rule;
    const auto* rule = find_rule(kind.name);
    std::vector<std::string> m{"created_at"};
    if (!rule) m.emplace_back("name");
    else if (!rule->name_member.empty()) m.emplace_back(rule->name_member);
    switch (rule ? rule->role : Role::Flat) {
      case Role::Collection: m.insert(m.end(), {"namespace", "parent_id"}); break;
      case Role::Card: m.insert(m.end(), {"dashboard_id", "document_id", "collection_id"}); break;
      case Role::Item: m.emplace_back("collection_id"); break;
      case Role::Database: m.emplace_back("name"); break;
      case Role::Table: m.insert(m.end(), {"db_id", "schema", "name"}); break;
      case Role::Field: m.insert(m.end(), {"parent_id", "table_id", "name"}); break;
      case Role::FieldSidecar: m.emplace_back("serdes/meta"); break;
      case Role::TableChild: m.insert(m.end(), {"table_id", "definition"}); break;
      case Role::Schema: case Role::Flat: case Role::Settings: break;
    }
    return m;
  }

  std::string path_of(const metaport::Entity& e) override {
    if (!e.kind) throw std::invalid_argument("bi::TreeLayout::path_of: entity " + e.key.str() + " has no kind");
    if (!finalized_) finalize();
    const auto k = kind_ids_.find(e.kind->name);
    const std::string id = k == kind_ids_.end() ? std::string() : identity(e);
    const auto it = k == kind_ids_.end() ? lookup_.end() : lookup_.find(NodeRef{k->second, id});
    if (it == lookup_.end() || it->second >= n_indexed_)
      throw std::logic_error("bi::TreeLayout::path_of: " + e.kind->name + " " + e.key.str() +
                             " was not indexed (index() every entity before asking for paths)");
    return file_path(it->second);
  }

  // A Representation Format tree another tool wrote (Metabase's own
  // exports of this format have no metaport.yaml): a dump may replace it.
  bool recognizes(const std::string& dir) const override {
    std::error_code ec;
    for (const char* d : {"collections/main", "collections/snippets", "collections/transforms", "python_libraries"})
      if (std::filesystem::is_directory(std::filesystem::path(dir) / d, ec)) return true;
    return false;
  }
  // Its files: the entity folders and settings.yaml (a dump into a
  // repository keeps everything else).
  bool owns(std::string_view rel) const override {
    if (!(rel.ends_with(".yaml") || rel.ends_with(".yml"))) return false;
    if (rel == "settings.yaml") return true;
    const std::string_view top = rel.substr(0, rel.find('/'));
    for (auto f : tree_layout_detail::kEntityFolders)
      if (top == f && top != rel) return true;
    return false;
  }

  std::optional<std::string> kind_of(std::string_view rel_path, const metaport::Value& doc) override {
    using namespace tree_layout_detail;
    while (rel_path.substr(0, 2) == "./") rel_path.remove_prefix(2);
    if (!ends_with(rel_path, ".yaml")) return std::nullopt;
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
      const auto slash = rel_path.find('/', start);
      parts.push_back(rel_path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
      if (slash == std::string_view::npos) break;
      start = slash + 1;
    }
    const std::optional<std::string> model = model_of(doc);
    if (parts.size() == 1) {
      // At the root only the settings file (settings.yaml; settings__<x>.yaml
      // if a second Settings entity ever collided with it). metaport.yaml and
      // anything else are not entities.
      const std::string_view file = parts[0];
      if (file == "settings.yaml" || file.substr(0, 10) == "settings__") return std::string("Settings");
      return std::nullopt;
    }
    const std::string_view top = parts[0];
    const bool known = std::find(std::begin(kEntityFolders), std::end(kEntityFolders), top) != std::end(kEntityFolders);
    if (!known) {
      // A kind this layout has no rule for is dumped to <snake_case(kind)>/.
      if (model && metaport::snake_case(*model) == top && !find_rule(*model)) return model;
      return std::nullopt;
    }
    // The document says what it is (as Metabase's validator reads it): the
    // folder never changes an entity's meaning.
    if (model) return model;
    // No serdes/meta model: still an entity file. Say which kind the folder
    // implies so the loader reports the missing member against that kind; ""
    // where the folder does not tell (collections/ holds every content kind),
    // so the loader can report the file instead of skipping it.
    return path_implied_kind(parts);
  }

 private:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::int64_t kUnknownTime = std::numeric_limits<std::int64_t>::max();
  static constexpr std::uint64_t kRootBit = std::uint64_t{1} << 63;
  // The internal kind of schema folders; not a valid kind name, so no real
  // kind can meet it in the lookup.
  static constexpr std::string_view kSchemaKind = "(schema)";

  // One container reference an entity may be placed by, best first.
  struct Want {
    std::uint16_t kind = 0;
    std::string id;
  };

  // Everything a path needs, nothing more.
  struct Node {
    std::string id;      // identity: Key::str(), or the data-model path for data-model kinds
    std::string base;    // stem before collision resolution (a slug)
    std::string suffix;  // collision suffix ("" for the plain stem), set by finalize()
    std::int64_t created = kUnknownTime;  // created_at in microseconds; unknown sorts last
    std::uint16_t kind = 0;
    std::uint16_t root = 0;  // folder when no container is found
    Role role = Role::Flat;
    Sub sub = Sub::Contents;         // folder of the container, once resolved
    std::uint8_t n_wants = 0;
    bool phantom = false;            // a data-model container not in the dump (names only)
    std::array<Want, 3> wants;
    std::uint32_t container = kNone;  // resolved: a node, or kNone for `root`
  };

  struct NodeRef {
    std::uint16_t kind;
    std::string_view id;  // points into a Node of nodes_ (a deque: elements never move)
    friend bool operator==(const NodeRef& a, const NodeRef& b) { return a.kind == b.kind && a.id == b.id; }
  };
  struct NodeRefHash {
    std::size_t operator()(const NodeRef& r) const {
      return std::hash<std::string_view>{}(r.id) * 31 + r.kind;
    }
  };

  // ---- interning -------------------------------------------------------------
  std::uint16_t intern_kind(std::string_view k) {
    const auto it = kind_ids_.find(std::string(k));
    if (it != kind_ids_.end()) return it->second;
    kind_names_.emplace_back(k);
    const auto id = static_cast<std::uint16_t>(kind_names_.size() - 1);
    kind_ids_.emplace(std::string(k), id);
    return id;
  }
  std::uint16_t kind_id(std::string_view k) const { return kind_ids_.at(std::string(k)); }
  std::uint16_t intern_root(std::string_view r) {
    for (std::size_t i = 0; i < roots_.size(); ++i)
      if (roots_[i] == r) return static_cast<std::uint16_t>(i);
    roots_.emplace_back(r);
    return static_cast<std::uint16_t>(roots_.size() - 1);
  }

  // ---- reading documents -----------------------------------------------------
  static const metaport::Value* member(const metaport::Value& v, std::string_view name) {
    const metaport::Value* m = v.find(name);
    return m && !m->is_null() ? m : nullptr;
  }
  static std::string string_member(const metaport::Value& v, std::string_view name) {
    const metaport::Value* m = member(v, name);
    return m && m->is_string() ? m->as_string() : std::string();
  }
  static bool usable_name(const std::string& s) {
    return s.find_first_not_of(" \t\r\n") != std::string::npos;
  }
  static std::string key_text(const metaport::Key& k) { return k.size() == 1 ? k.first() : k.str(); }

  static std::optional<std::string> model_of(const metaport::Value& doc) {
    const metaport::Value* meta = doc.find("serdes/meta");
    if (!meta || !meta->is_array() || meta->as_array().empty()) return std::nullopt;
    const metaport::Value* model = meta->as_array().back().find("model");
    if (!model || !model->is_string()) return std::nullopt;
    return model->as_string();
  }

  static std::optional<metaport::Key> key_member(const metaport::Value& v, std::string_view name) {
    const metaport::Value* m = member(v, name);
    if (!m) return std::nullopt;
    return metaport::key_from_value(*m);
  }

  // [db, schema|null, table] of a table-keyed reference, if it is one.
  static std::optional<metaport::Key> table_path(const std::optional<metaport::Key>& k) {
    if (k && k->size() == 3 && k->parts[0] && k->parts[2]) return k;
    return std::nullopt;
  }

  // The data-model path of a data-model entity: the key when it has the
  // spec's shape, else what the document says.
  static metaport::Key data_path(const metaport::Entity& e, Role role) {
    using metaport::Key;
    const auto& v = e.value;
    switch (role) {
      case Role::Database:
        if (e.key.size() == 1 && e.key.parts[0]) return e.key;
        return Key(string_member(v, "name"));
      case Role::Table: {
        if (auto k = table_path(e.key)) return *k;
        Key k(string_member(v, "db_id"));
        const metaport::Value* s = member(v, "schema");
        k.parts.push_back(s && s->is_string() ? std::optional<std::string>(s->as_string()) : std::nullopt);
        k.parts.emplace_back(string_member(v, "name"));
        return k;
      }
      case Role::Field: {
        if (e.key.size() >= 4 && e.key.parts[0] && e.key.parts[2]) return e.key;
        // A JSON-unfolded field continues its parent's path.
        if (auto p = key_member(v, "parent_id"); p && p->size() >= 4) return p->with(string_member(v, "name"));
        if (auto t = table_path(key_member(v, "table_id"))) return t->with(string_member(v, "name"));
        return Key{"", std::nullopt, "", key_text(e.key)};
      }
      case Role::FieldSidecar: {
        // Their key is their field's key; serdes/meta says the same
        // ([Database, Schema?, Table, Field..., FieldValues]).
        if (e.key.size() >= 4 && e.key.parts[0] && e.key.parts[2]) return e.key;
        if (auto k = field_path_from_meta(v)) return *k;
        return Key{"", std::nullopt, "", key_text(e.key)};
      }
      case Role::TableChild: {
        if (auto t = table_path(key_member(v, "table_id"))) return *t;
        if (const metaport::Value* def = member(v, "definition")) {
          if (const metaport::Value* stages = member(*def, "stages");
              stages && stages->is_array() && !stages->as_array().empty())
            if (auto t = table_path(key_member(stages->as_array()[0], "source-table"))) return *t;
          if (auto t = table_path(key_member(*def, "source-table"))) return *t;  // legacy MBQL
        }
        // No table at all (the document is invalid and the loader will say so):
        // a nameless table of a nameless database, databases/_/tables/_/.
        return Key{"", std::nullopt, ""};
      }
      default:
        return e.key;
    }
  }

  static std::optional<metaport::Key> field_path_from_meta(const metaport::Value& v) {
    const metaport::Value* meta = v.find("serdes/meta");
    if (!meta || !meta->is_array()) return std::nullopt;
    std::optional<std::string> db, schema, table;
    std::vector<std::string> fields;
    for (const auto& entry : meta->as_array()) {
      const std::string model = string_member(entry, "model");
      const std::string id = string_member(entry, "id");
      if (model == "Database") db = id;
      else if (model == "Schema") schema = id;
      else if (model == "Table") table = id;
      else if (model == "Field") fields.push_back(id);
    }
    if (!db || !table || fields.empty()) return std::nullopt;
    metaport::Key k{*db, schema, *table};
    for (auto& f : fields) k.parts.emplace_back(std::move(f));
    return k;
  }

  // The stem of a JSON-unfolded (or plain) field: its path below the table,
  // one slug per level joined with '.'. A slug never holds '.', so
  // DATA.user.name (data.user.name.yaml) cannot meet a top-level field called
  // "data.user.name" (data_user_name.yaml); and nested fields keep the parent
  // in their name, where Metabase's own exporter would use only the leaf name
  // and make "user.name" and "author.name" collide.
  static std::string field_stem(const metaport::Key& path) {
    std::string out;
    for (std::size_t i = 3; i < path.size(); ++i) {
      if (i > 3) out += '.';
      out += metaport::slugify(path.parts[i].value_or(""), kMaxStemBytes);
    }
    if (out.empty()) out = "_";
    tree_layout_detail::truncate_utf8(out, kMaxStemBytes);
    return out;
  }

  static std::int64_t created_of(const metaport::Value& v) {
    const metaport::Value* c = member(v, "created_at");
    if (!c || !c->is_string()) return kUnknownTime;
    const auto t = metaport::Timestamp::parse(c->as_string());
    return t ? t->micros() : kUnknownTime;
  }

  // Identity of an entity within its kind, as the lookup knows it.
  std::string identity(const metaport::Entity& e) const {
    const Role role = role_of(e.kind->name);
    switch (role) {
      case Role::Database: case Role::Table: case Role::Field: case Role::FieldSidecar:
        return data_path(e, role).str();
      default:
        return e.key.str();
    }
  }

  static Role role_of(std::string_view kind) {
    const auto* r = tree_layout_detail::find_rule(kind);
    return r ? r->role : Role::Flat;
  }

  void add_want(Node& n, std::string_view kind, std::string id) {
    if (id.empty()) return;
    n.wants[n.n_wants++] = Want{kind_id(kind), std::move(id)};
  }

  // Wants of a data-model node: the container its path names.
  void add_data_wants(Node& n, Role role, const metaport::Key& path) {
    using metaport::Key;
    switch (role) {
      case Role::Schema:
        n.wants[n.n_wants++] = Want{kind_id("Database"), Key(path.first()).str()};
        break;
      case Role::Table:
        if (path.parts[1]) n.wants[n.n_wants++] = Want{kind_id(kSchemaKind), path.prefix(2).str()};
        else n.wants[n.n_wants++] = Want{kind_id("Database"), Key(path.first()).str()};
        break;
      case Role::Field: case Role::TableChild:
        n.wants[n.n_wants++] = Want{kind_id("Table"), path.prefix(3).str()};
        break;
      case Role::FieldSidecar:
        n.wants[n.n_wants++] = Want{kind_id("Field"), path.str()};
        break;
      default:
        break;
    }
  }

  Node make_node(const metaport::Entity& e) {
    using namespace tree_layout_detail;
    const std::string& kind = e.kind->name;
    const KindRule* rule = find_rule(kind);
    Node n;
    n.kind = intern_kind(kind);
    n.role = rule ? rule->role : Role::Flat;
    n.created = created_of(e.value);
    const auto& v = e.value;

    // The name a file is called by.
    std::string name;
    if (rule && !rule->name_member.empty()) name = string_member(v, rule->name_member);
    else if (!rule) name = string_member(v, "name");
    if (!usable_name(name)) name = key_text(e.key);
    n.base = metaport::slugify(name, kMaxStemBytes);

    switch (n.role) {
      case Role::Collection: {
        n.id = e.key.str();
        const metaport::Value* ns = member(v, "namespace");
        const std::string nsname = ns && ns->is_string() ? ns->as_string() : std::string();
        n.root = intern_root(nsname.empty() ? std::string("collections/main")
                                            : "collections/" + metaport::slugify(nsname, kMaxStemBytes));
        add_want(n, "Collection", string_member(v, "parent_id"));
        break;
      }
      case Role::Card:
        n.id = e.key.str();
        n.root = intern_root(rule->root);
        add_want(n, "Dashboard", string_member(v, "dashboard_id"));
        add_want(n, "Document", string_member(v, "document_id"));
        add_want(n, "Collection", string_member(v, "collection_id"));
        break;
      case Role::Item:
        n.id = e.key.str();
        n.root = intern_root(rule->root);
        add_want(n, "Collection", string_member(v, "collection_id"));
        break;
      case Role::Database: case Role::Table: case Role::Field: case Role::FieldSidecar: case Role::TableChild: {
        const metaport::Key path = data_path(e, n.role);
        n.id = n.role == Role::TableChild ? e.key.str() : path.str();
        n.root = intern_root("databases");
        if (n.role == Role::Database) n.base = metaport::slugify(path.first(), kMaxStemBytes);
        else if (n.role == Role::Table) n.base = metaport::slugify(path.parts[2].value_or(""), kMaxStemBytes);
        else if (n.role == Role::Field || n.role == Role::FieldSidecar) n.base = field_stem(path);
        add_data_wants(n, n.role, path);
        break;
      }
      case Role::Settings:
        n.id = e.key.str();
        n.root = intern_root("");
        n.base = "settings";
        break;
      case Role::Flat: case Role::Schema:
        n.id = e.key.str();
        // A kind without a rule: <snake_case(kind)>/<slug>.yaml.
        n.root = intern_root(rule ? std::string(rule->root) : metaport::snake_case(kind));
        break;
    }
    return n;
  }

  // ---- phantoms: data-model containers that are not in the dump -------------
  // A segment's table, a field's table, a table's database and every schema
  // folder are placed by names alone, so a missing one is rebuilt from the
  // path: it reserves its folder name like a real one would.
  std::uint32_t ensure_data_node(std::uint16_t kind, const std::string& id) {
    if (auto it = lookup_.find(NodeRef{kind, id}); it != lookup_.end()) return it->second;
    const std::string& kname = kind_names_[kind];
    const Role role = kname == kSchemaKind ? Role::Schema : role_of(kname);
    auto parsed = metaport::Key::parse(id, role == Role::Database);
    metaport::Key path = parsed ? *parsed : metaport::Key(id);
    Node n;
    n.phantom = true;
    n.kind = kind;
    n.role = role;
    n.id = id;
    n.root = intern_root("databases");
    auto part = [&](std::size_t i) { return i < path.size() ? path.parts[i].value_or("") : std::string(); };
    switch (role) {
      case Role::Database: n.base = metaport::slugify(part(0), kMaxStemBytes); break;
      case Role::Schema: n.base = metaport::slugify(part(1), kMaxStemBytes); break;
      case Role::Table: n.base = metaport::slugify(part(2), kMaxStemBytes); break;
      default: n.base = field_stem(path); break;
    }
    while (path.size() < (role == Role::Database ? 1u : role == Role::Schema ? 2u : 3u)) path.parts.emplace_back("");
    add_data_wants(n, role, path);
    nodes_.push_back(std::move(n));
    const auto i = static_cast<std::uint32_t>(nodes_.size() - 1);
    lookup_.emplace(NodeRef{nodes_.back().kind, nodes_.back().id}, i);
    return i;
  }

  static bool is_data_container(Role r) {
    return r == Role::Database || r == Role::Schema || r == Role::Table || r == Role::Field;
  }

  // ---- finalize: containers, cycles, stems ------------------------------------
  void invalidate() {
    while (nodes_.size() > n_indexed_) {
      lookup_.erase(NodeRef{nodes_.back().kind, nodes_.back().id});
      nodes_.pop_back();
    }
    dir_paths_.clear();
    finalized_ = false;
  }

  Sub sub_in(const Node& n, const Node& container) const {
    switch (n.role) {
      case Role::Schema: return Sub::Schemas;
      case Role::Table: return container.role == Role::Database ? Sub::Tables : Sub::Contents;
      case Role::Field: return Sub::Fields;
      case Role::FieldSidecar: return Sub::Fields;
      case Role::TableChild: {
        const auto* r = tree_layout_detail::find_rule(kind_names_[n.kind]);
        return r ? r->sub : Sub::Segments;
      }
      default: return Sub::Contents;
    }
  }

  void resolve_container(std::uint32_t i) {
    Node& n = nodes_[i];  // deque: stays valid while phantoms are appended
    n.container = kNone;
    for (std::uint8_t w = 0; w < n.n_wants; ++w) {
      const Want& want = n.wants[w];
      std::uint32_t j = kNone;
      if (auto it = lookup_.find(NodeRef{want.kind, want.id}); it != lookup_.end()) j = it->second;
      else if (is_data_container(role_of_kind(want.kind))) j = ensure_data_node(want.kind, want.id);
      // Only a real container of the expected role places an entity (a
      // dashboard_id naming a card is no container).
      if (j != kNone && j != i) {
        n.container = j;
        n.sub = sub_in(n, nodes_[j]);
        return;
      }
    }
  }

  Role role_of_kind(std::uint16_t kind) const {
    return kind_names_[kind] == kSchemaKind ? Role::Schema : role_of(kind_names_[kind]);
  }

  // Collections whose parent_id chain loops (bad input) would nest forever:
  // each loop is cut at its first-created member, which becomes a root of
  // its namespace. Every component of the parent graph holds at most one
  // loop, so the result does not depend on the order nodes are visited in.
  void break_collection_cycles() {
    std::vector<std::uint8_t> state(nodes_.size(), 0);  // 0 new, 1 on the current walk, 2 done
    std::vector<std::uint32_t> walk;
    for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].role != Role::Collection || state[i]) continue;
      walk.clear();
      std::uint32_t cur = i;
      while (true) {
        if (state[cur] == 2) break;
        if (state[cur] == 1) {
          const auto from = std::find(walk.begin(), walk.end(), cur);
          const auto cut = *std::min_element(from, walk.end(),
                                             [&](std::uint32_t a, std::uint32_t b) { return before(a, b); });
          nodes_[cut].container = kNone;
          break;
        }
        state[cur] = 1;
        walk.push_back(cur);
        const std::uint32_t up = nodes_[cur].container;
        if (up == kNone || nodes_[up].role != Role::Collection) break;
        cur = up;
      }
      for (auto w : walk) state[w] = 2;
    }
  }

  // Who keeps the plain stem: created first, then the smaller key, then the kind.
  bool before(std::uint32_t a, std::uint32_t b) const {
    const Node& x = nodes_[a];
    const Node& y = nodes_[b];
    if (x.created != y.created) return x.created < y.created;
    if (x.id != y.id) return x.id < y.id;
    return kind_names_[x.kind] < kind_names_[y.kind];
  }

  std::uint64_t dir_id(const Node& n) const {
    if (n.container == kNone) return kRootBit | (std::uint64_t{n.root} << 8);
    return (std::uint64_t{n.container} << 8) | static_cast<std::uint8_t>(n.sub);
  }

  // The suffix candidates of a colliding entity, all derived from its own
  // identity: the first 8 characters of its entity_id (a short hash of the
  // key for named kinds), then the whole entity_id, then a hash of kind and
  // key, then that hash numbered. Only a collision between suffixes (or with
  // a name that already looks like one) goes past the first.
  std::string suffix_candidate(const Node& n, int attempt) const {
    const bool eid = metaport::EntityId::valid(n.id);
    switch (attempt) {
      case 0: return "__" + (eid ? n.id.substr(0, 8) : metaport::short_hash(n.id));
      case 1: return "__" + (eid ? n.id : metaport::short_hash(kind_names_[n.kind] + '\n' + n.id));
      default:
        return "__" + metaport::short_hash(kind_names_[n.kind] + '\n' + n.id + '\n') + '_' +
               std::to_string(attempt - 1);
    }
  }

  void assign_stems() {
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> dirs;
    for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
      nodes_[i].suffix.clear();
      if (nodes_[i].role == Role::FieldSidecar) continue;  // named after their field
      dirs[dir_id(nodes_[i])].push_back(i);
    }
    std::unordered_set<std::string> taken;
    for (auto& [dir, members] : dirs) {
      std::sort(members.begin(), members.end(), [&](std::uint32_t a, std::uint32_t b) { return before(a, b); });
      taken.clear();
      for (const std::uint32_t i : members) {
        Node& n = nodes_[i];
        // A field whose own name ends like a sidecar file would share a file
        // name with another field's FieldValues: it always takes a suffix.
        const bool reserved = n.role == Role::Field &&
                              (tree_layout_detail::ends_with(n.base, tree_layout_detail::kFieldValuesSuffix) ||
                               tree_layout_detail::ends_with(n.base, tree_layout_detail::kFieldUserSettingsSuffix));
        if (!reserved && taken.insert(tree_layout_detail::fold_for_file_system(n.base)).second) continue;
        for (int attempt = 0;; ++attempt) {
          std::string s = suffix_candidate(n, attempt);
          if (taken.insert(tree_layout_detail::fold_for_file_system(n.base + s)).second) {
            n.suffix = std::move(s);
            break;
          }
        }
      }
    }
  }

  void finalize() {
    invalidate();
    for (std::uint32_t i = 0; i < nodes_.size(); ++i) resolve_container(i);  // appends phantoms
    break_collection_cycles();
    assign_stems();
    finalized_ = true;
  }

  // ---- paths --------------------------------------------------------------------
  std::string stem(std::uint32_t i) const { return nodes_[i].base + nodes_[i].suffix; }

  static std::string join(const std::string& dir, const std::string& name) {
    return dir.empty() ? name : dir + "/" + name;
  }

  // The folder a container keeps a kind of content in, below its own stem.
  static std::string_view sub_folder(Role container_role, Sub sub) {
    switch (sub) {
      case Sub::Schemas: return "/schemas";
      case Sub::Tables: return "/tables";
      case Sub::Fields: return "/fields";
      case Sub::Segments: return "/segments";
      case Sub::Measures: return "/measures";
      case Sub::Contents: return container_role == Role::Schema ? "/tables" : "";
    }
    return "";
  }

  // The path of a folder, memoized; iterative so a deep collection tree does
  // not recurse.
  const std::string& dir_path(std::uint64_t id) {
    if (auto it = dir_paths_.find(id); it != dir_paths_.end()) return it->second;
    std::vector<std::uint64_t> chain;
    for (std::uint64_t cur = id; !dir_paths_.count(cur);) {
      chain.push_back(cur);
      if (cur & kRootBit) break;
      cur = dir_id(nodes_[static_cast<std::uint32_t>(cur >> 8)]);
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const std::uint64_t d = *it;
      std::string p;
      if (d & kRootBit) {
        p = roots_[static_cast<std::uint16_t>((d & ~kRootBit) >> 8)];
      } else {
        const auto owner = static_cast<std::uint32_t>(d >> 8);
        p = join(dir_paths_.at(dir_id(nodes_[owner])), stem(owner));
        p += sub_folder(nodes_[owner].role, static_cast<Sub>(d & 0xff));
      }
      dir_paths_.emplace(d, std::move(p));
    }
    return dir_paths_.at(id);
  }

  std::string file_path(std::uint32_t i) {
    const Node& n = nodes_[i];
    switch (n.role) {
      case Role::Database: case Role::Table: {
        // The file inside its own folder: databases/<db>/<db>.yaml.
        const std::string s = stem(i);
        return join(dir_path(dir_id(n)), s) + "/" + s + ".yaml";
      }
      case Role::FieldSidecar: {
        const auto* r = tree_layout_detail::find_rule(kind_names_[n.kind]);
        const std::uint32_t field = n.container;  // always resolved (a phantom at worst)
        return join(dir_path(dir_id(nodes_[field])), stem(field)) + std::string(r->file_suffix) + ".yaml";
      }
      default:
        return join(dir_path(dir_id(n)), stem(i)) + ".yaml";
    }
  }

  // ---- kind_of -------------------------------------------------------------------
  static std::string path_implied_kind(const std::vector<std::string_view>& p) {
    using tree_layout_detail::ends_with;
    const std::string_view top = p[0];
    const std::string_view file = p.back();
    const std::string_view stem = file.substr(0, file.size() - 5);
    const std::string_view dir = p[p.size() - 2];
    if (top == "python_libraries" || top == "python-libraries") return "PythonLibrary";
    if (top == "metabots") return "Metabot";
    if (top == "channels") return "Channel";
    if (top == "actions") return "Action";
    if (top == "glossary") return "Glossary";
    if (top == "transforms") {
      if (p.size() == 3 && p[1] == "transform_jobs") return "TransformJob";
      if (p.size() == 3 && p[1] == "transform_tags") return "TransformTag";
      return "";
    }
    if (top == "databases") {
      if (p.size() == 3 && stem == p[1]) return "Database";
      if (dir == "segments") return "Segment";
      if (dir == "measures") return "Measure";
      if (dir == "fields") {
        if (ends_with(stem, tree_layout_detail::kFieldValuesSuffix)) return "FieldValues";
        if (ends_with(stem, tree_layout_detail::kFieldUserSettingsSuffix)) return "FieldUserSettings";
        return "Field";
      }
      if (p.size() >= 5 && stem == dir && p[p.size() - 3] == "tables") return "Table";
      return "";
    }
    return "";  // collections/: any content kind
  }

  // ---- state --------------------------------------------------------------------
  std::deque<Node> nodes_;          // indexed entities first, then phantoms
  std::uint32_t n_indexed_ = 0;
  std::unordered_map<NodeRef, std::uint32_t, NodeRefHash> lookup_;
  std::vector<std::string> kind_names_;
  std::unordered_map<std::string, std::uint16_t> kind_ids_;
  std::vector<std::string> roots_;
  std::unordered_map<std::uint64_t, std::string> dir_paths_;
  bool finalized_ = false;
};

inline std::unique_ptr<metaport::Layout> make_tree_layout() { return std::make_unique<TreeLayout>(); }

}  // namespace bi
