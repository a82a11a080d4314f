// What bi versions 1 and 2 read from their legacy MBQL queries: the derive
// hooks' inputs (a query's database, language and source table) and the
// references inside (the reference walker of those versions). The current
// bi reads pMBQL only (entities/bi/query.hpp, walker.hpp); these old models
// are compiled here so that their dumps are real outputs of those versions.
//
// Legacy shapes (entities/bi/legacy_mbql.hpp has the full description):
//   {type: query, database: DB, query: {source-table, source-query, joins, filter, ...}}
//   {type: native, database: DB, native: {query: SQL, template-tags: {name: tag}}}
//   segment and measure definitions: the inner query {source-table, filter | aggregation}
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "entities/bi/card.hpp"
#include "entities/bi/query.hpp"
#include "entities/bi/walker.hpp"
#include "metaport/entity.hpp"
#include "metaport/refs.hpp"

namespace bi_legacy {

using metaport::Value;

// ---- derive hooks' inputs -------------------------------------------------------------
inline std::optional<std::string> database_of(const Value& q) {
  if (const Value* db = q.find("database"); db && db->is_string() && !db->as_string().empty()) return db->as_string();
  return std::nullopt;
}

inline std::optional<bi::QueryType> language_of(const Value& q) {
  const Value* t = q.find("type");
  if (!t || !t->is_string()) return std::nullopt;
  if (t->as_string() == "query") return bi::QueryType::query;
  if (t->as_string() == "native") return bi::QueryType::native;
  return std::nullopt;
}

// The table a segment or measure definition is about: the inner query's
// source-table (or the full form's query.source-table).
inline std::optional<metaport::Key> source_table_of(const Value& q) {
  const Value* inner = q.find("query");
  const Value* st = (inner ? *inner : q).find("source-table");
  return st ? bi::query::table_key_of(*st) : std::nullopt;
}

// ---- references in legacy queries ---------------------------------------------------------
class Walker {
 public:
  Walker(const metaport::RefSink& sink, metaport::FieldPath base) : sink_(sink), path_(std::move(base)) {}

  // A query in either form.
  void query(const Value& q) {
    if (!q.is_object()) return;
    if (q.find("type")) {
      if (const Value* db = q.find("database"); db && db->is_string() && !db->as_string().empty())
        at("database", [&] { report("Database", metaport::Key(db->as_string())); });
      if (const Value* inner_q = q.find("query")) at("query", [&] { inner(*inner_q); });
      if (const Value* n = q.find("native"); n && n->is_object())
        if (const Value* tags = n->find("template-tags")) at("native", [&] { at("template-tags", [&] { template_tags(*tags); }); });
    } else {
      inner(q);
    }
  }

 private:
  template <class F>
  void at(metaport::PathSeg s, F&& f) {
    path_.push_back(std::move(s));
    f();
    path_.pop_back();
  }
  void report(std::string_view kind, metaport::Key key) {
    metaport::FoundRef r;
    r.kind = std::string(kind);
    r.key = std::move(key);
    r.path = path_;
    r.column = false;
    r.nullable = true;  // references in documents never need a local-id column
    sink_(r);
  }
  void entity_id(std::string_view kind, const Value& v) {
    if (v.is_string() && metaport::EntityId::valid(v.as_string())) report(kind, metaport::Key(v.as_string()));
  }
  // source-table: a Table FK, or a card's entity_id (a question on a saved question or model).
  void source_table(const Value& v) {
    if (auto k = bi::query::table_key_of(v)) report("Table", std::move(*k));
    else entity_id("Card", v);
  }

  void inner(const Value& q) {
    if (!q.is_object()) return;
    for (const auto& [k, v] : q.as_object())
      at(k, [&] {
        if (k == "source-table") source_table(v);
        else if (k == "source-query") inner(v);
        else if (k == "template-tags") template_tags(v);  // a native source query
        else if (k == "joins") each(v, [&](const Value& j) { inner(j); });  // joins: source-table, condition, fields
        else if (k == "native" || k == "alias" || k == "strategy" || k == "limit") return;
        else clause(v);  // filter, condition, aggregation, breakout, expressions, fields, order-by
      });
  }

  template <class F>
  void each(const Value& list, F&& f) {
    if (!list.is_array()) return;
    for (std::size_t i = 0; i < list.size(); ++i) at(i, [&] { f(list.as_array()[i]); });
  }

  void template_tags(const Value& tags) {
    if (!tags.is_object()) return;
    for (const auto& [name, tag] : tags.as_object())
      at(name, [&] {
        const Value* type = tag.find("type");
        if (!type || !type->is_string()) return;
        const std::string& t = type->as_string();
        const char* member = t == "card" ? "card-id" : t == "snippet" ? "snippet-id" : t == "table" ? "table-id"
                             : (t == "dimension" || t == "temporal-unit") ? "dimension" : nullptr;
        const Value* v = member ? tag.find(member) : nullptr;
        if (!v) return;
        at(member, [&] {
          if (t == "card") entity_id("Card", *v);
          else if (t == "snippet") entity_id("NativeQuerySnippet", *v);
          else if (t == "table") source_table(*v);
          else clause(*v);
        });
      });
  }

  // [field, FieldFK, {source-field: FieldFK}], [segment, id], [metric, id];
  // every other clause (and the maps of expressions and case defaults) is searched.
  void clause(const Value& v) {
    if (v.is_object()) {
      for (const auto& [k, x] : v.as_object()) at(k, [&] { clause(x); });
      return;
    }
    if (!v.is_array() || v.size() == 0) return;
    const auto& a = v.as_array();
    if (a[0].is_string()) {
      const std::string& op = a[0].as_string();
      if (op == "field") {
        if (a.size() >= 2)
          if (auto k = bi::query::field_key_of(a[1])) at(std::size_t{1}, [&] { report("Field", std::move(*k)); });
        if (a.size() >= 3 && a[2].is_object())
          if (const Value* sf = a[2].find("source-field"))
            if (auto k = bi::query::field_key_of(*sf))
              at(std::size_t{2}, [&] { at("source-field", [&] { report("Field", std::move(*k)); }); });
        return;
      }
      if ((op == "segment" || op == "metric") && a.size() == 2) {
        at(std::size_t{1}, [&] { entity_id(op == "segment" ? "Segment" : "Card", a[1]); });
        return;
      }
    }
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].is_array() || a[i].is_object()) at(i, [&] { clause(a[i]); });
  }

  const metaport::RefSink& sink_;
  metaport::FieldPath path_;
};

// Where each kind holds a query (the same places the 2 -> 3 upgrade steps convert).
inline void query_refs(const metaport::Entity& e, const metaport::RefSink& sink) {
  const std::string& kind = e.kind->name;
  const Value& d = e.value;
  auto walk = [&](const Value* q, metaport::FieldPath at) {
    if (q) Walker(sink, std::move(at)).query(*q);
  };
  if (kind == "Card") {
    walk(d.find("dataset_query"), {std::string("dataset_query")});
  } else if (kind == "Segment" || kind == "Measure") {
    walk(d.find("definition"), {std::string("definition")});
  } else if (kind == "Transform") {
    if (const Value* src = d.find("source")) walk(src->find("query"), {std::string("source"), std::string("query")});
  } else if (kind == "Action") {
    if (const Value* qs = d.find("query"); qs && qs->is_array())
      for (std::size_t i = 0; i < qs->size(); ++i)
        walk(qs->as_array()[i].find("dataset_query"), {std::string("query"), i, std::string("dataset_query")});
  }
}

// The whole document_refs of a legacy version: the current walker for
// everything but the queries (visualization settings, parameters, dashcards,
// ... did not change), this one for the queries. `renamed` maps a member of
// the old version to the name the current walker knows (v1's ordered_cards),
// and reported paths back to the old name.
inline void document_refs(const metaport::Entity& e, const metaport::RefSink& sink,
                          std::string_view old_member = {}, std::string_view new_member = {}) {
  if (!e.kind) return;
  query_refs(e, sink);
  metaport::Entity rest = e;
  Value& d = rest.value;
  d.erase("dataset_query");
  d.erase("definition");
  if (Value* src = d.find("source")) src->erase("query");
  if (e.kind->name == "Action")
    if (Value* qs = d.find("query"); qs && qs->is_array())
      for (auto& q : qs->as_array()) q.erase("dataset_query");
  const bool rename = !old_member.empty() && d.find(old_member);
  if (rename)
    for (auto& m : d.as_object())
      if (m.first == old_member) m.first = std::string(new_member);
  bi::walker::document_refs(rest, [&](const metaport::FoundRef& r) {
    if (!rename || r.path.empty() || r.path[0] != metaport::PathSeg(std::string(new_member))) return sink(r);
    metaport::FoundRef back = r;
    back.path[0] = std::string(old_member);
    sink(back);
  });
}

}  // namespace bi_legacy
