// Shared helpers of the engine tests: build dumps from documents, load and
// dump real stores in-process, read a dump back as text.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "metaport/format/json.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "runtime/engine/dump.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/store/store.hpp"
#include "tests/support/test_stores.hpp"

namespace metaport::testing {

struct Rec {
  std::string kind;
  Value doc;
};

inline Value parse_json(const std::string& s) {
  auto v = json::parse(s);
  if (!v) throw std::runtime_error("bad JSON in test: " + s);
  return *v;
}

// Writes records as a jsonl dump (the header carries `version`).
// `secrets_kept`: the header says it was written with --keep-secrets.
inline void write_dump(const SchemaInfo& schema, const std::string& path, const std::vector<Rec>& recs,
                       format::Format f = format::Format::jsonl, int version = -1, bool secrets_kept = false) {
  auto w = format::make_stream_writer(f, path);
  if (!w) throw std::runtime_error(w.errors().to_string());
  format::DumpHeader h;
  h.schema = schema.name;
  h.version = version < 0 ? schema.version : version;
  h.secrets_kept = secrets_kept;
  if (!(*w)->begin(h)) throw std::runtime_error("begin");
  format::Counts counts;
  for (const auto& r : recs) {
    Entity e;
    e.kind = schema.find(r.kind);
    KindInfo unknown;
    unknown.name = r.kind;
    if (!e.kind) e.kind = &unknown;
    ++counts[r.kind];
    auto s = (*w)->write(e, r.doc);
    if (!s) throw std::runtime_error(s.errors().to_string());
  }
  auto s = (*w)->finish(counts);
  if (!s) throw std::runtime_error(s.errors().to_string());
}

inline std::unique_ptr<store::Store> open_store(const std::string& url, const SchemaInfo& schema, bool create = true) {
  store::OpenOptions o;
  o.create = create;
  auto st = store::open_store(url, o);
  if (!st) throw std::runtime_error(st.errors().to_string());
  auto stored = (*st)->stored_schema();
  if (!stored) throw std::runtime_error(stored.errors().to_string());
  auto s = *stored ? (*st)->check_schema(schema) : (*st)->create_schema(schema);
  if (!s) throw std::runtime_error(s.errors().to_string());
  return std::move(*st);
}

inline engine::LoadReport load_path(const std::string& url, const SchemaInfo& schema, const std::string& in,
                                    engine::LoadOptions opts = {}) {
  auto st = open_store(url, schema);
  auto r = format::open_dump(in, schema);
  if (!r) throw std::runtime_error(r.errors().to_string());
  auto rep = engine::load(*st, schema, **r, opts);
  if (!rep) throw std::runtime_error(rep.errors().to_string());
  return std::move(*rep);
}

inline std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A tree as one text: "== path\n<content>" for every file, sorted.
inline std::string tree_text(const std::string& dir) {
  std::vector<std::string> files;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(std::filesystem::relative(e.path(), dir).generic_string());
  std::sort(files.begin(), files.end());
  std::string out;
  for (const auto& f : files) out += "== " + f + "\n" + read_text(dir + "/" + f);
  return out;
}

inline Result<engine::DumpReport> try_dump(const std::string& url, const SchemaInfo& schema, format::Format f,
                                           const std::string& out, engine::DumpOptions opts = {}) {
  auto st = open_store(url, schema, false);
  auto w = f == format::Format::tree ? format::make_tree_writer(out, schema.layout()) : format::make_stream_writer(f, out);
  if (!w) return w.errors();
  return engine::dump(*st, schema, **w, opts);
}

// Dumps and returns the dump as text (tree: all files).
inline std::string dump_text(const std::string& url, const SchemaInfo& schema, format::Format f, const std::string& out,
                             engine::DumpOptions opts = {}) {
  auto r = try_dump(url, schema, f, out, opts);
  if (!r) throw std::runtime_error(r.errors().to_string());
  return f == format::Format::tree ? tree_text(out) : read_text(out);
}

inline std::size_t total(const engine::LoadReport& r, std::size_t engine::KindCounts::*field) {
  std::size_t n = 0;
  for (const auto& [k, c] : r.kinds) n += c.*field;
  return n;
}

inline std::string all_errors(const engine::LoadReport& r) { return r.text(); }

}  // namespace metaport::testing
