// The code generator: compiled against a schema's entity headers (it reads
// them through reflection, no C++ parser), run by the `metaport_schema` Bazel
// macro. It writes, per schema:
//   NAME.lock            schema.lock text (checked against the committed one)
//   NAME.DIALECT.sql     the store DDL of every dialect (sqlite, postgres, ...):
//                        the dialects link no client library
//   NAME.schemas.json    one JSON Schema per kind, by kind name
//   NAME.deps.txt        the dependency table: which member refers to which kind
//   NAME_registry.cc     the one TU that instantiates every kind's decoder and
//                        builds the runtime SchemaInfo
//   NAME_main.cc         the binary's main: the generic command line
#pragma once
#include <boost/core/demangle.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "metaport/json_schema.hpp"
#include "metaport/schema_lock.hpp"
#include "metaport/format/json.hpp"
#include "metaport/schema.hpp"
#include "runtime/store/ddl.hpp"
#include "runtime/store/dialect.hpp"
#include "runtime/store/table_desc.hpp"

namespace metaport::codegen {

inline void dependency_rows(const TypeDesc& t, const std::string& path, bool top, std::vector<std::string>& out) {
  switch (t.tag) {
    case TypeDesc::Tag::Ref:
      out.push_back(path + " -> " + t.ref_kind + (t.parent ? " (container)" : "") + (top ? " [column]" : " [in document]") +
                    (t.nullable ? " [nullable]" : ""));
      break;
    case TypeDesc::Tag::Struct:
      for (const auto& f : t.fields) dependency_rows(f.type, path + "." + f.name, false, out);
      break;
    case TypeDesc::Tag::List: dependency_rows(*t.elem, path + "[]", false, out); break;
    case TypeDesc::Tag::Map: dependency_rows(*t.elem, path + "{}", false, out); break;
    default: break;
  }
}

inline std::string dependency_table(const SchemaInfo& s) {
  std::string out = "# " + s.name + " dependency table: member -> referenced kind (free-form documents are walked at run time)\n";
  for (const auto& k : s.kinds)
    for (const auto& f : k->fields) {
      std::vector<std::string> rows;
      dependency_rows(f.type, k->name + "." + f.name, true, rows);
      for (auto& r : rows) out += r + "\n";
    }
  return out;
}

inline std::string all_json_schemas(const SchemaInfo& s) {
  Value all = Value::object();
  for (const auto& k : s.kinds) all.set(k->name, json_schema::for_kind(*k, s));
  return json::write(all) + "\n";
}

template <class S>
std::vector<std::string> kind_type_names() {
  std::vector<std::string> names;
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, typename S::kinds>>([&](auto id) {
    using T = typename decltype(id)::type;
    names.push_back(boost::core::demangle(typeid(T).name()));
  });
  return names;
}

inline bool write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) {
    std::cerr << "metaport codegen: cannot write " << path << "\n";
    return false;
  }
  return true;
}

inline std::string ident(const std::string& name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

// argv: --name NAME --header PATH --schema C++TYPE --extras FUNCTION|none --out DIR
//       [--lock COMMITTED --regenerate "COMMAND THAT REWRITES IT"]
template <class S>
int generator_main(int argc, char** argv) {
  std::string name, header, schema_type, extras = "none", out = ".", committed_path, regenerate;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--name") name = argv[i + 1];
    else if (a == "--header") header = argv[i + 1];
    else if (a == "--schema") schema_type = argv[i + 1];
    else if (a == "--extras") extras = argv[i + 1];
    else if (a == "--out") out = argv[i + 1];
    else if (a == "--lock") committed_path = argv[i + 1];
    else if (a == "--regenerate") regenerate = argv[i + 1];
    else { std::cerr << "metaport codegen: unknown argument " << a << "\n"; return 2; }
  }
  const SchemaInfo info = make_schema_info<S>();
  if (name.empty()) name = info.name;
  auto tables = store::tables_for(info);
  if (!tables) {
    std::cerr << "metaport codegen: " << info.name << ": " << tables.errors().to_string();
    return 1;
  }
  std::string committed;
  if (!committed_path.empty()) {
    std::ifstream f(committed_path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    committed = ss.str();
  }
  const std::string lock = schema_lock::lock_text(info, schema_lock::parse_lock(committed), regenerate);
  std::string check;
  if (!committed_path.empty()) {
    auto problems = schema_lock::check_lock(info, committed, regenerate);
    if (problems.empty()) check = "OK\n";
    for (const auto& p : problems) check += "- " + p + "\n";
  } else {
    check = "OK (no committed lock to check)\n";
  }
  const std::string id = ident(name);
  std::string registry = "// GENERATED by metaport codegen from " + schema_type + " (" + header + "). Do not edit.\n";
  registry += "#include \"" + header + "\"\n#include \"metaport/schema.hpp\"\n#include \"metaport/typed_impl.hpp\"\n\n";
  registry += "// Every kind's strict decoder, and the typed store API's conversions\n"
              "// (runtime/api/db.hpp), compiled once here instead of in every includer.\n";
  for (const auto& t : kind_type_names<S>())
    registry += "template bool metaport::detail::normalize_kind<" + t +
                ">(const metaport::KindInfo&, const metaport::Value&, const metaport::DecodeOptions&, metaport::Entity&, "
                "metaport::Errors&);\n"
                "template metaport::Value metaport::typed::encode<" + t + ">(const " + t + "&);\n"
                "template metaport::Status metaport::typed::decode<" + t + ">(const metaport::KindInfo&, const metaport::Value&, " + t + "&);\n";
  registry += "\nnamespace metaport::generated {\nconst metaport::SchemaInfo& schema_" + id +
              "() {\n  static const metaport::SchemaInfo info = [] {\n    auto s = metaport::make_schema_info<" + schema_type +
              ">();\n    s.lock_history = R\"metaport_lock(" + lock + ")metaport_lock\";\n    return s;\n  }();\n  return info;\n}\n"
              "}  // namespace metaport::generated\n\n"
              "template <>\nconst metaport::SchemaInfo& metaport::typed::schema_info<" + schema_type +
              ">() {\n  return metaport::generated::schema_" + id + "();\n}\n";

  std::string main_cc = "// GENERATED by metaport codegen. Do not edit.\n#include \"runtime/cli/cli.hpp\"\n\n";
  main_cc += "namespace metaport::generated {\nconst metaport::SchemaInfo& schema_" + id + "();\n}\n";
  if (extras != "none") {  // declare it in its namespace: "bi::extras" -> namespace bi { ... extras(); }
    auto sep = extras.rfind("::");
    if (sep == std::string::npos) main_cc += "metaport::cli::SchemaExtras " + extras + "();\n";
    else
      main_cc += "namespace " + extras.substr(0, sep) + " {\nmetaport::cli::SchemaExtras " + extras.substr(sep + 2) +
                 "();\n}\n";
  }
  main_cc += "\nint main(int argc, char** argv) {\n  return metaport::cli::run(metaport::generated::schema_" + id + "(), " +
             (extras != "none" ? extras + "()" : std::string("metaport::cli::SchemaExtras{}")) + ", argc, argv);\n}\n";

  bool ok = write_text(out + "/" + name + ".lock", lock) && write_text(out + "/" + name + ".lockcheck.txt", check);
  for (const store::Dialect* d : store::dialects())
    ok = ok && write_text(out + "/" + name + "." + std::string(d->name()) + ".sql", store::schema_script(*tables, *d));
  ok = ok && write_text(out + "/" + name + ".schemas.json", all_json_schemas(info)) &&
            write_text(out + "/" + name + ".deps.txt", dependency_table(info)) &&
            write_text(out + "/" + name + "_registry.cc", registry) && write_text(out + "/" + name + "_main.cc", main_cc);
  return ok ? 0 : 1;
}

}  // namespace metaport::codegen
