// BatchWriter: inserts batches of rows into a store on its own thread, in the
// order they are pushed, so the thread that produces them (a streaming load
// accepting records) goes on meanwhile, and a PostgreSQL COPY's round trip no
// longer stalls it. At most a few batches wait (memory stays bounded); the
// first error stops the writing, and push() and finish() return it.
//
// The store's connection is shared: anyone else who uses it while the writer
// runs holds store_mutex() (the writer holds it around every insert).
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "metaport/result.hpp"
#include "metaport/schema.hpp"
#include "runtime/store/store.hpp"

namespace metaport::engine {

// Rows of one kind on their way to the store, with their ids.
struct Batch {
  std::vector<std::int64_t> ids;
  std::vector<store::Row> rows;
};

class BatchWriter {
 public:
  BatchWriter(store::Store& store, const SchemaInfo& schema) : store_(store), schema_(schema), thread_([this] { run(); }) {}
  ~BatchWriter() { (void)finish(); }
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  std::mutex& store_mutex() { return store_mu_; }

  // Queues the rows of schema kind `kind` (waits while the queue is full).
  Status push(std::size_t kind, Batch&& batch) {
    std::unique_lock<std::mutex> l(m_);
    space_.wait(l, [&] { return queue_.size() < kMaxQueued || error_; });
    if (error_) return *error_;
    queue_.emplace_back(kind, std::move(batch));
    work_.notify_one();
    return ok_status();
  }

  // Waits until everything pushed is written (or dropped after an error);
  // returns the first error. Idempotent.
  Status finish() {
    {
      std::lock_guard<std::mutex> l(m_);
      done_ = true;
    }
    work_.notify_one();
    if (thread_.joinable()) thread_.join();
    return error_ ? Status(*error_) : ok_status();
  }

 private:
  static constexpr std::size_t kMaxQueued = 4;

  void run() {
    for (;;) {
      std::pair<std::size_t, Batch> job;
      {
        std::unique_lock<std::mutex> l(m_);
        work_.wait(l, [&] { return !queue_.empty() || done_; });
        if (queue_.empty()) return;
        job = std::move(queue_.front());
        queue_.pop_front();
        space_.notify_one();
        if (error_) continue;  // drain: nothing more is written after a failure
      }
      Status s = ok_status();
      {
        std::lock_guard<std::mutex> l(store_mu_);
        s = store_.insert_with_ids(schema_.kinds[job.first]->name, job.second.ids, job.second.rows);
      }
      if (!s) {
        std::lock_guard<std::mutex> l(m_);
        error_ = s.errors();
        space_.notify_all();
      }
    }
  }

  store::Store& store_;
  const SchemaInfo& schema_;
  std::mutex store_mu_;
  std::mutex m_;
  std::condition_variable work_, space_;
  std::deque<std::pair<std::size_t, Batch>> queue_;
  bool done_ = false;
  std::optional<Errors> error_;
  std::thread thread_;  // last: starts once everything above is initialized
};

}  // namespace metaport::engine
