// serdes documents <-> model documents (serdes_codec.hpp; docs/metabase.md).
#include "entities/bi/serdes_codec.hpp"

#include <boost/mp11.hpp>
#include <functional>
#include <map>
#include <set>

#include "entities/bi/legacy_mbql.hpp"
#include "entities/bi/metabase_slug.hpp"
#include "entities/bi/query.hpp"
#include "entities/bi/schema.hpp"
#include "entities/bi/serdes_order.hpp"
#include "metaport/entity_id.hpp"

namespace bi::serdes {

using metaport::FieldDesc;
using metaport::TypeDesc;
using metaport::UpgradeContext;
using metaport::UpgradeRecord;
using Array = Value::Array;

namespace {

// ---- the model's shapes ------------------------------------------------------------------
struct KindShape {
  std::vector<FieldDesc> fields;
  bool open = false;
};

const std::map<std::string, KindShape, std::less<>>& shapes() {
  static const auto m = [] {
    std::map<std::string, KindShape, std::less<>> out;
    boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, Schema::kinds>>([&](auto id) {
      using T = typename decltype(id)::type;
      out[std::string(metaport::kind_traits<T>::name)] = {metaport::describe_fields<T>(), metaport::kind_traits<T>::open};
    });
    return out;
  }();
  return m;
}

const KindShape* shape_of(std::string_view kind) {
  auto it = shapes().find(kind);
  return it == shapes().end() ? nullptr : &it->second;
}

// ---- Metabase's members the model has no place for ----------------------------------------
// Paths below the entity (see split_path).
// Closed kinds: these move into `serdes`. Open kinds: these are the members a
// Metabase file of the kind may have beyond the model's (the rest is an error).
const std::map<std::string_view, std::vector<std::string_view>, std::less<>>& metabase_members() {
  static const std::map<std::string_view, std::vector<std::string_view>, std::less<>> m = {
      {"Card", {"cache_ttl", "dataset", "workspace_id", "parameters.*.position"}},
      {"Dashboard",
       {"cache_ttl", "workspace_id", "parameters.*.position", "dashcards.*.series.*.serdes/meta",
        "dashcards.*.dashboard_id"}},
      {"Collection", {"workspace_id", "color"}},
      {"NativeQuerySnippet", {"workspace_id"}},
      {"Segment", {"points_of_interest", "caveats", "show_in_getting_started", "workspace_id"}},
      {"Measure", {"points_of_interest", "caveats", "show_in_getting_started", "workspace_id"}},
      {"Timeline", {"workspace_id", "events.*.serdes/meta"}},
      {"Document", {"workspace_id", "last_viewed_at", "updated_at"}},
      {"Transform",
       {"owner_email", "owner_user_id", "workspace_id", "updated_at", "run_trigger", "source_type", "tag_associations"}},
      {"TransformJob", {"workspace_id", "updated_at"}},
      {"TransformTag", {"workspace_id", "updated_at"}},
      {"PythonLibrary", {"workspace_id", "language", "updated_at"}},
      {"Metabot", {"workspace_id"}},
      {"Channel", {"workspace_id"}},
      // open kinds
      // FieldUserSettings: what its make-spec copies beyond the model's members
      // (1.5x: nfc_path, json_unfolding, data_sensitivity; later versions the
      // custom position, the *_set flags and the accepted AI values).
      {"FieldUserSettings",
       {"nfc_path", "json_unfolding", "data_sensitivity", "custom_position", "description_set", "semantic_type_set",
        "fk_target_field_id_set", "data_sensitivity_set", "ai_semantic_type", "ai_description", "ai_data_sensitivity",
        "workspace_id"}},
      {"Database",
       {"dbms_version", "is_audit", "is_attached_dwh", "provider_name", "uploads_enabled", "uploads_schema_name",
        "uploads_table_prefix", "cache_ttl", "initial_sync_status", "options", "router_database_id", "workspace_id"}},
      {"Table",
       {"is_upload", "initial_sync_status", "database_require_filter", "is_defective_duplicate", "unique_table_helper",
        "is_writable", "data_authority", "data_source", "owner_email", "owner_user_id", "is_published", "archived_at",
        "deactivated_at", "data_layer", "collection_id", "entity_id", "workspace_id", "estimated_row_count"}},
      {"Field",
       {"custom_position", "database_indexed", "database_is_auto_increment", "database_partitioned",
        "database_required", "is_defective_duplicate", "preview_display", "unique_field_helper", "fingerprint",
        "fingerprint_version", "last_analyzed", "entity_id", "workspace_id"}},
      {"Action", {"workspace_id", "updated_at"}},
  };
  return m;
}

// Paths in `serdes` and the patterns above: members joined by '.', list
// items named by selector() ('*' in a pattern for every item).
std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    out.emplace_back(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ".") + p;
  return out;
}

// How a list item is named in a path: its entity_id, else its id, else its
// position (stable names survive reordering and deletion of other items).
std::string selector(const Value& item, std::size_t i) {
  for (const char* k : {"entity_id", "id"})
    if (const Value* v = item.is_object() ? item.find(k) : nullptr; v && v->is_string() && !v->as_string().empty())
      return v->as_string();
  return std::to_string(i);
}

Value* item_by_selector(Value& list, const std::string& sel) {
  if (!list.is_array()) return nullptr;
  auto& a = list.as_array();
  for (std::size_t i = 0; i < a.size(); ++i)
    if (selector(a[i], i) == sel) return &a[i];
  return nullptr;
}

// Every (concrete path, holder, member) that `pattern` ('*' items) matches in doc.
void match(Value& v, const std::vector<std::string>& pat, std::size_t i, std::vector<std::string>& concrete,
           const std::function<void(Value& holder, const std::string& member, const std::vector<std::string>& path)>& f) {
  if (i + 1 == pat.size()) {
    if (v.is_object() && v.find(pat[i])) {
      concrete.push_back(pat[i]);
      f(v, pat[i], concrete);
      concrete.pop_back();
    }
    return;
  }
  if (!v.is_object()) return;
  Value* next = v.find(pat[i]);
  if (!next) return;
  concrete.push_back(pat[i]);
  if (pat[i + 1] == "*") {
    if (next->is_array()) {
      auto& a = next->as_array();
      for (std::size_t k = 0; k < a.size(); ++k) {
        concrete.push_back(selector(a[k], k));
        if (i + 2 < pat.size()) match(a[k], pat, i + 2, concrete, f);
        concrete.pop_back();
      }
    }
  } else {
    match(*next, pat, i + 1, concrete, f);
  }
  concrete.pop_back();
}

// The value at a concrete path (selectors for list items), or null.
Value* at_path(Value& doc, const std::vector<std::string>& parts, std::size_t n) {
  Value* v = &doc;
  for (std::size_t i = 0; i < n; ++i) {
    if (v->is_object()) v = v->find(parts[i]);
    else if (v->is_array()) v = item_by_selector(*v, parts[i]);
    else return nullptr;
    if (!v) return nullptr;
  }
  return v;
}

// ---- text objects ---------------------------------------------------------------------------
// An untranslated text ({format-string: "Daily", args: [], ...}): Metabase
// writes names of built-in tags and jobs that way in some versions. Its text
// is the format string with {0}, {1}... replaced by the args (as Java's
// MessageFormat does for plain arguments; '' is a quote).
bool is_text_object(const Value& v) {
  const Value* f = v.is_object() ? v.find("format-string") : nullptr;
  return f && f->is_string();
}

std::string render_text(const Value& obj) {
  const std::string& f = obj.find("format-string")->as_string();
  const Value* args = obj.find("args");
  std::string out;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] == '\'' && i + 1 < f.size() && f[i + 1] == '\'') {
      out += '\'';
      ++i;
    } else if (f[i] == '{') {
      const std::size_t close = f.find('}', i);
      const std::string n = close == std::string::npos ? "" : f.substr(i + 1, close - i - 1);
      if (!n.empty() && n.find_first_not_of("0123456789") == std::string::npos && args && args->is_array() &&
          std::stoul(n) < args->size()) {
        const Value& a = args->as_array()[std::stoul(n)];
        out += a.is_string() ? a.as_string() : a.is_int() ? std::to_string(a.as_int()) : std::string();
        i = close;
      } else {
        out += f[i];
      }
    } else {
      out += f[i];
    }
  }
  return out;
}

// ---- converted members ------------------------------------------------------------------------
// A member whose serdes spelling the model holds in another form: the file's
// value is kept in `serdes` and written back while it still converts to the
// entity's value.
struct Converted {
  std::string_view kind;
  std::string_view path;  // '*' for list items
  // Whether the file's value needs converting (legacy MBQL, a text object...).
  bool (*applies)(const Value&);
  // The model's value; problems through ctx.
  Value (*convert)(const Value& v, const std::string& where, const std::string& seed, UpgradeContext& ctx);
};

bool legacy(const Value& v) { return legacy_mbql::is_legacy(v); }
Value to_pmbql(const Value& v, const std::string& where, const std::string& seed, UpgradeContext& ctx) {
  return legacy_mbql::to_pmbql(v, where, seed, ctx);
}
bool text_object(const Value& v) { return is_text_object(v); }
Value text_of(const Value& v, const std::string&, const std::string&, UpgradeContext&) { return Value(render_text(v)); }

// A python transform's source tables as Metabase 1.5x wrote them: a map
// {alias: table}. A table given as a Table FK [database, schema, table]
// converts to the v1.0.0 list item {alias, database_id, schema, table}; one
// given by local id (a number: only the instance that wrote it knows the
// table) cannot, and the list stays empty (the map is kept in `serdes`).
bool table_map(const Value& v) { return v.is_object(); }
Value table_list(const Value& v, const std::string&, const std::string&, UpgradeContext&) {
  Value list = Value::array();
  for (const auto& [alias, t] : v.as_object()) {
    auto fk = query::table_key_of(t);
    if (!fk) return Value::array();
    Value item = Value::object();
    item.set("alias", alias);
    item.set("database_id", *fk->parts[0]);
    item.set("schema", fk->parts[1] ? Value(*fk->parts[1]) : Value());
    item.set("table", *fk->parts[2]);
    list.push_back(std::move(item));
  }
  return list;
}
// A numeric database (a local id): the v1.0.0 member is left out.
bool local_id(const Value& v) { return v.is_int(); }
Value absent(const Value&, const std::string&, const std::string&, UpgradeContext&) { return Value(); }

const std::vector<Converted>& converted_members() {
  static const std::vector<Converted> c = {
      {"Card", "dataset_query", legacy, to_pmbql},
      {"Segment", "definition", legacy, to_pmbql},
      {"Measure", "definition", legacy, to_pmbql},
      {"Transform", "source.query", legacy, to_pmbql},
      {"Transform", "source.source-tables", table_map, table_list},
      {"Transform", "source.source-database", local_id, absent},
      {"Action", "query.*.dataset_query", legacy, to_pmbql},
      {"", "name", text_object, text_of},
      {"", "description", text_object, text_of},
  };
  return c;
}

std::string seed_of(std::string_view kind, const Value& doc) {
  const Value* id = doc.find("entity_id");
  return std::string(kind) + "/" + (id && id->is_string() ? id->as_string() : std::string("?"));
}

// ---- reading: nulls ---------------------------------------------------------------------------
// A null where the model's member may be absent but not null (v1.0.0 leaves
// it out): kept in `serdes`, left out of the model's document. At any depth
// of the typed members; a required member that is null stays for the decoder
// to report.
void move_nulls(Value& obj, const std::vector<FieldDesc>& fields, std::vector<std::string>& path, Value& extras);

void move_nulls_in(Value& v, const TypeDesc& t, std::vector<std::string>& path, Value& extras) {
  if (t.tag == TypeDesc::Tag::Struct && v.is_object()) {
    move_nulls(v, t.fields, path, extras);
  } else if (t.tag == TypeDesc::Tag::List && t.elem && v.is_array()) {
    auto& a = v.as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      path.push_back(selector(a[i], i));
      move_nulls_in(a[i], *t.elem, path, extras);
      path.pop_back();
    }
  }
}

void move_nulls(Value& obj, const std::vector<FieldDesc>& fields, std::vector<std::string>& path, Value& extras) {
  for (const auto& f : fields) {
    Value* v = obj.find(f.name);
    if (!v) continue;
    path.push_back(f.name);
    if (v->is_null()) {
      if (f.optional && !f.type.nullable) {
        extras.set(join(path), Value());
        obj.erase(f.name);
      }
    } else {
      move_nulls_in(*v, f.type, path, extras);
    }
    path.pop_back();
  }
}


Value meta(std::string_view model, const std::string& id, std::optional<std::string> label = std::nullopt) {
  Value e = Value::object();
  e.set("id", id);
  if (label) e.set("label", *label);
  e.set("model", std::string(model));
  return e;
}

std::string string_member(const Value& doc, std::string_view m) {
  const Value* v = doc.find(m);
  return v && v->is_string() ? v->as_string() : std::string();
}

// serdes/meta as Metabase 1.5x writes it.
Value metabase_path(std::string_view kind, const metaport::Key& key, const Value& doc) {
  Value path = Value::array();
  if (kind == "Database" || kind == "Table" || kind == "Field") {
    for (std::size_t i = 0; i < key.size(); ++i) {
      if (i == 1) {
        if (key.parts[1]) path.push_back(meta("Schema", *key.parts[1]));
        continue;
      }
      path.push_back(meta(i == 0 ? "Database" : i == 2 ? "Table" : "Field", key.parts[i].value_or("")));
    }
    return path;
  }
  if (kind == "Channel" || kind == "Glossary") {  // named by their name or term; a channel is labelled
    const std::string label = label_of(kind, doc);
    path.push_back(meta(kind, key.first(), label.empty() ? std::nullopt : std::optional(label)));
    return path;
  }
  const std::string label = label_of(kind, doc);
  path.push_back(meta(kind, string_member(doc, "entity_id"), label.empty() ? std::nullopt : std::optional(label)));
  return path;
}

// Dashboard tabs and dashcards carry their own paths in Metabase's files:
// [Dashboard, DashboardTab] and [Dashboard, DashboardTab (when on a tab), DashboardCard].
void nested_paths(Value& dash) {
  const std::string self = string_member(dash, "entity_id");
  if (Value* tabs = dash.find("tabs"); tabs && tabs->is_array())
    for (auto& t : tabs->as_array())
      if (t.is_object())
        t.set("serdes/meta", Value(Array{meta("Dashboard", self), meta("DashboardTab", string_member(t, "entity_id"))}));
  if (Value* cards = dash.find("dashcards"); cards && cards->is_array())
    for (auto& d : cards->as_array()) {
      if (!d.is_object()) continue;
      Value p(Array{meta("Dashboard", self)});
      if (const Value* tab = d.find("dashboard_tab_id"); tab && tab->is_array() && tab->size() == 2 &&
                                                          tab->as_array()[1].is_string())
        p.push_back(meta("DashboardTab", tab->as_array()[1].as_string()));
      p.push_back(meta("DashboardCard", string_member(d, "entity_id")));
      d.set("serdes/meta", std::move(p));
    }
}

// What Metabase derives from a card's query and writes: its database, the
// query's language, the first stage's table or card (null when none).
Value card_derived(const Value& q) {
  Value out = Value::object();
  if (!q.is_object()) return out;
  if (auto db = query::database_of(q)) out.set("database_id", *db);
  if (auto lang = query::language_of(q)) out.set("query_type", *lang == query::Language::native ? "native" : "query");
  Value table, card;
  if (const Value* stage = query::first_stage(q)) {
    if (const Value* t = stage->find("source-table"); t && query::table_key_of(*t)) table = *t;
    if (const Value* c = stage->find("source-card"); c && c->is_string()) card = *c;
  }
  out.set("table_id", std::move(table));
  out.set("source_card_id", std::move(card));
  return out;
}

// A segment's or measure's table, from its definition's first stage.
Value definition_table(const Value& doc) {
  const Value* def = doc.find("definition");
  if (!def) return Value();
  if (auto t = query::source_table_of(*def)) {
    Value fk = Value::array();
    for (const auto& part : t->parts) fk.push_back(part ? Value(*part) : Value());
    return fk;
  }
  return Value();
}

// Everything Metabase derives and writes that the serdes layout recomputes,
// by path: a card's database_id, query_type, table_id and source_card_id, a
// segment's or measure's table_id, the paths of a dashboard's tabs and
// dashcards. Read, a derived member equal to this is dropped (the model
// recomputes it, or has no place for it); one that differs is kept as
// written in `serdes` and goes back as written.
Value derived_members(std::string_view kind, const Value& doc) {
  Value out = Value::object();
  if (kind == "Card") {
    if (const Value* q = doc.find("dataset_query")) out = card_derived(*q);
  } else if (kind == "Segment" || kind == "Measure") {
    if (Value t = definition_table(doc); !t.is_null()) out.set("table_id", std::move(t));
  } else if (kind == "Dashboard") {
    Value d = doc;
    nested_paths(d);
    for (const char* list : {"tabs", "dashcards"})
      if (const Value* items = d.find(list); items && items->is_array())
        for (std::size_t i = 0; i < items->size(); ++i)
          if (const Value* m = items->as_array()[i].find("serdes/meta"))
            out.set(std::string(list) + "." + selector(items->as_array()[i], i) + ".serdes/meta", *m);
  }
  return out;
}

}  // namespace

// ---- reading ------------------------------------------------------------------------------------
std::optional<Value> to_model(std::string_view kind, Value doc, bool keep_unknown, Errors& errors) {
  if (kind == "LegacyMetric" || kind == "Metric") {
    errors.add("serdes/meta", doc.mark,
               "a " + std::string(kind) +
                   " (a metric of the data model, removed in Metabase 0.50) has no place in the Representation "
                   "Format: export again from Metabase 0.50 or newer, which turns it into a metric card");
    return std::nullopt;
  }
  if (kind == "Settings") return doc;  // settings.yaml is the same in both layouts
  const KindShape* shape = shape_of(kind);
  if (!shape) return doc;  // the loader reports the unknown kind
  if (!doc.is_object()) {
    errors.add("", doc.mark, "an entity file is a map, not " + std::string(doc.type_name()));
    return std::nullopt;
  }
  Value extras = Value::object();
  const std::string seed = seed_of(kind, doc);

  // Members held in another form by the model.
  for (const auto& c : converted_members()) {
    if (!c.kind.empty() && c.kind != kind) continue;
    std::vector<std::string> concrete;
    match(doc, split_path(c.path), 0, concrete, [&](Value& holder, const std::string& member, const std::vector<std::string>& p) {
      Value& v = *holder.find(member);
      if (!c.applies(v)) return;
      Errors errs;
      std::vector<UpgradeRecord> emitted;
      UpgradeContext ctx(errs, emitted);
      Value converted = c.convert(v, join(p), seed, ctx);
      if (!errs.empty()) {
        errors.append(errs);
        return;
      }
      extras.set(join(p), v);
      if (converted.is_null() && !v.is_null()) holder.erase(member);
      else v = std::move(converted);
    });
  }

  // A collection type Metabase 1.57-1.59 wrote that v1.0.0 does not have.
  if (kind == "Collection")
    if (Value* t = doc.find("type"); t && t->is_string() && t->as_string() == "remote-synced") {
      extras.set("type", *t);
      doc.erase("type");
    }

  // Members Metabase derives (from the converted query): dropped when they
  // say what the document implies, kept as written when they do not.
  const Value derived = derived_members(kind, doc);
  for (const auto& [p, expected] : derived.as_object()) {
    const auto parts = split_path(p);
    Value* holder = at_path(doc, parts, parts.size() - 1);
    if (!holder || !holder->is_object()) continue;
    const Value* v = holder->find(parts.back());
    if (!v) continue;
    if (!(*v == expected)) extras.set(p, *v);
    holder->erase(parts.back());
  }

  // Members Metabase writes that the model has no place for.
  auto known = metabase_members().find(kind);
  if (!shape->open) {
    if (known != metabase_members().end())
      for (std::string_view pattern : known->second) {
        std::vector<std::string> concrete;
        std::vector<std::pair<Value*, std::string>> moved;
        match(doc, split_path(pattern), 0, concrete,
              [&](Value& holder, const std::string& member, const std::vector<std::string>& p) {
                extras.set(join(p), *holder.find(member));
                moved.emplace_back(&holder, member);
              });
        for (auto& [holder, member] : moved) holder->erase(member);
      }
  } else if (!keep_unknown) {
    for (const auto& [k, v] : doc.as_object()) {
      bool ok = k == "serdes";
      for (const auto& f : shape->fields) ok = ok || f.name == k;
      if (known != metabase_members().end())
        for (std::string_view m : known->second) ok = ok || m == k;
      if (!ok)
        errors.add(k, v.mark,
                   "unknown field '" + k + "': Metabase's " + std::string(kind) +
                       " files have no such member (--keep-unknown carries it through unchanged)");
    }
  }

  std::vector<std::string> path;
  move_nulls(doc, shape->fields, path, extras);

  // With problems the document still goes on (the loader reports them
  // against the entity, whose key it then knows): an unconverted query is
  // left as it was.
  if (extras.size() > 0) {
    if (Value* own = doc.find("serdes")) {
      errors.add("serdes", own->mark, "a serdes file has no `serdes` member (it is what metaport keeps of one)");
      return doc;
    }
    doc.set("serdes", std::move(extras));
  }
  return doc;
}

std::string label_of(std::string_view kind, const Value& doc) {
  if (kind == "Collection") {
    if (const Value* s = doc.find("slug"); s && s->is_string()) return s->as_string();
    return metabase_slugify(string_member(doc, "name"), /*unicode=*/false);
  }
  // A python library has no name; a metabot's path is its entity_id alone
  // (Metabase's generate-path for Metabot is infer-self-path, no label).
  if (kind == "PythonLibrary" || kind == "Metabot") return {};
  const Value* name = doc.find("name");
  if (name && is_text_object(*name)) name = name->find("format-string");  // as Metabase labels it
  if (!name || !name->is_string() || name->as_string().empty()) return {};
  return metabase_slugify(name->as_string());
}

Value from_model(std::string_view kind, const metaport::Key& key, Value doc) {
  if (!doc.is_object()) return doc;
  if (kind == "Settings") {  // settings.yaml: a sorted map (Metabase writes it from a sorted-map)
    serdes_order::sort_like_metabase(doc, kind);
    return doc;
  }
  Value extras = Value::object();
  if (Value* s = doc.find("serdes")) {
    if (s->is_object()) extras = std::move(*s);
    doc.erase("serdes");
  }
  const std::string seed = seed_of(kind, doc);
  // What Metabase derives, from the entity as it is (its pMBQL query).
  const Value derived = derived_members(kind, doc);

  // Converted members: the file's spelling while it still converts to the
  // entity's value (else the entity's value, as it is).
  std::set<std::string> handled;
  for (const auto& c : converted_members()) {
    if (!c.kind.empty() && c.kind != kind) continue;
    const auto pat = split_path(c.path);
    for (const auto& [p, original] : extras.as_object()) {
      const auto parts = split_path(p);
      if (pat.size() != parts.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < pat.size(); ++i) same = same && (pat[i] == "*" || pat[i] == parts[i]);
      if (!same) continue;
      handled.insert(p);
      Value* holder = at_path(doc, parts, parts.size() - 1);
      if (!holder || !holder->is_object()) continue;  // its owner is gone
      Errors errs;
      std::vector<UpgradeRecord> emitted;
      UpgradeContext ctx(errs, emitted);
      const Value converted = c.convert(original, join(parts), seed, ctx);
      const Value* now = holder->find(parts.back());
      if (errs.empty() && (now ? *now == converted : converted.is_null())) holder->set(parts.back(), original);
    }
  }

  // What the file had and the model has no place for, back where it was
  // (where the model has a value, the model's wins).
  for (const auto& [p, v] : extras.as_object()) {
    if (handled.count(p) || derived.find(p)) continue;
    const auto parts = split_path(p);
    Value* holder = at_path(doc, parts, parts.size() - 1);
    if (holder && holder->is_object() && !holder->find(parts.back())) holder->set(parts.back(), v);
  }

  // serdes/meta (FieldValues and FieldUserSettings keep theirs: it is their
  // identity), then the derived members; one the file had differently goes
  // back as it was written.
  if (kind != "FieldValues" && kind != "FieldUserSettings") doc.set("serdes/meta", metabase_path(kind, key, doc));
  for (const auto& [p, computed] : derived.as_object()) {
    const auto parts = split_path(p);
    Value* holder = at_path(doc, parts, parts.size() - 1);
    if (!holder || !holder->is_object()) continue;
    const Value* kept = extras.find(p);
    holder->set(parts.back(), kept ? *kept : computed);
  }
  serdes_order::sort_like_metabase(doc, kind);
  return doc;
}

}  // namespace bi::serdes
