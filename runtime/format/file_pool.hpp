// FilePool: writes many small files from background threads. A tree dump
// creates one file per entity (100k files, 20k folders for the bi sample),
// and on ext4 that is most of its time, spent in the kernel creating inodes
// (docs/performance.md). With the pool the dump's thread goes on reading and
// rendering while the files are created.
//
// Each folder belongs to one writer thread (by a hash of its path), so two
// threads never wait on one directory's lock, and each thread remembers the
// folders it has made: no stat or mkdir per file. Files are independent, so
// the order they are written in does not change the tree. Memory is bounded:
// write() waits while more than `max_pending` bytes are queued.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "metaport/result.hpp"

namespace metaport::format {

class FilePool {
 public:
  // Whether the text a file had before may stay in place of the new text:
  // same_content(old, new). Called on the writer threads.
  using SameContent = std::function<bool(std::string_view old_text, std::string_view new_text)>;

  explicit FilePool(std::size_t threads = 2, std::size_t max_pending = 16u << 20);
  ~FilePool();  // waits for the queued files (their errors are lost: call finish())
  FilePool(const FilePool&) = delete;
  FilePool& operator=(const FilePool&) = delete;

  // Queues `bytes` for the file at `path` (absolute or relative to the
  // working folder; its folders are created as needed). Returns the first
  // error a writer met so far, so a full disk stops the dump early.
  Status write(std::string path, std::string bytes);
  // The same, but when the file at `previous` (the one this file replaces)
  // holds the same content in other words (same_content says so), its text
  // is written instead: re-dumping into a folder another tool wrote keeps
  // that tool's spelling of every file whose content did not change.
  Status write(std::string path, std::string bytes, std::string previous);
  void set_same_content(SameContent f) { same_content_ = std::move(f); }
  // Waits until every queued file is written; the first error, if any.
  Status finish();

 private:
  struct Job {
    std::string path;
    std::string bytes;
    std::string previous;  // the file it replaces ("" : none)
  };
  struct Worker {
    std::deque<Job> jobs;
    std::unordered_set<std::string> made;  // folders this worker created or found
    std::condition_variable work;          // a job was queued for it, or stop
    bool idle = false;                     // waiting on `work`: only then is it woken
    std::thread thread;
  };
  static constexpr std::size_t kWakeAfter = 16;
  void run(Worker& w);
  Status write_one(Worker& w, const Job& job);
  Status make_folder(Worker& w, const std::string& dir);

  // Wake-ups only for a thread that sleeps: one per file would cost more
  // than writing the file (context switches were 15% of a tree dump).
  std::mutex m_;
  std::condition_variable room_;  // pending bytes went down, or the last job finished
  bool caller_waits_ = false;     // write() or finish() sleeps on room_
  std::vector<std::unique_ptr<Worker>> workers_;
  std::size_t max_pending_;
  std::size_t pending_bytes_ = 0;
  std::size_t in_flight_ = 0;  // jobs queued or being written
  bool stop_ = false;
  Status error_ = ok_status();
  SameContent same_content_;
};

}  // namespace metaport::format
