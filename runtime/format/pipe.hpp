// An in-process pipe: a dump written on one thread is read as a stream on
// another (copy: the source's dump feeds the target's load without a file or
// an OS pipe in between). Bounded: the writer waits while `capacity` bytes
// are unread, so a copy holds at most that much of the dump in memory,
// whatever the store's size.
//
//   auto p = io::make_pipe("the dump of SRC");
//   std::thread t([&] { ... writer on *p.out ...; p.out->close(); });
//   auto reader = format::open_stream(std::move(p.in));   // reads what the thread writes
//
// Either side may stop early: reads after a writer that went away without
// close() (or that called abort) fail, naming why; writes after the reader
// went away fail at once, so the writing thread never waits forever.
#pragma once
#include <memory>
#include <string>

#include "runtime/format/io.hpp"

namespace metaport::io {

class PipeOutput : public Output {
 public:
  // The writer gave up: the reader's next read fails with `why`.
  virtual void abort(const std::string& why) = 0;
};

struct PipeEnds {
  std::unique_ptr<PipeOutput> out;
  std::unique_ptr<Input> in;
};

PipeEnds make_pipe(std::string name, std::size_t capacity = std::size_t{4} << 20);

}  // namespace metaport::io
