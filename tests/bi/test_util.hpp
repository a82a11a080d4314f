// Small helpers shared by the bi tests.
#pragma once
#include <gtest/gtest.h>

#include <boost/mp11.hpp>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "entities/bi/schema.hpp"
#include "metaport/format/yaml_reader.hpp"
#include "metaport/format/yaml_writer.hpp"

namespace bi::testing {

inline const metaport::EncodeContext kKeepSecrets{metaport::EncodeOptions{.keep_secrets = true}};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The installed @metabase/representations package (tests/run sets the
// variable). Missing is a failure, not a skip: a test that silently skips
// its reference data proves nothing.
inline std::string representations_dir() {
  const char* dir = std::getenv("METAPORT_REPRESENTATIONS_DIR");
  if (!dir || !*dir) {
    ADD_FAILURE() << "METAPORT_REPRESENTATIONS_DIR is not set (tests/run points it at "
                     "tests/validator/node_modules/@metabase/representations)";
    return {};
  }
  return dir;
}

// Parses YAML text, failing the test on a syntax error.
inline metaport::Value parse_yaml(std::string_view text) {
  auto r = metaport::yaml::parse(text);
  EXPECT_TRUE(r.ok()) << r.errors().to_string() << "\n" << text;
  return r.ok() ? std::move(r.value()) : metaport::Value();
}

// The 1-based line and column where `needle` first occurs in `text`
// (used to check that errors point at the offending token).
inline metaport::Mark mark_of(std::string_view text, std::string_view needle, std::size_t nth = 0) {
  std::size_t pos = text.find(needle);
  while (nth-- > 0 && pos != std::string_view::npos) pos = text.find(needle, pos + 1);
  if (pos == std::string_view::npos) {
    ADD_FAILURE() << "test text has no '" << needle << "'";
    return {};
  }
  std::uint32_t line = 1, col = 1;
  for (std::size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else
      ++col;
  }
  return {line, col};
}

// Calls f.template operator()<T>() for the kind T named `name`.
template <class F>
bool with_kind(std::string_view name, F&& f) {
  bool found = false;
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, Schema::kinds>>([&](auto id) {
    using T = typename decltype(id)::type;
    if (!found && metaport::kind_traits<T>::name == name) {
      found = true;
      f.template operator()<T>();
    }
  });
  return found;
}

}  // namespace bi::testing
