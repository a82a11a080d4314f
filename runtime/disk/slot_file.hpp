// SlotFile: fixed-size records addressed by a number, in a temporary sparse
// file: slot i sits at i * slot_bytes, slots never written read as zeros and
// take no disk. For indexes by inode or by local id that would otherwise
// be per-entity arrays in memory (docs/memory.md). Reads and writes are
// positioned (pread/pwrite): a few microseconds each, served by the kernel's
// page cache.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "metaport/result.hpp"

namespace metaport::disk {

class SlotFile {
 public:
  // Slot numbers up to `max_slots` - 1 (the file may grow to max_slots * slot_bytes).
  static Result<std::unique_ptr<SlotFile>> create(std::size_t slot_bytes, std::uint64_t max_slots, std::string purpose);
  ~SlotFile();
  SlotFile(const SlotFile&) = delete;
  SlotFile& operator=(const SlotFile&) = delete;

  std::size_t slot_bytes() const { return slot_bytes_; }
  std::uint64_t max_slots() const { return max_slots_; }
  Status put(std::uint64_t slot, const void* data);
  Status get(std::uint64_t slot, void* data) const;

 private:
  SlotFile(int fd, std::size_t slot_bytes, std::uint64_t max_slots, std::string purpose)
      : fd_(fd), slot_bytes_(slot_bytes), max_slots_(max_slots), purpose_(std::move(purpose)) {}
  int fd_;
  std::size_t slot_bytes_;
  std::uint64_t max_slots_;
  std::string purpose_;
};

}  // namespace metaport::disk
