// The data model of the sample: Metabase's Sample Database (H2, schema
// PUBLIC), a schemaless event store (MongoDB) with nested document fields, and
// for bigger sizes a Warehouse (PostgreSQL) whose schemas are team marts.
#include <cctype>

#include "entities/bi/seed_util.hpp"

namespace bi::seeding {
namespace {

ColumnSpec col(std::string name, std::string base, std::string db_type, std::string semantic = {},
               std::string description = {}) {
  ColumnSpec c;
  c.name = std::move(name);
  c.base_type = std::move(base);
  c.database_type = std::move(db_type);
  c.semantic = std::move(semantic);
  c.description = std::move(description);
  return c;
}
ColumnSpec pk(std::string description = "A unique identifier.") {
  return col("ID", "type/BigInteger", "BIGINT", "type/PK", std::move(description));
}
ColumnSpec fk(std::string name, std::string target, std::string description) {
  ColumnSpec c = col(std::move(name), "type/Integer", "INTEGER", "type/FK", std::move(description));
  c.fk_table = std::move(target);
  return c;
}
ColumnSpec category(std::string name, std::vector<std::string> values, std::string description,
                    std::string semantic = "type/Category") {
  ColumnSpec c = col(std::move(name), "type/Text", "CHARACTER VARYING", std::move(semantic), std::move(description));
  for (auto& v : values) c.values.emplace_back(std::move(v));
  return c;
}
ColumnSpec created_at(std::string description) {
  return col("CREATED_AT", "type/DateTime", "TIMESTAMP", "type/CreationTimestamp", std::move(description));
}
ColumnSpec money(std::string name, std::string description) {
  return col(std::move(name), "type/Float", "DOUBLE PRECISION", "type/Currency", std::move(description));
}

TableSpec table(std::string name, std::string display, std::string entity_type, std::string description,
                std::vector<ColumnSpec> columns) {
  return TableSpec{kSampleDb, kPublic, std::move(name), std::move(display), std::move(description),
                   std::move(entity_type), std::move(columns)};
}

std::vector<TableSpec> make_sample_tables() {
  const std::vector<std::string> states = {
      "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DE", "FL", "GA", "IA", "ID", "IL", "IN", "KS", "KY", "LA",
      "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH",
      "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY"};
  ColumnSpec quantity = col("QUANTITY", "type/Integer", "INTEGER", "type/Quantity", "Number of products bought.");
  ColumnSpec rating = col("RATING", "type/Integer", "SMALLINT", "type/Score", "The rating (on a scale of 1-5) the user left.");
  for (int i = 1; i <= 5; ++i) rating.values.emplace_back(i);
  ColumnSpec trial_converted = col("TRIAL_CONVERTED", "type/Boolean", "BOOLEAN", "type/Category",
                                   "Whether the trial turned into a paid subscription.");
  trial_converted.values = {V(false), V(true)};
  ColumnSpec seats = col("SEATS", "type/Integer", "INTEGER", "type/Quantity", "Seats the account pays for.");

  // ANALYTIC_EVENTS.PROPERTIES is a JSON column Metabase unfolds: its keys
  // become fields nested under it ([.., PROPERTIES, device, os]).
  ColumnSpec properties = col("PROPERTIES", "type/JSON", "JSON", "type/SerializedJSON",
                              "Event properties sent by the tracking library.");
  ColumnSpec device = col("device", "type/Dictionary", "JSON", {}, "The device the event came from.");
  ColumnSpec os = category("os", {"Android", "ChromeOS", "Linux", "Windows", "iOS", "macOS"}, "Operating system.");
  os.database_type = "VARCHAR";
  ColumnSpec browser = category("browser", {"Chrome", "Edge", "Firefox", "Safari"}, "Browser family.");
  browser.database_type = "VARCHAR";
  ColumnSpec screen = col("screen_width", "type/Integer", "INTEGER", {}, "Screen width in pixels.");
  device.nested = {os, browser, screen};
  ColumnSpec utm = col("utm", "type/Dictionary", "JSON", {}, "Campaign parameters of the landing page.");
  ColumnSpec utm_source = category("source", {"bing", "facebook", "google", "linkedin", "newsletter"}, "utm_source.");
  utm_source.database_type = "VARCHAR";
  ColumnSpec utm_campaign = col("campaign", "type/Text", "VARCHAR", {}, "utm_campaign.");
  utm.nested = {utm_source, utm_campaign};
  properties.nested = {device, utm};

  return {
      table("ACCOUNTS", "Accounts", "entity/UserTable",
            "Information on customer accounts registered with Piespace. Each account represents a new organization "
            "signing up for on-demand pies.",
            {pk(), col("EMAIL", "type/Text", "CHARACTER VARYING", "type/Email", "The email of the account's admin."),
             col("FIRST_NAME", "type/Text", "CHARACTER VARYING", "type/Name", "First name of the account's admin."),
             col("LAST_NAME", "type/Text", "CHARACTER VARYING", "type/Name", "Last name of the account's admin."),
             category("PLAN", {"Basic", "Business", "Premium"}, "Subscription plan type."),
             category("SOURCE", {"Facebook", "Google", "Invite", "Twitter"}, "Channel the account came from.",
                      "type/Source"),
             seats, created_at("The date the account was created."),
             col("TRIAL_ENDS_AT", "type/DateTime", "TIMESTAMP", {}, "When the free trial ends."),
             col("CANCELED_AT", "type/DateTime", "TIMESTAMP", "type/CancelationTimestamp", "When the account canceled."),
             trial_converted,
             col("ACTIVE_SUBSCRIPTION", "type/Boolean", "BOOLEAN", "type/Category", "Whether the account pays now."),
             col("LEGACY_PLAN", "type/Boolean", "BOOLEAN", "type/Category", "Whether the account is on a legacy plan."),
             col("LATITUDE", "type/Float", "DOUBLE PRECISION", "type/Latitude", "Latitude of the account's address."),
             col("LONGITUDE", "type/Float", "DOUBLE PRECISION", "type/Longitude", "Longitude of the account's address."),
             category("COUNTRY", {"AU", "BR", "CA", "DE", "FR", "GB", "IN", "JP", "NL", "US"},
                      "Two-letter ISO country code.", "type/Country")}),
      table("ANALYTIC_EVENTS", "Analytic Events", "entity/EventTable",
            "Piespace does some anonymous analytics tracking on how users interact with their platform.",
            {pk(), fk("ACCOUNT_ID", "ACCOUNTS", "The account that sent the event."),
             category("EVENT", {"Button Clicked", "Page Viewed", "Signed In", "Signed Out", "Subscription Changed"},
                      "The name of the event."),
             col("TIMESTAMP", "type/DateTime", "TIMESTAMP", {}, "When the event happened."),
             col("PAGE_URL", "type/Text", "CHARACTER VARYING", "type/URL", "The page the event happened on."),
             category("BUTTON_LABEL", {"Add To Cart", "Checkout", "Create Item", "Learn More", "Sign Up"},
                      "The label of the clicked button, if any."),
             properties}),
      table("FEEDBACK", "Feedback", "entity/GenericTable", "With each order of pies sent out, customers may leave feedback.",
            {pk(), fk("ACCOUNT_ID", "ACCOUNTS", "The account that left the feedback."),
             col("EMAIL", "type/Text", "CHARACTER VARYING", "type/Email", "The email of the person who left it."),
             col("DATE_RECEIVED", "type/Date", "DATE", {}, "The date the feedback was received."),
             rating,
             category("RATING_MAPPED", {"Bad", "Great", "Meh", "Ok", "Terrible"}, "The rating, in words."),
             col("BODY", "type/Text", "CHARACTER LARGE OBJECT", "type/Description", "The feedback itself.")}),
      table("INVOICES", "Invoices", "entity/TransactionTable", "Confirmed payments from Piespace's customers.",
            {pk(), fk("ACCOUNT_ID", "ACCOUNTS", "The account that paid."),
             money("PAYMENT", "The amount paid, in US dollars."),
             col("EXPECTED_INVOICE", "type/Boolean", "BOOLEAN", "type/Category", "Whether the payment was expected."),
             category("PLAN", {"Basic", "Business", "Premium"}, "The plan paid for."),
             col("DATE_RECEIVED", "type/Date", "DATE", {}, "The date the payment was received.")}),
      table("ORDERS", "Orders", "entity/TransactionTable",
            "Confirmed Sample Company orders for a product, from a user.",
            {pk("This is a unique ID for the product. It is also called the \"Invoice number\"."),
             fk("USER_ID", "PEOPLE", "The id of the user who made this order."),
             fk("PRODUCT_ID", "PRODUCTS", "The product ID. This is an internal identifier for the product."),
             money("SUBTOTAL", "The raw, pre-tax cost of the order."),
             money("TAX", "This is the amount of local and federal taxes that are collected on the purchase."),
             money("TOTAL", "The total billed amount."),
             col("DISCOUNT", "type/Float", "DOUBLE PRECISION", "type/Discount", "Discount amount."),
             created_at("The date and time an order was submitted."), quantity}),
      table("PEOPLE", "People", "entity/UserTable",
            "Information on the user accounts registered with Sample Company.",
            {pk(), col("ADDRESS", "type/Text", "CHARACTER VARYING", {}, "The street address of the account's billing address."),
             col("EMAIL", "type/Text", "CHARACTER VARYING", "type/Email", "The contact email for the account."),
             col("PASSWORD", "type/Text", "CHARACTER VARYING", {}, "This is the salted password of the user."),
             col("NAME", "type/Text", "CHARACTER VARYING", "type/Name", "The name of the user who owns an account."),
             col("CITY", "type/Text", "CHARACTER VARYING", "type/City", "The city of the account's billing address."),
             col("LONGITUDE", "type/Float", "DOUBLE PRECISION", "type/Longitude", "Longitude of the billing address."),
             category("STATE", states, "The state or province of the account's billing address.", "type/State"),
             category("SOURCE", {"Affiliate", "Facebook", "Google", "Organic", "Twitter"},
                      "The channel through which we acquired this user.", "type/Source"),
             col("BIRTH_DATE", "type/Date", "DATE", {}, "The date of birth of the user."),
             col("ZIP", "type/Text", "CHARACTER(5)", "type/ZipCode", "The postal code of the billing address."),
             col("LATITUDE", "type/Float", "DOUBLE PRECISION", "type/Latitude", "Latitude of the billing address."),
             created_at("The date the user record was created.")}),
      table("PRODUCTS", "Products", "entity/ProductTable", "Includes a catalog of all the products ever sold by the famed Sample Company.",
            {pk("The numerical product number. Only used internally."),
             col("EAN", "type/Text", "CHARACTER(13)", {}, "The international article number."),
             col("TITLE", "type/Text", "CHARACTER VARYING", "type/Title", "The name of the product."),
             category("CATEGORY", {"Doohickey", "Gadget", "Gizmo", "Widget"}, "The type of product."),
             col("VENDOR", "type/Text", "CHARACTER VARYING", "type/Company", "The source of the product."),
             money("PRICE", "The list price of the product."),
             col("RATING", "type/Float", "DOUBLE PRECISION", "type/Score", "The average rating users have given the product."),
             created_at("The date the product was added to our catalog.")}),
      table("REVIEWS", "Reviews", "entity/GenericTable", "Reviews that Sample Company customers have left on our products.",
            {pk(), fk("PRODUCT_ID", "PRODUCTS", "The product the review was for."),
             col("REVIEWER", "type/Text", "CHARACTER VARYING", {}, "The user who left the review."),
             rating, col("BODY", "type/Text", "CHARACTER LARGE OBJECT", "type/Description", "The review the user left."),
             created_at("The day and time a review was written by a user.")}),
  };
}

std::vector<TableSpec> make_events_tables() {
  auto mongo = [](std::string name, std::string base, std::string semantic = {}, std::string description = {}) {
    ColumnSpec c = col(std::move(name), std::move(base), {}, std::move(semantic), std::move(description));
    c.database_type = c.base_type == "type/MongoBSONID" ? "java.lang.String"
                      : c.base_type == "type/Dictionary" ? "java.util.Map"
                      : c.base_type == "type/Array"      ? "java.util.List"
                      : c.base_type == "type/Integer"    ? "java.lang.Long"
                      : c.base_type == "type/Instant"    ? "java.util.Date"
                                                         : "java.lang.String";
    return c;
  };
  ColumnSpec context = mongo("context", "type/Dictionary", {}, "Where the page view came from.");
  ColumnSpec device = mongo("device", "type/Text", "type/Category", "mobile, tablet or desktop.");
  device.values = {V("desktop"), V("mobile"), V("tablet")};
  context.nested = {device, mongo("locale", "type/Text", {}, "The browser's locale."),
                    mongo("referrer", "type/Text", "type/URL", "The referring page.")};
  ColumnSpec ts = mongo("ts", "type/Instant", "type/CreationTimestamp", "When the page was viewed.");
  ts.base_type = "type/DateTime";
  ColumnSpec started = mongo("started_at", "type/Instant", {}, "When the session started.");
  started.base_type = "type/DateTime";
  return {
      TableSpec{kEventsDb, std::nullopt, "page_views", "Page Views", "One document per page view, from the web tracker.",
                "entity/EventTable",
                {mongo("_id", "type/MongoBSONID", "type/PK"), mongo("user_id", "type/Integer", {}, "The signed-in user."),
                 mongo("url", "type/Text", "type/URL", "The page."), ts, context}},
      TableSpec{kEventsDb, std::nullopt, "sessions", "Sessions", "Browsing sessions, closed after 30 idle minutes.",
                "entity/GenericTable",
                {mongo("_id", "type/MongoBSONID", "type/PK"), mongo("user_id", "type/Integer"), started,
                 mongo("duration_seconds", "type/Integer", "type/Duration", "How long the session lasted."),
                 mongo("pages", "type/Array", {}, "The pages viewed, in order.")}},
  };
}

std::string has_field_values_of(const ColumnSpec& c) {
  if (is_category(c)) return "list";
  if (c.base_type == "type/Text" && c.semantic != "type/Description") return "search";
  return "none";
}

// A field and, below it, its nested fields; FieldValues for category-like ones.
void emit_field(Out& out, Rng& rng, const TableSpec& t, const ColumnSpec& c, const metaport::Key& parent,
                std::int64_t position, std::vector<std::string> nfc) {
  Field f;
  f.name = c.name;
  f.display_name = some(display_name_of(c.name));
  f.description = c.description.empty() ? null<std::string>() : some(c.description);
  f.base_type = c.base_type;
  f.effective_type = some(c.base_type);
  f.database_type = c.database_type;
  f.semantic_type = c.semantic.empty() ? null<std::string>() : some(c.semantic);
  f.coercion_strategy = null<std::string>();
  f.table_id = Parent<Table>(Ref<Table>(t.key()));
  f.fk_target_field_id = c.fk_table.empty()
                             ? null<Ref<Field>>()
                             : some(Ref<Field>(metaport::Key{t.db, t.schema, c.fk_table, std::string("ID")}));
  const bool nested = parent.size() > 3;
  f.parent_id = nested ? some(Parent<Field>(Ref<Field>(parent))) : null<Parent<Field>>();
  f.active = true;
  f.settings = c.semantic == "type/Currency" ? some(obj({{"currency", "USD"}})) : null<V>();
  // A remapping: orders show the product's title instead of its id.
  if (t.name == "ORDERS" && c.name == "PRODUCT_ID")
    f.dimensions = std::vector<V>{obj({{"name", "Product"}, {"type", "external"},
                                       {"human_readable_field_id", sfk("PRODUCTS", "TITLE")}})};
  f.visibility_type = some<std::string>(c.name == "PASSWORD" ? "sensitive" : "normal");
  f.has_field_values = some(has_field_values_of(c));
  f.position = position;
  f.database_position = position;
  nfc.push_back(c.name);
  if (c.base_type == "type/JSON") f.json_unfolding = some(true);
  f.nfc_path = nested ? some(nfc) : null<std::vector<std::string>>();
  f.created_at = rng.when();
  out.emit(std::move(f));

  const metaport::Key self = parent.with(c.name);
  if (!c.values.empty()) {
    FieldValues v;
    v.values = c.values;
    v.human_readable_values = std::vector<V>{};
    v.has_more_values = false;
    v.type = FieldValuesType::full;
    v.hash_key = null<std::string>();
    v.created_at = rng.when();
    v.last_used_at = some(rng.when());
    v.serdes_meta = data_model_path(self);
    v.serdes_meta.push_back(meta_entry("FieldValues", "0"));
    out.emit(std::move(v));
  }
  std::int64_t i = 0;
  for (const auto& child : c.nested) emit_field(out, rng, t, child, self, i++, nfc);
}

void emit_table(Out& out, Rng& rng, const TableSpec& t) {
  Table tb;
  tb.name = t.name;
  tb.display_name = some(t.display_name);
  tb.description = some(t.description);
  tb.db_id = Parent<Database>(Ref<Database>(t.db));
  tb.schema = t.schema ? some(*t.schema) : null<std::string>();
  tb.active = true;
  tb.entity_type = some(t.entity_type);
  tb.visibility_type = null<std::string>();
  tb.field_order = some<std::string>("database");
  tb.show_in_getting_started = false;
  tb.created_at = rng.when();
  out.emit(std::move(tb));
  std::int64_t i = 0;
  for (const auto& c : t.columns) emit_field(out, rng, t, c, t.key(), i++, {});
}

// Edits people made on top of what sync found.
void emit_user_settings(Out& out, Rng& rng, const metaport::Key& field, auto&& edit) {
  FieldUserSettings s;
  edit(s);
  s.created_at = rng.when();
  s.updated_at = rng.when();
  s.serdes_meta = data_model_path(field);
  s.serdes_meta.push_back(meta_entry("FieldUserSettings", "1"));
  out.emit(std::move(s));
}

}  // namespace

std::string display_name_of(std::string_view name) {
  std::string out;
  bool start = true;
  for (char ch : name) {
    if (ch == '_') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      start = true;
      continue;
    }
    out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch)))
                 : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    start = false;
  }
  if (out == "Id") return "ID";
  if (out.size() > 3 && out.ends_with(" Id")) out.replace(out.size() - 2, 2, "ID");
  return out;
}

const std::vector<TableSpec>& sample_tables() {
  static const std::vector<TableSpec> tables = make_sample_tables();
  return tables;
}
const std::vector<TableSpec>& events_tables() {
  static const std::vector<TableSpec> tables = make_events_tables();
  return tables;
}
const TableSpec& sample_table(std::string_view name) {
  for (const auto& t : sample_tables())
    if (t.name == name) return t;
  return sample_tables().front();  // unreachable for the names the generator uses
}

void seed_data_model(Out& out, Rng& rng) {
  Database sample;
  sample.name = kSampleDb;
  sample.description = some<std::string>("Some example data for you to play around with.");
  sample.engine = "h2";
  sample.details = Secret<V>(obj({{"db", "file:/plugins/sample-database.db;USER=GUEST;PASSWORD=guest"},
                                  {"password", "guest"}}));
  sample.settings = null<V>();
  sample.timezone = some<std::string>("UTC");
  sample.is_sample = true;
  sample.is_full_sync = true;
  sample.is_on_demand = false;
  sample.auto_run_queries = true;
  sample.metadata_sync_schedule = some<std::string>("0 50 * * * ? *");
  sample.cache_field_values_schedule = some<std::string>("0 0 21 * * ? *");
  sample.caveats = null<std::string>();
  sample.points_of_interest = some<std::string>("ORDERS joins PRODUCTS and PEOPLE; ACCOUNTS is the Piespace data.");
  sample.creator_id = null<Ref<User>>();
  sample.created_at = rng.when();
  out.emit(std::move(sample));
  for (const auto& t : sample_tables()) emit_table(out, rng, t);

  Database events;
  events.name = kEventsDb;
  events.description = some<std::string>("Raw web tracking documents (MongoDB): no schemas, nested fields.");
  events.engine = "mongo";
  events.details = Secret<V>(obj({{"host", "events-mongo.internal"}, {"port", 27017}, {"dbname", "events"},
                                  {"user", "metabase"}, {"pass", "Tr4cking-Pa55!"}, {"authdb", "admin"},
                                  {"ssl", true}}));
  events.settings = some(obj({{"database-enable-actions", false}}));
  events.is_full_sync = true;
  events.auto_run_queries = true;
  events.metadata_sync_schedule = some<std::string>("0 0 * * * ? *");
  events.creator_id = some(user(kAdmin));
  events.created_at = rng.when();
  out.emit(std::move(events));
  for (const auto& t : events_tables()) emit_table(out, rng, t);

  emit_user_settings(out, rng, sample_table("ORDERS").field_key("TOTAL"), [](FieldUserSettings& s) {
    s.display_name = some<std::string>("Order total");
    s.description = some<std::string>("What the customer paid, taxes included, after discounts.");
    s.settings = some(obj({{"currency", "USD"}, {"number_style", "currency"}}));
  });
  emit_user_settings(out, rng, sample_table("PEOPLE").field_key("PASSWORD"), [](FieldUserSettings& s) {
    s.visibility_type = some<std::string>("sensitive");
  });
  emit_user_settings(out, rng, sample_table("ANALYTIC_EVENTS").field_key("ACCOUNT_ID"), [](FieldUserSettings& s) {
    s.semantic_type = some<std::string>("type/FK");
    s.fk_target_field_id = some(Ref<Field>(sample_table("ACCOUNTS").field_key("ID")));
  });
}

std::string warehouse_schema_name(std::size_t n) {
  static const std::vector<std::string> marts = {"sales_mart", "finance_mart", "marketing_mart", "support_mart",
                                                 "product_mart", "ops_mart", "hr_mart", "supply_mart"};
  return marts[n % marts.size()] + (n < marts.size() ? "" : "_" + std::to_string(n / marts.size() + 1));
}

std::vector<TableSpec> warehouse_schema(std::size_t n) {
  const std::string schema = warehouse_schema_name(n);
  auto t = [&](std::string name, std::string display, std::string entity, std::string description,
               std::vector<ColumnSpec> cols) {
    for (auto& c : cols)
      if (c.database_type == "BIGINT") c.database_type = "int8";
    return TableSpec{kWarehouseDb, schema, std::move(name), std::move(display), std::move(description),
                     std::move(entity), std::move(cols)};
  };
  auto ts = [](std::string name, std::string d) { return col(std::move(name), "type/DateTimeWithLocalTZ", "timestamptz", {}, std::move(d)); };
  auto num = [](std::string name, std::string d) { return col(std::move(name), "type/Decimal", "numeric", "type/Currency", std::move(d)); };
  auto text = [](std::string name, std::string d) { return col(std::move(name), "type/Text", "text", {}, std::move(d)); };
  auto cat = [](std::string name, std::vector<std::string> vs, std::string d) {
    ColumnSpec c = category(std::move(name), std::move(vs), std::move(d));
    c.database_type = "text";
    return c;
  };
  auto key = [](std::string name, std::string target, std::string d) {
    ColumnSpec c = fk(std::move(name), std::move(target), std::move(d));
    c.database_type = "int8";
    c.base_type = "type/BigInteger";
    return c;
  };
  return {
      t("dim_customer", "Customers", "entity/UserTable", "One row per customer, slowly changing (type 1).",
        {pk(), text("customer_name", "Legal name."), cat("segment", {"Enterprise", "Mid-market", "SMB"}, "Sales segment."),
         cat("region", {"APAC", "EMEA", "LATAM", "NA"}, "Sales region."), ts("first_order_at", "First order.")}),
      t("dim_product", "Products", "entity/ProductTable", "The product catalogue, current version.",
        {pk(), text("sku", "Stock keeping unit."), text("product_name", "Display name."),
         cat("family", {"Accessories", "Hardware", "Services", "Software"}, "Product family."),
         num("list_price", "List price, USD.")}),
      t("fct_orders", "Order facts", "entity/TransactionTable", "One row per order line, refreshed hourly.",
        {pk(), key("customer_id", "dim_customer", "The customer."), key("product_id", "dim_product", "The product."),
         ts("ordered_at", "When the order was placed."), col("units", "type/Integer", "int4", "type/Quantity", "Units."),
         num("net_amount", "Net of discounts and taxes, USD."), num("discount_amount", "Discount, USD."),
         cat("channel", {"Direct", "Marketplace", "Partner", "Web"}, "Sales channel.")}),
      t("fct_daily_revenue", "Daily revenue", "entity/GenericTable", "Revenue per day and region (a transform's output).",
        {col("day", "type/Date", "date", {}, "The day."), cat("region", {"APAC", "EMEA", "LATAM", "NA"}, "Region."),
         num("revenue", "Revenue, USD."), col("orders", "type/Integer", "int8", "type/Quantity", "Orders.")}),
  };
}

void seed_warehouse_schema(Out& out, Rng& rng, std::size_t n) {
  if (n == 0) {
    Database wh;
    wh.name = kWarehouseDb;
    wh.description = some<std::string>("The analytics warehouse: one mart per team, built by dbt and transforms.");
    wh.engine = "postgres";
    wh.details = Secret<V>(obj({{"host", "warehouse.internal"}, {"port", 5432}, {"dbname", "analytics"},
                                {"user", "metabase_ro"}, {"password", "w4rehouse-r3ad-only"}, {"ssl", true},
                                {"schema-filters-type", "all"}, {"tunnel-enabled", false}}));
    wh.settings = some(obj({{"database-enable-actions", true}}));
    wh.timezone = some<std::string>("UTC");
    wh.is_full_sync = true;
    wh.is_on_demand = false;
    wh.auto_run_queries = true;
    wh.metadata_sync_schedule = some<std::string>("0 15 * * * ? *");
    wh.cache_field_values_schedule = some<std::string>("0 0 3 * * ? *");
    wh.creator_id = some(user(kAdmin));
    wh.created_at = rng.when();
    out.emit(std::move(wh));
  }
  for (const auto& t : warehouse_schema(n)) emit_table(out, rng, t);
}

}  // namespace bi::seeding
