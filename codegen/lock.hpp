// schema.lock: a reviewable, committed text file with every kind, member,
// type and version of a schema, and a fingerprint over all of it. A test
// compares the lock generated from the structs with the committed one, so a
// struct change cannot ship without a version bump and an upgrade step.
#pragma once
#include <cstdint>
#include <string>

#include "metaport/schema.hpp"

namespace metaport::codegen {

inline std::string key_shape_name(KeyShape k) {
  switch (k) {
    case KeyShape::entity_id: return "entity_id";
    case KeyShape::name: return "name";
    case KeyShape::path: return "path";
  }
  return "?";
}

// The shape of a schema, one line per member (the part the fingerprint covers).
inline std::string shape_text(const SchemaInfo& s) {
  std::string out;
  for (const auto& k : s.kinds) {
    out += "kind " + k->name + " since " + std::to_string(k->since) + " key " + key_shape_name(k->key_shape);
    if (k->key_shape == KeyShape::path)
      out += "[" + std::to_string(k->key_min) + ".." + (k->key_max > 1000 ? std::string("") : std::to_string(k->key_max)) + "]";
    out += k->open ? " open" : " closed";
    if (!k->dumped) out += " store-only";
    out += "\n";
    for (const auto& f : k->fields) out += "  " + f.name + (f.optional ? "?" : "") + ": " + f.type.str() + "\n";
  }
  return out;
}

inline std::string fingerprint(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) { h ^= c; h *= 1099511628211ull; }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

inline std::string lock_text(const SchemaInfo& s) {
  std::string shape = shape_text(s);
  std::string out;
  out += "# metaport schema lock. Generated from the entity structs; commit it.\n";
  out += "# Changing a struct changes this file: bump the schema version, register an\n";
  out += "# upgrade step for the changed kinds, then regenerate it with\n";
  out += "#   ./metaport " + s.name + " schema --lock > entities/" + s.name + "/schema.lock\n";
  out += "schema " + s.name + "\n";
  out += "version " + std::to_string(s.version) + "\n";
  out += "fingerprint " + fingerprint(shape) + "\n";
  out += shape;
  return out;
}

}  // namespace metaport::codegen
