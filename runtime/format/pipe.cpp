#include "runtime/format/pipe.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <vector>

namespace metaport::io {
namespace {

// The bytes in flight: a ring buffer of `capacity` bytes. A side that waits
// says so, and the other wakes it only then (a wake-up per write would cost
// a system call per record).
class Ring {
 public:
  Ring(std::string name, std::size_t capacity) : name_(std::move(name)), buf_(std::max<std::size_t>(capacity, 4096)) {}

  Status write(std::string_view bytes) {
    std::unique_lock<std::mutex> l(m_);
    while (!bytes.empty()) {
      if (size_ == buf_.size() && !reader_gone_) {
        writer_waits_ = true;
        room_.wait(l, [&] { return size_ < buf_.size() || reader_gone_; });
        writer_waits_ = false;
      }
      if (reader_gone_) return make_error(name_ + ": the reading side stopped");
      const std::size_t tail = (head_ + size_) % buf_.size();
      const std::size_t n = std::min({bytes.size(), buf_.size() - size_, buf_.size() - tail});
      std::memcpy(buf_.data() + tail, bytes.data(), n);
      size_ += n;
      bytes.remove_prefix(n);
      if (reader_waits_) data_.notify_one();
    }
    return ok_status();
  }

  Result<std::size_t> read(char* out, std::size_t want) {
    std::unique_lock<std::mutex> l(m_);
    if (size_ == 0 && state_ == State::open) {
      reader_waits_ = true;
      data_.wait(l, [&] { return size_ > 0 || state_ != State::open; });
      reader_waits_ = false;
    }
    if (size_ == 0) {
      if (state_ == State::closed) return std::size_t{0};
      return make_error(name_ + ": " + why_);
    }
    const std::size_t n = std::min({want, size_, buf_.size() - head_});
    std::memcpy(out, buf_.data() + head_, n);
    head_ = (head_ + n) % buf_.size();
    size_ -= n;
    if (writer_waits_) room_.notify_one();
    return n;
  }

  // The writer is done: cleanly (close) or not (abort, or gone without close).
  void end(bool clean, const std::string& why) {
    std::lock_guard<std::mutex> l(m_);
    if (state_ != State::open) return;
    state_ = clean ? State::closed : State::broken;
    why_ = why;
    data_.notify_all();
  }
  void reader_gone() {
    std::lock_guard<std::mutex> l(m_);
    reader_gone_ = true;
    room_.notify_all();
  }
  const std::string& name() const { return name_; }

 private:
  enum class State { open, closed, broken };
  const std::string name_;
  std::vector<char> buf_;
  std::size_t head_ = 0, size_ = 0;
  std::mutex m_;
  std::condition_variable data_, room_;
  State state_ = State::open;
  std::string why_;
  bool reader_gone_ = false, reader_waits_ = false, writer_waits_ = false;
};

class RingOutput : public PipeOutput {
 public:
  explicit RingOutput(std::shared_ptr<Ring> r) : r_(std::move(r)) {}
  ~RingOutput() override { r_->end(false, "the writing side stopped before the end"); }
  Status write(std::string_view bytes) override { return r_->write(bytes); }
  Status close() override {
    r_->end(true, {});
    return ok_status();
  }
  void abort(const std::string& why) override { r_->end(false, why); }

 private:
  std::shared_ptr<Ring> r_;
};

class RingInput : public Input {
 public:
  explicit RingInput(std::shared_ptr<Ring> r) : r_(std::move(r)) {}
  ~RingInput() override { r_->reader_gone(); }
  Result<std::size_t> read(char* buf, std::size_t n) override { return r_->read(buf, n); }
  const std::string& name() const override { return r_->name(); }

 private:
  std::shared_ptr<Ring> r_;
};

}  // namespace

PipeEnds make_pipe(std::string name, std::size_t capacity) {
  auto ring = std::make_shared<Ring>(std::move(name), capacity);
  return PipeEnds{std::make_unique<RingOutput>(ring), std::make_unique<RingInput>(ring)};
}

}  // namespace metaport::io
