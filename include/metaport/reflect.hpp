// Reflection glue over Boost.Describe: iterate a struct's members with their
// on-disk names, and spell enums. What a name is on disk is declared next to
// the struct, so one declaration drives every format and the store.
//
//   struct Card { ...; SerdesMeta serdes_meta; };
//   BOOST_DESCRIBE_STRUCT(Card, (), (..., serdes_meta))
//   METAPORT_RENAME(Card, {"serdes_meta", "serdes/meta"})
//
// Default spelling: the C++ name, without a trailing '_' (for names that are
// C++ keywords: `default_` is `default` on disk).
#pragma once
#include <array>
#include <boost/describe.hpp>
#include <boost/mp11.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace metaport {

using NamePair = std::pair<std::string_view, std::string_view>;

// Specialize (with METAPORT_RENAME) to give members other on-disk names.
template <class T>
struct field_renames {
  static constexpr std::array<NamePair, 0> map{};
};

constexpr std::string_view strip_trailing_underscore(std::string_view s) {
  return !s.empty() && s.back() == '_' ? s.substr(0, s.size() - 1) : s;
}

template <class T>
constexpr std::string_view disk_name(std::string_view member) {
  for (const auto& [from, to] : field_renames<T>::map)
    if (from == member) return to;
  return strip_trailing_underscore(member);
}

template <class T>
inline constexpr bool is_described_struct_v =
    boost::describe::has_describe_members<T>::value && std::is_class_v<T>;

template <class T>
using public_members = boost::describe::describe_members<T, boost::describe::mod_public>;

// f(descriptor) for every public member, in declaration order.
template <class T, class F>
constexpr void for_each_member(F&& f) {
  boost::mp11::mp_for_each<public_members<T>>(std::forward<F>(f));
}

// ---- enums ---------------------------------------------------------------
// Specialize enum_spelling<E> to choose how enumerators are written:
//   style::identity     the C++ name (trailing '_' dropped)
//   style::kebab_slash  '_' -> '-', '__' -> '/'   (instance_analytics ->
//                       instance-analytics, cron__builder -> cron/builder)
// or give an explicit table with METAPORT_ENUM_NAMES.
enum class EnumStyle { identity, kebab_slash };
template <class E>
struct enum_spelling {
  static constexpr EnumStyle style = EnumStyle::identity;
  static constexpr std::array<NamePair, 0> map{};
};

inline std::string spell(std::string_view cpp, EnumStyle style) {
  cpp = strip_trailing_underscore(cpp);
  if (style == EnumStyle::identity) return std::string(cpp);
  std::string out;
  for (std::size_t i = 0; i < cpp.size(); ++i) {
    if (cpp[i] == '_' && i + 1 < cpp.size() && cpp[i + 1] == '_') { out += '/'; ++i; }
    else if (cpp[i] == '_') out += '-';
    else out += cpp[i];
  }
  return out;
}

template <class E>
std::string enum_to_string(E e) {
  std::string out;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (d.value == e) {
      for (const auto& [from, to] : enum_spelling<E>::map)
        if (from == d.name) { out = std::string(to); return; }
      out = spell(d.name, enum_spelling<E>::style);
    }
  });
  return out;
}

template <class E>
std::optional<E> enum_from_string(std::string_view s) {
  std::optional<E> out;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (out) return;
    if (enum_to_string<E>(d.value) == s) out = d.value;
  });
  return out;
}

template <class E>
std::string enum_choices() {
  std::string out;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (!out.empty()) out += ", ";
    out += enum_to_string<E>(d.value);
  });
  return out;
}

}  // namespace metaport

// Must be used at global namespace scope.
#define METAPORT_RENAME(T, ...)                                                  \
  template <>                                                                    \
  struct metaport::field_renames<T> {                                            \
    static constexpr std::array map = std::to_array<metaport::NamePair>({__VA_ARGS__}); \
  };

#define METAPORT_ENUM_STYLE(E, STYLE)                                 \
  template <>                                                         \
  struct metaport::enum_spelling<E> {                                 \
    static constexpr metaport::EnumStyle style = metaport::EnumStyle::STYLE; \
    static constexpr std::array<metaport::NamePair, 0> map{};         \
  };

#define METAPORT_ENUM_NAMES(E, ...)                                              \
  template <>                                                                    \
  struct metaport::enum_spelling<E> {                                            \
    static constexpr metaport::EnumStyle style = metaport::EnumStyle::identity;  \
    static constexpr std::array map = std::to_array<metaport::NamePair>({__VA_ARGS__}); \
  };
