#include "runtime/sync/git.hpp"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>

namespace fs = std::filesystem;

namespace metaport::sync {

namespace {

void init_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // Objects are read from metaport's own cache, where they were hashed when
    // they arrived (a fetched pack is indexed and checked); hashing them
    // again on every read made a pull's bookkeeping over 100k files slow.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    // A tree builder looks up every entry's object before taking it; the
    // entries of the trees metaport builds are blobs and trees it has just
    // written itself. Through small pack windows (below) that lookup made
    // writing a first commit's tree of 100k files 12x slower.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
    // Pack files are read through memory maps, which count in the process's
    // resident memory; libgit2 maps up to 8 GiB in 1 GiB windows on 64-bit
    // machines, so reading a large pack (a push sends every object of a
    // first commit, a pull reads every blob) held all of it. Small windows
    // and a small total keep that a constant (docs/sync.md, Speed).
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, static_cast<std::size_t>(2u << 20));
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, static_cast<std::size_t>(16u << 20));
  });
}

std::string last_error() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const {
    if (p) Free(p);
  }
};
using RemotePtr = std::unique_ptr<git_remote, Deleter<git_remote, git_remote_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using BlobPtr = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using SigPtr = std::unique_ptr<git_signature, Deleter<git_signature, git_signature_free>>;
using DiffPtr = std::unique_ptr<git_diff, Deleter<git_diff, git_diff_free>>;
using WalkPtr = std::unique_ptr<git_revwalk, Deleter<git_revwalk, git_revwalk_free>>;
using RefPtr = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using OdbPtr = std::unique_ptr<git_odb, Deleter<git_odb, git_odb_free>>;
using EntryPtr = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry, git_tree_entry_free>>;

// What the remote callbacks learn, so that errors can say what happened in
// words a user acts on (and never with the token).
struct Session {
  const Auth* auth = nullptr;
  std::string url;
  int attempts = 0;
  bool asked = false;  // the server wanted credentials
  bool refused = false;  // ... and refused the ones given
  std::vector<std::string> rejected;  // refs the server refused to update, with its reason
};

int on_credentials(git_credential** out, const char*, const char* user_from_url, unsigned int allowed, void* payload) {
  auto* s = static_cast<Session*>(payload);
  s->asked = true;
  if ((allowed & GIT_CREDENTIAL_SSH_KEY) && !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) {
    if (s->attempts++ > 0) { s->refused = true; return GIT_EUSER; }
    return git_credential_ssh_key_from_agent(out, user_from_url && *user_from_url ? user_from_url : "git");
  }
  if (!s->auth || !s->auth->token || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) return GIT_EUSER;
  if (s->attempts++ > 0) {  // the server said no to the token: asking again would loop
    s->refused = true;
    return GIT_EUSER;
  }
  const char* user = user_from_url && *user_from_url ? user_from_url : "x-access-token";
  return git_credential_userpass_plaintext_new(out, user, s->auth->token->c_str());
}

int on_push_update(const char* refname, const char* status, void* payload) {
  if (status) static_cast<Session*>(payload)->rejected.push_back(std::string(refname) + " (" + status + ")");
  return 0;
}

git_remote_callbacks callbacks(Session& s) {
  git_remote_callbacks cb;
  git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
  cb.credentials = on_credentials;
  cb.push_update_reference = on_push_update;
  cb.payload = &s;
  return cb;
}

// A libgit2 failure talking to the remote, in words.
Error remote_error(const Session& s, std::string_view what) {
  if (s.refused)
    return make_error(s.url + ": authentication failed: the server refused the token (check --token-file or METAPORT_GIT_TOKEN)");
  if (s.asked && (!s.auth || !s.auth->token))
    return make_error(s.url + ": the repository asks for credentials: give a token with --token-file or METAPORT_GIT_TOKEN");
  std::string why = last_error();
  if (is_local_url(s.url)) {
    // libgit2 says "unsupported URL protocol" for a path that is not there.
    const std::string path = s.url.rfind("file://", 0) == 0 ? s.url.substr(7) : s.url;
    std::error_code ec;
    if (!fs::exists(path, ec)) why = "no such folder (a bare repository is made with `git init --bare`)";
    else if (git_repository* r = nullptr; git_repository_open_ext(&r, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0)
      why = "not a git repository";
    else
      git_repository_free(r);
  }
  return make_error(s.url + ": cannot " + std::string(what) + ": " + why);
}

std::string cache_root() {
  if (const char* d = std::getenv("METAPORT_GIT_CACHE"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/metaport/git";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/metaport/git";
  return "/tmp/metaport-git-" + std::to_string(::getuid());
}

// Up to this many bytes of new objects are held in memory before they are
// written to the cache as a pack (a few packs more in a large first push
// cost less than holding its files: docs/sync.md, Speed).
constexpr std::size_t kFlushBytes = 8u << 20;

}  // namespace

std::string Oid::hex() const {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &raw);
  return buf;
}

std::optional<Oid> Oid::parse(std::string_view hex) {
  if (hex.size() != GIT_OID_HEXSZ) return std::nullopt;
  Oid o;
  if (git_oid_fromstrn(&o.raw, hex.data(), hex.size()) != 0) return std::nullopt;
  return o;
}

Oid blob_id(std::string_view bytes) {
  Oid o;
  git_odb_hash(&o.raw, bytes.data(), bytes.size(), GIT_OBJECT_BLOB);
  return o;
}

Result<Signature> Signature::parse(std::string_view text) {
  const auto lt = text.find('<'), gt = text.rfind('>');
  if (lt == std::string_view::npos || gt == std::string_view::npos || gt < lt || gt + 1 != text.size())
    return make_error("--author " + std::string(text) + ": expected \"Name <email>\"");
  Signature s;
  std::string_view name = text.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  s.name = std::string(name);
  s.email = std::string(text.substr(lt + 1, gt - lt - 1));
  if (s.name.empty() || s.email.empty()) return make_error("--author " + std::string(text) + ": expected \"Name <email>\"");
  return s;
}

std::pair<std::string, std::optional<std::string>> split_credentials(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return {url, std::nullopt};
  const auto host_start = scheme + 3;
  const auto slash = url.find('/', host_start);
  const auto at = url.rfind('@', slash == std::string::npos ? std::string::npos : slash);
  if (at == std::string::npos || at < host_start) return {url, std::nullopt};
  const std::string userinfo = url.substr(host_start, at - host_start);
  const auto colon = userinfo.find(':');
  if (colon == std::string::npos) return {url, std::nullopt};
  std::string clean = url.substr(0, host_start) + userinfo.substr(0, colon);
  if (colon > 0) clean += '@';
  clean += url.substr(at + 1);
  return {clean, userinfo.substr(colon + 1)};
}

Status init_bare_repository(const std::string& path) {
  init_libgit2();
  git_repository* repo = nullptr;
  git_repository_init_options o;
  git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
  o.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
  o.initial_head = "main";
  if (git_repository_init_ext(&repo, path.c_str(), &o) != 0)
    return make_error("cannot create a repository at " + path + ": " + last_error());
  git_repository_free(repo);
  return ok_status();
}

bool valid_branch_name(const std::string& name) {
  init_libgit2();
  int valid = 0;
  if (name.empty() || name[0] == '-') return false;
  return git_reference_name_is_valid(&valid, ("refs/heads/" + name).c_str()) == 0 && valid;
}

bool is_local_url(const std::string& url) {
  if (url.rfind("file://", 0) == 0) return true;
  if (url.find("://") != std::string::npos) return false;
  // scp-like ssh ("host:path") has a colon before the first slash.
  const auto colon = url.find(':'), slash = url.find('/');
  return colon == std::string::npos || (slash != std::string::npos && slash < colon);
}

bool token_allowed(const std::string& url) {
  if (url.rfind("https://", 0) == 0) return true;
  if (url.rfind("http://", 0) != 0) return false;
  std::string host = url.substr(7, url.find('/', 7) - 7);
  if (auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
  if (host.rfind("[::1]", 0) == 0) return true;
  host = host.substr(0, host.find(':'));
  return host == "localhost" || host == "127.0.0.1";
}

// ---- GitRepo -------------------------------------------------------------------

GitRepo::GitRepo(git_repository* repo, std::string url, std::string dir)
    : repo_(repo), url_(std::move(url)), dir_(std::move(dir)) {}

GitRepo::~GitRepo() {
  (void)flush();
  git_repository_free(repo_);
}

Result<std::unique_ptr<GitRepo>> GitRepo::open_cache(const std::string& url, const std::string& root) {
  init_libgit2();
  // One folder per URL: a readable hint and a hash (the URL never holds a token).
  std::string hint;
  for (char c : url.substr(url.find_last_of('/') + 1)) hint += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  if (hint.size() > 40) hint.resize(40);
  return open_at((root.empty() ? cache_root() : root) + "/" + hint + "-" + blob_id(url).hex().substr(0, 16) + ".git", url);
}

Result<std::unique_ptr<GitRepo>> GitRepo::open_at(const std::string& dir, const std::string& url) {
  init_libgit2();
  git_repository* repo = nullptr;
  if (git_repository_open_bare(&repo, dir.c_str()) != 0) {
    std::error_code ec;
    fs::create_directories(fs::path(dir).parent_path(), ec);
    if (git_repository_init(&repo, dir.c_str(), /*is_bare=*/1) != 0)
      return make_error("cannot create the git cache " + dir + ": " + last_error() +
                        " (set METAPORT_GIT_CACHE to a writable folder)");
  }
  // Packs without delta compression: most of the time of a first push of a
  // large tree went to finding deltas between YAML files that zlib already
  // squeezes well (docs/sync.md, Speed), twice (the cache's pack, the one
  // sent). git skips deltas for objects above core.bigFileThreshold;
  // libgit2 1.5 reads that limit from pack.deltaCacheSize (its bug, fixed
  // later), so both are set.
  git_config* cfg = nullptr;
  if (git_repository_config(&cfg, repo) == 0) {
    git_config_set_int64(cfg, "core.bigFileThreshold", 1);
    git_config_set_int64(cfg, "pack.deltaCacheSize", 1);
    git_config_free(cfg);
  }
  return std::unique_ptr<GitRepo>(new GitRepo(repo, url, dir));
}

Result<git_remote*> GitRepo::remote() {
  git_remote* r = nullptr;
  if (git_remote_create_anonymous(&r, repo_, url_.c_str()) != 0)
    return make_error(url_ + ": not a repository URL libgit2 understands: " + last_error());
  return r;
}

Result<std::optional<Oid>> GitRepo::fetch(const std::string& branch, const Auth& auth) {
  auto r = remote();
  if (!r) return r.errors();
  RemotePtr rem(*r);
  Session s{&auth, url_};
  git_fetch_options fo;
  git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
  fo.callbacks = callbacks(s);
  fo.update_fetchhead = 0;
  fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  std::string spec = "+refs/heads/" + branch + ":refs/metaport/heads/" + branch;
  char* specs[] = {spec.data()};
  git_strarray arr{specs, 1};
  if (git_remote_fetch(rem.get(), &arr, &fo, nullptr) != 0) return remote_error(s, "fetch " + branch);
  const git_remote_head** heads = nullptr;
  std::size_t n = 0;
  if (git_remote_ls(&heads, &n, rem.get()) != 0) return remote_error(s, "list the branches");
  const std::string want = "refs/heads/" + branch;
  for (std::size_t i = 0; i < n; ++i)
    if (want == heads[i]->name) {
      Oid o;
      git_oid_cpy(&o.raw, &heads[i]->oid);
      if (!has_object(o)) return make_error(url_ + ": fetched " + branch + " but its head " + o.hex() + " did not arrive");
      return std::optional<Oid>(o);
    }
  return std::optional<Oid>();
}

Result<std::vector<std::pair<std::string, Oid>>> GitRepo::branches(const Auth& auth) {
  auto r = remote();
  if (!r) return r.errors();
  RemotePtr rem(*r);
  Session s{&auth, url_};
  git_remote_callbacks cb = callbacks(s);
  if (git_remote_connect(rem.get(), GIT_DIRECTION_FETCH, &cb, nullptr, nullptr) != 0) return remote_error(s, "connect");
  const git_remote_head** heads = nullptr;
  std::size_t n = 0;
  if (git_remote_ls(&heads, &n, rem.get()) != 0) return remote_error(s, "list the branches");
  std::vector<std::pair<std::string, Oid>> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string name = heads[i]->name;
    if (name.rfind("refs/heads/", 0) != 0) continue;
    Oid o;
    git_oid_cpy(&o.raw, &heads[i]->oid);
    out.emplace_back(name.substr(11), o);
  }
  git_remote_disconnect(rem.get());
  return out;
}

Status GitRepo::check_push_access(const Oid& probe, const Auth& auth) {
  // A real push, not a look at permissions (a folder's mode bits say nothing
  // for root, a server's rules are its own): `probe`, a commit the cache
  // has, goes to a throw-away ref in metaport's own namespace (no branch, so
  // nothing that watches branches fires), which is deleted again at once.
  static std::atomic<int> counter{0};
  const std::string ref = "refs/metaport/probe/" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
                          std::to_string(static_cast<long long>(std::time(nullptr)));
  const std::string what = url_ + " is not writable, and a development store pushes to it (--mode production only "
                           "pulls): a dry push to a throw-away ref failed: ";
  auto made = push_specs(probe, {"@:" + ref}, auth);
  if (!made) return made.errors();
  if (made->rc != 0) return make_error(what + made->error);
  if (!made->rejected.empty()) return make_error(what + "the server refused " + made->rejected.front());
  auto removed = push_specs(std::nullopt, {":" + ref}, auth);
  if (!removed) return removed.errors();
  if (removed->rc != 0 || !removed->rejected.empty())
    return make_error(url_ + ": the dry push made " + ref + " but could not delete it again (" +
                      (removed->rc != 0 ? removed->error : removed->rejected.front()) + "): delete that ref by hand");
  return ok_status();
}

Result<GitRepo::PushOutcome> GitRepo::push_specs(const std::optional<Oid>& commit, std::vector<std::string> specs,
                                                 const Auth& auth) {
  if (auto f = flush(); !f) return f.errors();
  // libgit2 pushes references, not bare commits: a short-lived local one
  // ("@" in a spec).
  static std::atomic<int> counter{0};
  const std::string local = "refs/metaport/push/" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  git_reference* ref = nullptr;
  if (commit && git_reference_create(&ref, repo_, local.c_str(), &commit->raw, 1, nullptr) != 0)
    return make_error("git cache " + dir_ + ": " + last_error());
  RefPtr refp(ref);
  struct Drop {
    git_reference* r;
    ~Drop() {
      if (r) git_reference_delete(r);
    }
  } drop{ref};
  auto r = remote();
  if (!r) return r.errors();
  RemotePtr rem(*r);
  Session s{&auth, url_};
  git_push_options po;
  git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
  po.pb_parallelism = 0;  // every core
  po.callbacks = callbacks(s);
  std::vector<char*> ptrs;
  for (auto& spec : specs) {
    if (const auto at = spec.find('@'); at != std::string::npos) spec.replace(at, 1, local);
    ptrs.push_back(spec.data());
  }
  git_strarray arr{ptrs.data(), ptrs.size()};
  PushOutcome out;
  out.rc = git_remote_push(rem.get(), &arr, &po);
  if (out.rc != 0) {
    out.detail = last_error();
    out.error = remote_error(s, "push").message;
  }
  out.rejected = std::move(s.rejected);
  return out;
}

Result<PushResult> GitRepo::push(const Oid& commit, const std::string& branch, const Auth& auth, bool force) {
  auto out = push_specs(commit, {(force ? "+@:refs/heads/" : "@:refs/heads/") + branch}, auth);
  if (!out) return out.errors();
  if (out->rc == GIT_ENONFASTFORWARD || (out->rc == 0 && !out->rejected.empty())) return PushResult::rejected;
  if (out->rc != 0) {
    // libgit2 refuses a non-fast-forward it can see before sending anything.
    if (out->detail.find("non-fastforwardable") != std::string::npos ||
        out->detail.find("not present locally") != std::string::npos)
      return PushResult::rejected;
    return make_error(out->error);
  }
  return PushResult::pushed;
}

// ---- objects ---------------------------------------------------------------------

Status GitRepo::begin_writes() {
  if (mempack_) return ok_status();
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo_) != 0) return make_error("git cache " + dir_ + ": " + last_error());
  OdbPtr odbp(odb);
  if (git_mempack_new(&mempack_) != 0) return make_error("git cache " + dir_ + ": " + last_error());
  // Highest priority: new objects go to memory first.
  if (git_odb_add_backend(odb, mempack_, 1000) != 0) {
    mempack_->free(mempack_);
    mempack_ = nullptr;
    return make_error("git cache " + dir_ + ": " + last_error());
  }
  return ok_status();
}

Status GitRepo::flush() {
  if (!mempack_ || (pending_objects_.empty() && pending_trees_.empty())) return ok_status();
  const std::string where = "git cache " + dir_ + ": packing: ";
  git_packbuilder* pb = nullptr;
  if (git_packbuilder_new(&pb, repo_) != 0) return make_error(where + last_error());
  std::unique_ptr<git_packbuilder, Deleter<git_packbuilder, git_packbuilder_free>> pbp(pb);
  git_packbuilder_set_threads(pb, 0);
  for (const auto& o : pending_objects_)
    if (git_packbuilder_insert(pb, &o.raw, nullptr) != 0) return make_error(where + last_error());
  // New trees are those still in memory: a subtree already on disk is old,
  // and so is everything below it.
  std::vector<Oid> stack = pending_trees_;
  while (!stack.empty()) {
    const Oid t = stack.back();
    stack.pop_back();
    if (!mempack_->exists(mempack_, &t.raw)) continue;
    if (git_packbuilder_insert(pb, &t.raw, nullptr) != 0) return make_error(where + last_error());
    git_tree* tree = nullptr;
    if (git_tree_lookup(&tree, repo_, &t.raw) != 0) return make_error(where + last_error());
    TreePtr tp(tree);
    for (std::size_t i = 0; i < git_tree_entrycount(tree); ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(tree, i);
      if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
        Oid sub;
        git_oid_cpy(&sub.raw, git_tree_entry_id(e));
        stack.push_back(sub);
      }
    }
  }
  // Streamed into the pack folder object by object (through libgit2's
  // indexer), not built in a buffer first: memory holds one object at a
  // time, whatever the size of the pack.
  if (git_packbuilder_write(pb, nullptr, 0, nullptr, nullptr) != 0) return make_error(where + "writing the pack: " + last_error());
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo_) != 0) return make_error(where + last_error());
  OdbPtr odbp(odb);
  if (git_odb_refresh(odb) != 0) return make_error(where + last_error());
  git_mempack_reset(mempack_);
  pending_bytes_ = 0;
  pending_objects_.clear();
  pending_trees_.clear();
  return ok_status();
}

Result<Oid> GitRepo::write_blob(std::string_view bytes) {
  if (auto s = begin_writes(); !s) return s.errors();
  // Straight into the memory backend: the odb's own write first looks the
  // object up on disk and, missing it, rescans the pack folder, once per
  // new blob (most of a first push's time).
  const Oid o = blob_id(bytes);
  if (mempack_->exists(mempack_, &o.raw)) return o;
  if (mempack_->write(mempack_, &o.raw, bytes.data(), bytes.size(), GIT_OBJECT_BLOB) != 0)
    return make_error("git cache " + dir_ + ": " + last_error());
  pending_bytes_ += bytes.size() + 32;
  pending_objects_.push_back(o);
  // Only blobs wait: trees and commits come last, and go in the final flush.
  if (pending_bytes_ > kFlushBytes && pending_trees_.empty())
    if (auto f = flush(); !f) return f.errors();
  return o;
}

Result<std::string> GitRepo::read_blob(const Oid& id) {
  git_blob* b = nullptr;
  if (git_blob_lookup(&b, repo_, &id.raw) != 0) return make_error("blob " + id.hex() + ": " + last_error());
  BlobPtr bp(b);
  return std::string(static_cast<const char*>(git_blob_rawcontent(b)), static_cast<std::size_t>(git_blob_rawsize(b)));
}

bool GitRepo::has_object(const Oid& id) {
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo_) != 0) return false;
  OdbPtr odbp(odb);
  return git_odb_exists(odb, &id.raw) == 1;
}

Result<Oid> GitRepo::tree_of(const Oid& commit) {
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo_, &commit.raw) != 0) return make_error("commit " + commit.hex() + ": " + last_error());
  CommitPtr cp(c);
  Oid t;
  git_oid_cpy(&t.raw, git_commit_tree_id(c));
  return t;
}

Result<Oid> GitRepo::update_tree(const std::optional<Oid>& base, const std::vector<TreeChange>& changes) {
  if (auto s = begin_writes(); !s) return s.errors();
  TreePtr baseline;
  if (base) {
    git_tree* t = nullptr;
    if (git_tree_lookup(&t, repo_, &base->raw) != 0) return make_error("tree " + base->hex() + ": " + last_error());
    baseline.reset(t);
  }
  // Sorted by path as libgit2 compares them: it inserts the updates one by
  // one into a sorted vector, so sorted input keeps that linear.
  std::vector<const TreeChange*> order;
  order.reserve(changes.size());
  for (const auto& c : changes) order.push_back(&c);
  std::sort(order.begin(), order.end(), [](const TreeChange* a, const TreeChange* b) { return a->path < b->path; });
  std::vector<git_tree_update> updates(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    git_tree_update& u = updates[i];
    u.path = order[i]->path.c_str();
    if (order[i]->blob) {
      u.action = GIT_TREE_UPDATE_UPSERT;
      u.id = order[i]->blob->raw;
      u.filemode = GIT_FILEMODE_BLOB;
    } else {
      u.action = GIT_TREE_UPDATE_REMOVE;
    }
  }
  Oid out;
  if (git_tree_create_updated(&out.raw, repo_, baseline.get(), updates.size(), updates.data()) != 0)
    return make_error("building the tree: " + last_error());
  pending_bytes_ += 64 * updates.size();
  pending_trees_.push_back(out);
  return out;
}

Result<Oid> GitRepo::write_tree(const std::function<Status(const FileSink&)>& each) {
  if (auto s = begin_writes(); !s) return s.errors();
  struct Folder {
    std::string name;
    git_treebuilder* b = nullptr;
  };
  std::vector<Folder> open;  // open[0]: the root; open[i + 1]: a folder of open[i]
  struct Free {
    std::vector<Folder>& open;
    ~Free() {
      for (auto& f : open) git_treebuilder_free(f.b);
    }
  } free_all{open};
  auto open_folder = [&](std::string name) -> Status {
    git_treebuilder* b = nullptr;
    if (git_treebuilder_new(&b, repo_, nullptr) != 0) return make_error("building the tree: " + last_error());
    open.push_back(Folder{std::move(name), b});
    return ok_status();
  };
  // Writes the innermost open folder and enters it into its parent.
  auto close_folder = [&]() -> Status {
    Folder f = open.back();
    open.pop_back();
    Oid id;
    const int rc = git_treebuilder_write(&id.raw, f.b);
    git_treebuilder_free(f.b);
    if (rc != 0) return make_error("building the tree: folder " + f.name + ": " + last_error());
    if (git_treebuilder_insert(nullptr, open.back().b, f.name.c_str(), &id.raw, GIT_FILEMODE_TREE) != 0)
      return make_error("building the tree: folder " + f.name + ": " + last_error());
    pending_bytes_ += 64;
    return ok_status();
  };
  if (auto s = open_folder(""); !s) return s.errors();
  std::string last;
  std::vector<std::string_view> parts;
  auto added = each([&](const std::string& path, const Oid& blob) -> Status {
    if (!last.empty() && path <= last) return make_error("building the tree: " + path + " comes after " + last);
    last = path;
    parts.clear();
    for (std::size_t from = 0;;) {
      const auto slash = path.find('/', from);
      parts.push_back(std::string_view(path).substr(from, slash == std::string::npos ? std::string::npos : slash - from));
      if (slash == std::string::npos) break;
      from = slash + 1;
    }
    const std::size_t folders = parts.size() - 1;
    std::size_t same = 0;  // open folders on this path too
    while (same < folders && same + 1 < open.size() && open[same + 1].name == parts[same]) ++same;
    while (open.size() > same + 1)
      if (auto s = close_folder(); !s) return s;
    for (std::size_t i = same; i < folders; ++i)
      if (auto s = open_folder(std::string(parts[i])); !s) return s;
    const std::string name(parts.back());
    if (git_treebuilder_insert(nullptr, open.back().b, name.c_str(), &blob.raw, GIT_FILEMODE_BLOB) != 0)
      return make_error("building the tree: " + path + ": " + last_error());
    return ok_status();
  });
  if (!added) return added.errors();
  while (open.size() > 1)
    if (auto s = close_folder(); !s) return s.errors();
  Oid root;
  if (git_treebuilder_write(&root.raw, open.back().b) != 0) return make_error("building the tree: " + last_error());
  pending_bytes_ += 64;
  pending_trees_.push_back(root);
  return root;
}

Result<Oid> GitRepo::commit(const Oid& tree, const std::optional<Oid>& parent, const std::string& message,
                            const Signature& author) {
  if (auto s = begin_writes(); !s) return s.errors();
  git_signature* sig = nullptr;
  if (git_signature_now(&sig, author.name.c_str(), author.email.c_str()) != 0)
    return make_error("author " + author.str() + ": " + last_error());
  SigPtr sigp(sig);
  git_tree* t = nullptr;
  if (git_tree_lookup(&t, repo_, &tree.raw) != 0) return make_error("tree " + tree.hex() + ": " + last_error());
  TreePtr tp(t);
  CommitPtr parent_commit;
  const git_commit* parents[1] = {nullptr};
  if (parent) {
    git_commit* p = nullptr;
    if (git_commit_lookup(&p, repo_, &parent->raw) != 0) return make_error("commit " + parent->hex() + ": " + last_error());
    parent_commit.reset(p);
    parents[0] = p;
  }
  Oid out;
  if (git_commit_create(&out.raw, repo_, nullptr, sig, sig, nullptr, message.c_str(), t, parent ? 1 : 0, parents) != 0)
    return make_error("creating the commit: " + last_error());
  pending_bytes_ += 256 + message.size();
  pending_objects_.push_back(out);
  return out;
}

TreeWalk::~TreeWalk() {
  for (auto& f : open_) git_tree_free(f.tree);
}

Result<bool> TreeWalk::next(std::string& path, Oid& blob) {
  while (!open_.empty()) {
    Folder& f = open_.back();
    if (f.at >= git_tree_entrycount(f.tree)) {
      git_tree_free(f.tree);
      open_.pop_back();
      continue;
    }
    const git_tree_entry* e = git_tree_entry_byindex(f.tree, f.at++);
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
      git_tree* sub = nullptr;
      if (git_tree_lookup(&sub, repo_, git_tree_entry_id(e)) != 0)
        return make_error("folder " + f.prefix + git_tree_entry_name(e) + ": " + last_error());
      std::string prefix = f.prefix + git_tree_entry_name(e) + "/";
      open_.push_back(Folder{sub, 0, std::move(prefix)});  // `f` is not used past this point
      continue;
    }
    if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) continue;
    path = f.prefix + git_tree_entry_name(e);
    git_oid_cpy(&blob.raw, git_tree_entry_id(e));
    return true;
  }
  return false;
}

Result<std::unique_ptr<TreeWalk>> GitRepo::walk(const Oid& tree) {
  git_tree* t = nullptr;
  if (git_tree_lookup(&t, repo_, &tree.raw) != 0) return make_error("tree " + tree.hex() + ": " + last_error());
  return std::unique_ptr<TreeWalk>(new TreeWalk(repo_, t));
}

Status GitRepo::each_file(const Oid& tree, const std::function<Status(const std::string&, const Oid&)>& f) {
  git_tree* t = nullptr;
  if (git_tree_lookup(&t, repo_, &tree.raw) != 0) return make_error("tree " + tree.hex() + ": " + last_error());
  TreePtr tp(t);
  struct Walk {
    const std::function<Status(const std::string&, const Oid&)>* f;
    Status status = ok_status();
  } w{&f};
  const int rc = git_tree_walk(
      t, GIT_TREEWALK_PRE,
      [](const char* root, const git_tree_entry* e, void* payload) -> int {
        auto* w = static_cast<Walk*>(payload);
        if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) return 0;
        Oid o;
        git_oid_cpy(&o.raw, git_tree_entry_id(e));
        w->status = (*w->f)(std::string(root) + git_tree_entry_name(e), o);
        return w->status ? 0 : -1;
      },
      &w);
  if (!w.status) return w.status;
  if (rc != 0) return make_error("walking tree " + tree.hex() + ": " + last_error());
  return ok_status();
}

Result<std::optional<Oid>> GitRepo::file_at(const Oid& tree, const std::string& path) {
  git_tree* t = nullptr;
  if (git_tree_lookup(&t, repo_, &tree.raw) != 0) return make_error("tree " + tree.hex() + ": " + last_error());
  TreePtr tp(t);
  git_tree_entry* e = nullptr;
  if (git_tree_entry_bypath(&e, t, path.c_str()) != 0) return std::optional<Oid>();
  EntryPtr ep(e);
  if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) return std::optional<Oid>();
  Oid o;
  git_oid_cpy(&o.raw, git_tree_entry_id(e));
  return std::optional<Oid>(o);
}

Result<std::unordered_map<std::string, Oid>> GitRepo::files_at(const Oid& tree, const std::vector<std::string>& paths) {
  std::unordered_map<std::string, Oid> out;
  if (paths.size() < 64) {  // a few descents cost less than a walk of a large tree
    for (const auto& p : paths) {
      auto f = file_at(tree, p);
      if (!f) return f.errors();
      if (*f) out.emplace(p, **f);
    }
    return out;
  }
  for (const auto& p : paths) out.emplace(p, Oid{});
  std::size_t found = 0;
  auto walked = each_file(tree, [&](const std::string& path, const Oid& blob) -> Status {
    if (auto it = out.find(path); it != out.end()) {
      it->second = blob;
      ++found;
    }
    return ok_status();
  });
  if (!walked) return walked.errors();
  if (found < out.size())
    for (auto it = out.begin(); it != out.end();) it = it->second == Oid{} ? out.erase(it) : std::next(it);
  return out;
}

Result<std::vector<FileDelta>> GitRepo::diff(const std::optional<Oid>& old_tree, const Oid& new_tree) {
  TreePtr a, b;
  git_tree* t = nullptr;
  if (old_tree) {
    if (git_tree_lookup(&t, repo_, &old_tree->raw) != 0) return make_error("tree " + old_tree->hex() + ": " + last_error());
    a.reset(t);
  }
  if (git_tree_lookup(&t, repo_, &new_tree.raw) != 0) return make_error("tree " + new_tree.hex() + ": " + last_error());
  b.reset(t);
  git_diff_options opts;
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
  git_diff* d = nullptr;
  if (git_diff_tree_to_tree(&d, repo_, a.get(), b.get(), &opts) != 0) return make_error("comparing trees: " + last_error());
  DiffPtr dp(d);
  std::vector<FileDelta> out;
  const std::size_t n = git_diff_num_deltas(d);
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* x = git_diff_get_delta(d, i);
    FileDelta fd;
    fd.path = x->new_file.path ? x->new_file.path : x->old_file.path;
    if (x->status != GIT_DELTA_ADDED) { fd.old_blob = Oid{}; git_oid_cpy(&fd.old_blob->raw, &x->old_file.id); }
    if (x->status != GIT_DELTA_DELETED) { fd.new_blob = Oid{}; git_oid_cpy(&fd.new_blob->raw, &x->new_file.id); }
    out.push_back(std::move(fd));
  }
  return out;
}

Result<std::vector<CommitInfo>> GitRepo::log(const std::optional<Oid>& from, const Oid& to) {
  git_revwalk* w = nullptr;
  if (git_revwalk_new(&w, repo_) != 0) return make_error("git cache " + dir_ + ": " + last_error());
  WalkPtr wp(w);
  git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  if (git_revwalk_push(w, &to.raw) != 0) return make_error("commit " + to.hex() + ": " + last_error());
  if (from && has_object(*from)) git_revwalk_hide(w, &from->raw);
  std::vector<CommitInfo> out;
  git_oid id;
  while (git_revwalk_next(&id, w) == 0) {
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo_, &id) != 0) return make_error("commit: " + last_error());
    CommitPtr cp(c);
    CommitInfo info;
    git_oid_cpy(&info.id.raw, &id);
    info.summary = git_commit_summary(c) ? git_commit_summary(c) : "";
    const git_signature* a = git_commit_author(c);
    info.author = std::string(a->name) + " <" + a->email + ">";
    info.time = a->when.time;
    out.push_back(std::move(info));
  }
  return out;
}

Result<bool> GitRepo::descends(const Oid& commit, const Oid& ancestor) {
  if (commit == ancestor) return true;
  const int rc = git_graph_descendant_of(repo_, &commit.raw, &ancestor.raw);
  if (rc < 0) return make_error("git cache " + dir_ + ": " + last_error());
  return rc == 1;
}

}  // namespace metaport::sync
