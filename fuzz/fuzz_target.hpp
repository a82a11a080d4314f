// One fuzz target = one function `void fuzz_one(std::string_view input)` that
// must never crash, hang or trip a sanitizer, whatever the bytes, and that
// abort()s when a property it checks does not hold.
//
// Built with --config=fuzz (clang, -fsanitize=fuzzer,address,undefined) it
// is a libFuzzer binary; built normally (g++, or --config=asan) it replays
// inputs: every file named on the command line, or every file of a named
// folder. fuzz/BUILD.bazel turns the committed corpus of each target
// (fuzz/corpus/TARGET: seeds and every crash ever found) into a test.
#pragma once
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

void fuzz_one(std::string_view input);

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz_one(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

#ifndef METAPORT_LIBFUZZER
int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
    } else {
      files.push_back(p);
    }
  }
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", f.c_str());
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    std::fprintf(stderr, "replaying %s\n", f.c_str());
    fuzz_one(ss.str());
  }
  std::printf("%zu inputs replayed, no failure\n", files.size());
  return files.empty() ? 1 : 0;  // an empty corpus would prove nothing
}
#endif
