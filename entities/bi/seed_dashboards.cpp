// The showcase's dashboards: tabs, filters of every flavour (string/= with a
// static list or a card as value source, date/all-options, number/between,
// an id filter), dashcards wired to them (MBQL columns, native variables and
// field filters, text-card placeholders), overlay series, virtual cards
// (heading, text, link, iframe), click behaviours (crossfilter, links to
// dashboards, questions and URLs), and cards owned by a dashboard.
#include "entities/bi/seed_showcase.hpp"

namespace bi::seeding {
namespace {

struct Board {
  Lib& L;
  Dashboard d;
  std::optional<EntityId> tab;  // the tab new dashcards go on

  Board(Lib& lib, const std::string& handle, std::string name, std::string description, std::optional<EntityId> coll)
      : L(lib) {
    d.name = std::move(name);
    d.description = some(std::move(description));
    d.entity_id = L.id(handle);
    d.creator_id = user(L.creator());
    d.archived = false;
    d.collection_id = in_collection(coll);
    d.collection_position = null<std::int64_t>();
    d.position = null<std::int64_t>();
    d.auto_apply_filters = true;
    d.width = DashboardWidth::fixed;
    d.enable_embedding = false;
    d.embedding_params = null<V>();
    d.embedding_type = null<EmbeddingType>();
    d.public_uuid = null<std::string>();
    d.made_public_by_id = null<Ref<User>>();
    d.show_in_getting_started = false;
    d.caveats = null<std::string>();
    d.points_of_interest = null<std::string>();
    d.initially_published_at = null<Timestamp>();
    d.parameters = std::vector<Parameter>{};
    d.tabs = std::vector<DashboardTab>{};
    d.dashcards = std::vector<DashboardCard>{};
    d.created_at = L.rng.when();
  }
  const EntityId& add_tab(std::string name) {
    DashboardTab t;
    t.entity_id = L.rng.id();
    t.name = std::move(name);
    t.position = static_cast<std::int64_t>(d.tabs->size());
    t.created_at = d.created_at;
    d.tabs->push_back(std::move(t));
    tab = d.tabs->back().entity_id;
    return *tab;
  }
  std::string add_param(Parameter p) {
    d.parameters->push_back(std::move(p));
    return d.parameters->back().id;
  }
  DashboardCard& place(Maybe<Ref<Card>> card, std::int64_t row, std::int64_t col, std::int64_t w, std::int64_t h) {
    DashboardCard c;
    c.entity_id = L.rng.id();
    c.card_id = std::move(card);
    if (tab) c.dashboard_tab_id = some(std::vector<EntityId>{d.entity_id, *tab});
    c.row = row;
    c.col = col;
    c.size_x = w;
    c.size_y = h;
    c.parameter_mappings = std::vector<ParameterMapping>{};
    c.series = std::vector<DashboardCardSeries>{};
    c.visualization_settings = obj();
    c.created_at = d.created_at;
    d.dashcards->push_back(std::move(c));
    return d.dashcards->back();
  }
  DashboardCard& card(const std::string& handle, std::int64_t row, std::int64_t col, std::int64_t w, std::int64_t h) {
    return place(some(Ref<Card>(L.id(handle).str())), row, col, w, h);
  }
  DashboardCard& text(std::string display, V::Object settings, std::int64_t row, std::int64_t col, std::int64_t w,
                      std::int64_t h) {
    DashboardCard& c = place(null<Ref<Card>>(), row, col, w, h);
    c.visualization_settings = obj({{"virtual_card", obj({{"display", std::move(display)}})}});
    for (auto& [k, v] : settings) c.visualization_settings->set(k, std::move(v));
    return c;
  }
  // A dashboard-owned card: same collection as the dashboard, dashboard_id set.
  Card owned(const std::string& handle, std::string name, Display display, V q) {
    std::optional<EntityId> coll;
    if (d.collection_id && d.collection_id->has_value()) coll = EntityId((**d.collection_id).key.first());
    Card c = make_card(L, handle, std::move(name), display, std::move(q), coll);
    c.dashboard_id = some(Parent<Dashboard>(Ref<Dashboard>(d.entity_id.str())));
    return c;
  }
};

void map(DashboardCard& dc, const std::string& param, V target, bool virtual_card = false) {
  ParameterMapping m;
  if (!virtual_card) m.card_id = **dc.card_id;
  m.parameter_id = param;
  m.target = std::move(target);
  dc.parameter_mappings->push_back(std::move(m));
}
V dim(V fk, V opts = V()) { return arr("dimension", arr("field", std::move(fk), std::move(opts))); }
V param_link(const std::string& param, std::string column, std::string name) {
  return obj({{param, obj({{"id", param},
                           {"source", obj({{"id", std::move(column)}, {"name", std::move(name)}, {"type", "column"}})},
                           {"target", obj({{"id", param}, {"type", "parameter"}})}})}});
}
V link_entity(const EntityId& id, const char* model) {
  return obj({{"link", obj({{"entity", obj({{"id", id.str()}, {"model", model}})}})}});
}

Parameter filter(Lib& L, std::string name, std::string type, ParameterSection section) {
  Parameter p = parameter(L.rng.uuid().substr(0, 8), std::move(name), std::move(type));
  p.sectionId = section;
  return p;
}

void sales_overview(Out& out, Lib& L) {
  Board b(L, "dash_sales", "Sales overview", "Orders and revenue at a glance; details on the second tab.", L.id("sales"));
  b.d.collection_position = some<std::int64_t>(1);
  Parameter category = filter(L, "Category", "string/=", ParameterSection::string);
  category.values_query_type = ValuesQueryType::list;
  category.values_source_type = some(ValuesSourceType::static_list);
  category.values_source_config = obj({{"values", arr(arr("Doohickey"), arr("Gadget"), arr("Gizmo"), arr("Widget"))}});
  category.default_ = null<V>();
  const auto p_category = b.add_param(category);
  Parameter date = filter(L, "Order date", "date/all-options", ParameterSection::date);
  date.default_ = some(V("past12months"));
  const auto p_date = b.add_param(date);
  const auto p_total = b.add_param(filter(L, "Order total", "number/between", ParameterSection::number));
  Parameter product = filter(L, "Product", "string/=", ParameterSection::string);
  product.values_query_type = ValuesQueryType::search;
  product.values_source_type = some(ValuesSourceType::card);
  product.values_source_config = obj({{"card_id", L.id("products_model").str()},
                                      {"value_field", sfield("PRODUCTS", "TITLE")}});
  const auto p_product = b.add_param(product);
  Parameter min_total = filter(L, "Minimum total", "number/=", ParameterSection::number);
  min_total.default_ = some(arr(0));
  const auto p_min = b.add_param(min_total);
  const V created = sfk("ORDERS", "CREATED_AT");
  const V via_product = obj({{"source-field", sfk("ORDERS", "PRODUCT_ID")}});

  b.add_tab("Overview");
  b.text("heading", {{"text", "Sales at a glance"}, {"dashcard.background", false}}, 0, 0, 24, 1);
  map(b.card("total_orders", 1, 0, 6, 3), p_date, dim(created));
  map(b.card("revenue_this_month", 1, 6, 6, 3), p_date, dim(created));
  map(b.text("text", {{"text", "Showing **{{category}}** orders. Filters apply to every card."}}, 1, 12, 12, 3), p_category,
      arr("text-tag", "category"), true);
  DashboardCard& trend = b.card("revenue_by_month", 4, 0, 12, 6);
  trend.series->push_back(DashboardCardSeries{Ref<Card>(L.id("orders_by_month").str()), 0});
  trend.inline_parameters = std::vector<std::string>{p_product};
  map(trend, p_date, dim(created));
  map(trend, p_category, dim(sfk("PRODUCTS", "CATEGORY"), via_product));
  map(trend, p_product, dim(sfk("PRODUCTS", "TITLE"), via_product));
  DashboardCard& by_category = b.card("orders_by_category", 4, 12, 12, 6);
  by_category.visualization_settings =
      obj({{"click_behavior", obj({{"type", "crossfilter"}, {"parameterMapping", param_link(p_category, "CATEGORY", "Category")}})}});
  map(by_category, p_category, dim(sfk("PRODUCTS", "CATEGORY"), obj({{"join-alias", "Products"}})));
  map(by_category, p_date, dim(created));
  V recent = mbql_stage(stable("ORDERS"));
  recent.set("filters", arr(clause("time-interval", sfield("ORDERS", "CREATED_AT"), -14, "day")));
  recent.set("aggregation", arr(agg(L.rng, "count")));
  recent.set("breakout", arr(sfield("ORDERS", "CREATED_AT", obj({{"temporal-unit", "day"}}))));
  out.emit(b.owned("orders_last_2_weeks", "Orders per day, last two weeks", Display::line, query(kSampleDb, {recent})));
  map(b.card("orders_last_2_weeks", 10, 0, 12, 6), p_category, dim(sfk("PRODUCTS", "CATEGORY"), via_product));
  map(b.card("orders_by_state", 10, 12, 12, 6), p_date, dim(created));

  b.add_tab("Details");
  DashboardCard& large = b.card("large_orders", 0, 0, 24, 9);
  V to_customer = obj({{"type", "link"}, {"linkType", "dashboard"}, {"targetId", L.id("dash_customer").str()},
                       {"parameterMapping", param_link(L.id("p_customer_param").str(), "USER_ID", "User ID")}});
  large.visualization_settings =
      obj({{"column_settings", obj({{column_key_name("USER_ID"), obj({{"click_behavior", to_customer}})}})}});
  map(large, p_total, dim(sfk("ORDERS", "TOTAL")));
  DashboardCard& native = b.card("native_orders", 9, 0, 16, 9);
  map(native, p_category, tag_target("dimension", "category"));
  map(native, p_min, tag_target("variable", "min_total"));
  b.text("link", link_entity(L.id("dash_customer"), "dashboard").as_object(), 9, 16, 8, 1);
  V vendor = mbql_stage(stable("ORDERS"));
  vendor.set("aggregation", arr(agg(L.rng, "sum", sfield("ORDERS", "TOTAL"))));
  vendor.set("breakout", arr(sfield("PRODUCTS", "VENDOR", via_product)));
  vendor.set("limit", 15);
  out.emit(b.owned("revenue_by_vendor", "Revenue by vendor", Display::row, query(kSampleDb, {vendor})));
  map(b.card("revenue_by_vendor", 10, 16, 8, 8), p_category, dim(sfk("PRODUCTS", "CATEGORY"), via_product));
  b.text("link", {{"link", obj({{"url", "https://www.metabase.com/docs/latest/questions/sharing/answers"}})}}, 18, 16, 8, 1);
  out.emit(std::move(b.d));
}

void customer_detail(Out& out, Lib& L) {
  Board b(L, "dash_customer", "Customer detail", "Everything about one customer. Reached from Sales overview.",
          L.id("sales"));
  // Its id was taken by Sales overview's click behaviour (a link into this dashboard).
  Parameter customer = filter(L, "Customer ID", "number/=", ParameterSection::id);
  customer.id = L.id("p_customer_param").str();
  const auto p = b.add_param(customer);
  const V user_id = sfk("ORDERS", "USER_ID");
  V orders = mbql_stage(stable("ORDERS"));
  orders.set("order-by", arr(arr("desc", obj(), sfield("ORDERS", "CREATED_AT"))));
  out.emit(b.owned("customer_orders", "Orders of this customer", Display::table, query(kSampleDb, {orders})));
  V ltv = mbql_stage(stable("ORDERS"));
  ltv.set("aggregation", arr(agg(L.rng, "sum", sfield("ORDERS", "TOTAL"))));
  out.emit(b.owned("customer_ltv", "Lifetime value", Display::scalar, query(kSampleDb, {ltv})));
  map(b.card("customer_ltv", 0, 0, 6, 3), p, dim(user_id));
  DashboardCard& profile = b.card("people_model", 0, 6, 18, 3);
  map(profile, p, dim(sfk("PEOPLE", "ID")));
  DashboardCard& list = b.card("customer_orders", 3, 0, 24, 9);
  map(list, p, dim(user_id));
  list.visualization_settings = obj(
      {{"click_behavior",
        obj({{"type", "link"}, {"linkType", "question"}, {"targetId", L.id("orders_enriched").str()},
             {"parameterMapping",
              obj({{"PRODUCT_ID", obj({{"id", "PRODUCT_ID"},
                                       {"source", obj({{"id", "PRODUCT_ID"}, {"name", "Product ID"}, {"type", "column"}})},
                                       {"target", obj({{"id", "PRODUCT_ID"}, {"type", "dimension"},
                                                       {"dimension", dim(sfk("PRODUCTS", "ID"))}})}})}})}})}});
  b.text("link", link_entity(L.id("dash_sales"), "dashboard").as_object(), 12, 0, 8, 1);
  out.emit(std::move(b.d));
}

void emea(Out& out, Lib& L) {
  Board b(L, "dash_emea", "EMEA accounts", "Accounts, seats and invoices in Europe, the Middle East and Africa.", L.id("emea"));
  Parameter plan = filter(L, "Plan", "string/=", ParameterSection::string);
  plan.values_source_type = some(ValuesSourceType::static_list);
  plan.values_source_config =
      obj({{"values", arr(arr("Basic", "Basic plan"), arr("Business", "Business plan"), arr("Premium", "Premium plan"))}});
  plan.isMultiSelect = some(true);
  const auto p_plan = b.add_param(plan);
  const auto p_received = b.add_param(filter(L, "Invoice received", "date/all-options", ParameterSection::date));
  b.text("text", {{"text", "Figures in **USD**. Countries: DE, FR, GB, NL."}}, 0, 0, 24, 2);
  map(b.card("emea_accounts", 2, 0, 12, 6), p_plan, dim(sfk("ACCOUNTS", "PLAN")));
  map(b.card("emea_seats", 2, 12, 12, 6), p_plan, dim(sfk("ACCOUNTS", "PLAN")));
  map(b.card("emea_invoices", 8, 0, 24, 9), p_received, tag_target("dimension", "received"));
  out.emit(std::move(b.d));
}

void marketing(Out& out, Lib& L) {
  Board b(L, "dash_marketing", "Marketing funnel", "Web traffic, sign-ups and the checkout funnel.", L.id("marketing"));
  b.d.width = DashboardWidth::full;
  b.d.auto_apply_filters = false;
  const auto p_when = b.add_param(filter(L, "Period", "date/relative", ParameterSection::date));
  b.add_tab("Web");
  b.text("heading", {{"text", "Traffic"}}, 0, 0, 24, 1);
  map(b.card("views_by_device", 1, 0, 12, 6), p_when, dim(events_tables()[0].field_fk({"ts"})));
  map(b.card("mobile_views", 1, 12, 12, 6), p_when, dim(events_tables()[0].field_fk({"ts"})));
  b.card("events_by_os", 7, 0, 12, 8);
  b.text("iframe", {{"iframe", "<iframe src=\"https://www.youtube.com/embed/cNotCx6SDLk\"></iframe>"}}, 7, 12, 12, 8);
  b.add_tab("Funnel");
  map(b.card("signups_by_source", 0, 0, 12, 6), p_when, dim(sfk("ANALYTIC_EVENTS", "TIMESTAMP")));
  DashboardCard& funnel = b.card("checkout_funnel", 0, 12, 12, 6);
  funnel.visualization_settings = obj({{"click_behavior", obj({{"type", "link"}, {"linkType", "url"},
                                                               {"linkTemplate", "https://shop.sample-company.com/{{BUTTON_LABEL}}?from={{filter:period}}"},
                                                               {"linkTextTemplate", "Open {{BUTTON_LABEL}}"}})}});
  b.card("customers_by_source", 6, 0, 12, 8);
  b.card("long_sessions", 6, 12, 12, 8);
  out.emit(std::move(b.d));
}

// kDemoDashboard: the demo renames it, so it owns no cards (their folder would move too).
void operations(Out& out, Lib& L) {
  Board b(L, "dash_ops", std::string(kDemoDashboard), "Feedback, reviews and invoicing, month by month.",
          L.id("operations"));
  const auto p_month = b.add_param(filter(L, "Month", "date/month-year", ParameterSection::date));
  map(b.card("feedback_by_rating", 0, 0, 12, 6), p_month, dim(sfk("FEEDBACK", "DATE_RECEIVED")));
  map(b.card("ratings_over_time", 0, 12, 12, 6), p_month, dim(sfk("REVIEWS", "CREATED_AT")));
  DashboardCard& low = b.card("low_reviews", 6, 0, 16, 9);
  low.visualization_settings = obj({{"click_behavior", obj({{"type", "link"}, {"linkType", "question"},
                                                            {"targetId", L.id("products_model").str()},
                                                            {"parameterMapping", obj()}})}});
  b.text("link", link_entity(L.id("operations"), "collection").as_object(), 6, 16, 8, 1);
  b.text("link", {{"link", obj({{"entity", obj({{"id", stable("REVIEWS")}, {"model", "table"}})}})}}, 7, 16, 8, 1);
  b.text("text", {{"text", "Ratings of 2 or less are reviewed every Monday."}}, 8, 16, 8, 7);
  map(b.card("unexpected_invoices", 15, 0, 12, 6), p_month, dim(sfk("INVOICES", "DATE_RECEIVED")));
  map(b.card("payments_by_month", 15, 12, 12, 6), p_month, dim(sfk("INVOICES", "DATE_RECEIVED")));
  b.card("rating_by_plan", 21, 0, 12, 6);
  out.emit(std::move(b.d));
}

void executive(Out& out, Lib& L) {
  Board b(L, "dash_exec", "Executive summary", "The company's official metrics.", {});
  b.d.collection_id = std::nullopt;  // the root collection
  b.d.enable_embedding = true;
  b.d.embedding_type = some(EmbeddingType::sdk);
  b.d.embedding_params = some(obj());
  b.d.public_uuid = some(L.rng.uuid());
  b.d.made_public_by_id = some(user(kAdmin));
  b.d.initially_published_at = some(L.rng.when());
  b.d.show_in_getting_started = true;
  b.d.caveats = some<std::string>("Revenue excludes refunds issued after month end.");
  b.card("revenue_metric", 0, 0, 12, 6);
  b.card("aov_metric", 0, 12, 6, 3);
  b.card("active_accounts_metric", 0, 18, 6, 3);
  b.card("customer_count", 3, 12, 12, 3);
  b.card("payments_by_month", 6, 0, 24, 6);
  out.emit(std::move(b.d));
}

}  // namespace

void seed_dashboards(Out& out, Lib& L) {
  sales_overview(out, L);
  customer_detail(out, L);
  emea(out, L);
  marketing(out, L);
  operations(out, L);
  executive(out, L);
}

}  // namespace bi::seeding
