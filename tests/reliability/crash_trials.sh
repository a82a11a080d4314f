#!/usr/bin/env bash
# Crash trials: loads and tree dumps killed with SIGKILL at a random moment.
# After every kill the store must hold exactly the state before the load or
# exactly the state after it (never anything between), and the same load run
# again must succeed; a tree dump killed over an existing tree must leave the
# old tree or the new one, never a mix; a production store's `sync pull`
# killed must leave the content and the synced commit of before or of after,
# and the next pull must succeed. Every engine (SQLite, PostgreSQL,
# MySQL/MariaDB: tests/support/engines.inc).
#
#   crash_trials.sh [--trials N] [--size ENTITIES] [--bin METAPORT_BI]
#
# tests/run runs a few trials per scenario (tests/reliability:crash_trials_test);
# bench/crash_trials runs many. Prints one line per trial and a summary:
#   crash trials: N kills; before: B, after: A, finished before the kill: F, anything else: 0
# Needs METAPORT_PG_URL and METAPORT_MYSQL_URL (tests/run starts the servers).
set -uo pipefail
trials=4 size=1500
bin="${TEST_SRCDIR:-}/metaport/entities/bi/metaport_bi"
while (($#)); do
  case "$1" in
    --trials) trials="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    *) echo "crash_trials: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -n "${TEST_SRCDIR:-}" ]]; then support="$TEST_SRCDIR/metaport/tests/support"
else support="$(cd "$(dirname "${BASH_SOURCE[0]}")/../support" && pwd)"; fi
work="${TEST_TMPDIR:-$(mktemp -d)}/crash"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
# Every engine of tests/support/engines.inc; server databases dropped at exit.
# shellcheck source=tests/support/stores.sh
source "$support/stores.sh"
RANDOM=$(( $$ % 32768 ))

before=0 after=0 finished=0 bad=0 reruns_failed=0
# store ENGINE NAME -> prints the URL of an empty, initialised store
store() {
  local url
  url="$(fresh_store "$1" "$2")" || return 1
  [[ "$1" == sqlite ]] && rm -f "${url#sqlite://}"*
  "$bin" init "$url" >/dev/null 2>&1 || return 1
  printf '%s' "$url"
}
state() { "$bin" dump "$1" "$2" --keep-secrets >/dev/null 2>&1; }
now_ms() { date +%s%3N; }

# The inputs: the bi sample, and an edited copy of it (every card renamed).
src="$(store sqlite src)" || { echo "FAIL: cannot create the source store"; exit 1; }
"$bin" seed "$src" --size "$size" >/dev/null 2>&1 || { echo "FAIL: seed"; exit 1; }
"$bin" dump "$src" sample.jsonl --keep-secrets >/dev/null 2>&1
"$bin" dump "$src" sample_tree --keep-secrets >/dev/null 2>&1
sed -E '/"kind":"Card"/ s/"name":"([^"]*)"/"name":"\1 (edited)"/' sample.jsonl >edited.jsonl

# trial ENGINE SCENARIO: one kill.
#   empty-jsonl   jsonl load into an empty store (the streaming path)
#   empty-tree    tree load into an empty store
#   update        --mode update of the edited dump into a store holding the sample
trial() {
  local engine="$1" scenario="$2" store input mode=skip t0 t1 full delay pid outcome
  store="$(store "$engine" "t$RANDOM")" || { echo "FAIL: store"; bad=$((bad + 1)); return; }
  case "$scenario" in
    empty-jsonl) input=sample.jsonl ;;
    empty-tree) input=sample_tree ;;
    update) input=edited.jsonl mode=update; "$bin" load "$store" sample.jsonl >/dev/null 2>&1 ;;
  esac
  state "$store" before.jsonl
  # How long the whole load takes here, measured on a scratch copy.
  local ref; ref="$(store "$engine" "r$RANDOM")"
  [[ "$scenario" == update ]] && "$bin" load "$ref" sample.jsonl >/dev/null 2>&1
  t0=$(now_ms); "$bin" load "$ref" "$input" --mode "$mode" >/dev/null 2>&1; t1=$(now_ms)
  full=$((t1 - t0)); ((full > 0)) || full=1
  state "$ref" after.jsonl
  delay=$(( RANDOM % (full + full / 5 + 1) ))  # anywhere in the run, and a little after
  "$bin" load "$store" "$input" --mode "$mode" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
  if kill -9 "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null; outcome=killed; else wait "$pid"; outcome=finished; fi
  state "$store" now.jsonl
  if cmp -s now.jsonl before.jsonl; then
    [[ "$outcome" == killed ]] && before=$((before + 1)) || { bad=$((bad + 1)); outcome="finished but holds the old state"; }
    res=before
  elif cmp -s now.jsonl after.jsonl; then
    [[ "$outcome" == killed ]] && after=$((after + 1)) || finished=$((finished + 1))
    res=after
  else
    bad=$((bad + 1)); res="NEITHER before NOR after"
    diff <(head -c 2000 before.jsonl) <(head -c 2000 now.jsonl) | head -n 5
  fi
  # The same load again must succeed and give the after state.
  if "$bin" load "$store" "$input" --mode "$mode" >/dev/null 2>&1; state "$store" again.jsonl && cmp -s again.jsonl after.jsonl; then
    :
  else
    reruns_failed=$((reruns_failed + 1)); res="$res; RERUN FAILED"
  fi
  printf '%-8s %-12s kill at %5d ms of %5d ms: %s (%s)\n' "$engine" "$scenario" "$delay" "$full" "$res" "$outcome"
}

# A tree dump killed over an existing tree: the old tree or the new one.
dump_trial() {
  local engine="$1" a b t0 t1 full delay pid
  a="$(store "$engine" "da$RANDOM")"; b="$(store "$engine" "db$RANDOM")"
  "$bin" load "$a" sample.jsonl >/dev/null 2>&1
  "$bin" load "$b" edited.jsonl >/dev/null 2>&1
  rm -rf out old_ref new_ref
  "$bin" dump "$a" old_ref >/dev/null 2>&1; "$bin" dump "$b" new_ref >/dev/null 2>&1
  "$bin" dump "$a" out >/dev/null 2>&1
  t0=$(now_ms); "$bin" dump "$b" scratch_tree >/dev/null 2>&1; t1=$(now_ms); rm -rf scratch_tree
  full=$((t1 - t0)); ((full > 0)) || full=1
  delay=$(( RANDOM % (full + 1) ))
  "$bin" dump "$b" out >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
  kill -9 "$pid" 2>/dev/null && outcome=killed || outcome=finished
  wait "$pid" 2>/dev/null
  if diff -r -q out old_ref >/dev/null 2>&1; then res="old tree"; [[ $outcome == killed ]] && before=$((before + 1)) || bad=$((bad + 1))
  elif diff -r -q out new_ref >/dev/null 2>&1; then res="new tree"; [[ $outcome == killed ]] && after=$((after + 1)) || finished=$((finished + 1))
  else res="A MIX"; bad=$((bad + 1)); fi
  # Leftovers of the killed dump are cleaned by the next one, which succeeds.
  if ! "$bin" dump "$b" out >/dev/null 2>&1 || ! diff -r -q out new_ref >/dev/null 2>&1; then
    reruns_failed=$((reruns_failed + 1)); res="$res; RERUN FAILED"
  fi
  printf '%-8s %-12s kill at %5d ms of %5d ms: %s (%s)\n' "$engine" tree-dump "$delay" "$full" "$res" "$outcome"
}

# The branch production stores pull: a development store pushes the sample
# (commit A), then the edited copy (commit B), to a bare repository. Each
# trial points main back at A, makes a production store synced at A, moves
# main to B and kills the store's `sync pull` of B.
git init -q --bare -b main content.git
dev="$(store sqlite dev)"
"$bin" load "$dev" sample.jsonl >/dev/null 2>&1
export METAPORT_GIT_CACHE="$work/git-cache/dev"
"$bin" sync connect "$dev" content.git --mode development --author 'Dana Dev <dana@example.com>' >/dev/null 2>&1 &&
  "$bin" sync push "$dev" -m 'the sample' >/dev/null 2>&1 || { echo "FAIL: sync push of the sample"; exit 1; }
commit_a="$(git -C content.git rev-parse main)"
"$bin" load "$dev" edited.jsonl --mode update >/dev/null 2>&1 &&
  "$bin" sync push "$dev" -m 'every card renamed' >/dev/null 2>&1 || { echo "FAIL: sync push of the edit"; exit 1; }
commit_b="$(git -C content.git rev-parse main)"
[[ "$commit_a" != "$commit_b" ]] || { echo "FAIL: the edit made no commit"; exit 1; }

# production ENGINE NAME -> the URL of a production store synced at commit A,
# with its own git object cache (as a production server has).
production() {
  local url
  url="$(store "$1" "$2")" || return 1
  export METAPORT_GIT_CACHE="$work/git-cache/$2"
  "$bin" sync connect "$url" content.git --mode production >/dev/null 2>&1 || return 1
  "$bin" sync pull "$url" >/dev/null 2>&1 || return 1
  printf '%s' "$url"
}
# The commit a store says it is synced with, and whether it sees no local change.
synced_commit() { "$bin" sync status "$1" --json 2>/dev/null | grep -o '"synced_commit":"[0-9a-f]*"' | cut -d'"' -f4; }
no_local_changes() { "$bin" sync status "$1" --json 2>/dev/null | grep -q '"changes":\[\]'; }

# A production store's `sync pull` of B killed: the store holds A's content
# and says it is synced at A, or B's content and B; the next pull succeeds.
pull_trial() {
  local engine="$1" store ref name t0 t1 full delay pid outcome res synced expect at
  git -C content.git update-ref refs/heads/main "$commit_a"
  name="p$RANDOM"
  store="$(production "$engine" "$name")" && ref="$(production "$engine" "r$RANDOM")" ||
    { echo "FAIL: production stores at A on $engine"; bad=$((bad + 1)); return; }
  state "$store" before.jsonl
  git -C content.git update-ref refs/heads/main "$commit_b"
  t0=$(now_ms); "$bin" sync pull "$ref" >/dev/null 2>&1; t1=$(now_ms)
  full=$((t1 - t0)); ((full > 0)) || full=1
  state "$ref" after.jsonl
  delay=$(( RANDOM % (full + full / 5 + 1) ))
  export METAPORT_GIT_CACHE="$work/git-cache/$name"
  "$bin" sync pull "$store" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
  if kill -9 "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null; outcome=killed; else wait "$pid"; outcome=finished; fi
  state "$store" now.jsonl
  synced="$(synced_commit "$store")"
  if cmp -s now.jsonl before.jsonl; then
    res=before expect="$commit_a" at=A
    [[ "$outcome" == killed ]] && before=$((before + 1)) || { bad=$((bad + 1)); outcome="finished but holds the old state"; }
  elif cmp -s now.jsonl after.jsonl; then
    res=after expect="$commit_b" at=B
    [[ "$outcome" == killed ]] && after=$((after + 1)) || finished=$((finished + 1))
  else
    bad=$((bad + 1)); res="NEITHER before NOR after" expect=none
    diff <(head -c 2000 before.jsonl) <(head -c 2000 now.jsonl) | head -n 5
  fi
  if [[ "$expect" != none ]]; then
    if [[ "$synced" == "$expect" ]] && no_local_changes "$store"; then
      res="$res, synced at $at"
    else
      bad=$((bad + 1)); res="$res; SYNC STATE SAYS ${synced:0:10} (local changes: $(no_local_changes "$store" && echo none || echo some))"
    fi
  fi
  # The next pull succeeds, gives B's content and says so.
  if "$bin" sync pull "$store" >/dev/null 2>&1 && state "$store" again.jsonl && cmp -s again.jsonl after.jsonl &&
    [[ "$(synced_commit "$store")" == "$commit_b" ]]; then
    :
  else
    reruns_failed=$((reruns_failed + 1)); res="$res; RERUN FAILED"
  fi
  printf '%-8s %-12s kill at %5d ms of %5d ms: %s (%s)\n' "$engine" sync-pull "$delay" "$full" "$res" "$outcome"
}

for engine in "${METAPORT_ENGINES[@]}"; do
  for scenario in empty-jsonl empty-tree update; do
    for ((i = 0; i < trials; i++)); do trial "$engine" "$scenario"; done
  done
  for ((i = 0; i < trials; i++)); do dump_trial "$engine"; done
  for ((i = 0; i < trials; i++)); do pull_trial "$engine"; done
done

total=$((before + after + finished + bad))
echo "crash trials: $total runs; killed, state before: $before; killed, state after: $after; finished before the kill: $finished; anything else: $bad; failed re-runs: $reruns_failed"
((bad == 0 && reruns_failed == 0))
