#include "runtime/engine/load.hpp"

#include "runtime/engine/loader.hpp"
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
  if (auto s = start_streaming(); !s) return s.errors();

  // ---- plan --------------------------------------------------------------------------------
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
  if (auto s = spool_.flush(); !s) return s.errors();
  if (auto s = resolve_identities(); !s) return s.errors();
  if (auto s = resolve_missing(); !s) return s.errors();
  find_containment_cycles();
  propagate_failures();
  decide_actions();
  if (opts_.mode == Mode::update && store_)
    if (auto s = skip_unchanged(); !s) return s.errors();
  count();
  if (streaming_) {
    auto done = finish_streaming();
    if (!done) return done.errors();
    if (*done) return std::move(report_);
  }

  const bool any_failure = report_.failed() > 0;
  if (opts_.plan_only || !store_) return std::move(report_);
  if (any_failure && opts_.on_error == OnError::abort) {
    // Nothing is written: the report must not claim otherwise.
    for (auto& [k, c] : report_.kinds) c.created = c.updated = c.skipped = 0;
    report_.stubs.clear();
    report_.placeholders.clear();
    report_.secrets_unknown.clear();
    report_.remapped = 0;
    return std::move(report_);
  }

  // ---- apply -------------------------------------------------------------------------------
  if (auto s = apply(); !s) return s.errors();
  return std::move(report_);
}

Status Loader::check_version(const format::DumpHeader& h) {
  secrets_kept_ = h.secrets_kept;
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
  f.origin = Origin{e.file, e.mark};
  f.errors.push_back(e);
  report_.failures.push_back(std::move(f));
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
