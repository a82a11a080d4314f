// Sample data for the fs schema (`metaport fs seed STORE [--size N]`): a
// JuiceFS volume of N files with what real volumes have, as canonical
// documents. Deterministic: the same size gives the same volume.
//
//   /home/<user>/...   a balanced tree of projects, most of the files
//   /data/big/         one wide directory: N/10 entries, at most 1,000,000
//   /deep/d1/.../d64   a 64-level chain with a few files at every level
//   /media/            large files of many 64 MiB chunks, several slices each
//   /intl/             UTF-8 names, GBK bytes that are not UTF-8, spaces, %
//   hard links (a second name for about 1% of the files), symlinks (2%),
//   extended attributes (3%), POSIX ACLs, fifos, sockets, devices, the trash
//   with deleted files, quotas for a directory, a user and a group, files
//   waiting for deletion and a session's sustained inodes.
//
// The counters are those the volume implies (fs::CounterTotals), so a
// `load --restore` of the sample recomputes exactly what it says.
// docs/fs-schema.md shows a sample.
#pragma once
#include <cstddef>
#include <functional>
#include <string>

#include "metaport/result.hpp"
#include "metaport/value.hpp"

namespace fs {

inline constexpr std::size_t kDefaultSeedSize = 1000;

using SeedSink = std::function<metaport::Status(const std::string& kind, metaport::Value doc)>;

// Emits about `files` inodes with their entries, plus the volume's other
// records. Directories come before what they hold.
metaport::Status seed(std::size_t files, const SeedSink& emit);

}  // namespace fs
