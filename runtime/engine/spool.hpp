// A temporary file holding the decoded entities of a load between the plan
// and the apply phase: memory stays bounded by the plan (keys and reference
// lists), not by the size of the documents.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

#include "metaport/result.hpp"

namespace metaport::engine {

class Spool {
 public:
  Spool();
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  bool ok() const { return f_ != nullptr; }
  // Appends bytes; returns their offset.
  Result<std::uint64_t> append(std::string_view bytes);
  // Makes everything appended readable (call once, before the reads).
  Status flush();
  Status read(std::uint64_t off, std::uint32_t len, std::string& out) const;  // thread-safe (pread)
  std::uint64_t size() const { return size_; }

 private:
  std::FILE* f_ = nullptr;
  std::uint64_t size_ = 0;
};

}  // namespace metaport::engine
