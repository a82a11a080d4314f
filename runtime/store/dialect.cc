#include "runtime/store/dialect.hpp"

#include <algorithm>

namespace metaport::store {

namespace {
// Filled during static initialisation by the linked dialects' own files.
std::vector<const Dialect*>& registry() {
  static std::vector<const Dialect*> all;
  return all;
}
}  // namespace

bool register_dialect(const Dialect& d) {
  auto& all = registry();
  if (std::find(all.begin(), all.end(), &d) == all.end()) all.push_back(&d);
  std::sort(all.begin(), all.end(), [](const Dialect* a, const Dialect* b) { return a->name() < b->name(); });
  return true;
}

const Dialect* find_dialect(std::string_view name) {
  for (const Dialect* d : registry()) {
    if (d->name() == name) return d;
    for (auto a : d->aliases())
      if (a == name) return d;
  }
  return nullptr;
}

std::vector<const Dialect*> dialects() { return registry(); }

}  // namespace metaport::store
