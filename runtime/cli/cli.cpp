#include "runtime/cli/cli.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "metaport/json_schema.hpp"
#include "metaport/schema_lock.hpp"
#include "metaport/format/json.hpp"
#include "runtime/engine/copy.hpp"
#include "runtime/engine/diff.hpp"
#include "runtime/engine/sealed_secrets.hpp"
#include "runtime/engine/dump.hpp"
#include "runtime/engine/migrate.hpp"
#include "runtime/engine/upgrade.hpp"
#include "runtime/engine/progress.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/store/backend.hpp"
#include "runtime/store/ddl.hpp"
#include "runtime/sync/sync.hpp"
#include "runtime/sync/sync_cli.hpp"

namespace fs = std::filesystem;

namespace metaport::cli {
namespace {

void print_errors(const Errors& errors, std::string_view prefix = "error: ") {
  for (const auto& e : errors.list()) std::fprintf(stderr, "%.*s%s\n", static_cast<int>(prefix.size()), prefix.data(), e.to_string().c_str());
  if (errors.dropped()) std::fprintf(stderr, "... and %zu more problems\n", errors.dropped());
}

// The exit status for a dump that could not be opened: a path that does not
// exist or cannot be read is a usage error (2); bytes that can be read but
// are not a dump this metaport reads (a stream without its header, a bad
// metaport.yaml, a newer format) are a data problem (1).
int open_failure_status(const std::string& path) {
  if (path == "-") return kDataProblem;
  return ::access(path.c_str(), R_OK) == 0 ? kDataProblem : kUsage;
}

bool want_progress(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  return engine::Progress::stderr_is_terminal();
}

Result<std::unique_ptr<store::Store>> open(const std::string& url, bool create = false) {
  store::OpenOptions o;
  o.create = create;
  return store::open_store(url, o);
}

// dump OUT: a folder => tree; *.yaml / *.yml => yaml; *.jsonl => jsonl (optionally .zst);
// "-" or nothing => stdout (jsonl unless --format says otherwise).
Result<format::Format> output_format(const std::string& out, const std::string& flag) {
  if (!flag.empty()) {
    auto f = format::parse_format(flag);
    if (!f) return make_error("--format " + flag + ": expected tree, yaml or jsonl");
    if (*f == format::Format::tree && out == "-") return make_error("--format tree needs a folder as OUT, not stdout");
    return *f;
  }
  if (out == "-") return format::Format::jsonl;
  std::string base = out;
  if (base.ends_with(".zst")) base.resize(base.size() - 4);
  if (base.ends_with(".jsonl") || base.ends_with(".ndjson")) return format::Format::jsonl;
  if (base.ends_with(".yaml") || base.ends_with(".yml")) return format::Format::yaml;
  std::error_code ec;
  if (fs::exists(out, ec) && !fs::is_directory(out, ec))
    return make_error(out + " exists and is a file of unknown format (use .yaml, .jsonl or a folder)");
  return format::Format::tree;
}

int cmd_init(const SchemaInfo& schema, const std::string& url) {
  auto st = open(url, true);
  if (!st) { print_errors(st.errors()); return kUsage; }
  if (auto s = (*st)->create_schema(schema); !s) { print_errors(s.errors()); return kDataProblem; }
  std::fprintf(stderr, "%s: %s schema version %d is ready (%zu kinds)\n", (*st)->display_url().c_str(), schema.name.c_str(),
               schema.version, schema.kinds.size());
  return kOk;
}

int print_load_report(const engine::LoadReport& r, const std::string& report_mode, FILE* out) {
  if (report_mode == "json") {
    std::string s = json::write(r.json());
    std::fprintf(out, "%s\n", s.c_str());
  } else {
    std::fprintf(out, "%s", r.text().c_str());
  }
  return r.failed() > 0 ? kDataProblem : kOk;
}

int cmd_seed(const SchemaInfo& schema, const SchemaExtras& extras, const std::string& url, std::size_t size,
             const std::string& progress) {
  if (!extras.seed) { std::fprintf(stderr, "error: schema %s has no sample data\n", schema.name.c_str()); return kUsage; }
  auto st = open(url, true);
  if (!st) { print_errors(st.errors()); return kUsage; }
  auto& store = **st;
  auto stored = store.stored_schema();
  if (!stored) { print_errors(stored.errors()); return kDataProblem; }
  if (!*stored)
    if (auto s = store.create_schema(schema); !s) { print_errors(s.errors()); return kDataProblem; }
  // The sample goes through a jsonl dump in a temp file and the normal load:
  // seeded content is validated like any other.
  char tmpl[] = "/tmp/metaport-seed-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) { std::perror("mkstemp"); return kUsage; }
  ::close(fd);
  std::string tmp = std::string(tmpl) + ".jsonl";
  ::unlink(tmpl);
  struct Cleanup { std::string p; ~Cleanup() { ::unlink(p.c_str()); } } cleanup{tmp};
  {
    auto w = format::make_stream_writer(format::Format::jsonl, tmp);
    if (!w) { print_errors(w.errors()); return kUsage; }
    format::DumpHeader h;
    h.schema = schema.name;
    h.version = schema.version;
    if (auto s = (*w)->begin(h); !s) { print_errors(s.errors()); return kUsage; }
    format::Counts counts;
    KindInfo fake;
    Entity e;
    auto s = extras.seed(size, [&](const std::string& kind, Value doc) -> Status {
      const KindInfo* k = schema.find(kind);
      if (!k) return make_error("seed produced an unknown kind " + kind);
      e.kind = k;
      ++counts[kind];
      return (*w)->write(e, doc);
    });
    if (!s) { print_errors(s.errors()); return kDataProblem; }
    if (auto f = (*w)->finish(counts); !f) { print_errors(f.errors()); return kUsage; }
  }
  auto reader = format::open_dump(tmp, schema);
  if (!reader) { print_errors(reader.errors()); return kUsage; }
  engine::LoadOptions lo;
  lo.progress = want_progress(progress);
  auto r = engine::load(store, schema, **reader, lo);
  if (!r) { print_errors(r.errors()); return kDataProblem; }
  if (r->failed()) return print_load_report(*r, "text", stderr);
  std::size_t created = 0, skipped = 0;
  for (const auto& [k, c] : r->kinds) { created += c.created; skipped += c.skipped; }
  std::fprintf(stderr, "%s: seeded %zu entities (%zu already there)\n", store.display_url().c_str(), created, skipped);
  return kOk;
}

// The tree layout a dump or upgrade writes (--layout NAME), checked
// against the schema's layouts; only for tree output.
Result<std::unique_ptr<Layout>> output_layout(const SchemaInfo& schema, const std::string& name, std::string_view written) {
  if (name.empty()) return schema.layout();
  if (written != format::format_name(format::Format::tree))
    return make_error("--layout " + name + " is for tree dumps (a folder), not " + std::string(written));
  auto l = schema.layout(name);
  if (!l) {
    std::string names;
    for (const auto& n : schema.layout_names()) names += (names.empty() ? "" : ", ") + n;
    return make_error("--layout " + name + ": schema " + schema.name + " has the tree layouts " + names);
  }
  return l;
}

// A schema format named by --format, or whose extension OUT has.
const format::ExtraFormat* extra_format(const SchemaExtras& extras, const std::string& out, const std::string& flag) {
  for (const auto& f : extras.formats) {
    if (!flag.empty()) {
      if (flag == f.name) return &f;
      continue;
    }
    for (const auto& ext : f.extensions)
      if (out.size() > ext.size() && out.ends_with(ext)) return &f;
  }
  return nullptr;
}

// --secrets-key FILE, else METAPORT_SECRETS_KEY, else none.
Result<std::optional<engine::SecretsKey>> secrets_key(const std::string& file) {
  if (!file.empty()) {
    auto k = engine::SecretsKey::from_file(file);
    if (!k) return k.errors();
    return std::optional<engine::SecretsKey>(std::move(*k));
  }
  return engine::SecretsKey::from_environment();
}

struct DumpArgs {
  std::string store, out = "-", format, progress = "auto", subdir, layout;
  std::vector<std::string> only, collections;
  std::string secrets_key;
  bool no_closure = false, keep_secrets = false;
};

int cmd_dump(const SchemaInfo& schema, const SchemaExtras& extras, const DumpArgs& a) {
  const format::ExtraFormat* ef = extra_format(extras, a.out, a.format);
  auto f = ef ? Result<format::Format>(format::Format::jsonl) : output_format(a.out, a.format);
  if (!f) { print_errors(f.errors()); return kUsage; }
  auto layout = output_layout(schema, a.layout, ef ? std::string_view(ef->name) : format::format_name(*f));
  if (!layout) { print_errors(layout.errors()); return kUsage; }
  auto key = secrets_key(a.secrets_key);
  if (!key) { print_errors(key.errors()); return kUsage; }
  // Secrets in clear: every file and folder of the dump is the owner's alone.
  if (a.keep_secrets && !*key) ::umask(077);
  auto st = open(a.store);
  if (!st) { print_errors(st.errors()); return kUsage; }
  Result<std::unique_ptr<format::DumpWriter>> w =
      ef ? ef->make_writer(a.out)
      : *f == format::Format::tree ? format::make_tree_writer(a.out, std::move(*layout)) : format::make_stream_writer(*f, a.out);
  if (!w) { print_errors(w.errors()); return kUsage; }
  engine::DumpOptions o;
  o.only = a.only;
  o.roots = a.collections;
  o.no_closure = a.no_closure;
  o.keep_secrets = a.keep_secrets;
  if (*key) o.seal = &**key;
  o.progress = want_progress(a.progress);
  if (!a.subdir.empty()) {
    if (!extras.subtree_root) {
      std::fprintf(stderr, "error: --subdir: schema %s has no subdirectories\n", schema.name.c_str());
      return kUsage;
    }
    o.subtree_kind = extras.subtree_kind;
    o.subtree_root = [&](store::Store& s) { return extras.subtree_root(s, a.subdir); };
  }
  auto r = engine::dump(**st, schema, **w, o);
  if (!r) { print_errors(r.errors()); return kDataProblem; }
  for (const auto& p : r->pulled_in) std::fprintf(stderr, "pulled in from outside the selected collections: %s\n", p.c_str());
  std::size_t total = 0;
  for (const auto& [k, n] : r->counts) total += n;
  if (a.out != "-")
    std::fprintf(stderr, "dumped %zu entities to %s (%s%s)\n", total, a.out.c_str(),
                 ef ? ef->name.c_str() : std::string(format::format_name(*f)).c_str(),
                 a.layout.empty() ? "" : (", layout " + a.layout).c_str());
  return kOk;
}

struct LoadArgs {
  std::string store, in = "-", mode = "skip", on_error = "abort", report = "text", progress = "auto", user, layout,
      secrets_key;
  bool restore = false, dry_run = false, keep_unknown = false, stub_missing = false;
};

Result<engine::LoadOptions> load_options(const LoadArgs& a) {
  engine::LoadOptions o;
  if (a.mode == "skip") o.mode = engine::Mode::skip;
  else if (a.mode == "update") o.mode = engine::Mode::update;
  else return make_error("--mode " + a.mode + ": expected skip or update");
  if (a.on_error == "abort") o.on_error = engine::OnError::abort;
  else if (a.on_error == "continue") o.on_error = engine::OnError::continue_;
  else return make_error("--on-error " + a.on_error + ": expected abort or continue");
  if (a.report != "text" && a.report != "json") return make_error("--report " + a.report + ": expected text or json");
  o.restore = a.restore;
  o.dry_run = a.dry_run;
  o.keep_unknown = a.keep_unknown;
  o.stub_missing = a.stub_missing;
  if (!a.user.empty()) o.user = a.user;
  o.progress = want_progress(a.progress);
  return o;
}

format::OpenOptions open_options(const SchemaExtras& extras, const LoadArgs& a) {
  format::OpenOptions o;
  o.layout = a.layout;
  o.keep_unknown = a.keep_unknown;
  o.extra = extras.formats;
  return o;
}

int cmd_load(const SchemaInfo& schema, const SchemaExtras& extras, const LoadArgs& a) {
  auto o = load_options(a);
  if (!o) { print_errors(o.errors()); return kUsage; }
  auto key = secrets_key(a.secrets_key);
  if (!key) { print_errors(key.errors()); return kUsage; }
  if (*key) o->secrets_key = &**key;
  auto st = open(a.store);
  if (!st) { print_errors(st.errors()); return kUsage; }
  auto reader = format::open_dump(a.in, schema, open_options(extras, a));
  if (!reader) { print_errors(reader.errors()); return open_failure_status(a.in); }
  auto r = engine::load(**st, schema, **reader, *o);
  if (!r) { print_errors(r.errors()); return kDataProblem; }
  return print_load_report(*r, a.report, stdout);
}

// copy SRC DST: SRC's content into DST through the load (its flags), then
// verified; DST without metaport tables gets them first.
int cmd_copy(const SchemaInfo& schema, const std::string& src_url, const LoadArgs& a) {
  auto o = load_options(a);
  if (!o) { print_errors(o.errors()); return kUsage; }
  auto src = open(src_url);
  if (!src) { print_errors(src.errors()); return kUsage; }
  auto dst = open(a.store, /*create=*/!a.dry_run);
  if (!dst) { print_errors(dst.errors()); return kUsage; }
  if ((*src)->display_url() == (*dst)->display_url()) {
    std::fprintf(stderr, "error: SRC and DST are the same store (%s)\n", (*src)->display_url().c_str());
    return kUsage;
  }
  auto r = engine::copy(**src, **dst, schema, *o);
  if (!r) { print_errors(r.errors()); return kDataProblem; }
  if (a.report == "json") std::printf("%s\n", json::write(r->json()).c_str());
  else std::fputs(r->text().c_str(), stdout);
  if (r->load.failed() > 0) return kDataProblem;
  return r->verify && !r->holds_source() ? kDataProblem : kOk;
}

bool looks_like_store_url(const std::string& s);

int cmd_validate(const SchemaInfo& schema, const SchemaExtras& extras, const std::string& in, const std::string& against,
                 const LoadArgs& a) {
  if (looks_like_store_url(in)) {
    // A store's content was checked as it was written; validate reads files.
    std::fprintf(stderr,
                 "error: validate checks a dump (a folder, FILE.yaml, FILE.jsonl, - for stdin), not a store: "
                 "%s is a store URL. To check a dump against what a store holds: validate DUMP --against %s\n",
                 in.c_str(), in.c_str());
    return kUsage;
  }
  auto o = load_options(a);
  if (!o) { print_errors(o.errors()); return kUsage; }
  auto key = secrets_key(a.secrets_key);
  if (!key) { print_errors(key.errors()); return kUsage; }
  if (*key) o->secrets_key = &**key;
  std::unique_ptr<store::Store> store;
  if (!against.empty()) {
    auto st = open(against);
    if (!st) { print_errors(st.errors()); return kUsage; }
    store = std::move(*st);
  }
  auto reader = format::open_dump(in, schema, open_options(extras, a));
  if (!reader) { print_errors(reader.errors()); return open_failure_status(in); }
  auto r = engine::validate(store.get(), schema, **reader, *o);
  if (!r) { print_errors(r.errors()); return kDataProblem; }
  if (a.report == "json") return print_load_report(*r, "json", stdout);
  // Warnings do not make the dump invalid, but every one is shown.
  for (const auto& w : r->warnings) std::printf("warning: %s\n", w.to_string().c_str());
  if (r->failed() == 0) {
    std::printf("%s: %zu records, no problems%s\n", in.c_str(), r->records,
                r->warnings.empty() ? ""
                : (" (" + std::to_string(r->warnings.size()) + (r->warnings.size() == 1 ? " warning)" : " warnings)")).c_str());
    return kOk;
  }
  std::size_t problems = 0;
  for (const auto& f : r->failures) {
    for (const auto& e : f.errors) {
      std::string who = f.kind.empty() ? "" : f.kind + " " + f.key + ": ";
      std::printf("%s%s\n", who.c_str(), e.to_string().c_str());
      ++problems;
    }
  }
  std::printf("%zu problems in %zu entities\n", problems, r->failed());
  return kDataProblem;
}

bool looks_like_store_url(const std::string& s) {
  const auto sep = s.find("://");
  return sep != std::string::npos && store::find_backend(std::string_view(s).substr(0, sep)) != nullptr;
}

// A dump to read: a dump path as is, or a store dumped to a temporary jsonl
// file first (secrets redacted: a diff must not print them).
struct Source {
  std::string tmp;
  std::unique_ptr<format::DumpReader> reader;
  ~Source() { if (!tmp.empty()) ::unlink(tmp.c_str()); }
};
Result<std::unique_ptr<Source>> open_source(const SchemaInfo& schema, const SchemaExtras& extras, const std::string& what) {
  auto src = std::make_unique<Source>();
  std::string path = what;
  if (looks_like_store_url(what)) {
    auto st = open(what);
    if (!st) return st.errors();
    char tmpl[] = "/tmp/metaport-diff-XXXXXX";
    int fd = ::mkstemp(tmpl);
    if (fd < 0) return make_error("cannot create a temporary file");
    ::close(fd);
    src->tmp = tmpl;
    auto w = format::make_stream_writer(format::Format::jsonl, src->tmp);
    if (!w) return w.errors();
    auto r = engine::dump(**st, schema, **w, {});
    if (!r) return r.errors();
    path = src->tmp;
  }
  auto r = format::open_dump(path, schema, {.extra = extras.formats});
  if (!r) return r.errors();
  src->reader = std::move(*r);
  return src;
}

int cmd_diff(const SchemaInfo& schema, const SchemaExtras& extras, const std::string& a, const std::string& b, bool as_json) {
  auto status_for = [](const std::string& what) { return looks_like_store_url(what) ? kUsage : open_failure_status(what); };
  auto sa = open_source(schema, extras, a);
  if (!sa) { print_errors(sa.errors()); return status_for(a); }
  auto sb = open_source(schema, extras, b);
  if (!sb) { print_errors(sb.errors()); return status_for(b); }
  auto r = engine::diff(schema, *(*sa)->reader, *(*sb)->reader);
  if (!r) { print_errors(r.errors()); return kUsage; }
  if (as_json) std::printf("%s\n", json::write(r->json()).c_str());
  else std::fputs(r->text().c_str(), stdout);
  return r->empty() ? kOk : kDataProblem;  // as diff(1): 1 when the sides differ
}

// upgrade IN OUT: rewrite a dump of an older version as the current version,
// in any format. Every record is upgraded and then decoded strictly; on any
// problem nothing is written (OUT keeps what it had).
int cmd_upgrade(const SchemaInfo& schema, const std::string& in, const std::string& out, const std::string& format_flag) {
  auto f = output_format(out, format_flag);
  if (!f) { print_errors(f.errors()); return kUsage; }
  if (in == "-" && *f == format::Format::tree) {
    std::fprintf(stderr, "error: a tree OUT needs IN twice (to place the files): give a file or folder, not stdin\n");
    return kUsage;
  }
  auto open_in = [&]() { return format::open_dump(in, schema); };
  auto reader = open_in();
  if (!reader) { print_errors(reader.errors()); return open_failure_status(in); }
  Result<std::unique_ptr<format::DumpWriter>> w =
      *f == format::Format::tree ? format::make_tree_writer(out, schema.layout()) : format::make_stream_writer(*f, out);
  if (!w) { print_errors(w.errors()); return kUsage; }
  auto done = engine::upgrade_dump(schema, std::move(*reader), open_in, **w);
  if (!done) { print_errors(done.errors()); return kUsage; }
  if (!done->problems.empty()) {
    print_errors(done->problems);
    std::fprintf(stderr, "nothing was written to %s\n", out.c_str());
    return kDataProblem;
  }
  std::size_t total = 0;
  for (const auto& [k, n] : done->counts) total += n;
  std::fprintf(stderr, "%s: %zu entities, %s version %d -> %d, written to %s\n", in.c_str(), total, schema.name.c_str(),
               done->from, schema.version, out.c_str());
  return kOk;
}

int cmd_migrate(const SchemaInfo& schema, const std::string& url, bool dry_run, const std::string& backup,
                const std::string& progress) {
  auto st = open(url);
  if (!st) { print_errors(st.errors()); return kUsage; }
  auto r = engine::migrate(**st, schema, backup, dry_run, want_progress(progress));
  if (!r) { print_errors(r.errors()); return kDataProblem; }
  if (r->nothing_to_do) {
    std::printf("%s is already at %s version %d: nothing to do\n", (*st)->display_url().c_str(), schema.name.c_str(), r->to);
    return kOk;
  }
  std::printf("backup of %s version %d written to %s\n", schema.name.c_str(), r->from, r->backup.c_str());
  std::fputs(r->load.text().c_str(), stdout);
  if (r->load.failed() > 0) {
    std::printf("migration from version %d to %d failed: the store is unchanged (still version %d)\n", r->from, r->to, r->from);
    return kDataProblem;
  }
  if (dry_run) {
    std::printf("dry run: migration from version %d to %d would succeed; the store is unchanged\n", r->from, r->to);
    return kOk;
  }
  std::printf("%s migrated from %s version %d to %d\n", (*st)->display_url().c_str(), schema.name.c_str(), r->from, r->to);
  // A migrate makes the kind tables again: a git-synced store's triggers go with them.
  st->reset();
  return sync::Sync(schema).after_migrate(url) == sync::kDone ? kOk : kDataProblem;
}

int cmd_schema(const SchemaInfo& schema, const std::string& sql, bool lock, const std::string& json_schema_kind) {
  if (!sql.empty()) {
    const store::Dialect* d = store::find_dialect(sql);
    if (!d) {
      std::string names;
      for (const auto* x : store::dialects()) names += (names.empty() ? "" : ", ") + std::string(x->name());
      std::fprintf(stderr, "error: --sql %s: expected one of %s\n", sql.c_str(), names.c_str());
      return kUsage;
    }
    auto tables = store::tables_for(schema);
    if (!tables) { print_errors(tables.errors()); return kDataProblem; }
    std::fputs(store::schema_script(*tables, *d).c_str(), stdout);
    return kOk;
  }
  if (lock) {
    // The changelog the generated registry embedded (past versions as
    // committed, the current one from the structs): what to commit.
    std::fputs((schema.lock_history.empty() ? schema_lock::lock_text(schema) : schema.lock_history).c_str(), stdout);
    return kOk;
  }
  if (!json_schema_kind.empty()) {
    const KindInfo* k = schema.find(json_schema_kind);
    if (!k) {
      std::fprintf(stderr, "error: --json-schema %s: schema %s has no such kind\n", json_schema_kind.c_str(), schema.name.c_str());
      return kUsage;
    }
    Value v = json_schema::for_kind(*k, schema);
    std::printf("%s\n", json::write(v).c_str());
    return kOk;
  }
  std::printf("schema %s version %d\n", schema.name.c_str(), schema.version);
  for (const auto& k : schema.kinds) {
    std::printf("%s%s\n", k->name.c_str(), k->dumped ? "" : " (store only)");
    for (const auto& f : k->fields) std::printf("  %s%s: %s\n", f.name.c_str(), f.optional ? "?" : "", f.type.str().c_str());
  }
  return kOk;
}

std::string layout_list(const SchemaInfo& schema) {
  std::string out;
  for (const auto& n : schema.layout_names()) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

int run(const SchemaInfo& schema, const SchemaExtras& extras, int argc, char** argv) {
  CLI::App app{"metaport " + schema.name + ": move " + schema.name + " metadata between stores, versions and git"};
  app.name("metaport " + schema.name);
  app.require_subcommand(1);
  app.failure_message(CLI::FailureMessage::help);

  std::string url;
  auto* init = app.add_subcommand("init", "create the schema in an empty store");
  init->add_option("STORE", url, "sqlite://PATH, postgresql://...")->required();

  std::size_t size = extras.default_seed_size;
  std::string progress = "auto";
  // Offered only by a schema that has sample data (SchemaExtras::seed).
  CLI::App* seed = nullptr;
  if (extras.seed) {
    seed = app.add_subcommand("seed", "fill a store with realistic sample data");
    seed->add_option("STORE", url)->required();
    seed->add_option("--size", size, "about how many entities (same size => same content)");
    seed->add_option("--progress", progress)->check(CLI::IsMember({"auto", "always", "never"}));
  }

  DumpArgs da;
  auto* dump = app.add_subcommand("dump", "write a store's content as a tree, a YAML stream or JSON lines");
  dump->add_option("STORE", da.store)->required();
  dump->add_option("OUT", da.out, "a folder (tree), FILE.yaml, FILE.jsonl (.zst compresses), - for stdout");
  std::vector<std::string> dump_formats{"tree", "yaml", "jsonl"};
  for (const auto& f : extras.formats) dump_formats.push_back(f.name);
  dump->add_option("--format", da.format)->check(CLI::IsMember(dump_formats));
  dump->add_option("--only", da.only, "only these kinds")->expected(1, -1);
  if (!schema.scope_kind.empty()) {  // a schema with a container kind whose subtrees can be selected
    dump->add_option("--collection", da.collections, "only these collections' subtrees (and what they reference)")->expected(1, -1);
    dump->add_flag("--no-closure", da.no_closure, "with --collection: references outside them are errors");
  }
  dump->add_flag("--keep-secrets", da.keep_secrets, "write secrets in clear instead of redacting them (files mode 0600)");
  dump->add_option("--secrets-key", da.secrets_key,
                   "seal secrets with this key file instead of redacting them (or METAPORT_SECRETS_KEY)");
  if (extras.subtree_root)
    dump->add_option("--subdir", da.subdir, "only this subtree (a path from the root) and what it needs");
  dump->add_option("--progress", da.progress)->check(CLI::IsMember({"auto", "always", "never"}));
  dump->add_option("--layout", da.layout, "tree dumps: the layout to write (" + layout_list(schema) + ")");

  // The load's flags (load and copy).
  auto load_flags = [](CLI::App* cmd, LoadArgs& a) {
    cmd->add_option("--mode", a.mode, "skip|update: what to do with entities the store already has");
    cmd->add_option("--on-error", a.on_error, "abort|continue: abort writes nothing if anything fails");
    cmd->add_flag("--restore", a.restore, "the store must be empty");
    cmd->add_flag("--dry-run", a.dry_run, "everything but the commit");
    cmd->add_option("--report", a.report, "text|json");
    cmd->add_flag("--keep-unknown", a.keep_unknown, "carry unknown fields through instead of failing");
    cmd->add_option("--user", a.user, "attribute content of users missing in the target to this user (email)");
    cmd->add_flag("--stub-missing", a.stub_missing, "create placeholders for missing data-model references");
    cmd->add_option("--progress", a.progress)->check(CLI::IsMember({"auto", "always", "never"}));
  };
  LoadArgs la;
  auto* load = app.add_subcommand("load", "load a dump (tree, YAML stream or JSON lines) into a store");
  load->add_option("STORE", la.store)->required();
  load->add_option("IN", la.in, "a folder, a file, - for stdin");
  load_flags(load, la);
  load->add_option("--secrets-key", la.secrets_key, "open sealed secrets with this key file (or METAPORT_SECRETS_KEY)");
  load->add_option("--layout", la.layout, "trees: read with this layout (default: the one the folder holds)");

  std::string copy_src;
  LoadArgs ca;
  auto* copy = app.add_subcommand("copy", "one store into another (through a load with its flags), then verified");
  copy->add_option("SRC", copy_src, "the store to copy (any schema version this metaport upgrades)")->required();
  copy->add_option("DST", ca.store, "the store to load it into (created or initialised if needed)")->required();
  load_flags(copy, ca);

  std::string vin, against;
  LoadArgs va;
  auto* validate = app.add_subcommand("validate", "check a dump: types, references, versions; list every problem");
  validate->add_option("IN", vin)->required();
  validate->add_option("--against", against, "references may point into this store");
  validate->add_flag("--keep-unknown", va.keep_unknown);
  validate->add_flag("--stub-missing", va.stub_missing);
  validate->add_option("--report", va.report, "text|json");
  validate->add_option("--layout", va.layout, "trees: read with this layout (default: the one the folder holds)");
  validate->add_option("--secrets-key", va.secrets_key, "check that sealed secrets open with this key file");

  std::string diff_a, diff_b;
  bool diff_json = false;
  auto* diff = app.add_subcommand("diff", "entity-level differences between two dumps or stores (exit 1 when they differ)");
  diff->add_option("A", diff_a, "a dump (folder or file) or a store URL")->required();
  diff->add_option("B", diff_b, "a dump (folder or file) or a store URL")->required();
  diff->add_flag("--json", diff_json, "for a program");

  std::string up_in, up_out, up_format;
  auto* upgrade = app.add_subcommand("upgrade", "rewrite an older dump as the current schema version");
  upgrade->add_option("IN", up_in, "a dump of an older (or the current) version")->required();
  upgrade->add_option("OUT", up_out, "a folder (tree), FILE.yaml, FILE.jsonl, - for stdout")->required();
  upgrade->add_option("--format", up_format)->check(CLI::IsMember({"tree", "yaml", "jsonl"}));

  std::string mig_url, mig_backup, mig_progress = "auto";
  bool mig_dry = false;
  auto* migrate = app.add_subcommand("migrate", "bring a store's tables to the current schema version (a backup first)");
  migrate->add_option("STORE", mig_url)->required();
  migrate->add_flag("--dry-run", mig_dry, "everything but the commit");
  migrate->add_option("--backup", mig_backup, "where to write the backup dump (default: beside the store)");
  migrate->add_option("--progress", mig_progress)->check(CLI::IsMember({"auto", "always", "never"}));

  std::string sql, json_schema_kind;
  bool lock = false;
  auto* schema_cmd = app.add_subcommand("schema", "print the schema, its SQL, its lock or a JSON Schema");
  schema_cmd->add_option("--sql", sql, "sqlite|postgres|mysql: the store DDL");
  schema_cmd->add_flag("--lock", lock, "the schema.lock text");
  schema_cmd->add_option("--json-schema", json_schema_kind, "the JSON Schema of one kind");

  sync::SyncCommand sync_cmd(app, schema);

  std::vector<std::string> demo_args;
  CLI::App* demo = nullptr;
  if (extras.demo) {
    demo = app.add_subcommand("demo", "the main job, on SQLite: staging -> tree -> production, a change, a diff");
    demo->add_option("ARGS", demo_args);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }
  if (init->parsed()) return cmd_init(schema, url);
  if (seed && seed->parsed()) return cmd_seed(schema, extras, url, size, progress);
  if (dump->parsed()) return cmd_dump(schema, extras, da);
  if (load->parsed()) return cmd_load(schema, extras, la);
  if (copy->parsed()) return cmd_copy(schema, copy_src, ca);
  if (validate->parsed()) return cmd_validate(schema, extras, vin, against, va);
  if (diff->parsed()) return cmd_diff(schema, extras, diff_a, diff_b, diff_json);
  if (upgrade->parsed()) return cmd_upgrade(schema, up_in, up_out, up_format);
  if (migrate->parsed()) return cmd_migrate(schema, mig_url, mig_dry, mig_backup, mig_progress);
  if (schema_cmd->parsed()) return cmd_schema(schema, sql, lock, json_schema_kind);
  if (sync_cmd.parsed()) return sync_cmd.run();
  if (demo && demo->parsed()) return extras.demo(schema, demo_args);
  return kUsage;
}

}  // namespace metaport::cli
