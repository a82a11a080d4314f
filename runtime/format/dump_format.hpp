// The three dump formats (DESIGN §4, contract for names and layout):
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
#include <string>

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
};

using Counts = std::map<std::string, std::size_t>;

class DumpWriter {
 public:
  virtual ~DumpWriter() = default;
  // The tree format places files by a Layout that must see every entity first.
  virtual bool needs_index() const { return false; }
  virtual void index(const Entity&) {}
  virtual Status begin(const DumpHeader& h) = 0;
  // `doc` is the document as it is to appear (secrets redacted, unknowns back in place).
  virtual Status write(const Entity& e, const Value& doc) = 0;
  virtual Status finish(const Counts& counts) = 0;
};

// out_path: "-" for stdout.
Result<std::unique_ptr<DumpWriter>> make_stream_writer(Format f, const std::string& out_path);
// Writes the tree in a temporary folder beside `dir` and swaps it in at finish:
// no stale files from a previous dump, and nothing half-written on failure.
Result<std::unique_ptr<DumpWriter>> make_tree_writer(const std::string& dir, std::unique_ptr<Layout> layout);

struct Record {
  std::string kind;
  Value doc;
  Origin origin;
};

class DumpReader {
 public:
  virtual ~DumpReader() = default;
  virtual const DumpHeader& header() const = 0;
  // The next record; false at the end. A record that cannot be read (bad
  // YAML/JSON, no kind) adds its errors (with file:line) and reading goes on.
  virtual bool next(Record& r, Errors& errors) = 0;
  // After the last record: truncation and count checks.
  virtual Status finish() = 0;
  // Total records if known in advance (for progress), else 0.
  virtual std::size_t expected() const { return 0; }
  // Files of a tree that hold no entity of this schema (listed in the report).
  virtual std::vector<std::string> ignored() const { return {}; }
};

// Detects the format: a directory is a tree; otherwise the first byte tells
// JSON lines ('{') from a YAML stream. "-" reads stdin.
Result<std::unique_ptr<DumpReader>> open_dump(const std::string& in_path, const SchemaInfo& schema);

}  // namespace metaport::format
