#include "runtime/engine/load.hpp"

#include <chrono>
#include <functional>
#include <thread>

#include "runtime/engine/loader.hpp"
#include "runtime/engine/sealed_secrets.hpp"
#include "runtime/engine/ordered_pool.hpp"
#include "runtime/engine/progress.hpp"

namespace metaport::engine {

Status version_supported(const SchemaInfo& schema, const format::DumpHeader& h) {
  if (h.schema != schema.name) return make_error("this dump is of schema '" + h.schema + "', not '" + schema.name + "'");
  if (h.version > schema.version)
    return make_error("this dump is " + schema.name + " version " + std::to_string(h.version) + ", newer than this metaport's " +
                      schema.name + " version " + std::to_string(schema.version) + ": refusing to load it (upgrade metaport first)");
  if (h.version < schema.oldest_version)
    return make_error("this dump is " + schema.name + " version " + std::to_string(h.version) + "; the oldest version this metaport upgrades is " +
                      std::to_string(schema.oldest_version));
  return ok_status();
}

namespace load_detail {
namespace {

// Every kind a Ref or Parent anywhere in `t` targets, with whether it is the
// top-level member itself (a foreign-key column).
void ref_targets(const TypeDesc& t, bool top, const std::function<void(const std::string&, bool top, bool parent)>& f) {
  switch (t.tag) {
    case TypeDesc::Tag::Ref: f(t.ref_kind, top, t.parent); break;
    case TypeDesc::Tag::Struct:
      for (const auto& m : t.fields) ref_targets(m.type, false, f);
      break;
    case TypeDesc::Tag::List: case TypeDesc::Tag::Map:
      if (t.elem) ref_targets(*t.elem, false, f);
      break;
    default: break;
  }
}

}  // namespace

Loader::Loader(store::Store* store, const SchemaInfo& schema, const LoadOptions& opts)
    : store_(store), schema_(schema), opts_(opts) {
  const std::size_t n = schema.kinds.size();
  for (std::size_t i = 0; i < n; ++i) kind_index_[schema.kinds[i]->name] = static_cast<std::uint32_t>(i);
  // Which kinds a streamed load must know by key, and which can contain
  // themselves (through Parent members, directly or through other kinds).
  referenced_.assign(n, false);
  nests_.assign(n, false);
  std::vector<std::vector<bool>> contains(n, std::vector<bool>(n, false));  // contains[a][b]: a b is in an a
  for (std::size_t k = 0; k < n; ++k)
    for (const auto& f : schema.kinds[k]->fields)
      ref_targets(f.type, true, [&](const std::string& target, bool top, bool parent) {
        auto it = kind_index_.find(target);
        if (it == kind_index_.end()) return;
        const std::uint32_t t = it->second;
        if (!top || !schema.kinds[t]->key_is_id()) referenced_[t] = true;
        if (parent) contains[t][k] = true;
      });
  if (schema.document_refs) referenced_.assign(n, true);  // a walker may name any kind
  for (std::size_t m = 0; m < n; ++m)  // the transitive closure (a handful of kinds)
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b)
        if (contains[a][m] && contains[m][b]) contains[a][b] = true;
  for (std::size_t k = 0; k < n; ++k) nests_[k] = contains[k][k];
}

Result<LoadReport> Loader::run(format::DumpReader& reader) {
  report_.dry_run = opts_.dry_run;
  if (auto s = check_version(reader.header()); !s) return s.errors();
  if (store_)
    if (auto s = store_->check_schema(schema_); !s) return s.errors();
  if (opts_.restore && store_) {
    auto empty = store_->is_empty();
    if (!empty) return empty.errors();
    if (!*empty) return make_error("--restore loads only into an empty store, and this one already holds entities");
  }
  auto tables = store::tables_for(schema_);
  if (!tables) return tables.errors();
  tables_ = std::move(*tables);
  if (!spool_.ok()) return make_error("cannot create a temporary file for the load (is TMPDIR writable?)");
  if (opts_.restore && schema_.make_totals) {
    totals_ = schema_.make_totals();
    totals_kind_.assign(schema_.kinds.size(), false);
    for (const auto& k : totals_->kinds())
      if (auto it = kind_index_.find(k); it != kind_index_.end()) totals_kind_[it->second] = true;
  }
  if (auto s = start_streaming(); !s) return s.errors();

  // ---- read ---------------------------------------------------------------------------------
  // Streaming writes while it reads: the line says so.
  Progress progress(opts_.progress, streaming_ ? "loading" : "reading", reader.expected());
  {
    // Parse and decode on every core; accept in input order.
    OrderedPool<format::RawRecord, Prepared> pool(
        workers(), [&](format::RawRecord& raw) { return prepare_raw(reader, raw); });
    format::RawRecord raw;
    Prepared p;
    for (;;) {
      Errors read_errors;
      bool more = reader.next_raw(raw, read_errors);
      for (const auto& e : read_errors.list()) unreadable(e);
      if (!more) break;
      if (pool.full()) {
        pool.pop(p);
        if (auto s = accept(reader, p); !s) return s.errors();
        progress.tick();
      }
      pool.push(std::move(raw));
      raw = format::RawRecord{};
    }
    while (pool.pop(p)) {
      if (auto s = accept(reader, p); !s) return s.errors();
      progress.tick();
    }
  }
  progress.done();
  if (auto s = reader.finish(); !s) {
    for (const auto& e : s.errors().list()) unreadable(e);
  }
  report_.ignored_files = reader.ignored();
  if (sealed_ && !opts_.secrets_key)
    report_.notes.push_back(std::to_string(sealed_.load()) +
                            " sealed secrets read without --secrets-key: the store keeps the values it has for them");
  if (auto s = add_totals(); !s) return s.errors();
  if (auto s = spool_.flush(); !s) return s.errors();
  if (streaming_) {
    auto done = finish_streaming();
    if (!done) return done.errors();
    if (*done) return std::move(report_);
  }

  // ---- plan and apply --------------------------------------------------------------------
  // A write transaction that lost to another writer's conflicting commit
  // (Store::conflicted: a Galera certification failure, a deadlock victim)
  // was rolled back whole; it is planned and applied again from the spool,
  // against the store as it is now, a few times.
  int retries = store_ && store_->conflicted() ? 1 : 0;  // the streamed attempt lost one
  const LoadReport before_plan = report_;
  for (;;) {
    auto s = plan_and_apply();
    if (s) break;
    if (!store_ || !store_->conflicted() || opts_.in_transaction) return s.errors();
    if (retries + 1 >= kConflictAttempts) {
      Errors e = s.errors();
      e.add(Error{"gave up after " + std::to_string(retries + 1) +
                  " attempts: each time another writer's conflicting commit came first and this load's transaction "
                  "was rolled back whole (nothing of it was written); load again when the other writes are done"});
      return e;
    }
    ++retries;
    // The placeholders the failed attempt added are records in the spool now:
    // the next plan creates them as records, the report still names them.
    auto placeholders = std::move(report_.placeholders);
    auto stubs = std::move(report_.stubs);
    report_ = before_plan;
    report_.placeholders = std::move(placeholders);
    report_.stubs = std::move(stubs);
    store_empty_ = false;  // the winner wrote
    plan_.reset();
    plan_records_ = 0;
    planned_to_ = 0;
    nodes_cache_.clear();
    ids_cache_.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(50 * retries));  // let the winner's commit settle
  }
  if (retries)
    report_.notes.push_back("another writer's conflicting commit came first " + std::to_string(retries) +
                            (retries == 1 ? " time" : " times") + ": planned and written again");
  return std::move(report_);
}

Status Loader::plan_and_apply() {
  if (auto s = build_plan(0); !s) return s;
  if (auto s = resolve_identities(false); !s) return s;
  if (auto s = resolve_missing(); !s) return s;
  if (auto s = find_containment_cycles(); !s) return s;
  if (auto s = propagate_failures(); !s) return s;
  if (auto s = decide_actions(); !s) return s;
  if (opts_.mode == Mode::update && store_)
    if (auto s = skip_unchanged(); !s) return s;
  if (auto s = count(); !s) return s;

  const bool any_failure = report_.failed() > 0;
  if (opts_.plan_only || !store_) return ok_status();
  if (any_failure && opts_.on_error == OnError::abort) {
    // Nothing is written: the report must not claim otherwise.
    for (auto& [k, c] : report_.kinds) c.created = c.updated = c.skipped = 0;
    report_.stubs.clear();
    report_.placeholders.clear();
    report_.secrets_unknown.clear();
    report_.remapped = 0;
    return ok_status();
  }
  return apply();
}

Status Loader::check_version(const format::DumpHeader& h) {
  secrets_kept_ = h.secrets_kept;
  if (!h.secrets_key.empty() && opts_.secrets_key && opts_.secrets_key->id() != h.secrets_key)
    return make_error("this dump's secrets are sealed with key " + h.secrets_key + ", and --secrets-key gives key " +
                      opts_.secrets_key->id() + ": wrong key (nothing was loaded)");
  if (auto s = version_supported(schema_, h); !s) return s;
  if (h.version < schema_.version) {
    from_version_ = h.version;
    report_.notes.push_back("upgraded from " + schema_.name + " version " + std::to_string(h.version) + " to " +
                            std::to_string(schema_.version) + " while loading");
  }
  return ok_status();
}

void Loader::unreadable(const Error& e) {
  Failure f;
  f.origin = Origin{e.file, e.mark, {}};
  f.errors.push_back(e);
  report_.add_failure(std::move(f), false);
}

// A record that failed before the plan (it does not decode, its kind is
// unknown, it is a duplicate): listed, and with a known kind counted there
// (the caller counts it).
void Loader::record_failure(const std::string& kind, const std::string& key, const Origin& origin, std::vector<Error> errors) {
  Failure f;
  f.kind = kind;
  f.key = key;
  f.origin = origin;
  f.errors = std::move(errors);
  const bool known = kind_index_.count(kind) > 0;
  report_.add_failure(std::move(f), known);
}

}  // namespace load_detail

Result<LoadReport> load(store::Store& store, const SchemaInfo& schema, format::DumpReader& reader,
                        const LoadOptions& opts) {
  load_detail::Loader l(&store, schema, opts);
  return l.run(reader);
}

Result<LoadReport> validate(store::Store* against, const SchemaInfo& schema, format::DumpReader& reader,
                            const LoadOptions& opts) {
  LoadOptions o = opts;
  o.plan_only = true;
  load_detail::Loader l(against, schema, o);
  return l.run(reader);
}

}  // namespace metaport::engine
