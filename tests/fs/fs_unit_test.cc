// The fs schema's pieces on their own: names as bytes, the kinds' checks at
// depth, the tree layout, the counters, the JuiceFS format's sniffing and
// the JSON scanner it reads with.
#include <gtest/gtest.h>

#include "entities/fs/juicefs.hpp"
#include "entities/fs/schema.hpp"
#include "metaport/format/json.hpp"
#include "runtime/format/json_scanner.hpp"

namespace {

using metaport::Value;

// ---- names are bytes -------------------------------------------------------------------------
TEST(Names, EscapeAsJuiceFsDoes) {
  EXPECT_EQ(fs::escape_bytes("plain.txt"), "plain.txt");
  EXPECT_EQ(fs::escape_bytes("with space"), "with%20space");
  EXPECT_EQ(fs::escape_bytes("100%"), "100%25");
  EXPECT_EQ(fs::escape_bytes("a\"b\\c"), "a%22b%5Cc");
  EXPECT_EQ(fs::escape_bytes("tab\there\n"), "tab%09here%0A");
  EXPECT_EQ(fs::escape_bytes("\xe6\x9e\x9c\xe6\xb1\x81"), "\xe6\x9e\x9c\xe6\xb1\x81");  // 果汁: UTF-8 stays
  EXPECT_EQ(fs::escape_bytes("\xb9\xfb\xd6\xad"), "%B9%FB\xd6\xad");  // GBK: only the bytes that are not UTF-8
  EXPECT_EQ(fs::escape_bytes("\xc0\xaf"), "%C0%AF");                  // an overlong '/' is not UTF-8
  EXPECT_EQ(fs::escape_bytes("\xed\xa0\x80"), "%ED%A0%80");           // a surrogate is not UTF-8
  EXPECT_EQ(fs::escape_bytes("\xef\xbf\xbd"), "%EF%BF%BD");           // U+FFFD whole (JuiceFS keeps one byte)
}

TEST(Names, EveryByteStringRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (const std::string& raw : {all, std::string("\xff\xfe"), std::string("%41"), std::string("%"), std::string("%%4")}) {
    const std::string e = fs::escape_bytes(raw);
    EXPECT_EQ(fs::unescape_bytes(e), raw);
    EXPECT_EQ(fs::why_not_escaped(e), "") << e;
  }
}

TEST(Names, TextThatIsNotEscapedSaysWhy) {
  EXPECT_NE(fs::why_not_escaped("100%").find("%25"), std::string::npos);
  EXPECT_NE(fs::why_not_escaped("lower%b9").find("%25"), std::string::npos);
  EXPECT_NE(fs::why_not_escaped("a b").find("%20"), std::string::npos);
  EXPECT_NE(fs::why_not_escaped("q\"").find("%22"), std::string::npos);
  EXPECT_EQ(fs::why_not_escaped("%B9%FB"), "");
}

// ---- the kinds' checks, at depth -----------------------------------------------------------------
metaport::Errors decode(const metaport::KindInfo& k, const std::string& json) {
  auto v = metaport::json::parse(json);
  EXPECT_TRUE(v.ok()) << json;
  metaport::Entity e;
  metaport::Errors errors;
  k.normalize(k, *v, {}, e, errors);
  return errors;
}

const metaport::SchemaInfo& schema() {
  static const metaport::SchemaInfo s = metaport::make_schema_info<fs::Schema>();
  return s;
}

TEST(Checks, ASlicePastItsChunkIsNamedByItsPath) {
  const auto& node = *schema().find("Node");
  auto errs = decode(node, R"({"attr":{"inode":5,"type":"regular","mode":420,"uid":0,"gid":0,"atime":0,"mtime":0,"ctime":0,"nlink":1,"length":10},
    "chunks":[{"index":0,"slices":[{"id":1,"size":10,"len":10}]},{"index":1,"slices":[{"id":2,"pos":67108860,"size":10,"len":10}]}]})");
  ASSERT_EQ(errs.size(), 1u) << errs.to_string();
  EXPECT_EQ(errs.list()[0].path, "chunks[1].slices[0].len");
  EXPECT_NE(errs.list()[0].message.find("past the end of its chunk"), std::string::npos);
}

TEST(Checks, SliceReadsWithinItsObjectAndNamesItOnce) {
  const auto& node = *schema().find("Node");
  auto errs = decode(node, R"({"attr":{"inode":5,"type":"regular","mode":420,"uid":0,"gid":0,"atime":0,"mtime":0,"ctime":0,"nlink":1,"length":10},
    "chunks":[{"index":0,"slices":[{"id":1,"off":8,"size":10,"len":10},{"chunkid":3,"id":3,"size":1,"len":1},{"size":1,"len":1}]}]})");
  ASSERT_EQ(errs.size(), 3u) << errs.to_string();
  EXPECT_EQ(errs.list()[0].path, "chunks[0].slices[0].len");
  EXPECT_EQ(errs.list()[1].path, "chunks[0].slices[1].chunkid");
  EXPECT_EQ(errs.list()[2].path, "chunks[0].slices[2].id");
}

TEST(Checks, TypesAndRangesOfAttributes) {
  const auto& node = *schema().find("Node");
  auto errs = decode(node, R"({"attr":{"inode":0,"type":"sock","mode":70000,"uid":0,"gid":0,"atime":0,"mtime":0,"ctime":0,"nlink":1,"length":0},
    "symlink":"x","chunks":[{"index":1,"slices":[]},{"index":1,"slices":[]}]})");
  std::string all = errs.to_string();
  EXPECT_NE(all.find("attr.type"), std::string::npos) << all;
  EXPECT_NE(all.find("attr.mode: integer 70000 is out of range"), std::string::npos) << all;
  auto errs2 = decode(node, R"({"attr":{"inode":0,"type":"fifo","mode":1,"uid":0,"gid":0,"atime":0,"mtime":0,"ctime":0,"nlink":1,"length":0},
    "symlink":"x","chunks":[{"index":1,"slices":[]},{"index":1,"slices":[]}],"xattrs":[{"name":"a","value":"1"},{"name":"a","value":"b c"}]})");
  all = errs2.to_string();
  EXPECT_NE(all.find("attr.inode: inode numbers start at 1"), std::string::npos) << all;
  EXPECT_NE(all.find("symlink: only a symlink has a target"), std::string::npos) << all;
  EXPECT_NE(all.find("chunks: only a regular file has chunks"), std::string::npos) << all;
  EXPECT_NE(all.find("chunks[1].index: chunks are listed once each"), std::string::npos) << all;
  EXPECT_NE(all.find("xattrs[1].name: extended attribute 'a' is listed twice"), std::string::npos) << all;
  EXPECT_NE(all.find("xattrs[1].value:"), std::string::npos) << all;
}

TEST(Checks, EntryNames) {
  const auto& entry = *schema().find("Entry");
  EXPECT_EQ(decode(entry, R"({"parent":1,"name":"ok%20name","inode":2})").size(), 0u);
  for (const char* bad : {"", ".", "..", "a/b", "raw space", "100%"})
    EXPECT_EQ(decode(entry, std::string(R"({"parent":1,"name":")") + bad + R"(","inode":2})").size(), 1u) << bad;
  EXPECT_EQ(decode(entry, R"({"parent":"1","name":"x","inode":2})").list().at(0).path, "parent");  // a number, not a string
}

// ---- the tree layout -----------------------------------------------------------------------------
metaport::Entity entity(const std::string& kind, const std::string& json) {
  metaport::Entity e;
  const auto& k = *schema().find(kind);
  metaport::Errors errors;
  EXPECT_TRUE(k.normalize(k, *metaport::json::parse(json), {}, e, errors)) << errors.to_string();
  return e;
}

TEST(Layout, PathsFollowFromTheEntityAlone) {
  fs::TreeLayout layout;
  layout.index(entity("Setting", R"({"Name":"My Volume"})"));
  EXPECT_EQ(layout.path_of(entity("Setting", R"({"Name":"My Volume"})")), "my_volume/setting.yaml");
  EXPECT_EQ(layout.path_of(entity("Node", R"({"attr":{"inode":123456,"type":"directory","mode":1,"uid":0,"gid":0,"atime":0,"mtime":0,"ctime":0,"nlink":2,"length":0}})")),
            "my_volume/nodes/123/123456.yaml");
  const std::string plain = layout.path_of(entity("Entry", R"({"parent":7,"name":"notes.txt","inode":9})"));
  EXPECT_TRUE(plain.starts_with("my_volume/entries/0/7/")) << plain;
  EXPECT_TRUE(plain.ends_with("/notes.txt.yaml")) << plain;
  // Names that are not portable file names: a slug and the name's hash, so
  // names differing only by case never share a file.
  const std::string upper = layout.path_of(entity("Entry", R"({"parent":7,"name":"README","inode":9})"));
  const std::string lower = layout.path_of(entity("Entry", R"({"parent":7,"name":"readme","inode":10})"));
  EXPECT_NE(upper.substr(upper.rfind('/')), lower.substr(lower.rfind('/')));
  EXPECT_NE(upper.find("readme~"), std::string::npos) << upper;
  EXPECT_EQ(layout.kind_of("my_volume/entries/0/7/3f/x.yaml", Value()), std::optional<std::string>("Entry"));
  EXPECT_EQ(layout.kind_of("my_volume/nodes/0/9.yaml", Value()), std::optional<std::string>("Node"));
  EXPECT_EQ(layout.kind_of("my_volume/quotas/9.yaml", Value()), std::optional<std::string>("Quota"));
  EXPECT_EQ(layout.kind_of("my_volume/other/9.yaml", Value()), std::nullopt);
  EXPECT_TRUE(layout.indexes(*schema().find("Setting")));
  EXPECT_FALSE(layout.indexes(*schema().find("Node")));  // no per-entity index
}

// ---- the counters, by JuiceFS's rules --------------------------------------------------------------
TEST(Totals, CountersFollowJuiceFsRules) {
  fs::CounterTotals t;
  t.add(entity("Counters", R"({"usedSpace":1,"usedInodes":1,"nextInodes":1,"nextChunk":1,"nextSession":9,"nextTrash":0,"lastChangelog":4})"));
  const char* dir = R"({"attr":{"inode":%d,"type":"directory","mode":1,"uid":0,"gid":0,"atime":0,"mtime":0,"ctime":0,"nlink":2,"length":0}})";
  char buf[512];
  std::snprintf(buf, sizeof buf, dir, 1);
  t.add(entity("Node", buf));  // the root: not counted
  t.add(entity("Node", R"({"attr":{"inode":7,"type":"regular","mode":1,"uid":0,"gid":0,"atime":0,"mtime":0,"ctime":0,"nlink":1,"length":4097},
                         "chunks":[{"index":0,"slices":[{"id":40,"size":4097,"len":4097}]}]})"));
  t.add(entity("Node", R"({"attr":{"inode":3,"type":"regular","mode":1,"uid":0,"gid":0,"atime":0,"mtime":0,"ctime":0,"nlink":1,"length":0}})"));
  std::snprintf(buf, sizeof buf, dir, 0);
  t.add(entity("Node", std::string(R"({"attr":{"inode":)") + std::to_string(fs::kTrashInode + 2) +
                           R"(,"type":"directory","mode":1,"uid":0,"gid":0,"atime":0,"mtime":0,"ctime":0,"nlink":2,"length":0}})"));
  auto out = t.result();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(metaport::json::write(out[0].second),
            R"({"usedSpace":16384,"usedInodes":3,"nextInodes":8,"nextChunk":41,"nextSession":9,"nextTrash":2,"lastChangelog":4})");
}

// ---- the JuiceFS format ----------------------------------------------------------------------------
TEST(JuiceFs, RecognisedByItsFirstBytes) {
  EXPECT_TRUE(fs::juicefs::sniff("{\n  \"Setting\": {"));
  EXPECT_TRUE(fs::juicefs::sniff("  {\"FSTree\":{"));
  EXPECT_FALSE(fs::juicefs::sniff("{\"metaport\":\"dump\""));
  EXPECT_FALSE(fs::juicefs::sniff("metaport: dump"));
}

class StringInput : public metaport::io::Input {
 public:
  explicit StringInput(std::string s, std::size_t chunk) : s_(std::move(s)), chunk_(chunk) {}
  metaport::Result<std::size_t> read(char* buf, std::size_t n) override {
    const std::size_t k = std::min({n, chunk_, s_.size() - pos_});
    std::copy(s_.data() + pos_, s_.data() + pos_ + k, buf);
    pos_ += k;
    return k;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string s_, name_ = "in.json";
  std::size_t chunk_, pos_ = 0;
};

TEST(JsonScanner, WalksAndTakesValuesAcrossReadBoundaries) {
  const std::string doc = "{\n  \"a\": {\"x\": [1, \"}\\\"]\"]},\n  \"b\":\"caf\\u00e9\", \"c\" : -1.5e3 , \"d\":{\"big\":[[],{}]}\n}\n";
  for (std::size_t chunk : {1, 2, 3, 7, 1000}) {
    StringInput in(doc, chunk);
    metaport::format::JsonScanner s(in);
    ASSERT_TRUE(s.expect('{', "{").ok());
    std::string key;
    ASSERT_TRUE(s.string(key).ok());
    EXPECT_EQ(key, "a");
    ASSERT_TRUE(s.expect(':', ":").ok());
    auto a = s.value();
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(metaport::json::write(*a), R"({"x":[1,"}\"]"]})");
    EXPECT_EQ(a->mark.line, 2u);
    EXPECT_EQ(a->mark.col, 8u);
    ASSERT_TRUE(s.expect(',', ",").ok());
    ASSERT_TRUE(s.string(key).ok());
    ASSERT_TRUE(s.expect(':', ":").ok());
    ASSERT_TRUE(s.string(key).ok());
    EXPECT_EQ(key, "caf\xc3\xa9");
    ASSERT_TRUE(s.expect(',', ",").ok());
    ASSERT_TRUE(s.string(key).ok());
    ASSERT_TRUE(s.expect(':', ":").ok());
    std::string text;
    metaport::Mark at;
    ASSERT_TRUE(s.value_text(text, at).ok());
    EXPECT_EQ(text, "-1.5e3");
    ASSERT_TRUE(s.expect(',', ",").ok());
    ASSERT_TRUE(s.string(key).ok());
    ASSERT_TRUE(s.expect(':', ":").ok());
    ASSERT_TRUE(s.skip_value().ok());
    ASSERT_TRUE(s.expect('}', "}").ok());
    EXPECT_TRUE(s.end().ok());
  }
}

TEST(JsonScanner, ATruncatedDocumentSaysWhere) {
  StringInput in("{\n  \"a\": {\"x\": [1, 2", 4);
  metaport::format::JsonScanner s(in);
  ASSERT_TRUE(s.expect('{', "{").ok());
  std::string key;
  ASSERT_TRUE(s.string(key).ok());
  ASSERT_TRUE(s.expect(':', ":").ok());
  auto v = s.value();
  ASSERT_FALSE(v.ok());
  const auto& e = v.errors().list().at(0);
  EXPECT_NE(e.message.find("truncated"), std::string::npos) << e.message;
  EXPECT_EQ(e.mark.line, 2u);
  EXPECT_EQ(e.file, "in.json");
}

}  // namespace
