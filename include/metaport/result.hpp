// Errors are values: every fallible operation in the core returns a
// Result<T> (expected-style) and decoding collects *all* problems of a
// document into Errors, each with where (file:line:col) and what (field path).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace metaport {

// A position in a source text, 1-based; 0 means "unknown" (e.g. a value built
// in memory, or JSON read without positions).
struct Mark {
  std::uint32_t line = 0;
  std::uint32_t col = 0;
  bool known() const { return line != 0; }
};

struct Error {
  std::string message;   // what is wrong, for a person
  std::string path;      // field path: dashcards[3].parameter_mappings[0].target
  Mark mark;             // where in the source text
  std::string file;      // which file or stream (may be empty)
  std::string entity;    // which entity (kind + id), when known

  // "file:line:col: entity: path: message" with the empty parts left out.
  std::string to_string() const {
    std::string out;
    if (!file.empty()) out += file;
    if (mark.known()) {
      if (!file.empty()) out += ':';
      out += std::to_string(mark.line) + ':' + std::to_string(mark.col);
    }
    if (!out.empty()) out += ": ";
    if (!entity.empty()) out += entity + ": ";
    if (!path.empty()) out += path + ": ";
    out += message;
    return out;
  }
};

// Collects errors up to a cap so that a badly broken file reports its first
// problems instead of drowning the reader (and the memory) in thousands.
class Errors {
 public:
  static constexpr std::size_t kDefaultCap = 50;
  explicit Errors(std::size_t cap = kDefaultCap) : cap_(cap) {}

  void add(Error e) {
    ++total_;
    if (list_.size() < cap_) list_.push_back(std::move(e));
  }
  void add(std::string path, Mark mark, std::string message) {
    add(Error{std::move(message), std::move(path), mark, {}, {}});
  }
  void append(const Errors& other) {
    for (const auto& e : other.list_) add(e);
    total_ += other.total_ - other.list_.size();
  }
  bool empty() const { return total_ == 0; }
  std::size_t size() const { return total_; }        // all seen, capped or not
  std::size_t dropped() const { return total_ - list_.size(); }
  const std::vector<Error>& list() const { return list_; }
  // Fill in the file / entity of every error that does not have one yet.
  void set_file(const std::string& f) { for (auto& e : list_) if (e.file.empty()) e.file = f; }
  void set_entity(const std::string& en) { for (auto& e : list_) if (e.entity.empty()) e.entity = en; }

  std::string to_string() const {
    std::string out;
    for (const auto& e : list_) out += e.to_string() + '\n';
    if (dropped()) out += "... and " + std::to_string(dropped()) + " more problems\n";
    return out;
  }

 private:
  std::size_t cap_;
  std::size_t total_ = 0;
  std::vector<Error> list_;
};

// expected-style result (std::expected is C++23; this is the small subset we use).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Errors errors) : v_(std::in_place_index<1>, std::move(errors)) {}
  Result(Error error) : v_(std::in_place_index<1>, Errors{}) { std::get<1>(v_).add(std::move(error)); }

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Errors& errors() const { return std::get<1>(v_); }
  Errors& errors() { return std::get<1>(v_); }

 private:
  std::variant<T, Errors> v_;
};

// For operations that return nothing but may fail.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }
inline Error make_error(std::string message, std::string path = {}, Mark mark = {}) {
  return Error{std::move(message), std::move(path), mark, {}, {}};
}

}  // namespace metaport
