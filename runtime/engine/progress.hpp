// A progress line on stderr for long dumps and loads: only on a terminal
// (or when asked), redrawn at most ten times a second, erased at the end.
#pragma once
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace metaport::engine {

class Progress {
 public:
  Progress(bool enabled, std::string what, std::size_t total)
      : on_(enabled), what_(std::move(what)), total_(total), last_(std::chrono::steady_clock::now()) {}
  ~Progress() { done(); }
  void tick(std::size_t n = 1) {
    done_ += n;
    if (!on_ || (done_ & 255) != 0) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    draw();
  }
  void done() {
    if (on_ && drawn_) std::fprintf(stderr, "\r\033[K");
    drawn_ = false;
    on_ = false;
  }
  static bool stderr_is_terminal() { return ::isatty(2) == 1; }

 private:
  void draw() {
    if (total_) {
      int pct = static_cast<int>(100.0 * static_cast<double>(done_) / static_cast<double>(total_));
      int bar = pct / 4;
      std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% %zu/%zu", what_.c_str(), bar, "#########################", 25 - bar, "", pct,
                   done_, total_);
    } else {
      std::fprintf(stderr, "\r%s %zu", what_.c_str(), done_);
    }
    std::fflush(stderr);
    drawn_ = true;
  }
  bool on_;
  std::string what_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace metaport::engine
