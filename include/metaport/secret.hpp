// Secret<T>: a value that is redacted in dumps unless the operator asks for it
// (--keep-secrets), and never printed in logs or error messages. A redacted
// secret read back from a dump is "unknown", not "empty": a load keeps the
// value already in the target store instead of wiping it.
#pragma once
#include <optional>
#include <string_view>
#include <utility>

namespace metaport {

inline constexpr std::string_view kRedacted = "**redacted**";

template <class T>
class Secret {
 public:
  using value_type = T;
  Secret() = default;
  Secret(T v) : v_(std::move(v)) {}
  static Secret redacted() { Secret s; s.redacted_ = true; return s; }

  bool is_redacted() const { return redacted_; }
  bool has_value() const { return v_.has_value(); }
  const T& reveal() const { return *v_; }  // the one, greppable, way to read it
  T& reveal() { return *v_; }
  friend bool operator==(const Secret& a, const Secret& b) {
    return a.redacted_ == b.redacted_ && a.v_ == b.v_;
  }

 private:
  std::optional<T> v_;
  bool redacted_ = false;
};

template <class T> struct is_secret : std::false_type {};
template <class T> struct is_secret<Secret<T>> : std::true_type {};

}  // namespace metaport
