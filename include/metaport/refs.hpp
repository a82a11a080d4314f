// Finding references in a canonical entity document. Typed references (Ref<T>,
// Parent<T> anywhere in the struct, nested structs and lists included) are
// found from the TypeDesc; references inside free-form documents (queries,
// visualization settings, ...) by the schema's own walker. Both count alike
// for validation, dependency order and closure.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "metaport/entity.hpp"
#include "metaport/kind_info.hpp"

namespace metaport {

struct FoundRef {
  std::string kind;       // the target kind
  Key key;                // the target's portable key
  FieldPath path;         // where in the document
  bool column = false;    // a top-level member: stored as a local-id column (a foreign key)
  bool nullable = false;  // may be absent or null (a cycle through it can be patched later)
  bool parent = false;    // Parent<T>: the target contains this entity
};
using RefSink = std::function<void(const FoundRef&)>;

// The key written at a reference, or nullopt if it is not well-formed.
inline std::optional<Key> key_from_value(const Value& v) {
  if (v.is_string()) return Key(v.as_string());
  if (v.is_int()) return Key(std::to_string(v.as_int()));  // KeyShape::integer
  if (!v.is_array()) return std::nullopt;
  Key k;
  for (const auto& p : v.as_array()) {
    if (p.is_null()) k.parts.emplace_back(std::nullopt);
    else if (p.is_string()) k.parts.emplace_back(p.as_string());
    else return std::nullopt;
  }
  return k;
}
// key_to_value(const Key&, KeyShape), the inverse, is in codec.hpp.

namespace detail {
inline void typed_refs(const TypeDesc& t, const Value& v, FieldPath& path, bool top, bool nullable,
                       const RefSink& sink) {
  if (v.is_null()) return;
  switch (t.tag) {
    case TypeDesc::Tag::Ref: {
      if (auto k = key_from_value(v)) {
        FoundRef r;
        r.kind = t.ref_kind;
        r.key = std::move(*k);
        r.path = path;
        r.column = top;
        r.nullable = nullable || t.nullable;
        r.parent = t.parent;
        sink(r);
      }
      break;
    }
    case TypeDesc::Tag::Struct:
      if (!v.is_object()) break;
      for (const auto& f : t.fields) {
        if (const Value* m = v.find(f.name)) {
          path.emplace_back(f.name);
          typed_refs(f.type, *m, path, false, nullable || f.optional, sink);
          path.pop_back();
        }
      }
      break;
    case TypeDesc::Tag::List:
      if (!v.is_array()) break;
      for (std::size_t i = 0; i < v.size(); ++i) {
        path.emplace_back(i);
        typed_refs(*t.elem, v.as_array()[i], path, false, nullable, sink);
        path.pop_back();
      }
      break;
    case TypeDesc::Tag::Map:
      if (!v.is_object()) break;
      for (const auto& [k, m] : v.as_object()) {
        path.emplace_back(k);
        typed_refs(*t.elem, m, path, false, nullable, sink);
        path.pop_back();
      }
      break;
    default:
      break;
  }
}
}  // namespace detail

// Every typed reference of a canonical entity document.
inline void find_typed_refs(const KindInfo& kind, const Value& doc, const RefSink& sink) {
  FieldPath path;
  for (const auto& f : kind.fields) {
    if (const Value* m = doc.find(f.name)) {
      path.emplace_back(f.name);
      detail::typed_refs(f.type, *m, path, true, f.optional, sink);
      path.pop_back();
    }
  }
}

}  // namespace metaport
