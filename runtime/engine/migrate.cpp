#include "runtime/engine/migrate.hpp"

#include <sys/stat.h>

#include <ctime>
#include <unordered_map>

#include "metaport/schema_lock.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/engine/present.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/store/key_map.hpp"
#include "runtime/store/row.hpp"

namespace metaport::engine {

namespace {

std::string default_backup_path(const store::Store& st, const SchemaInfo& schema, int version) {
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", std::gmtime(&now));
  // Beside a store file; in the working directory for a server's store.
  const std::string base = st.url().path.empty() ? schema.name : st.url().path;
  return base + ".v" + std::to_string(version) + "-backup-" + stamp + ".jsonl";
}

// Every row of every kind (store-only kinds included: users must survive),
// as documents of the old version, secrets in clear.
Status write_backup(store::Store& st, const SchemaInfo& old, const std::string& path, format::Counts& counts) {
  // The backup holds the secrets in clear: mode 0600.
  struct Umask {
    mode_t saved = ::umask(077);
    ~Umask() { ::umask(saved); }
  } owner_only;
  auto tables = store::tables_for(old);
  if (!tables) return tables.errors();
  auto w = format::make_stream_writer(format::Format::jsonl, path);
  if (!w) return w.errors();
  format::DumpHeader h;
  h.schema = old.name;
  h.version = old.version;
  h.secrets_kept = true;  // a backup holds the store's secrets in clear
  if (auto s = (*w)->begin(h); !s) return s;
  store::KeyMap keys;
  for (const auto& k : old.kinds)
    if (auto s = keys.load(st, k->name); !s) return s;
  const store::KeyLookup lookup = keys.lookup();
  for (std::size_t i = 0; i < old.kinds.size(); ++i) {
    const KindInfo& kind = *old.kinds[i];
    auto s = st.scan(kind.name, [&](std::int64_t, store::Row& row) -> Status {
      auto e = store::entity_value_from_row((*tables)[i], row, lookup);
      if (!e) return e.errors();
      e->kind = &kind;
      ++counts[kind.name];
      return (*w)->write(*e, present(*e, /*keep_secrets=*/true));
    });
    if (!s) return s;
  }
  return (*w)->finish(counts);
}

}  // namespace

Result<MigrateReport> migrate(store::Store& st, const SchemaInfo& schema, const std::string& backup_path, bool dry_run,
                              bool progress) {
  MigrateReport rep;
  rep.to = schema.version;
  auto stored = st.stored_schema();
  if (!stored) return stored.errors();
  if (!*stored)
    return make_error(st.display_url() + " has no metaport schema: create it with `metaport " + schema.name + " init STORE`");
  const store::StoredSchema& s = **stored;
  rep.from = s.version;
  if (s.name != schema.name) return make_error(st.display_url() + " holds schema '" + s.name + "', not '" + schema.name + "'");
  if (s.version > schema.version)
    return make_error(st.display_url() + " is at " + schema.name + " version " + std::to_string(s.version) +
                      ", newer than this metaport's version " + std::to_string(schema.version) + ": refusing to touch it");
  if (s.version == schema.version) {
    if (auto c = st.check_schema(schema); !c) return c.errors();
    rep.nothing_to_do = true;
    return rep;
  }
  if (s.version < schema.oldest_version)
    return make_error(st.display_url() + " is at " + schema.name + " version " + std::to_string(s.version) +
                      "; the oldest version this metaport upgrades is " + std::to_string(schema.oldest_version));
  auto old = schema_lock::schema_at_version(schema, s.version);
  if (!old) return old.errors();
  // The old layout must be exactly what the store holds (the fingerprint).
  if (auto c = st.check_schema(*old); !c) return c.errors();

  if (auto b = st.begin_write(); !b) return b.errors();  // no writer slips in between backup and migration
  struct Rollback {
    store::Store& s;
    bool armed = true;
    ~Rollback() { if (armed) (void)s.rollback(); }
  } guard{st};
  rep.backup = backup_path.empty() ? default_backup_path(st, schema, s.version) : backup_path;
  format::Counts counts;
  if (auto b = write_backup(st, *old, rep.backup, counts); !b) {
    Errors e;
    for (auto x : b.errors().list()) { x.message = "writing the backup " + rep.backup + ": " + x.message; e.add(x); }
    return e;
  }
  if (auto r = st.replace_schema(schema); !r) return r.errors();
  auto reader = format::open_dump(rep.backup, schema);
  if (!reader) return reader.errors();
  LoadOptions lo;
  lo.in_transaction = true;
  lo.progress = progress;
  auto loaded = load(st, schema, **reader, lo);
  if (!loaded) return loaded.errors();
  rep.load = std::move(*loaded);
  if (rep.load.failed() > 0) return rep;  // the guard rolls back; the report says why
  if (dry_run) return rep;
  if (auto c = st.commit(); !c) return c.errors();
  guard.armed = false;
  rep.committed = true;
  rep.load.committed = true;
  return rep;
}

}  // namespace metaport::engine
