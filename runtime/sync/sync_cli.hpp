// `metaport SCHEMA sync connect|status|push|pull|branch|watch` on a CLI11
// app: the flags of docs/sync.md, handed to Sync.
#pragma once
#include <CLI/CLI.hpp>

#include "metaport/schema.hpp"
#include "runtime/sync/sync.hpp"

namespace metaport::sync {

class SyncCommand {
 public:
  SyncCommand(CLI::App& app, const SchemaInfo& schema);
  bool parsed() const { return sync_->parsed(); }
  int run();

 private:
  const SchemaInfo& schema_;
  CLI::App* sync_ = nullptr;
  CLI::App *connect_ = nullptr, *status_ = nullptr, *push_ = nullptr, *pull_ = nullptr, *branch_ = nullptr,
           *watch_ = nullptr;
  std::string store_;
  ConnectOptions connect_opts_;
  bool json_ = false;
  PushOptions push_opts_;
  PullOptions pull_opts_;
  std::string progress_ = "auto";
  BranchOptions branch_opts_;
  WatchOptions watch_opts_;
};

}  // namespace metaport::sync
