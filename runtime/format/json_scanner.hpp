// JsonScanner: reads one JSON document from an io::Input piece by piece, for
// documents too large to hold (a JuiceFS dump is one object holding the
// whole tree). The caller walks the structure (objects, keys, separators)
// and takes small values whole as text, with their position, for
// json::parse. Memory: a read buffer and the value being taken.
//
// Positions are 1-based lines and columns (bytes), as metaport's parsers
// report them.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "metaport/result.hpp"
#include "metaport/value.hpp"
#include "runtime/format/io.hpp"

namespace metaport::format {

class JsonScanner {
 public:
  explicit JsonScanner(io::Input& in) : in_(in) {}

  // The next character that is not blank, without taking it; 0 at the end.
  Result<char> peek();
  // Takes the next non-blank character, which must be `c`; `what` says
  // what was expected in the error ("':' after a member name").
  Status expect(char c, std::string_view what);
  // Takes a string (the next non-blank token must be one), decoded.
  Status string(std::string& out);
  // Takes the next value whole: its text, and where it starts.
  Status value_text(std::string& out, Mark& at);
  // Takes the next value and parses it (marks relative to the file).
  Result<Value> value();
  // Skips the next value, however large (nothing is kept).
  Status skip_value();
  // After the document: only blanks may follow.
  Status end();

  Mark mark() const { return Mark{line_, col_}; }
  const std::string& name() const { return in_.name(); }
  // An error at the current position.
  Error error(std::string message) const;

 private:
  // The next byte, consumed; 0 at the end (status_ says if it was an error).
  Result<int> get();
  Result<int> look();
  Status fill();
  Status string_body(std::string* out);  // after the opening quote
  Status copy_value(std::string* out);   // the value starting at the next byte

  io::Input& in_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  std::uint32_t line_ = 1, col_ = 1;
};

}  // namespace metaport::format
