#include "entities/bi/extras.hpp"

#include "entities/bi/seed.hpp"

namespace bi {

metaport::cli::SchemaExtras extras() {
  metaport::cli::SchemaExtras x;
  x.seed = [](std::size_t size, const SeedSink& emit) { return seed(size, emit); };
  x.default_seed_size = kDefaultSeedSize;
  x.demo = demo;
  return x;
}

}  // namespace bi
