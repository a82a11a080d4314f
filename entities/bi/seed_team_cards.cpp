// The questions of the scaled part: recipes an analyst would write (a
// breakdown, a trend, a filtered listing, a KPI, an implicit join, a
// histogram, a pivot, a SQL question with a field filter, questions on the
// showcase's models and metrics), drawn at random over the team's tables.
#include "entities/bi/seed_team.hpp"

namespace bi::seeding {

const TableSpec* TeamContext::find_table(const TableSpec& near, const std::string& name) const {
  for (const TableSpec* t : tables)
    if (t->db == near.db && t->schema == near.schema && t->name == name) return t;
  return nullptr;
}

namespace {

using Pred = bool (*)(const ColumnSpec&);
std::vector<const ColumnSpec*> columns(const TableSpec& t, Pred p) {
  std::vector<const ColumnSpec*> out;
  for (const auto& c : t.columns)
    if (p(c)) out.push_back(&c);
  return out;
}
bool is_fk(const ColumnSpec& c) { return !c.fk_table.empty(); }
bool has_values(const ColumnSpec& c) { return !c.values.empty(); }

const std::vector<std::string> kUnits = {"day", "week", "week", "month", "month", "month", "quarter", "year"};
struct Agg { const char* op; const char* word; };
const std::vector<Agg> kAggs = {{"sum", "Total"}, {"sum", "Total"}, {"avg", "Average"}, {"max", "Largest"},
                                {"median", "Median"}, {"cum-sum", "Running total of"}};
struct Period { int n; const char* unit; const char* words; };
const std::vector<Period> kPeriods = {{-7, "day", "last 7 days"}, {-30, "day", "last 30 days"},
                                      {0, "month", "this month"}, {0, "quarter", "this quarter"},
                                      {-12, "month", "last 12 months"}};

std::string lower(std::string s) {
  for (auto& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
  return s;
}
std::string value_text(const V& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_bool()) return v.as_bool() ? "yes" : "no";
  if (v.is_int()) return std::to_string(v.as_int());
  return "?";
}

struct Draft {
  std::string name;
  Display display = Display::table;
  V dataset_query;
  V viz = obj();
  std::vector<Parameter> params;
  TeamCard info;
};

V col_field(const TableSpec& t, const ColumnSpec& c, V opts = obj()) { return field(t.field_fk({c.name}), std::move(opts)); }
V db_query(const TableSpec& t, V stage) { return query(t.db, {std::move(stage)}); }

bool recipe(TeamContext& T, const TableSpec& t, int kind, Draft& d) {
  Rng& r = T.rng;
  const auto temporal = columns(t, is_temporal);
  const auto measures = columns(t, is_numeric_measure);
  const auto cats = columns(t, is_category);
  const std::string table = t.display_name;
  V s = mbql_stage(t.fk());
  d.info.table = &t;
  switch (kind) {
    case 0: {  // breakdown
      if (cats.empty()) return false;
      const ColumnSpec& c = *r.pick(cats);
      s.set("aggregation", arr(agg(r, "count")));
      s.set("breakout", arr(col_field(t, c)));
      d.name = table + " by " + lower(display_name_of(c.name));
      d.display = r.chance(0.5) ? Display::bar : r.chance(0.5) ? Display::pie : Display::row;
      d.viz = obj({{"graph.dimensions", arr(c.name)}, {"graph.metrics", arr("count")}});
      d.info.category = c.name;
      if (!temporal.empty()) d.info.temporal = temporal.front()->name;
      break;
    }
    case 1: {  // trend
      if (temporal.empty()) return false;
      const ColumnSpec& when = *r.pick(temporal);
      const std::string& unit = r.pick(kUnits);
      if (!measures.empty() && r.chance(0.7)) {
        const ColumnSpec& m = *r.pick(measures);
        const Agg& a = r.pick(kAggs);
        s.set("aggregation", arr(agg(r, a.op, col_field(t, m, obj({{"base-type", m.base_type}})))));
        d.name = std::string(a.word) + " " + lower(display_name_of(m.name)) + " per " + unit;
      } else {
        s.set("aggregation", arr(agg(r, "count")));
        d.name = table + " per " + unit;
      }
      s.set("breakout", arr(col_field(t, when, obj({{"temporal-unit", unit}}))));
      d.display = r.chance(0.6) ? Display::line : r.chance(0.5) ? Display::area : Display::bar;
      d.info.temporal = when.name;
      if (!cats.empty()) d.info.category = cats.front()->name;
      break;
    }
    case 2: {  // listing
      const auto listed = columns(t, has_values);
      if (listed.empty()) return false;
      const ColumnSpec& c = *r.pick(listed);
      const V& value = r.pick(c.values);
      s.set("filters", arr(clause("=", col_field(t, c), value)));
      if (!temporal.empty()) {
        s.set("order-by", arr(arr("desc", obj(), col_field(t, *temporal.front()))));
        d.info.temporal = temporal.front()->name;
      }
      s.set("limit", 50 * r.between(1, 4));
      d.name = table + ": " + display_name_of(c.name) + " " + value_text(value);
      if (!measures.empty())
        d.viz = obj({{"column_settings", obj({{column_key_name(measures.front()->name),
                                                obj({{"number_style", "decimal"}, {"decimals", 2}})}})}});
      break;
    }
    case 3: {  // KPI
      if (measures.empty() || temporal.empty()) return false;
      const ColumnSpec& m = *r.pick(measures);
      const Period& p = r.pick(kPeriods);
      s.set("aggregation", arr(agg(r, "sum", col_field(t, m))));
      s.set("filters", arr(p.n == 0 ? clause("time-interval", col_field(t, *temporal.front()), "current", p.unit)
                                    : clause("time-interval", col_field(t, *temporal.front()), p.n, p.unit)));
      d.name = display_name_of(m.name) + ", " + p.words;
      d.display = r.chance(0.5) ? Display::scalar : Display::smartscalar;
      d.info.temporal = temporal.front()->name;
      break;
    }
    case 4: {  // implicit join through a foreign key
      for (const ColumnSpec* fk : columns(t, is_fk)) {
        const TableSpec* target = T.find_table(t, fk->fk_table);
        if (!target) continue;
        const auto target_cats = columns(*target, is_category);
        if (target_cats.empty()) continue;
        const ColumnSpec& c = *r.pick(target_cats);
        s.set("aggregation", arr(measures.empty() ? agg(r, "count") : agg(r, "sum", col_field(t, *measures.front()))));
        s.set("breakout", arr(field(target->field_fk({c.name}), obj({{"source-field", t.field_fk({fk->name})}}))));
        d.name = table + " by " + target->display_name + " → " + display_name_of(c.name);
        d.display = Display::bar;
        if (!temporal.empty()) d.info.temporal = temporal.front()->name;
        break;
      }
      if (d.name.empty()) return false;
      break;
    }
    case 5: {  // histogram
      if (measures.empty()) return false;
      const ColumnSpec& m = *r.pick(measures);
      s.set("aggregation", arr(agg(r, "count")));
      V binning = r.chance(0.5) ? obj({{"strategy", "num-bins"}, {"num-bins", 10 * r.between(1, 5)}})
                                : obj({{"strategy", "default"}});
      s.set("breakout", arr(col_field(t, m, obj({{"binning", binning}}))));
      d.name = "Distribution of " + lower(display_name_of(m.name));
      d.display = Display::bar;
      break;
    }
    case 6: {  // pivot
      if (measures.empty() || temporal.empty() || cats.empty()) return false;
      const ColumnSpec& m = *r.pick(measures);
      const ColumnSpec& c = *r.pick(cats);
      s.set("aggregation", arr(agg(r, "sum", col_field(t, m))));
      s.set("breakout", arr(col_field(t, c), col_field(t, *temporal.front(), obj({{"temporal-unit", "quarter"}}))));
      d.name = display_name_of(m.name) + " by " + lower(display_name_of(c.name)) + " and quarter";
      d.display = Display::pivot;
      d.viz = obj({{"pivot_table.column_split", obj({{"rows", arr(c.name)}, {"columns", arr(temporal.front()->name)},
                                                       {"values", arr("sum")}})}});
      d.info.category = c.name;
      d.info.temporal = temporal.front()->name;
      break;
    }
    case 7: {  // SQL with a field filter, and a snippet on ORDERS
      if (cats.empty() || temporal.empty() || !t.schema) return false;
      const ColumnSpec& c = *r.pick(cats);
      const ColumnSpec& when = *temporal.front();
      V when_tag = obj({{"type", "dimension"}, {"name", "when"}, {"id", r.uuid()}, {"display-name", display_name_of(when.name)},
                        {"dimension", col_field(t, when)}, {"widget-type", "date/all-options"}});
      V min_tag = obj({{"type", "number"}, {"name", "min_rows"}, {"id", r.uuid()}, {"display-name", "At least"},
                       {"default", "1"}});
      V tags = arr(when_tag, min_tag);
      std::string sql = "SELECT " + c.name + ", COUNT(*) AS n\nFROM " + *t.schema + "." + t.name + "\nWHERE {{when}}";
      if (t.name == "ORDERS" && t.db == kSampleDb) {
        sql += "\n  AND {{snippet: Last 30 days}}";
        tags.push_back(obj({{"type", "snippet"}, {"name", "snippet: Last 30 days"}, {"id", r.uuid()},
                            {"display-name", "Snippet: Last 30 days"}, {"snippet-name", "Last 30 days"},
                            {"snippet-id", T.showcase.snippet_last_30_days.str()}}));
      }
      sql += "\nGROUP BY 1\nHAVING COUNT(*) >= {{min_rows}}\nORDER BY 2 DESC";
      d.dataset_query = query(t.db, {native_stage(std::move(sql), tags)});
      Parameter pw = parameter(when_tag.find("id")->as_string(), display_name_of(when.name), "date/all-options");
      pw.slug = "when";
      pw.target = tag_target("dimension", "when");
      Parameter pm = parameter(min_tag.find("id")->as_string(), "At least", "number/=");
      pm.slug = "min_rows";
      pm.default_ = some(V("1"));
      pm.target = tag_target("variable", "min_rows");
      d.params = {pw, pm};
      d.name = table + " by " + lower(display_name_of(c.name)) + " (SQL)";
      d.display = Display::table;
      d.info.temporal = when.name;
      d.info.date_tag = "when";
      return true;
    }
    default: {  // on the showcase's Orders model, Revenue metric or Large orders segment
      const TableSpec& orders = sample_table("ORDERS");
      const int which = static_cast<int>(r.between(0, 2));
      if (which == 0) {
        s = card_stage(T.showcase.orders_model);
        s.set("aggregation", arr(agg(r, "sum", field("TOTAL", obj({{"base-type", "type/Float"}})))));
        s.set("breakout", arr(field("CREATED_AT", obj({{"base-type", "type/DateTime"}, {"temporal-unit", r.pick(kUnits)}}))));
        d.name = "Order totals over time (" + T.name + ")";
        d.display = Display::line;
        d.info.table = nullptr;
      } else if (which == 1) {
        s = mbql_stage(orders.fk());
        s.set("aggregation", arr(arr("metric", obj(), T.showcase.revenue_metric.str())));
        s.set("breakout", arr(sfield("ORDERS", "CREATED_AT", obj({{"temporal-unit", "quarter"}}))));
        d.name = "Revenue by quarter (" + T.name + ")";
        d.display = Display::bar;
        d.info.table = &orders;
        d.info.temporal = "CREATED_AT";
      } else {
        s = mbql_stage(orders.fk());
        s.set("filters", arr(arr("segment", obj(), T.showcase.large_orders_segment.str())));
        s.set("aggregation", arr(agg(r, "count")));
        s.set("breakout", arr(sfield("PEOPLE", "SOURCE", obj({{"source-field", sfk("ORDERS", "USER_ID")}}))));
        d.name = "Large orders by customer source (" + T.name + ")";
        d.display = Display::pie;
        d.info.table = &orders;
        d.info.temporal = "CREATED_AT";
      }
      d.dataset_query = query(kSampleDb, {std::move(s)});
      return true;
    }
  }
  d.dataset_query = db_query(t, std::move(s));
  return true;
}

Card base_card(TeamContext& T, std::string name, Display display, V q, const EntityId& collection) {
  Card c;
  c.name = std::move(name);
  c.description = T.rng.chance(0.3) ? some<std::string>("Maintained by the " + T.name + " team.") : null<std::string>();
  c.entity_id = T.rng.id();
  c.display = display;
  c.type = CardType::question;
  c.creator_id = user(T.creator());
  c.dataset_query = std::move(q);
  c.visualization_settings = obj();
  c.archived = false;
  c.collection_id = in_collection(collection);
  c.collection_preview = true;
  c.parameters = std::vector<Parameter>{};
  c.parameter_mappings = std::vector<V>{};
  c.result_metadata = null<V>();
  c.enable_embedding = false;
  c.metabase_version = some<std::string>("v0.57.3 (2a4ef1c)");
  c.card_schema = some<std::int64_t>(22);
  c.created_at = T.rng.when();
  return c;
}

}  // namespace

TeamCard team_question(Out& out, TeamContext& T, const EntityId& collection, std::string_view owner_kind,
                       const EntityId* owner) {
  static const int weights[] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 6, 7, 7, 7, 8};
  Draft d;
  for (int attempt = 0; attempt < 20; ++attempt) {
    d = Draft{};
    const TableSpec& t = *T.rng.pick(T.tables);
    const int kind = weights[T.rng() % (sizeof weights / sizeof weights[0])];
    if (recipe(T, t, kind, d)) break;
  }
  if (d.name.empty()) recipe(T, sample_table("ORDERS"), 1, d);  // ORDERS has every kind of column
  Card c = base_card(T, d.name, d.display, std::move(d.dataset_query), collection);
  c.visualization_settings = std::move(d.viz);
  c.parameters = std::move(d.params);
  if (owner_kind == "Dashboard") c.dashboard_id = some(Parent<Dashboard>(Ref<Dashboard>(owner->str())));
  if (owner_kind == "Document") c.document_id = some(Parent<Document>(Ref<Document>(owner->str())));
  d.info.id = c.entity_id;
  d.info.name = c.name;
  d.info.display = c.display;
  out.emit(std::move(c));
  return d.info;
}

void team_model_and_metric(Out& out, TeamContext& T) {
  const TableSpec& facts = T.warehouse[2];  // fct_orders
  Card model = base_card(T, "Order lines (" + T.name + ")", Display::table, query(facts.db, {mbql_stage(facts.fk())}), T.root);
  model.type = CardType::model;
  std::vector<std::string> names;
  for (const auto& c : facts.columns) names.push_back(c.name);
  V meta = V::array();
  for (const auto& c : facts.columns)
    meta.push_back(obj({{"name", c.name}, {"display_name", display_name_of(c.name)}, {"base_type", c.base_type},
                        {"id", facts.field_fk({c.name})}, {"table_id", facts.fk()},
                        {"field_ref", legacy_field(facts.field_fk({c.name}))}}));
  model.result_metadata = some(std::move(meta));
  const EntityId model_id = model.entity_id;
  out.emit(std::move(model));

  V s = card_stage(model_id);
  s.set("aggregation", arr(agg(T.rng, "sum", field("net_amount", obj({{"base-type", "type/Decimal"}})))));
  s.set("breakout", arr(field("ordered_at", obj({{"base-type", "type/DateTimeWithLocalTZ"}, {"temporal-unit", "month"}}))));
  Card metric = base_card(T, "Net revenue (" + T.name + ")", Display::line, query(facts.db, {s}), T.root);
  metric.type = CardType::metric;
  metric.description = some<std::string>("Net order amount: the " + T.name + " team's revenue number.");
  out.emit(std::move(metric));
}

}  // namespace bi::seeding
