#include "entities/fs/extras.hpp"

#include "entities/fs/seed.hpp"

namespace fs {

metaport::cli::SchemaExtras extras() {
  metaport::cli::SchemaExtras x;
  x.seed = [](std::size_t size, const SeedSink& emit) { return seed(size, emit); };
  x.default_seed_size = kDefaultSeedSize;
  return x;
}

}  // namespace fs
