// for_each_secret: visits every Secret<T> value of a document by its type,
// wherever it sits (a top-level member, a member of a nested struct, the
// elements of a list, the values of a map), with its field path. Redaction,
// sealing and the clear-secret warning are all this walk plus one action.
#pragma once
#include "metaport/codec.hpp"
#include "metaport/kind_info.hpp"
#include "metaport/type_desc.hpp"
#include "metaport/value.hpp"

namespace metaport {

namespace detail {
template <class V, class F>
void walk_secrets(const TypeDesc& t, V& v, FieldPath& path, F& fn) {
  if (t.secret) {
    fn(v, static_cast<const FieldPath&>(path));
    return;
  }
  if (!t.holds_secret()) return;
  switch (t.tag) {
    case TypeDesc::Tag::Struct:
      if (!v.is_object()) return;
      for (const auto& f : t.fields) {
        if (!f.type.holds_secret()) continue;
        auto* m = v.find(f.name);
        if (!m) continue;
        path.emplace_back(f.name);
        walk_secrets(f.type, *m, path, fn);
        path.pop_back();
      }
      return;
    case TypeDesc::Tag::List:
      if (!v.is_array()) return;
      for (std::size_t i = 0; i < v.size(); ++i) {
        path.emplace_back(i);
        walk_secrets(*t.elem, v.as_array()[i], path, fn);
        path.pop_back();
      }
      return;
    case TypeDesc::Tag::Map:
      if (!v.is_object()) return;
      for (auto& [k, x] : v.as_object()) {
        path.emplace_back(k);
        walk_secrets(*t.elem, x, path, fn);
        path.pop_back();
      }
      return;
    default:
      return;
  }
}
}  // namespace detail

// fn(Value& secret, const FieldPath& path) for each secret of `doc`, a
// document of `kind` (V = Value or const Value). Null secrets are visited too.
template <class V, class F>
void for_each_secret(const KindInfo& kind, V& doc, F fn) {
  if (!doc.is_object()) return;
  FieldPath path;
  for (const auto& f : kind.fields) {
    if (!f.type.holds_secret()) continue;
    auto* m = doc.find(f.name);
    if (!m) continue;
    path.emplace_back(f.name);
    detail::walk_secrets(f.type, *m, path, fn);
    path.pop_back();
  }
}

}  // namespace metaport
