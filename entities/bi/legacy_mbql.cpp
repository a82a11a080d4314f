// Legacy MBQL -> pMBQL (see legacy_mbql.hpp for the two shapes and the rules).
#include "entities/bi/legacy_mbql.hpp"

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <functional>
#include <set>

#include "metaport/entity_id.hpp"

namespace bi::legacy_mbql {

using metaport::UpgradeContext;
using Array = Value::Array;

std::string name_uuid(std::string_view name) {
  // A fixed namespace of our own (itself name-based, under the URL
  // namespace), so these UUIDs never collide with Metabase's random ones.
  static const boost::uuids::uuid ns =
      boost::uuids::name_generator_sha1(boost::uuids::ns::url())("https://metaport/bi/legacy-mbql");
  return boost::uuids::to_string(boost::uuids::name_generator_sha1(ns)(name.data(), name.size()));
}

bool is_legacy(const Value& q) { return q.is_object() && q.size() != 0 && !q.find("lib/type"); }

namespace {

std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
std::string dot(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// Clauses written [op, args...] in legacy MBQL and [op, {}, args...] in
// pMBQL, arguments converted one by one: the operators of the format's
// expression, filter and aggregation sections (common/query.yaml) that
// legacy MBQL writes without options.
const std::set<std::string, std::less<>> kPlain = {
    // arithmetic, logic, comparison
    "+", "-", "*", "/", "and", "or", "not", "=", "!=", "<", ">", "<=", ">=", "in", "not-in", "between", "inside",
    "is-null", "not-null", "is-empty", "not-empty",
    // functions of one or more arguments
    "abs", "ceil", "floor", "round", "sqrt", "exp", "log", "power", "length", "trim", "ltrim", "rtrim", "upper",
    "lower", "host", "domain", "subdomain", "path", "concat", "substring", "replace", "split-part",
    "regex-match-first", "collate", "coalesce", "text", "integer", "float", "date",
    // temporal
    "now", "today", "interval", "relative-time-interval", "datetime-add", "datetime-subtract", "datetime-diff",
    "convert-timezone", "temporal-extract", "get-year", "get-quarter", "get-month", "get-day", "get-hour",
    "get-minute", "get-second", "get-day-of-week", "get-week", "day-name", "month-name", "quarter-name",
    // aggregations
    "count", "cum-count", "sum", "cum-sum", "avg", "min", "max", "distinct", "stddev", "var", "median",
    "percentile", "count-where", "sum-where", "distinct-where", "share",
    // order-by
    "asc", "desc"};

// String filters: legacy puts their options map last, pMBQL second.
const std::set<std::string, std::less<>> kStringFilters = {"contains", "does-not-contain", "starts-with", "ends-with"};

// Why a clause a legacy export may hold is not converted.
std::string unsupported(std::string_view op) {
  if (op == "field-id" || op == "field-literal" || op == "fk->" || op == "datetime-field" || op == "joined-field" ||
      op == "binning-strategy" || op == "named")
    return " (MBQL from before Metabase 0.39; export the content again from a newer Metabase)";
  if (op == "relative-datetime" || op == "absolute-datetime")
    return " (an internal date clause that the Representation Format has no form for)";
  return " (not a clause this converter knows)";
}

class Converter {
 public:
  Converter(std::string seed, UpgradeContext& ctx) : seed_(std::move(seed)), ctx_(ctx) {}

  Value query(const Value& q, const std::string& path);
  Value expr(const Value& v, const std::string& path);

 private:
  // The stage being converted: aggregation references resolve against it.
  struct Stage {
    std::string uuid_base;
    std::size_t aggregations = 0;
    std::set<std::size_t> referenced;
  };

  void fail(const std::string& path, const Value& where, std::string message) {
    ctx_.error(path, where.mark, std::move(message));
  }
  std::string aggregation_uuid(const Stage& s, std::size_t i) const {
    return name_uuid(s.uuid_base + "/aggregation/" + std::to_string(i));
  }

  void inner(const Value& q, const std::string& path, Array& stages);
  void source(const Value& v, const std::string& path, Value& stage);
  Value native_stage(const Value& holder, std::string_view sql_key, const std::string& path);
  Value template_tags(const Value& tags, const std::string& path);
  Value template_tag(const Value& tag, const std::string& path, const std::string& key);
  Value join(const Value& j, const std::string& path);
  Value clause_list(const Value& v, const std::string& path);
  Value split_and(const Value& v, const std::string& path);
  Value expressions(const Value& v, const std::string& path);

  Value field(const Value& v, const std::string& path);
  Value plain(const Value& v, const std::string& path);

  std::string seed_;
  UpgradeContext& ctx_;
  Stage* stage_ = nullptr;
};

Value options_or_empty(const Value& v) { return v.is_object() ? v : Value::object(); }

// ---- queries -------------------------------------------------------------------------
Value Converter::query(const Value& q, const std::string& path) {
  if (!q.is_object()) {
    fail(path, q, "a query is a map, not " + std::string(q.type_name()));
    return q;
  }
  if (!is_legacy(q)) return q;  // already pMBQL, or the empty definition
  Value out = Value::object();
  out.set("lib/type", "mbql/query");
  Array stages;
  if (const Value* type = q.find("type")) {
    // The full form: {type, database, query | native}.
    for (const auto& [k, v] : q.as_object())
      if (k != "type" && k != "database" && k != "query" && k != "native")
        fail(dot(path, k), v, "cannot convert '" + k + "': a legacy query has type, database and query or native");
    const Value* db = q.find("database");
    if (!db || !db->is_string() || db->as_string().empty()) {
      fail(dot(path, "database"), db ? *db : q,
           db && db->is_int() ? "a database by local id (" + std::to_string(db->as_int()) +
                                    ") cannot be converted: only the database's name is portable"
                              : "a legacy query needs its database's name");
    } else {
      out.set("database", *db);
    }
    const std::string t = type->is_string() ? type->as_string() : "";
    if (t == "query") {
      if (const Value* inner_q = q.find("query")) inner(*inner_q, dot(path, "query"), stages);
      else fail(path, q, "a legacy query of type query needs `query`");
    } else if (t == "native") {
      const Value* n = q.find("native");
      if (n && n->is_object()) stages.push_back(native_stage(*n, "query", dot(path, "native")));
      else fail(dot(path, "native"), n ? *n : q, "a legacy query of type native needs `native: {query: SQL}`");
    } else {
      fail(dot(path, "type"), *type, "a legacy query's type is query or native");
    }
  } else {
    // The inner form of segment and measure definitions: {source-table, filter, ...};
    // its database is its table's.
    inner(q, path, stages);
    const Value* st = stages.empty() ? nullptr : stages.front().find("source-table");
    if (st && st->is_array() && st->size() == 3 && st->as_array()[0].is_string())
      out.set("database", st->as_array()[0]);
    else
      fail(path, q, "cannot tell the database of this definition: it names no source table [database, schema, table]");
  }
  out.set("stages", Value(std::move(stages)));
  return out;
}

// One legacy query level: its nested source-query first (earlier stages),
// then a stage of its own.
void Converter::inner(const Value& q, const std::string& path, Array& stages) {
  if (!q.is_object()) {
    fail(path, q, "a legacy MBQL query is a map, not " + std::string(q.type_name()));
    return;
  }
  Value stage = Value::object();
  stage.set("lib/type", "mbql.stage/mbql");
  const Value* sq = q.find("source-query");
  const Value* st = q.find("source-table");
  if (sq && st) fail(path, q, "a legacy query has source-table or source-query, not both");
  if (sq) {
    const std::string sq_path = dot(path, "source-query");
    if (sq->is_object() && sq->find("native")) stages.push_back(native_stage(*sq, "native", sq_path));
    else inner(*sq, sq_path, stages);
  } else if (st) {
    source(*st, dot(path, "source-table"), stage);
  } else {
    fail(path, q, "a legacy query needs source-table or source-query");
  }

  Stage state;
  state.uuid_base = seed_ + "/" + path;
  if (const Value* aggs = q.find("aggregation"); aggs && aggs->is_array()) state.aggregations = aggs->size();
  Stage* outer = stage_;
  stage_ = &state;
  for (const auto& [k, v] : q.as_object()) {
    const std::string p = dot(path, k);
    if (k == "source-query" || k == "source-table") continue;
    if (v.is_null()) continue;  // an absent clause written as null: nothing to convert
    if (k == "aggregation" || k == "breakout" || k == "fields" || k == "order-by")
      stage.set(k, clause_list(v, p));
    else if (k == "filter")
      stage.set("filters", split_and(v, p));
    else if (k == "expressions")
      stage.set("expressions", expressions(v, p));
    else if (k == "joins") {
      Value joins = Value::array();
      if (!v.is_array()) fail(p, v, "joins are a list");
      else
        for (std::size_t i = 0; i < v.size(); ++i) joins.push_back(join(v.as_array()[i], at(p, i)));
      stage.set("joins", std::move(joins));
    } else if (k == "limit") {
      if (v.is_int()) stage.set("limit", v);
      else fail(p, v, "a limit is an integer");
    } else {
      fail(p, v,
           "cannot convert clause '" + k +
               "' (the legacy query clauses converted are source-table, source-query, joins, expressions, fields, "
               "filter, breakout, aggregation, order-by and limit)");
    }
  }
  // The aggregations something refers to get the UUID the references use.
  if (Value* aggs = stage.find("aggregation"))
    for (std::size_t i : state.referenced)
      if (i < aggs->size()) {
        Value& agg = aggs->as_array()[i];
        if (agg.is_array() && agg.size() >= 2 && agg.as_array()[1].is_object())
          agg.as_array()[1].set("lib/uuid", aggregation_uuid(state, i));
      }
  stage_ = outer;
  stages.push_back(std::move(stage));
}

// source-table: a Table FK [database, schema, table], or a card's entity_id
// (a question on a saved question or model).
void Converter::source(const Value& v, const std::string& path, Value& stage) {
  if (v.is_array()) {
    const auto& a = v.as_array();
    if (a.size() == 3 && a[0].is_string() && (a[1].is_string() || a[1].is_null()) && a[2].is_string())
      stage.set("source-table", v);
    else
      fail(path, v, "a source table is a Table FK [database, schema, table]");
  } else if (v.is_string() && metaport::EntityId::valid(v.as_string())) {
    stage.set("source-card", v);
  } else if (v.is_string() && v.as_string().rfind("card__", 0) == 0) {
    fail(path, v, "a card source by local id ('" + v.as_string() + "') cannot be converted: only a card's entity_id is portable");
  } else if (v.is_int()) {
    fail(path, v, "a table by local id (" + std::to_string(v.as_int()) + ") cannot be converted: only Table FKs are portable");
  } else {
    fail(path, v, "a source table is a Table FK [database, schema, table] or a card's entity_id");
  }
}

// A native stage from {query|native: SQL, template-tags: {name: tag}, collection}.
Value Converter::native_stage(const Value& holder, std::string_view sql_key, const std::string& path) {
  Value stage = Value::object();
  stage.set("lib/type", "mbql.stage/native");
  for (const auto& [k, v] : holder.as_object()) {
    const std::string p = dot(path, k);
    if (k == sql_key) {
      if (v.is_string()) stage.set("native", v);
      else fail(p, v, "the SQL of a native query is a string");
    } else if (k == "template-tags") {
      stage.set("template-tags", template_tags(v, p));
    } else if (k == "collection") {  // the collection a MongoDB query runs on
      stage.set("collection", v);
    } else {
      fail(p, v, "cannot convert clause '" + k + "' of a native query (converted: " + std::string(sql_key) +
                     ", template-tags, collection)");
    }
  }
  if (!stage.find("native")) fail(path, holder, "a native query needs its SQL (`" + std::string(sql_key) + "`)");
  return stage;
}

// The legacy map {name: tag} becomes the list [tag...] (in the map's order).
Value Converter::template_tags(const Value& tags, const std::string& path) {
  Value out = Value::array();
  if (tags.is_object()) {
    for (const auto& [name, tag] : tags.as_object()) out.push_back(template_tag(tag, dot(path, name), name));
  } else if (tags.is_array()) {
    for (std::size_t i = 0; i < tags.size(); ++i) out.push_back(template_tag(tags.as_array()[i], at(path, i), ""));
  } else {
    fail(path, tags, "template tags are a map {name: tag}");
  }
  return out;
}

Value Converter::template_tag(const Value& tag, const std::string& path, const std::string& key) {
  if (!tag.is_object()) {
    fail(path, tag, "a template tag is a map");
    return tag;
  }
  Value out = tag;
  const Value* name = tag.find("name");
  if (!name && !key.empty()) out.set("name", key);
  else if (name && !key.empty() && (!name->is_string() || name->as_string() != key))
    fail(dot(path, "name"), *name, "the tag is listed as '" + key + "' but named differently");
  // pMBQL requires an id; legacy tags had one, but hand-written ones may not.
  if (!tag.find("id")) out.set("id", name_uuid(seed_ + "/" + path));
  if (const Value* d = tag.find("dimension")) out.set("dimension", expr(*d, dot(path, "dimension")));
  for (const char* k : {"card-id", "snippet-id"})
    if (const Value* id = tag.find(k); id && !(id->is_string() && metaport::EntityId::valid(id->as_string())))
      fail(dot(path, k), *id,
           id->is_int() ? "a local id (" + std::to_string(id->as_int()) + ") cannot be converted: only entity_ids are portable"
                        : "not an entity_id");
  if (const Value* t = tag.find("table-id"); t && !t->is_array())
    fail(dot(path, "table-id"), *t, "a table is named by its Table FK [database, schema, table], not a local id");
  return out;
}

Value Converter::join(const Value& j, const std::string& path) {
  if (!j.is_object()) {
    fail(path, j, "a join is a map");
    return j;
  }
  Value out = Value::object();
  Array stages;
  if (const Value* sq = j.find("source-query")) {
    const std::string sq_path = dot(path, "source-query");
    if (sq->is_object() && sq->find("native")) stages.push_back(native_stage(*sq, "native", sq_path));
    else inner(*sq, sq_path, stages);
  } else if (const Value* st = j.find("source-table")) {
    Value s = Value::object();
    s.set("lib/type", "mbql.stage/mbql");
    source(*st, dot(path, "source-table"), s);
    stages.push_back(std::move(s));
  } else {
    fail(path, j, "a join needs source-table or source-query");
  }
  out.set("stages", Value(std::move(stages)));
  for (const auto& [k, v] : j.as_object()) {
    const std::string p = dot(path, k);
    if (k == "source-table" || k == "source-query") continue;
    if (k == "condition") out.set("conditions", split_and(v, p));
    else if (k == "alias" || k == "strategy") {
      if (v.is_string()) out.set(k, v);
      else fail(p, v, "a join's " + k + " is a string");
    } else if (k == "fields") {
      if (v.is_string()) out.set("fields", v);  // all | none
      else out.set("fields", clause_list(v, p));
    } else {
      fail(p, v, "cannot convert clause '" + k + "' of a join (converted: source-table, source-query, condition, alias, strategy, fields)");
    }
  }
  if (!out.find("alias")) fail(path, j, "a join without an alias cannot be converted (pMBQL joins are named)");
  if (!out.find("conditions")) fail(path, j, "a join without a condition cannot be converted");
  return out;
}

Value Converter::clause_list(const Value& v, const std::string& path) {
  Value out = Value::array();
  if (!v.is_array()) {
    fail(path, v, "expected a list of clauses");
    return out;
  }
  for (std::size_t i = 0; i < v.size(); ++i) out.push_back(expr(v.as_array()[i], at(path, i)));
  return out;
}

// A legacy filter is one clause; pMBQL `filters` is a list of clauses that
// are ANDed, so a top-level `and` becomes one entry per operand.
Value Converter::split_and(const Value& v, const std::string& path) {
  Value out = Value::array();
  if (v.is_array() && v.size() >= 2 && v.as_array()[0].is_string() && v.as_array()[0].as_string() == "and") {
    for (std::size_t i = 1; i < v.size(); ++i) out.push_back(expr(v.as_array()[i], at(path, i)));
  } else {
    out.push_back(expr(v, path));
  }
  return out;
}

// {name: expression} becomes a list, each clause named by lib/expression-name.
Value Converter::expressions(const Value& v, const std::string& path) {
  Value out = Value::array();
  if (!v.is_object()) {
    fail(path, v, "legacy expressions are a map {name: expression}");
    return out;
  }
  for (const auto& [name, e] : v.as_object()) {
    const std::string p = dot(path, name);
    Value c = expr(e, p);
    if (c.is_array() && c.size() >= 2 && c.as_array()[1].is_object()) {
      c.as_array()[1].set("lib/expression-name", name);
    } else if (c.is_scalar() && !c.is_null()) {
      // A constant column: pMBQL names it through a `value` clause.
      Value opts = Value::object();
      opts.set("lib/expression-name", name);
      opts.set("effective-type", c.is_string() ? "type/Text" : c.is_bool() ? "type/Boolean" : c.is_int() ? "type/Integer" : "type/Float");
      c = Value(Array{Value("value"), std::move(opts), std::move(c)});
    } else if (!c.is_array()) {
      fail(p, e, "an expression is a clause or a constant, not " + std::string(e.type_name()));
    }
    out.push_back(std::move(c));
  }
  return out;
}

// ---- clauses -----------------------------------------------------------------------------
Value Converter::expr(const Value& v, const std::string& path) {
  if (!v.is_array()) return v;  // a literal
  const auto& a = v.as_array();
  if (a.empty() || !a[0].is_string()) {
    fail(path, v, "cannot convert a list that is not an MBQL clause (its first item is not an operator)");
    return v;
  }
  const std::string& op = a[0].as_string();
  auto last_is_options = [&] { return a.size() >= 2 && (a.back().is_object()); };

  if (op == "field") return field(v, path);
  if (op == "expression") {
    // [expression, name, options?] -> [expression, options, name]
    if (a.size() < 2 || a.size() > 3 || !a[1].is_string()) {
      fail(path, v, "an expression reference is [expression, name, options?]");
      return v;
    }
    return Value(Array{Value("expression"), options_or_empty(a.size() == 3 ? a[2] : Value()), a[1]});
  }
  if (op == "aggregation") {
    // [aggregation, index, options?] -> [aggregation, options, uuid of that aggregation]
    if (a.size() < 2 || a.size() > 3 || !a[1].is_int()) {
      fail(path, v, "an aggregation reference is [aggregation, index, options?]");
      return v;
    }
    const std::int64_t i = a[1].as_int();
    if (!stage_) {
      fail(path, v, "an aggregation reference outside a query stage cannot be converted");
      return v;
    }
    if (i < 0 || static_cast<std::size_t>(i) >= stage_->aggregations) {
      fail(at(path, 1), a[1], "refers to aggregation " + std::to_string(i) + ", but the stage has " +
                                   std::to_string(stage_->aggregations) + " aggregation(s)");
      return v;
    }
    stage_->referenced.insert(static_cast<std::size_t>(i));
    return Value(Array{Value("aggregation"), options_or_empty(a.size() == 3 ? a[2] : Value()),
                       Value(aggregation_uuid(*stage_, static_cast<std::size_t>(i)))});
  }
  if (op == "segment" || op == "metric") {
    // [segment, entity_id] -> [segment, {}, entity_id]
    if (a.size() == 2 && a[1].is_string() && metaport::EntityId::valid(a[1].as_string()))
      return Value(Array{a[0], Value::object(), a[1]});
    fail(a.size() >= 2 ? at(path, 1) : path, a.size() >= 2 ? a[1] : v,
         a.size() == 2 && a[1].is_int()
             ? "a " + op + " by local id (" + std::to_string(a[1].as_int()) + ") cannot be converted: only entity_ids are portable"
             : "a " + op + " reference is [" + op + ", entity_id]");
    return v;
  }
  if (op == "value") {
    // [value, literal, type-info?] -> [value, {base-type, effective-type}, literal]
    if (a.size() < 2 || a.size() > 3 || !a[1].is_scalar()) {
      fail(path, v, "a value clause is [value, literal, type-info?]");
      return v;
    }
    Value opts = Value::object();
    if (a.size() == 3 && a[2].is_object())
      for (const auto& [k, x] : a[2].as_object())
        opts.set(k == "base_type" ? "base-type" : k == "effective_type" ? "effective-type" : k, x);
    return Value(Array{Value("value"), std::move(opts), a[1]});
  }
  if (op == "aggregation-options") {
    // [aggregation-options, aggregation, {name, display-name}]: the names move into the aggregation's options.
    if (a.size() != 3 || !a[2].is_object()) {
      fail(path, v, "aggregation-options is [aggregation-options, aggregation, {name, display-name}]");
      return v;
    }
    Value c = expr(a[1], at(path, 1));
    if (c.is_array() && c.size() >= 2 && c.as_array()[1].is_object())
      for (const auto& [k, x] : a[2].as_object()) c.as_array()[1].set(k, x);
    return c;
  }
  if (op == "case" || op == "if") {
    // [case, [[condition, value]...], {default: x}?] -> [case, {}, [[condition, value]...], x?]
    if (a.size() < 2 || a.size() > 3 || !a[1].is_array()) {
      fail(path, v, op + " is [" + op + ", [[condition, value]...], {default: value}?]");
      return v;
    }
    Value pairs = Value::array();
    const std::string pp = at(path, 1);
    for (std::size_t i = 0; i < a[1].size(); ++i) {
      const Value& pair = a[1].as_array()[i];
      if (!pair.is_array() || pair.size() != 2) {
        fail(at(pp, i), pair, "a " + op + " branch is [condition, value]");
        continue;
      }
      pairs.push_back(Value(Array{expr(pair.as_array()[0], at(at(pp, i), 0)), expr(pair.as_array()[1], at(at(pp, i), 1))}));
    }
    Value out(Array{a[0], Value::object(), std::move(pairs)});
    if (a.size() == 3) {
      if (!a[2].is_object()) {
        fail(at(path, 2), a[2], "the options of " + op + " are a map {default: value}");
      } else {
        for (const auto& [k, x] : a[2].as_object())
          if (k == "default") out.push_back(expr(x, dot(at(path, 2), "default")));
          else fail(dot(at(path, 2), k), x, "cannot convert option '" + k + "' of " + op);
      }
    }
    return out;
  }
  if (op == "time-interval") {
    // [time-interval, field, n, unit, options?] -> [time-interval, options, field, n, unit]
    if (a.size() < 4 || a.size() > 5) {
      fail(path, v, "time-interval is [time-interval, field, n, unit, options?]");
      return v;
    }
    return Value(Array{a[0], options_or_empty(a.size() == 5 ? a[4] : Value()), expr(a[1], at(path, 1)), a[2], a[3]});
  }
  if (kStringFilters.count(op) || op == "datetime") {
    // [op, args..., options?] -> [op, options, args...]
    const bool has_opts = last_is_options();
    Value out(Array{a[0], has_opts ? a.back() : Value::object()});
    for (std::size_t i = 1; i + (has_opts ? 1 : 0) < a.size(); ++i) out.push_back(expr(a[i], at(path, i)));
    return out;
  }
  if (op == "offset" && a.size() >= 2 && a[1].is_object()) {
    // Legacy MBQL already writes offset with its options second.
    Value out(Array{a[0], a[1]});
    for (std::size_t i = 2; i < a.size(); ++i) out.push_back(expr(a[i], at(path, i)));
    return out;
  }
  if (kPlain.count(op)) return plain(v, path);
  fail(path, v, "cannot convert clause '" + op + "'" + unsupported(op));
  return v;
}

Value Converter::plain(const Value& v, const std::string& path) {
  const auto& a = v.as_array();
  Value out(Array{a[0], Value::object()});
  for (std::size_t i = 1; i < a.size(); ++i) {
    if (a[i].is_object()) {
      fail(at(path, i), a[i], "cannot convert the options of clause '" + a[0].as_string() + "'");
      continue;
    }
    out.push_back(expr(a[i], at(path, i)));
  }
  return out;
}

// [field, FieldFK | column name, options | null] -> [field, options | {}, FieldFK | column name]
Value Converter::field(const Value& v, const std::string& path) {
  const auto& a = v.as_array();
  if (a.size() < 2 || a.size() > 3) {
    fail(path, v, "a field reference is [field, Field FK or column name, options]");
    return v;
  }
  const Value& id = a[1];
  if (id.is_int()) {
    fail(at(path, 1), id, "a field by local id (" + std::to_string(id.as_int()) +
                              ") cannot be converted: only Field FKs [database, schema, table, field] are portable");
    return v;
  }
  if (!(id.is_string() || (id.is_array() && id.size() >= 4))) {
    fail(at(path, 1), id, "a field is named by its Field FK [database, schema, table, field] or by a column name");
    return v;
  }
  Value opts = Value::object();
  if (a.size() == 3 && !a[2].is_null()) {
    if (!a[2].is_object()) {
      fail(at(path, 2), a[2], "field options are a map or null");
      return v;
    }
    opts = a[2];
    if (const Value* sf = opts.find("source-field"); sf && !sf->is_array())
      fail(dot(at(path, 2), "source-field"), *sf,
           "an implicit join's source-field is a Field FK; a local id cannot be converted");
  }
  return Value(Array{Value("field"), std::move(opts), id});
}

}  // namespace

Value to_pmbql(const Value& q, const std::string& path, const std::string& seed, UpgradeContext& ctx) {
  Converter c(seed, ctx);
  return c.query(q, path);
}

Value expression_to_pmbql(const Value& clause, const std::string& path, UpgradeContext& ctx) {
  Converter c("", ctx);
  return c.expr(clause, path);
}

}  // namespace bi::legacy_mbql
