// Derived<T>: a value recomputed on load from the rest of the entity (a
// counter, a denormalised column such as a card's database): written in dumps
// for readers, never trusted from them. The kind's derive() hook computes it.
#pragma once
#include <utility>

namespace metaport {

template <class T>
struct Derived {
  using value_type = T;
  T value{};
  Derived() = default;
  Derived(T v) : value(std::move(v)) {}
  friend bool operator==(const Derived&, const Derived&) = default;
};

template <class T> struct is_derived : std::false_type {};
template <class T> struct is_derived<Derived<T>> : std::true_type {};

}  // namespace metaport
