// What an entity looks like in a dump: the canonical document with secrets
// replaced by the redaction marker (unless --keep-secrets) and the kept
// unknown members put back where they were. Plain code over TypeDesc.
#pragma once
#include "metaport/codec.hpp"
#include "metaport/entity.hpp"
#include "metaport/kind_info.hpp"

namespace metaport::engine {

namespace detail {
inline bool has_secret(const TypeDesc& t) {
  if (t.secret) return true;
  if (t.elem && has_secret(*t.elem)) return true;
  for (const auto& f : t.fields)
    if (has_secret(f.type)) return true;
  return false;
}
inline void redact(const TypeDesc& t, Value& v) {
  if (v.is_null() && !t.secret) return;
  if (t.secret) {
    if (!v.is_null()) v = Value(kRedacted);
    return;
  }
  switch (t.tag) {
    case TypeDesc::Tag::Struct:
      for (const auto& f : t.fields)
        if (has_secret(f.type))
          if (Value* m = v.find(f.name)) redact(f.type, *m);
      break;
    case TypeDesc::Tag::List:
      if (v.is_array() && has_secret(*t.elem))
        for (auto& x : v.as_array()) redact(*t.elem, x);
      break;
    case TypeDesc::Tag::Map:
      if (v.is_object() && has_secret(*t.elem))
        for (auto& [k, x] : v.as_object()) redact(*t.elem, x);
      break;
    default:
      break;
  }
}
}  // namespace detail

// True when some member of the kind is (or holds) a secret.
inline bool kind_has_secrets(const KindInfo& k) {
  for (const auto& f : k.fields)
    if (detail::has_secret(f.type)) return true;
  return false;
}

inline Value present(const Entity& e, bool keep_secrets) {
  Value doc = e.value;
  if (!keep_secrets)
    for (const auto& f : e.kind->fields)
      if (detail::has_secret(f.type))
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
