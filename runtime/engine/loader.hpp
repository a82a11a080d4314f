// The loader behind engine::load and engine::validate (load.hpp), private to
// the engine. One object per load; its steps live in one file each:
//   load.cpp          run(): the steps in order, the version check
//   load_read.cpp     reading: records decoded on every core, accepted in
//                     input order into the spool
//   load_spool.cpp    the spool's record format
//   load_stream.cpp   streaming: into an empty store, rows are written while
//                     the records are still being read
//   load_plan.cpp     the plan, built from the spool in a scratch database:
//                     identities, missing references, containment cycles,
//                     failures and what they drag along, create/update/skip
//   load_apply.cpp    apply: one write transaction from the spool
//
// Memory stays flat whatever the number of records (docs/memory.md): what
// is kept per record lives in the spool (a temporary file) and in the plan
// database (a temporary SQLite file), never in the heap; memory holds
// bounded batches and a bounded cache of recent keys.
#pragma once
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "metaport/totals.hpp"
#include "runtime/disk/scratch_db.hpp"
#include "runtime/engine/batch_writer.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/engine/spool.hpp"
#include "runtime/engine/spooled_row.hpp"
#include "runtime/engine/upgrade_records.hpp"
#include "runtime/store/row.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::engine::load_detail {

// No local id (0 is an id: an integer key may be 0, root's uid).
constexpr std::int64_t kNoId = std::numeric_limits<std::int64_t>::min();

enum class Action : std::uint8_t { create = 0, update = 1, skip = 2 };

// What a reference is, in the spool and in the plan.
enum RefFlag : std::uint8_t {
  kColumn = 1,  // a top-level reference (a foreign key column)
  kParent = 2,  // Parent<T>: containment
  kUser = 4,    // to the schema's user kind (--user rewrites it)
};

// One accepted entity record as the spool keeps it: everything the plan and
// the apply need, so that the plan can be built from the spool alone (after
// a streamed load fell back, or when nothing streamed).
struct SpoolRecord {
  std::uint32_t kind = 0;
  bool placeholder = false;
  // A record that did not decode (its errors are reported already), kept so
  // that what refers to it is told it "cannot be loaded" rather than that it
  // is missing: kind, key (as far as it could be read) and origin only.
  bool failed = false;
  Key key;
  Origin origin;
  struct Ref {
    std::uint32_t kind = 0;
    Key key;
    std::uint8_t flags = 0;
    FieldPath path;  // references to the user kind only (--user rewrites them)
  };
  std::vector<Ref> refs;
  std::vector<std::string> unknown_secrets;  // secrets that arrived redacted ("password", "details.x")
  std::string row;                           // append_spooled_row: the row, references still keys
};
// Appends `r` to `out`; `same_file`: r.origin.file is the input's name and
// is not written again (every record of a stream has it).
void write_spool_record(std::string& out, const SpoolRecord& r, bool same_file);
bool read_spool_record(std::string_view in, const std::string& input_name, SpoolRecord& out);

// A field path as JSON text and back (the plan keeps --user's paths).
std::string path_json(const FieldPath& path);
FieldPath path_from_json(std::string_view text);

inline std::string label(const KindInfo& k, const Key& key) { return k.name + " " + key.str(); }

// A readable name for a record that could not be decoded (no key yet).
inline std::string guess_key(const Value& doc) {
  for (const char* f : {"entity_id", "name", "email", "term", "path", "Name"})
    if (const Value* v = doc.find(f); v && v->is_string()) return v->as_string();
  if (const Value* a = doc.find("attr"); a && a->is_object())
    if (const Value* i = a->find("inode"); i && i->is_int()) return std::to_string(i->as_int());
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

// A bounded cache of (kind, key text) -> number, direct-mapped: recent keys
// (a question's table, a directory's inode) are found without a query.
class KeyCache {
 public:
  explicit KeyCache(std::size_t slots = 1 << 16) : slots_(slots) {}
  std::optional<std::int64_t> find(std::uint32_t kind, std::string_view key) const {
    const Slot& s = slots_[index(kind, key)];
    if (s.used && s.kind == kind && s.key == key) return s.value;
    return std::nullopt;
  }
  void put(std::uint32_t kind, std::string_view key, std::int64_t value) {
    Slot& s = slots_[index(kind, key)];
    s.used = true;
    s.kind = kind;
    s.key.assign(key);
    s.value = value;
  }
  void clear() {
    for (auto& s : slots_) s.used = false;
  }

 private:
  struct Slot {
    bool used = false;
    std::uint32_t kind = 0;
    std::string key;
    std::int64_t value = 0;
  };
  std::size_t index(std::uint32_t kind, std::string_view key) const {
    std::uint64_t h = 1469598103934665603ull ^ kind;
    for (unsigned char c : key) h = (h ^ c) * 1099511628211ull;
    return static_cast<std::size_t>(h % slots_.size());
  }
  std::vector<Slot> slots_;
};

class Loader {
 public:
  Loader(store::Store* store, const SchemaInfo& schema, const LoadOptions& opts);
  Result<LoadReport> run(format::DumpReader& reader);

 private:
  // What a worker makes of one record: everything that needs no shared state.
  struct Prepared {
    format::Parsed parsed = format::Parsed::failed;
    format::RawRecord raw;  // for skipped tree files
    std::string kind_name;  // as the record says
    std::int64_t kind = -1; // index into schema_.kinds, -1 when unknown
    Origin origin;
    std::string guess;      // a readable key for records that do not decode
    std::vector<Key> could_be;  // a record that does not decode: keys it may have had (its top-level values)
    Errors errors;          // reading or decoding problems
    SpoolRecord rec;        // the record to spool (kind, key, refs, row)
    store::EntityRow row;   // the row to write, references still keys
    std::optional<Entity> entity;        // kept for Totals (load --restore)
    std::vector<UpgradeRecord> extra;    // records an upgrade step emitted beside this one
    std::vector<Error> warnings;         // secrets in clear
  };

  // load.cpp
  Status check_version(const format::DumpHeader& h);
  void unreadable(const Error& e);
  void record_failure(const std::string& kind, const std::string& key, const Origin& origin, std::vector<Error> errors);

  // load_read.cpp
  static std::size_t workers();
  Prepared prepare_raw(format::DumpReader& reader, format::RawRecord& raw);
  void prepare_entity(Prepared& p, std::uint32_t kind_idx, const Value& doc) const;
  Status accept(format::DumpReader& reader, Prepared& p);
  Status accept_entity(Prepared& p);
  Status add_entity(std::uint32_t kind_idx, const Value& doc, const Origin& origin, bool placeholder);
  Status spool(const SpoolRecord& rec);
  Status add_totals();

  // load_stream.cpp
  Status start_streaming();
  Status stream(Prepared& p);
  Result<std::int64_t> stream_ref_id(std::uint32_t kind, const Key& key, bool parent);
  Result<std::int64_t> stream_new_id(std::uint32_t kind);
  Status stream_flush(std::size_t k);
  void stop_streaming();
  Result<bool> finish_streaming();

  // load_plan.cpp
  Status open_plan();
  Status build_plan(std::uint64_t from);  // plans the spool's records from offset `from`
  std::uint64_t planned_to_ = 0;          // the spool offset planned so far
  std::int64_t plan_records_ = 0;         // records in the plan
  Status plan_record(std::int64_t r, std::uint64_t off, std::uint32_t len, const SpoolRecord& rec);
  Result<std::int64_t> intern(std::uint32_t kind, const Key& key);
  Status resolve_identities(bool only_new);
  Status lookup_kind(std::uint32_t k, bool only_new);
  Status resolve_missing();
  Mark locate(const Origin& origin, const std::string& path);
  Status fail(std::int64_t r, Error e);
  Status fail(std::int64_t r, const SpoolRecord& rec, Error e);
  Status find_containment_cycles();
  Status propagate_failures();
  Status decide_actions();
  Status skip_unchanged();
  static void align_redacted(const TypeDesc& t, const Value& in, Value& stored);
  Status count();

  // load.cpp: the plan's steps and the write transaction; run() calls it
  // again when the transaction lost to a conflicting commit, up to
  // kConflictAttempts attempts in all (a streamed attempt counts).
  Status plan_and_apply();
  static constexpr int kConflictAttempts = 4;

  // load_apply.cpp
  Status read_record(std::uint64_t off, std::uint32_t len, SpoolRecord& out) const;
  Result<Entity> read_spooled(const SpoolRecord& rec) const;
  Result<std::int64_t> applied_id(std::uint32_t kind, const Key& key);
  Status keep_stored_secrets(std::uint32_t k, std::int64_t id, const Key& key, store::EntityRow& row);
  Status assign_ids();
  Status apply();

  std::string key_text(std::uint32_t kind, const Key& key) const {
    return store::key_text(key, tables_[kind].key_single);
  }

  store::Store* store_;
  const SchemaInfo& schema_;
  LoadOptions opts_;
  bool secrets_kept_ = false;  // the dump says it was written with --keep-secrets
  std::atomic<std::size_t> sealed_{0};  // sealed secrets read (opened, or unknown without a key)
  std::vector<store::TableDesc> tables_;
  std::unordered_map<std::string, std::uint32_t> kind_index_;
  // Kinds whose ids a streamed load needs by key: referenced from inside
  // documents, or by a key that is not their id (an integer-keyed kind that
  // only foreign-key columns refer to needs none: the store checks those).
  std::vector<bool> referenced_;
  std::vector<bool> nests_;          // kinds that can contain themselves, directly or not (containment cycles)
  std::string input_name_;           // the stream's name: records that come from it do not repeat it
  Spool spool_;
  std::int64_t records_ = 0;         // spooled records
  std::unique_ptr<metaport::Totals> totals_;  // load --restore
  std::vector<bool> totals_kind_;

  // The plan database (load_plan.cpp), opened for a planned load.
  std::unique_ptr<disk::ScratchDb> plan_;
  KeyCache nodes_cache_;  // (kind, key text) -> node number
  KeyCache ids_cache_;    // (kind, key text) -> local id, while applying

  // Streaming (load_stream.cpp).
  struct IdPool {
    std::vector<std::int64_t> ids;
    std::size_t next = 0;
  };
  bool streaming_ = false;
  bool store_empty_ = false;  // the store was empty when the load began (streaming found it so)
  bool stream_tx_open_ = false;
  std::unique_ptr<disk::ScratchDb> stream_ids_db_;  // ids of referenced kinds, by key
  KeyCache stream_cache_{1 << 15};
  std::vector<IdPool> stream_ids_;
  std::vector<Batch> stream_batches_;
  std::vector<std::size_t> stream_created_;
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
