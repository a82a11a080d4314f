// Presence and nullness are different things in a reviewed document:
//   std::optional<T>  the field may be absent (absent stays absent on re-dump)
//   Nullable<T>       the field is present and may be `null`
//   Maybe<T>          both: absent, null, or a value (most optional fields of
//                     the Metabase format are like this)
// Keeping the three states apart is what lets a hand-written file round-trip
// through a store and come back as the same document.
#pragma once
#include <optional>
#include <utility>

namespace metaport {

template <class T>
class Nullable {
 public:
  using value_type = T;
  Nullable() = default;
  Nullable(std::nullopt_t) {}
  Nullable(std::nullptr_t) {}
  Nullable(T v) : v_(std::move(v)) {}
  template <class U>
    requires std::is_constructible_v<T, U&&> && (!std::is_same_v<std::decay_t<U>, Nullable>) &&
             (!std::is_same_v<std::decay_t<U>, std::nullptr_t>) && (!std::is_same_v<std::decay_t<U>, T>)
  Nullable(U&& u) : v_(T(std::forward<U>(u))) {}

  bool is_null() const { return !v_.has_value(); }
  bool has_value() const { return v_.has_value(); }
  explicit operator bool() const { return v_.has_value(); }
  T& value() { return *v_; }
  const T& value() const { return *v_; }
  T& operator*() { return *v_; }
  const T& operator*() const { return *v_; }
  T* operator->() { return &*v_; }
  const T* operator->() const { return &*v_; }
  T value_or(T d) const { return v_ ? *v_ : std::move(d); }
  void reset() { v_.reset(); }
  friend bool operator==(const Nullable&, const Nullable&) = default;

 private:
  std::optional<T> v_;
};

template <class T>
using Maybe = std::optional<Nullable<T>>;

template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> inline constexpr bool is_optional_v = is_optional<T>::value;

template <class T> struct is_nullable : std::false_type {};
template <class T> struct is_nullable<Nullable<T>> : std::true_type {};
template <class T> inline constexpr bool is_nullable_v = is_nullable<T>::value;

}  // namespace metaport
