#!/usr/bin/env bash
# Git sync over smart HTTP with a token: a real server on loopback (lighttpd
# running `git http-backend` behind HTTP basic auth), started and stopped
# here. The right token works, a wrong one fails with a clear message and
# exit 1, and the token shows up in no output, log, store file, dump or
# repository. Needs lighttpd and git (tools/ensure-deps.sh installs them).
set -uo pipefail

bin="${METAPORT_BIN:-$TEST_SRCDIR/metaport/entities/bi/metaport_bi}"
# shellcheck source=tests/sync/sync_lib.sh
source "$TEST_SRCDIR/metaport/tests/sync/sync_lib.sh"
sync_workdir sync_http
unset METAPORT_GIT_TOKEN_KEY METAPORT_GIT_TOKEN_KEY_FILE XDG_CONFIG_HOME

lighttpd=/usr/sbin/lighttpd
backend=/usr/lib/git-core/git-http-backend
[[ -x "$lighttpd" ]] || { echo "FAIL: $lighttpd is missing (Debian package lighttpd; tools/ensure-deps.sh installs it)"; exit 1; }
[[ -x "$backend" ]] || { echo "FAIL: $backend is missing (Debian package git)"; exit 1; }

# Every command's output is kept: the token must appear in none of it.
run() {
  "$bin" "$@" >out.txt 2>err.txt
  local rc=$?
  { echo "\$ metaport $1 $2"; cat out.txt err.txt; } >>all-output.txt  # (not the arguments: one holds the token)
  echo $rc
}

token="mp-t0ken-$RANDOM$RANDOM-secret"
user=metaport

# ---- the server ------------------------------------------------------------------
mkdir -p srv www
git init -q --bare -b main srv/bi.git
printf '%s:%s\n' "$user" "$token" >users
server_pid=""
trap '[[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null' EXIT
for attempt in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 40000))
  cat >lighttpd.conf <<EOF
server.document-root = "$work/www"
server.port = $port
server.bind = "127.0.0.1"
server.modules = ("mod_auth", "mod_authn_file", "mod_alias", "mod_setenv", "mod_cgi", "mod_accesslog")
server.errorlog = "$work/error.log"
accesslog.filename = "$work/access.log"
alias.url = ("/git/" => "$backend/", "/pub/" => "$backend/")
auth.backend = "plain"
auth.backend.plain.userfile = "$work/users"
\$HTTP["url"] =~ "^/git/" {
  cgi.assign = ("" => "")
  setenv.add-environment = ("GIT_PROJECT_ROOT" => "$work/srv", "GIT_HTTP_EXPORT_ALL" => "")
  auth.require = ("" => ("method" => "basic", "realm" => "git", "require" => "valid-user"))
}
# /pub/: anyone may fetch, pushing (receive-pack) needs the token.
\$HTTP["url"] =~ "^/pub/" {
  cgi.assign = ("" => "")
  setenv.add-environment = ("GIT_PROJECT_ROOT" => "$work/srv", "GIT_HTTP_EXPORT_ALL" => "")
  \$HTTP["url"] =~ "/git-receive-pack\$" {
    auth.require = ("" => ("method" => "basic", "realm" => "git", "require" => "valid-user"))
  }
  \$HTTP["querystring"] =~ "service=git-receive-pack" {
    auth.require = ("" => ("method" => "basic", "realm" => "git", "require" => "valid-user"))
  }
}
EOF
  "$lighttpd" -D -f lighttpd.conf >server.out 2>&1 &
  server_pid=$!
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  wait "$server_pid" 2>/dev/null
  server_pid=""
done
[[ -n "$server_pid" ]] || { echo "FAIL: lighttpd did not start"; cat server.out error.log 2>/dev/null; exit 1; }
repo="http://$user@127.0.0.1:$port/git/bi.git"
git ls-remote "http://$user:$token@127.0.0.1:$port/git/bi.git" >/dev/null 2>&1
check "the server answers git with the right credentials" 0 $?
git ls-remote "http://$user:wrong@127.0.0.1:$port/git/bi.git" >/dev/null 2>&1
check "and refuses wrong ones" 128 $?

"$bin" init sqlite://dev.db >/dev/null 2>&1 && "$bin" seed sqlite://dev.db --size 150 >/dev/null 2>&1
"$bin" init sqlite://prod.db >/dev/null 2>&1
"$bin" init sqlite://other.db >/dev/null 2>&1
printf '%s\n' "$token" >token.txt
printf 'not-the-token\n' >wrong.txt

# ---- wrong or no token: exit 1, clear message, store unchanged ----------------------------
check "connect with a wrong token" 1 "$(run sync connect sqlite://dev.db "$repo" --mode development --token-file wrong.txt)"
expect_text "says the token was refused" err.txt "authentication failed: the server refused the token"
check "connect without a token" 1 "$(run sync connect sqlite://dev.db "$repo" --mode development)"
expect_text "says a token is needed" err.txt "asks for credentials"
check "the store stays unconnected" 2 "$(run sync status sqlite://dev.db)"

# ---- the right token: connect, push, pull ------------------------------------------------------
check "connect with --token-file" 0 "$(run sync connect sqlite://dev.db "$repo" --mode development --token-file token.txt)"
expect_text "the token is kept encrypted" out.txt "token stored encrypted"
check "push with the stored token" 0 "$(run sync push sqlite://dev.db -m "Over HTTP")"
expect_text "the server has the commit" <(git --git-dir=srv/bi.git log --format=%s main) "Over HTTP"
check "production connects with the token in the URL" 0 \
  "$(run sync connect sqlite://prod.db "http://$user:$token@127.0.0.1:$port/git/bi.git" --mode production)"
check "and pulls" 0 "$(run sync pull sqlite://prod.db)"
check "production holds dev's content" 0 "$(run diff sqlite://dev.db sqlite://prod.db)"
expect_text "the stored URL carries no token" <(sqlite3 prod.db 'SELECT repo FROM mp_sync__state') "^http://$user@127\.0\.0\.1:$port/git/bi\.git$"
check "a store connected without a token pulls with METAPORT_GIT_TOKEN" 0 \
  "$(METAPORT_GIT_TOKEN="$token" run sync connect sqlite://other.db "$repo" --mode production)"
check "pull" 0 "$(METAPORT_GIT_TOKEN="$token" run sync pull sqlite://other.db)"
check "a wrong METAPORT_GIT_TOKEN wins over the stored token, and fails" 1 \
  "$(METAPORT_GIT_TOKEN=not-the-token run sync pull sqlite://prod.db)"
expect_text "with the same clear message" err.txt "authentication failed"
check "another machine's key cannot open the stored token" 1 \
  "$(METAPORT_GIT_TOKEN_KEY=some-other-machine-key-0123456789 run sync pull sqlite://prod.db)"
expect_text "and says what to do" err.txt "does not decrypt with this machine's key"
check "watch --once with the stored token" 0 "$(run sync watch sqlite://prod.db --once)"

# ---- a development connect proves the remote writable with a dry push ----------------------------
# /pub/ serves fetches to anyone: only the dry push meets the token.
pub="http://$user@127.0.0.1:$port/pub/bi.git"
"$bin" init sqlite://pub.db >/dev/null 2>&1
check "development connect where reads are open, with a wrong token" 1 \
  "$(run sync connect sqlite://pub.db "$pub" --mode development --token-file wrong.txt)"
expect_text "is refused at connect: the dry push" err.txt "is not writable, and a development store pushes to it .*a dry push to a throw-away ref failed"
expect_text "names the refused token" err.txt "authentication failed: the server refused the token"
check "development connect there without a token" 1 "$(run sync connect sqlite://pub.db "$pub" --mode development)"
expect_text "is refused: credentials wanted" err.txt "a dry push to a throw-away ref failed: .*asks for credentials"
check "the store stays unconnected" 2 "$(run sync status sqlite://pub.db)"
check "production connects there without a token (it only pulls)" 0 "$(run sync connect sqlite://pub.db "$pub" --mode production)"
"$bin" init sqlite://pubdev.db >/dev/null 2>&1
check "development connect there with the right token" 0 \
  "$(run sync connect sqlite://pubdev.db "$pub" --mode development --token-file token.txt)"
expect_same "the dry pushes left no ref on the server" "$(git --git-dir=srv/bi.git for-each-ref refs/metaport | wc -l)" 0

# ---- the key file ----------------------------------------------------------------------------------
key="$HOME/.config/metaport/git-token.key"
if [[ -f "$key" && "$(stat -c %a "$key")" == 600 ]]; then echo "ok: the key lives outside the store, mode 600"; else
  echo "FAIL: no key file $key with mode 600"; failures=$((failures + 1)); fi

# ---- the token is nowhere ---------------------------------------------------------------------------------
"$bin" dump sqlite://dev.db dump.jsonl --keep-secrets >/dev/null 2>&1
"$bin" dump sqlite://prod.db prodtree --keep-secrets >/dev/null 2>&1
for place in all-output.txt access.log error.log dev.db* prod.db* other.db* dump.jsonl prodtree cache srv "$key"; do
  if grep -rqaF -- "$token" "$place"; then echo "FAIL: the token is in $place"; failures=$((failures + 1)); else
    echo "ok: the token is not in $place"; fi
done

echo "$failures failures"
((failures == 0))
