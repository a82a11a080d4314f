// The showcase's cards that live directly in collections: models (one built
// on another), metrics, MBQL questions (filters, breakouts with temporal
// units and binning, aggregations, order-by, limit, explicit and implicit
// joins, expressions, segment / metric / measure references, several
// stages), native questions using every template-tag type, and questions on
// JSON-unfolded and schemaless fields.
#include "entities/bi/seed_showcase.hpp"

namespace bi::seeding {
namespace {

V month(std::string_view table, std::string_view column) {
  return sfield(table, column, obj({{"temporal-unit", "month"}}));
}
V typed(std::string_view table, std::string_view column) {
  return sfield(table, column, obj({{"base-type", sample_table(table).column(column)->base_type}}));
}
V via(std::string_view fk_table, std::string_view fk_column, std::string_view table, std::string_view column) {
  return sfield(table, column, obj({{"source-field", sfk(fk_table, fk_column)}}));
}
V orders_stage() { return mbql_stage(stable("ORDERS")); }
V sample_query(V::Array stages) { return query(kSampleDb, std::move(stages)); }
V graph(std::vector<std::string> dims, std::vector<std::string> metrics) {
  return obj({{"graph.dimensions", list_of(dims)}, {"graph.metrics", list_of(metrics)}});
}

void models_and_metrics(Out& out, Lib& L) {
  const auto sales = L.id("sales");
  Card orders = make_card(L, "orders_model", "Orders", Display::table, sample_query({orders_stage()}), sales, CardType::model);
  orders.description = some<std::string>("Every confirmed order. Start here for order questions.");
  orders.result_metadata = some(result_metadata(sample_table("ORDERS"), {"ID", "USER_ID", "PRODUCT_ID", "SUBTOTAL", "TAX",
                                                                         "TOTAL", "DISCOUNT", "CREATED_AT", "QUANTITY"}));
  orders.collection_position = some<std::int64_t>(1);
  out.emit(std::move(orders));

  // A model built on the Orders model: fields of a card are named by column.
  V stage = card_stage(L.id("orders_model"));
  stage.set("joins", arr(obj({{"alias", "Products"},
                              {"strategy", "left-join"},
                              {"fields", "all"},
                              {"stages", arr(mbql_stage(stable("PRODUCTS")))},
                              {"conditions", arr(clause("=", field("PRODUCT_ID", obj({{"base-type", "type/Integer"}})),
                                                        sfield("PRODUCTS", "ID", obj({{"join-alias", "Products"}}))))}})));
  stage.set("expressions", arr(arr("-", obj({{"lib/expression-name", "Profit"}}),
                                   field("TOTAL", obj({{"base-type", "type/Float"}})),
                                   field("TAX", obj({{"base-type", "type/Float"}})))));
  Card enriched = make_card(L, "orders_enriched", "Orders with product details", Display::table,
                            sample_query({std::move(stage)}), sales, CardType::model);
  enriched.description = some<std::string>("Orders joined to their product, with a Profit column.");
  out.emit(std::move(enriched));

  Card products = make_card(L, "products_model", "Products", Display::table, sample_query({mbql_stage(stable("PRODUCTS"))}),
                            sales, CardType::model);
  products.result_metadata = some(result_metadata(sample_table("PRODUCTS"), {"ID", "EAN", "TITLE", "CATEGORY", "VENDOR",
                                                                             "PRICE", "RATING", "CREATED_AT"}));
  out.emit(std::move(products));
  Card people = make_card(L, "people_model", "Customers", Display::table, sample_query({mbql_stage(stable("PEOPLE"))}),
                          sales, CardType::model);
  people.result_metadata = some(result_metadata(sample_table("PEOPLE"), {"ID", "NAME", "EMAIL", "CITY", "STATE", "SOURCE",
                                                                         "CREATED_AT"}));
  out.emit(std::move(people));

  V rev = orders_stage();
  rev.set("aggregation", arr(agg(L.rng, "sum", typed("ORDERS", "TOTAL"))));
  rev.set("breakout", arr(month("ORDERS", "CREATED_AT")));
  Card revenue = make_card(L, "revenue_metric", "Revenue", Display::line, sample_query({rev}), sales, CardType::metric);
  revenue.description = some<std::string>("Sum of order totals. The company's official revenue number.");
  out.emit(std::move(revenue));
  V aov = orders_stage();
  aov.set("aggregation", arr(agg(L.rng, "avg", typed("ORDERS", "TOTAL"))));
  out.emit(make_card(L, "aov_metric", "Average order value", Display::scalar, sample_query({aov}), sales, CardType::metric));
  V active = mbql_stage(stable("ACCOUNTS"));
  active.set("aggregation", arr(agg(L.rng, "count")));
  active.set("filters", arr(arr("segment", obj(), L.id("seg_active").str())));
  out.emit(make_card(L, "active_accounts_metric", "Active accounts", Display::scalar, sample_query({active}), sales,
                     CardType::metric));
}

void sales_questions(Out& out, Lib& L) {
  const auto sales = L.id("sales");
  V s = orders_stage();
  s.set("aggregation", arr(arr("metric", obj(), L.id("revenue_metric").str())));
  s.set("breakout", arr(month("ORDERS", "CREATED_AT")));
  Card c = make_card(L, "revenue_by_month", "Revenue by month", Display::line, sample_query({s}), sales);
  c.visualization_settings = graph({"CREATED_AT"}, {"revenue"});
  c.visualization_settings.set("graph.show_goal", true);
  c.visualization_settings.set("graph.goal_value", 50000);
  c.visualization_settings.set("graph.goal_label", "Monthly target");
  c.collection_position = some<std::int64_t>(2);
  out.emit(std::move(c));

  s = orders_stage();
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(month("ORDERS", "CREATED_AT")));
  c = make_card(L, "orders_by_month", "Orders by month", Display::line, sample_query({s}), sales);
  out.emit(std::move(c));

  // An explicit join, two aggregations, order by the second, a limit.
  s = orders_stage();
  s.set("joins", arr(obj({{"alias", "Products"}, {"strategy", "left-join"}, {"fields", "none"},
                          {"stages", arr(mbql_stage(stable("PRODUCTS")))},
                          {"conditions", arr(clause("=", sfield("ORDERS", "PRODUCT_ID"),
                                                    sfield("PRODUCTS", "ID", obj({{"join-alias", "Products"}}))))}})));
  V count = agg(L.rng, "count");
  V sum = agg(L.rng, "sum", typed("ORDERS", "TOTAL"));
  s.set("order-by", arr(arr("desc", obj(), agg_ref(sum))));
  s.set("aggregation", arr(count, sum));
  s.set("breakout", arr(sfield("PRODUCTS", "CATEGORY", obj({{"join-alias", "Products"}}))));
  s.set("limit", 10);
  c = make_card(L, "orders_by_category", "Orders by product category", Display::bar, sample_query({s}), sales);
  c.visualization_settings = graph({"CATEGORY"}, {"count", "sum"});
  c.visualization_settings.set("graph.show_values", true);
  c.visualization_settings.set("column_settings", obj({{column_key_name("sum"), obj({{"number_style", "currency"},
                                                                                      {"currency", "USD"},
                                                                                      {"column_title", "Revenue"}})}}));
  out.emit(std::move(c));

  // An implicit join through ORDERS.USER_ID.
  s = orders_stage();
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(via("ORDERS", "USER_ID", "PEOPLE", "STATE")));
  c = make_card(L, "orders_by_state", "Orders by customer state", Display::map, sample_query({s}), sales);
  c.visualization_settings = obj({{"map.type", "region"}, {"map.region", "us_states"}});
  out.emit(std::move(c));

  // The demo changes this card's filter value (kDemoCard).
  s = orders_stage();
  s.set("filters", arr(clause(">", sfield("ORDERS", "TOTAL"), 100),
                       clause("time-interval", sfield("ORDERS", "CREATED_AT"), "current", "year")));
  s.set("order-by", arr(arr("desc", obj(), sfield("ORDERS", "TOTAL"))));
  s.set("limit", 100);
  c = make_card(L, "large_orders", std::string(kDemoCard), Display::table, sample_query({s}), sales);
  c.description = some<std::string>("Orders above 100 USD placed this calendar year.");
  V user_click = obj({{"type", "link"}, {"linkType", "question"}, {"targetId", L.id("people_model").str()},
                      {"parameterMapping", obj()}});
  c.visualization_settings = obj(
      {{"table.pivot", false},
       {"column_settings",
        obj({{column_key_name("TOTAL"), obj({{"number_style", "currency"}, {"currency", "USD"}, {"decimals", 2}})},
             {column_key_name("CREATED_AT"), obj({{"date_style", "MMMM D, YYYY"}, {"time_enabled", V()}})},
             {column_key_ref(sfk("ORDERS", "USER_ID")), obj({{"click_behavior", user_click}})}})}});
  out.emit(std::move(c));

  // Expressions, a restricted field list, a segment in the filters.
  s = orders_stage();
  V pct = arr("*", obj({{"lib/expression-name", "Discount %"}}),
              clause("/", sfield("ORDERS", "DISCOUNT"), sfield("ORDERS", "SUBTOTAL")), 100);
  s.set("expressions", arr(pct));
  s.set("fields", arr(sfield("ORDERS", "ID"), sfield("ORDERS", "TOTAL"), sfield("ORDERS", "DISCOUNT"),
                      sfield("ORDERS", "CREATED_AT"), arr("expression", obj(), "Discount %")));
  s.set("filters", arr(clause("not-null", sfield("ORDERS", "DISCOUNT")), arr("segment", obj(), L.id("seg_large_orders").str())));
  c = make_card(L, "discounted_orders", "Discounted large orders", Display::table, sample_query({s}), sales);
  out.emit(std::move(c));

  s = orders_stage();
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(sfield("ORDERS", "TOTAL", obj({{"binning", obj({{"strategy", "num-bins"}, {"num-bins", 10}})}}))));
  out.emit(make_card(L, "order_sizes", "Order totals, histogram", Display::bar, sample_query({s}), sales));

  s = orders_stage();
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(sfield("ORDERS", "CREATED_AT", obj({{"temporal-unit", "day-of-week"}}))));
  out.emit(make_card(L, "orders_weekday", "Orders per weekday", Display::bar, sample_query({s}), sales));

  // A measure, ordered by, through an implicit join.
  s = orders_stage();
  V measure = arr("measure", obj({{"lib/uuid", L.rng.uuid()}}), L.id("ms_revenue").str());
  s.set("aggregation", arr(measure));
  s.set("breakout", arr(via("ORDERS", "PRODUCT_ID", "PRODUCTS", "TITLE")));
  s.set("order-by", arr(arr("desc", obj(), agg_ref(measure))));
  s.set("limit", 10);
  out.emit(make_card(L, "top_products", "Top products by revenue", Display::row, sample_query({s}), sales));

  // Two stages: months with more than 300 orders.
  s = orders_stage();
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(month("ORDERS", "CREATED_AT")));
  V second = obj({{"lib/type", "mbql.stage/mbql"},
                  {"filters", arr(clause(">", field("count", obj({{"base-type", "type/Integer"}})), 300))}});
  out.emit(make_card(L, "busy_months", "Busy months (over 300 orders)", Display::table, sample_query({s, second}), sales));

  s = orders_stage();
  s.set("aggregation", arr(agg(L.rng, "sum", typed("ORDERS", "TOTAL"))));
  s.set("breakout", arr(via("ORDERS", "PRODUCT_ID", "PRODUCTS", "CATEGORY"),
                        sfield("ORDERS", "CREATED_AT", obj({{"temporal-unit", "quarter"}}))));
  c = make_card(L, "revenue_pivot", "Revenue by category and quarter", Display::pivot, sample_query({s}), sales);
  c.visualization_settings = obj({{"pivot_table.column_split", obj({{"rows", arr("CATEGORY")}, {"columns", arr("CREATED_AT")},
                                                                     {"values", arr("sum")}})},
                                  {"pivot_table.show_row_totals", true}, {"pivot_table.show_column_totals", true}});
  out.emit(std::move(c));

  s = orders_stage();
  s.set("aggregation", arr(agg(L.rng, "count")));
  out.emit(make_card(L, "total_orders", "Total orders", Display::scalar, sample_query({s}), sales));
  s = orders_stage();
  s.set("aggregation", arr(agg(L.rng, "sum", typed("ORDERS", "TOTAL"))));
  s.set("breakout", arr(month("ORDERS", "CREATED_AT")));
  c = make_card(L, "revenue_this_month", "Revenue this month", Display::smartscalar, sample_query({s}), sales);
  c.visualization_settings = obj({{"scalar.comparisons", arr(obj({{"id", "prev"}, {"type", "previousPeriod"}}),
                                                             obj({{"id", "year"}, {"type", "periodsAgo"}, {"value", 12}}))}});
  out.emit(std::move(c));
}

// Native questions: text, number, date, boolean, dimension, temporal-unit,
// card, snippet and table tags, exposed as card parameters.
void native_questions(Out& out, Lib& L) {
  const auto sales = L.id("sales");
  V category = template_tag(L, "dimension", "category", "Category",
                            {{"dimension", sfield("PRODUCTS", "CATEGORY")}, {"widget-type", "string/="}, {"default", V()}});
  V min_total = template_tag(L, "number", "min_total", "Minimum total", {{"default", "0"}, {"required", true}});
  V since = template_tag(L, "date", "since", "Placed since", {{"default", V()}});
  V vendor = template_tag(L, "text", "vendor", "Vendor name contains", {{"default", V()}});
  Card c = make_card(L, "native_orders", "Orders by category and date (SQL)", Display::table,
                     query(kSampleDb, {native_stage("SELECT o.ID, o.CREATED_AT, p.CATEGORY, p.VENDOR, o.TOTAL\n"
                                                    "FROM ORDERS o\n"
                                                    "JOIN PRODUCTS p ON p.ID = o.PRODUCT_ID\n"
                                                    "WHERE {{category}}\n"
                                                    "  AND o.TOTAL >= {{min_total}}\n"
                                                    "  [[AND o.CREATED_AT >= {{since}}]]\n"
                                                    "  [[AND p.VENDOR LIKE CONCAT('%', {{vendor}}, '%')]]\n"
                                                    "ORDER BY o.CREATED_AT DESC",
                                                    arr(category, min_total, since, vendor))}),
                     sales);
  c.parameters = std::vector<Parameter>{tag_parameter(category, "string/=", "dimension"),
                                        tag_parameter(min_total, "number/=", "variable"),
                                        tag_parameter(since, "date/single", "variable"),
                                        tag_parameter(vendor, "string/=", "variable")};
  c.enable_embedding = true;
  c.embedding_type = some(EmbeddingType::standalone);
  c.embedding_params = some(obj({{"category", "enabled"}, {"min_total", "locked"}, {"since", "enabled"},
                                 {"vendor", "disabled"}}));
  out.emit(std::move(c));

  V period = template_tag(L, "temporal-unit", "period", "Period",
                          {{"dimension", sfield("ORDERS", "CREATED_AT")}, {"default", "month"}, {"alias", "o.CREATED_AT"}});
  c = make_card(L, "native_by_period", "Revenue by period (SQL)", Display::bar,
                query(kSampleDb, {native_stage("SELECT {{period}} AS period, SUM(o.TOTAL) AS revenue\n"
                                               "FROM ORDERS o\nGROUP BY {{period}}\nORDER BY 1",
                                               arr(period))}),
                sales);
  c.parameters = std::vector<Parameter>{tag_parameter(period, "temporal-unit", "dimension")};
  out.emit(std::move(c));

  V orders_card = template_tag(L, "card", "#1-orders", "Orders", {{"card-id", L.id("orders_model").str()}});
  V last_30 = template_tag(L, "snippet", "snippet: Last 30 days", "Snippet: Last 30 days",
                           {{"snippet-name", "Last 30 days"}, {"snippet-id", L.id("snip_last_30_days").str()}});
  c = make_card(L, "native_big_spenders", "Big spenders this month (SQL)", Display::table,
                query(kSampleDb, {native_stage("SELECT USER_ID, SUM(TOTAL) AS spent\n"
                                               "FROM {{#1-orders}} o\n"
                                               "WHERE {{snippet: Last 30 days}}\n"
                                               "GROUP BY USER_ID\nHAVING SUM(TOTAL) > 500\nORDER BY spent DESC",
                                               arr(orders_card, last_30))}),
                sales);
  out.emit(std::move(c));

  V source = template_tag(L, "table", "source", "Table", {{"table-id", stable("ORDERS")}, {"emit-alias", false}});
  V all_rows = template_tag(L, "boolean", "include_all", "Include every row", {{"default", true}});
  c = make_card(L, "native_row_count", "Row count of any table (SQL)", Display::scalar,
                query(kSampleDb, {native_stage("SELECT COUNT(*) AS row_count\nFROM {{source}}\nWHERE {{include_all}}",
                                               arr(source, all_rows))}),
                sales);
  c.parameters = std::vector<Parameter>{tag_parameter(all_rows, "boolean/=", "variable")};
  out.emit(std::move(c));
}

void regional_questions(Out& out, Lib& L) {
  struct Region { const char* handle; const char* name; std::vector<std::string> countries; };
  for (const Region& r : {Region{"emea", "EMEA", {"DE", "FR", "GB", "NL"}}, Region{"americas", "Americas", {"BR", "CA", "US"}}}) {
    V s = mbql_stage(stable("ACCOUNTS"));
    V in = clause("=", sfield("ACCOUNTS", "COUNTRY"));
    for (const auto& country : r.countries) in.push_back(country);
    s.set("filters", arr(in));
    s.set("aggregation", arr(agg(L.rng, "count")));
    s.set("breakout", arr(sfield("ACCOUNTS", "PLAN")));
    Card c = make_card(L, std::string(r.handle) + "_accounts", std::string(r.name) + " accounts by plan", Display::bar,
                       sample_query({s}), L.id(r.handle));
    c.visualization_settings = graph({"PLAN"}, {"count"});
    out.emit(std::move(c));

    s = mbql_stage(stable("ACCOUNTS"));
    s.set("filters", arr(in));
    s.set("aggregation", arr(arr("measure", obj(), L.id("ms_seats").str()),
                             agg(L.rng, "share", clause("=", sfield("ACCOUNTS", "TRIAL_CONVERTED"), true))));
    out.emit(make_card(L, std::string(r.handle) + "_seats", std::string(r.name) + " seats and trial conversion",
                       Display::table, sample_query({s}), L.id(r.handle)));
  }
  V received = template_tag(L, "dimension", "received", "Received",
                            {{"dimension", sfield("INVOICES", "DATE_RECEIVED")}, {"widget-type", "date/all-options"}});
  V paying = template_tag(L, "snippet", "snippet: Paying accounts", "Snippet: Paying accounts",
                          {{"snippet-name", "Paying accounts"}, {"snippet-id", L.id("snip_paying").str()}});
  Card c = make_card(L, "emea_invoices", "EMEA invoices (SQL)", Display::table,
                     query(kSampleDb, {native_stage("SELECT i.*\nFROM INVOICES i\nJOIN ACCOUNTS a ON a.ID = i.ACCOUNT_ID\n"
                                                    "WHERE a.COUNTRY IN ('DE', 'FR', 'GB', 'NL')\n"
                                                    "  AND {{snippet: Paying accounts}}\n  AND {{received}}",
                                                    arr(received, paying))}),
                     L.id("emea"));
  c.parameters = std::vector<Parameter>{tag_parameter(received, "date/all-options", "dimension")};
  out.emit(std::move(c));
}

}  // namespace

void seed_cards(Out& out, Lib& L) {
  models_and_metrics(out, L);
  sales_questions(out, L);
  native_questions(out, L);
  regional_questions(out, L);
  seed_more_cards(out, L);
}

}  // namespace bi::seeding
