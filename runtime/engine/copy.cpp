#include "runtime/engine/copy.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <atomic>
#include <thread>

#include "metaport/schema_lock.hpp"
#include "runtime/engine/dump.hpp"
#include "runtime/engine/sealed_secrets.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/format/pipe.hpp"

namespace metaport::engine {
namespace {

// A temporary file of the copy: created in TMPDIR, removed at the end.
// Not synced: nothing in it must outlive the process.
class TempFile : public io::Output {
 public:
  static Result<std::unique_ptr<TempFile>> create(const std::string& what) {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir && *dir ? dir : "/tmp") + "/metaport-copy-XXXXXX";
    int fd = ::mkstemp(path.data());
    if (fd < 0) return make_error("cannot create a temporary file for " + what + " in " + path + " (is TMPDIR writable?)");
    std::FILE* f = ::fdopen(fd, "w");
    if (!f) {
      ::close(fd);
      ::unlink(path.c_str());
      return make_error("cannot open the temporary file " + path);
    }
    return std::unique_ptr<TempFile>(new TempFile(std::move(path), f));
  }
  ~TempFile() override {
    if (f_) std::fclose(f_);
    ::unlink(path_.c_str());
  }
  Status write(std::string_view bytes) override {
    if (std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size()) return make_error("cannot write " + path_);
    return ok_status();
  }
  Status close() override {
    if (std::fflush(f_) != 0) return make_error("cannot write " + path_);
    return ok_status();
  }
  const std::string& path() const { return path_; }

 private:
  TempFile(std::string path, std::FILE* f) : path_(std::move(path)), f_(f) {}
  std::string path_;
  std::FILE* f_;
};

// The dump's bytes to the pipe and to the record of what was read.
class Tee : public io::Output {
 public:
  Tee(std::unique_ptr<io::Output> a, io::Output& b) : a_(std::move(a)), b_(b) {}
  Status write(std::string_view bytes) override {
    if (auto s = b_.write(bytes); !s) return s;
    return a_->write(bytes);
  }
  Status close() override {
    if (auto s = b_.close(); !s) return s;
    return a_->close();
  }

 private:
  std::unique_ptr<io::Output> a_;
  io::Output& b_;
};

// A dump of `store` on a thread of its own, into `out` (a pipe's writing
// end, or a tee around it), read by whoever holds the pipe's other end.
// The pipe is aborted with the dump's error if it fails, so the reader
// stops instead of seeing a short dump. `reader_done` is set by the reading
// side when it stops reading: a dump failing after that failed because of
// the reader (which has its own reason), not on its own.
class DumpThread {
 public:
  DumpThread(store::Store& store, const SchemaInfo& schema, const DumpOptions& opts, io::PipeOutput& pipe,
             std::unique_ptr<io::Output> out, const std::atomic<bool>& reader_done)
      : thread_([&store, &schema, opts, &pipe, out = std::move(out), &reader_done, this]() mutable {
          auto w = format::make_stream_writer(format::Format::jsonl, std::move(out));
          auto r = dump(store, schema, *w, opts);
          if (!r) {
            own_failure_ = !reader_done.load();
            result_ = r.errors();
            pipe.abort("the dump of " + store.display_url() + " failed");
          }
        }) {}
  // Waits for the dump (the reader must be gone or have read to the end).
  Status join() {
    if (thread_.joinable()) thread_.join();
    return result_;
  }
  // The dump failed before its reader stopped: its error is the cause.
  bool failed_on_its_own() {
    (void)join();
    return !result_ && own_failure_;
  }
  ~DumpThread() { (void)join(); }

 private:
  Status result_ = ok_status();
  bool own_failure_ = false;
  std::thread thread_;  // last: starts once the rest is built
};

Errors prefixed(const Errors& errors, const std::string& prefix) {
  Errors out;
  for (auto e : errors.list()) {
    e.message = prefix + e.message;
    out.add(e);
  }
  return out;
}

// The schema SRC's tables are at: the current one, or an older version
// rebuilt from the lock history (enough to read its tables).
Result<std::optional<SchemaInfo>> source_schema(store::Store& src, const SchemaInfo& schema) {
  auto stored = src.stored_schema();
  if (!stored) return stored.errors();
  if (!*stored)
    return make_error(src.display_url() + " has no metaport schema: there is nothing to copy");
  const store::StoredSchema& s = **stored;
  if (s.name != schema.name) return make_error(src.display_url() + " holds schema '" + s.name + "', not '" + schema.name + "'");
  if (s.version > schema.version)
    return make_error(src.display_url() + " is at " + schema.name + " version " + std::to_string(s.version) +
                      ", newer than this metaport's version " + std::to_string(schema.version) + ": upgrade metaport first");
  if (s.version == schema.version) return std::optional<SchemaInfo>();
  if (s.version < schema.oldest_version)
    return make_error(src.display_url() + " is at " + schema.name + " version " + std::to_string(s.version) +
                      "; the oldest version this metaport upgrades is " + std::to_string(schema.oldest_version));
  auto old = schema_lock::schema_at_version(schema, s.version);
  if (!old) return old.errors();
  return std::optional<SchemaInfo>(std::move(*old));
}

}  // namespace

Result<CopyReport> copy(store::Store& src, store::Store& dst, const SchemaInfo& schema, LoadOptions load_opts) {
  CopyReport rep;
  rep.from_version = schema.version;
  if (src.display_url() == dst.display_url())
    return make_error("SRC and DST are the same store (" + src.display_url() + ")");
  auto old = source_schema(src, schema);
  if (!old) return old.errors();
  const SchemaInfo& read_as = *old ? **old : schema;
  rep.from_version = read_as.version;
  if (auto c = src.check_schema(read_as); !c) return c.errors();  // the tables are what the version says

  auto stored = dst.stored_schema();
  if (!stored) return stored.errors();
  if (!*stored) {
    if (load_opts.dry_run) return make_error(dst.display_url() + " has no metaport schema (a dry run creates nothing): run init first");
    if (auto s = dst.create_schema(schema); !s) return s.errors();
    rep.created_schema = true;
  }

  auto key = SecretsKey::ephemeral();
  if (!key) return key.errors();
  load_opts.secrets_key = &*key;
  DumpOptions dump_opts;
  dump_opts.store_only_kinds = true;
  dump_opts.keep_secrets = true;
  dump_opts.seal = &*key;

  // 1 and 2: SRC's dump through the pipe into DST's load.
  auto record = TempFile::create("the record of " + src.display_url());
  if (!record) return record.errors();
  {
    auto pipe = io::make_pipe("the dump of " + src.display_url());
    io::PipeOutput& pipe_out = *pipe.out;
    std::atomic<bool> load_done{false};
    DumpThread reading(src, read_as, dump_opts, pipe_out, std::make_unique<Tee>(std::move(pipe.out), **record),
                       load_done);
    Result<LoadReport> loaded = make_error("");
    {
      auto reader = format::open_stream(std::move(pipe.in));
      if (reader) loaded = load(dst, schema, **reader, load_opts);
      else loaded = reader.errors();
      load_done = true;
    }  // the reading end goes: a dump still writing stops
    if (reading.failed_on_its_own()) {
      const bool written = loaded && loaded->committed;  // only if the record's last bytes failed
      return prefixed(reading.join().errors(), "reading " + src.display_url() + " (" +
                                                   (written ? "" : "nothing was written to ") + dst.display_url() +
                                                   (written ? " was written" : "") + "): ");
    }
    if (!loaded) return loaded.errors();
    rep.load = std::move(*loaded);
  }
  if (!rep.load.committed) return rep;  // dry run, or a failure with --on-error abort: DST as it was

  // 3: DST's dump (after the commit) against the record of SRC.
  auto a = format::open_dump(record->get()->path(), schema);
  if (!a) return prefixed(a.errors(), "verifying: ");
  auto pipe = io::make_pipe("the dump of " + dst.display_url());
  io::PipeOutput& pipe_out = *pipe.out;
  std::atomic<bool> diff_done{false};
  DumpThread reading(dst, schema, dump_opts, pipe_out, std::move(pipe.out), diff_done);
  Result<DiffReport> compared = make_error("");
  {
    auto b = format::open_stream(std::move(pipe.in));
    if (b) compared = diff(schema, **a, **b, &*key);
    else compared = b.errors();
    diff_done = true;
  }
  if (reading.failed_on_its_own()) return prefixed(reading.join().errors(), "verifying: reading " + dst.display_url() + ": ");
  if (!compared) return prefixed(compared.errors(), "verifying: ");
  rep.verify = std::move(*compared);
  return rep;
}

std::string CopyReport::text() const {
  std::string out = load.text();
  if (!verify) {
    if (load.dry_run) out += "dry run: not verified\n";
    return out;
  }
  DiffReport lacking = *verify;  // what DST lacks or holds otherwise; its extras are only counted
  lacking.added.clear();
  if (!holds_source()) {
    std::string lines = lacking.text();
    const std::size_t count_line = lines.rfind('\n', lines.size() - 2);  // the diff's own count line goes
    lines.erase(count_line == std::string::npos ? 0 : count_line + 1);
    out += "DST differs from SRC (- missing in DST; ~ different, SRC's value -> DST's):\n" + lines;
    out += "not verified: " + std::to_string(verify->removed.size()) + " entities of SRC missing in DST, " +
           std::to_string(verify->changed.size()) + " different\n";
    return out;
  }
  out += "verified: DST holds the " + std::to_string(verify->unchanged) + " entities of SRC, identical";
  if (!verify->added.empty()) out += " (and " + std::to_string(verify->added.size()) + " entities SRC does not have)";
  out += "\n";
  return out;
}

Value CopyReport::json() const {
  Value v = Value::object();
  v.set("from_version", static_cast<long long>(from_version));
  v.set("created_schema", created_schema);
  v.set("load", load.json());
  if (verify) {
    Value d = verify->json();
    d.set("holds_source", holds_source());
    v.set("verify", std::move(d));
  }
  return v;
}

}  // namespace metaport::engine
