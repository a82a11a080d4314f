// One JSON Schema (draft 2020-12) per kind, generated from the same
// declarations, so editors and CI can check dump files under review. The
// generator writes them (NAME.schemas.json) and every binary prints them
// (`schema --json-schema KIND`): in the core, so the runtime needs nothing
// from codegen/.
#pragma once
#include <string>

#include "metaport/entity_id.hpp"
#include "metaport/schema.hpp"
#include "metaport/secret.hpp"
#include "metaport/value.hpp"

namespace metaport::json_schema {

namespace detail {
inline Value type_schema(const TypeDesc& t, const SchemaInfo& s);

inline Value ref_schema(const TypeDesc& t, const SchemaInfo& s) {
  Value v = Value::object();
  const KindInfo* target = s.find(t.ref_kind);
  v.set("description", std::string(t.parent ? "the containing " : "a reference to a ") + t.ref_kind);
  if (target && target->key_shape == KeyShape::path) {
    v.set("type", "array");
    v.set("minItems", static_cast<long long>(target->key_min));
    if (target->key_max < 1000) v.set("maxItems", static_cast<long long>(target->key_max));
    Value items = Value::object();
    Value types = Value::array();
    types.push_back("string");
    types.push_back("null");
    items.set("type", std::move(types));
    v.set("items", std::move(items));
  } else if (target && target->key_shape == KeyShape::integer) {
    v.set("type", "integer");
  } else {
    v.set("type", "string");
    if (target && target->key_shape == KeyShape::entity_id) v.set("pattern", "^[A-Za-z0-9_-]{21}$");
  }
  return v;
}

inline Value fields_schema(const std::vector<FieldDesc>& fields, bool open, const SchemaInfo& s) {
  Value v = Value::object();
  v.set("type", "object");
  Value props = Value::object();
  Value required = Value::array();
  for (const auto& f : fields) {
    props.set(f.name, type_schema(f.type, s));
    if (!f.optional) required.push_back(f.name);
  }
  v.set("properties", std::move(props));
  if (required.size()) v.set("required", std::move(required));
  v.set("additionalProperties", open);
  return v;
}

inline Value type_schema(const TypeDesc& t, const SchemaInfo& s) {
  Value v;
  switch (t.tag) {
    case TypeDesc::Tag::Bool: v = Value::object(); v.set("type", "boolean"); break;
    case TypeDesc::Tag::Int: v = Value::object(); v.set("type", "integer"); break;
    case TypeDesc::Tag::Double: v = Value::object(); v.set("type", "number"); break;
    case TypeDesc::Tag::String: v = Value::object(); v.set("type", "string"); break;
    case TypeDesc::Tag::Enum: {
      v = Value::object();
      v.set("type", "string");
      Value e = Value::array();
      for (const auto& x : t.enum_values) e.push_back(x);
      v.set("enum", std::move(e));
      break;
    }
    case TypeDesc::Tag::EntityId: v = Value::object(); v.set("type", "string"); v.set("pattern", "^[A-Za-z0-9_-]{21}$"); break;
    case TypeDesc::Tag::Timestamp: v = Value::object(); v.set("type", "string"); v.set("format", "date-time"); break;
    case TypeDesc::Tag::Ref: v = ref_schema(t, s); break;
    case TypeDesc::Tag::AnyRef: v = Value::object(); v.set("type", "object"); break;
    case TypeDesc::Tag::Document: v = Value::object(); v.set("description", "a free-form document"); break;
    case TypeDesc::Tag::Struct: v = fields_schema(t.fields, t.open, s); break;
    case TypeDesc::Tag::List: v = Value::object(); v.set("type", "array"); v.set("items", type_schema(*t.elem, s)); break;
    case TypeDesc::Tag::Map: v = Value::object(); v.set("type", "object"); v.set("additionalProperties", type_schema(*t.elem, s)); break;
  }
  if (t.secret) {  // a secret may be the redaction marker
    Value any = Value::object();
    Value alts = Value::array();
    alts.push_back(std::move(v));
    Value marker = Value::object();
    marker.set("const", std::string(kRedacted));
    alts.push_back(std::move(marker));
    any.set("anyOf", std::move(alts));
    v = std::move(any);
  }
  if (t.nullable) {
    Value any = Value::object();
    Value alts = Value::array();
    alts.push_back(std::move(v));
    Value null = Value::object();
    null.set("type", "null");
    alts.push_back(std::move(null));
    any.set("anyOf", std::move(alts));
    v = std::move(any);
  }
  return v;
}
}  // namespace detail

inline Value for_kind(const KindInfo& k, const SchemaInfo& s) {
  Value v = detail::fields_schema(k.fields, k.open, s);
  Value out = Value::object();
  out.set("$schema", "https://json-schema.org/draft/2020-12/schema");
  out.set("title", k.name);
  out.set("description", "metaport " + s.name + " version " + std::to_string(s.version) + ": " + k.name);
  for (auto& [key, x] : v.as_object()) out.set(key, std::move(x));
  return out;
}

}  // namespace metaport::json_schema
