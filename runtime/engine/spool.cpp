#include "runtime/engine/spool.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace metaport::engine {

Spool::Spool() : f_(std::tmpfile()) {}
Spool::~Spool() {
  if (f_) std::fclose(f_);
}

Result<std::uint64_t> Spool::append(std::string_view bytes) {
  if (!f_) return make_error(std::string("cannot create a temporary file: ") + std::strerror(errno));
  if (std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size())
    return make_error(std::string("cannot write the temporary spool file (disk full?): ") + std::strerror(errno));
  std::uint64_t off = size_;
  size_ += bytes.size();
  return off;
}

Status Spool::flush() {
  if (f_ && std::fflush(f_) != 0)
    return make_error(std::string("cannot write the temporary spool file (disk full?): ") + std::strerror(errno));
  return ok_status();
}

Status Spool::read(std::uint64_t off, std::uint32_t len, std::string& out) const {
  out.resize(len);
  std::size_t got = 0;
  while (got < len) {
    ssize_t n = ::pread(fileno(f_), out.data() + got, len - got, static_cast<off_t>(off + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(std::string("cannot read the spool file: ") + std::strerror(errno));
    got += static_cast<std::size_t>(n);
  }
  return ok_status();
}

}  // namespace metaport::engine
