// The showcase's marketing cards (JSON-unfolded fields of ANALYTIC_EVENTS,
// the schemaless Events Store, a MongoDB native query), operations cards,
// and a few cards in personal collections and in the root collection.
#include "entities/bi/seed_showcase.hpp"

namespace bi::seeding {
namespace {

V events_stage() { return mbql_stage(stable("ANALYTIC_EVENTS")); }
V sample_query(V::Array stages) { return query(kSampleDb, std::move(stages)); }

void marketing(Out& out, Lib& L) {
  const auto mkt = L.id("marketing");
  const TableSpec& events = sample_table("ANALYTIC_EVENTS");

  // A breakout on a JSON-unfolded field: [.., ANALYTIC_EVENTS, PROPERTIES, device, os].
  V s = events_stage();
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(field(events.field_fk({"PROPERTIES", "device", "os"}))));
  Card c = make_card(L, "events_by_os", "Events by operating system", Display::pie, sample_query({s}), mkt);
  c.visualization_settings = obj({{"pie.dimension", "os"}, {"pie.metric", "count"}, {"pie.show_legend", true},
                                  {"pie.percent_visibility", "inside"}});
  out.emit(std::move(c));

  s = events_stage();
  s.set("filters", arr(clause("=", sfield("ANALYTIC_EVENTS", "EVENT"), "Button Clicked"),
                       clause("=", sfield("ANALYTIC_EVENTS", "BUTTON_LABEL"), "Sign Up")));
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(field(events.field_fk({"PROPERTIES", "utm", "source"})),
                        sfield("ANALYTIC_EVENTS", "TIMESTAMP", obj({{"temporal-unit", "week"}}))));
  c = make_card(L, "signups_by_source", "Sign-ups by campaign source", Display::area, sample_query({s}), mkt);
  c.visualization_settings = obj({{"stackable.stack_type", "stacked"}, {"graph.dimensions", arr("TIMESTAMP", "source")},
                                  {"graph.metrics", arr("count")}});
  out.emit(std::move(c));

  s = events_stage();
  s.set("filters", arr(clause("=", sfield("ANALYTIC_EVENTS", "BUTTON_LABEL"), "Learn More", "Add To Cart", "Checkout")));
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(sfield("ANALYTIC_EVENTS", "BUTTON_LABEL")));
  c = make_card(L, "checkout_funnel", "Checkout funnel", Display::funnel, sample_query({s}), mkt);
  c.visualization_settings = obj({{"funnel.dimension", "BUTTON_LABEL"}, {"funnel.metric", "count"}, {"funnel.type", "funnel"}});
  out.emit(std::move(c));

  // The schemaless Events Store: a null schema in every FK, nested fields.
  const TableSpec& views = events_tables()[0];
  s = mbql_stage(views.fk());
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(field(views.field_fk({"context", "device"})),
                        field(views.field_fk({"ts"}), obj({{"temporal-unit", "week"}}))));
  out.emit(make_card(L, "views_by_device", "Page views by device", Display::line, query(kEventsDb, {s}), mkt));

  s = mbql_stage(views.fk());
  s.set("filters", arr(arr("segment", obj(), L.id("seg_mobile").str())));
  s.set("aggregation", arr(agg(L.rng, "count"), agg(L.rng, "distinct", field(views.field_fk({"user_id"})))));
  s.set("breakout", arr(field(views.field_fk({"ts"}), obj({{"temporal-unit", "day"}}))));
  out.emit(make_card(L, "mobile_views", "Mobile page views per day", Display::combo, query(kEventsDb, {s}), mkt));

  // MongoDB native: an aggregation pipeline on a collection.
  V mongo = native_stage("[{\"$match\": {\"duration_seconds\": {\"$gt\": 1800}}},\n"
                         " {\"$group\": {\"_id\": \"$user_id\", \"sessions\": {\"$sum\": 1}}},\n"
                         " {\"$sort\": {\"sessions\": -1}}, {\"$limit\": 20}]");
  mongo.set("collection", "sessions");
  out.emit(make_card(L, "long_sessions", "Users with the most long sessions", Display::table, query(kEventsDb, {mongo}), mkt));

  s = mbql_stage(stable("PEOPLE"));
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(sfield("PEOPLE", "SOURCE")));
  out.emit(make_card(L, "customers_by_source", "Customers by source", Display::pie, sample_query({s}), mkt));
  s = mbql_stage(stable("PEOPLE"));
  s.set("filters", arr(arr("segment", obj(), L.id("seg_organic").str())));
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(sfield("PEOPLE", "STATE")));
  c = make_card(L, "organic_by_state", "Organic customers by state", Display::map, sample_query({s}), mkt);
  c.visualization_settings = obj({{"map.type", "region"}, {"map.region", "us_states"}});
  out.emit(std::move(c));
  // An archived card in an archived collection.
  s = events_stage();
  s.set("aggregation", arr(agg(L.rng, "count")));
  c = make_card(L, "old_events", "Event count (old dashboard)", Display::scalar, sample_query({s}), L.id("archive"));
  c.archived = true;
  c.archived_directly = false;
  out.emit(std::move(c));
}

void operations(Out& out, Lib& L) {
  const auto ops = L.id("operations");
  V s = mbql_stage(stable("FEEDBACK"));
  s.set("aggregation", arr(agg(L.rng, "count")));
  s.set("breakout", arr(sfield("FEEDBACK", "RATING_MAPPED")));
  Card c = make_card(L, "feedback_by_rating", "Feedback by rating", Display::bar, sample_query({s}), ops);
  c.visualization_settings = obj({{"graph.dimensions", arr("RATING_MAPPED")}, {"graph.metrics", arr("count")},
                                  {"series_settings", obj({{"count", obj({{"color", "#509EE3"}, {"title", "Responses"}})}})}});
  out.emit(std::move(c));

  s = mbql_stage(stable("REVIEWS"));
  s.set("aggregation", arr(agg(L.rng, "avg", sfield("REVIEWS", "RATING", obj({{"base-type", "type/Integer"}})))));
  s.set("breakout", arr(sfield("REVIEWS", "CREATED_AT", obj({{"temporal-unit", "month"}}))));
  c = make_card(L, "ratings_over_time", "Average review rating by month", Display::line, sample_query({s}), ops);
  c.visualization_settings = obj({{"graph.show_goal", true}, {"graph.goal_value", 4}, {"graph.y_axis.auto_range", false},
                                  {"graph.y_axis.min", 0}, {"graph.y_axis.max", 5}});
  out.emit(std::move(c));

  s = mbql_stage(stable("REVIEWS"));
  s.set("filters", arr(clause("<=", sfield("REVIEWS", "RATING"), 2)));
  s.set("fields", arr(sfield("REVIEWS", "ID"), sfield("REVIEWS", "RATING"), sfield("REVIEWS", "BODY"),
                      sfield("PRODUCTS", "TITLE", obj({{"source-field", sfk("REVIEWS", "PRODUCT_ID")}}))));
  s.set("order-by", arr(arr("asc", obj(), sfield("REVIEWS", "RATING"))));
  c = make_card(L, "low_reviews", "Low-rated reviews", Display::table, sample_query({s}), ops);
  c.visualization_settings = obj({{"table.column_formatting",
                                   arr(obj({{"columns", arr("RATING")}, {"type", "single"}, {"operator", "<="},
                                            {"value", 1}, {"color", "#ED6E6E"}, {"highlight_row", false}}))}});
  out.emit(std::move(c));

  s = mbql_stage(stable("INVOICES"));
  s.set("filters", arr(clause("=", sfield("INVOICES", "EXPECTED_INVOICE"), false)));
  out.emit(make_card(L, "unexpected_invoices", "Unexpected invoices", Display::table, sample_query({s}), ops));

  s = mbql_stage(stable("INVOICES"));
  s.set("aggregation", arr(arr("measure", obj(), L.id("ms_payments").str())));
  s.set("breakout", arr(sfield("INVOICES", "DATE_RECEIVED", obj({{"temporal-unit", "month"}}))));
  out.emit(make_card(L, "payments_by_month", "Payments by month", Display::area, sample_query({s}), ops));

  s = mbql_stage(stable("FEEDBACK"));
  s.set("aggregation", arr(agg(L.rng, "avg", sfield("FEEDBACK", "RATING"))));
  s.set("breakout", arr(sfield("ACCOUNTS", "PLAN", obj({{"source-field", sfk("FEEDBACK", "ACCOUNT_ID")}}))));
  out.emit(make_card(L, "rating_by_plan", "Feedback rating by plan", Display::row, sample_query({s}), ops));
}

void personal_and_root(Out& out, Lib& L) {
  V s = mbql_stage(stable("ORDERS"));
  s.set("filters", arr(clause(">", sfield("ORDERS", "DISCOUNT"), 10)));
  out.emit(make_card(L, "scratch_discounts", "Scratch: discounts over 10 USD", Display::table,
                     query(kSampleDb, {s}), L.id("personal_admin")));
  s = mbql_stage(stable("PRODUCTS"));
  s.set("filters", arr(clause("between", sfield("PRODUCTS", "PRICE"), 20, 50),
                       clause("contains", sfield("PRODUCTS", "TITLE"), "Wool")));
  Card c = make_card(L, "scratch_wool", "Wool products between 20 and 50 USD", Display::table, query(kSampleDb, {s}),
                     L.id("personal_analyst"));
  c.creator_id = user(person(0).email);
  out.emit(std::move(c));
  // In the root collection: no collection_id at all.
  s = mbql_stage(stable("PEOPLE"));
  s.set("aggregation", arr(agg(L.rng, "count")));
  c = make_card(L, "customer_count", "How many customers do we have?", Display::scalar, query(kSampleDb, {s}), {});
  c.collection_id = std::nullopt;
  c.public_uuid = some(L.rng.uuid());
  c.made_public_by_id = some(user(kAdmin));
  out.emit(std::move(c));
}

}  // namespace

void seed_more_cards(Out& out, Lib& L) {
  marketing(out, L);
  operations(out, L);
  personal_and_root(out, L);
}

}  // namespace bi::seeding
