#!/usr/bin/env bash
# A bi store created by version 1 migrates to the current version (4) with its data intact
# (docs/commands/migrate.md), on every engine of tests/support/engines.inc, as real processes: a dry run changes
# nothing; the migration writes a backup first and says where; afterwards the
# store holds exactly what loading the version-1 dump into a fresh current-version
# store gives; the version-1 binary then refuses the store; migrating again
# has nothing to do.
set -uo pipefail
bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
root="$TEST_SRCDIR/metaport/tests/evolution"
v1bin="$root/metaport_bi_v1"
golden="$root/golden/v1/bi.jsonl"
work="$TEST_TMPDIR/migrate" && rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
# shellcheck source=tests/support/stores.sh
source "$TEST_SRCDIR/metaport/tests/support/stores.sh"
failures=0
check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then echo "ok: $1"; else echo "FAIL: $1: got '$3', expected '$2'"; failures=$((failures + 1)); fi
}


# What the current version makes of the version-1 dump, loaded directly.
"$bin" init sqlite://expected.db 2>/dev/null
"$bin" load sqlite://expected.db "$golden" >/dev/null
"$bin" dump sqlite://expected.db expected.jsonl --keep-secrets 2>/dev/null

for engine in "${METAPORT_ENGINES[@]}"; do
  store="$(fresh_store "$engine" v1)" || { echo "FAIL: no $engine store"; failures=$((failures + 1)); continue; }
  "$v1bin" init "$store" 2>/dev/null
  "$v1bin" load "$store" "$golden" >/dev/null
  "$v1bin" dump "$store" before.jsonl --keep-secrets 2>/dev/null
  check "the current binary will not read a version-1 store unmigrated" 1 "$("$bin" dump "$store" x.jsonl >/dev/null 2>err.txt; echo $?)"
  grep -q "migrate" err.txt || { echo "FAIL: the refusal does not say to migrate"; failures=$((failures + 1)); }

  "$bin" migrate "$store" --dry-run --backup dry.jsonl >dry.txt 2>&1
  check "dry run exit" 0 $?
  "$v1bin" dump "$store" after-dry.jsonl --keep-secrets 2>/dev/null
  check "a dry run changes nothing ($store)" same "$(cmp -s before.jsonl after-dry.jsonl && echo same || echo differs)"

  "$bin" migrate "$store" --backup backup.jsonl >mig.txt 2>&1
  check "migrate exit ($store)" 0 $?
  grep -q "backup of bi version 1 written to backup.jsonl" mig.txt || { echo "FAIL: no backup line"; cat mig.txt; failures=$((failures + 1)); }
  grep -q "migrated from bi version 1 to 4" mig.txt || { echo "FAIL: no migrated line"; cat mig.txt; failures=$((failures + 1)); }
  # The backup has every kind (users too, which dumps leave out) in table order.
  check "the backup holds the version-1 data" same "$(cmp -s <(grep -v '"kind":"User"\|"metaport"' backup.jsonl | sort) <(grep -v '"metaport"' before.jsonl | sort) && echo same || echo differs)"
  check "the backup holds the users" yes "$(grep -q '"kind":"User"' backup.jsonl && echo yes || echo no)"
  "$bin" dump "$store" after.jsonl --keep-secrets 2>/dev/null
  check "the migrated store holds the upgraded data ($store)" same "$(cmp -s after.jsonl expected.jsonl && echo same || echo differs)"
  check "the version-1 binary refuses the migrated store" 1 "$("$v1bin" dump "$store" y.jsonl >/dev/null 2>&1; echo $?)"
  "$bin" migrate "$store" >again.txt 2>&1
  grep -q "nothing to do" again.txt || { echo "FAIL: migrating twice"; cat again.txt; failures=$((failures + 1)); }
  rm -f backup.jsonl dry.jsonl
done
echo "$failures failures"
((failures == 0))
