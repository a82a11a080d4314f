// Totals: entities that sum up the rest of a store (a file system's used
// space and next free inode), which a dump carries but a restore must not
// trust. `load --restore` hands every entity it loads to the schema's Totals,
// reads the dumped records of the kinds it computes (they must still be
// valid), and writes the recomputed ones instead (docs/loading.md: "derived fields
// and counters are recomputed").
//
//   struct MySchema {
//     static std::unique_ptr<metaport::Totals> make_totals();   // optional
//   };
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "metaport/entity.hpp"

namespace metaport {

class Totals {
 public:
  virtual ~Totals() = default;
  // The kinds whose entities this recomputes.
  virtual std::vector<std::string> kinds() const = 0;
  // Every entity the load takes, in input order, once each (the dumped
  // records of kinds() included: members that cannot be recomputed may be
  // kept from them).
  virtual void add(const Entity& e) = 0;
  // The recomputed documents: (kind, canonical document).
  virtual std::vector<std::pair<std::string, Value>> result() = 0;
};

}  // namespace metaport
