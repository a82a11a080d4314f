#include "runtime/sync/sync_cli.hpp"

#include <unistd.h>

namespace metaport::sync {

SyncCommand::SyncCommand(CLI::App& app, const SchemaInfo& schema) : schema_(schema) {
  sync_ = app.add_subcommand("sync", "git sync: connect|status|push|pull|branch|watch (docs/sync.md)");
  sync_->require_subcommand(1);
  const std::string store_help = "sqlite://PATH, postgresql://..., mysql://...";

  connect_ = sync_->add_subcommand("connect", "sync this store with a branch of a git repository");
  connect_->add_option("STORE", store_, store_help)->required();
  connect_->add_option("REPO", connect_opts_.repo, "a path, file://..., https://...")->required();
  connect_->add_option("--mode", connect_opts_.mode, "development (pushes) or production (pulls, content read-only)")
      ->required()
      ->check(CLI::IsMember({"development", "production"}));
  connect_->add_option("--branch", connect_opts_.branch, "the branch (default main)");
  connect_->add_option("--collection", connect_opts_.scope, "only these collections' subtrees")->expected(1, -1);
  connect_->add_option("--token-file", connect_opts_.token_file,
                       "a file holding the token for https (else METAPORT_GIT_TOKEN); stored encrypted");
  connect_->add_option("--author", connect_opts_.author, "\"Name <email>\" for this store's commits");
  std::string layouts;
  for (const auto& n : schema.layout_names()) layouts += (layouts.empty() ? "" : ", ") + n;
  connect_->add_option("--layout", connect_opts_.layout,
                       "the branch's tree layout: " + layouts + " (default: the one the branch holds, else " +
                           schema.layout_names().front() + ")");

  status_ = sync_->add_subcommand("status", "what changed locally since the last sync");
  status_->add_option("STORE", store_, store_help)->required();
  status_->add_flag("--json", json_, "for a program");

  push_ = sync_->add_subcommand("push", "commit the local changes and push them");
  push_->add_option("STORE", store_, store_help)->required();
  push_->add_option("-m,--message", push_opts_.message, "the commit message")->required();
  push_->add_option("--to-branch", push_opts_.to_branch, "push to this new branch instead");
  push_->add_flag("--force", push_opts_.force, "overwrite what the branch gained since the last sync (listed first)");
  push_->add_option("--author", push_opts_.author, "\"Name <email>\"");

  pull_ = sync_->add_subcommand("pull", "load the branch's head into the store");
  pull_->add_option("STORE", store_, store_help)->required();
  auto* discard = pull_->add_flag("--discard", pull_opts_.discard, "drop unsynced local changes");
  auto* to = pull_->add_option("--to-branch", pull_opts_.to_branch, "push unsynced local changes to this new branch first");
  discard->excludes(to);
  pull_->add_option("-m,--message", pull_opts_.message, "with --to-branch: the commit message");
  pull_->add_option("--progress", progress_, "a progress line while loading (auto: on a terminal)")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  branch_ = sync_->add_subcommand("branch", "start a new branch at the synced commit, or switch to another");
  branch_->add_option("STORE", store_, store_help)->required();
  auto* create = branch_->add_option("NEW", branch_opts_.create, "the new branch");
  auto* sw = branch_->add_option("--switch", branch_opts_.switch_to, "an existing branch to pull and sync with");
  create->excludes(sw);

  watch_ = sync_->add_subcommand("watch", "pull whenever the branch moves (production auto-pull)");
  watch_->add_option("STORE", store_, store_help)->required();
  watch_->add_option("--interval", watch_opts_.interval, "how often to look: 30s, 5m (default), 1h");
  watch_->add_flag("--once", watch_opts_.once, "look once and exit");
}

int SyncCommand::run() {
  Sync s(schema_);
  if (connect_->parsed()) return s.connect(store_, connect_opts_);
  if (status_->parsed()) return s.status(store_, json_);
  if (push_->parsed()) return s.push(store_, push_opts_);
  if (pull_->parsed()) {
    pull_opts_.progress = progress_ == "always" || (progress_ == "auto" && ::isatty(2) == 1);
    return s.pull(store_, pull_opts_);
  }
  if (branch_->parsed()) return s.branch(store_, branch_opts_);
  if (watch_->parsed()) return s.watch(store_, watch_opts_);
  return kUsage;
}

}  // namespace metaport::sync
