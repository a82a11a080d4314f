// Byte streams for dumps and loads: files written atomically (a temp file
// renamed into place only when everything was written and synced, so a full
// disk or a kill never leaves a half dump under the real name), stdout/stdin
// for pipes, and zstd compression chosen by the `.zst` extension.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "metaport/result.hpp"

namespace metaport::io {

class Output {
 public:
  virtual ~Output() = default;
  virtual Status write(std::string_view bytes) = 0;
  // Flushes, syncs and (for files) renames into place. Without a successful
  // close nothing appears under the destination name.
  virtual Status close() = 0;
};

class Input {
 public:
  virtual ~Input() = default;
  // Reads up to n bytes into buf; 0 at end of input.
  virtual Result<std::size_t> read(char* buf, std::size_t n) = 0;
  virtual const std::string& name() const = 0;
};

// "-" => stdout. A path ending in ".zst" (zstd) or ".gz" (gzip) is compressed.
Result<std::unique_ptr<Output>> open_output(const std::string& path);
// "-" => stdin. Compressed input (zstd, gzip) is recognised by its magic bytes, not its name.
Result<std::unique_ptr<Input>> open_input(const std::string& path);

// Bytes in memory as an input (tests, fuzzing); `name` is what messages call it.
std::unique_ptr<Input> memory_input(std::string name, std::string bytes);

// Reads an input line by line (LF, a trailing CR is kept: callers decide).
class LineReader {
 public:
  explicit LineReader(Input& in) : in_(in) {}
  // False at end of input; errors are returned through status().
  bool next(std::string& line);
  std::size_t line_number() const { return line_no_; }
  const Status& status() const { return status_; }

 private:
  Input& in_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  std::size_t line_no_ = 0;
  Status status_ = ok_status();
};

// Whole-file helpers for the tree format (one small file per entity).
Result<std::string> read_file(const std::string& path);
// Writes a file (creating parent directories); errors name the path and errno text.
Status write_file(const std::string& path, std::string_view bytes);

}  // namespace metaport::io
