// Comparing dump trees for the demo (`metaport demo`): which files two trees
// have in common, which differ, which were renamed (same entity, new file
// name), and a unified line diff to show a change. Small on purpose: the
// demo must not depend on diff(1) or git being installed.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metaport/result.hpp"

namespace bi::demo_diff {

// A unified diff ("--- a", "+++ b", "@@ -l,n +l,n @@" hunks with `context`
// lines around each change); empty when the texts are equal.
std::string unified(std::string_view a, std::string_view b, const std::string& a_name, const std::string& b_name,
                    int context = 3);

// Every regular file under `dir`: path relative to it ('/'-separated) => bytes.
metaport::Result<std::map<std::string, std::string>> read_tree(const std::string& dir);

struct TreeDiff {
  std::size_t files_a = 0, files_b = 0;
  std::vector<std::string> changed;                           // same path, other bytes
  std::vector<std::pair<std::string, std::string>> renamed;   // same entity_id, other path (a, b)
  std::vector<std::string> only_a, only_b;                    // the rest
  bool identical() const { return changed.empty() && renamed.empty() && only_a.empty() && only_b.empty(); }
  std::size_t differences() const { return changed.size() + renamed.size() + only_a.size() + only_b.size(); }
};

// A file that left one folder and appeared in the same folder of the other
// tree with the same top-level `entity_id:` is a rename, not a delete + add.
TreeDiff compare(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b);

}  // namespace bi::demo_diff
