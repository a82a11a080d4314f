// The bi tree layout against the real Metabase representations validator
// (@metabase/representations, installed by tests/run; METAPORT_VALIDATOR).
// 1. The validator reads exactly the files the layout puts in the folders
//    Metabase imports from: every content kind is found, data-model files
//    other than segments/measures and the actions/glossary/settings files are
//    not (Metabase does not import them either).
// 2. A tree of valid documents laid out by the layout passes it.
// Without METAPORT_VALIDATOR the test fails (run it through tests/run): a
// skipped check would read as a pass.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "entities/bi/layout.hpp"

namespace {

namespace fs = std::filesystem;
using metaport::Entity;
using metaport::Key;
using metaport::KindInfo;
using metaport::Value;

const KindInfo* kind(const std::string& name) {
  static std::map<std::string, std::unique_ptr<KindInfo>> kinds;
  auto& k = kinds[name];
  if (!k) {
    k = std::make_unique<KindInfo>();
    k->name = name;
  }
  return k.get();
}

std::string validator() {
  const char* v = std::getenv("METAPORT_VALIDATOR");
  return v ? v : "";
}

fs::path scratch(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path dir = fs::path(tmp ? tmp : fs::temp_directory_path().string()) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs the validator in `dir` (so it prints paths relative to the tree).
struct ValidatorRun {
  int status;
  std::string output;
};
ValidatorRun validate(const fs::path& dir) {
  const std::string cmd = "cd '" + dir.string() + "' && '" + validator() + "' validate-schema --folder . 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe.get())) out += buf.data();
  const int status = pclose(pipe.release());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

void write(const fs::path& root, const std::string& rel, const std::string& text) {
  const fs::path p = root / fs::u8path(rel);
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// YAML double-quoted scalar (the names here are plain text).
std::string q(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct Item {
  std::string kind;
  Key key;
  Value doc;
};

Value obj(std::initializer_list<std::pair<const char*, Value>> members) {
  Value v = Value::object();
  for (const auto& [k, m] : members) v.set(k, m);
  return v;
}

std::string id(const std::string& tag) {
  std::string s = tag;
  while (s.size() < 21) s += 'x';
  return s;
}

TEST(TreeLayoutValidator, TheValidatorReadsTheContentFoldersTheLayoutWrites) {
  ASSERT_FALSE(validator().empty()) << "METAPORT_VALIDATOR is not set: run the tests through tests/run";
  const std::string coll = id("CoLMain"), snip = id("CoLSnip"), tr = id("CoLTrans"), dash = id("DaSDash"),
                    doc = id("DoCDoc");
  const Value orders = [] {
    Value t = Value::array();
    t.push_back("DB");
    t.push_back("PUBLIC");
    t.push_back("ORDERS");
    return t;
  }();
  const std::vector<Item> items = {
      {"Collection", Key(coll), obj({{"name", "Main"}})},
      {"Collection", Key(snip), obj({{"name", "Snippets"}, {"namespace", "snippets"}})},
      {"Collection", Key(tr), obj({{"name", "Transforms"}, {"namespace", "transforms"}})},
      {"Card", Key(id("CaRCard")), obj({{"name", "Card"}, {"collection_id", coll}})},
      {"Card", Key(id("CaRRoot")), obj({{"name", "Root Card"}})},
      {"Dashboard", Key(dash), obj({{"name", "Dash"}, {"collection_id", coll}})},
      {"Card", Key(id("CaRInDash")), obj({{"name", "In Dash"}, {"dashboard_id", dash}})},
      {"Document", Key(doc), obj({{"name", "Doc"}, {"collection_id", coll}})},
      {"Card", Key(id("CaRInDoc")), obj({{"name", "In Doc"}, {"document_id", doc}})},
      {"Timeline", Key(id("TiMLine")), obj({{"name", "Line"}, {"collection_id", coll}})},
      {"NativeQuerySnippet", Key(id("SnISnip")), obj({{"name", "Snip"}, {"collection_id", snip}})},
      {"Transform", Key(id("TrFTrans")), obj({{"name", "Trans"}, {"collection_id", tr}})},
      {"TransformTag", Key(id("TaGTag")), obj({{"name", "Tag"}})},
      {"TransformJob", Key(id("JoBJob")), obj({{"name", "Job"}})},
      {"PythonLibrary", Key(id("PyLLib")), obj({{"path", "lib.py"}})},
      {"Metabot", Key(id("MeBBot")), obj({{"name", "Bot"}})},
      {"Channel", Key("Hook"), obj({{"name", "Hook"}})},
      {"Segment", Key(id("SeGSeg")), obj({{"name", "Seg"}, {"table_id", orders}})},
      {"Measure", Key(id("MeAMeasure")), obj({{"name", "Measure"}, {"table_id", orders}})},
      {"Database", Key("DB"), obj({{"name", "DB"}})},
      {"Table", Key{"DB", "PUBLIC", "ORDERS"}, obj({{"name", "ORDERS"}})},
      {"Field", Key{"DB", "PUBLIC", "ORDERS", "TOTAL"}, obj({{"name", "TOTAL"}})},
      {"FieldValues", Key{"DB", "PUBLIC", "ORDERS", "TOTAL"}, obj({})},
      {"Action", Key(id("AcTAction")), obj({{"name", "Action"}})},
      {"Glossary", Key("ARR"), obj({{"term", "ARR"}})},
      {"Settings", Key("settings"), obj({})},
  };
  const std::set<std::string> not_imported = {"Database", "Table", "Field", "FieldValues", "Action", "Glossary",
                                              "Settings"};

  std::vector<Entity> es;
  for (const auto& it : items) {
    Entity e;
    e.kind = kind(it.kind);
    e.key = it.key;
    e.value = it.doc;
    es.push_back(std::move(e));
  }
  bi::TreeLayout layout;
  for (const auto& e : es) layout.index(e);

  // Every file holds only serdes/meta: each kind the validator reads then
  // fails on its required members, and the failure names the file, so the
  // FAIL lines list exactly the files the validator read.
  const fs::path root = scratch("validator_reads");
  std::set<std::string> expected_read;
  for (const auto& e : es) {
    const std::string path = layout.path_of(e);
    write(root, path, "serdes/meta:\n- id: " + q(e.key.str()) + "\n  model: " + e.kind->name + "\n");
    if (!not_imported.count(e.kind->name)) expected_read.insert(path + " (" + e.kind->name + ")");
  }
  const ValidatorRun run = validate(root);
  std::set<std::string> read;
  std::istringstream lines(run.output);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("FAIL  ", 0) == 0) read.insert(line.substr(6));
  EXPECT_EQ(read, expected_read) << run.output;
  EXPECT_NE(run.output.find("0 passed, " + std::to_string(expected_read.size()) + " failed"), std::string::npos)
      << run.output;
}

TEST(TreeLayoutValidator, ValidDocumentsLaidOutByTheLayoutPass) {
  ASSERT_FALSE(validator().empty()) << "METAPORT_VALIDATOR is not set: run the tests through tests/run";
  // Kinds whose minimal valid document is small; nested in every namespace.
  const std::string main = id("CoLMainRoot"), child = id("CoLMainChild"), snip = id("CoLSnippets"),
                    snip_child = id("CoLSnipChild"), tr = id("CoLTransforms");
  struct Doc {
    std::string kind, key, yaml;
  };
  auto collection = [](const std::string& eid, const std::string& name, const char* ns, const std::string& parent) {
    std::string y = "name: " + q(name) + "\nentity_id: " + eid + "\n";
    if (ns) y += std::string("namespace: ") + ns + "\n";
    if (!parent.empty()) y += "parent_id: " + parent + "\n";
    y += "serdes/meta:\n- id: " + eid + "\n  label: " + q(metaport::slugify(name)) + "\n  model: Collection\n";
    return Doc{"Collection", eid, y};
  };
  const std::vector<Doc> docs = {
      collection(main, "Main Root", nullptr, ""),
      collection(child, "Child/Sub", nullptr, main),
      collection(id("CoLSameName"), "Child/Sub", nullptr, main),  // collides: suffixed file and folder
      collection(snip, "Snippets", "snippets", ""),
      collection(snip_child, "Inner", "snippets", snip),
      collection(tr, "Transforms", "transforms", ""),
      {"TransformTag", id("TaGHourly"),
       "entity_id: " + id("TaGHourly") + "\nname: hourly\nserdes/meta:\n- id: " + id("TaGHourly") +
           "\n  label: hourly\n  model: TransformTag\n"},
      {"PythonLibrary", id("PyLCommon"),
       "entity_id: " + id("PyLCommon") + "\npath: common.py\nsource: \"x = 1\\n\"\nserdes/meta:\n- id: " +
           id("PyLCommon") + "\n  model: PythonLibrary\n"},
      {"Metabot", id("MeBHelper"),
       "entity_id: " + id("MeBHelper") + "\nname: Helper\nserdes/meta:\n- id: " + id("MeBHelper") +
           "\n  label: helper\n  model: Metabot\n"},
  };
  // The layout reads the same members the documents have.
  std::vector<Entity> es;
  for (const auto& d : docs) {
    Entity e;
    e.kind = kind(d.kind);
    e.key = Key(d.key);
    auto parsed = Value::object();
    if (d.kind == "Collection") {
      // name / namespace / parent_id, as in the YAML above
      std::istringstream in(d.yaml);
      for (std::string line; std::getline(in, line);) {
        auto colon = line.find(": ");
        if (colon == std::string::npos || line[0] == ' ' || line[0] == '-') continue;
        std::string k = line.substr(0, colon), v = line.substr(colon + 2);
        if (!v.empty() && v.front() == '"') v = v.substr(1, v.size() - 2);
        parsed.set(k, v);
      }
    } else if (d.kind == "PythonLibrary") {
      parsed.set("path", "common.py");
    } else {
      parsed.set("name", d.kind == "TransformTag" ? "hourly" : "Helper");
    }
    e.value = parsed;
    es.push_back(std::move(e));
  }
  bi::TreeLayout layout;
  for (const auto& e : es) layout.index(e);
  const fs::path root = scratch("validator_valid");
  std::set<std::string> paths;
  for (std::size_t i = 0; i < es.size(); ++i) {
    const std::string p = layout.path_of(es[i]);
    paths.insert(p);
    write(root, p, docs[i].yaml);
  }
  EXPECT_EQ(paths.size(), docs.size());
  EXPECT_TRUE(paths.count("collections/main/main_root/child__SLASH__sub.yaml"));
  EXPECT_TRUE(paths.count("collections/main/main_root/child__SLASH__sub__CoLSameN.yaml"));
  EXPECT_TRUE(paths.count("collections/snippets/snippets/inner.yaml"));
  EXPECT_TRUE(paths.count("collections/transforms/transforms.yaml"));
  const ValidatorRun run = validate(root);
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find(std::to_string(docs.size()) + " passed, 0 failed"), std::string::npos) << run.output;
}

}  // namespace
