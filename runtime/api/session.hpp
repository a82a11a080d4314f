// The untyped half of the store API: entities as canonical Values, read
// from and written to a store through the same code as dumps and loads.
// runtime/api/db.hpp puts the typed face on it (metaport::Db<Schema>);
// this half is compiled once, whatever the schema.
//
// Writes go through the loader itself (runtime/engine/load.hpp), one small
// in-memory dump per call, inside the session's write transaction: the rows
// written are the rows a load of the same documents writes (same row
// conversion, same derived members, same secrets handling), and a write is
// refused for the same reasons and with the same messages (a dangling
// reference, a value of the wrong type). Erases check, before deleting,
// that nothing refers to the entity (a foreign-key column, a reference
// nested in a document, or one the schema's walker finds in a free-form
// document), and name the first dependant found.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "metaport/entity.hpp"
#include "metaport/result.hpp"
#include "metaport/schema.hpp"
#include "runtime/store/store.hpp"

namespace metaport::api {

enum class WriteMode {
  insert,  // the entity must not exist yet
  update,  // the entity must exist
  upsert,  // either
};

class Session {
 public:
  // Opens the store at `url` (any URL the command line takes: sqlite://,
  // postgresql://, mysql://) and checks that it was created for `schema`
  // (same name, version and layout). `create`: an SQLite file that does not
  // exist is created, and an empty store gets the schema's tables (as init).
  static Result<std::unique_ptr<Session>> open(const SchemaInfo& schema, std::string_view url, bool create = false);

  const SchemaInfo& schema() const { return schema_; }
  store::Store& store() { return *store_; }

  // The canonical document of (kind, key), nullopt when there is none.
  // Secrets in clear; unknown members kept by the store are not in it.
  Result<std::optional<Entity>> get(const KindInfo& kind, const Key& key);
  // Every entity of `kind`, in key order (as dumps list them), streamed:
  // the sink sees one at a time and may call the session again (get, and
  // writes inside a transaction). A non-ok Status from the sink stops the
  // scan and is returned.
  Status scan(const KindInfo& kind, const std::function<Status(const Entity&)>& sink);
  // Writes `doc` (a document of `kind`) as a load in --mode update would.
  Status put(const KindInfo& kind, const Value& doc, WriteMode mode);
  // Deletes (kind, key); an error if it does not exist or something refers to it.
  Status erase(const KindInfo& kind, const Key& key);

  // Runs `body` in one write transaction: committed when it returns ok,
  // rolled back when it returns an error or throws (the exception goes on).
  // Inside a transaction it joins the one already open.
  Status transaction(const std::function<Status()>& body);
  bool in_transaction() const { return depth_ > 0; }

 private:
  Session(const SchemaInfo& schema, std::unique_ptr<store::Store> store);
  std::string label(const KindInfo& kind, const Key& key) const { return kind.name + " " + key.str(); }
  Result<std::optional<std::int64_t>> id_of(const KindInfo& kind, const Key& key);
  Result<std::optional<Entity>> read(const KindInfo& kind, std::int64_t id);
  Status load_one(const KindInfo& kind, const Value& doc, bool keep_unknown);
  Status check_no_dependants(const KindInfo& kind, const Key& key, std::int64_t id);

  const SchemaInfo& schema_;
  std::unique_ptr<store::Store> store_;
  int depth_ = 0;
};

}  // namespace metaport::api
