// Git for the sync, on libgit2 (no `git` binary, no work tree): a local bare
// repository per remote URL serves as an object cache. Fetches bring only
// the new objects; pushes build blobs, trees and the commit in memory
// (libgit2's mempack backend), write them to the cache as one pack, and send
// the remote only what it lacks.
//
//   auto repo = GitRepo::open_cache("https://git.example.com/bi.git");
//   auto head = repo->fetch("main", auth);            // nullopt: no such branch
//   Oid blob = repo->write_blob(text);
//   Oid tree = repo->update_tree(base_tree, changes);
//   Oid c = repo->commit(tree, parent, "message", author);
//   repo->push(c, "main", auth, {.force = false});
//
// Errors are values; messages name the repository (never with its token).
#pragma once
#include <git2.h>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "metaport/result.hpp"

namespace metaport::sync {

// A git object id (SHA-1).
struct Oid {
  git_oid raw{};
  std::string hex() const;
  std::string short_hex() const { return hex().substr(0, 10); }
  static std::optional<Oid> parse(std::string_view hex);
  friend bool operator==(const Oid& a, const Oid& b) { return git_oid_equal(&a.raw, &b.raw); }
};

// The id a blob of these bytes has, without writing it anywhere.
Oid blob_id(std::string_view bytes);

// How to authenticate to an HTTPS remote: a token sent as the password of
// HTTP basic auth (user: the URL's, else "x-access-token", which GitHub,
// GitLab and Gitea accept with a personal access token).
struct Auth {
  std::optional<std::string> token;
};

// "Name <email>".
struct Signature {
  std::string name = "metaport";
  std::string email = "metaport@localhost";
  static Result<Signature> parse(std::string_view text);
  std::string str() const { return name + " <" + email + ">"; }
};

struct TreeChange {
  std::string path;
  std::optional<Oid> blob;  // nullopt: remove the file
};

struct CommitInfo {
  Oid id;
  std::string summary;  // the message's first line
  std::string author;   // "Name <email>"
  std::int64_t time = 0;
};

// One file that differs between two trees.
struct FileDelta {
  std::string path;
  std::optional<Oid> old_blob, new_blob;  // nullopt: absent on that side
};

enum class PushResult { pushed, rejected };

// The files of a tree one at a time, in path order (byte order), without
// holding the tree: only the folders on the current path are open.
class TreeWalk {
 public:
  ~TreeWalk();
  TreeWalk(const TreeWalk&) = delete;
  TreeWalk& operator=(const TreeWalk&) = delete;
  // The next file: false at the end.
  Result<bool> next(std::string& path, Oid& blob);

 private:
  friend class GitRepo;
  struct Folder {
    git_tree* tree;
    std::size_t at;
    std::string prefix;
  };
  TreeWalk(git_repository* repo, git_tree* root) : repo_(repo), open_{Folder{root, 0, {}}} {}
  git_repository* repo_;
  std::vector<Folder> open_;
};

class GitRepo {
 public:
  ~GitRepo();
  GitRepo(const GitRepo&) = delete;
  GitRepo& operator=(const GitRepo&) = delete;

  // The cache for `url`: under `root` if given, else METAPORT_GIT_CACHE,
  // else $XDG_CACHE_HOME/metaport/git, else ~/.cache/metaport/git, one bare
  // repository per URL (created on first use). `url` must not carry
  // credentials (see split_credentials).
  static Result<std::unique_ptr<GitRepo>> open_cache(const std::string& url, const std::string& root = {});
  // A bare repository at `dir` (created if missing) talking to `url`.
  static Result<std::unique_ptr<GitRepo>> open_at(const std::string& dir, const std::string& url);

  const std::string& url() const { return url_; }

  // ---- the remote ------------------------------------------------------------
  // Fetches `branch` (only it) into the cache; the branch's head, nullopt when
  // the remote has no such branch (an empty repository has none).
  Result<std::optional<Oid>> fetch(const std::string& branch, const Auth& auth);
  // The remote's branches and their heads (one round trip, no objects).
  Result<std::vector<std::pair<std::string, Oid>>> branches(const Auth& auth);
  // Whether we may push: a dry push of `probe` (a commit the cache has) to a
  // throw-away ref under refs/metaport/probe/, deleted again at once. The
  // remote's own rules decide (file permissions, a server's auth and
  // receive-pack settings), as they will for the real pushes.
  Status check_push_access(const Oid& probe, const Auth& auth);
  // Sets the remote's `branch` to `commit`. Without `force` only as a fast
  // forward: rejected when the branch moved (someone pushed meanwhile).
  Result<PushResult> push(const Oid& commit, const std::string& branch, const Auth& auth, bool force);

  // ---- objects ---------------------------------------------------------------
  // Writes go to memory and reach the cache's disk as one pack at flush()
  // (or every few MiB, so memory stays bounded).
  Result<Oid> write_blob(std::string_view bytes);
  Result<std::string> read_blob(const Oid& blob);
  bool has_object(const Oid& id);
  Result<Oid> tree_of(const Oid& commit);
  // `base` with `changes` applied (nullopt base: the empty tree). Changes
  // need not be sorted; a path appears at most once.
  Result<Oid> update_tree(const std::optional<Oid>& base, const std::vector<TreeChange>& changes);
  // A new tree (no base) of the files `each` hands to its sink, in path
  // order (byte order, as git sorts a tree's paths), each path once. Only
  // the folders on the current path are open (a libgit2 tree builder each,
  // written when the paths leave it), so memory holds the open folders'
  // entries, never the whole tree.
  using FileSink = std::function<Status(const std::string& path, const Oid& blob)>;
  Result<Oid> write_tree(const std::function<Status(const FileSink&)>& each);
  Result<Oid> commit(const Oid& tree, const std::optional<Oid>& parent, const std::string& message,
                     const Signature& author);
  Status flush();

  // Every file of a tree, one at a time, in path order.
  Result<std::unique_ptr<TreeWalk>> walk(const Oid& tree);
  // Every file of a tree, recursively, in path order.
  Status each_file(const Oid& tree, const std::function<Status(const std::string& path, const Oid& blob)>& f);
  // The blob at `path` in `tree`, if there is one.
  Result<std::optional<Oid>> file_at(const Oid& tree, const std::string& path);
  // The blobs of many paths at once (paths the tree lacks are left out): one
  // walk of the tree instead of one descent from its root per path.
  Result<std::unordered_map<std::string, Oid>> files_at(const Oid& tree, const std::vector<std::string>& paths);
  // The files that differ between two trees (nullopt: the empty tree).
  Result<std::vector<FileDelta>> diff(const std::optional<Oid>& old_tree, const Oid& new_tree);
  // Commits reachable from `to` and not from `from` (nullopt: all), newest first.
  Result<std::vector<CommitInfo>> log(const std::optional<Oid>& from, const Oid& to);
  // Whether `ancestor` is `commit` or one of its ancestors.
  Result<bool> descends(const Oid& commit, const Oid& ancestor);

 private:
  GitRepo(git_repository* repo, std::string url, std::string dir);
  Result<git_remote*> remote();
  // One push of `specs`, in which "@" stands for `commit` (through a
  // short-lived local ref: libgit2 pushes references); ":ref" deletes.
  struct PushOutcome {
    int rc = 0;               // git_remote_push's
    std::string error;        // rc != 0: in words (never with the token)
    std::string detail;       // rc != 0: libgit2's own message
    std::vector<std::string> rejected;  // refs the server refused, with its reason
  };
  Result<PushOutcome> push_specs(const std::optional<Oid>& commit, std::vector<std::string> specs, const Auth& auth);
  Status begin_writes();

  git_repository* repo_ = nullptr;
  git_odb_backend* mempack_ = nullptr;  // owned by the odb once added
  std::size_t pending_bytes_ = 0;
  // What flush() packs: blobs and commits written since the last flush, and
  // the root trees made (their new subtrees are found from them).
  std::vector<Oid> pending_objects_, pending_trees_;
  std::string url_, dir_;
};

// A new, empty bare repository at `path` (what `git init --bare` makes).
Status init_bare_repository(const std::string& path);

// "https://user:secret@host/x.git" -> ("https://user@host/x.git", "secret"):
// a token given inside the URL is kept like one given in a file, and the URL
// that is stored and printed carries none.
std::pair<std::string, std::optional<std::string>> split_credentials(const std::string& url);
// Whether `name` may name a branch ("main", "feature/x"; not "a..b", "-x").
bool valid_branch_name(const std::string& name);
// Whether `url` names a repository on this machine (a path or file://).
bool is_local_url(const std::string& url);
// Whether sending a token to `url` is safe: https://, or http:// to loopback.
bool token_allowed(const std::string& url);

}  // namespace metaport::sync
