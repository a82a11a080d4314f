// Git sync (docs/sync.md): a store's content in scope lives in a git branch
// as a tree dump. A development store pushes its changes there, a person
// reviews and merges them, and production stores pull the branch and keep
// that content read-only.
//
//   Sync s(schema);
//   s.connect("sqlite://dev.db", {.repo = "/srv/git/bi.git", .mode = "development"});
//   s.status("sqlite://dev.db", false);
//   s.push("sqlite://dev.db", {.message = "Revenue cards"});
//   s.pull("sqlite://prod.db", {});
//
// Each command prints what it did (stdout) and its problems (stderr) and
// returns the exit status of `metaport SCHEMA sync ...`: 0 done, 1 refused
// or failed on the data or the repository (`remote is ahead`, `unsynced
// local changes`, a file that does not load, the repository unreachable),
// 2 usage (bad flags, a store that is not connected).
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "metaport/schema.hpp"

namespace metaport::sync {

inline constexpr int kDone = 0;
inline constexpr int kRefused = 1;
inline constexpr int kUsage = 2;

struct ConnectOptions {
  std::string repo;  // a path, file://, https://... (a token inside the URL is taken out and kept like --token-file's)
  std::string mode;  // development | production
  std::string branch = "main";
  std::vector<std::string> scope;  // --collection keys; empty: the whole schema
  std::string token_file;          // else METAPORT_GIT_TOKEN, else none
  std::string author;              // "Name <email>" for this store's commits
  std::string layout;              // the tree layout of the branch (--layout); "": as the branch holds it, else the default
};

struct PushOptions {
  std::string message;
  std::string to_branch;  // push to this new branch instead (and sync with it from now on)
  bool force = false;     // write over what the branch holds, after listing it
  std::string author;
};

struct PullOptions {
  bool discard = false;   // drop unsynced local changes
  std::string to_branch;  // push them to this new branch first, then pull
  std::string message;    // for that push
  bool progress = false;  // the load's progress line on stderr
};

struct BranchOptions {
  std::string create;     // a new branch at the synced commit; the store syncs with it from now on
  std::string switch_to;  // an existing branch: pull it and sync with it from now on
};

struct WatchOptions {
  std::string interval = "5m";
  bool once = false;
};

class Sync {
 public:
  explicit Sync(const SchemaInfo& schema, std::FILE* out = stdout, std::FILE* err = stderr)
      : schema_(schema), out_(out), err_(err) {}
  // Where the local git object cache lives (default: see GitRepo::open_cache).
  void set_cache_dir(std::string dir) { cache_dir_ = std::move(dir); }

  int connect(const std::string& store, const ConnectOptions& o);
  int status(const std::string& store, bool json);
  int push(const std::string& store, const PushOptions& o);
  int pull(const std::string& store, const PullOptions& o);
  int branch(const std::string& store, const BranchOptions& o);
  int watch(const std::string& store, const WatchOptions& o);
  // After `migrate` made the kind tables again: a connected store gets its
  // triggers back and its synced entities their new local ids (nothing to
  // do for a store that is not connected).
  int after_migrate(const std::string& store);

 private:
  const SchemaInfo& schema_;
  std::FILE* out_;
  std::FILE* err_;
  std::string cache_dir_;
};

// "30s", "5m", "1h", "90" (seconds); nullopt when malformed.
std::optional<long> parse_interval(const std::string& text);

}  // namespace metaport::sync
