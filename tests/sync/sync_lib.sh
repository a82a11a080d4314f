# tests/sync/sync_lib.sh: what the git sync's shell tests share. Source it
# after setting `bin`; each command's output lands in out.txt / err.txt of the
# working directory, and `failures` counts what went wrong.

failures=0

# sync_workdir NAME: a fresh folder $TEST_TMPDIR/NAME (`work`), entered, with
# HOME and the git cache inside it, a fixed identity for git's own commits,
# and no token from the environment.
sync_workdir() {
  work="${TEST_TMPDIR:?}/$1"
  rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
  export METAPORT_GIT_CACHE="$work/cache" HOME="$work/home"
  export GIT_AUTHOR_NAME=Reviewer GIT_AUTHOR_EMAIL=reviewer@example.com GIT_COMMITTER_NAME=Reviewer \
    GIT_COMMITTER_EMAIL=reviewer@example.com
  unset METAPORT_GIT_TOKEN
}

check() {  # check NAME EXPECTED_RC ACTUAL_RC
  if [[ "$2" != "$3" ]]; then
    echo "FAIL: $1: exit $3, expected $2"
    sed 's/^/    out: /' out.txt | head -20
    sed 's/^/    err: /' err.txt | head -20
    failures=$((failures + 1))
  else
    echo "ok: $1"
  fi
}
expect_text() {  # expect_text NAME FILE PATTERN
  if grep -qE -- "$3" "$2"; then echo "ok: $1"; else
    echo "FAIL: $1: no /$3/ in $2:"; sed 's/^/    /' "$2" | head -30; failures=$((failures + 1)); fi
}
expect_same() {  # expect_same NAME A B
  if [[ "$2" == "$3" ]]; then echo "ok: $1"; else echo "FAIL: $1: '$2' != '$3'"; failures=$((failures + 1)); fi
}
run() { "$bin" "$@" >out.txt 2>err.txt; echo $?; }
# commits REPO [BRANCH]: how many commits the branch has.
commits() { git -C "$1" rev-list --count "${2:-main}"; }

# A jsonl dump of N new collections ("Bulk 0" ... ), for pulls big enough to
# be killed while they load.
bulk_collections() {  # bulk_collections N FILE
  {
    echo '{"metaport":"dump","format":1,"schema":"bi","version":3}'
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf("{\"kind\":\"Collection\",\"entity\":{\"name\":\"Bulk %d\",\"entity_id\":\"BuLK%017d\"}}\n", i, i) }'
    echo "{\"metaport\":\"end\",\"counts\":{\"Collection\":$1},\"total\":$1}"
  } >"$2"
}

# kill_mid_pull STORE: starts `sync pull STORE`, kills it with SIGKILL once
# the load has written its rows and before the commit; returns 0 when it
# was killed there, 1 (with its output) when it could not be.
kill_mid_pull() {
  "$bin" sync pull "$1" --progress always >kill.out 2>kill.err &
  local pid=$!
  for _ in $(seq 1 3000); do
    grep -q "not committed yet" kill.err 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  if grep -q "not committed yet" kill.err && kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null
    return 0
  fi
  wait "$pid"
  sed 's/^/    /' kill.err | tail -5
  return 1
}
