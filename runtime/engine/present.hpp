// What an entity looks like in a dump: the canonical document with secrets
// replaced by the redaction marker (unless --keep-secrets) and the kept
// unknown members put back where they were. Plain code over TypeDesc.
#pragma once
#include "metaport/codec.hpp"
#include "metaport/entity.hpp"
#include "metaport/kind_info.hpp"

namespace metaport::engine {

namespace detail {
inline void redact(const TypeDesc& t, Value& v) {
  if (v.is_null() && !t.secret) return;
  if (t.secret) {
    if (!v.is_null()) v = Value(kRedacted);
    return;
  }
  switch (t.tag) {
    case TypeDesc::Tag::Struct:
      for (const auto& f : t.fields)
        if (f.type.holds_secret())
          if (Value* m = v.find(f.name)) redact(f.type, *m);
      break;
    case TypeDesc::Tag::List:
      if (v.is_array() && t.elem->holds_secret())
        for (auto& x : v.as_array()) redact(*t.elem, x);
      break;
    case TypeDesc::Tag::Map:
      if (v.is_object() && t.elem->holds_secret())
        for (auto& [k, x] : v.as_object()) redact(*t.elem, x);
      break;
    default:
      break;
  }
}
inline void clear_secrets(const TypeDesc& t, const Value& v, FieldPath& path, std::vector<std::pair<FieldPath, Mark>>& out) {
  if (t.secret) {
    if (!v.is_null() && !(v.is_string() && v.as_string() == kRedacted)) out.emplace_back(path, v.mark);
    return;
  }
  switch (t.tag) {
    case TypeDesc::Tag::Struct:
      if (!v.is_object()) return;
      for (const auto& f : t.fields)
        if (f.type.holds_secret())
          if (const Value* m = v.find(f.name)) {
            path.emplace_back(f.name);
            clear_secrets(f.type, *m, path, out);
            path.pop_back();
          }
      return;
    case TypeDesc::Tag::List:
      if (!v.is_array() || !t.elem->holds_secret()) return;
      for (std::size_t i = 0; i < v.size(); ++i) {
        path.emplace_back(i);
        clear_secrets(*t.elem, v.as_array()[i], path, out);
        path.pop_back();
      }
      return;
    case TypeDesc::Tag::Map:
      if (!v.is_object() || !t.elem->holds_secret()) return;
      for (const auto& [k, x] : v.as_object()) {
        path.emplace_back(k);
        clear_secrets(*t.elem, x, path, out);
        path.pop_back();
      }
      return;
    default:
      return;
  }
}
}  // namespace detail

// Where a document of `kind` (as read, with its marks) holds a secret in
// clear: neither null nor the redaction marker. For the warning that a
// dump not written with --keep-secrets carries one (a pasted credential).
inline std::vector<std::pair<FieldPath, Mark>> clear_secrets(const KindInfo& kind, const Value& doc) {
  std::vector<std::pair<FieldPath, Mark>> out;
  if (!doc.is_object()) return out;
  FieldPath path;
  for (const auto& f : kind.fields)
    if (f.type.holds_secret())
      if (const Value* m = doc.find(f.name)) {
        path.emplace_back(f.name);
        detail::clear_secrets(f.type, *m, path, out);
        path.pop_back();
      }
  return out;
}

// True when some member of the kind is (or holds) a secret.
inline bool kind_has_secrets(const KindInfo& k) {
  for (const auto& f : k.fields)
    if (f.type.holds_secret()) return true;
  return false;
}

inline Value present(const Entity& e, bool keep_secrets) {
  Value doc = e.value;
  if (!keep_secrets)
    for (const auto& f : e.kind->fields)
      if (f.type.holds_secret())
        if (Value* m = doc.find(f.name)) detail::redact(f.type, *m);
  // Unknown members of kinds whose members include secrets are carried as
  // they came (they are not known to be secrets).
  if (!e.unknowns.empty()) apply_unknowns(doc, e.unknowns);
  return doc;
}

// The same without a copy when there is nothing to change (no unknowns, and
// secrets kept or none in the kind, `has_secrets` = kind_has_secrets(kind)):
// e.value itself, else present() built in `scratch`. Copying every document
// was a fifth of a dump's time.
inline const Value& present(const Entity& e, bool keep_secrets, bool has_secrets, Value& scratch) {
  if (e.unknowns.empty() && (keep_secrets || !has_secrets)) return e.value;
  scratch = present(e, keep_secrets);
  return scratch;
}

}  // namespace metaport::engine
