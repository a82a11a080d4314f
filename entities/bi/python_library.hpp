// PythonLibrary: a Python module shared by Python transforms (importable as
// its `path`). Lives in python_libraries/.
#pragma once
#include "entities/bi/common.hpp"

namespace bi {

struct PythonLibrary {
  EntityId entity_id;
  std::string path;    // common.py
  std::string source;  // kept byte for byte
  std::optional<Timestamp> created_at;
  Derived<SerdesMeta> serdes_meta;  // [{id, model}]: python_library.yaml has no label
  friend bool operator==(const PythonLibrary&, const PythonLibrary&) = default;
};
BOOST_DESCRIBE_STRUCT(PythonLibrary, (), (entity_id, path, source, created_at, serdes_meta))

inline void metaport_check(const PythonLibrary& l, metaport::Checker& c) {
  if (l.path.empty() || l.path.front() == '/' || l.path.find("..") != std::string::npos)
    c.error("path", "'" + l.path + "' must be a relative module path (common.py, utils/dates.py)");
}

}  // namespace bi

METAPORT_RENAME(bi::PythonLibrary, {"serdes_meta", "serdes/meta"})

template <>
struct metaport::kind_traits<bi::PythonLibrary> : metaport::kind_defaults {
  static constexpr std::string_view name = "PythonLibrary";
  static void derive(bi::PythonLibrary& l) {
    l.serdes_meta.value = {bi::meta_entry("PythonLibrary", l.entity_id.str())};
  }
};
