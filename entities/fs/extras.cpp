#include "entities/fs/extras.hpp"

#include "entities/fs/juicefs.hpp"
#include "entities/fs/seed.hpp"
#include "entities/fs/subdir.hpp"

namespace fs {

metaport::cli::SchemaExtras extras() {
  metaport::cli::SchemaExtras x;
  x.seed = [](std::size_t size, const SeedSink& emit) { return seed(size, emit); };
  x.default_seed_size = kDefaultSeedSize;
  metaport::format::ExtraFormat jfs;
  jfs.name = "juicefs";
  jfs.extensions = {".json", ".json.gz", ".json.zst"};
  jfs.sniff = juicefs::sniff;
  jfs.open_reader = juicefs::open_reader;
  jfs.make_writer = juicefs::make_writer;
  x.formats.push_back(std::move(jfs));
  x.subtree_kind = "Node";
  x.subtree_root = resolve_path;
  return x;
}

}  // namespace fs
