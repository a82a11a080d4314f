// A schema: a name, a version, its kinds, and three optional hooks:
//
//   struct MySchema {
//     static constexpr std::string_view name = "bi";
//     static constexpr int version = 3;
//     using kinds = boost::mp11::mp_list<Collection, Card, ...>;   // dependency-friendly order
//     static void document_refs(const metaport::Entity&, const metaport::RefSink&);  // optional
//     static std::unique_ptr<metaport::Layout> make_layout();                        // optional
//   };
//
// make_schema_info<MySchema>() turns it into the runtime SchemaInfo.
#pragma once
#include <boost/mp11.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "metaport/kind_info.hpp"
#include "metaport/layout.hpp"
#include "metaport/refs.hpp"

namespace metaport {

struct SchemaInfo {
  std::string name;
  int version = 1;
  std::vector<std::unique_ptr<KindInfo>> kinds;  // declaration order; addresses are stable
  std::function<void(const Entity&, const RefSink&)> document_refs;
  std::function<std::unique_ptr<Layout>()> make_layout;

  const KindInfo* find(std::string_view kind) const {
    for (const auto& k : kinds)
      if (k->name == kind) return k.get();
    return nullptr;
  }
  // Every reference of an entity: typed members and, via the schema's walker,
  // references inside its free-form documents.
  void refs(const Entity& e, const RefSink& sink) const {
    find_typed_refs(*e.kind, e.value, sink);
    if (document_refs) document_refs(e, sink);
  }
  std::unique_ptr<Layout> layout() const {
    if (make_layout) return make_layout();
    std::vector<std::string> names;
    for (const auto& k : kinds) names.push_back(k->name);
    return std::make_unique<GenericLayout>(std::move(names));
  }
};

template <class S>
SchemaInfo make_schema_info() {
  SchemaInfo s;
  s.name = std::string(S::name);
  s.version = S::version;
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, typename S::kinds>>(
      [&](auto id) {
        using T = typename decltype(id)::type;
        s.kinds.push_back(std::make_unique<KindInfo>(make_kind_info<T>()));
      });
  if constexpr (requires(const Entity& e, const RefSink& r) { S::document_refs(e, r); })
    s.document_refs = [](const Entity& e, const RefSink& r) { S::document_refs(e, r); };
  if constexpr (requires { S::make_layout(); })
    s.make_layout = [] { return S::make_layout(); };
  return s;
}

}  // namespace metaport
