// metaport::Db<Schema>: a service's own entities, read and written through
// their declarations, in any store the command line takes.
//
//   auto db = metaport::Db<notes::Schema>::open("sqlite://notes.db");
//   if (!db) ...db.errors()...
//   notes::Notebook nb{...};
//   auto s = db->insert(nb);                          // Status
//   auto got = db->get<notes::Notebook>(nb.entity_id);  // Result<std::optional<Notebook>>
//   db->scan<notes::Note>(metaport::col<&notes::Note::title> == "Ideas",
//                         [](const notes::Note& n) { ... });
//   db->transaction([&](auto& tx) -> metaport::Status {
//     if (auto s = tx.update(nb); !s) return s;    // an error or an exception rolls back
//     return tx.template erase<notes::Note>(key);
//   });
//
// Writes are loads of one document (runtime/api/session.hpp): the rows, the
// reference checks and the messages are the loader's, so what the API
// writes dumps exactly as the same content loaded from a file, and the git
// sync's change tracking (triggers on the kind tables) sees it.
//
// Template size: the typed conversions are declared here and instantiated
// once per kind in the schema's generated registration unit (the library
// metaport_schema() makes), so link against it; this header instantiates
// only thin wrappers.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "metaport/metaport.hpp"
#include "metaport/typed.hpp"
#include "runtime/api/session.hpp"

namespace metaport {

// ---- predicates: col<&Card::name> == "x" && col<&Card::archived> == false ----

template <class T>
struct Where {
  std::function<bool(const T&)> test;
  bool operator()(const T& t) const { return !test || test(t); }
  friend Where operator&&(Where a, Where b) {
    return {[a = std::move(a), b = std::move(b)](const T& t) { return a(t) && b(t); }};
  }
  friend Where operator||(Where a, Where b) {
    return {[a = std::move(a), b = std::move(b)](const T& t) { return a(t) || b(t); }};
  }
  friend Where operator!(Where a) {
    return {[a = std::move(a)](const T& t) { return !a(t); }};
  }
};

namespace api_detail {
template <class P> struct member_of;
template <class C, class M> struct member_of<M C::*> {
  using owner = C;
  using type = M;
};

// What a member is compared as: a reference by its key text, an entity id
// by its text, an optional or nullable by its value (absent and null
// compare unequal to everything, as SQL's NULL).
template <class M>
auto comparable(const M& m) -> std::optional<std::remove_cvref_t<decltype(m)>> { return m; }
template <class T>
std::optional<std::string> comparable(const Ref<T>& r) { return r.key.str(); }
template <class T>
std::optional<std::string> comparable(const Parent<T>& r) { return r.key.str(); }
inline std::optional<std::string> comparable(const EntityId& id) { return id.str(); }
template <class M>
auto comparable(const std::optional<M>& m) -> decltype(comparable(*m)) {
  if (!m) return std::nullopt;
  return comparable(*m);
}
template <class M>
auto comparable(const Nullable<M>& m) -> decltype(comparable(*m)) {
  if (m.is_null()) return std::nullopt;
  return comparable(*m);
}
}  // namespace api_detail

// A top-level member of an entity struct, for predicates.
template <auto M>
struct Col {
  using T = typename api_detail::member_of<decltype(M)>::owner;
  template <class V, class Op>
  static Where<T> make(V v, Op op) {
    return {[v = std::move(v), op](const T& t) {
      auto m = api_detail::comparable(t.*M);
      return m.has_value() && op(*m, v);
    }};
  }
  template <class V> Where<T> operator==(V v) const { return make(std::move(v), std::equal_to<>{}); }
  template <class V> Where<T> operator!=(V v) const { return make(std::move(v), std::not_equal_to<>{}); }
  template <class V> Where<T> operator<(V v) const { return make(std::move(v), std::less<>{}); }
  template <class V> Where<T> operator<=(V v) const { return make(std::move(v), std::less_equal<>{}); }
  template <class V> Where<T> operator>(V v) const { return make(std::move(v), std::greater<>{}); }
  template <class V> Where<T> operator>=(V v) const { return make(std::move(v), std::greater_equal<>{}); }
  // Present and not null.
  Where<T> present() const {
    return {[](const T& t) { return api_detail::comparable(t.*M).has_value(); }};
  }
};
template <auto M>
inline constexpr Col<M> col{};

// ---- the store ---------------------------------------------------------------

template <class S>
class Db {
 public:
  // Opens `url` (sqlite://, postgresql://, mysql://: docs/stores.md), which
  // must hold S's tables (created by `init`, or here with create = true: a
  // missing SQLite file is created, an empty store gets the tables).
  static Result<Db> open(std::string_view url, bool create = false) {
    auto s = api::Session::open(typed::schema_info<S>(), url, create);
    if (!s) return s.errors();
    return Db(std::move(*s));
  }

  // The entity of that key; nullopt when there is none.
  template <Kind T>
  Result<std::optional<T>> get(const Key& key) {
    auto e = session_->get(kind<T>(), key);
    if (!e) return e.errors();
    if (!*e) return std::optional<T>{};
    auto t = decoded<T>(**e);
    if (!t) return t.errors();
    return std::optional<T>(std::move(*t));
  }
  template <Kind T>
  Result<std::optional<T>> get(std::string_view key) { return get<T>(Key(std::string(key))); }
  template <Kind T>
  Result<std::optional<T>> get(const EntityId& id) { return get<T>(Key(id.str())); }

  // Every entity of kind T for which `where` holds, in key order, one at a
  // time (bounded memory). The predicate is tested on each decoded entity as
  // the rows stream by (not in SQL). `sink` returns void or a Status (an
  // error stops the scan and is returned).
  template <Kind T, class F>
  Status scan(const Where<T>& where, F&& sink) {
    return session_->scan(kind<T>(), [&](const Entity& e) -> Status {
      auto t = decoded<T>(e);
      if (!t) return t.errors();
      if (!where(*t)) return ok_status();
      if constexpr (std::is_void_v<std::invoke_result_t<F&, const T&>>) {
        sink(std::as_const(*t));
        return ok_status();
      } else {
        return sink(std::as_const(*t));
      }
    });
  }
  template <Kind T, class F>
  Status scan(F&& sink) { return scan<T>(Where<T>{}, std::forward<F>(sink)); }
  // The same, collected (for small results).
  template <Kind T>
  Result<std::vector<T>> find(const Where<T>& where = {}) {
    std::vector<T> out;
    if (auto s = scan<T>(where, [&](const T& t) { out.push_back(t); }); !s) return s.errors();
    return out;
  }

  // Writes: an error when the entity exists (insert) or does not (update),
  // or when the load of the same document would fail (a dangling reference,
  // a bad value); nothing is written then.
  template <Kind T>
  Status insert(const T& e) { return session_->put(kind<T>(), typed::encode(e), api::WriteMode::insert); }
  template <Kind T>
  Status update(const T& e) { return session_->put(kind<T>(), typed::encode(e), api::WriteMode::update); }
  template <Kind T>
  Status upsert(const T& e) { return session_->put(kind<T>(), typed::encode(e), api::WriteMode::upsert); }
  // An error when there is none, or when something still refers to it (named).
  template <Kind T>
  Status erase(const Key& key) { return session_->erase(kind<T>(), key); }
  template <Kind T>
  Status erase(std::string_view key) { return erase<T>(Key(std::string(key))); }
  template <Kind T>
  Status erase(const EntityId& id) { return erase<T>(Key(id.str())); }

  // Runs body(db) in one write transaction: committed when it returns ok (or
  // returns void), rolled back when it returns an error or throws (the
  // exception is rethrown). Returns what the body returned, or the commit's error.
  template <class F>
  auto transaction(F&& body) {
    using R = std::invoke_result_t<F&, Db&>;
    if constexpr (std::is_void_v<R>) {
      return session_->transaction([&]() -> Status {
        body(*this);
        return ok_status();
      });
    } else {
      std::optional<R> out;
      Status s = session_->transaction([&]() -> Status {
        out.emplace(body(*this));
        if (!*out) return out->errors();
        return ok_status();
      });
      if (!s) return R(s.errors());
      return std::move(*out);
    }
  }

  const SchemaInfo& schema() const { return session_->schema(); }
  // The store underneath (dumps, the engine's other operations).
  store::Store& store() { return session_->store(); }

 private:
  explicit Db(std::unique_ptr<api::Session> s) : session_(std::move(s)) {}

  template <Kind T>
  const KindInfo& kind() const {
    const KindInfo* k = session_->schema().find(kind_traits<T>::name);
    if (!k) throw std::logic_error("metaport::Db: " + std::string(kind_traits<T>::name) + " is not a kind of schema " +
                                   session_->schema().name);
    return *k;
  }
  template <Kind T>
  Result<T> decoded(const Entity& e) {
    T t{};
    if (auto s = typed::decode(*e.kind, e.value, t); !s) {
      Errors errors = s.errors();
      errors.set_entity(e.kind->name + " " + e.key.str());
      return errors;
    }
    return t;
  }

  std::unique_ptr<api::Session> session_;
};

}  // namespace metaport
