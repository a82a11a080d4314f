#include "runtime/format/io.hpp"

#include <algorithm>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace metaport::io {
namespace {

std::string errno_text(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

Status write_all(int fd, std::string_view bytes, const std::string& name) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(errno_text("cannot write", name));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok_status();
}

// Buffers writes (one syscall per 256 KiB, not per record).
class FdOutput : public Output {
 public:
  FdOutput(int fd, std::string name, std::string tmp, std::string final_path)
      : fd_(fd), name_(std::move(name)), tmp_(std::move(tmp)), final_(std::move(final_path)) {
    buf_.reserve(kBuf);
  }
  ~FdOutput() override {
    if (!closed_) {  // not closed => failed or abandoned: leave nothing behind
      if (!tmp_.empty()) { ::close(fd_); ::unlink(tmp_.c_str()); }
    }
  }
  Status write(std::string_view bytes) override {
    if (buf_.size() + bytes.size() > kBuf) {
      if (auto s = flush(); !s) return s;
      if (bytes.size() > kBuf) return write_all(fd_, bytes, name_);
    }
    buf_.append(bytes);
    return ok_status();
  }
  Status close() override {
    if (auto s = flush(); !s) return s;
    if (!tmp_.empty()) {
      if (::fsync(fd_) != 0) return make_error(errno_text("cannot sync", name_));
      if (::close(fd_) != 0) return make_error(errno_text("cannot close", name_));
      if (::rename(tmp_.c_str(), final_.c_str()) != 0) return make_error(errno_text("cannot rename into", final_));
    }
    closed_ = true;
    return ok_status();
  }

 private:
  static constexpr std::size_t kBuf = 256 * 1024;
  Status flush() {
    auto s = write_all(fd_, buf_, name_);
    written_ += buf_.size();
    buf_.clear();
    // A file (not a pipe) is synced at close. Starting its write-back now,
    // every few MiB, without waiting, leaves that final fsync little to do:
    // it took 0.1 s of a 0.7 s jsonl dump (docs/performance.md).
    if (s && !tmp_.empty() && written_ - started_ >= kWriteBackStep) {
      (void)::sync_file_range(fd_, static_cast<off_t>(started_), static_cast<off_t>(written_ - started_),
                              SYNC_FILE_RANGE_WRITE);
      started_ = written_;
    }
    return s;
  }
  static constexpr std::size_t kWriteBackStep = 8u << 20;
  std::size_t written_ = 0, started_ = 0;  // bytes written; write-back started up to
  int fd_;
  std::string name_, tmp_, final_;
  std::string buf_;
  bool closed_ = false;
};

class ZstdOutput : public Output {
 public:
  explicit ZstdOutput(std::unique_ptr<Output> inner) : inner_(std::move(inner)), cctx_(ZSTD_createCCtx()) {
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, 3);
    out_.resize(ZSTD_CStreamOutSize());
  }
  ~ZstdOutput() override { ZSTD_freeCCtx(cctx_); }
  Status write(std::string_view bytes) override { return pump(bytes, ZSTD_e_continue); }
  Status close() override {
    if (auto s = pump({}, ZSTD_e_end); !s) return s;
    return inner_->close();
  }

 private:
  Status pump(std::string_view bytes, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
    for (;;) {
      ZSTD_outBuffer o{out_.data(), out_.size(), 0};
      std::size_t left = ZSTD_compressStream2(cctx_, &o, &in, mode);
      if (ZSTD_isError(left)) return make_error(std::string("zstd: ") + ZSTD_getErrorName(left));
      if (o.pos) if (auto s = inner_->write({out_.data(), o.pos}); !s) return s;
      if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size) break;
    }
    return ok_status();
  }
  std::unique_ptr<Output> inner_;
  ZSTD_CCtx* cctx_;
  std::vector<char> out_;
};

// gzip (zlib's deflate with the gzip wrapper), for the .gz files JuiceFS users keep.
class GzipOutput : public Output {
 public:
  explicit GzipOutput(std::unique_ptr<Output> inner) : inner_(std::move(inner)) {
    ok_ = deflateInit2(&z_, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    out_.resize(1 << 16);
  }
  ~GzipOutput() override { deflateEnd(&z_); }
  Status write(std::string_view bytes) override { return pump(bytes, Z_NO_FLUSH); }
  Status close() override {
    if (auto s = pump({}, Z_FINISH); !s) return s;
    return inner_->close();
  }

 private:
  Status pump(std::string_view bytes, int mode) {
    if (!ok_) return make_error("cannot start gzip compression");
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z_.avail_in = static_cast<uInt>(bytes.size());
    for (;;) {
      z_.next_out = reinterpret_cast<Bytef*>(out_.data());
      z_.avail_out = static_cast<uInt>(out_.size());
      const int rc = deflate(&z_, mode);
      if (rc == Z_STREAM_ERROR) return make_error("gzip compression failed");
      const std::size_t have = out_.size() - z_.avail_out;
      if (have)
        if (auto s = inner_->write(std::string_view(out_.data(), have)); !s) return s;
      if (mode == Z_FINISH ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0)) return ok_status();
    }
  }
  std::unique_ptr<Output> inner_;
  z_stream z_{};
  bool ok_ = false;
  std::vector<char> out_;
};

class FdInput : public Input {
 public:
  FdInput(int fd, std::string name, bool owned) : fd_(fd), name_(std::move(name)), owned_(owned) {}
  ~FdInput() override { if (owned_) ::close(fd_); }
  Result<std::size_t> read(char* buf, std::size_t n) override {
    if (!pushback_.empty()) {
      std::size_t k = std::min(n, pushback_.size());
      std::memcpy(buf, pushback_.data(), k);
      pushback_.erase(0, k);
      return k;
    }
    for (;;) {
      ssize_t r = ::read(fd_, buf, n);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return make_error(errno_text("cannot read", name_));
      return static_cast<std::size_t>(r);
    }
  }
  const std::string& name() const override { return name_; }
  void unread(std::string bytes) { pushback_ = std::move(bytes) + pushback_; }

 private:
  int fd_;
  std::string name_;
  bool owned_;
  std::string pushback_;
};

class ZstdInput : public Input {
 public:
  explicit ZstdInput(std::unique_ptr<Input> inner) : inner_(std::move(inner)), dctx_(ZSTD_createDCtx()) {
    in_.resize(ZSTD_DStreamInSize());
  }
  ~ZstdInput() override { ZSTD_freeDCtx(dctx_); }
  Result<std::size_t> read(char* buf, std::size_t n) override {
    for (;;) {
      if (pos_ == len_ && !eof_) {
        auto r = inner_->read(in_.data(), in_.size());
        if (!r) return r.errors();
        len_ = *r;
        pos_ = 0;
        if (len_ == 0) eof_ = true;
      }
      ZSTD_inBuffer in{in_.data(), len_, pos_};
      ZSTD_outBuffer out{buf, n, 0};
      std::size_t ret = ZSTD_decompressStream(dctx_, &out, &in);
      if (ZSTD_isError(ret)) return make_error(name() + ": corrupt zstd data: " + ZSTD_getErrorName(ret));
      // `ret` is 0 when a frame ends. A call that moves nothing (at the end
      // of the input, after the last frame) returns the next frame's header
      // size instead: only a call that made progress says where we are.
      if (in.pos != pos_ || out.pos > 0) last_ = ret;
      pos_ = in.pos;
      if (out.pos > 0) return out.pos;
      if (eof_ && pos_ == len_) {
        if (last_ != 0) return make_error(name() + ": truncated zstd data");
        return std::size_t{0};
      }
    }
  }
  const std::string& name() const override { return inner_->name(); }

 private:
  std::unique_ptr<Input> inner_;
  ZSTD_DCtx* dctx_;
  std::vector<char> in_;
  std::size_t pos_ = 0, len_ = 0, last_ = 0;
  bool eof_ = false;
};

class GzipInput : public Input {
 public:
  explicit GzipInput(std::unique_ptr<Input> inner) : inner_(std::move(inner)) {
    ok_ = inflateInit2(&z_, 15 + 32) == Z_OK;  // gzip or zlib, by its header
    in_.resize(1 << 16);
  }
  ~GzipInput() override { inflateEnd(&z_); }
  Result<std::size_t> read(char* buf, std::size_t n) override {
    if (!ok_) return make_error(name() + ": cannot start gzip decompression");
    for (;;) {
      if (z_.avail_in == 0 && !eof_) {
        auto r = inner_->read(in_.data(), in_.size());
        if (!r) return r.errors();
        if (*r == 0) eof_ = true;
        z_.next_in = reinterpret_cast<Bytef*>(in_.data());
        z_.avail_in = static_cast<uInt>(*r);
      }
      if (ended_) {
        if (z_.avail_in == 0 && eof_) return std::size_t{0};
        if (z_.avail_in == 0) continue;
        inflateReset(&z_);  // another gzip member follows (as gzip -c a b > c makes)
        ended_ = false;
      }
      z_.next_out = reinterpret_cast<Bytef*>(buf);
      z_.avail_out = static_cast<uInt>(n);
      const int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) ended_ = true;
      else if (rc != Z_OK && rc != Z_BUF_ERROR) return make_error(name() + ": corrupt gzip data");
      const std::size_t got = n - z_.avail_out;
      if (got > 0) return got;
      if (eof_ && z_.avail_in == 0) {
        if (!ended_) return make_error(name() + ": truncated gzip data");
        return std::size_t{0};
      }
    }
  }
  const std::string& name() const override { return inner_->name(); }

 private:
  std::unique_ptr<Input> inner_;
  z_stream z_{};
  bool ok_ = false, eof_ = false, ended_ = false;
  std::vector<char> in_;
};

}  // namespace

Result<std::unique_ptr<Output>> open_output(const std::string& path) {
  std::unique_ptr<Output> out;
  if (path == "-") {
    out = std::make_unique<FdOutput>(1, "stdout", "", "");
  } else {
    std::filesystem::path p(path);
    std::error_code ec;
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
    std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return make_error(errno_text("cannot create", path));
    out = std::make_unique<FdOutput>(fd, path, tmp, path);
  }
  if (path.size() > 4 && path.ends_with(".zst")) out = std::make_unique<ZstdOutput>(std::move(out));
  else if (path.size() > 3 && path.ends_with(".gz")) out = std::make_unique<GzipOutput>(std::move(out));
  return out;
}

std::unique_ptr<Input> memory_input(std::string name, std::string bytes) {
  struct Memory : Input {
    Memory(std::string n, std::string b) : name_(std::move(n)), bytes_(std::move(b)) {}
    Result<std::size_t> read(char* buf, std::size_t n) override {
      const std::size_t k = std::min(n, bytes_.size() - pos_);
      std::copy_n(bytes_.data() + pos_, k, buf);
      pos_ += k;
      return k;
    }
    const std::string& name() const override { return name_; }
    std::string name_, bytes_;
    std::size_t pos_ = 0;
  };
  return std::make_unique<Memory>(std::move(name), std::move(bytes));
}

Result<std::unique_ptr<Input>> open_input(const std::string& path) {
  std::unique_ptr<FdInput> in;
  if (path == "-") {
    in = std::make_unique<FdInput>(0, "stdin", false);
  } else {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return make_error(errno_text("cannot open", path));
    in = std::make_unique<FdInput>(fd, path, true);
  }
  // Sniff the zstd magic number (28 B5 2F FD).
  char magic[4];
  std::size_t got = 0;
  while (got < 4) {
    auto r = in->read(magic + got, 4 - got);
    if (!r) return r.errors();
    if (*r == 0) break;
    got += *r;
  }
  in->unread(std::string(magic, got));
  if (got == 4 && static_cast<unsigned char>(magic[0]) == 0x28 && static_cast<unsigned char>(magic[1]) == 0xB5 &&
      static_cast<unsigned char>(magic[2]) == 0x2F && static_cast<unsigned char>(magic[3]) == 0xFD)
    return std::unique_ptr<Input>(std::make_unique<ZstdInput>(std::move(in)));
  // gzip: 1F 8B.
  if (got >= 2 && static_cast<unsigned char>(magic[0]) == 0x1F && static_cast<unsigned char>(magic[1]) == 0x8B)
    return std::unique_ptr<Input>(std::make_unique<GzipInput>(std::move(in)));
  return std::unique_ptr<Input>(std::move(in));
}

bool LineReader::next(std::string& line) {
  line.clear();
  for (;;) {
    std::size_t nl = buf_.find('\n', pos_);
    if (nl != std::string::npos) {
      line.assign(buf_, pos_, nl - pos_);
      pos_ = nl + 1;
      ++line_no_;
      return true;
    }
    if (eof_) {
      if (pos_ < buf_.size()) {
        line.assign(buf_, pos_, std::string::npos);
        pos_ = buf_.size();
        ++line_no_;
        return true;
      }
      return false;
    }
    buf_.erase(0, pos_);
    pos_ = 0;
    std::size_t old = buf_.size();
    buf_.resize(old + 256 * 1024);
    auto r = in_.read(buf_.data() + old, 256 * 1024);
    if (!r) {
      status_ = r.errors();
      buf_.resize(old);
      eof_ = true;
      return false;
    }
    buf_.resize(old + *r);
    if (*r == 0) eof_ = true;
  }
}

Result<std::string> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(errno_text("cannot open", path));
  std::string out;
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) { ::close(fd); return make_error(errno_text("cannot read", path)); }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

Status write_file(const std::string& path, std::string_view bytes) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  if (ec) return make_error("cannot create folder " + p.parent_path().string() + ": " + ec.message());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(errno_text("cannot create", path));
  auto s = write_all(fd, bytes, path);
  if (::close(fd) != 0 && s) return make_error(errno_text("cannot close", path));
  return s;
}

}  // namespace metaport::io
