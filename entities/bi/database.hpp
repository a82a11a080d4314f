// Database: a connection, the root of the data model (Database -> Table ->
// Field). Identified by its name. Open kind (database.yaml allows any other
// member): members not declared here are kept as they are.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

struct Database {
  std::string name;  // the natural key
  Maybe<std::string> description;
  std::optional<std::string> engine;  // postgres, h2, bigquery-cloud-sdk, ...
  // Connection details (host, user, password, keys, ...). Secret as a whole:
  // which members are sensitive depends on the engine, and a redacted value
  // read back means "keep the target's details", never "wipe them".
  std::optional<Secret<metaport::Document>> details;
  Maybe<metaport::Document> settings;
  Maybe<std::string> timezone;
  std::optional<bool> is_sample;
  std::optional<bool> is_full_sync;
  std::optional<bool> is_on_demand;
  std::optional<bool> auto_run_queries;
  Maybe<bool> refingerprint;
  Maybe<std::string> metadata_sync_schedule;
  Maybe<std::string> cache_field_values_schedule;
  Maybe<std::string> caveats;
  Maybe<std::string> points_of_interest;
  Maybe<Ref<User>> creator_id;
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;
  friend bool operator==(const Database&, const Database&) = default;
};
BOOST_DESCRIBE_STRUCT(Database, (),
                      (name, description, engine, details, settings, timezone, is_sample, is_full_sync, is_on_demand,
                       auto_run_queries, refingerprint, metadata_sync_schedule, cache_field_values_schedule, caveats,
                       points_of_interest, creator_id, created_at, serdes_meta))

inline void metaport_check(const Database& d, metaport::Checker& c) {
  if (d.name.empty()) c.error("name", "a database name may not be empty (it is the database's key)");
  check_map(c, "settings", d.settings);
  if (d.details && d.details->has_value() && !d.details->reveal().is_object())
    c.error("details", "connection details are a map");
  check_user_ref(c, "creator_id", d.creator_id);
}

}  // namespace bi

METAPORT_RENAME(bi::Database, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::Database> : metaport::kind_defaults {
  static constexpr std::string_view name = "Database";
  static constexpr bool open = true;
  static constexpr KeyShape key_shape = KeyShape::name;
  static Key key(const bi::Database& d) { return Key(d.name); }
  static void derive(bi::Database& d) { d.serdes_meta.value = {bi::meta_entry("Database", d.name)}; }
};
