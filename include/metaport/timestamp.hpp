// Timestamp: an instant, ISO-8601 ("2024-01-15T10:30:00Z"). A timestamp read
// from a file is written back exactly as it was spelled (an offset, 2 or 9
// fraction digits, a lower-case 't'): re-dumping a file another tool wrote
// must not re-spell its values (a diff nobody made in a shared repository).
// Comparisons are by instant. A timestamp made from a number
// (from_micros) is written in UTC with 0, 3 or 6 fraction digits; one read
// from text and written in UTC (utc()) keeps its number of fraction digits
// (up to the 6 a microsecond holds): `.71366Z` stays `.71366Z`.
#pragma once
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace metaport {

class Timestamp {
 public:
  Timestamp() = default;
  static Timestamp from_micros(std::int64_t us, int digits = 0) {
    Timestamp t;
    t.us_ = us;
    t.digits_ = static_cast<std::int8_t>(digits);
    return t;
  }
  // The same instant, to be written in UTC (the spelling it was read with is dropped).
  Timestamp utc() const { return from_micros(us_, digits_); }
  std::int64_t micros() const { return us_; }
  int digits() const { return digits_; }

  static std::optional<Timestamp> parse(std::string_view s) {
    // YYYY-MM-DD[Tt ]HH:MM[:SS[.f+]][Z|+HH:MM|-HH:MM|+HHMM]; a bare date is midnight UTC.
    auto num = [&](std::size_t pos, std::size_t n, int& out) {
      if (pos + n > s.size()) return false;
      for (std::size_t i = pos; i < pos + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
      std::from_chars(s.data() + pos, s.data() + pos + n, out);
      return true;
    };
    int Y, M, D, h = 0, m = 0, sec = 0;
    if (!num(0, 4, Y) || s.size() < 10 || s[4] != '-' || !num(5, 2, M) || s[7] != '-' || !num(8, 2, D))
      return std::nullopt;
    if (M < 1 || M > 12 || D < 1 || D > days_in_month(Y, M)) return std::nullopt;
    std::size_t i = 10;
    std::int64_t frac_us = 0;
    int digits = 0;
    std::int64_t offset_s = 0;
    if (i < s.size()) {
      if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return std::nullopt;
      ++i;
      if (!num(i, 2, h) || i + 2 >= s.size() || s[i + 2] != ':' || !num(i + 3, 2, m)) return std::nullopt;
      i += 5;
      if (i < s.size() && s[i] == ':') {
        if (!num(i + 1, 2, sec)) return std::nullopt;
        i += 3;
        if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
          ++i;
          std::size_t start = i;
          while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (i - start < 6) frac_us = frac_us * 10 + (s[i] - '0');
            ++i;
          }
          std::size_t n = i - start;
          if (n == 0) return std::nullopt;
          for (std::size_t k = n; k < 6; ++k) frac_us *= 10;
          digits = static_cast<int>(n < 6 ? n : 6);
        }
      }
      if (h > 23 || m > 59 || sec > 60) return std::nullopt;
      if (i < s.size()) {
        if (s[i] == 'Z' || s[i] == 'z') ++i;
        else if (s[i] == '+' || s[i] == '-') {
          int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
          if (!num(i + 1, 2, oh)) return std::nullopt;
          i += 3;
          if (i < s.size() && s[i] == ':') ++i;
          if (i < s.size()) { if (!num(i, 2, om)) return std::nullopt; i += 2; }
          offset_s = sign * (oh * 3600 + om * 60);
        } else return std::nullopt;
      }
      if (i != s.size()) return std::nullopt;
    }
    std::int64_t days = days_from_civil(Y, M, D);
    std::int64_t secs = days * 86400 + h * 3600 + m * 60 + sec - offset_s;
    Timestamp t = from_micros(secs * 1000000 + frac_us, digits);
    t.text_ = std::string(s);
    return t;
  }

  // As read, or (made from a number) in UTC.
  std::string str() const { return text_.empty() ? utc_str() : text_; }

  // In UTC: 2024-01-15T10:30:00Z; with the fraction digits it was read
  // with, or (made from a number) 3 or 6 when it has a fraction.
  std::string utc_str() const {
    std::int64_t secs = floordiv(us_, 1000000);
    std::int64_t frac = us_ - secs * 1000000;
    std::int64_t days = floordiv(secs, 86400);
    std::int64_t rem = secs - days * 86400;
    int Y, M, D;
    civil_from_days(days, Y, M, D);
    char buf[40];
    int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", Y, M, D, int(rem / 3600),
                          int(rem / 60 % 60), int(rem % 60));
    std::string out(buf, n);
    int digits = digits_;
    if (digits == 0 && frac != 0) digits = frac % 1000 == 0 ? 3 : 6;
    if (digits > 0) {
      std::snprintf(buf, sizeof buf, ".%06d", int(frac));
      out.append(buf, static_cast<std::size_t>(1 + digits));
    }
    return out + "Z";
  }

  friend bool operator==(const Timestamp& a, const Timestamp& b) { return a.us_ == b.us_; }
  friend auto operator<=>(const Timestamp& a, const Timestamp& b) { return a.us_ <=> b.us_; }

 private:
  static std::int64_t floordiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b) < 0); }
  static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
  static int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
  }
  // Howard Hinnant's civil calendar algorithms.
  static std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
  }
  static void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2));
  }

  std::int64_t us_ = 0;
  std::int8_t digits_ = 0;
  std::string text_;  // the spelling it was parsed from; empty: made from a number
};

}  // namespace metaport
