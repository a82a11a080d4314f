#include "runtime/sync/git_reader.hpp"

#include <mutex>

#include "metaport/format/yaml_reader.hpp"

namespace metaport::sync {

namespace {

class GitTreeReader : public format::DumpReader {
 public:
  GitTreeReader(GitRepo& repo, std::string prefix, std::vector<TreeFile> files, const SchemaInfo& schema,
                std::unique_ptr<Layout> layout, const std::string& layout_name)
      : repo_(repo), prefix_(std::move(prefix)), files_(std::move(files)), layout_(std::move(layout)) {
    header_.schema = schema.name;
    header_.version = schema.version;
    header_.layout = layout_name;
    header_.from_metaport = layout_->writes_header();  // else another program's export: no metaport.yaml
  }

  Status read_header(const Oid& blob) {
    const std::string name = prefix_ + "metaport.yaml";
    auto text = repo_.read_blob(blob);
    if (!text) return text.errors();
    auto v = yaml::parse(*text);
    if (!v) {
      Errors e = v.errors();
      e.set_file(name);
      return e;
    }
    const Value* f = v->find("format");
    const Value* s = v->find("schema");
    const Value* ver = v->find("version");
    if (!f || !f->is_int() || !s || !s->is_string() || !ver || !ver->is_int())
      return make_error(name + ": metaport.yaml needs format, schema and version");
    header_.format = static_cast<int>(f->as_int());
    header_.schema = s->as_string();
    header_.version = static_cast<int>(ver->as_int());
    if (header_.format > format::kFormatVersion)
      return make_error(name + ": dump format " + std::to_string(header_.format) + " is newer than this metaport reads (" +
                        std::to_string(format::kFormatVersion) + ")");
    return ok_status();
  }

  // Files from a walk of `tree` instead of the list; `count`: how many it has.
  void walk(std::unique_ptr<TreeWalk> w, std::size_t count) {
    walk_ = std::move(w);
    count_ = count;
  }

  const format::DumpHeader& header() const override { return header_; }
  std::size_t expected() const override { return walk_ ? count_ : files_.size(); }

  // Blobs are read here, on the loading thread (a libgit2 repository is not
  // shared between threads); parse() only parses.
  bool next_raw(format::RawRecord& raw, Errors& errors) override {
    TreeFile walked;
    for (;;) {
      if (walk_) {
        auto more = walk_->next(walked.path, walked.blob);
        if (!more) {
          errors.add(Error{more.errors().list()[0].message, {}, {}, prefix_, {}});
          return false;
        }
        if (!*more) return false;
      } else if (pos_ >= files_.size()) {
        return false;
      }
      const TreeFile& f = walk_ ? walked : files_[pos_++];
      if (f.path == "metaport.yaml" || !(f.path.ends_with(".yaml") || f.path.ends_with(".yml"))) continue;
      raw.rel = f.path;
      raw.path = prefix_ + f.path;
      raw.at = Mark{1, 1};
      auto text = repo_.read_blob(f.blob);
      if (!text) {
        errors.add(Error{text.errors().list()[0].message, {}, {}, raw.path, {}});
        continue;
      }
      raw.text = std::move(*text);
      return true;
    }
  }

  format::Parsed parse(format::RawRecord& raw, format::Record& r, Errors& errors) const override {
    auto v = yaml::parse(raw.text);
    if (!v) {
      for (auto e : v.errors().list()) {
        e.file = raw.path;
        errors.add(e);
      }
      return format::Parsed::failed;
    }
    std::optional<std::string> kind;
    {
      // Layouts keep no state for kind_of, but are not promised thread-safe.
      std::lock_guard<std::mutex> l(layout_mutex_);
      kind = layout_->kind_of(raw.rel, *v);
    }
    if (!kind) return format::Parsed::skipped;
    if (kind->empty()) {
      errors.add(Error{"cannot tell which kind of entity this file holds (no serdes/meta model, and its folder does not say)",
                       {}, Mark{1, 1}, raw.path, {}});
      return format::Parsed::failed;
    }
    // The layout's documents become the kind's (strictly, as `load` reads
    // a tree: what the model does not know is an error).
    Errors errs;
    auto doc = layout_->read_document(*kind, raw.rel, std::move(*v), /*keep_unknown=*/false, errs);
    errs.set_file(raw.path);
    if (!doc) {
      for (const auto& e : errs.list()) errors.add(e);
      if (errs.empty()) errors.add(Error{"cannot read this file as a " + *kind, {}, Mark{1, 1}, raw.path, {}});
      return format::Parsed::failed;
    }
    r.kind = *kind;
    r.doc = std::move(*doc);
    r.origin = Origin{raw.path, Mark{1, 1}};
    r.problems = std::move(errs);
    return format::Parsed::record;
  }

  void skipped(const format::RawRecord& raw) override { ignored_.push_back(raw.rel); }
  std::vector<std::string> ignored() const override { return ignored_; }
  Status finish() override { return ok_status(); }

 private:
  GitRepo& repo_;
  std::string prefix_;
  std::vector<TreeFile> files_;
  std::unique_ptr<Layout> layout_;
  mutable std::mutex layout_mutex_;
  format::DumpHeader header_;
  std::size_t pos_ = 0;
  std::unique_ptr<TreeWalk> walk_;
  std::size_t count_ = 0;
  std::vector<std::string> ignored_;
};

}  // namespace

Result<std::unique_ptr<format::DumpReader>> open_git_tree(GitRepo& repo, const Oid& commit, std::vector<TreeFile> files,
                                                          const std::optional<Oid>& header_blob,
                                                          const SchemaInfo& schema, const std::string& tree_layout) {
  auto layout = schema.layout(tree_layout);
  if (!layout) return make_error("schema " + schema.name + " has no tree layout " + tree_layout);
  auto r = std::make_unique<GitTreeReader>(repo, commit.short_hex() + ":", std::move(files), schema, std::move(layout),
                                           tree_layout.empty() ? schema.layout_names().front() : tree_layout);
  if (header_blob)
    if (auto s = r->read_header(*header_blob); !s) return s.errors();
  return std::unique_ptr<format::DumpReader>(std::move(r));
}

Result<std::unique_ptr<format::DumpReader>> open_git_tree(GitRepo& repo, const Oid& commit, const Oid& tree,
                                                          const std::optional<Oid>& header_blob,
                                                          const SchemaInfo& schema, const std::string& tree_layout) {
  std::size_t count = 0;  // for progress (a walk of the folders, no file read)
  if (auto c = repo.each_file(tree, [&](const std::string&, const Oid&) { ++count; return ok_status(); }); !c)
    return c.errors();
  auto walk = repo.walk(tree);
  if (!walk) return walk.errors();
  auto reader = open_git_tree(repo, commit, std::vector<TreeFile>{}, header_blob, schema, tree_layout);
  if (!reader) return reader.errors();
  static_cast<GitTreeReader&>(**reader).walk(std::move(*walk), count);
  return reader;
}

}  // namespace metaport::sync
