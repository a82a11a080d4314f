// A schema: a name, a version, its kinds, and three optional hooks:
//
//   struct MySchema {
//     static constexpr std::string_view name = "bi";
//     static constexpr int version = 3;
//     using kinds = boost::mp11::mp_list<Collection, Card, ...>;   // dependency-friendly order
//     static void document_refs(const metaport::Entity&, const metaport::RefSink&);  // optional
//     static std::unique_ptr<metaport::Layout> make_layout();                        // optional
//     static std::vector<metaport::LayoutChoice> layouts();  // optional: named tree layouts, the default first
//     // optional: members a closed kind carries through unchanged (KindInfo::carried), by kind
//     static std::vector<std::pair<std::string, std::vector<std::string>>> carried_members();
//     // optional: placeholders for references missing on both sides (docs/loading.md)
//     static metaport::StubPolicy stub_policy(std::string_view kind);
//     static std::optional<metaport::Value> make_stub(std::string_view kind, const metaport::Key& key);
//     static constexpr std::string_view user_kind = "User";         // the kind `--user EMAIL` names
//     static constexpr std::string_view scope_kind = "Collection";  // what `--collection` selects
//     static constexpr int oldest_version = 1;                      // dumps this old still load
//     static std::vector<metaport::UpgradeStep> upgrade_steps();    // see upgrade.hpp
//     static std::unique_ptr<metaport::Totals> make_totals();       // see totals.hpp
//     static std::vector<std::string> context_kinds();              // carried whole by dump --subdir
//   };
//
// make_schema_info<MySchema>() turns it into the runtime SchemaInfo.
#pragma once
#include <boost/mp11.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "metaport/kind_info.hpp"
#include "metaport/layout.hpp"
#include "metaport/refs.hpp"
#include "metaport/totals.hpp"
#include "metaport/upgrade.hpp"

namespace metaport {

// What a load may do about a reference that is neither in the dump nor in the
// target store.
enum class StubPolicy {
  never,    // an error (the default: a dangling reference is found before anything is written)
  on_flag,  // a placeholder with --stub-missing (Metabase Remote Sync stubs a missing database)
  always,   // always a placeholder, listed in the report (users that do not exist in the target)
};

struct SchemaInfo {
  std::string name;
  int version = 1;
  std::vector<std::unique_ptr<KindInfo>> kinds;  // declaration order; addresses are stable
  std::function<void(const Entity&, const RefSink&)> document_refs;
  std::function<std::unique_ptr<Layout>()> make_layout;
  std::vector<LayoutChoice> layouts;  // named tree layouts, the default first (empty: make_layout only)
  std::function<StubPolicy(std::string_view kind)> stub_policy;
  std::function<std::optional<Value>(std::string_view kind, const Key& key)> make_stub;
  std::string user_kind;   // the kind `--user` refers to; empty if the schema has none
  std::string scope_kind;  // the container kind whose subtrees a partial dump selects (`--collection`)
  int oldest_version = 1;  // the oldest version whose dumps still load (through the upgrade steps)
  std::vector<UpgradeStep> upgrades;  // from older versions to this one
  std::function<std::unique_ptr<Totals>()> make_totals;  // recomputed by load --restore (totals.hpp)
  // Kinds a subtree dump (dump --subdir) carries whole: what any part of the
  // content needs beside itself (a volume's Setting and Counters).
  std::vector<std::string> context_kinds;
  std::string lock_history;  // the schema.lock text, every version (set by the generated registry)

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
  StubPolicy stub_policy_of(std::string_view kind) const {
    return stub_policy ? stub_policy(kind) : StubPolicy::never;
  }
  std::unique_ptr<Layout> layout() const {
    if (!layouts.empty()) return layouts.front().make();
    if (make_layout) return make_layout();
    return make_generic_layout(*this);
  }
  // The tree layout named `name` ("" or "default": the default one); null
  // when the schema has none of that name.
  std::unique_ptr<Layout> layout(std::string_view name) const {
    if (name.empty() || name == "default") return layout();
    for (const auto& l : layouts)
      if (l.name == name) return l.make();
    return nullptr;
  }
  // The names `--layout` accepts.
  std::vector<std::string> layout_names() const {
    std::vector<std::string> out;
    for (const auto& l : layouts) out.push_back(l.name);
    if (out.empty()) out.push_back("default");
    return out;
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
  if constexpr (requires { S::layouts(); }) s.layouts = S::layouts();
  if constexpr (requires { S::carried_members(); })
    for (auto& [kind, members] : S::carried_members())
      for (auto& k : s.kinds)
        if (k->name == kind) k->carried = members;
  if constexpr (requires(std::string_view k) { S::stub_policy(k); })
    s.stub_policy = [](std::string_view k) { return S::stub_policy(k); };
  if constexpr (requires(std::string_view k, const Key& key) { S::make_stub(k, key); })
    s.make_stub = [](std::string_view k, const Key& key) { return S::make_stub(k, key); };
  if constexpr (requires { S::user_kind; }) s.user_kind = std::string(S::user_kind);
  if constexpr (requires { S::scope_kind; }) s.scope_kind = std::string(S::scope_kind);
  if constexpr (requires { S::oldest_version; }) s.oldest_version = S::oldest_version;
  if constexpr (requires { S::upgrade_steps(); }) s.upgrades = S::upgrade_steps();
  if constexpr (requires { S::make_totals(); }) s.make_totals = [] { return S::make_totals(); };
  if constexpr (requires { S::context_kinds(); }) s.context_kinds = S::context_kinds();
  return s;
}

}  // namespace metaport
