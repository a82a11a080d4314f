#include "runtime/format/file_pool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <optional>

namespace metaport::format {

namespace {

std::string errno_text(const std::string& what, const std::string& path, int err) {
  return what + " " + path + ": " + std::strerror(err);
}

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace

FilePool::FilePool(std::size_t threads, std::size_t max_pending) : max_pending_(max_pending) {
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>());
  for (auto& w : workers_) w->thread = std::thread([this, p = w.get()] { run(*p); });
}

FilePool::~FilePool() {
  {
    std::lock_guard<std::mutex> l(m_);
    stop_ = true;
  }
  for (auto& w : workers_) w->work.notify_all();
  for (auto& w : workers_) w->thread.join();
}

Status FilePool::write(std::string path, std::string bytes) { return write(std::move(path), std::move(bytes), {}); }

Status FilePool::write(std::string path, std::string bytes, std::string previous) {
  // The folder decides the worker (see the header).
  Worker& w = *workers_[std::hash<std::string>{}(folder_of(path)) % workers_.size()];
  std::unique_lock<std::mutex> l(m_);
  if (pending_bytes_ >= max_pending_ && error_) {
    for (auto& other : workers_)  // a few big files may not have woken anyone yet
      if (other->idle && !other->jobs.empty()) other->work.notify_one();
    caller_waits_ = true;
    room_.wait(l, [&] { return pending_bytes_ < max_pending_ || !error_; });
    caller_waits_ = false;
  }
  if (!error_) return error_;
  pending_bytes_ += bytes.capacity();  // what it holds in memory
  ++in_flight_;
  w.jobs.push_back(Job{std::move(path), std::move(bytes), std::move(previous)});
  // An idle worker is woken once a few files wait for it (finish() wakes it
  // for the rest): one wake-up per file cost more than the file.
  const bool wake = w.idle && w.jobs.size() >= kWakeAfter;
  l.unlock();
  if (wake) w.work.notify_one();
  return ok_status();
}

Status FilePool::finish() {
  std::unique_lock<std::mutex> l(m_);
  for (auto& w : workers_)
    if (w->idle && !w->jobs.empty()) w->work.notify_one();
  if (in_flight_ > 0) {
    caller_waits_ = true;
    room_.wait(l, [&] { return in_flight_ == 0; });
    caller_waits_ = false;
  }
  return error_;
}

void FilePool::run(Worker& w) {
  std::unique_lock<std::mutex> l(m_);
  for (;;) {
    if (w.jobs.empty() && !stop_) {
      w.idle = true;
      w.work.wait(l, [&] { return stop_ || !w.jobs.empty(); });
      w.idle = false;
    }
    if (w.jobs.empty()) return;  // stop, and nothing left
    Job job = std::move(w.jobs.front());
    w.jobs.pop_front();
    const bool skip = !error_;  // after an error nothing more is written
    l.unlock();
    Status s = skip ? ok_status() : write_one(w, job);
    l.lock();
    if (!s && error_) error_ = std::move(s);
    pending_bytes_ -= job.bytes.capacity();
    --in_flight_;
    if (caller_waits_) room_.notify_all();
  }
}

Status FilePool::make_folder(Worker& w, const std::string& dir) {
  if (dir.empty() || w.made.count(dir)) return ok_status();
  if (::mkdir(dir.c_str(), 0755) != 0) {
    const int err = errno;
    if (err == ENOENT) {  // its parent first
      if (auto s = make_folder(w, folder_of(dir)); !s) return s;
      if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
        return make_error(errno_text("cannot create folder", dir, errno));
    } else if (err != EEXIST) {  // EEXIST: made by another writer, or there before
      return make_error(errno_text("cannot create folder", dir, err));
    }
  }
  w.made.insert(dir);
  return ok_status();
}

namespace {
// The whole file, or nullopt when there is none (or it cannot be read: then
// the new text is written, as without a previous file).
std::optional<std::string> slurp(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}
}  // namespace

Status FilePool::write_one(Worker& w, const Job& job) {
  if (auto s = make_folder(w, folder_of(job.path)); !s) return s;
  std::string_view rest = job.bytes;
  std::optional<std::string> old;
  if (!job.previous.empty() && same_content_) {
    old = slurp(job.previous);
    if (old && *old != job.bytes && same_content_(*old, job.bytes)) rest = *old;
  }
  const int fd = ::open(job.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(errno_text("cannot create", job.path, errno));
  while (!rest.empty()) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return make_error(errno_text("cannot write", job.path, err));
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::close(fd) != 0) return make_error(errno_text("cannot close", job.path, errno));
  return ok_status();
}

}  // namespace metaport::format
