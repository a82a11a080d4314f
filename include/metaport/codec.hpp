// The reflection-driven codec: typed structs <-> Value. Formats (YAML, JSON,
// store rows) only ever see Values; this is the one place that knows what a
// field means.
//
// Encoding is deterministic: members in declaration order, free-form
// documents with sorted keys, absent optionals left out.
// Decoding is strict and collects every problem with its field path and
// source mark: unknown fields (with a "did you mean"), missing required
// fields, wrong types, bad enum values, bad ids, out-of-range numbers.
#pragma once
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "metaport/derived.hpp"
#include "metaport/entity_id.hpp"
#include "metaport/kind.hpp"
#include "metaport/nullable.hpp"
#include "metaport/ref.hpp"
#include "metaport/reflect.hpp"
#include "metaport/result.hpp"
#include "metaport/secret.hpp"
#include "metaport/timestamp.hpp"
#include "metaport/value.hpp"

namespace metaport {

using Document = Value;  // a free-form document: any YAML/JSON value, canonical key order

// One step of a field path: a member name or a list index.
using PathSeg = std::variant<std::string, std::size_t>;
using FieldPath = std::vector<PathSeg>;

inline std::string path_to_string(const FieldPath& p) {
  std::string out;
  for (const auto& s : p) {
    if (auto* k = std::get_if<std::string>(&s)) {
      if (!out.empty()) out += '.';
      out += *k;
    } else {
      out += '[' + std::to_string(std::get<std::size_t>(s)) + ']';
    }
  }
  return out;
}

// An unknown member kept instead of rejected (open structs, --keep-unknown):
// where it was and what it held, so encoding can put it back.
struct Unknown {
  FieldPath path;
  Value value;
  friend bool operator==(const Unknown&, const Unknown&) = default;
};
using Unknowns = std::vector<Unknown>;

struct EncodeOptions {
  bool keep_secrets = false;  // write secrets in clear instead of the redaction marker
};

struct DecodeOptions {
  bool keep_unknown = false;  // keep unknown members of closed structs instead of failing
};

class DecodeContext {
 public:
  // `carried`: top-level members the kind carries through unchanged though
  // it is closed (KindInfo::carried): kept with the unknowns, never an error.
  DecodeContext(Errors& errors, DecodeOptions opts = {}, Unknowns* unknowns = nullptr,
                const std::vector<std::string>* carried = nullptr)
      : errors_(errors), opts_(opts), unknowns_(unknowns), carried_(carried) {}

  void error(const Value& at, std::string message) {
    errors_.add(path_to_string(path_), at.mark, std::move(message));
  }
  void wrong_type(const Value& at, std::string_view expected) {
    error(at, "expected " + std::string(expected) + ", got " + std::string(at.type_name()) +
                  (at.is_scalar() && !at.is_null() && !at.is_string() ? " (quote it to make it a string)"
                                                                      : ""));
  }
  void push(PathSeg s) { path_.push_back(std::move(s)); }
  void pop() { path_.pop_back(); }
  const FieldPath& path() const { return path_; }
  const DecodeOptions& options() const { return opts_; }
  Errors& errors() { return errors_; }

  // Returns true when the unknown member was kept (open struct or --keep-unknown).
  bool keep_unknown(bool open, const std::string& key, const Value& v) {
    const bool carried =
        carried_ && path_.empty() && std::find(carried_->begin(), carried_->end(), key) != carried_->end();
    if (!unknowns_ || !(open || opts_.keep_unknown || carried)) return false;
    FieldPath p = path_;
    p.emplace_back(key);
    unknowns_->push_back(Unknown{std::move(p), v});
    return true;
  }

 private:
  Errors& errors_;
  DecodeOptions opts_;
  Unknowns* unknowns_;
  const std::vector<std::string>* carried_;
  FieldPath path_;
};

struct EncodeContext {
  EncodeOptions opts;
};

template <class T, class Enable = void>
struct codec;  // specializations below; specialize for your own value types

template <class T>
Value encode(const T& v, const EncodeContext& ctx = {}) {
  return codec<T>::encode(v, ctx);
}
template <class T>
void decode(const Value& in, T& out, DecodeContext& ctx) {
  codec<T>::decode(in, out, ctx);
}

namespace detail {
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
template <class T>
struct member_is_optional : std::false_type {};
template <class T>
struct member_is_optional<std::optional<T>> : std::true_type {};
}  // namespace detail

// ---- scalars ---------------------------------------------------------------
template <>
struct codec<bool> {
  static Value encode(bool b, const EncodeContext&) { return Value(b); }
  static void decode(const Value& in, bool& out, DecodeContext& ctx) {
    if (!in.is_bool()) return ctx.wrong_type(in, "true or false");
    out = in.as_bool();
  }
};

template <class I>
struct codec<I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>> {
  static Value encode(I i, const EncodeContext&) { return Value(static_cast<long long>(i)); }
  static void decode(const Value& in, I& out, DecodeContext& ctx) {
    if (!in.is_int()) return ctx.wrong_type(in, "an integer");
    std::int64_t v = in.as_int();
    if constexpr (std::is_unsigned_v<I>) {
      if (v < 0) return ctx.error(in, "expected a non-negative integer, got " + std::to_string(v));
    }
    if (static_cast<long double>(v) < static_cast<long double>(std::numeric_limits<I>::min()) ||
        static_cast<long double>(v) > static_cast<long double>(std::numeric_limits<I>::max()))
      return ctx.error(in, "integer " + std::to_string(v) + " is out of range");
    out = static_cast<I>(v);
  }
};

template <>
struct codec<double> {
  static Value encode(double d, const EncodeContext&) { return Value(d); }
  static void decode(const Value& in, double& out, DecodeContext& ctx) {
    if (!in.is_number()) return ctx.wrong_type(in, "a number");
    out = in.as_double();
  }
};

template <>
struct codec<std::string> {
  static Value encode(const std::string& s, const EncodeContext&) { return Value(s); }
  static void decode(const Value& in, std::string& out, DecodeContext& ctx) {
    if (!in.is_string()) return ctx.wrong_type(in, "a string");
    out = in.as_string();
  }
};

template <>
struct codec<Value> {  // free-form documents
  static Value encode(const Value& v, const EncodeContext&) {
    Value out = v;
    out.sort_keys();
    return out;
  }
  static void decode(const Value& in, Value& out, DecodeContext&) {
    out = in;
    out.sort_keys();
  }
};

template <>
struct codec<EntityId> {
  static Value encode(const EntityId& id, const EncodeContext&) { return Value(id.str()); }
  static void decode(const Value& in, EntityId& out, DecodeContext& ctx) {
    if (!in.is_string()) return ctx.wrong_type(in, "an entity_id (a 21-character NanoID)");
    if (auto why = EntityId::why_invalid(in.as_string()); !why.empty())
      return ctx.error(in, "bad entity_id '" + in.as_string() + "': " + why);
    out = EntityId(in.as_string());
  }
};

template <>
struct codec<Timestamp> {
  static Value encode(const Timestamp& t, const EncodeContext&) { return Value(t.str()); }
  static void decode(const Value& in, Timestamp& out, DecodeContext& ctx) {
    if (!in.is_string()) return ctx.wrong_type(in, "an ISO-8601 timestamp string");
    auto t = Timestamp::parse(in.as_string());
    if (!t) return ctx.error(in, "'" + in.as_string() + "' is not an ISO-8601 timestamp (2024-01-15T10:30:00Z)");
    out = *t;
  }
};

template <class E>
struct codec<E, std::enable_if_t<std::is_enum_v<E>>> {
  static Value encode(E e, const EncodeContext&) { return Value(enum_to_string(e)); }
  static void decode(const Value& in, E& out, DecodeContext& ctx) {
    if (!in.is_string()) return ctx.wrong_type(in, "one of: " + enum_choices<E>());
    auto e = enum_from_string<E>(in.as_string());
    if (!e) return ctx.error(in, "'" + in.as_string() + "' is not one of: " + enum_choices<E>());
    out = *e;
  }
};

// ---- wrappers --------------------------------------------------------------
template <class T>
struct codec<Nullable<T>> {
  static Value encode(const Nullable<T>& n, const EncodeContext& ctx) {
    return n.is_null() ? Value() : codec<T>::encode(*n, ctx);
  }
  static void decode(const Value& in, Nullable<T>& out, DecodeContext& ctx) {
    if (in.is_null()) { out = Nullable<T>(); return; }
    T v{};
    codec<T>::decode(in, v, ctx);
    out = Nullable<T>(std::move(v));
  }
};

// std::optional outside a struct member (e.g. in a list) behaves as nullable;
// as a struct member, "absent" is handled by the struct codec.
template <class T>
struct codec<std::optional<T>> {
  static Value encode(const std::optional<T>& o, const EncodeContext& ctx) {
    return o ? codec<T>::encode(*o, ctx) : Value();
  }
  static void decode(const Value& in, std::optional<T>& out, DecodeContext& ctx) {
    if (in.is_null() && !is_nullable_v<T>) { out.reset(); return; }
    T v{};
    codec<T>::decode(in, v, ctx);
    out = std::move(v);
  }
};

template <class T>
struct codec<Derived<T>> {
  static Value encode(const Derived<T>& d, const EncodeContext& ctx) { return codec<T>::encode(d.value, ctx); }
  static void decode(const Value& in, Derived<T>& out, DecodeContext& ctx) { codec<T>::decode(in, out.value, ctx); }
};

template <class T>
struct codec<Secret<T>> {
  static Value encode(const Secret<T>& s, const EncodeContext& ctx) {
    if (!ctx.opts.keep_secrets || !s.has_value()) return Value(kRedacted);
    return codec<T>::encode(s.reveal(), ctx);
  }
  static void decode(const Value& in, Secret<T>& out, DecodeContext& ctx) {
    if (in.is_string() && in.as_string() == kRedacted) { out = Secret<T>::redacted(); return; }
    T v{};
    codec<T>::decode(in, v, ctx);
    out = Secret<T>(std::move(v));
  }
};

template <class T>
struct codec<std::vector<T>> {
  static Value encode(const std::vector<T>& v, const EncodeContext& ctx) {
    Value::Array a;
    a.reserve(v.size());
    for (const auto& x : v) a.push_back(codec<T>::encode(x, ctx));
    return Value(std::move(a));
  }
  static void decode(const Value& in, std::vector<T>& out, DecodeContext& ctx) {
    if (!in.is_array()) return ctx.wrong_type(in, "a list");
    out.clear();
    out.reserve(in.size());
    std::size_t i = 0;
    for (const auto& x : in.as_array()) {
      ctx.push(i++);
      codec<T>::decode(x, out.emplace_back(), ctx);
      ctx.pop();
    }
  }
};

template <class T>
struct codec<std::map<std::string, T>> {
  static Value encode(const std::map<std::string, T>& m, const EncodeContext& ctx) {
    Value out = Value::object();
    for (const auto& [k, v] : m) out.as_object().emplace_back(k, codec<T>::encode(v, ctx));
    return out;
  }
  static void decode(const Value& in, std::map<std::string, T>& out, DecodeContext& ctx) {
    if (!in.is_object()) return ctx.wrong_type(in, "a map");
    out.clear();
    for (const auto& [k, v] : in.as_object()) {
      ctx.push(k);
      codec<T>::decode(v, out[k], ctx);
      ctx.pop();
    }
  }
};

// ---- references ---------------------------------------------------------------
// A key as a reference to a kind of this shape writes it: the string, the
// list of parts, or the number (an integer key whose text is not a number,
// which decoding never makes, stays its text).
inline Value key_to_value(const Key& key, KeyShape shape) {
  if (shape == KeyShape::integer) {
    const std::string& s = key.first();
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (!s.empty() && ec == std::errc() && end == s.data() + s.size()) return Value(v);
    return Value(s);
  }
  if (shape != KeyShape::path) return Value(key.first());
  Value::Array a;
  for (const auto& p : key.parts) a.push_back(p ? Value(*p) : Value());
  return Value(std::move(a));
}

namespace detail {
template <class T>
Value encode_key(const Key& key) {
  return key_to_value(key, kind_traits<T>::key_shape);
}
template <class T>
void decode_key(const Value& in, Key& out, DecodeContext& ctx) {
  using tr = kind_traits<T>;
  const std::string what = std::string(tr::name);
  if constexpr (tr::key_shape == KeyShape::entity_id) {
    if (!in.is_string()) return ctx.wrong_type(in, "a " + what + " entity_id");
    if (auto why = EntityId::why_invalid(in.as_string()); !why.empty())
      return ctx.error(in, "bad " + what + " reference '" + in.as_string() + "': " + why);
    out = Key(in.as_string());
  } else if constexpr (tr::key_shape == KeyShape::name) {
    if (!in.is_string() || in.as_string().empty()) return ctx.wrong_type(in, "a " + what + " name");
    out = Key(in.as_string());
  } else if constexpr (tr::key_shape == KeyShape::integer) {
    if (!in.is_int()) return ctx.wrong_type(in, "a " + what + " number");
    out = Key(std::to_string(in.as_int()));
  } else {
    if (!in.is_array()) return ctx.wrong_type(in, "a " + what + " path (a list of names)");
    const auto& a = in.as_array();
    if (a.size() < tr::key_min || a.size() > tr::key_max) {
      std::string n = tr::key_min == tr::key_max ? std::to_string(tr::key_min)
                      : tr::key_max > 1000       ? "at least " + std::to_string(tr::key_min)
                                                 : std::to_string(tr::key_min) + " to " + std::to_string(tr::key_max);
      return ctx.error(in, "a " + what + " path has " + n + " parts, this one has " + std::to_string(a.size()));
    }
    Key k;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].is_null() && i < 32 && (tr::key_nullable_parts >> i & 1u)) { k.parts.emplace_back(std::nullopt); continue; }
      if (!a[i].is_string()) {
        ctx.push(i);
        ctx.wrong_type(a[i], "a name");
        ctx.pop();
        return;
      }
      k.parts.emplace_back(a[i].as_string());
    }
    out = std::move(k);
  }
}
}  // namespace detail

template <class T>
struct codec<Ref<T>> {
  static Value encode(const Ref<T>& r, const EncodeContext&) { return detail::encode_key<T>(r.key); }
  static void decode(const Value& in, Ref<T>& out, DecodeContext& ctx) { detail::decode_key<T>(in, out.key, ctx); }
};
template <class T>
struct codec<Parent<T>> {
  static Value encode(const Parent<T>& r, const EncodeContext&) { return detail::encode_key<T>(r.key); }
  static void decode(const Value& in, Parent<T>& out, DecodeContext& ctx) { detail::decode_key<T>(in, out.key, ctx); }
};

// ---- described structs ---------------------------------------------------------
// Optional per-struct semantic checks: define `void metaport_check(const T&,
// metaport::Checker&)` next to the struct (found by ADL).
class Checker {
 public:
  Checker(DecodeContext& ctx, const Value& at) : ctx_(ctx), at_(at) {}
  // An error about member `field` (looked up for its mark) of the struct being checked.
  void error(std::string_view field, std::string message) {
    const Value* v = at_.find(field);
    ctx_.push(std::string(field));
    ctx_.error(v ? *v : at_, std::move(message));
    ctx_.pop();
  }
  void error(std::string message) { ctx_.error(at_, std::move(message)); }
  // An error about a member deeper inside the struct being checked, for
  // checks that relate members of nested items to each other (a dashcard's
  // tab must be one of its dashboard's tabs): `rel` is the path below this
  // struct, e.g. {"dashcards", 2, "dashboard_tab_id"}. The mark is that of
  // the deepest member that exists in the input.
  void error_at(const FieldPath& rel, std::string message) {
    const Value* v = &at_;
    const Value* found = &at_;
    for (const auto& seg : rel) {
      ctx_.push(seg);
      if (!v) continue;
      if (auto* k = std::get_if<std::string>(&seg)) v = v->find(*k);
      else {
        std::size_t i = std::get<std::size_t>(seg);
        v = v->is_array() && i < v->size() ? &v->as_array()[i] : nullptr;
      }
      if (v) found = v;
    }
    ctx_.error(*found, std::move(message));
    for (std::size_t i = 0; i < rel.size(); ++i) ctx_.pop();
  }

 private:
  DecodeContext& ctx_;
  const Value& at_;
};

template <class T>
struct codec<T, std::enable_if_t<is_described_struct_v<T>>> {
  static Value encode(const T& s, const EncodeContext& ctx) {
    Value::Object o;
    o.reserve(boost::mp11::mp_size<public_members<T>>::value);
    for_each_member<T>([&](auto d) {
      using M = std::remove_cvref_t<decltype(s.*d.pointer)>;
      const auto& m = s.*d.pointer;
      if constexpr (detail::member_is_optional<M>::value) {
        if (!m) return;
        o.emplace_back(std::string(disk_name<T>(d.name)), codec<typename M::value_type>::encode(*m, ctx));
      } else {
        o.emplace_back(std::string(disk_name<T>(d.name)), codec<M>::encode(m, ctx));
      }
    });
    return Value(std::move(o));
  }

  static void decode(const Value& in, T& out, DecodeContext& ctx) {
    if (!in.is_object()) return ctx.wrong_type(in, "a map");
    const auto& obj = in.as_object();
    // Which input members were consumed: a small bitset, objects are small.
    std::vector<bool> used(obj.size(), false);
    for_each_member<T>([&](auto d) {
      using M = std::remove_cvref_t<decltype(out.*d.pointer)>;
      const std::string_view name = disk_name<T>(d.name);
      const Value* v = nullptr;
      for (std::size_t i = 0; i < obj.size(); ++i)
        if (obj[i].first == name) { v = &obj[i].second; used[i] = true; break; }
      auto& m = out.*d.pointer;
      if (!v) {
        if constexpr (detail::member_is_optional<M>::value) {
          m.reset();
        } else if constexpr (is_derived<M>::value) {
          // Derived members are recomputed by the kind's derive(): a file
          // may leave them out.
        } else {  // the path names the missing member; the mark is its parent's
          ctx.push(std::string(name));
          ctx.error(in, "missing required field '" + std::string(name) + "'");
          ctx.pop();
        }
        return;
      }
      ctx.push(std::string(name));
      if constexpr (detail::member_is_optional<M>::value) {
        using Inner = typename M::value_type;
        if (v->is_null() && !is_nullable_v<Inner>) {
          ctx.error(*v, "may be left out but not null");
        } else {
          Inner x{};
          codec<Inner>::decode(*v, x, ctx);
          m = std::move(x);
        }
      } else {
        codec<M>::decode(*v, m, ctx);
      }
      ctx.pop();
    });
    for (std::size_t i = 0; i < obj.size(); ++i) {
      if (used[i]) continue;
      // Not a structured binding: lambdas below use it (clang 14 cannot capture bindings).
      const std::string& key = obj[i].first;
      const Value& v = obj[i].second;
      if (ctx.keep_unknown(is_open<T>(), key, v)) continue;
      std::string msg = "unknown field '" + key + "'";
      std::string best;
      std::size_t best_d = 3;
      for_each_member<T>([&](auto d) {
        std::string_view n = disk_name<T>(d.name);
        std::size_t dist = detail::edit_distance(key, n);
        if (dist < best_d) { best_d = dist; best = std::string(n); }
      });
      if (!best.empty()) msg += " (did you mean '" + best + "'?)";
      ctx.push(key);
      ctx.error(v, msg);
      ctx.pop();
    }
    if constexpr (requires(const T& t, Checker& c) { metaport_check(t, c); }) {
      Checker c(ctx, in);
      metaport_check(out, c);
    }
  }
};

// ---- unknown members: put them back where they were ----------------------------------
inline void apply_unknowns(Value& root, const Unknowns& unknowns) {
  for (const auto& u : unknowns) {
    Value* at = &root;
    for (std::size_t i = 0; at && i + 1 < u.path.size(); ++i) {
      if (auto* k = std::get_if<std::string>(&u.path[i])) at = at->find(*k);
      else {
        std::size_t idx = std::get<std::size_t>(u.path[i]);
        at = at->is_array() && idx < at->size() ? &at->as_array()[idx] : nullptr;
      }
    }
    if (!at || !at->is_object() || u.path.empty()) continue;
    if (auto* k = std::get_if<std::string>(&u.path.back())) at->set(*k, u.value);
  }
}

// Decode a whole value (an entity or any described struct); collects errors.
template <class T>
Result<T> decode_value(const Value& in, DecodeOptions opts = {}, Unknowns* unknowns = nullptr) {
  Errors errors;
  DecodeContext ctx(errors, opts, unknowns);
  T out{};
  codec<T>::decode(in, out, ctx);
  if (!errors.empty()) return errors;
  return out;
}

}  // namespace metaport
