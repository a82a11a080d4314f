// The showcase's collections (all three namespaces), SQL snippets, segments
// and measures, and the helpers every showcase card is made with.
#include "entities/bi/seed_showcase.hpp"

namespace bi::seeding {

Card make_card(Lib& L, const std::string& handle, std::string name, Display display, V dataset_query,
               const std::optional<EntityId>& collection, CardType type) {
  Card c;
  c.name = std::move(name);
  c.description = null<std::string>();
  c.entity_id = L.id(handle);
  c.display = display;
  c.type = type;
  c.creator_id = user(L.creator());
  c.dataset_query = std::move(dataset_query);
  c.visualization_settings = obj();
  c.archived = false;
  c.collection_id = in_collection(collection);
  c.collection_position = null<std::int64_t>();
  c.collection_preview = true;
  c.parameters = std::vector<Parameter>{};
  c.parameter_mappings = std::vector<V>{};
  c.result_metadata = null<V>();
  c.enable_embedding = false;
  c.embedding_params = null<V>();
  c.embedding_type = null<EmbeddingType>();
  c.public_uuid = null<std::string>();
  c.made_public_by_id = null<Ref<User>>();
  c.metabase_version = some<std::string>("v0.57.3 (2a4ef1c)");
  c.card_schema = some<std::int64_t>(22);
  c.created_at = L.rng.when();
  return c;
}

V result_metadata(const TableSpec& t, const std::vector<std::string>& columns) {
  V out = V::array();
  for (const auto& name : columns) {
    const ColumnSpec* c = t.column(name);
    if (!c) continue;
    V col = obj({{"name", c->name},
                 {"display_name", c->name},
                 {"base_type", c->base_type},
                 {"effective_type", c->base_type},
                 {"semantic_type", c->semantic.empty() ? V() : V(c->semantic)},
                 {"id", t.field_fk({c->name})},
                 {"table_id", t.fk()},
                 {"field_ref", legacy_field(t.field_fk({c->name}))}});
    if (!c->fk_table.empty())
      col.set("fk_target_field_id", arr(t.db, t.schema ? V(*t.schema) : V(), c->fk_table, "ID"));
    out.push_back(std::move(col));
  }
  return out;
}

V template_tag(Lib& L, std::string type, std::string name, std::string display_name, V::Object extra) {
  V tag = obj({{"type", std::move(type)}, {"name", std::move(name)}, {"id", L.rng.uuid()},
               {"display-name", std::move(display_name)}});
  for (auto& [k, v] : extra) tag.set(k, std::move(v));
  return tag;
}

Parameter tag_parameter(const V& tag, std::string widget_type, std::string wrapper) {
  Parameter p = parameter(tag.find("id")->as_string(), tag.find("display-name")->as_string(), std::move(widget_type));
  p.slug = tag.find("name")->as_string();
  p.target = tag_target(wrapper, p.slug);
  if (const V* d = tag.find("default")) p.default_ = some(*d);
  if (const V* r = tag.find("required")) p.required = r->as_bool();
  return p;
}

namespace {

Collection collection(Lib& L, const std::string& handle, std::string name, std::string description,
                      std::optional<EntityId> parent, Maybe<CollectionNamespace> ns = null<CollectionNamespace>()) {
  Collection c;
  c.name = std::move(name);
  c.description = description.empty() ? null<std::string>() : some(std::move(description));
  c.entity_id = L.id(handle);
  c.slug = metaport::slugify(c.name);
  c.archived = false;
  c.archived_directly = null<bool>();
  c.type = null<CollectionType>();
  c.namespace_ = std::move(ns);
  c.authority_level = null<AuthorityLevel>();
  c.is_sample = false;
  c.parent_id = parent ? some(Parent<Collection>(Ref<Collection>(parent->str()))) : null<Parent<Collection>>();
  c.personal_owner_id = null<Ref<User>>();
  c.created_at = L.rng.when();
  return c;
}

NativeQuerySnippet snippet(Lib& L, const std::string& handle, std::string name, std::string content,
                           std::string description, std::optional<EntityId> collection) {
  NativeQuerySnippet s;
  s.name = std::move(name);
  s.description = some(std::move(description));
  s.entity_id = L.id(handle);
  s.creator_id = user(L.creator());
  s.content = std::move(content);
  s.archived = false;
  s.collection_id = in_collection(collection);
  s.template_tags = obj();
  s.created_at = L.rng.when();
  return s;
}

V definition(const TableSpec& t, const char* member, V clause_list) {
  V stage = mbql_stage(t.fk());
  stage.set(member, std::move(clause_list));
  return query(t.db, {std::move(stage)});
}

template <class T>
T table_item(Lib& L, const std::string& handle, std::string name, std::string description, V def) {
  T x;
  x.name = std::move(name);
  x.description = some(std::move(description));
  x.entity_id = L.id(handle);
  x.creator_id = user(L.creator());
  x.definition = std::move(def);
  x.archived = false;
  x.created_at = L.rng.when();
  return x;
}

}  // namespace

void seed_library(Out& out, Lib& L) {
  // ---- collections: main namespace ----
  Collection sales = collection(L, "sales", "Sales", "Revenue, orders and customers. Curated by the data team.", {});
  sales.authority_level = some(AuthorityLevel::official);
  out.emit(sales);
  out.emit(collection(L, "regional", "Regional", "Numbers per sales region.", L.id("sales")));
  out.emit(collection(L, "emea", "EMEA", "Europe, Middle East and Africa.", L.id("regional")));
  out.emit(collection(L, "americas", "Americas", "North and South America.", L.id("regional")));
  out.emit(collection(L, "marketing", "Marketing", "Campaigns, web analytics and the funnel.", {}));
  out.emit(collection(L, "operations", "Operations", "Customer feedback, reviews, invoicing.", {}));
  Collection archive = collection(L, "archive", "Old experiments", "Kept for reference.", L.id("marketing"));
  archive.archived = true;
  archive.archived_directly = some(true);
  out.emit(archive);
  Collection personal = collection(L, "personal_admin", "Sam Admin's Personal Collection", {}, {});
  personal.personal_owner_id = some(user(kAdmin));
  personal.slug = "sam_admin_s_personal_collection";
  out.emit(personal);
  const Person analyst = person(0);
  Collection personal2 =
      collection(L, "personal_analyst", analyst.first + " " + analyst.last + "'s Personal Collection", {}, {});
  personal2.personal_owner_id = some(user(analyst.email));
  out.emit(personal2);

  // ---- snippets and transforms namespaces ----
  out.emit(collection(L, "sql_library", "SQL Library", "Shared SQL fragments.", {}, some(CollectionNamespace::snippets)));
  out.emit(collection(L, "sql_filters", "Filters", "WHERE-clause fragments.", L.id("sql_library"),
                      some(CollectionNamespace::snippets)));
  out.emit(collection(L, "etl", "ETL", "Transforms that build the reporting tables.", {},
                      some(CollectionNamespace::transforms)));
  out.emit(collection(L, "etl_staging", "Staging", "First-stage cleanup of raw tables.", L.id("etl"),
                      some(CollectionNamespace::transforms)));

  // ---- snippets ----
  out.emit(snippet(L, "snip_last_30_days", "Last 30 days", "CREATED_AT >= DATEADD('DAY', -30, CURRENT_DATE)",
                   "Rows created in the last 30 days.", L.id("sql_library")));
  out.emit(snippet(L, "snip_paying", "Paying accounts", "ACTIVE_SUBSCRIPTION = TRUE AND PLAN <> 'Basic'",
                   "Accounts on a paid plan with an active subscription.", L.id("sql_filters")));
  out.emit(snippet(L, "snip_widgets", "Widget products", "CATEGORY = 'Widget'", "Only Widgets.", L.id("sql_filters")));
  // A snippet built on another snippet.
  NativeQuerySnippet recent = snippet(L, "snip_recent_paying", "Recently converted accounts",
                                      "{{snippet: Paying accounts}}\n  AND TRIAL_ENDS_AT >= DATEADD('DAY', -90, CURRENT_DATE)",
                                      "Paying accounts whose trial ended in the last quarter.", {});
  recent.template_tags = obj({{"snippet: Paying accounts",
                               template_tag(L, "snippet", "snippet: Paying accounts", "Snippet: Paying accounts",
                                            {{"snippet-name", "Paying accounts"},
                                             {"snippet-id", L.id("snip_paying").str()}})}});
  out.emit(std::move(recent));

  // ---- segments ----
  const TableSpec& orders = sample_table("ORDERS");
  const TableSpec& products = sample_table("PRODUCTS");
  const TableSpec& people = sample_table("PEOPLE");
  const TableSpec& accounts = sample_table("ACCOUNTS");
  const TableSpec& page_views = events_tables()[0];
  out.emit(table_item<Segment>(L, "seg_large_orders", "Large orders", "Orders above 100 USD.",
                               definition(orders, "filters", arr(clause(">", sfield("ORDERS", "TOTAL"), 100)))));
  out.emit(table_item<Segment>(L, "seg_widgets", "Widgets", "Products in the Widget category.",
                               definition(products, "filters", arr(clause("=", sfield("PRODUCTS", "CATEGORY"), "Widget")))));
  out.emit(table_item<Segment>(L, "seg_organic", "Organic customers", "People who found us on their own.",
                               definition(people, "filters", arr(clause("=", sfield("PEOPLE", "SOURCE"), "Organic")))));
  out.emit(table_item<Segment>(
      L, "seg_active", "Active subscriptions", "Accounts paying right now.",
      definition(accounts, "filters", arr(clause("=", sfield("ACCOUNTS", "ACTIVE_SUBSCRIPTION"), true)))));
  out.emit(table_item<Segment>(
      L, "seg_mobile", "Mobile page views", "Views from phones (context.device = mobile).",
      definition(page_views, "filters",
                 arr(clause("=", field(page_views.field_fk({"context", "device"})), "mobile")))));

  // ---- measures ----
  auto sum_of = [&](const TableSpec& t, const char* column, const char* op = "sum") {
    return definition(t, "aggregation",
                      arr(agg(L.rng, op, field(t.field_fk({column}), obj({{"base-type", t.column(column)->base_type}})))));
  };
  out.emit(table_item<Measure>(L, "ms_revenue", "Total revenue", "Sum of order totals, taxes included.",
                               sum_of(orders, "TOTAL")));
  out.emit(table_item<Measure>(L, "ms_discount", "Average discount", "Mean discount of discounted orders.",
                               sum_of(orders, "DISCOUNT", "avg")));
  out.emit(table_item<Measure>(L, "ms_seats", "Seats sold", "Seats across all accounts.", sum_of(accounts, "SEATS")));
  out.emit(table_item<Measure>(L, "ms_payments", "Payments received", "Sum of invoice payments.",
                               sum_of(sample_table("INVOICES"), "PAYMENT")));
}

}  // namespace bi::seeding
