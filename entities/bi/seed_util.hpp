// Internal to the sample data generator (seed*.cpp): the deterministic random
// source, small builders for documents and pMBQL queries, the data model the
// content is written against, and the emitter that turns typed entities into
// canonical documents. Not part of the model (the `model` target excludes it).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "entities/bi/schema.hpp"
#include "entities/bi/seed.hpp"

namespace bi::seeding {

using V = metaport::Value;

// ---- documents --------------------------------------------------------------------------
template <class... Ts>
V arr(Ts&&... xs) {
  V::Array a;
  a.reserve(sizeof...(xs));
  (a.emplace_back(std::forward<Ts>(xs)), ...);
  return V(std::move(a));
}
inline V obj(V::Object o = {}) { return V(std::move(o)); }
inline V list_of(const std::vector<std::string>& xs) {
  V::Array a;
  a.reserve(xs.size());
  for (const auto& x : xs) a.emplace_back(x);
  return V(std::move(a));
}

template <class T>
Maybe<T> some(T v) {
  return Nullable<T>(std::move(v));
}
template <class T>
Maybe<T> null() {
  return Nullable<T>();
}
inline Ref<User> user(const std::string& email) { return Ref<User>(email); }
inline Maybe<Parent<Collection>> in_collection(const EntityId& id) {
  return some(Parent<Collection>(Ref<Collection>(id.str())));
}
inline Maybe<Parent<Collection>> in_collection(const std::optional<EntityId>& id) {
  if (!id) return null<Parent<Collection>>();
  return in_collection(*id);
}

// ---- randomness ------------------------------------------------------------------------------
// One generator per independent part of the sample (the showcase, each team):
// a part's content does not shift when the size changes what comes after it,
// so seeding a bigger size into a store only adds entities.
class Rng {
 public:
  explicit Rng(std::uint64_t stream) : g_(0x6d65746162617365ull ^ (stream * 0x9e3779b97f4a7c15ull)) {}
  std::uint64_t operator()() { return g_(); }
  EntityId id() { return EntityId::from_rng(g_); }
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(g_() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return static_cast<double>(g_() >> 11) * 0x1.0p-53 < p; }
  template <class T>
  const T& pick(const std::vector<T>& xs) {
    return xs[static_cast<std::size_t>(g_() % xs.size())];
  }
  // A version-4-shaped UUID (lib/uuid, parameter and template-tag ids).
  std::string uuid();
  // A moment between 2023-01-01 and 2025-06-30 (created_at and friends).
  Timestamp when();

 private:
  std::mt19937_64 g_;
};

// ---- the data model --------------------------------------------------------------------------
inline const std::string kSampleDb = "Sample Database";
inline const std::string kEventsDb = "Events Store";
inline const std::string kWarehouseDb = "Warehouse";
inline const std::string kPublic = "PUBLIC";

struct ColumnSpec {
  std::string name;
  std::string base_type;
  std::string database_type;
  std::string semantic;   // "" = none
  std::string fk_table;   // a foreign key: the target table (same schema), field "ID"
  std::string description;
  std::vector<V> values;  // distinct values (FieldValues), for category-like columns
  // JSON-unfolded (or nested document) children: their key continues this one's.
  std::vector<ColumnSpec> nested;
};

struct TableSpec {
  std::string db;
  std::optional<std::string> schema;  // nullopt: a schemaless database
  std::string name;
  std::string display_name;
  std::string description;
  std::string entity_type;
  std::vector<ColumnSpec> columns;

  metaport::Key key() const { return metaport::Key{db, schema, name}; }
  metaport::Key field_key(std::string_view field) const { return key().with(std::string(field)); }
  V fk() const { return arr(db, schema ? V(*schema) : V(), name); }
  // A Field FK; more than one name walks into JSON-unfolded fields.
  V field_fk(std::initializer_list<std::string_view> path) const;
  const ColumnSpec* column(std::string_view name) const;
};

const std::vector<TableSpec>& sample_tables();  // Sample Database, PUBLIC
const std::vector<TableSpec>& events_tables();  // Events Store (mongo, schemaless)
const TableSpec& sample_table(std::string_view name);
// The tables of warehouse schema `n` (n = 0, 1, ...): generated, realistic marts.
std::vector<TableSpec> warehouse_schema(std::size_t n);
std::string warehouse_schema_name(std::size_t n);

// "CREATED_AT" -> "Created At", "USER_ID" -> "User ID" (Metabase's humanization).
std::string display_name_of(std::string_view column);
bool is_temporal(const ColumnSpec& c);
bool is_numeric_measure(const ColumnSpec& c);  // numbers worth summing (not keys)
bool is_category(const ColumnSpec& c);

// ---- pMBQL --------------------------------------------------------------------------------
// [field, {options}, FieldFK]
inline V field(V fk, V opts = obj()) { return arr("field", std::move(opts), std::move(fk)); }
// A Sample Database (PUBLIC) column.
inline V sfk(std::string_view table, std::string_view column) {
  return arr(kSampleDb, kPublic, std::string(table), std::string(column));
}
inline V stable(std::string_view table) { return arr(kSampleDb, kPublic, std::string(table)); }
inline V sfield(std::string_view table, std::string_view column, V opts = obj()) {
  return field(sfk(table, column), std::move(opts));
}
inline V mbql_stage(V source_table) {
  return obj({{"lib/type", "mbql.stage/mbql"}, {"source-table", std::move(source_table)}});
}
inline V card_stage(const EntityId& card) {
  return obj({{"lib/type", "mbql.stage/mbql"}, {"source-card", card.str()}});
}
inline V native_stage(std::string sql, V tags = V::array()) {
  return obj({{"lib/type", "mbql.stage/native"}, {"native", std::move(sql)}, {"template-tags", std::move(tags)}});
}
inline V query(const std::string& db, V::Array stages) {
  return obj({{"lib/type", "mbql/query"}, {"database", db}, {"stages", V(std::move(stages))}});
}
// [op, {lib/uuid}, args...]: aggregations get a uuid so order-by can name them.
template <class... Ts>
V agg(Rng& rng, std::string op, Ts&&... args) {
  return arr(std::move(op), obj({{"lib/uuid", rng.uuid()}}), std::forward<Ts>(args)...);
}
inline std::string uuid_of(const V& aggregation) { return aggregation.as_array()[1].find("lib/uuid")->as_string(); }
inline V agg_ref(const V& aggregation) { return arr("aggregation", obj(), uuid_of(aggregation)); }
template <class... Ts>
V clause(std::string op, Ts&&... args) {
  return arr(std::move(op), obj(), std::forward<Ts>(args)...);
}
// Legacy field reference of parameter targets: [field, FieldFK, null]
inline V legacy_field(V fk) { return arr("field", std::move(fk), V()); }
inline V dimension_target(V fk) { return arr("dimension", legacy_field(std::move(fk))); }
inline V tag_target(std::string_view wrapper, std::string_view tag) {
  return arr(std::string(wrapper), arr("template-tag", std::string(tag)));
}

// A card parameter or dashboard filter with the members every one has.
Parameter parameter(std::string id, std::string name, std::string type);

// column_settings keys: '["name","TOTAL"]' and '["ref",["field",FieldFK,null]]'.
std::string column_key_name(std::string_view column);
std::string column_key_ref(const V& fk);

// ---- rich text (ProseMirror nodes) ----------------------------------------------------------
V pm_text(std::string text, std::vector<std::string> marks = {});
V pm_node(std::string type, V::Array content = {}, V attrs = V());
V pm_heading(int level, std::string text);
V pm_paragraph(V::Array content);
V pm_list(bool ordered, const std::vector<std::string>& items);
V pm_card(const EntityId& card, std::string name);        // cardEmbed
V pm_link(V serdes_path, std::string model);               // smartLink
V pm_link(const EntityId& id, std::string serdes_model, std::string model);

// ---- output -----------------------------------------------------------------------------
// Turns typed entities into canonical documents (derived members computed,
// keys in canonical order, secrets in clear) and hands them to the sink. The
// first failed emit stops everything; ok() tells the generators to stop.
class Out {
 public:
  explicit Out(const SeedSink& sink) : sink_(sink) {}

  template <class T>
  void emit(T v) {
    if (!status_.ok()) return;
    metaport::derive(v);
    static const metaport::EncodeContext ctx{metaport::EncodeOptions{.keep_secrets = true}};
    V doc = metaport::codec<T>::encode(v, ctx);
    put(std::string(metaport::kind_traits<T>::name), std::move(doc));
  }
  void put(std::string kind, V doc);

  bool ok() const { return status_.ok(); }
  const metaport::Status& status() const { return status_; }
  std::size_t count() const { return total_; }

 private:
  const SeedSink& sink_;
  metaport::Status status_ = metaport::ok_status();
  std::size_t total_ = 0;
};

// ---- people ------------------------------------------------------------------------------
struct Person {
  std::string first, last, email;
};
// Person i (0, 1, 2, ...): distinct for every i, the same for every run.
Person person(std::size_t i);
inline constexpr std::size_t kShowcasePeople = 36;
inline const std::string kAdmin = "admin@sample-company.com";

// ---- what the showcase made, for the teams to build on --------------------------------------
struct Showcase {
  EntityId orders_model, products_model, people_model, revenue_metric;
  EntityId large_orders_segment, organic_segment, revenue_measure;
  EntityId snippet_last_30_days, snippet_paying_accounts;
  EntityId sales_dashboard;
  EntityId etl_collection, daily_tag;
  std::vector<EntityId> timelines;
  std::vector<std::string> creators;  // emails of the showcase's people
};

// The phases, in emission order (dependencies first).
void seed_people(Out& out, Rng& rng);
void seed_settings_and_channels(Out& out, Rng& rng);
void seed_data_model(Out& out, Rng& rng);
void seed_warehouse_schema(Out& out, Rng& rng, std::size_t n);  // the Warehouse database comes with n == 0
// Collections, snippets, segments, measures, cards, dashboards, documents,
// timelines, actions, the metabot, transforms: every feature once.
Showcase seed_showcase(Out& out);
// One team of the scaled part: a user, collections, questions, dashboards, ...
void seed_team(Out& out, std::size_t team, const Showcase& s);

// Names the demo changes (`metaport demo` step 5); present at every size.
inline constexpr std::string_view kDemoDashboard = "Operations health";
inline constexpr std::string_view kDemoCard = "Large orders this year";

}  // namespace bi::seeding
