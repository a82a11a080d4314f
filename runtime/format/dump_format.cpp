#include "runtime/format/dump_format.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>  // renameat2, RENAME_EXCHANGE (glibc 2.28+)
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <unordered_set>

#include "metaport/format/json.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "runtime/format/file_pool.hpp"

namespace fs = std::filesystem;

namespace metaport::format {

std::string_view format_name(Format f) {
  switch (f) {
    case Format::tree: return "tree";
    case Format::yaml: return "yaml";
    case Format::jsonl: return "jsonl";
  }
  return "?";
}
std::optional<Format> parse_format(std::string_view s) {
  if (s == "tree") return Format::tree;
  if (s == "yaml") return Format::yaml;
  if (s == "jsonl") return Format::jsonl;
  return std::nullopt;
}

namespace {

Value header_value(const DumpHeader& h) {
  Value v = Value::object();
  v.set("metaport", "dump");
  v.set("format", h.format);
  v.set("schema", h.schema);
  v.set("version", h.version);
  if (h.secrets_kept) v.set("secrets", "kept");
  if (!h.secrets_key.empty()) {
    v.set("secrets", "sealed");
    v.set("secrets_key", h.secrets_key);
  }
  return v;
}

Value end_value(const Counts& counts) {
  Value v = Value::object();
  v.set("metaport", "end");
  Value c = Value::object();
  std::size_t total = 0;
  for (const auto& [k, n] : counts) {
    c.set(k, static_cast<long long>(n));
    total += n;
  }
  v.set("counts", std::move(c));
  v.set("total", static_cast<long long>(total));
  return v;
}

class StreamWriter : public DumpWriter {
 public:
  StreamWriter(Format f, std::unique_ptr<io::Output> out) : f_(f), out_(std::move(out)) {}
  Status begin(const DumpHeader& h) override {
    Value v = header_value(h);
    v.set("end", "counts");  // this stream closes with an end record: without it, it was cut
    return emit(v, true);
  }
  Status write(const Entity& e, const Value& doc) override {
    buf_.clear();
    if (f_ == Format::jsonl) {
      // JSON would spell NaN and infinity null, and the dump would load back
      // as something else: refused, with the entity and the field path.
      if (auto bad = json::find_non_finite(doc)) {
        Error err = make_error(std::string("holds ") + bad->what +
                                   ", which JSON cannot spell: a jsonl dump cannot hold it (a YAML dump, a .yaml file "
                                   "or a tree, writes it as .nan or .inf)",
                               bad->path);
        err.entity = e.kind->name + " " + e.key.str();
        return err;
      }
      buf_ += "{\"kind\":";
      json::write_string(buf_, e.kind->name);
      buf_ += ",\"entity\":";
      json::write(buf_, doc);
      buf_ += "}\n";
    } else {
      buf_ += "---\nkind: ";
      yaml::write_key(buf_, e.kind->name);
      buf_ += "\nentity:";
      if (doc.is_object() && doc.size() > 0) {
        buf_ += '\n';
        // The entity as a map nested under `entity:`, written in place: the
        // same bytes as indenting yaml::write(doc) line by line, without the
        // second copy and pass.
        yaml::detail::write_map_body(buf_, doc, 2, false);
      } else {
        buf_ += " {}\n";
      }
    }
    return out_->write(buf_);
  }
  bool takes_json() const override { return f_ == Format::jsonl; }
  Status write_json(const KindInfo& kind, std::string_view doc_json) override {
    buf_.clear();
    buf_ += "{\"kind\":";
    json::write_string(buf_, kind.name);
    buf_ += ",\"entity\":";
    buf_ += doc_json;
    buf_ += "}\n";
    return out_->write(buf_);
  }
  Status finish(const Counts& counts) override {
    if (auto s = emit(end_value(counts), false); !s) return s;
    return out_->close();
  }

 private:
  Status emit(const Value& v, bool first) {
    std::string s;
    if (f_ == Format::jsonl) {
      json::write(s, v);
      s += '\n';
    } else {
      if (!first) s += "---\n";
      yaml::write(s, v);
    }
    return out_->write(s);
  }
  Format f_;
  std::unique_ptr<io::Output> out_;
  std::string buf_;
};

// A path any of whose parts is hidden (.git, .github/workflows/ci.yaml).
bool hidden_path(std::string_view rel) {
  std::size_t start = 0;
  while (start < rel.size()) {
    if (rel[start] == '.') return true;
    const std::size_t slash = rel.find('/', start);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

class TreeWriter : public DumpWriter {
 public:
  TreeWriter(std::string dir, std::string tmp, std::unique_ptr<Layout> layout, bool replaces)
      : dir_(std::move(dir)),
        tmp_(std::move(tmp)),
        layout_(std::move(layout)),
        files_(std::make_unique<FilePool>()),
        replaces_(replaces) {
    // An unchanged file keeps the text it had (another tool's spelling of it).
    files_->set_same_content([](std::string_view old_text, std::string_view new_text) {
      auto a = yaml::parse(old_text);
      if (!a) return false;
      auto b = yaml::parse(new_text);
      return b && *a == *b;
    });
  }
  ~TreeWriter() override {
    files_.reset();  // its threads may still be writing into tmp_
    if (!done_) {
      std::error_code ec;
      fs::remove_all(tmp_, ec);
    }
  }
  bool needs_index() const override { return true; }
  bool indexes(const KindInfo& kind) const override { return layout_->indexes(kind); }
  void index(const Entity& e) override { layout_->index(e); }
  std::optional<std::vector<std::string>> index_members(const KindInfo& kind) const override {
    return layout_->index_members(kind);
  }
  Status begin(const DumpHeader& h) override {
    if (!layout_->writes_header()) return ok_status();
    Value v = header_value(h);
    v.erase("metaport");  // implied by the file's name
    return io::write_file(tmp_ + "/metaport.yaml", yaml::write(v));
  }
  Status write(const Entity& e, const Value& doc) override {
    std::string rel;
    try {
      rel = layout_->path_of(e);
    } catch (const std::runtime_error& x) {  // a layout's refusal (a loop of parents), or its scratch database's
      return make_error(x.what());
    }
    if (!written_.insert(rel).second)
      return make_error("two entities were given the same file " + rel + " (a layout bug)");
    std::string text = layout_->render(layout_->write_document(e, doc));
    // Files are created by the pool's threads while this one renders the next;
    // over an existing tree they compare with the file they replace.
    if (replaces_) return files_->write(tmp_ + "/" + rel, std::move(text), dir_ + "/" + rel);
    return files_->write(tmp_ + "/" + rel, std::move(text));
  }
  Status finish(const Counts&) override {
    if (auto s = files_->finish(); !s) return s;
    std::error_code ec;
    if (fs::exists(dir_, ec)) {
      // What the tree being replaced holds that is not the layout's own
      // (.git, a README) joins the new tree first, as hard links: the old
      // tree stays whole until the swap.
      if (auto s = link_foreign_files(dir_, tmp_); !s) return s;
      // One atomic step: the two folders trade places (renameat2
      // RENAME_EXCHANGE), so a kill at any moment leaves the old tree or
      // the new one under the name, never neither. The old one, now under
      // the temporary name, is removed after.
      if (::renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, dir_.c_str(), RENAME_EXCHANGE) != 0)
        return make_error("cannot swap the new dump into " + dir_ + ": " + std::strerror(errno));
      done_ = true;
      fs::remove_all(tmp_, ec);
      return ok_status();
    }
    fs::rename(tmp_, dir_, ec);
    if (ec) return make_error("cannot move the new dump into " + dir_ + ": " + ec.message());
    done_ = true;
    return ok_status();
  }

 private:
  // The files of the tree being replaced (`from`) that are not the layout's
  // own join the new tree (`to`) as hard links (a copy where the file system
  // cannot link): hidden ones such as .git (folders whole, empty ones
  // included), READMEs, CI files. metaport.yaml is the writer's own
  // (rewritten, or dropped by a layout without it). Nothing in `from` moves,
  // so a failure or a kill before the swap leaves it as it was.
  Status link_foreign_files(const std::string& from, const std::string& to) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(from, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return make_error("cannot list " + dir_ + ": " + ec.message());
      const std::string rel = it->path().lexically_relative(from).generic_string();
      const bool is_dir = it->is_directory(ec) && !it->is_symlink(ec);
      const bool hidden = hidden_path(rel);
      if (!hidden && (is_dir || rel == "metaport.yaml" || layout_->owns(rel))) continue;
      const fs::path dest = fs::path(to) / rel;
      if (is_dir) {  // a hidden folder: made with its permissions, filled below
        fs::create_directories(dest, ec);
        if (!ec) fs::permissions(dest, it->status().permissions(), ec);
        if (ec) return make_error("cannot keep " + dir_ + "/" + rel + " in the new dump: " + ec.message());
        continue;
      }
      if (fs::symlink_status(dest, ec).type() != fs::file_type::not_found) continue;  // the new tree has a file there: it wins
      fs::create_directories(dest.parent_path(), ec);
      fs::create_hard_link(it->path(), dest, ec);
      if (ec) {
        ec.clear();
        fs::copy(it->path(), dest, fs::copy_options::copy_symlinks, ec);
      }
      if (ec) return make_error("cannot keep " + dir_ + "/" + rel + " in the new dump: " + ec.message());
    }
    return ok_status();
  }

  std::string dir_, tmp_;
  std::unique_ptr<Layout> layout_;
  std::unique_ptr<FilePool> files_;
  bool replaces_;  // `dir_` holds a tree already
  std::unordered_set<std::string> written_;
  bool done_ = false;
};

// Shift the marks of a document parsed on its own to its place in a stream.
void shift_marks(Value& v, std::uint32_t lines) {
  if (v.mark.known()) v.mark.line += lines;
  if (v.is_array())
    for (auto& x : v.as_array()) shift_marks(x, lines);
  else if (v.is_object())
    for (auto& [k, x] : v.as_object()) shift_marks(x, lines);
}

Status check_header(const Value& h, const std::string& name, DumpHeader& out) {
  const Value* tag = h.find("metaport");
  if (!tag || !tag->is_string() || tag->as_string() != "dump")
    return make_error(name + ": not a metaport dump (the first record must be the header {metaport: dump, ...})");
  const Value* f = h.find("format");
  const Value* s = h.find("schema");
  const Value* v = h.find("version");
  if (!f || !f->is_int() || !s || !s->is_string() || !v || !v->is_int())
    return make_error(name + ": the dump header needs format, schema and version");
  out.format = static_cast<int>(f->as_int());
  out.schema = s->as_string();
  out.version = static_cast<int>(v->as_int());
  if (const Value* end = h.find("end")) {
    if (!end->is_string() || end->as_string() != "counts")
      return make_error(name + ": the dump header's 'end' is 'counts' (the stream closes with an end record, as "
                               "metaport's dump writes it) or left out (a hand-written stream)");
    out.end_required = true;
  }
  if (const Value* sec = h.find("secrets")) {
    const Value* id = h.find("secrets_key");
    if (sec->is_string() && sec->as_string() == "kept" && !id) {
      out.secrets_kept = true;
    } else if (sec->is_string() && sec->as_string() == "sealed" && id && id->is_string() && !id->as_string().empty()) {
      out.secrets_key = id->as_string();
    } else {
      return make_error(name + ": the dump header's 'secrets' is 'kept' (written with --keep-secrets), 'sealed' with "
                               "'secrets_key' (written with --secrets-key), or left out");
    }
  }
  if (out.format > kFormatVersion)
    return make_error(name + ": dump format " + std::to_string(out.format) + " is newer than this metaport reads (" +
                      std::to_string(kFormatVersion) + ")");
  return ok_status();
}

// Shared by both stream readers: the header, the end record and the counts.
class CountingReader : public DumpReader {
 public:
  const DumpHeader& header() const override { return header_; }
  Status finish() override {
    if (!status_) return status_;
    if (!ended_) {
      if (!header_.end_required) return ok_status();  // hand-written: no end record promised
      return make_error(name_ + ": the dump ends without its end record: truncated (a broken pipe or a partial file?)");
    }
    if (expected_total_) {
      std::size_t total = 0;
      for (const auto& [k, n] : seen_) total += n;
      if (total != *expected_total_)
        return make_error(name_ + ": the end record's total is " + std::to_string(*expected_total_) +
                          ", the dump holds " + std::to_string(total) + " records");
    }
    if (!counted_) return ok_status();  // an end record without per-kind counts
    for (const auto& [k, n] : expected_counts_) {
      std::size_t got = seen_.count(k) ? seen_.at(k) : 0;
      if (got != n)
        return make_error(name_ + ": the end record counts " + std::to_string(n) + " " + k + " records, the dump holds " +
                          std::to_string(got));
    }
    for (const auto& [k, n] : seen_)
      if (!expected_counts_.count(k))
        return make_error(name_ + ": " + std::to_string(n) + " " + k + " records are not counted in the end record");
    return ok_status();
  }
  void accepted(const Record& r) override { ++seen_[r.kind]; }

 protected:
  // A metaport record (header/end) rather than an entity record.
  static bool is_control(const Value& v) { return v.find("metaport") != nullptr; }
  void take_end(const Value& v, const Origin& o, Errors& errors) {
    const Value* tag = v.find("metaport");
    if (!tag->is_string() || tag->as_string() != "end") {
      errors.add(Error{"unexpected metaport record '" + (tag->is_string() ? tag->as_string() : "?") + "'", {}, o.mark, o.file, {}});
      return;
    }
    ended_ = true;
    if (const Value* c = v.find("counts"); c && c->is_object()) {
      counted_ = true;
      for (const auto& [k, n] : c->as_object())
        if (n.is_int()) expected_counts_[k] = static_cast<std::size_t>(n.as_int());
    }
    if (const Value* t = v.find("total"); t && t->is_int()) expected_total_ = static_cast<std::size_t>(t->as_int());
  }
  // The envelope {kind, entity}.
  static Parsed take_record(Value&& v, const Origin& o, Record& r, Errors& errors) {
    Value* kind = v.find("kind");
    Value* ent = v.find("entity");
    if (!v.is_object() || !kind || !kind->is_string() || !ent) {
      errors.add(Error{is_control(v) ? "a metaport header or end record in the middle of the dump"
                                     : "a record is {kind: KIND, entity: {...}}",
                       {}, o.mark, o.file, {}});
      return Parsed::failed;
    }
    r.kind = kind->as_string();
    r.doc = std::move(*ent);
    r.origin = o;
    return Parsed::record;
  }
  bool after_end(const RawRecord& raw, Errors& errors) {
    if (!ended_) return false;
    errors.add(Error{"a record after the end record", {}, raw.at, name_, {}});
    return true;
  }
  DumpHeader header_;
  std::string name_;
  bool ended_ = false;
  bool counted_ = false;                       // the end record has per-kind counts
  std::optional<std::size_t> expected_total_;  // and/or a total
  Status status_ = ok_status();
  Counts expected_counts_, seen_;
};

class JsonlReader : public CountingReader {
 public:
  JsonlReader(std::unique_ptr<io::Input> in) : in_(std::move(in)), lines_(*in_) { name_ = in_->name(); }
  Status open() {
    std::string line;
    while (lines_.next(line))
      if (!line.empty()) break;
    if (!lines_.status()) return lines_.status();
    if (line.empty()) return make_error(name_ + ": empty input, not a metaport dump");
    auto h = json::parse(line);
    if (!h) return make_error(name_ + ":" + std::to_string(lines_.line_number()) + ": " + h.errors().list()[0].message);
    return check_header(*h, name_, header_);
  }
  bool next_raw(RawRecord& raw, Errors& errors) override {
    while (lines_.next(raw.text)) {
      if (raw.text.empty() || raw.text == "\r") continue;
      raw.path = name_;
      raw.at = Mark{static_cast<std::uint32_t>(lines_.line_number()), 0};
      // Header and end records are few and change the reader's state: here.
      if (raw.text.rfind("{\"metaport\"", 0) == 0) {
        auto v = json::parse(raw.text);
        if (v && is_control(*v)) {
          take_end(*v, Origin{name_, raw.at}, errors);
          continue;
        }
      }
      if (after_end(raw, errors)) continue;
      return true;
    }
    status_ = lines_.status();
    return false;
  }
  Parsed parse(RawRecord& raw, Record& r, Errors& errors) const override {
    Origin o{raw.path, raw.at};
    auto v = json::parse(raw.text);  // a thread-local parser
    if (!v) {
      errors.add(Error{v.errors().list()[0].message, {}, o.mark, o.file, {}});
      return Parsed::failed;
    }
    return take_record(std::move(*v), o, r, errors);
  }

 private:
  std::unique_ptr<io::Input> in_;
  io::LineReader lines_;
};

class YamlStreamReader : public CountingReader {
 public:
  YamlStreamReader(std::unique_ptr<io::Input> in) : in_(std::move(in)), lines_(*in_) { name_ = in_->name(); }
  Status open() {
    std::string doc;
    std::uint32_t start = 0;
    if (!next_doc(doc, start)) return lines_.status() ? make_error(name_ + ": empty input, not a metaport dump") : lines_.status();
    auto h = yaml::parse(doc);
    if (!h) {
      Errors e = h.errors();
      e.set_file(name_);
      return e;
    }
    return check_header(*h, name_, header_);
  }
  bool next_raw(RawRecord& raw, Errors& errors) override {
    std::uint32_t start = 0;
    while (next_doc(raw.text, start)) {
      raw.path = name_;
      raw.at = Mark{start + 1, 0};
      if (raw.text.rfind("metaport:", 0) == 0) {
        Record r;
        auto v = parse_doc(raw, errors);
        if (v && is_control(*v)) {
          take_end(*v, Origin{name_, raw.at}, errors);
          continue;
        }
      }
      if (after_end(raw, errors)) continue;
      return true;
    }
    status_ = lines_.status();
    return false;
  }
  Parsed parse(RawRecord& raw, Record& r, Errors& errors) const override {
    auto v = parse_doc(raw, errors);
    if (!v) return Parsed::failed;
    return take_record(std::move(*v), Origin{raw.path, raw.at}, r, errors);
  }

 private:
  static std::optional<Value> parse_doc(const RawRecord& raw, Errors& errors) {
    const std::uint32_t offset = raw.at.line - 1;
    auto v = yaml::parse(raw.text);
    if (!v) {
      for (auto e : v.errors().list()) {
        if (e.mark.known()) e.mark.line += offset;
        e.file = raw.path;
        errors.add(e);
      }
      return std::nullopt;
    }
    shift_marks(*v, offset);
    return std::move(*v);
  }
  // Documents are separated by "---" lines (metaport never writes such a line
  // inside a document: block scalars are indented). `offset` is the number of
  // lines before the document's first line.
  bool next_doc(std::string& doc, std::uint32_t& offset) {
    doc.clear();
    bool any = false;
    std::string line;
    while (lines_.next(line)) {
      if (line == "---" || line.rfind("--- ", 0) == 0 || line == "...") {
        if (any) return true;
        continue;
      }
      if (!any) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        offset = static_cast<std::uint32_t>(lines_.line_number() - 1);
        any = true;
      }
      doc += line;
      doc += '\n';
    }
    return any;
  }
  std::unique_ptr<io::Input> in_;
  io::LineReader lines_;
};

class TreeReader : public DumpReader {
 public:
  TreeReader(std::string dir, std::unique_ptr<Layout> layout, std::string layout_name, const SchemaInfo& schema,
             bool keep_unknown)
      : dir_(std::move(dir)), layout_(std::move(layout)), keep_unknown_(keep_unknown) {
    header_.schema = schema.name;
    header_.version = schema.version;
    header_.layout = std::move(layout_name);
  }
  Status open() {
    std::error_code ec;
    std::string meta = dir_ + "/metaport.yaml";
    if (fs::exists(meta, ec)) {
      auto text = io::read_file(meta);
      if (!text) return text.errors();
      auto v = yaml::parse(*text);
      if (!v) { Errors e = v.errors(); e.set_file(meta); return e; }
      Value h = *v;
      h.set("metaport", "dump");
      if (auto s = check_header(h, meta, header_); !s) return s;
    } else if (layout_->recognizes(dir_)) {
      header_.from_metaport = false;  // an export another program wrote (Metabase's, a git checkout of one)
    } else {
      // Without it the version the files were written for is a guess, and
      // a guess made silently loads an old tree as if it were current.
      return make_error(dir_ + ": no metaport.yaml, and its files are not a " + header_.schema +
                        " tree another program writes: add " + meta + " saying what it holds, e.g.\n  format: " +
                        std::to_string(kFormatVersion) + "\n  schema: " + header_.schema + "\n  version: " +
                        std::to_string(header_.version) +
                        "\n(the schema version the files were written for; `schema --lock` lists every version)");
    }
    for (auto it = fs::recursive_directory_iterator(dir_, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return make_error("cannot list " + dir_ + ": " + ec.message());
      const auto name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {  // .git, editor swap files
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      // Lexically: a file may be a symlink into another tree (Bazel runfiles,
      // a git checkout), and its name here is what counts.
      std::string rel = it->path().lexically_relative(dir_).generic_string();
      if (rel == "metaport.yaml") continue;
      if (!(rel.ends_with(".yaml") || rel.ends_with(".yml"))) continue;
      files_.push_back(rel);
    }
    std::sort(files_.begin(), files_.end());
    return ok_status();
  }
  const DumpHeader& header() const override { return header_; }
  std::size_t expected() const override { return files_.size(); }
  bool next_raw(RawRecord& raw, Errors&) override {
    if (pos_ >= files_.size()) return false;
    raw.rel = files_[pos_++];
    raw.path = dir_ + "/" + raw.rel;
    raw.text.clear();
    raw.at = Mark{1, 1};
    return true;
  }
  Parsed parse(RawRecord& raw, Record& r, Errors& errors) const override {
    auto text = io::read_file(raw.path);
    if (!text) {
      errors.add(Error{text.errors().list()[0].message, {}, {}, raw.path, {}});
      return Parsed::failed;
    }
    auto v = yaml::parse(*text);
    if (!v) {
      for (auto e : v.errors().list()) { e.file = raw.path; errors.add(e); }
      return Parsed::failed;
    }
    auto kind = layout_->kind_of(raw.rel, *v);
    if (!kind) return Parsed::skipped;
    if (kind->empty()) {  // an entity file whose kind cannot be told: never skip it silently
      errors.add(Error{"cannot tell which kind of entity this file holds (no serdes/meta model, and its folder does not say)",
                       {}, Mark{1, 1}, raw.path, {}});
      return Parsed::failed;
    }
    Errors errs;
    auto doc = layout_->read_document(*kind, raw.rel, std::move(*v), keep_unknown_, errs);
    errs.set_file(raw.path);
    if (!doc) {  // not an entity of this kind at all
      for (const auto& e : errs.list()) errors.add(e);
      if (errs.empty()) errors.add(Error{"cannot read this file as a " + *kind, {}, Mark{1, 1}, raw.path, {}});
      return Parsed::failed;
    }
    r.kind = *kind;
    r.doc = std::move(*doc);
    r.origin = Origin{raw.path, Mark{1, 1}};
    r.problems = std::move(errs);
    return Parsed::record;
  }
  void accepted(const Record&) override { ++records_; }
  void skipped(const RawRecord& raw) override { ignored_.push_back(raw.rel); }
  Status finish() override {
    // A folder of YAML files none of which is an entity of this schema is a
    // mistake (the wrong folder, the wrong schema), not an empty dump. An
    // empty dump written by metaport has its metaport.yaml.
    if (records_ == 0 && !header_.from_metaport && !files_.empty())
      return make_error(dir_ + ": none of its " + std::to_string(files_.size()) + " YAML files is a " + header_.schema +
                        " entity file (the wrong folder?)");
    return ok_status();
  }
  std::vector<std::string> ignored() const override { return ignored_; }

 private:
  std::string dir_;
  std::unique_ptr<Layout> layout_;
  bool keep_unknown_;
  DumpHeader header_;
  std::vector<std::string> files_;
  std::vector<std::string> ignored_;
  std::size_t pos_ = 0;
  std::size_t records_ = 0;
};

}  // namespace

Result<std::unique_ptr<DumpWriter>> make_stream_writer(Format f, const std::string& out_path) {
  auto out = io::open_output(out_path);
  if (!out) return out.errors();
  return make_stream_writer(f, std::move(*out));
}

std::unique_ptr<DumpWriter> make_stream_writer(Format f, std::unique_ptr<io::Output> out) {
  return std::make_unique<StreamWriter>(f, std::move(out));
}

Result<std::unique_ptr<DumpWriter>> make_tree_writer(const std::string& dir_arg, std::unique_ptr<Layout> layout) {
  // "out/" and "out" are the same folder (and the temporary folder must be
  // its sibling, not inside it).
  std::string dir = dir_arg;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::error_code ec;
  bool replaces = false;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return make_error(dir + " exists and is not a folder");
    bool empty = fs::directory_iterator(dir, ec) == fs::directory_iterator();
    if (!empty && !fs::exists(dir + "/metaport.yaml", ec) && !layout->recognizes(dir))
      return make_error(dir + " is a folder that is neither empty nor a metaport dump (no metaport.yaml) nor a tree of this layout: refusing to replace it");
    replaces = !empty;
  }
  // Leftovers of dumps into this folder that were killed: their process is gone.
  const fs::path parent = fs::path(dir).parent_path().empty() ? fs::path(".") : fs::path(dir).parent_path();
  const std::string prefix = fs::path(dir).filename().string() + ".tmp-";
  for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid = name.substr(prefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH) {
      std::error_code rm;
      fs::remove_all(it->path(), rm);
    }
  }
  ec.clear();
  std::string tmp = dir + ".tmp-" + std::to_string(::getpid());
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) return make_error("cannot create " + tmp + ": " + ec.message());
  return std::unique_ptr<DumpWriter>(std::make_unique<TreeWriter>(dir, tmp, std::move(layout), replaces));
}

namespace {
// The layout a folder is read with (OpenOptions::layout).
Result<std::pair<std::unique_ptr<Layout>, std::string>> tree_layout_for(const std::string& dir, const SchemaInfo& schema,
                                                                        const std::string& wanted) {
  if (!wanted.empty()) {
    auto l = schema.layout(wanted);
    if (!l) {
      std::string names;
      for (const auto& n : schema.layout_names()) names += (names.empty() ? "" : ", ") + n;
      return make_error("--layout " + wanted + ": schema " + schema.name + " has the tree layouts " + names);
    }
    return std::make_pair(std::move(l), wanted);
  }
  const auto names = schema.layout_names();
  std::error_code ec;
  if (!fs::exists(dir + "/metaport.yaml", ec))
    for (std::size_t i = 1; i < schema.layouts.size(); ++i) {
      auto l = schema.layouts[i].make();
      if (l->recognizes(dir)) return std::make_pair(std::move(l), schema.layouts[i].name);
    }
  return std::make_pair(schema.layout(), names.front());
}
}  // namespace

Result<std::unique_ptr<DumpReader>> open_dump(const std::string& in_path, const SchemaInfo& schema,
                                              const OpenOptions& options) {
  std::error_code ec;
  if (in_path != "-" && fs::is_directory(in_path, ec)) {
    auto layout = tree_layout_for(in_path, schema, options.layout);
    if (!layout) return layout.errors();
    auto r = std::make_unique<TreeReader>(in_path, std::move(layout->first), layout->second, schema,
                                          options.keep_unknown);
    if (auto s = r->open(); !s) return s.errors();
    return std::unique_ptr<DumpReader>(std::move(r));
  }
  if (!options.layout.empty())
    return make_error("--layout " + options.layout + " is for trees (folders); " + in_path + " is not a folder");
  auto in = io::open_input(in_path);
  if (!in) return in.errors();
  return open_stream(std::move(*in), options.extra);
}

Result<std::unique_ptr<DumpReader>> open_stream(std::unique_ptr<io::Input> in, std::span<const ExtraFormat> extra) {
  // Sniff the first non-blank byte, and for the extra formats a little more.
  char c = 0;
  std::string head;
  for (;;) {
    auto n = in->read(&c, 1);
    if (!n) return n.errors();
    if (*n == 0) break;
    head += c;
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
  }
  if (!extra.empty())
    while (head.size() < 256) {
      char more[256];
      auto n = in->read(more, 256 - head.size());
      if (!n) return n.errors();
      if (*n == 0) break;
      head.append(more, *n);
    }
  struct Prefixed : io::Input {
    Prefixed(std::unique_ptr<io::Input> in, std::string head) : in_(std::move(in)), head_(std::move(head)) {}
    Result<std::size_t> read(char* buf, std::size_t n) override {
      if (!head_.empty()) {
        std::size_t k = std::min(n, head_.size());
        std::copy(head_.begin(), head_.begin() + static_cast<long>(k), buf);
        head_.erase(0, k);
        return k;
      }
      return in_->read(buf, n);
    }
    const std::string& name() const override { return in_->name(); }
    std::unique_ptr<io::Input> in_;
    std::string head_;
  };
  auto input = std::make_unique<Prefixed>(std::move(in), head);
  for (const auto& f : extra)
    if (f.sniff && f.sniff(head)) return f.open_reader(std::move(input));
  if (c == '{') {
    auto r = std::make_unique<JsonlReader>(std::move(input));
    if (auto s = r->open(); !s) return s.errors();
    return std::unique_ptr<DumpReader>(std::move(r));
  }
  auto r = std::make_unique<YamlStreamReader>(std::move(input));
  if (auto s = r->open(); !s) return s.errors();
  return std::unique_ptr<DumpReader>(std::move(r));
}

}  // namespace metaport::format
