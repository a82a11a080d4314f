// Pieces every bi kind shares: the forward declarations (kinds refer to each
// other in cycles: a card may live in a dashboard that shows the card), the
// `serdes/meta` identity path, small enums used by several kinds, and the
// helpers the derive hooks and semantic checks are written with.
//
// The bi schema is Metabase's Representation Format v1.0.0; see
// docs/bi-schema.md for the modelling decisions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entities/bi/metabase_slug.hpp"
#include "metaport/metaport.hpp"

namespace bi {

using metaport::Derived;
using metaport::EntityId;
using metaport::Key;
using metaport::Maybe;
using metaport::Nullable;
using metaport::Parent;
using metaport::Ref;
using metaport::Secret;
using metaport::Timestamp;

// Every kind of the schema (see schema.hpp for the dependency order).
struct User;
struct Settings;
struct Database;
struct Table;
struct Field;
struct FieldValues;
struct FieldUserSettings;
struct Collection;
struct NativeQuerySnippet;
struct Card;
struct Dashboard;
struct Document;
struct Segment;
struct Measure;
struct Timeline;
struct TransformTag;
struct TransformJob;
struct Transform;
struct PythonLibrary;
struct Action;
struct Channel;
struct Glossary;
struct Metabot;

// ---- serdes/meta ------------------------------------------------------------
// One step of an entity's identity path. Entities keyed by entity_id carry a
// `label` (the slug of their name); data-model entities and name-keyed kinds
// do not.
struct SerdesMetaEntry {
  std::string id;
  std::optional<std::string> label;
  std::string model;
  friend bool operator==(const SerdesMetaEntry&, const SerdesMetaEntry&) = default;
};
BOOST_DESCRIBE_STRUCT(SerdesMetaEntry, (), (id, label, model))

using SerdesMeta = std::vector<SerdesMetaEntry>;

inline SerdesMetaEntry meta_entry(std::string_view model, std::string id,
                                  std::optional<std::string> label = std::nullopt) {
  return SerdesMetaEntry{std::move(id), std::move(label), std::string(model)};
}

// [{id, label: slug(name), model}] -- the path of an entity_id kind, the
// label as Metabase makes it (metabase_slug.hpp).
inline SerdesMeta labeled_self_path(std::string_view model, const EntityId& id, const std::string& name) {
  return {meta_entry(model, id.str(), metabase_slugify(name))};
}

// Recomputes an entity_id kind's own path in place. The label is written
// only when the document had one (or had no path at all): Metabase's own
// files leave it out in places, and a file read and written again must
// not gain lines nobody wrote. The label is the slug of the name (or, with
// _with_label, a collection's own slug).
inline void derive_self_path_with_label(SerdesMeta& meta, std::string_view model, const EntityId& id, std::string label) {
  const bool labeled = meta.empty() || meta.back().label.has_value();
  meta = {meta_entry(model, id.str(), labeled ? std::optional<std::string>(std::move(label)) : std::nullopt)};
}
inline void derive_self_path(SerdesMeta& meta, std::string_view model, const EntityId& id, const std::string& name) {
  derive_self_path_with_label(meta, model, id, metabase_slugify(name));
}


// The data-model part of a path, from a data-model key
// [db, schema|null, table, field, nested field...]:
// Database, Schema (left out for schemaless databases), Table, Field...
inline SerdesMeta data_model_path(const Key& key) {
  SerdesMeta out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const auto& part = key.parts[i];
    if (i == 1) {
      if (part) out.push_back(meta_entry("Schema", *part));
      continue;
    }
    std::string_view model = i == 0 ? "Database" : i == 2 ? "Table" : "Field";
    out.push_back(meta_entry(model, part.value_or("")));
  }
  return out;
}

// The inverse, for the kinds whose only identity is their path (FieldValues,
// FieldUserSettings): [Database, Schema?, Table, Field+, <tail_model>].
// Returns the field key, or the reason the path is not one.
struct DataModelPathResult {
  std::optional<Key> key;
  std::string why;
};
inline DataModelPathResult field_key_from_path(const SerdesMeta& path, std::string_view tail_model) {
  DataModelPathResult r;
  std::size_t i = 0;
  Key k;
  auto expect = [&](std::string_view model) {
    if (i >= path.size() || path[i].model != model) {
      r.why = "serdes/meta must be [Database, Schema (optional), Table, Field..., " + std::string(tail_model) +
              "]; entry " + std::to_string(i) + " should be a " + std::string(model) +
              (i < path.size() ? ", not a " + path[i].model : "");
      return false;
    }
    return true;
  };
  if (!expect("Database")) return r;
  k.parts.emplace_back(path[i++].id);
  if (i < path.size() && path[i].model == "Schema")
    k.parts.emplace_back(path[i++].id);
  else
    k.parts.emplace_back(std::nullopt);
  if (!expect("Table")) return r;
  k.parts.emplace_back(path[i++].id);
  if (!expect("Field")) return r;
  while (i < path.size() && path[i].model == "Field") k.parts.emplace_back(path[i++].id);
  if (!expect(tail_model)) return r;
  if (++i != path.size()) {
    r.why = "serdes/meta must end with its " + std::string(tail_model) + " entry";
    return r;
  }
  r.key = std::move(k);
  return r;
}

// ---- enums shared by several kinds ---------------------------------------------
enum class EmbeddingType { sdk, standalone };
BOOST_DESCRIBE_ENUM(EmbeddingType, sdk, standalone)

// Transform tags and jobs: the four tags/jobs Metabase ships with.
enum class BuiltInType { hourly, daily, weekly, monthly };
BOOST_DESCRIBE_ENUM(BuiltInType, hourly, daily, weekly, monthly)

// ---- helpers for semantic checks -------------------------------------------------
// Characters, not bytes: limits in the format ("1-254 characters") count
// what a person sees (UTF-8 continuation bytes are not counted).
inline std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

// JSON Schema `format: uuid` (8-4-4-4-12 hex digits).
inline bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

// Users are referenced by email (JSON Schema `format: email`): one '@' with
// something on both sides, a dot in the domain, no spaces.
inline bool is_email(std::string_view s) {
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  if (s.find('@', at + 1) != std::string_view::npos) return false;
  if (s.find_first_of(" \t\r\n") != std::string_view::npos) return false;
  const auto domain = s.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
}

inline void check_user_ref(metaport::Checker& c, std::string_view field, const Ref<User>& r) {
  if (!is_email(r.key.first()))
    c.error(field, "a user is referenced by email address, '" + r.key.first() + "' is not one");
}
inline void check_user_ref(metaport::Checker& c, std::string_view field, const Maybe<Ref<User>>& r) {
  if (r && r->has_value()) check_user_ref(c, field, **r);
}
inline void check_user_ref(metaport::Checker& c, std::string_view field, const std::optional<Ref<User>>& r) {
  if (r) check_user_ref(c, field, *r);
}

inline void check_uuid(metaport::Checker& c, std::string_view field, const Maybe<std::string>& s) {
  if (s && s->has_value() && !is_uuid(**s))
    c.error(field, "'" + **s + "' is not a UUID (8-4-4-4-12 hexadecimal digits)");
}

// Free-form documents whose schema says `type: object`.
inline void check_map(metaport::Checker& c, std::string_view field, const metaport::Document& d) {
  if (!d.is_object()) c.error(field, std::string("expected a map, got ") + std::string(d.type_name()));
}
inline void check_map(metaport::Checker& c, std::string_view field, const std::optional<metaport::Document>& d) {
  if (d) check_map(c, field, *d);
}
inline void check_map(metaport::Checker& c, std::string_view field, const Maybe<metaport::Document>& d) {
  if (d && d->has_value()) check_map(c, field, **d);
}

}  // namespace bi

METAPORT_ENUM_STYLE(bi::EmbeddingType, identity)
METAPORT_ENUM_STYLE(bi::BuiltInType, identity)
