// The bundled `fs` schema: a JuiceFS volume's metadata, to prove metaport at
// scale (tens of millions of entities) on a shape unlike `bi`'s. Kinds in
// dependency order; docs/fs-schema.md has the modelling decisions.
#pragma once
#include <boost/mp11.hpp>
#include <memory>

#include "entities/fs/bookkeeping.hpp"
#include "entities/fs/counters.hpp"
#include "entities/fs/entry.hpp"
#include "entities/fs/layout.hpp"
#include "entities/fs/node.hpp"
#include "entities/fs/quota.hpp"
#include "entities/fs/setting.hpp"
#include "entities/fs/totals.hpp"

namespace fs {

struct Schema {
  static constexpr std::string_view name = "fs";
  static constexpr int version = 1;
  using kinds = boost::mp11::mp_list<Setting, Counters, Node, Entry, Quota, UserQuota, GroupQuota, DelFile, Sustained,
                                     ChangeLog>;
  // A folder per volume; nothing indexed but the volume's name (layout.hpp).
  static std::unique_ptr<metaport::Layout> make_layout() { return std::make_unique<TreeLayout>(); }
  // `load --restore` recomputes the counters (totals.hpp).
  static std::unique_ptr<metaport::Totals> make_totals() { return std::make_unique<CounterTotals>(); }
  // dump --subdir carries the volume's identity and counters with the subtree.
  static std::vector<std::string> context_kinds() { return {"Setting", "Counters"}; }
};

}  // namespace fs
