// The codec on plain described structs: every problem collected with its
// field path and position, a "did you mean" for a misspelt member, a
// canonical encoding that decodes to itself, secrets redacted unless kept.
#include "metaport/codec.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "metaport/format/yaml_reader.hpp"
#include "metaport/format/yaml_writer.hpp"
#include "metaport/metaport.hpp"

namespace coretest {
enum class Mode { read_only, read_write };
BOOST_DESCRIBE_ENUM(Mode, read_only, read_write)

struct Port {
  int number = 0;
  std::optional<std::string> label;
};
BOOST_DESCRIBE_STRUCT(Port, (), (number, label))

struct Endpoint {
  std::string host;
  std::vector<Port> ports;
  metaport::Secret<std::string> password;
  Mode mode = Mode::read_only;
  metaport::Timestamp seen;
};
BOOST_DESCRIBE_STRUCT(Endpoint, (), (host, ports, password, mode, seen))
}  // namespace coretest

namespace metaport {
namespace {
using coretest::Endpoint;

Value yaml_doc(const char* text) {
  auto v = yaml::parse(text);
  EXPECT_TRUE(v.ok());
  return v.ok() ? *v : Value();
}

TEST(Codec, DecodesAndEncodesCanonically) {
  const Value doc = yaml_doc(
      "host: db.internal\n"
      "ports:\n- number: 5432\n  label: main\n- number: 6432\n"
      "password: s3cr3t\nmode: read_write\nseen: 2024-01-15T10:30:00.71366Z\n");
  auto e = decode_value<Endpoint>(doc);
  ASSERT_TRUE(e.ok()) << e.errors().to_string();
  EXPECT_EQ(e->ports.size(), 2u);
  EXPECT_EQ(e->ports[1].number, 6432);
  EXPECT_FALSE(e->ports[1].label.has_value());
  EXPECT_EQ(e->mode, coretest::Mode::read_write);
  EXPECT_EQ(e->seen.str(), "2024-01-15T10:30:00.71366Z");

  EncodeContext keep;
  keep.opts.keep_secrets = true;
  const Value kept = encode(*e, keep);
  EXPECT_EQ(kept.find("password")->as_string(), "s3cr3t");
  auto again = decode_value<Endpoint>(kept);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(encode(*again, keep), kept);  // a fixpoint
  EXPECT_EQ(yaml::write(kept), yaml::write(encode(*again, keep)));

  // Redacted by default, at any depth the secret sits.
  EXPECT_EQ(encode(*e).find("password")->as_string(), kRedacted);
}

TEST(Codec, EveryProblemWithItsPathAndPlace) {
  const Value doc = yaml_doc(
      "host: 42\n"                      // line 1: a number where a string goes
      "ports:\n"
      "- number: five\n"                // line 3: ports[0].number
      "- labl: x\n"                     // line 4: ports[1]: misspelt, and number missing
      "mode: sideways\n"                // line 5: not an enumerator
      "seen: yesterday\n");             // line 6: not a timestamp
  auto e = decode_value<Endpoint>(doc);
  ASSERT_FALSE(e.ok());
  const std::string all = e.errors().to_string();
  std::vector<std::string> paths;
  for (const auto& err : e.errors().list()) paths.push_back(err.path);
  auto has = [&](const std::string& path, const std::string& words, std::uint32_t line) {
    for (const auto& err : e.errors().list())
      if (err.path == path && err.message.find(words) != std::string::npos && err.mark.line == line) return true;
    return false;
  };
  EXPECT_TRUE(has("host", "expected", 1)) << all;
  EXPECT_TRUE(has("ports[0].number", "expected", 3)) << all;
  EXPECT_TRUE(has("ports[1].labl", "did you mean 'label'", 4)) << all;
  EXPECT_TRUE(has("ports[1].number", "missing required field", 4)) << all;
  EXPECT_TRUE(has("mode", "sideways", 5)) << all;
  EXPECT_TRUE(has("seen", "ISO-8601", 6)) << all;
  EXPECT_TRUE(has("password", "missing required field", 1)) << all;
}

TEST(Codec, UnknownMembersKeptOnlyWhenAsked) {
  const Value doc = yaml_doc("host: h\nports: []\npassword: p\nmode: read_only\nseen: 2024-01-15\nextra: {a: 1}\n");
  EXPECT_FALSE(decode_value<Endpoint>(doc).ok());
  Unknowns unknowns;
  DecodeOptions keep;
  keep.keep_unknown = true;
  auto e = decode_value<Endpoint>(doc, keep, &unknowns);
  ASSERT_TRUE(e.ok()) << e.errors().to_string();
  ASSERT_EQ(unknowns.size(), 1u);
  EXPECT_EQ(path_to_string(unknowns[0].path), "extra");
}

}  // namespace
}  // namespace metaport
