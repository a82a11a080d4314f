// TypeDesc: the neutral, runtime description of an entity's shape, built once
// from the C++ types by reflection. Everything that is not per-value code
// reads it: the store DDL, schema.lock, the JSON Schemas, the dependency
// table, the generic reference walker. (sqlgen's "neutral intermediate form".)
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/core/demangle.hpp>
#include <typeinfo>

#include "metaport/codec.hpp"

namespace metaport {

struct FieldDesc;

struct TypeDesc {
  enum class Tag { Bool, Int, Double, String, Enum, EntityId, Timestamp, Ref, AnyRef, Document, Struct, List, Map };
  Tag tag = Tag::Document;
  bool nullable = false;  // Nullable<T>: null is a valid value
  bool secret = false;    // Secret<T>
  bool derived = false;   // Derived<T>
  bool parent = false;    // Parent<T> (a Ref that places the entity in its container)
  std::string ref_kind;   // Ref/Parent: the target kind's name
  KeyShape ref_shape = KeyShape::entity_id;
  std::vector<std::string> enum_values;
  std::string struct_name;          // Struct: the C++ type name (for messages, lock)
  bool open = false;                // Struct: keeps unknown members
  std::vector<FieldDesc> fields;    // Struct
  std::shared_ptr<TypeDesc> elem;   // List / Map values

  bool is_container() const { return tag == Tag::Document || tag == Tag::Struct || tag == Tag::List || tag == Tag::Map || tag == Tag::AnyRef; }
  // A Secret itself, or a container with a Secret somewhere inside.
  bool holds_secret() const;
  // A compact text form used in schema.lock and messages: "list<ref<Card>>?".
  std::string str() const;
};

struct FieldDesc {
  std::string name;      // on-disk name
  std::string cpp_name;  // member name
  bool optional = false; // std::optional: may be absent
  TypeDesc type;
};

inline std::string TypeDesc::str() const {
  std::string s;
  switch (tag) {
    case Tag::Bool: s = "bool"; break;
    case Tag::Int: s = "int"; break;
    case Tag::Double: s = "double"; break;
    case Tag::String: s = "string"; break;
    case Tag::Enum: {
      s = "enum(";
      for (std::size_t i = 0; i < enum_values.size(); ++i) s += (i ? "|" : "") + enum_values[i];
      s += ")";
      break;
    }
    case Tag::EntityId: s = "entity_id"; break;
    case Tag::Timestamp: s = "timestamp"; break;
    case Tag::Ref: s = std::string(parent ? "parent<" : "ref<") + ref_kind + ">"; break;
    case Tag::AnyRef: s = "anyref"; break;
    case Tag::Document: s = "document"; break;
    case Tag::Struct: s = struct_name; break;
    case Tag::List: s = "list<" + elem->str() + ">"; break;
    case Tag::Map: s = "map<" + elem->str() + ">"; break;
  }
  if (secret) s = "secret<" + s + ">";
  if (derived) s = "derived<" + s + ">";
  if (nullable) s += "|null";
  return s;
}

inline bool TypeDesc::holds_secret() const {
  if (secret) return true;
  if (elem && elem->holds_secret()) return true;
  for (const auto& f : fields)
    if (f.type.holds_secret()) return true;
  return false;
}

template <class T>
struct type_desc_of;  // specialized below; add one for your own codec<T> types

namespace detail {
template <class T>
TypeDesc make_desc(TypeDesc::Tag t) {
  TypeDesc d;
  d.tag = t;
  return d;
}
}  // namespace detail

template <class T>
TypeDesc describe_type() {
  return type_desc_of<T>::get();
}

template <> struct type_desc_of<bool> { static TypeDesc get() { return detail::make_desc<bool>(TypeDesc::Tag::Bool); } };
template <> struct type_desc_of<double> { static TypeDesc get() { return detail::make_desc<double>(TypeDesc::Tag::Double); } };
template <> struct type_desc_of<std::string> { static TypeDesc get() { return detail::make_desc<std::string>(TypeDesc::Tag::String); } };
template <> struct type_desc_of<Value> { static TypeDesc get() { return detail::make_desc<Value>(TypeDesc::Tag::Document); } };
template <> struct type_desc_of<EntityId> { static TypeDesc get() { return detail::make_desc<EntityId>(TypeDesc::Tag::EntityId); } };
template <> struct type_desc_of<Timestamp> { static TypeDesc get() { return detail::make_desc<Timestamp>(TypeDesc::Tag::Timestamp); } };
template <> struct type_desc_of<AnyRef> { static TypeDesc get() { return detail::make_desc<AnyRef>(TypeDesc::Tag::AnyRef); } };

template <class T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
struct type_desc_of<T> { static TypeDesc get() { return detail::make_desc<T>(TypeDesc::Tag::Int); } };

template <class E>
  requires std::is_enum_v<E>
struct type_desc_of<E> {
  static TypeDesc get() {
    TypeDesc d = detail::make_desc<E>(TypeDesc::Tag::Enum);
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>(
        [&](auto e) { d.enum_values.push_back(enum_to_string<E>(e.value)); });
    return d;
  }
};

template <class T> struct type_desc_of<Nullable<T>> {
  static TypeDesc get() { TypeDesc d = describe_type<T>(); d.nullable = true; return d; }
};
template <class T> struct type_desc_of<std::optional<T>> {  // outside members: nullable
  static TypeDesc get() { TypeDesc d = describe_type<T>(); d.nullable = true; return d; }
};
template <class T> struct type_desc_of<Secret<T>> {
  static TypeDesc get() { TypeDesc d = describe_type<T>(); d.secret = true; return d; }
};
template <class T> struct type_desc_of<Derived<T>> {
  static TypeDesc get() { TypeDesc d = describe_type<T>(); d.derived = true; return d; }
};
template <class T> struct type_desc_of<std::vector<T>> {
  static TypeDesc get() {
    TypeDesc d = detail::make_desc<void>(TypeDesc::Tag::List);
    d.elem = std::make_shared<TypeDesc>(describe_type<T>());
    return d;
  }
};
template <class T> struct type_desc_of<std::map<std::string, T>> {
  static TypeDesc get() {
    TypeDesc d = detail::make_desc<void>(TypeDesc::Tag::Map);
    d.elem = std::make_shared<TypeDesc>(describe_type<T>());
    return d;
  }
};
template <class T> struct type_desc_of<Ref<T>> {
  static TypeDesc get() {
    TypeDesc d = detail::make_desc<void>(TypeDesc::Tag::Ref);
    d.ref_kind = std::string(kind_traits<T>::name);
    d.ref_shape = kind_traits<T>::key_shape;
    return d;
  }
};
template <class T> struct type_desc_of<Parent<T>> {
  static TypeDesc get() { TypeDesc d = describe_type<Ref<T>>(); d.parent = true; return d; }
};

template <class T>
std::vector<FieldDesc> describe_fields() {
  std::vector<FieldDesc> out;
  for_each_member<T>([&](auto d) {
    using M = std::remove_cvref_t<decltype(std::declval<T&>().*d.pointer)>;
    FieldDesc f;
    f.name = std::string(disk_name<T>(d.name));
    f.cpp_name = d.name;
    if constexpr (detail::member_is_optional<M>::value) {
      f.optional = true;
      f.type = describe_type<typename M::value_type>();
    } else {
      f.type = describe_type<M>();
    }
    out.push_back(std::move(f));
  });
  return out;
}

template <class T>
  requires is_described_struct_v<T>
struct type_desc_of<T> {
  static TypeDesc get() {
    TypeDesc d = detail::make_desc<T>(TypeDesc::Tag::Struct);
    d.struct_name = boost::core::demangle(typeid(T).name());
    if (auto p = d.struct_name.rfind("::"); p != std::string::npos) d.struct_name = d.struct_name.substr(p + 2);
    d.open = is_open<T>();
    d.fields = describe_fields<T>();
    return d;
  }
};

}  // namespace metaport
