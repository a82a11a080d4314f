// KindInfo / SchemaInfo: the runtime view of a schema, built once from the
// declarations (make_schema_info<S>()). The only templated operation is
// `normalize`: strict decode into the C++ struct, derive, and re-encode.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "metaport/entity.hpp"
#include "metaport/kind.hpp"
#include "metaport/type_desc.hpp"

namespace metaport {

struct KindInfo {
  std::string name;
  int since = 1;
  bool open = false;
  bool dumped = true;
  KeyShape key_shape = KeyShape::entity_id;
  std::size_t key_min = 1, key_max = 1;
  std::uint32_t key_nullable_parts = 0;
  std::vector<FieldDesc> fields;  // top-level members, in declaration order
  // Top-level members the schema declares carried through unchanged, though
  // the kind is closed (SchemaInfo: S::carried_members()): free-form, kept
  // and dumped as they came, like an open kind's unknown members.
  std::vector<std::string> carried;

  // Strictly decode `in` as this kind, recompute derived members, and fill
  // `out` (kind, key, canonical value, kept unknowns). Every problem goes to
  // `errors` with its field path; returns false if there was any.
  bool (*normalize)(const KindInfo& self, const Value& in, const DecodeOptions& opts, Entity& out,
                    Errors& errors) = nullptr;

  const FieldDesc* field(std::string_view disk_name) const {
    for (const auto& f : fields)
      if (f.name == disk_name) return &f;
    return nullptr;
  }
  bool key_is_single() const { return key_shape != KeyShape::path; }
  // The key is an integer that is also the local id (KeyShape::integer).
  bool key_is_id() const { return key_shape == KeyShape::integer; }
};

namespace detail {
template <Kind T>
bool normalize_kind(const KindInfo& self, const Value& in, const DecodeOptions& opts, Entity& out, Errors& errors) {
  const std::size_t before = errors.size();
  out.unknowns.clear();
  DecodeContext ctx(errors, opts, &out.unknowns, &self.carried);
  T t{};
  codec<T>::decode(in, t, ctx);
  if (errors.size() != before) return false;
  derive(t);
  out.kind = &self;
  out.key = key_of(t);
  out.value = codec<T>::encode(t, EncodeContext{EncodeOptions{.keep_secrets = true}});
  // Unknowns are stored and re-applied in a canonical order.
  std::sort(out.unknowns.begin(), out.unknowns.end(),
            [](const Unknown& a, const Unknown& b) { return path_to_string(a.path) < path_to_string(b.path); });
  return true;
}
}  // namespace detail

namespace detail {
template <class M> struct unwrap_member { using type = M; };
template <class M> struct unwrap_member<std::optional<M>> : unwrap_member<M> {};
template <class M> struct unwrap_member<Nullable<M>> : unwrap_member<M> {};
// How many top-level members are optional / secret: a store table records
// absence and redaction in 63-bit masks (runtime/store, docs/stores.md).
template <class T>
constexpr std::size_t count_members_where(bool secret) {
  std::size_t n = 0;
  for_each_member<T>([&](auto d) {
    using M = std::remove_cvref_t<decltype(std::declval<T&>().*d.pointer)>;
    if (secret ? is_secret<typename unwrap_member<M>::type>::value : member_is_optional<M>::value) ++n;
  });
  return n;
}
}  // namespace detail

template <Kind T>
KindInfo make_kind_info() {
  static_assert(detail::count_members_where<T>(false) <= 63,
                "a kind may have at most 63 optional (std::optional / Maybe) members: group some into a nested struct");
  static_assert(detail::count_members_where<T>(true) <= 63, "a kind may have at most 63 Secret<T> members");
  using tr = kind_traits<T>;
  KindInfo k;
  k.name = std::string(tr::name);
  k.since = tr::since;
  k.open = tr::open;
  k.dumped = tr::dumped;
  k.key_shape = tr::key_shape;
  k.key_min = tr::key_min;
  k.key_max = tr::key_max;
  k.key_nullable_parts = tr::key_nullable_parts;
  k.fields = describe_fields<T>();
  k.normalize = &detail::normalize_kind<T>;
  return k;
}

}  // namespace metaport
