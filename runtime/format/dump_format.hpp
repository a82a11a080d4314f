// The three dump formats (docs/commands/dump.md; names and layout are a contract):
//   tree   a directory, one YAML file per entity, placed by the schema's
//          Layout, plus metaport.yaml (format, schema, version) at the top;
//   yaml   one YAML stream: a header document, one document per entity
//          ({kind, entity}), an end document with the counts;
//   jsonl  the same records as JSON lines: the fast path for big stores.
// Streams end with an end record carrying the counts, so a truncated pipe is
// an error instead of a silently shorter load.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "metaport/entity.hpp"
#include "metaport/layout.hpp"
#include "metaport/result.hpp"
#include "metaport/schema.hpp"
#include "runtime/format/io.hpp"

namespace metaport::format {

inline constexpr int kFormatVersion = 1;

enum class Format { tree, yaml, jsonl };
std::string_view format_name(Format f);
std::optional<Format> parse_format(std::string_view s);

struct DumpHeader {
  int format = kFormatVersion;
  std::string schema;
  int version = 0;
  bool from_metaport = true;  // false: a tree without metaport.yaml (written by Metabase or a person)
  // Streams: the header says `end: counts` (metaport's dump always writes
  // it): the stream must close with an end record, else it is truncated. A
  // hand-written stream leaves it out and may end anywhere (docs/loading.md).
  bool end_required = false;
  // Written with --keep-secrets (`secrets: kept` in the header): the secrets
  // in clear are meant. Without it a secret in clear is reported as a warning
  // (pasted into a reviewed file, it would slip into git unnoticed).
  bool secrets_kept = false;
  std::string layout;         // trees: the name of the layout the tree is read with ("" for streams)
  // Written with --secrets-key: the secrets are sealed with the key of this
  // id (`secrets: sealed`, `secrets_key: ID`); empty otherwise.
  std::string secrets_key;
};

using Counts = std::map<std::string, std::size_t>;

class DumpWriter {
 public:
  virtual ~DumpWriter() = default;
  // The tree format places files by a Layout that must see every entity first.
  virtual bool needs_index() const { return false; }
  virtual bool indexes(const KindInfo&) const { return true; }  // Layout::indexes
  virtual void index(const Entity&) {}
  // The members index() reads (Layout::index_members): the entities it gets
  // may hold only those. nullopt: the whole document.
  virtual std::optional<std::vector<std::string>> index_members(const KindInfo&) const { return std::nullopt; }
  virtual Status begin(const DumpHeader& h) = 0;
  // `doc` is the document as it is to appear (secrets redacted, unknowns back in place).
  virtual Status write(const Entity& e, const Value& doc) = 0;
  // A writer that can take the document as JSON text says so; the engine
  // then renders it straight from the store's row (runtime/engine/row_json.hpp)
  // instead of building a Value, and calls write_json with the bytes
  // json::write(doc) would give. It still calls write() for the rows it
  // cannot render that way.
  virtual bool takes_json() const { return false; }
  virtual Status write_json(const KindInfo& kind, std::string_view doc_json) {
    (void)kind, (void)doc_json;
    return make_error("this dump writer does not take JSON text");
  }
  virtual Status finish(const Counts& counts) = 0;
};

// out_path: "-" for stdout.
Result<std::unique_ptr<DumpWriter>> make_stream_writer(Format f, const std::string& out_path);
// The same onto any output (an in-process pipe: runtime/format/pipe.hpp).
std::unique_ptr<DumpWriter> make_stream_writer(Format f, std::unique_ptr<io::Output> out);
// Writes the tree in a temporary folder beside `dir` and swaps it in at finish:
// no stale files from a previous dump, and nothing half-written on failure.
// `dir` may be empty, a metaport dump, or a tree the layout recognizes (a
// Metabase export, a git checkout of one); the files of `dir` the layout
// does not own (hidden ones such as .git, READMEs, CI files) are kept, and a
// file whose content did not change keeps its old text byte for byte, so
// that re-dumping over another tool's tree shows only real changes.
Result<std::unique_ptr<DumpWriter>> make_tree_writer(const std::string& dir, std::unique_ptr<Layout> layout);

struct Record {
  std::string kind;
  Value doc;
  Origin origin;
  // What the tree's layout found wrong while converting the file (an
  // unconvertible query clause, an unknown member): the record is known,
  // with its kind and key, and fails as an entity with these errors.
  Errors problems = Errors{};
};

// A record as it comes off the input, before the expensive part of reading
// it: a JSON line or a YAML document (streams), or a file's path (trees).
struct RawRecord {
  std::string text;
  std::string path;  // trees: the file; streams: the stream's name
  std::string rel;   // trees: the path below the tree's root
  Mark at;           // streams: the record's first line
  // A reader that splits and parses in one pass (a nested document read
  // piece by piece: a JuiceFS dump) hands the record over parsed; its
  // parse() then only moves these.
  std::string kind;
  Value doc;
  std::string where;  // Origin::where
};

enum class Parsed { record, skipped, failed };

class DumpReader {
 public:
  virtual ~DumpReader() = default;
  virtual const DumpHeader& header() const = 0;
  // Reading in two steps, so loads can decode on every core:
  //   next_raw()  sequential and cheap (splits the input, handles the
  //               header and end records); false at the end;
  //   parse()     thread-safe: the parsing, the envelope, the kind;
  //               `skipped` is a tree file that holds no entity;
  //   accepted()  in input order, for every record parse() produced
  //               (streams check their end record's counts).
  virtual bool next_raw(RawRecord& raw, Errors& errors) = 0;
  virtual Parsed parse(RawRecord& raw, Record& out, Errors& errors) const = 0;
  virtual void accepted(const Record&) {}
  virtual void skipped(const RawRecord&) {}
  // The three in one. A record that cannot be read (bad YAML/JSON, no kind)
  // adds its errors (with file:line) and reading goes on.
  bool next(Record& r, Errors& errors) {
    RawRecord raw;
    while (next_raw(raw, errors)) {
      switch (parse(raw, r, errors)) {
        case Parsed::record: accepted(r); return true;
        case Parsed::skipped: skipped(raw); break;
        case Parsed::failed: break;
      }
    }
    return false;
  }
  // After the last record: truncation and count checks.
  virtual Status finish() = 0;
  // Total records if known in advance (for progress), else 0.
  virtual std::size_t expected() const { return 0; }
  // Files of a tree that hold no entity of this schema (listed in the report).
  virtual std::vector<std::string> ignored() const { return {}; }
};

// A schema's own dump format beside tree, yaml and jsonl (the fs schema's
// `juicefs`: the JSON `juicefs dump` writes). Chosen for a dump by --format
// or OUT's extension, for a load by the input's first bytes.
struct ExtraFormat {
  std::string name;
  std::vector<std::string> extensions;  // ".json", ".json.gz", ...
  // Whether an input starting with these bytes (decompressed; up to 256) is one.
  std::function<bool(std::string_view head)> sniff;
  std::function<Result<std::unique_ptr<DumpReader>>(std::unique_ptr<io::Input>)> open_reader;
  std::function<Result<std::unique_ptr<DumpWriter>>(const std::string& out_path)> make_writer;
};

struct OpenOptions {
  // Trees: the schema's layout to read with ("" : the one whose files the
  // folder holds, see Layout::recognizes; a folder with metaport.yaml, or
  // that no other layout recognizes, is read with the default one).
  std::string layout;
  bool keep_unknown = false;  // members the layout does not know are carried (--keep-unknown)
  std::span<const ExtraFormat> extra;  // the schema's own formats, recognised by their first bytes
};

// Detects the format: a directory is a tree; otherwise the first bytes tell
// one of `options.extra` formats, JSON lines ('{') or a YAML stream. "-"
// reads stdin.
Result<std::unique_ptr<DumpReader>> open_dump(const std::string& in_path, const SchemaInfo& schema,
                                              const OpenOptions& options = {});
// A yaml or jsonl stream (or one of `extra`) from any input: a file, stdin,
// bytes in memory.
Result<std::unique_ptr<DumpReader>> open_stream(std::unique_ptr<io::Input> in, std::span<const ExtraFormat> extra = {});

}  // namespace metaport::format
