// The loader behind engine::load and engine::validate (load.hpp), private to
// the engine. One object per load; its steps live in one file each:
//   load.cpp         run(): the steps in order, the version check
//   load_read.cpp    reading: records decoded on every core, accepted in input
//                    order (identity, duplicates, the spool)
//   load_stream.cpp  streaming: into an empty store, rows are written while
//                    the records are still being read
//   load_plan.cpp    the plan: what exists in the store, what is missing,
//                    containment cycles, failures and what they drag along,
//                    create / update / skip
//   load_apply.cpp   apply: one write transaction from the spool
#pragma once
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/engine/batch_writer.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/engine/spool.hpp"
#include "runtime/engine/spooled_row.hpp"
#include "runtime/engine/upgrade_records.hpp"
#include "runtime/store/row.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::engine::load_detail {

constexpr std::int32_t kNone = -1;
// No local id yet (0 is an id: an integer key may be 0, a root's uid).
constexpr std::int64_t kNoId = std::numeric_limits<std::int64_t>::min();

// Every (kind, key) the load mentions: incoming entities and their targets.
struct Node {
  std::uint32_t kind = 0;
  Key key;
  std::int32_t incoming = kNone;       // the record that defines it in this dump
  std::optional<std::int64_t> store_id;  // its id in the target store, if it exists there
  std::int64_t id = kNoId;             // its id once the load is applied
  bool missing = false;                // neither in the dump nor in the store
  bool looked_up = false;
};

struct Dep {
  std::uint32_t node;
  bool column;  // a top-level reference (a foreign key column)
  bool parent;  // Parent<T>: containment
};

enum class Action { create, update, skip };

struct Incoming {
  std::uint32_t node = 0;
  Origin origin;
  std::uint64_t off = 0;
  std::uint32_t len = 0;
  std::vector<Dep> deps;
  std::vector<std::pair<FieldPath, std::uint32_t>> user_refs;  // for --user
  std::vector<std::pair<FieldPath, Key>> rewrites;              // applied before writing
  std::vector<Error> errors;
  bool failed = false;
  bool placeholder = false;
  Action action = Action::create;
  // Its secrets that arrived redacted ("password", "details.auth-info.x"):
  // a created entity has no value for them (the report says so); an update
  // keeps the store's values.
  std::vector<std::string> unknown_secrets;
};

inline std::string label(const KindInfo& k, const Key& key) { return k.name + " " + key.str(); }

// A readable name for a record that could not be decoded (no key yet).
inline std::string guess_key(const Value& doc) {
  for (const char* f : {"entity_id", "name", "email", "term", "path"})
    if (const Value* v = doc.find(f); v && v->is_string()) return v->as_string();
  return {};
}

inline void set_at(Value& root, const FieldPath& path, Value v) {
  Value* at = &root;
  for (std::size_t i = 0; at && i < path.size(); ++i) {
    if (auto* k = std::get_if<std::string>(&path[i])) at = at->find(*k);
    else {
      std::size_t idx = std::get<std::size_t>(path[i]);
      at = at->is_array() && idx < at->size() ? &at->as_array()[idx] : nullptr;
    }
  }
  if (at) *at = std::move(v);
}

class Loader {
 public:
  Loader(store::Store* store, const SchemaInfo& schema, const LoadOptions& opts)
      : store_(store), schema_(schema), opts_(opts), index_(schema.kinds.size()) {
    for (std::size_t i = 0; i < schema.kinds.size(); ++i) kind_index_[schema.kinds[i]->name] = static_cast<std::uint32_t>(i);
  }

  Result<LoadReport> run(format::DumpReader& reader);

 private:
  // What a worker makes of one record: everything that needs no shared state.
  struct Prepared {
    format::Parsed parsed = format::Parsed::failed;
    format::RawRecord raw;         // for skipped tree files
    std::string kind_name;         // as the record says
    std::int64_t kind = -1;        // index into schema_.kinds, -1 when unknown
    Origin origin;
    std::string guess;             // a readable key for records that do not decode
    Errors errors;                 // reading or decoding problems
    Key key;
    struct Ref {
      std::uint32_t kind;
      Key key;
      bool column, parent, user;
      FieldPath path;  // kept for references to the user kind (--user rewrites them)
    };
    std::vector<Ref> refs;
    store::EntityRow row;  // the row to write, references still keys
    std::string spooled;   // the same row, serialized for the spool
    bool placeholder = false;
    std::vector<UpgradeRecord> extra;  // records an upgrade step emitted beside this one
    std::vector<Error> warnings;       // secrets in clear (see warn_clear_secrets)
  };

  // load.cpp
  Status check_version(const format::DumpHeader& h);
  void unreadable(const Error& e);

  // load_read.cpp
  static std::size_t workers();
  Prepared prepare_raw(format::DumpReader& reader, format::RawRecord& raw);
  void prepare_entity(Prepared& p, std::uint32_t kind_idx, const Value& doc) const;
  Status accept(format::DumpReader& reader, Prepared& p);
  Status accept_entity(Prepared& p);
  Status add_entity(std::uint32_t kind_idx, const Value& doc, const Origin& origin, bool placeholder);
  std::uint32_t intern(std::uint32_t kind, const Key& key);
  std::optional<std::uint32_t> find_node(std::uint32_t kind, const Key& key) const;

  // load_stream.cpp
  Status start_streaming();
  Result<std::int64_t> stream_id(std::uint32_t node);
  Status stream_insert(std::uint32_t node, store::EntityRow& row);
  Status stream_flush(std::size_t k);
  Result<bool> finish_streaming();

  // load_plan.cpp
  Status resolve_identities();
  Status lookup_nodes(std::uint32_t k, const std::vector<std::uint32_t>& which);
  Status resolve_missing();
  Mark locate(const Origin& origin, const std::string& path);
  void fail(Incoming& in, Error e);
  void find_containment_cycles();
  void report_cycle(const std::vector<std::size_t>& loop);
  void propagate_failures();
  void decide_actions();
  Status skip_unchanged();
  static void align_redacted(const TypeDesc& t, const Value& in, Value& stored);
  void count();

  // load_apply.cpp
  Status read_row(const Incoming& in, SpooledRow& out) const;
  Result<Entity> read_spooled(const Incoming& in) const;
  Result<store::EntityRow> row_to_write(const Incoming& in, const store::RefResolver& resolve) const;
  Status keep_stored_secrets(std::uint32_t k, const Incoming& in, store::EntityRow& row);
  Status apply();

  store::Store* store_;
  const SchemaInfo& schema_;
  LoadOptions opts_;
  bool secrets_kept_ = false;  // the dump says it was written with --keep-secrets
  std::vector<store::TableDesc> tables_;
  std::unordered_map<std::string, std::uint32_t> kind_index_;
  std::vector<std::unordered_map<Key, std::uint32_t, KeyHash>> index_;  // per kind: key -> node
  std::vector<Node> nodes_;
  std::vector<Incoming> incoming_;
  Spool spool_;

  // Streaming (see start_streaming).
  struct IdPool {
    std::vector<std::int64_t> ids;
    std::size_t next = 0;
  };
  bool streaming_ = false;
  bool stream_tx_open_ = false;
  std::vector<IdPool> stream_ids_;
  std::vector<Batch> stream_batches_;
  std::unique_ptr<BatchWriter> writer_;
  struct StreamGuard {  // an early return stops the writer and rolls the streamed rows back
    Loader* l;
    ~StreamGuard() {
      if (l->writer_) (void)l->writer_->finish();
      if (l->stream_tx_open_) (void)l->store_->rollback();
    }
  } stream_guard_{this};

  LoadReport report_;
  int from_version_ = 0;  // non-zero: the dump is of this older version
};

}  // namespace metaport::engine::load_detail
