// The type-erased entity the runtime moves around: its kind, its portable
// key, and its canonical document (the Value the typed struct encodes to,
// secrets in clear). Only decoding needs the C++ type, so the engine, the
// stores and the formats are plain code over Values, and the templates are
// instantiated once per schema (in the generated registration unit).
#pragma once
#include <string>
#include <string_view>

#include "metaport/codec.hpp"
#include "metaport/key.hpp"
#include "metaport/value.hpp"

namespace metaport {

struct KindInfo;

// Where a record came from, for error messages.
struct Origin {
  std::string file;  // path of the file or stream name ("-" for stdin)
  Mark mark;         // line (and column) of the record within it
  // Where the record sits inside a nested file, as a path from its root
  // (a JuiceFS dump's FSTree.entries.docs.entries["a.txt"]); empty for files
  // of one record per line or document. Errors about the record's members
  // are reported under this path.
  std::string where;
  std::string str() const {
    std::string s = file;
    if (mark.known()) s += (s.empty() ? "" : ":") + std::to_string(mark.line);
    if (!where.empty()) s += (s.empty() ? "" : " ") + where;
    return s;
  }
  // A member path of the record as a path in the file: where + path.
  std::string path_in_file(const std::string& path) const {
    if (where.empty()) return path;
    if (path.empty()) return where;
    return where + (path[0] == '[' ? "" : ".") + path;
  }
  // An error about this record, placed: the record's file and line, and the
  // member's path as a path in the file, wherever the error does not say
  // them already; `entity` (kind, or kind and key) likewise.
  Error place(Error e, std::string_view entity = {}) const {
    if (e.file.empty()) e.file = file;
    if (!e.mark.known()) e.mark = mark;
    e.path = path_in_file(e.path);
    if (e.entity.empty()) e.entity = std::string(entity);
    return e;
  }
};

struct Entity {
  const KindInfo* kind = nullptr;
  Key key;
  Value value;        // canonical document
  Unknowns unknowns;  // members kept unchanged (open kinds, --keep-unknown)
  Origin origin;
};

}  // namespace metaport
