// References between entities, by portable key (never by local numeric id):
//   Ref<T>     a reference to an entity of kind T
//   Parent<T>  a reference to the entity that contains this one; the tree
//              layout places the file in (or beside) the parent's folder
//   AnyRef     a reference to an entity of any kind: {model, key}
// T may be incomplete where a Ref<T> is declared (cards refer to dashboards
// that refer to cards): only the key is stored.
#pragma once
#include <string>
#include <utility>

#include "metaport/key.hpp"

namespace metaport {

template <class T>
struct Ref {
  using target_type = T;
  Key key;

  Ref() = default;
  explicit Ref(Key k) : key(std::move(k)) {}
  explicit Ref(std::string single) : key(std::move(single)) {}
  friend bool operator==(const Ref&, const Ref&) = default;
};

template <class T>
struct Parent : Ref<T> {
  using Ref<T>::Ref;
  Parent() = default;
  Parent(Ref<T> r) : Ref<T>(std::move(r)) {}
  friend bool operator==(const Parent&, const Parent&) = default;
};

struct AnyRef {
  std::string kind;  // the kind's name ("Card", "Dashboard", ...)
  Key key;
  friend bool operator==(const AnyRef&, const AnyRef&) = default;
};

template <class T> struct is_ref : std::false_type {};
template <class T> struct is_ref<Ref<T>> : std::true_type {};
template <class T> struct is_ref<Parent<T>> : std::true_type {};
template <class T> inline constexpr bool is_ref_v = is_ref<T>::value;

template <class T> struct is_parent : std::false_type {};
template <class T> struct is_parent<Parent<T>> : std::true_type {};
template <class T> inline constexpr bool is_parent_v = is_parent<T>::value;

}  // namespace metaport
