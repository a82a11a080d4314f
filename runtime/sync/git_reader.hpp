// A tree dump read straight from a commit of the git cache (no checkout):
// the files listed, in the order given, as a DumpReader for the engine's
// load. Errors name "<commit>:<path>" with the line and field path, as git
// spells a file of a commit.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "metaport/schema.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/sync/git.hpp"

namespace metaport::sync {

struct TreeFile {
  std::string path;
  Oid blob;
};

// `files`: the entity files to read (metaport.yaml, if listed, is skipped).
// `header_blob`: the commit's metaport.yaml, if it has one (its version
// decides the upgrade steps, as for a tree on disk). `tree_layout`: which
// of the schema's tree layouts the commit holds ("": the default one); it
// tells each file's kind and turns its document into the kind's.
Result<std::unique_ptr<format::DumpReader>> open_git_tree(GitRepo& repo, const Oid& commit, std::vector<TreeFile> files,
                                                          const std::optional<Oid>& header_blob,
                                                          const SchemaInfo& schema, const std::string& tree_layout);

// Every file of `tree` (the commit's), read as the tree is walked: a first
// pull holds no list of the branch's files.
Result<std::unique_ptr<format::DumpReader>> open_git_tree(GitRepo& repo, const Oid& commit, const Oid& tree,
                                                          const std::optional<Oid>& header_blob,
                                                          const SchemaInfo& schema, const std::string& tree_layout);

}  // namespace metaport::sync
