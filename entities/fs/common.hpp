// Pieces every fs kind shares: forward declarations, JuiceFS's constants,
// and how names that are bytes are written as text.
//
// The fs schema models a JuiceFS volume's metadata as `juicefs dump` writes
// it (pkg/meta/dump.go in JuiceFS); docs/fs-schema.md has the modelling
// decisions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metaport/metaport.hpp"

namespace fs {

using metaport::Derived;
using metaport::Key;
using metaport::KeyShape;
using metaport::Nullable;
using metaport::Parent;
using metaport::Ref;
using metaport::Secret;

struct Setting;
struct Counters;
struct Node;
struct Entry;
struct Quota;
struct UserQuota;
struct GroupQuota;
struct DelFile;
struct Sustained;
struct ChangeLog;

// JuiceFS's fixed inode numbers and chunk size (pkg/meta/interface.go).
inline constexpr std::int64_t kRootInode = 1;
inline constexpr std::int64_t kTrashInode = 0x7FFFFFFF10000000;
inline constexpr std::int64_t kChunkSize = std::int64_t{64} << 20;

// ---- names are bytes -----------------------------------------------------------
// A file name, a symlink target or an xattr value is any sequence of bytes,
// not necessarily UTF-8. metaport writes them as JuiceFS's dump does: bytes
// that are not printable UTF-8 (invalid sequences, controls and space) and
// the characters % " \ become %XX (upper-case hex); everything else is kept.
// The escaped text is what the store holds and what every dump format
// writes, so a name round-trips byte for byte through any of them.
//
// One difference: JuiceFS turns a literal U+FFFD into a single %EF and drops
// the rest of its bytes; metaport writes %EF%BF%BD (JuiceFS reads that back
// as U+FFFD).
std::string escape_bytes(std::string_view raw);
// The bytes an escaped text stands for. Like JuiceFS, a % not followed by two
// upper-case hex digits is kept as is.
std::string unescape_bytes(std::string_view escaped);
// Empty when `text` is exactly what escape_bytes writes for some bytes, else
// why not (a raw control character, a quote, a % without two hex digits...).
std::string why_not_escaped(std::string_view text);

}  // namespace fs
