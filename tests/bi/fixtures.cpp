#include "tests/bi/fixtures.hpp"

#include <cstdlib>
#include <iostream>

#include "metaport/format/json.hpp"

namespace bi::fixtures {

EntityId eid(std::string_view name) { return EntityId::from_name(name); }

metaport::Document doc(std::string_view json) {
  auto r = metaport::json::parse(json);
  if (!r.ok()) {
    std::cerr << "fixture JSON does not parse: " << r.errors().to_string() << json << "\n";
    std::abort();
  }
  return std::move(r.value());
}

namespace {

const std::string kSample = "Sample Database";
const std::string kEvents = "Événements 🚀";  // a schemaless database with a unicode name

Ref<User> user(std::string_view email) { return Ref<User>(std::string(email)); }
Timestamp ts(std::string_view iso) { return *Timestamp::parse(iso); }
template <class T>
Maybe<T> some(T v) {
  return Nullable<T>(std::move(v));
}
template <class T>
Maybe<T> null() {
  return Nullable<T>();
}
Key table_key(std::string_view table) { return Key{kSample, std::string("PUBLIC"), std::string(table)}; }
Key field_key(std::string_view table, std::string_view field) { return table_key(table).with(std::string(field)); }

template <class T>
T derived(T v) {
  metaport::derive(v);
  return v;
}

// ---- ids --------------------------------------------------------------------------------
const EntityId kMarketing = eid("collection:marketing");
const EntityId kReports = eid("collection:reports");
const EntityId kCampaigns = eid("collection:campaigns");
const EntityId kSnippets = eid("collection:sql-snippets");
const EntityId kTransforms = eid("collection:transforms");
const EntityId kOrdersByCategory = eid("card:orders-by-category");
const EntityId kNativeOrders = eid("card:native-orders");
const EntityId kRevenueMetric = eid("card:revenue-metric");
const EntityId kProductsModel = eid("card:products-model");
const EntityId kDashboardOnlyCard = eid("card:dashboard-only");
const EntityId kDocumentOnlyCard = eid("card:document-only");
const EntityId kSalesDashboard = eid("dashboard:sales");
const EntityId kCustomerDashboard = eid("dashboard:customers");
const EntityId kOverviewTab = eid("tab:overview");
const EntityId kDetailsTab = eid("tab:details");
const EntityId kReport = eid("document:quarterly-report");
const EntityId kWidgetSegment = eid("segment:widgets");
const EntityId kRevenueMeasure = eid("measure:revenue");
const EntityId kActiveSnippet = eid("snippet:active-orders");
const EntityId kHourlyTag = eid("transform-tag:hourly");
const EntityId kEtlTag = eid("transform-tag:etl");

}  // namespace

// ---- users, settings -------------------------------------------------------------------
template <>
std::vector<User> samples<User>() {
  return {
      User{std::string(kAdmin), some<std::string>("Ada"), some<std::string>("Lovelace")},
      User{std::string(kAnalyst), some<std::string>("José"), some<std::string>("Núñez")},
      User{"li.lei@example.cn", some<std::string>("雷"), some<std::string>("李")},
      User{"service@example.com", std::nullopt, null<std::string>()},  // absent vs null
  };
}

template <>
std::vector<Settings> samples<Settings>() {
  Settings s;
  s.site_name = some<std::string>("Metabase — Ventes 📊");
  s.site_url = some<std::string>("https://metabase.example.com");
  s.site_locale = some<std::string>("fr");
  s.report_timezone = null<std::string>();
  s.start_of_week = some(Weekday::monday);
  s.humanization_strategy = some(HumanizationStrategy::simple);
  s.native_query_autocomplete_match_style = some(AutocompleteMatchStyle::substring);
  s.enable_nested_queries = some(true);
  s.enable_xrays = some(false);
  s.enable_public_sharing = some(true);
  s.persisted_models_enabled = some(false);
  s.show_homepage_data = some(true);
  s.custom_formatting = some(doc(R"({"type/Currency": {"currency": "EUR", "currency_style": "symbol"},
                                     "type/Temporal": {"date_style": "D MMMM, YYYY", "time_style": "HH:mm"}})"));
  s.custom_geojson = some(doc(R"({})"));
  s.application_name = some<std::string>("Metabase");
  s.application_colors = some(doc(R"({"brand": "#509EE3", "filter": "#7172AD"})"));
  s.loading_message = some(LoadingMessage::running_query);
  s.landing_page = some<std::string>("");
  s.help_link = some(HelpLink::metabase);
  s.breakout_bin_width = some(10.5);
  s.breakout_bins_num = some<std::int64_t>(8);
  s.subscription_allowed_domains = some<std::string>("example.com,example.org");
  s.enable_embedding_static = some(true);
  s.embedding_secret_key =
      some(Secret<std::string>("6d1f0a1e8e6b4e3f9c2b7a5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b"));
  s.email_smtp_host = some<std::string>("smtp.example.com");
  s.email_smtp_port = some<std::int64_t>(587);
  s.email_smtp_security = some(SmtpSecurity::starttls);
  s.email_smtp_username = some<std::string>("metabase");
  s.email_smtp_password = some(Secret<std::string>("s3cr3t: with 'quotes' and # hash"));
  s.email_from_address = some<std::string>("metabase@example.com");
  s.email_from_name = some<std::string>("Metabase");
  s.ldap_host = null<std::string>();
  s.ldap_port = some<std::int64_t>(389);
  s.ldap_password = null<Secret<std::string>>();
  s.jwt_shared_secret = some(Secret<std::string>("jwt-signing-secret-0123456789"));
  return {s, Settings{}};
}

// ---- data model --------------------------------------------------------------------------
template <>
std::vector<Database> samples<Database>() {
  Database sample;
  sample.name = kSample;
  sample.description = some<std::string>("Some example data for you to play around with.");
  sample.engine = "h2";
  sample.details = Secret<metaport::Document>(
      doc(R"({"db": "file:/plugins/sample-database.db;USER=GUEST;PASSWORD=guest", "password": "guest"})"));
  sample.settings = null<metaport::Document>();
  sample.timezone = some<std::string>("UTC");
  sample.is_sample = true;
  sample.is_full_sync = true;
  sample.is_on_demand = false;
  sample.auto_run_queries = true;
  sample.refingerprint = null<bool>();
  sample.metadata_sync_schedule = some<std::string>("0 50 * * * ? *");
  sample.cache_field_values_schedule = some<std::string>("0 0 2 * * ? *");
  sample.caveats = null<std::string>();
  sample.created_at = ts("2024-01-15T10:30:00Z");

  Database events;
  events.name = kEvents;
  events.engine = "mongo";
  events.details = Secret<metaport::Document>(
      doc(R"({"host": "mongo.internal", "port": 27017, "user": "metabase", "pass": "hunter2", "ssl": true})"));
  events.settings = some(doc(R"({"database-enable-actions": false})"));
  events.creator_id = some(user(kAdmin));
  return {derived(sample), derived(events)};
}

namespace {
Table sample_table(std::string name, std::string display) {
  Table t;
  t.name = std::move(name);
  t.display_name = some(std::move(display));
  t.db_id = Parent<Database>(Ref<Database>(kSample));
  t.schema = some<std::string>("PUBLIC");
  t.active = true;
  t.entity_type = some<std::string>("entity/TransactionTable");
  t.visibility_type = null<std::string>();
  t.field_order = some<std::string>("database");
  return t;
}

Field sample_field(std::string table, std::string name, std::string base, std::string db_type) {
  Field f;
  f.name = std::move(name);
  f.display_name = some(f.name);
  f.base_type = std::move(base);
  f.effective_type = some(f.base_type);
  f.database_type = std::move(db_type);
  f.table_id = Parent<Table>(Ref<Table>(table_key(table)));
  f.active = true;
  return f;
}
}  // namespace

template <>
std::vector<Table> samples<Table>() {
  Table orders = sample_table("ORDERS", "Orders");
  orders.description =
      some<std::string>("Confirmed Sample Company orders for a product, from a user.\nThis table has a line break.");
  orders.created_at = ts("2024-01-15T10:30:00.123Z");
  Table products = sample_table("PRODUCTS", "Products");
  products.entity_type = some<std::string>("entity/ProductTable");
  Table people = sample_table("PEOPLE", "People");
  people.show_in_getting_started = false;
  Table reviews = sample_table("REVIEWS", "Reviews");
  reviews.caveats = some<std::string>("Reviews before 2019 were imported: ratings may be 0.");
  Table events;  // schemaless: the schema part of the key is null
  events.name = "events";
  events.db_id = Parent<Database>(Ref<Database>(kEvents));
  events.schema = null<std::string>();
  Table sessions;  // schemaless, schema left out altogether
  sessions.name = "sessions 2024";
  sessions.db_id = Parent<Database>(Ref<Database>(kEvents));
  return {derived(orders), derived(products), derived(people), derived(reviews), derived(events), derived(sessions)};
}

template <>
std::vector<Field> samples<Field>() {
  std::vector<Field> out;
  Field id = sample_field("ORDERS", "ID", "type/BigInteger", "BIGINT");
  id.semantic_type = some<std::string>("type/PK");
  id.position = 0;
  id.database_position = 0;
  out.push_back(id);
  Field total = sample_field("ORDERS", "TOTAL", "type/Float", "DOUBLE PRECISION");
  total.description = some<std::string>("The total billed amount.");
  total.settings = some(doc(R"({"currency": "USD", "number_style": "currency"})"));
  out.push_back(total);
  Field product_id = sample_field("ORDERS", "PRODUCT_ID", "type/Integer", "INTEGER");
  product_id.semantic_type = some<std::string>("type/FK");
  product_id.fk_target_field_id = some(Ref<Field>(field_key("PRODUCTS", "ID")));
  product_id.dimensions = std::vector<metaport::Document>{doc(
      R"({"name": "Product", "type": "external",
          "human_readable_field_id": ["Sample Database", "PUBLIC", "PRODUCTS", "TITLE"]})")};
  out.push_back(product_id);
  Field category = sample_field("PRODUCTS", "CATEGORY", "type/Text", "CHARACTER VARYING");
  category.semantic_type = some<std::string>("type/Category");
  category.has_field_values = some<std::string>("list");
  category.dimensions = std::vector<metaport::Document>{};  // present and empty
  out.push_back(category);
  Field email = sample_field("PEOPLE", "EMAIL", "type/Text", "CHARACTER VARYING");
  email.semantic_type = some<std::string>("type/Email");
  email.coercion_strategy = null<std::string>();
  out.push_back(email);
  // JSON-unfolded: events.DATA -> DATA.user -> DATA.user.name (a 6-part key).
  Field data;
  data.name = "DATA";
  data.base_type = "type/Dictionary";
  data.database_type = "object";
  data.table_id = Parent<Table>(Ref<Table>(Key{kEvents, std::nullopt, std::string("events")}));
  data.json_unfolding = some(true);
  out.push_back(data);
  Field user_field = data;
  user_field.name = "user";
  user_field.json_unfolding = std::nullopt;
  user_field.parent_id =
      some(Parent<Field>(Ref<Field>(Key{kEvents, std::nullopt, std::string("events"), std::string("DATA")})));
  user_field.nfc_path = some(std::vector<std::string>{"DATA", "user"});
  out.push_back(user_field);
  Field name = user_field;
  name.name = "name";
  name.base_type = "type/Text";
  name.database_type = "string";
  name.parent_id = some(Parent<Field>(
      Ref<Field>(Key{kEvents, std::nullopt, std::string("events"), std::string("DATA"), std::string("user")})));
  name.nfc_path = some(std::vector<std::string>{"DATA", "user", "name"});
  out.push_back(name);
  for (auto& f : out) metaport::derive(f);
  return out;
}

namespace {
SerdesMeta field_path(const Key& field, std::string_view tail, std::string tail_id) {
  SerdesMeta p = data_model_path(field);
  p.push_back(meta_entry(tail, std::move(tail_id)));
  return p;
}
}  // namespace

template <>
std::vector<FieldValues> samples<FieldValues>() {
  FieldValues category;
  category.values = {"Doohickey", "Gadget", "Gizmo", "Widget"};
  category.human_readable_values = std::vector<metaport::Document>{};
  category.has_more_values = false;
  category.type = FieldValuesType::full;
  category.hash_key = null<std::string>();
  category.created_at = ts("2024-02-01T00:00:00Z");
  category.last_used_at = null<Timestamp>();
  category.serdes_meta = field_path(field_key("PRODUCTS", "CATEGORY"), "FieldValues", "0");

  // Values that look like other YAML types must stay strings.
  FieldValues tricky;
  tricky.values = {
      "123", "true",           "2024-01-01",      "null",        "-", ": ", "~",   "0x1F", "1e3", "yes", "#tag",
      "",    " leading space", "trailing space ", "multi\nline", 42,  3.5,  false, nullptr};
  tricky.human_readable_values = std::vector<metaport::Document>{};
  tricky.serdes_meta = field_path(
      Key{kEvents, std::nullopt, std::string("events"), std::string("DATA"), std::string("user"), std::string("name")},
      "FieldValues", "0");
  return {category, tricky};
}

template <>
std::vector<FieldUserSettings> samples<FieldUserSettings>() {
  FieldUserSettings s;
  s.display_name = some<std::string>("Total (€)");
  s.description = some<std::string>("Montant total facturé, taxes comprises.");
  s.semantic_type = some<std::string>("type/Currency");
  s.visibility_type = some<std::string>("normal");
  s.settings = some(doc(R"({"currency": "EUR"})"));
  s.fk_target_field_id = null<Ref<Field>>();
  s.serdes_meta = field_path(field_key("ORDERS", "TOTAL"), "FieldUserSettings", "1");
  return {s};
}

// ---- instance configuration ------------------------------------------------------------------
template <>
std::vector<Channel> samples<Channel>() {
  Channel hook;
  hook.name = "Ops webhook";
  hook.description = some<std::string>("Alerts to the on-call tool");
  hook.type = ChannelType::channel__http;
  ChannelDetails d;
  d.url = "https://hooks.example.com/metabase?source=alerts";
  d.auth_method = HttpAuthMethod::header;
  d.auth_info =
      std::map<std::string, Secret<std::string>>{{"Authorization", Secret<std::string>("Bearer tok_live_5up3r")}};
  d.fe_form_type = HttpFormType::bearer;
  d.method = HttpMethod::post;
  hook.details = d;
  hook.active = true;
  hook.created_at = ts("2024-03-01T08:00:00Z");

  Channel mail;
  mail.name = "Équipe données";
  mail.type = ChannelType::channel__email;
  ChannelDetails m;
  m.host = "smtp.example.com";
  m.port = 465;
  m.security = SmtpChannelSecurity::ssl;
  m.username = "alerts";
  m.password = Secret<std::string>("p@ss: w0rd");
  m.from_address = "alerts@example.com";
  m.from_name = "Metabase alerts";
  m.reply_to = "data-team@example.com";
  mail.details = m;
  mail.active = false;
  return {derived(hook), derived(mail)};
}

template <>
std::vector<Glossary> samples<Glossary>() {
  Glossary arr;
  arr.term = "ARR";
  arr.definition = "Annual recurring revenue: the yearly value of active subscriptions.";
  arr.creator_id = some(user(kAdmin));
  arr.created_at = ts("2024-04-01T12:00:00Z");
  Glossary churn;
  churn.term = "Taux d'attrition";
  churn.definition = "Part des clients perdus sur la période.";
  churn.entity_id = eid("glossary:churn");
  return {derived(arr), derived(churn)};
}

// ---- collections, snippets ------------------------------------------------------------------
template <>
std::vector<Collection> samples<Collection>() {
  Collection marketing;
  marketing.name = "Marketing 📈";
  marketing.description = some<std::string>("Campaign performance, funnels and spend.");
  marketing.entity_id = kMarketing;
  marketing.slug = "marketing_";
  marketing.archived = false;
  marketing.authority_level = some(AuthorityLevel::official);
  marketing.type = null<CollectionType>();
  marketing.namespace_ = null<CollectionNamespace>();
  marketing.parent_id = null<Parent<Collection>>();
  marketing.created_at = ts("2024-01-20T09:00:00Z");
  Collection reports;
  reports.name = "Reports";
  reports.entity_id = kReports;
  reports.parent_id = some(Parent<Collection>(Ref<Collection>(kMarketing.str())));
  Collection campaigns;
  campaigns.name = "キャンペーン 2024";
  campaigns.entity_id = kCampaigns;
  campaigns.parent_id = some(Parent<Collection>(Ref<Collection>(kReports.str())));
  campaigns.personal_owner_id = null<Ref<User>>();
  campaigns.is_sample = false;
  Collection snippets;
  snippets.name = "SQL snippets";
  snippets.entity_id = kSnippets;
  snippets.namespace_ = some(CollectionNamespace::snippets);
  Collection transforms;
  transforms.name = "ETL";
  transforms.entity_id = kTransforms;
  transforms.namespace_ = some(CollectionNamespace::transforms);
  Collection personal;
  personal.name = "José Núñez's Personal Collection";
  personal.entity_id = eid("collection:personal-jose");
  personal.personal_owner_id = some(user(kAnalyst));
  personal.archived_directly = null<bool>();
  return {derived(marketing), derived(reports),    derived(campaigns),
          derived(snippets),  derived(transforms), derived(personal)};
}

template <>
std::vector<NativeQuerySnippet> samples<NativeQuerySnippet>() {
  NativeQuerySnippet active;
  active.name = "Active Order Filter";
  active.description = some<std::string>("Orders that count as revenue.");
  active.entity_id = kActiveSnippet;
  active.creator_id = user(kAdmin);
  active.content = "STATUS = 'active'\n  AND TOTAL > 0\n  -- refunds are negative\n";  // trailing newline
  active.archived = false;
  active.collection_id = some(Parent<Collection>(Ref<Collection>(kSnippets.str())));
  active.template_tags = doc("{}");
  NativeQuerySnippet nested;
  nested.name = "Recent active orders";
  nested.entity_id = eid("snippet:recent-active");
  nested.creator_id = user(kAnalyst);
  nested.content = "  {{snippet: Active Order Filter}} AND CREATED_AT > now() - interval '30 days'";  // leading spaces
  nested.collection_id = null<Parent<Collection>>();
  nested.template_tags = doc(R"({"snippet: Active Order Filter": {
      "type": "snippet", "name": "snippet: Active Order Filter", "id": "3f1c2b7e-5d4a-4e8f-9a0b-1c2d3e4f5a6b",
      "display-name": "Snippet: Active Order Filter", "snippet-name": "Active Order Filter",
      "snippet-id": ")" + kActiveSnippet.str() +
                             R"("}})");
  return {derived(active), derived(nested)};
}

// ---- segments, measures ------------------------------------------------------------------------
template <>
std::vector<Segment> samples<Segment>() {
  Segment widgets;
  widgets.name = "Widget products";
  widgets.description = null<std::string>();
  widgets.entity_id = kWidgetSegment;
  widgets.creator_id = user(kAdmin);
  widgets.definition = doc(R"({"lib/type": "mbql/query", "database": "Sample Database", "stages": [{
      "lib/type": "mbql.stage/mbql", "source-table": ["Sample Database", "PUBLIC", "PRODUCTS"],
      "filters": [["=", {}, ["field", {}, ["Sample Database", "PUBLIC", "PRODUCTS", "CATEGORY"]], "Widget"]]}]})");
  widgets.archived = false;
  widgets.created_at = ts("2024-02-10T16:45:30Z");
  // Schemaless source table.
  Segment logged_in;
  logged_in.name = "Logged-in events";
  logged_in.entity_id = eid("segment:logged-in");
  logged_in.creator_id = user(kAnalyst);
  logged_in.definition = doc(R"({"lib/type": "mbql/query", "database": "Événements 🚀", "stages": [{
      "lib/type": "mbql.stage/mbql", "source-table": ["Événements 🚀", null, "events"],
      "filters": [["not-null", {}, ["field", {}, ["Événements 🚀", null, "events", "DATA", "user", "name"]]]]}]})");
  // A broken definition (no stages): the dumped table_id is all there is.
  Segment legacy;
  legacy.name = "Legacy segment";
  legacy.entity_id = eid("segment:legacy");
  legacy.creator_id = user(kAdmin);
  legacy.definition = doc("{}");
  legacy.table_id = Derived<Parent<Table>>(Parent<Table>(Ref<Table>(table_key("ORDERS"))));
  return {derived(widgets), derived(logged_in), derived(legacy)};
}

template <>
std::vector<Measure> samples<Measure>() {
  Measure revenue;
  revenue.name = "Total revenue";
  revenue.description = some<std::string>("Sum of order totals, taxes included.");
  revenue.entity_id = kRevenueMeasure;
  revenue.creator_id = user(kAdmin);
  revenue.definition = doc(R"({"lib/type": "mbql/query", "database": "Sample Database", "stages": [{
      "lib/type": "mbql.stage/mbql", "source-table": ["Sample Database", "PUBLIC", "ORDERS"],
      "aggregation": [["sum", {"lib/uuid": "9c5b2f3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"},
                       ["field", {"base-type": "type/Float"}, ["Sample Database", "PUBLIC", "ORDERS", "TOTAL"]]]]}]})");
  revenue.archived = false;
  return {derived(revenue)};
}

// ---- cards ---------------------------------------------------------------------------------------
Card orders_by_category_card() {
  Card c;
  c.name = "Orders by product category, this year";
  c.description = some<std::string>("Revenue per category.\n\nExcludes refunds (see the Widget segment).");
  c.entity_id = kOrdersByCategory;
  c.display = Display::bar;
  c.type = CardType::question;
  c.creator_id = user(kAnalyst);
  c.dataset_query = doc(R"({
    "lib/type": "mbql/query", "database": "Sample Database",
    "stages": [{
      "lib/type": "mbql.stage/mbql",
      "source-table": ["Sample Database", "PUBLIC", "ORDERS"],
      "joins": [{
        "alias": "Products", "strategy": "left-join", "fields": "all",
        "stages": [{"lib/type": "mbql.stage/mbql", "source-table": ["Sample Database", "PUBLIC", "PRODUCTS"]}],
        "conditions": [["=", {},
          ["field", {}, ["Sample Database", "PUBLIC", "ORDERS", "PRODUCT_ID"]],
          ["field", {"join-alias": "Products"}, ["Sample Database", "PUBLIC", "PRODUCTS", "ID"]]]]}],
      "filters": [
        ["segment", {}, ")" +
                        kWidgetSegment.str() + R"("],
        ["time-interval", {}, ["field", {}, ["Sample Database", "PUBLIC", "ORDERS", "CREATED_AT"]], "current", "year"]],
      "aggregation": [
        ["sum", {"lib/uuid": "11111111-1111-1111-1111-111111111111"},
          ["field", {"base-type": "type/Float"}, ["Sample Database", "PUBLIC", "ORDERS", "TOTAL"]]],
        ["metric", {}, ")" +
                        kRevenueMetric.str() + R"("],
        ["measure", {}, ")" +
                        kRevenueMeasure.str() + R"("]],
      "breakout": [
        ["field", {"join-alias": "Products"}, ["Sample Database", "PUBLIC", "PRODUCTS", "CATEGORY"]],
        ["field", {"source-field": ["Sample Database", "PUBLIC", "ORDERS", "USER_ID"]},
          ["Sample Database", "PUBLIC", "PEOPLE", "STATE"]]],
      "order-by": [["desc", {}, ["aggregation", {}, "11111111-1111-1111-1111-111111111111"]]],
      "limit": 10
    }, {
      "lib/type": "mbql.stage/mbql",
      "filters": [[">", {}, ["field", {"base-type": "type/Float"}, "sum"], 100]]
    }]})");
  c.visualization_settings = doc(R"({
    "graph.dimensions": ["CATEGORY"], "graph.metrics": ["sum"], "graph.show_values": true,
    "column_settings": {
      "[\"ref\",[\"field\",[\"Sample Database\",\"PUBLIC\",\"ORDERS\",\"TOTAL\"],null]]":
        {"number_style": "currency", "currency": "USD"},
      "[\"name\",\"sum\"]": {"column_title": "Revenue"}}})");
  c.archived = false;
  c.collection_id = some(Parent<Collection>(Ref<Collection>(kMarketing.str())));
  c.collection_position = some<std::int64_t>(1);
  c.collection_preview = true;
  c.dashboard_id = null<Parent<Dashboard>>();
  c.parameters = std::vector<Parameter>{};
  c.parameter_mappings = std::vector<metaport::Document>{};
  c.result_metadata = some(doc(R"([{
      "name": "CATEGORY", "display_name": "Products → Category", "base_type": "type/Text",
      "id": ["Sample Database", "PUBLIC", "PRODUCTS", "CATEGORY"],
      "table_id": ["Sample Database", "PUBLIC", "PRODUCTS"],
      "field_ref": ["field", ["Sample Database", "PUBLIC", "PRODUCTS", "CATEGORY"], {"join-alias": "Products"}]
    }, {"name": "sum", "display_name": "Sum of Total", "base_type": "type/Float",
        "field_ref": ["aggregation", 0]}])"));
  c.enable_embedding = false;
  c.embedding_params = null<metaport::Document>();
  c.embedding_type = null<EmbeddingType>();
  c.public_uuid = null<std::string>();
  c.made_public_by_id = null<Ref<User>>();
  c.metabase_version = some<std::string>("v0.56.3 (a1b2c3d)");
  c.card_schema = some<std::int64_t>(22);
  c.created_at = ts("2024-05-02T14:03:27.518Z");
  return derived(c);
}

Card native_orders_card() {
  Card c;
  c.name = "Orders (SQL) — \"raw\" export";
  c.entity_id = kNativeOrders;
  c.display = Display::table;
  c.type = CardType::model;
  c.creator_id = user(kAdmin);
  c.dataset_query = doc(R"({
    "lib/type": "mbql/query", "database": "Sample Database",
    "stages": [{
      "lib/type": "mbql.stage/native",
      "native": "SELECT o.*\nFROM {{#42-products-model}} p\n  JOIN {{source_table}} o ON o.PRODUCT_ID = p.ID\nWHERE {{snippet: Active Order Filter}}\n  AND {{category}}\n  AND o.TOTAL > {{min_total}}\n",
      "template-tags": [
        {"type": "card", "name": "#42-products-model", "id": "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
         "display-name": "Products model", "card-id": ")" +
                        kProductsModel.str() + R"("},
        {"type": "table", "name": "source_table", "id": "1c2d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f",
         "display-name": "Source table", "table-id": ["Sample Database", "PUBLIC", "ORDERS"]},
        {"type": "snippet", "name": "snippet: Active Order Filter", "id": "2d3e4f5a-6b7c-4d8e-af90-1b2c3d4e5f6a",
         "display-name": "Snippet: Active Order Filter", "snippet-name": "Active Order Filter",
         "snippet-id": ")" +
                        kActiveSnippet.str() + R"("},
        {"type": "dimension", "name": "category", "id": "3e4f5a6b-7c8d-4e9f-b0a1-2c3d4e5f6a7b",
         "display-name": "Category", "widget-type": "string/=", "default": null,
         "dimension": ["field", {}, ["Sample Database", "PUBLIC", "PRODUCTS", "CATEGORY"]]},
        {"type": "number", "name": "min_total", "id": "4f5a6b7c-8d9e-4fa0-81b2-3d4e5f6a7b8c",
         "display-name": "Minimum total", "default": "0", "required": true}]
    }]})");
  c.visualization_settings = doc("{}");
  c.collection_id = some(Parent<Collection>(Ref<Collection>(kReports.str())));
  Parameter category;
  category.id = "3e4f5a6b-7c8d-4e9f-b0a1-2c3d4e5f6a7b";
  category.name = "Category";
  category.slug = "category";
  category.type = "string/=";
  category.default_ = null<metaport::Document>();
  category.values_query_type = ValuesQueryType::list;
  category.target = doc(R"(["dimension", ["template-tag", "category"], {"stage-number": 0}])");
  Parameter min_total;
  min_total.id = "4f5a6b7c-8d9e-4fa0-81b2-3d4e5f6a7b8c";
  min_total.name = "Minimum total";
  min_total.slug = "min_total";
  min_total.type = "number/=";
  min_total.default_ = some(doc(R"(["0"])"));
  min_total.required = true;
  min_total.target = doc(R"(["variable", ["template-tag", "min_total"]])");
  c.parameters = std::vector<Parameter>{category, min_total};
  c.result_metadata = null<metaport::Document>();
  c.public_uuid = some<std::string>("7c9e6679-7425-40de-944b-e07fc1f90ae7");
  c.made_public_by_id = some(user(kAdmin));
  c.enable_embedding = true;
  c.embedding_params = some(doc(R"({"category": "enabled", "min_total": "locked"})"));
  c.embedding_type = some(EmbeddingType::standalone);
  return derived(c);
}

namespace {
Card simple_card(const EntityId& id, std::string name, CardType type, std::string table) {
  Card c;
  c.name = std::move(name);
  c.entity_id = id;
  c.display = type == CardType::metric ? Display::scalar : Display::table;
  c.type = type;
  c.creator_id = user(kAdmin);
  c.dataset_query = doc(R"({"lib/type": "mbql/query", "database": "Sample Database", "stages": [{
      "lib/type": "mbql.stage/mbql", "source-table": ["Sample Database", "PUBLIC", ")" +
                        table + R"("]}]})");
  c.visualization_settings = doc("{}");
  c.collection_id = some(Parent<Collection>(Ref<Collection>(kMarketing.str())));
  return c;
}
}  // namespace

template <>
std::vector<Card> samples<Card>() {
  Card metric = simple_card(kRevenueMetric, "Revenue", CardType::metric, "ORDERS");
  metric.dataset_query = doc(R"({"lib/type": "mbql/query", "database": "Sample Database", "stages": [{
      "lib/type": "mbql.stage/mbql", "source-table": ["Sample Database", "PUBLIC", "ORDERS"],
      "aggregation": [["sum", {}, ["field", {}, ["Sample Database", "PUBLIC", "ORDERS", "TOTAL"]]]]}]})");
  Card model = simple_card(kProductsModel, "Products", CardType::model, "PRODUCTS");
  model.collection_id = std::nullopt;  // absent: the root collection
  Card in_dashboard = simple_card(kDashboardOnlyCard, "Reviews per day", CardType::question, "REVIEWS");
  in_dashboard.display = Display::line;
  in_dashboard.dashboard_id = some(Parent<Dashboard>(Ref<Dashboard>(kSalesDashboard.str())));
  Card in_document = simple_card(kDocumentOnlyCard, "Top customers", CardType::question, "PEOPLE");
  in_document.document_id = some(Parent<Document>(Ref<Document>(kReport.str())));
  in_document.collection_id = some(Parent<Collection>(Ref<Collection>(kReports.str())));
  // An empty query: the database is not derivable, the dumped one is kept.
  Card empty;
  empty.name = "Draft";
  empty.entity_id = eid("card:draft");
  empty.display = Display::table;
  empty.creator_id = user(kAnalyst);
  empty.dataset_query = doc("{}");
  empty.visualization_settings = doc("{}");
  empty.database_id = Derived<Nullable<Ref<Database>>>(Nullable<Ref<Database>>(Ref<Database>(kEvents)));
  return {orders_by_category_card(), native_orders_card(), derived(metric), derived(model),
          derived(in_dashboard),     derived(in_document), derived(empty)};
}

// ---- dashboards ------------------------------------------------------------------------------------
Dashboard sales_dashboard() {
  Dashboard d;
  d.name = "Sales overview: Q1 \"2024\"";
  d.description = some<std::string>("Revenue, orders and reviews.");
  d.entity_id = kSalesDashboard;
  d.creator_id = user(kAdmin);
  d.archived = false;
  d.collection_id = some(Parent<Collection>(Ref<Collection>(kMarketing.str())));
  d.collection_position = null<std::int64_t>();
  d.auto_apply_filters = true;
  d.width = DashboardWidth::fixed;
  d.enable_embedding = false;
  d.embedding_params = some(doc("{}"));
  d.caveats = null<std::string>();
  d.initially_published_at = some(ts("2024-06-01T00:00:00Z"));
  Parameter category;
  category.id = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";
  category.name = "Category";
  category.slug = "category";
  category.type = "string/=";
  category.sectionId = ParameterSection::string;
  category.values_query_type = ValuesQueryType::list;
  category.values_source_type = some(ValuesSourceType::card);
  category.values_source_config = doc(R"({"card_id": ")" + kProductsModel.str() + R"(",
      "value_field": ["field", ["Sample Database", "PUBLIC", "PRODUCTS", "CATEGORY"], null],
      "label_field": ["field", {}, ["Sample Database", "PUBLIC", "PRODUCTS", "TITLE"]]})");
  category.isMultiSelect = some(true);
  Parameter period;
  period.id = "9d9cddd4";
  period.name = "Period";
  period.slug = "period";
  period.type = "temporal-unit";
  period.sectionId = ParameterSection::temporal_unit;
  period.temporal_units =
      std::vector<ParameterTemporalUnit>{ParameterTemporalUnit::month, ParameterTemporalUnit::quarter};
  period.default_ = some(metaport::Document("month"));
  Parameter state;
  state.id = "c0ffee00-0000-4000-8000-000000000001";
  state.name = "State";
  state.slug = "state";
  state.type = "string/=";
  state.sectionId = ParameterSection::location;
  state.values_source_type = some(ValuesSourceType::static_list);
  state.values_source_config = doc(R"({"values": [["CA", "California"], ["NY", "New York"], ["TX"]]})");
  state.filteringParameters = some(std::vector<std::string>{"a1b2c3d4-e5f6-7890-abcd-ef1234567890"});
  d.parameters = std::vector<Parameter>{category, period, state};
  d.tabs = std::vector<DashboardTab>{
      DashboardTab{kOverviewTab, "Overview", 0, std::nullopt, std::nullopt},
      DashboardTab{kDetailsTab, "Détails", 1, ts("2024-06-01T00:00:00Z"), Derived<SerdesMeta>{}},
  };
  const std::vector<EntityId> overview{kSalesDashboard, kOverviewTab};
  const std::vector<EntityId> details{kSalesDashboard, kDetailsTab};

  DashboardCard heading;
  heading.entity_id = eid("dashcard:heading");
  heading.card_id = null<Ref<Card>>();
  heading.dashboard_tab_id = some(overview);
  heading.row = 0;
  heading.col = 0;
  heading.size_x = 24;
  heading.size_y = 1;
  heading.visualization_settings = doc(R"({"virtual_card": {"display": "heading"}, "text": "Revenue 💶",
                                           "dashcard.background": false})");
  heading.parameter_mappings = std::vector<ParameterMapping>{};

  DashboardCard chart;
  chart.entity_id = eid("dashcard:by-category");
  chart.card_id = some(Ref<Card>(kOrdersByCategory.str()));
  chart.dashboard_tab_id = some(overview);
  chart.row = 1;
  chart.col = 0;
  chart.size_x = 12;
  chart.size_y = 6;
  chart.parameter_mappings = std::vector<ParameterMapping>{
      ParameterMapping{Ref<Card>(kOrdersByCategory.str()), "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
                       doc(R"(["dimension", ["field", ["Sample Database", "PUBLIC", "PRODUCTS", "CATEGORY"],
                                             {"join-alias": "Products"}]])")},
      ParameterMapping{Ref<Card>(kOrdersByCategory.str()), "9d9cddd4",
                       doc(R"(["dimension", ["field", ["Sample Database", "PUBLIC", "ORDERS", "CREATED_AT"], null],
                              {"stage-number": 0}])")},
  };
  chart.series = std::vector<DashboardCardSeries>{DashboardCardSeries{Ref<Card>(kRevenueMetric.str()), 0}};
  chart.inline_parameters = std::vector<std::string>{"9d9cddd4"};
  chart.visualization_settings = doc(R"({
    "click_behavior": {"type": "link", "linkType": "dashboard", "targetId": ")" +
                                     kCustomerDashboard.str() + R"(",
      "parameterMapping": {"c0ffee00-0000-4000-8000-000000000001": {
        "id": "c0ffee00-0000-4000-8000-000000000001",
        "source": {"id": "STATE", "name": "State", "type": "column"},
        "target": {"id": "c0ffee00-0000-4000-8000-000000000001", "type": "parameter"}}}},
    "column_settings": {"[\"name\",\"CATEGORY\"]": {"click_behavior": {
      "type": "link", "linkType": "question", "targetId": ")" +
                                     kProductsModel.str() + R"(",
      "parameterMapping": {"target-dimension": {"id": "target-dimension",
        "source": {"id": "CATEGORY", "name": "Category", "type": "column"},
        "target": {"id": "target-dimension", "type": "dimension",
          "dimension": ["dimension", ["field", ["Sample Database", "PUBLIC", "PRODUCTS", "CATEGORY"], null]]}}}}}}})");

  DashboardCard native;
  native.entity_id = eid("dashcard:native");
  native.card_id = some(Ref<Card>(kNativeOrders.str()));
  native.dashboard_tab_id = some(details);
  native.row = 0;
  native.col = 0;
  native.size_x = 24;
  native.size_y = 9;
  native.parameter_mappings = std::vector<ParameterMapping>{
      ParameterMapping{Ref<Card>(kNativeOrders.str()), "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
                       doc(R"(["dimension", ["template-tag", "category"]])")}};
  native.visualization_settings = doc(R"({"table.pivot": false})");
  native.created_at = ts("2024-06-01T00:00:00Z");

  DashboardCard link;
  link.entity_id = eid("dashcard:link");
  link.card_id = null<Ref<Card>>();
  link.dashboard_tab_id = some(details);
  link.row = 9;
  link.col = 16;
  link.size_x = 8;
  link.size_y = 1;
  link.visualization_settings = doc(R"({"virtual_card": {"display": "link"},
      "link": {"entity": {"id": ")" +
                                    kReport.str() + R"(", "model": "document", "name": "Quarterly report"}}})");

  DashboardCard text;
  text.entity_id = eid("dashcard:text");
  text.card_id = null<Ref<Card>>();
  text.dashboard_tab_id = some(details);
  text.row = 9;
  text.col = 0;
  text.size_x = 16;
  text.size_y = 3;
  text.parameter_mappings = std::vector<ParameterMapping>{
      ParameterMapping{std::nullopt, "a1b2c3d4-e5f6-7890-abcd-ef1234567890", doc(R"(["text-tag", "category"])")}};
  text.visualization_settings = doc(R"({"virtual_card": {"display": "text"},
      "text": "Showing **{{category}}**\n\n- one\n- two\n"})");

  DashboardCard reviews;
  reviews.entity_id = eid("dashcard:reviews");
  reviews.card_id = some(Ref<Card>(kDashboardOnlyCard.str()));
  reviews.dashboard_tab_id = some(overview);
  reviews.row = 1;
  reviews.col = 12;
  reviews.size_x = 12;
  reviews.size_y = 6;
  reviews.series = std::vector<DashboardCardSeries>{};

  d.dashcards = std::vector<DashboardCard>{heading, chart, native, link, text, reviews};
  d.created_at = ts("2024-05-30T18:22:05.000Z");
  return derived(d);
}

template <>
std::vector<Dashboard> samples<Dashboard>() {
  Dashboard customers;
  customers.name = "Customers";
  customers.entity_id = kCustomerDashboard;
  customers.creator_id = user(kAnalyst);
  customers.collection_id = null<Parent<Collection>>();
  customers.width = DashboardWidth::full;
  customers.parameters = std::vector<Parameter>{};
  customers.tabs = std::vector<DashboardTab>{};
  customers.dashcards = std::vector<DashboardCard>{};
  customers.public_uuid = some<std::string>("550e8400-e29b-41d4-a716-446655440000");
  customers.made_public_by_id = some(user(kAdmin));
  customers.embedding_type = some(EmbeddingType::sdk);
  return {sales_dashboard(), derived(customers)};
}

// ---- documents ------------------------------------------------------------------------------------
Document quarterly_report() {
  Document d;
  d.name = "Quarterly report — Q2 📝";
  d.entity_id = kReport;
  d.creator_id = user(kAnalyst);
  d.document = doc(R"({"type": "doc", "content": [
    {"type": "heading", "attrs": {"level": 1}, "content": [{"type": "text", "text": "Q2 in numbers"}]},
    {"type": "paragraph", "content": [
      {"type": "text", "text": "Revenue by category comes from "},
      {"type": "smartLink", "attrs": {"entityId": [{"model": "Card", "id": ")" +
                   kOrdersByCategory.str() + R"("}],
                                      "model": "card"}},
      {"type": "text", "text": " and the ", "marks": [{"type": "italic"}]},
      {"type": "smartLink", "attrs": {"entityId": [{"model": "Dashboard", "id": ")" +
                   kSalesDashboard.str() + R"("}],
                                      "model": "dashboard"}},
      {"type": "hardBreak"},
      {"type": "smartLink", "attrs": {"entityId": [{"model": "Database", "id": "Sample Database"},
                                                   {"model": "Schema", "id": "PUBLIC"},
                                                   {"model": "Table", "id": "ORDERS"}], "model": "table"}},
      {"type": "text", "text": "docs", "marks": [{"type": "link", "attrs": {"href": "https://www.metabase.com/docs"}}]}]},
    {"type": "cardEmbed", "attrs": {"id": [{"model": "Card", "id": ")" +
                   kDocumentOnlyCard.str() + R"("}],
                                    "name": "Top customers"}},
    {"type": "bulletList", "content": [{"type": "listItem", "content": [{"type": "paragraph", "content": [
      {"type": "text", "text": "Widgets grew 15% — see "},
      {"type": "smartLink", "attrs": {"entityId": [{"model": "Collection", "id": ")" +
                   kMarketing.str() + R"("}],
                                      "model": "collection"}}]}]}]},
    {"type": "codeBlock", "content": [{"type": "text", "text": "SELECT 1;\n"}]},
    {"type": "image", "attrs": {"src": "https://example.com/chart.png", "alt": null, "title": "Chart"}}]})");
  d.content_type = std::string(kProseMirrorContentType);
  d.collection_id = some(Parent<Collection>(Ref<Collection>(kReports.str())));
  d.archived = false;
  d.view_count = 17;
  return derived(d);
}

template <>
std::vector<Document> samples<Document>() {
  Document empty;
  empty.name = "空のドキュメント";
  empty.entity_id = eid("document:empty");
  empty.creator_id = user(kAdmin);
  empty.document = doc(R"({"type": "doc", "content": []})");
  empty.collection_id = null<Parent<Collection>>();
  return {quarterly_report(), derived(empty)};
}

// ---- timelines, actions, metabots ----------------------------------------------------------------
template <>
std::vector<Timeline> samples<Timeline>() {
  Timeline t;
  t.entity_id = eid("timeline:launches");
  t.name = "Product launches";
  t.description = null<std::string>();
  t.icon = "star";
  t.collection_id = some(Parent<Collection>(Ref<Collection>(kMarketing.str())));
  t.creator_id = user(kAdmin);
  t.default_ = false;
  t.archived = false;
  TimelineEvent launch;
  launch.name = "Gizmo 2.0 launch 🚀";
  launch.description = some<std::string>("Press release at 09:00 CET");
  launch.timestamp = ts("2024-03-12T08:00:00Z");
  launch.icon = "rocket";
  launch.time_matters = true;
  launch.timezone = "Europe/Paris";
  launch.archived = false;
  launch.creator_id = user(kAnalyst);
  TimelineEvent sale;
  sale.name = "Black Friday";
  sale.timestamp = ts("2023-11-24T00:00:00Z");
  sale.time_matters = false;
  sale.timezone = "UTC";
  t.events = std::vector<TimelineEvent>{launch, sale};
  t.created_at = ts("2024-01-02T03:04:05Z");
  Timeline empty;
  empty.entity_id = eid("timeline:empty");
  empty.name = "Incidents";
  empty.events = std::vector<TimelineEvent>{};
  return {derived(t), derived(empty)};
}

template <>
std::vector<Action> samples<Action>() {
  Action a;
  a.name = "Mark order as refunded";
  a.description = some<std::string>("Sets STATUS to 'refunded'.");
  a.entity_id = eid("action:refund");
  a.type = "query";
  a.model_id = some(Ref<Card>(kProductsModel.str()));
  a.creator_id = user(kAdmin);
  a.archived = false;
  a.parameters = doc(R"([{"id": "order_id", "type": "number/=", "slug": "order_id", "name": "Order ID",
                          "target": ["variable", ["template-tag", "order_id"]], "required": true}])");
  a.parameter_mappings = null<metaport::Document>();
  a.visualization_settings = some(doc(R"({"name": "Refund", "type": "button"})"));
  ActionQuery q;
  q.database_id = some(Ref<Database>(kSample));
  q.dataset_query = doc(R"({"lib/type": "mbql/query", "database": "Sample Database", "stages": [{
      "lib/type": "mbql.stage/native", "native": "UPDATE ORDERS SET STATUS = 'refunded' WHERE ID = {{order_id}}",
      "template-tags": [{"type": "number", "name": "order_id", "id": "5a6b7c8d-9eaf-40b1-92c3-4d5e6f7a8b9c",
                         "display-name": "Order ID", "required": true}]}]})");
  a.query = std::vector<ActionQuery>{q};
  Action implicit;
  implicit.name = "Create product";
  implicit.entity_id = eid("action:create-product");
  implicit.type = "implicit";
  implicit.model_id = some(Ref<Card>(kProductsModel.str()));
  implicit.implicit = doc(R"([{"kind": "row/create"}])");
  return {derived(a), derived(implicit)};
}

template <>
std::vector<Metabot> samples<Metabot>() {
  Metabot m;
  m.entity_id = eid("metabot:sales");
  m.name = "Sales assistant";
  m.description = some<std::string>("Answers questions about orders and revenue.");
  m.collection_id = some(Parent<Collection>(Ref<Collection>(kMarketing.str())));
  m.use_verified_content = true;
  MetabotPrompt p1{eid("prompt:revenue"),      "What was revenue last month?",
                   PromptCardType::metric,     Ref<Card>(kRevenueMetric.str()),
                   ts("2024-07-01T00:00:00Z"), std::nullopt,
                   Derived<SerdesMeta>{}};
  MetabotPrompt p2{eid("prompt:products"),
                   "Which products sell best?\nBreak it down by category.",
                   PromptCardType::model,
                   Ref<Card>(kProductsModel.str()),
                   std::nullopt,
                   std::nullopt,
                   std::nullopt};
  m.prompts = std::vector<MetabotPrompt>{p1, p2};
  m.created_at = ts("2024-07-01T00:00:00Z");
  m.updated_at = ts("2024-07-02T00:00:00.000001Z");
  return {derived(m)};
}

// ---- transforms ---------------------------------------------------------------------------------
template <>
std::vector<TransformTag> samples<TransformTag>() {
  TransformTag hourly{kHourlyTag, "hourly", some(BuiltInType::hourly), ts("2024-01-01T00:00:00Z"), {}};
  TransformTag etl{kEtlTag, "custom-etl", null<BuiltInType>(), std::nullopt, {}};
  return {derived(hourly), derived(etl)};
}

template <>
std::vector<TransformJob> samples<TransformJob>() {
  TransformJob hourly;
  hourly.entity_id = eid("transform-job:hourly");
  hourly.name = "Hourly job";
  hourly.description = some<std::string>("Runs every transform tagged hourly.");
  hourly.schedule = "0 0 * * * ? *";
  hourly.built_in_type = some(BuiltInType::hourly);
  hourly.ui_display_type = some(UiDisplayType::cron__builder);
  hourly.job_tags = std::vector<TransformJobTag>{
      TransformJobTag{eid("job-tag:hourly"), Ref<TransformTag>(kHourlyTag.str()), 0, Derived<SerdesMeta>{}},
      TransformJobTag{eid("job-tag:etl"), Ref<TransformTag>(kEtlTag.str()), 1, std::nullopt},
  };
  TransformJob custom;
  custom.entity_id = eid("transform-job:nightly");
  custom.name = "Nightly ETL";
  custom.schedule = "0 30 2 * * ?";
  custom.built_in_type = null<BuiltInType>();
  custom.ui_display_type = null<UiDisplayType>();
  custom.job_tags = std::vector<TransformJobTag>{};
  return {derived(hourly), derived(custom)};
}

template <>
std::vector<PythonLibrary> samples<PythonLibrary>() {
  PythonLibrary common;
  common.entity_id = eid("python-library:common");
  common.path = "common.py";
  common.source =
      "import pandas as pd\n\n\ndef revenue(df: pd.DataFrame) -> pd.Series:\n    \"\"\"Total minus tax.\"\"\"\n"
      "    return df['TOTAL'] - df['TAX']\n";
  common.created_at = ts("2024-08-01T00:00:00Z");
  PythonLibrary dates;
  dates.entity_id = eid("python-library:dates");
  dates.path = "utils/dates.py";
  dates.source = "def quarter(d):\n    return (d.month - 1) // 3 + 1";  // no trailing newline
  return {derived(common), derived(dates)};
}

template <>
std::vector<Transform> samples<Transform>() {
  Transform q;
  q.name = "Product summary";
  q.description = some<std::string>("Orders per category, refreshed hourly.");
  q.entity_id = eid("transform:product-summary");
  q.creator_id = user(kAdmin);
  q.source_database_id = Ref<Database>(kSample);
  q.source.type = TransformSourceType::query;
  q.source.query = doc(R"({"lib/type": "mbql/query", "database": "Sample Database", "stages": [{
      "lib/type": "mbql.stage/mbql", "source-table": ["Sample Database", "PUBLIC", "PRODUCTS"],
      "aggregation": [["count", {}]],
      "breakout": [["field", {}, ["Sample Database", "PUBLIC", "PRODUCTS", "CATEGORY"]]]}]})");
  q.target = TransformTarget{Ref<Database>(kSample), TransformTargetType::table, some<std::string>("PUBLIC"),
                             "product_summary"};
  q.collection_id = some(Parent<Collection>(Ref<Collection>(kTransforms.str())));
  q.tags = std::vector<TransformTagLink>{
      TransformTagLink{eid("transform-tag-link:1"), Ref<TransformTag>(kHourlyTag.str()), 0, Derived<SerdesMeta>{}}};
  q.created_at = ts("2024-08-02T00:00:00Z");

  Transform py;
  py.name = "Events per user (Python)";
  py.entity_id = eid("transform:events-per-user");
  py.creator_id = user(kAnalyst);
  py.source_database_id = Ref<Database>(kEvents);
  py.source.type = TransformSourceType::python;
  py.source.body =
      "import pandas as pd\nfrom common import revenue\n\ndef transform(events, orders):\n"
      "    return events.groupby('user').size().reset_index(name='events')\n";
  py.source.source_tables = std::vector<PythonSourceTable>{
      PythonSourceTable{"events", Ref<Database>(kEvents), null<std::string>(), std::string("events"), std::nullopt},
      PythonSourceTable{"orders", Ref<Database>(kSample), std::nullopt, std::nullopt, Ref<Table>(table_key("ORDERS"))},
  };
  py.source.source_database = Ref<Database>(kEvents);
  py.source.source_incremental_strategy = doc(R"({"type": "checkpoint", "checkpoint-filter": "created_at"})");
  py.target =
      TransformTarget{std::nullopt, TransformTargetType::table_incremental, null<std::string>(), "events_per_user"};
  py.collection_id = null<Parent<Collection>>();
  py.tags = std::vector<TransformTagLink>{};
  return {derived(q), derived(py)};
}

}  // namespace bi::fixtures
