#include "runtime/disk/slot_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace metaport::disk {

Result<std::unique_ptr<SlotFile>> SlotFile::create(std::size_t slot_bytes, std::uint64_t max_slots, std::string purpose) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/metaport-slots-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return make_error("cannot create a temporary file for " + purpose + " in " + path + ": " + std::strerror(errno));
  ::unlink(path.c_str());  // gone when closed
  return std::unique_ptr<SlotFile>(new SlotFile(fd, slot_bytes, max_slots, std::move(purpose)));
}

SlotFile::~SlotFile() { ::close(fd_); }

Status SlotFile::put(std::uint64_t slot, const void* data) {
  if (slot >= max_slots_) return make_error(purpose_ + ": slot " + std::to_string(slot) + " is past the last one");
  const auto* p = static_cast<const char*>(data);
  std::size_t done = 0;
  while (done < slot_bytes_) {
    const ssize_t n = ::pwrite(fd_, p + done, slot_bytes_ - done, static_cast<off_t>(slot * slot_bytes_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error("cannot write the temporary file for " + purpose_ + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  return ok_status();
}

Status SlotFile::get(std::uint64_t slot, void* data) const {
  if (slot >= max_slots_) return make_error(purpose_ + ": slot " + std::to_string(slot) + " is past the last one");
  auto* p = static_cast<char*>(data);
  std::size_t done = 0;
  while (done < slot_bytes_) {
    const ssize_t n = ::pread(fd_, p + done, slot_bytes_ - done, static_cast<off_t>(slot * slot_bytes_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error("cannot read the temporary file for " + purpose_ + ": " + std::strerror(errno));
    if (n == 0) {  // past the end of the file: a slot never written
      std::memset(p + done, 0, slot_bytes_ - done);
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return ok_status();
}

}  // namespace metaport::disk
