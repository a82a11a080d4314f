// KeyMap: the portable key of every row of the kinds read into it, by local
// id: what turning stored rows back into documents needs for their
// references (store::KeyLookup). Each kind is read once, with scan_keys.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "metaport/key.hpp"
#include "metaport/result.hpp"
#include "runtime/store/row.hpp"
#include "runtime/store/store.hpp"

namespace metaport::store {

class KeyMap {
 public:
  // Reads every (id, key) of `kind`; a kind already read is not read again.
  Status load(Store& store, const std::string& kind) {
    auto [it, fresh] = ids_.try_emplace(kind);
    if (!fresh) return ok_status();
    auto& m = it->second;
    return store.scan_keys(kind, [&](std::int64_t id, Key key) {
      m.emplace(id, std::move(key));
      return ok_status();
    });
  }
  std::optional<Key> find(const std::string& kind, std::int64_t id) const {
    auto k = ids_.find(kind);
    if (k == ids_.end()) return std::nullopt;
    auto it = k->second.find(id);
    if (it == k->second.end()) return std::nullopt;
    return it->second;
  }
  // A KeyLookup over this map (which must outlive it).
  KeyLookup lookup() const {
    return [this](const std::string& kind, std::int64_t id) { return find(kind, id); };
  }

 private:
  std::unordered_map<std::string, std::unordered_map<std::int64_t, Key>> ids_;
};

}  // namespace metaport::store
