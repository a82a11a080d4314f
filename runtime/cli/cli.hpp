// The command line of a schema's binary (docs/commands/README.md; a contract):
//   metaport_<schema> COMMAND [ARGS]   (./metaport SCHEMA COMMAND [ARGS])
// Exit status: 0 success; 1 data problems (validation, failed entities,
// version refused); 2 usage errors (bad flags, bad URL, unreadable path).
#pragma once
#include <functional>
#include <string>

#include "metaport/schema.hpp"
#include "runtime/engine/load.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/store/store.hpp"

namespace metaport::cli {

inline constexpr int kOk = 0;
inline constexpr int kDataProblem = 1;
inline constexpr int kUsage = 2;

// What a schema adds to the generic commands: sample data and a demo.
struct SchemaExtras {
  // seed: the records of a realistic sample of `size` (same size => same content).
  std::function<Status(std::size_t size, const std::function<Status(const std::string& kind, Value doc)>& emit)> seed;
  std::size_t default_seed_size = 0;
  // demo: the main job, on SQLite (argv after "demo").
  std::function<int(const SchemaInfo&, const std::vector<std::string>& args)> demo;
  // The schema's own dump formats (fs: juicefs), beside tree, yaml and jsonl.
  std::vector<format::ExtraFormat> formats;
  // dump --subdir PATH: the kind of a subtree's root, and the key of the one
  // PATH names (looked up inside the dump's snapshot). Unset: no --subdir.
  std::string subtree_kind;
  std::function<Result<Key>(store::Store&, const std::string& path)> subtree_root;
};

int run(const SchemaInfo& schema, const SchemaExtras& extras, int argc, char** argv);

}  // namespace metaport::cli
