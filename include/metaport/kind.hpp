// Kinds: the entity types of a schema, and what the engine must know about
// each one beyond its fields. Declared once, next to the struct:
//
//   template <> struct metaport::kind_traits<bi::Card> : metaport::kind_defaults {
//     static constexpr std::string_view name = "Card";
//   };
//
// or, for the common case (identity = an `entity_id` member), METAPORT_KIND.
#pragma once
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "metaport/key.hpp"

namespace metaport {

// How a kind's key is written where it is referenced.
enum class KeyShape : std::uint8_t {
  entity_id,  // one NanoID string
  name,       // one free string (a database name, a user's email)
  path,       // a list of strings, some parts may be null ([db, schema, table])
  integer,    // a 64-bit integer (a JuiceFS inode number), written as a JSON number;
              // it is also the entity's local id in a store (docs/memory.md)
};

struct kind_defaults {
  static constexpr int since = 1;          // schema version that introduced the kind
  static constexpr bool open = false;      // unknown top-level fields are kept (true) or errors
  static constexpr bool dumped = true;     // false: lives in stores only (users)
  static constexpr KeyShape key_shape = KeyShape::entity_id;
  static constexpr std::size_t key_min = 1;   // path keys: allowed number of parts
  static constexpr std::size_t key_max = 1;
  static constexpr std::uint32_t key_nullable_parts = 0;  // bit i: part i may be null
};

template <class T>
struct kind_traits;  // specialize for every kind

template <class T>
concept Kind = requires {
  { kind_traits<T>::name } -> std::convertible_to<std::string_view>;
};

// Nested (non-kind) structs that keep unknown members instead of rejecting
// them (JSON Schema `additionalProperties: true`). Kinds use kind_traits::open.
template <class T>
struct is_open_struct : std::false_type {};

template <class T>
constexpr bool is_open() {
  if constexpr (Kind<T>) return kind_traits<T>::open || is_open_struct<T>::value;
  else return is_open_struct<T>::value;
}

// The portable identity of an entity.
template <Kind T>
Key key_of(const T& e) {
  if constexpr (requires { kind_traits<T>::key(e); }) return kind_traits<T>::key(e);
  else return Key(e.entity_id.str());
}

// Recompute derived members (Derived<T>) after a load; a no-op by default.
template <Kind T>
void derive(T& e) {
  if constexpr (requires { kind_traits<T>::derive(e); }) kind_traits<T>::derive(e);
}

}  // namespace metaport

#define METAPORT_KIND(T, NAME)                               \
  template <>                                                \
  struct metaport::kind_traits<T> : metaport::kind_defaults { \
    static constexpr std::string_view name = NAME;           \
  };

#define METAPORT_OPEN(T) \
  template <>            \
  struct metaport::is_open_struct<T> : std::true_type {};
