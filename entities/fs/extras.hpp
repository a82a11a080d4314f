// What the fs schema adds to the generic command line (runtime/cli): sample
// data (`metaport fs seed STORE [--size N]`) and the JuiceFS dump format
// (`--format juicefs`, *.json, *.json.gz, *.json.zst). The generated main of
// //entities/fs:metaport_fs calls fs::extras().
#pragma once
#include "runtime/cli/cli.hpp"

namespace fs {

metaport::cli::SchemaExtras extras();

}  // namespace fs
