// Compressed inputs read back exactly, whatever the size of the reads: a
// reader that sniffs a format asks for one byte at a time, a scanner for
// 64 KiB. Written with the same outputs dumps use (runtime/format/io.hpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "runtime/format/io.hpp"

namespace metaport::io {
namespace {

std::string sample_text() {
  std::string s;
  for (int i = 0; i < 20000; ++i) s += "{\"kind\":\"Node\",\"entity\":{\"inode\":" + std::to_string(i) + "}}\n";
  return s;
}

std::string write_file(const std::string& name, const std::string& text) {
  const auto path = (std::filesystem::path(::testing::TempDir()) / name).string();
  auto out = open_output(path);
  EXPECT_TRUE(out.ok()) << out.errors().to_string();
  EXPECT_TRUE((*out)->write(text).ok());
  EXPECT_TRUE((*out)->close().ok());
  return path;
}

std::string read_all(const std::string& path, std::size_t piece) {
  auto in = open_input(path);
  EXPECT_TRUE(in.ok()) << in.errors().to_string();
  std::string got, buf(piece, '\0');
  for (;;) {
    auto n = (*in)->read(buf.data(), piece);
    EXPECT_TRUE(n.ok()) << path << " read in pieces of " << piece << ": " << n.errors().to_string();
    if (!n.ok() || *n == 0) break;
    got.append(buf.data(), *n);
  }
  return got;
}

class CompressedInput : public ::testing::TestWithParam<std::string> {};

TEST_P(CompressedInput, ReadsBackInPiecesOfAnySize) {
  const std::string text = sample_text();
  const std::string path = write_file("sample.jsonl" + GetParam(), text);
  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, std::size_t{1} << 16})
    EXPECT_EQ(read_all(path, piece), text) << "pieces of " << piece;
}

TEST_P(CompressedInput, ACutFileIsAnErrorNotAShortRead) {
  const std::string path = write_file("cut.jsonl" + GetParam(), sample_text());
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  auto in = open_input(path);
  ASSERT_TRUE(in.ok());
  std::string buf(4096, '\0');
  bool failed = false;
  for (;;) {
    auto n = (*in)->read(buf.data(), buf.size());
    if (!n.ok()) {
      failed = true;
      EXPECT_NE(n.errors().to_string().find("truncated"), std::string::npos) << n.errors().to_string();
      break;
    }
    if (*n == 0) break;
  }
  EXPECT_TRUE(failed) << "a file cut in half read to its end without an error";
}

INSTANTIATE_TEST_SUITE_P(Formats, CompressedInput, ::testing::Values(".zst", ".gz"),
                         [](const auto& info) { return info.param.substr(1); });

}  // namespace
}  // namespace metaport::io
