// Keys: the canonical text a store's key column holds, and its inverse.
#include "metaport/key.hpp"

#include <gtest/gtest.h>

namespace metaport {
namespace {

TEST(Key, OnePartIsItsOwnText) {
  EXPECT_EQ(Key("f1C68pznmrpN1F5xFDj6d").str(), "f1C68pznmrpN1F5xFDj6d");
  EXPECT_EQ(Key::parse("Sample Database", true), Key("Sample Database"));
  // One part is taken whole, even when it looks like an array.
  EXPECT_EQ(Key::parse("[\"a\"]", true), Key("[\"a\"]"));
}

TEST(Key, PathsAreJsonArraysThatReadBack) {
  const Key keys[] = {
      Key{std::string("Sample Database"), std::string("PUBLIC"), std::string("ORDERS"), std::string("TOTAL")},
      Key{std::string("db"), std::nullopt, std::string("t")},
      Key{std::string("quote \" and \\ backslash"), std::string("tab\tnew\nline\x01")},
      Key{std::string(""), std::string("ünïcødé · 表")},
      Key{},
  };
  for (const Key& k : keys) {
    auto back = Key::parse(k.str(), false);
    ASSERT_TRUE(back.has_value()) << k.str();
    EXPECT_EQ(*back, k) << k.str();
  }
  EXPECT_EQ(keys[1].str(), "[\"db\",null,\"t\"]");
  EXPECT_EQ(keys[2].str(), "[\"quote \\\" and \\\\ backslash\",\"tab\\u0009new\\u000aline\\u0001\"]");
}

TEST(Key, MalformedPathsAreRefused) {
  for (const char* s : {"", "db", "[", "[\"a\"", "[\"a\",", "[\"a\" \"b\"]", "[nul]", "[1]"})
    EXPECT_FALSE(Key::parse(s, false).has_value()) << s;
  EXPECT_EQ(Key::parse(" [ \"a\" , null ] ", false), (Key{std::string("a"), std::nullopt}));
}

TEST(Key, OrderAndPieces) {
  const Key table{std::string("db"), std::string("s"), std::string("t")};
  EXPECT_EQ(table.with(std::string("f")).prefix(3), table);
  EXPECT_EQ(table.first(), "db");
  EXPECT_EQ((Key{std::nullopt}).first(), "");
  EXPECT_LT(Key("a"), Key("b"));
  EXPECT_LT(table, table.with(std::string("f")));
}

}  // namespace
}  // namespace metaport
