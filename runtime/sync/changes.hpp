// What changed in the store since the last sync, exactly: each entity's
// file as a tree dump would write it now, against what the synced commit
// holds (mp_sync__entity). An entity saved again with the same content is
// not a change; formatting never is (both sides are metaport's rendering).
//
// Cheap by design. The triggers list the rows written since the last sync
// (mp_sync__dirty); when all of them are edits that keep the entity's key
// and its placement (the members that decide its file and scope), only
// those rows are rendered and their paths are the synced ones. Anything
// else (a new or deleted entity, a rename, a move, a key change, a write to
// another kind's key, the first sync) compares everything: a full render
// of the scope merged, kind by kind and key by key, with mp_sync__entity.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "metaport/schema.hpp"
#include "runtime/disk/scratch_db.hpp"
#include "runtime/store/store.hpp"
#include "runtime/sync/git.hpp"
#include "runtime/sync/render.hpp"
#include "runtime/sync/state.hpp"

namespace metaport::sync {

enum class ChangeType { created, modified, renamed, moved, deleted };
std::string_view change_name(ChangeType t);

struct Change {
  ChangeType type = ChangeType::modified;
  std::string kind, key, label;
  std::string old_path, new_path;  // old: in the synced commit; new: where it goes now
  std::optional<std::int64_t> id;  // the local row (for a deletion: the row it was)
  Oid blob;                        // new content (not for deletions)
  std::string place;
  std::string str() const;  // "modified  Card abc \"Revenue\" collections/main/revenue.yaml"
};

// The changes found, in the order found. A full comparison lists every
// entity of a first push as created: past a few thousand, the list moves to
// a scratch database on disk (runtime/disk), so that memory does not grow
// with the store (docs/memory.md).
class ChangeList {
 public:
  ChangeList();
  ~ChangeList();
  ChangeList(ChangeList&&) noexcept;
  ChangeList& operator=(ChangeList&&) noexcept;

  Status add(Change c);
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear();
  // Every change, in the order added.
  Status each(const std::function<Status(const Change&)>& f) const;
  // Every change that is not a deletion, by new_path (byte order, which is
  // the order of a git tree's files).
  Status each_by_new_path(const std::function<Status(const Change&)>& f) const;
  // Up to `n` changes, in the order added (what messages list).
  std::vector<Change> first(std::size_t n) const;

 private:
  Status spill();
  std::vector<Change> kept_;              // all of them, until they spill
  std::unique_ptr<disk::ScratchDb> disk_;  // all of them, once spilled
  std::size_t size_ = 0;
};

struct LocalChanges {
  ChangeList changes;
  std::vector<SyncedEntity> relinked;  // unchanged, but their local id changed (a migrate reloads rows)
  std::vector<OutsideRef> outside;     // references out of the scope (push refuses them)
  std::vector<DirtyMark> marks;        // the marks this accounts for (cleared once synced)
  std::vector<DirtyMark> settled;      // marks of rows that turned out unchanged (can go now)
  bool full = false;                   // compared everything
  std::size_t in_scope = 0;            // entities rendered (full only)
};

struct ChangeOptions {
  // Called with the bytes of every created or changed file (push stores
  // them as blobs); nullptr: status, which only compares.
  std::function<Status(const std::string& text, const Oid& id)> keep_blob;
  bool force_full = false;
};

// Runs inside the caller's transaction (a snapshot for status and push, the
// write transaction for pull).
Result<LocalChanges> local_changes(store::Store& store, const SchemaInfo& schema, SyncState& state,
                                   const SyncConfig& config, const ChangeOptions& opts);

// The state rows the changes leave once they are in a commit, handed to
// `f` a batch at a time.
Status each_synced_batch(const LocalChanges& c, const std::function<Status(const std::vector<SyncedEntity>&)>& f);

}  // namespace metaport::sync
