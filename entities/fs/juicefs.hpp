// The JSON `juicefs dump` writes, as a metaport dump format of the fs schema
// (`--format juicefs`; *.json, *.json.gz, *.json.zst): read as a stream of
// records and written in JuiceFS's own layout, in bounded memory both ways.
// docs/fs-schema.md describes the mapping.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "entities/fs/common.hpp"
#include "runtime/format/dump_format.hpp"
#include "runtime/format/io.hpp"

namespace fs::juicefs {

// Whether an input starting with `head` (decompressed) is a JuiceFS dump.
bool sniff(std::string_view head);
metaport::Result<std::unique_ptr<metaport::format::DumpReader>> open_reader(std::unique_ptr<metaport::io::Input> in);
// Written atomically like every metaport dump (a temporary file renamed at
// the end); .gz and .zst compress.
metaport::Result<std::unique_ptr<metaport::format::DumpWriter>> make_writer(const std::string& out_path);

}  // namespace fs::juicefs
