#include "entities/bi/demo_diff.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace bi::demo_diff {
namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// One line of the edit script: ' ' kept, '-' only in a, '+' only in b.
struct Op {
  char kind;
  std::size_t a, b;  // line indexes (the one that applies)
};

// Longest common subsequence by dynamic programming: O(n*m) cells, fine for
// the entity files of a tree (hundreds of lines); the common prefix and
// suffix are stripped first, which is where most of an edited file is.
std::vector<Op> script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  const std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  std::vector<std::uint32_t> len((n + 1) * (m + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return len[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      at(i, j) = a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
  std::vector<Op> ops;
  for (std::size_t k = 0; k < pre; ++k) ops.push_back({' ', k, k});
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[pre + i] == b[pre + j]) { ops.push_back({' ', pre + i, pre + j}); ++i; ++j; }
    // Removals before additions, as diff(1) shows a replaced line.
    else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) { ops.push_back({'-', pre + i, pre + j}); ++i; }
    else { ops.push_back({'+', pre + i, pre + j}); ++j; }
  }
  for (std::size_t k = 0; k < suf; ++k) ops.push_back({' ', pre + n + k, pre + m + k});
  return ops;
}

std::string entity_id_line(const std::string& text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    if (line.starts_with("entity_id: ")) return std::string(line);
    pos = end + 1;
  }
  return {};
}

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace

std::string unified(std::string_view a, std::string_view b, const std::string& a_name, const std::string& b_name,
                    int context) {
  if (a == b) return {};
  const auto la = lines_of(a), lb = lines_of(b);
  const auto ops = script(la, lb);
  std::string out = "--- " + a_name + "\n+++ " + b_name + "\n";
  const std::size_t ctx = static_cast<std::size_t>(context);
  std::size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k].kind == ' ') ++k;
    if (k == ops.size()) break;
    // A hunk: from `ctx` kept lines before the first change to `ctx` after
    // the last change that is no more than 2*ctx kept lines from the next.
    std::size_t begin = k >= ctx ? k - ctx : 0, end = k;
    for (std::size_t kept = 0; end < ops.size(); ++end) {
      if (ops[end].kind != ' ') kept = 0;
      else if (++kept > 2 * ctx) break;
    }
    std::size_t last_change = end;
    while (last_change > begin && ops[last_change - 1].kind == ' ') --last_change;
    end = std::min(ops.size(), last_change + ctx);
    std::size_t a_count = 0, b_count = 0;
    for (std::size_t x = begin; x < end; ++x) {
      if (ops[x].kind != '+') ++a_count;
      if (ops[x].kind != '-') ++b_count;
    }
    const std::size_t a_start = ops[begin].a + (a_count ? 1 : 0), b_start = ops[begin].b + (b_count ? 1 : 0);
    out += "@@ -" + std::to_string(a_start) + "," + std::to_string(a_count) + " +" + std::to_string(b_start) + "," +
           std::to_string(b_count) + " @@\n";
    for (std::size_t x = begin; x < end; ++x) {
      out += ops[x].kind;
      out += ops[x].kind == '+' ? lb[ops[x].b] : la[ops[x].a];
      out += '\n';
    }
    k = end;
  }
  return out;
}

metaport::Result<std::map<std::string, std::string>> read_tree(const std::string& dir) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return metaport::make_error(dir + ": not a folder");
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in.good() && !in.eof()) return metaport::make_error(it->path().string() + ": cannot be read");
    files.emplace(fs::relative(it->path(), dir).generic_string(), bytes.str());
  }
  if (ec) return metaport::make_error(dir + ": " + ec.message());
  return files;
}

TreeDiff compare(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
  TreeDiff d;
  d.files_a = a.size();
  d.files_b = b.size();
  for (const auto& [path, bytes] : a) {
    auto it = b.find(path);
    if (it == b.end()) d.only_a.push_back(path);
    else if (it->second != bytes) d.changed.push_back(path);
  }
  for (const auto& [path, bytes] : b)
    if (!a.count(path)) d.only_b.push_back(path);
  // Pair the leftovers that are the same entity in the same folder.
  for (auto ia = d.only_a.begin(); ia != d.only_a.end();) {
    const std::string id = entity_id_line(a.at(*ia));
    auto ib = id.empty() ? d.only_b.end()
                         : std::find_if(d.only_b.begin(), d.only_b.end(), [&](const std::string& p) {
                             return folder_of(p) == folder_of(*ia) && entity_id_line(b.at(p)) == id;
                           });
    if (ib == d.only_b.end()) { ++ia; continue; }
    d.renamed.emplace_back(*ia, *ib);
    d.only_b.erase(ib);
    ia = d.only_a.erase(ia);
  }
  return d;
}

}  // namespace bi::demo_diff
