#include "runtime/sync/token_box.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

namespace metaport::sync {

namespace {

using Key = std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES>;

std::string key_file_path() {
  if (const char* f = std::getenv("METAPORT_GIT_TOKEN_KEY_FILE"); f && *f) return f;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::string(x) + "/metaport/git-token.key";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.config/metaport/git-token.key";
  return {};
}

std::string to_base64(const unsigned char* p, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), p, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::vector<unsigned char>> from_base64(const std::string& s) {
  std::vector<unsigned char> out(s.size());
  std::size_t n = 0;
  if (sodium_base642bin(out.data(), out.size(), s.data(), s.size(), nullptr, &n, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(n);
  return out;
}

// The key: from the environment, else the key file (created when `create`).
Result<Key> load_key(bool create) {
  if (sodium_init() < 0) return make_error("libsodium could not initialise");
  Key key{};
  if (const char* k = std::getenv("METAPORT_GIT_TOKEN_KEY"); k && *k) {
    const std::string secret = k;
    if (secret.size() < 16) return make_error("METAPORT_GIT_TOKEN_KEY is too short: use at least 16 random characters");
    crypto_generichash(key.data(), key.size(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                       reinterpret_cast<const unsigned char*>("metaport-sync-token"), 19);
    return key;
  }
  const std::string path = key_file_path();
  if (path.empty()) return make_error("no key to encrypt the git token with: set METAPORT_GIT_TOKEN_KEY (or HOME)");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && create) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      randombytes_buf(key.data(), key.size());
      const std::string text = to_base64(key.data(), key.size()) + "\n";
      const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
      ::close(fd);
      if (!ok) return make_error("cannot write the key file " + path + ": " + std::strerror(errno));
      return key;
    }
    if (errno != EEXIST) return make_error("cannot create the key file " + path + ": " + std::strerror(errno));
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);  // another process made it first
  }
  if (fd < 0)
    return make_error("cannot read the key file " + path + " (" + std::strerror(errno) +
                      "): the stored git token cannot be decrypted on this machine; set METAPORT_GIT_TOKEN_KEY or "
                      "METAPORT_GIT_TOKEN, or connect again with --token-file");
  struct stat st{};
  if (::fstat(fd, &st) == 0 && (st.st_mode & 077)) {
    ::close(fd);
    return make_error("the key file " + path + " is readable by others (mode " + std::to_string(st.st_mode & 0777) +
                      "): chmod 600 it");
  }
  char buf[256];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  std::string text(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  auto bytes = from_base64(text);
  if (!bytes || bytes->size() != key.size()) return make_error("the key file " + path + " does not hold a key");
  std::copy(bytes->begin(), bytes->end(), key.begin());
  sodium_memzero(bytes->data(), bytes->size());
  return key;
}

}  // namespace

Result<std::string> seal_token(const std::string& token, const std::string& repo_url) {
  auto key = load_key(true);
  if (!key) return key.errors();
  std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  std::vector<unsigned char> cipher(token.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long n = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(cipher.data(), &n, reinterpret_cast<const unsigned char*>(token.data()),
                                             token.size(), reinterpret_cast<const unsigned char*>(repo_url.data()),
                                             repo_url.size(), nullptr, nonce.data(), key->data());
  sodium_memzero(key->data(), key->size());
  return "v1:" + to_base64(nonce.data(), nonce.size()) + ":" + to_base64(cipher.data(), static_cast<std::size_t>(n));
}

Result<std::string> open_token(const std::string& sealed, const std::string& repo_url) {
  const auto a = sealed.find(':'), b = sealed.find(':', a == std::string::npos ? a : a + 1);
  if (sealed.rfind("v1:", 0) != 0 || b == std::string::npos) return make_error("the stored git token is not in a known form");
  auto nonce = from_base64(sealed.substr(3, b - 3));
  auto cipher = from_base64(sealed.substr(b + 1));
  if (!nonce || !cipher || nonce->size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
      cipher->size() < crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return make_error("the stored git token is damaged");
  auto key = load_key(false);
  if (!key) return key.errors();
  std::string plain(cipher->size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long n = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      reinterpret_cast<unsigned char*>(plain.data()), &n, nullptr, cipher->data(), cipher->size(),
      reinterpret_cast<const unsigned char*>(repo_url.data()), repo_url.size(), nonce->data(), key->data());
  sodium_memzero(key->data(), key->size());
  if (rc != 0)
    return make_error("the stored git token does not decrypt with this machine's key (another METAPORT_GIT_TOKEN_KEY or "
                      "key file?): connect again with --token-file, or set METAPORT_GIT_TOKEN");
  plain.resize(static_cast<std::size_t>(n));
  return plain;
}

}  // namespace metaport::sync
