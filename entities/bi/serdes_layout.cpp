// The serdes tree layout (serdes_layout.hpp).
#include "entities/bi/serdes_layout.hpp"

#include <filesystem>
#include <set>
#include <unordered_map>

#include "entities/bi/serdes_codec.hpp"
#include "metaport/format/yaml_snake_writer.hpp"
#include "metaport/secret.hpp"

namespace bi {

namespace {

using metaport::Entity;
using metaport::Value;

// Top-level folders of Metabase's exports (and its Remote Sync repositories).
constexpr std::string_view kFolders[] = {"collections", "snippets",  "actions",  "databases", "transforms",
                                         "python-libraries", "channels", "glossary", "metabots"};

// The folder of a collection's items of each kind (Metabase: the model's
// name, lower case, plural).
std::string_view items_folder(std::string_view kind) {
  if (kind == "Card") return "cards";
  if (kind == "Dashboard") return "dashboards";
  if (kind == "Timeline") return "timelines";
  if (kind == "Document") return "documents";
  if (kind == "Transform") return "transforms";
  if (kind == "Metabot") return "metabots";  // 1.5x has no storage-path of its own for it: the default one
  return {};
}

// A name as a path segment: Metabase escapes only the slashes.
std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '/') out += "__SLASH__";
    else if (c == '\\') out += "__BACKSLASH__";
    else out += c;
  }
  return out;
}

// The first 100 UTF-16 units of a label (Metabase's truncate-label), not
// splitting a character.
std::string truncate_label(const std::string& s) {
  std::size_t units = 0, i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    const std::size_t u = n == 4 ? 2 : 1;
    if (units + u > 100) break;
    units += u;
    i += n;
  }
  return s.substr(0, i);
}

std::string leaf(const std::string& eid, const std::string& label) {
  return escape(label.empty() ? eid : eid + "_" + truncate_label(label));
}

std::string string_member(const Value& v, std::string_view m) {
  const Value* x = v.find(m);
  return x && x->is_string() ? x->as_string() : std::string();
}

std::optional<std::string> model_of(const Value& doc) {
  const Value* meta = doc.is_object() ? doc.find("serdes/meta") : nullptr;
  if (!meta || !meta->is_array() || meta->size() == 0) return std::nullopt;
  const Value& last = meta->as_array().back();
  const Value* m = last.is_object() ? last.find("model") : nullptr;
  if (!m || !m->is_string()) return std::nullopt;
  return m->as_string();
}

// An entity_id-named file: <21 NanoID characters>[_label].yaml, the NanoID
// with an upper-case letter or '-' (Representation Format slugs have none).
bool eid_named(std::string_view file) {
  if (file.size() < 21) return false;
  bool mixed = false;
  for (std::size_t i = 0; i < 21; ++i) {
    const char c = file[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
    mixed = mixed || (c >= 'A' && c <= 'Z') || c == '-';
  }
  return mixed && (file.size() == 21 || file[21] == '_' || file.substr(21) == ".yaml");
}

class SerdesLayout : public metaport::Layout {
 public:
  // Only collections place other files (their folders); the rest is placed
  // from the entity alone, so the dump's index pass reads no other kind.
  bool indexes(const metaport::KindInfo& kind) const override { return kind.name == "Collection"; }
  std::optional<std::vector<std::string>> index_members(const metaport::KindInfo& kind) const override {
    if (kind.name == "Collection") return std::vector<std::string>{"entity_id", "name", "slug", "parent_id"};
    return std::vector<std::string>{};
  }
  // path_of reads the entity_id, what label_of reads (name, a collection's
  // slug), the collection, and for segments and measures their table.
  std::optional<std::vector<std::string>> place_members(const metaport::KindInfo& kind) const override {
    std::vector<std::string> m{"entity_id", "name", "slug", "collection_id", "parent_id"};
    if (kind.name == "Segment" || kind.name == "Measure") m.insert(m.end(), {"table_id", "definition"});
    return m;
  }
  void index(const Entity& e) override {
    if (e.kind->name != "Collection") return;
    const Value* parent = e.value.find("parent_id");
    collections_[string_member(e.value, "entity_id")] = {
        parent && parent->is_string() ? parent->as_string() : std::string(),
        leaf(string_member(e.value, "entity_id"), serdes::label_of("Collection", e.value))};
  }

  std::string path_of(const Entity& e) override {
    const std::string& kind = e.kind->name;
    const Value& v = e.value;
    const std::string eid = string_member(v, "entity_id");
    const std::string label = serdes::label_of(kind, v);
    if (kind == "Settings") return "settings.yaml";
    if (kind == "Collection") {
      const std::string dir = collection_dir(eid);
      return dir + "/" + collections_[eid].folder + ".yaml";
    }
    if (kind == "NativeQuerySnippet") {
      std::string folders = collection_dir(string_member(v, "collection_id"));
      folders = folders.substr(std::string_view("collections").size());  // snippets/<collection folders>/
      return "snippets" + folders + "/" + leaf(eid, label) + ".yaml";
    }
    if (kind == "Transform" && string_member(v, "collection_id").empty()) return "transforms/" + leaf(eid, label) + ".yaml";
    if (const std::string_view items = items_folder(kind); !items.empty())
      return collection_dir(string_member(v, "collection_id")) + "/" + std::string(items) + "/" + leaf(eid, label) + ".yaml";
    if (kind == "Action") return "actions/" + leaf(eid, label) + ".yaml";
    if (kind == "TransformJob") return "transforms/transform_jobs/" + leaf(eid, label) + ".yaml";
    if (kind == "TransformTag") return "transforms/transform_tags/" + leaf(eid, label) + ".yaml";
    if (kind == "PythonLibrary") return "python-libraries/" + leaf(eid, label) + ".yaml";
    // A channel has no storage-path of its own in 1.5x either: the default,
    // collections/ (no collection) + channels/ + <id>_<label>, its id being its name.
    if (kind == "Channel") return "collections/channels/" + leaf(e.key.first(), label) + ".yaml";
    if (kind == "Glossary") return "glossary/" + escape(e.key.first()) + ".yaml";
    if (kind == "Database") return "databases/" + escape(e.key.first()) + "/" + escape(e.key.first()) + ".yaml";
    if (kind == "Table") return table_dir(e.key) + "/" + escape(e.key.parts[2].value_or("")) + ".yaml";
    if (kind == "Field" || kind == "FieldValues" || kind == "FieldUserSettings") {
      // A JSON-unfolded field's name is its path below the table, one name
      // per level joined by '.' (Metabase's leaf name alone would let
      // author.name and editor.name share a file).
      std::string name;
      for (std::size_t i = 3; i < e.key.size(); ++i) name += (i > 3 ? "." : "") + escape(e.key.parts[i].value_or(""));
      const std::string suffix = kind == "FieldValues" ? "___fieldvalues" : kind == "FieldUserSettings" ? "___fieldusersettings" : "";
      return table_dir(e.key) + "/fields/" + name + suffix + ".yaml";
    }
    if (kind == "Segment" || kind == "Measure") {
      const Value* t = v.find("table_id");
      metaport::Key table;
      if (t && t->is_array() && t->size() == 3)
        for (const auto& p : t->as_array()) table.parts.push_back(p.is_string() ? std::optional(p.as_string()) : std::nullopt);
      else if (auto k = table_of_definition(v))
        table = *k;
      else
        table = metaport::Key{std::string("_"), std::nullopt, std::string("_")};
      return table_dir(table) + (kind == "Segment" ? "/segments/" : "/measures/") + leaf(eid, label) + ".yaml";
    }
    return metaport::snake_case(kind) + "/" + leaf(eid.empty() ? e.key.str() : eid, label) + ".yaml";
  }

  std::optional<std::string> kind_of(std::string_view rel_path, const Value& doc) override {
    if (rel_path == "settings.yaml") return "Settings";
    if (auto m = model_of(doc)) return *m;
    // A file of an export's folders must say what it is; anything else
    // without serdes/meta (a README, CI configuration) is not an entity file.
    const std::string_view top = rel_path.substr(0, rel_path.find('/'));
    for (auto f : kFolders)
      if (top == f && top != rel_path) return std::string();
    return std::nullopt;
  }

  std::optional<Value> read_document(std::string_view kind, std::string_view, Value doc, bool keep_unknown,
                                     metaport::Errors& errors) const override {
    return serdes::to_model(kind, std::move(doc), keep_unknown, errors);
  }

  Value write_document(const Entity& e, Value doc) const override {
    // A database's connection details, redacted: Metabase writes `details:
    // null` when it exports without secrets (a redaction marker would be
    // imported as the details).
    if (e.kind->name == "Database")
      if (Value* d = doc.find("details"); d && d->is_string() && d->as_string() == metaport::kRedacted) *d = Value();
    return serdes::from_model(e.kind->name, e.key, std::move(doc));
  }

  std::string render(const Value& doc) const override { return metaport::yaml::snake::write(doc); }

  bool owns(std::string_view rel) const override {
    if (!(rel.ends_with(".yaml") || rel.ends_with(".yml"))) return false;
    if (rel == "settings.yaml") return true;
    const std::string_view top = rel.substr(0, rel.find('/'));
    for (auto f : kFolders)
      if (top == f) return true;
    return false;
  }

  bool recognizes(const std::string& dir) const override { return holds_export(dir); }

  bool writes_header() const override { return false; }

 private:
  // Metabase's own folders: snippets/, actions/ or python-libraries/ at the
  // top, its type folders (cards/, dashboards/...) in collections/, or
  // entity_id-named files and folders in collections/ or databases/ (the
  // Representation Format has collections/main|snippets|transforms and slugs).
  static bool holds_export(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const char* only_serdes : {"snippets", "actions", "python-libraries"})
      if (fs::is_directory(fs::path(dir) / only_serdes, ec)) return true;
    std::size_t seen = 0;
    for (const char* top : {"collections", "databases"}) {
      const fs::path root = fs::path(dir) / top;
      if (!fs::is_directory(root, ec)) continue;
      for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator() && seen < 2000; it.increment(ec), ++seen) {
        if (ec) break;
        const std::string name = it->path().filename().string();
        if (it.depth() == 0 && std::string_view(top) == "collections" &&
            (name == "cards" || name == "dashboards" || name == "timelines" || name == "documents"))
          return true;
        if (eid_named(name)) return true;
      }
    }
    return false;
  }

  struct CollectionNode {
    std::string parent;  // entity_id, "" for a root
    std::string folder;  // <eid>_<slug>
  };

  // collections/<ancestors' folders>/<its folder> ("collections" for none).
  std::string collection_dir(const std::string& eid) {
    std::vector<const std::string*> folders;
    std::set<std::string> seen;
    for (std::string at = eid; !at.empty() && seen.insert(at).second;) {
      auto it = collections_.find(at);
      if (it == collections_.end()) break;  // not in the dump: the root
      folders.push_back(&it->second.folder);
      at = it->second.parent;
    }
    std::string dir = "collections";
    for (auto it = folders.rbegin(); it != folders.rend(); ++it) dir += "/" + **it;
    return dir;
  }

  static std::string table_dir(const metaport::Key& k) {
    std::string dir = "databases/" + escape(k.parts[0].value_or(""));
    if (k.size() > 1 && k.parts[1]) dir += "/schemas/" + escape(*k.parts[1]);
    if (k.size() > 2) dir += "/tables/" + escape(k.parts[2].value_or(""));
    return dir;
  }

  static std::optional<metaport::Key> table_of_definition(const Value& v) {
    const Value* def = v.find("definition");
    const Value* stages = def ? def->find("stages") : nullptr;
    if (!stages || !stages->is_array() || stages->size() == 0) return std::nullopt;
    const Value* t = stages->as_array()[0].find("source-table");
    if (!t || !t->is_array() || t->size() != 3) return std::nullopt;
    metaport::Key k;
    for (const auto& p : t->as_array()) k.parts.push_back(p.is_string() ? std::optional(p.as_string()) : std::nullopt);
    return k;
  }

  std::unordered_map<std::string, CollectionNode> collections_;
};

}  // namespace

std::unique_ptr<metaport::Layout> make_serdes_layout() { return std::make_unique<SerdesLayout>(); }

}  // namespace bi
