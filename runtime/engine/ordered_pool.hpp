// OrderedPool: run `work` on items in worker threads, hand the results back
// in the order the items came in. Loads use it to decode records on every
// core while the main thread keeps the strict input order that identity,
// duplicates and reports depend on. Bounded: at most `window` items in
// flight, so memory does not grow with the input.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace metaport::engine {

template <class In, class Out>
class OrderedPool {
 public:
  // threads == 0: no workers, `work` runs inside pop() (same results, one core).
  OrderedPool(std::size_t threads, std::function<Out(In&)> work, std::size_t window = 256)
      : work_(std::move(work)), window_(window) {
    for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { run(); });
  }
  ~OrderedPool() {
    {
      std::lock_guard<std::mutex> l(m_);
      stop_ = true;
    }
    cv_work_.notify_all();
    for (auto& t : workers_) t.join();
  }
  OrderedPool(const OrderedPool&) = delete;
  OrderedPool& operator=(const OrderedPool&) = delete;

  bool full() const {
    std::lock_guard<std::mutex> l(m_);
    return slots_.size() >= window_;
  }
  void push(In in) {
    {
      std::lock_guard<std::mutex> l(m_);
      slots_.push_back(Slot{std::move(in), std::nullopt, false});
      if (idle_ == 0) return;
    }
    cv_work_.notify_one();
  }
  // The oldest item's result (waits for it); false when nothing is left.
  bool pop(Out& out) {
    std::unique_lock<std::mutex> l(m_);
    if (slots_.empty()) return false;
    if (workers_.empty()) {
      Slot& s = slots_.front();
      l.unlock();
      out = work_(s.in);
      l.lock();
      slots_.pop_front();
      ++popped_;
      return true;
    }
    if (!slots_.front().out) {
      waiting_ = true;
      cv_done_.wait(l, [&] { return slots_.front().out.has_value(); });
      waiting_ = false;
    }
    out = std::move(*slots_.front().out);
    slots_.pop_front();
    ++popped_;
    return true;
  }

 private:
  struct Slot {
    In in;
    std::optional<Out> out;
    bool taken;
  };
  void run() {
    std::unique_lock<std::mutex> l(m_);
    for (;;) {
      ++idle_;
      cv_work_.wait(l, [&] { return stop_ || next_ < popped_ + slots_.size(); });
      --idle_;
      if (stop_) return;
      // Claim the oldest item nobody has taken (indexes are absolute).
      std::size_t idx = next_ - popped_;
      if (next_ < popped_) { next_ = popped_; idx = 0; }
      Slot* s = &slots_[idx];
      ++next_;
      s->taken = true;
      l.unlock();
      Out out = work_(s->in);  // deque references stay valid: push_back/pop_front only
      l.lock();
      s->out = std::move(out);
      if (waiting_ && s == &slots_.front()) cv_done_.notify_one();
    }
  }

  std::function<Out(In&)> work_;
  std::size_t window_;
  mutable std::mutex m_;
  std::condition_variable cv_work_, cv_done_;
  std::deque<Slot> slots_;
  std::size_t popped_ = 0;  // items handed back so far
  std::size_t next_ = 0;    // absolute index of the next item to claim
  bool stop_ = false;
  std::size_t idle_ = 0;  // workers asleep on cv_work_
  bool waiting_ = false;  // pop() asleep on cv_done_
  std::vector<std::thread> workers_;
};

}  // namespace metaport::engine
