#!/usr/bin/env bash
# I/O faults and concurrency, as real processes (docs/reliability.md):
#   - a full disk (a 1 MiB tmpfs) during tree, jsonl and zstd dumps: a clear
#     error naming the path, exit 1, nothing half-written, no temporary files;
#   - an input that breaks in the middle (a zstd stream corrupted halfway, a
#     pipe whose writer dies): a clear error, nothing loaded;
#   - a store on a read-only filesystem: refused clearly, nothing changed;
#   - the PostgreSQL server ending the connection in the middle of a load
#     (pg_terminate_backend, what a server shutdown does to each session):
#     a clear error naming the server, the store as it was;
#   - two loads into one store at once, a load while a dump runs.
# Mounts use an unprivileged user+mount namespace (unshare), so the test
# needs no root. Needs METAPORT_PG_URL (tests/run starts the server).
set -uo pipefail
bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
pg="${METAPORT_PG_URL:?METAPORT_PG_URL is not set: this test needs the PostgreSQL server tests/run starts}"
work="$TEST_TMPDIR/faults"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
check() { if [[ "$2" == "$3" ]]; then ok "$1"; else fail "$1: exit $3, expected $2"; sed 's/^/    /' err.txt 2>/dev/null | head -5; fi; }
has() { if grep -qE -- "$3" "$2"; then ok "$1"; else fail "$1: no /$3/ in $2:"; sed 's/^/    /' "$2" | head -5; fi; }
run() { "$bin" "$@" >out.txt 2>err.txt; echo $?; }
pgurl_for() { printf '%s' "$pg" | sed -E "s#(postgres(ql)?://[^/]*/)[^?]*#\1$1#"; }
pgdb="mp_faults_$$_${RANDOM}"
psql -q "$pg" -c "DROP DATABASE IF EXISTS $pgdb" -c "CREATE DATABASE $pgdb" >/dev/null || { echo "FAIL: cannot reach PostgreSQL at $pg"; exit 1; }
trap 'psql -q "$pg" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1' EXIT
pgurl="$(pgurl_for "$pgdb")"

"$bin" init sqlite://src.db >/dev/null 2>&1
"$bin" seed sqlite://src.db --size 1500 >/dev/null 2>&1
"$bin" dump sqlite://src.db sample.jsonl >/dev/null 2>&1
"$bin" dump sqlite://src.db sample.jsonl.zst >/dev/null 2>&1

# ---- a full disk -------------------------------------------------------------------
# In a mount namespace of our own: a 1 MiB tmpfs (the plain dumps are several
# MiB) and a 16 KiB one for the zstd dump (it compresses to about 100 KiB).
cat >full.sh <<'SH'
set -u
bin="$1"
mkdir -p small tiny && mount -t tmpfs -o size=1m tmpfs small && mount -t tmpfs -o size=16k tmpfs tiny ||
  { echo "MOUNT FAILED"; exit 99; }
echo keep >small/already-there
echo keep >tiny/already-there
for out in small/tree small/d.jsonl tiny/d.jsonl.zst small/d.yaml; do
  "$bin" dump sqlite://src.db "$out" >/dev/null 2>"err.$(basename "$out")"
  echo "rc $out $?"
done
ls -A small tiny >listing.txt
SH
unshare --user --map-root-user --mount bash full.sh "$bin" >full.txt 2>&1
if grep -q "MOUNT FAILED" full.txt; then fail "a tmpfs in a user+mount namespace (unshare): $(cat full.txt)"; else
  for out in small/tree small/d.jsonl tiny/d.jsonl.zst small/d.yaml; do
    name="$(basename "$out")"
    check "a $name dump to a full disk fails" "rc $out 1" "$(grep "^rc $out " full.txt)"
    has "$name: the error says the disk is full" "err.$name" "No space left on device"
    has "$name: the error names the path" "err.$name" "${out%%/*}/"
  done
  if [[ "$(tr '\n' ' ' <listing.txt)" == "small: already-there  tiny: already-there " ]]; then
    ok "nothing half-written, no temporary file left"
  else
    fail "the full disks hold leftovers: $(tr '\n' ' ' <listing.txt)"
  fi
fi

# ---- inputs that break in the middle ----------------------------------------------------
"$bin" init sqlite://in.db >/dev/null 2>&1
"$bin" dump sqlite://in.db empty_before.jsonl >/dev/null 2>&1
size=$(stat -c %s sample.jsonl.zst)
cp sample.jsonl.zst broken.jsonl.zst
printf 'garbage-in-the-middle-of-the-frame' | dd of=broken.jsonl.zst bs=1 seek=$((size / 2)) conv=notrunc status=none
check "a zstd stream corrupted halfway fails the load" 1 "$(run load sqlite://in.db broken.jsonl.zst)"
cat out.txt err.txt >both.txt  # the load report (stdout) and errors (stderr)
has "the error names the input" both.txt "broken.jsonl.zst"
"$bin" dump sqlite://in.db empty_after.jsonl >/dev/null 2>&1
cmp -s empty_before.jsonl empty_after.jsonl && ok "nothing of it was loaded" || fail "a broken input left rows behind"
# A pipe whose writer dies halfway: the stream has no end record.
(head -c $(( $(stat -c %s sample.jsonl) / 2 )) sample.jsonl; kill -9 $BASHPID) | "$bin" load sqlite://in.db - >out.txt 2>err.txt
check "a pipe cut halfway fails the load" 1 "${PIPESTATUS[1]}"
cat out.txt err.txt >both.txt
has "the error says the stream ended early" both.txt "truncated|end record|ends in the middle"
"$bin" dump sqlite://in.db empty_after.jsonl >/dev/null 2>&1
cmp -s empty_before.jsonl empty_after.jsonl && ok "nothing of the cut stream was loaded" || fail "a cut stream left rows behind"

# ---- a store on a read-only filesystem ---------------------------------------------------
cat >ro.sh <<'SH'
set -u
bin="$1"
mkdir -p rofs && mount -t tmpfs -o size=64m tmpfs rofs || { echo "MOUNT FAILED"; exit 99; }
"$bin" init sqlite://rofs/s.db >/dev/null 2>&1
"$bin" load sqlite://rofs/s.db sample.jsonl >/dev/null 2>&1
"$bin" dump sqlite://rofs/s.db ro_before.jsonl >/dev/null 2>&1
mount -o remount,ro rofs || { echo "REMOUNT FAILED"; exit 99; }
sed -E '/"kind":"Card"/ s/"name":"([^"]*)"/"name":"\1 (edited)"/' sample.jsonl >edited.jsonl
"$bin" load sqlite://rofs/s.db edited.jsonl --mode update >/dev/null 2>ro_err.txt
echo "rc $?"
"$bin" dump sqlite://rofs/s.db ro_after.jsonl >/dev/null 2>ro_dump_err.txt
echo "dump rc $?"
SH
unshare --user --map-root-user --mount bash ro.sh "$bin" >ro.txt 2>&1
if grep -q "FAILED" ro.txt; then fail "a read-only tmpfs: $(cat ro.txt)"; else
  rc="$(sed -n 's/^rc //p' ro.txt)"
  [[ "$rc" == 1 || "$rc" == 2 ]] && ok "a load into a read-only store fails (exit $rc)" || fail "a load into a read-only store exited $rc"
  has "the error names the store" ro_err.txt "rofs/s.db"
  has "the error says it is read-only" ro_err.txt "read-only|readonly|Read-only"
  check "the read-only store can still be dumped" "dump rc 0" "$(grep '^dump rc' ro.txt)"
  cmp -s ro_before.jsonl ro_after.jsonl && ok "the read-only store is unchanged" || fail "the read-only store changed"
fi

# ---- the PostgreSQL server ends the connection mid-load ----------------------------------
"$bin" init "$pgurl" >/dev/null 2>&1
"$bin" dump "$pgurl" pg_before.jsonl >/dev/null 2>&1
"$bin" load "$pgurl" sample.jsonl --progress always >pg_out.txt 2>pg_err.txt &
pid=$!
for _ in $(seq 1 500); do grep -q "loading\|writing\|reading" pg_err.txt 2>/dev/null && break; sleep 0.01; done
psql -qAt "$pg" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$pgdb' AND application_name = 'metaport'" >/dev/null
wait "$pid"
rc=$?
if ((rc == 0)); then
  # It finished before the termination reached it: the store holds the dump.
  "$bin" dump "$pgurl" pg_after.jsonl >/dev/null 2>&1
  "$bin" dump sqlite://src.db src.jsonl >/dev/null 2>&1
  cmp -s pg_after.jsonl src.jsonl && ok "the load finished before the server ended it (complete)" || fail "the load exited 0 but the store differs"
else
  ok "a load whose connection the server ends fails (exit $rc)"
  has "the error names the server and says why" pg_err.txt "terminat|server closed the connection|connection"
  "$bin" dump "$pgurl" pg_after.jsonl >/dev/null 2>&1
  cmp -s pg_before.jsonl pg_after.jsonl && ok "the PostgreSQL store is as it was" || fail "the interrupted PostgreSQL load left rows behind"
  check "the same load then succeeds" 0 "$(run load "$pgurl" sample.jsonl)"
fi

# ---- concurrency --------------------------------------------------------------------------
for store in sqlite://conc.db "$(pgurl_for "${pgdb}")"; do
  [[ "$store" == sqlite* ]] || { psql -q "$pg" -c "DROP DATABASE IF EXISTS ${pgdb}_c" -c "CREATE DATABASE ${pgdb}_c" >/dev/null; store="$(pgurl_for "${pgdb}_c")"; trap 'psql -q "$pg" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" -c "DROP DATABASE IF EXISTS ${pgdb}_c WITH (FORCE)" >/dev/null 2>&1' EXIT; }
  "$bin" init "$store" >/dev/null 2>&1
  "$bin" load "$store" sample.jsonl >c1.out 2>c1.err &
  p1=$!
  "$bin" load "$store" sample.jsonl >c2.out 2>c2.err &
  p2=$!
  wait "$p1"; r1=$?
  wait "$p2"; r2=$?
  if ((r1 == 0 || r2 == 0)); then ok "two loads at once into $store: one at least succeeds ($r1, $r2)"; else
    fail "two loads at once into $store both failed:"; sed 's/^/    /' c1.err c2.err | head; fi
  for i in 1 2; do
    r=$([[ $i == 1 ]] && echo "$r1" || echo "$r2")
    ((r == 0)) || has "the load that did not go through says why" "c$i.err" "locked|busy|could not|duplicate|conflict|concurrent|serializ"
  done
  "$bin" dump "$store" conc.jsonl >/dev/null 2>&1
  "$bin" dump sqlite://src.db src.jsonl >/dev/null 2>&1
  cmp -s conc.jsonl src.jsonl && ok "the store holds the dump once, consistent" || fail "two loads at once left $store inconsistent"

  # A dump while a load changes everything: it sees one snapshot.
  sed -E '/"kind":"Card"/ s/"name":"([^"]*)"/"name":"\1 (edited)"/' sample.jsonl >edited.jsonl
  "$bin" dump "$store" snap_before.jsonl >/dev/null 2>&1
  "$bin" dump "$store" snap.jsonl >/dev/null 2>snap.err &
  pd=$!
  "$bin" load "$store" edited.jsonl --mode update >/dev/null 2>&1
  wait "$pd"
  "$bin" dump "$store" snap_after.jsonl >/dev/null 2>&1
  if cmp -s snap.jsonl snap_before.jsonl || cmp -s snap.jsonl snap_after.jsonl; then
    ok "a dump during a load of $store sees one snapshot (before or after, never a mix)"
  else
    fail "a dump during a load of $store saw a mix"
  fi
done

echo
if ((failures)); then echo "$failures checks failed"; exit 1; fi
echo "all checks passed"
