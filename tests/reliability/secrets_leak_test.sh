#!/usr/bin/env bash
# A known secret, run through every command: it must appear in nothing but
# what asked for it (a --keep-secrets dump, which is mode 0600), never in a
# redacted or sealed dump, an output, a log, a report or an error message.
# Also: sealed dumps load back with the key, a wrong key is refused by name,
# and exit statuses follow the contract (a stream without its header is a data
# problem, 1; a path that is not there, 2). SQLite and PostgreSQL.
set -uo pipefail
bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
pg="${METAPORT_PG_URL:?METAPORT_PG_URL is not set: this test needs the PostgreSQL server tests/run starts}"
work="$TEST_TMPDIR/leak"
rm -rf "$work" && mkdir -p "$work/logs" && cd "$work" || exit 1
failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
# run NAME ARGS...: prints the exit status; every output of every command is
# kept in logs/NAME.I.{out,err} (I counts runs of one name; run is called in
# command substitutions, so no counter survives in a variable).
run() {
  local name="$1" i=0; shift
  while [[ -e "logs/$name.$i.err" ]]; do i=$((i + 1)); done
  "$bin" "$@" >"logs/$name.$i.out" 2>"logs/$name.$i.err"; echo $?
}
last_err() { ls -t logs/"$1".*.err | head -n 1; }
check() { if [[ "$2" == "$3" ]]; then ok "$1"; else fail "$1: exit $3, expected $2"; fi; }

CANARY="Zq9-LeakCanary-7Tq"
cat >kept.jsonl <<JSONL
{"metaport":"dump","format":1,"schema":"bi","version":3,"secrets":"kept"}
{"kind":"Settings","entity":{"site-name":"Acme","email-smtp-password":"$CANARY-smtp"}}
{"kind":"Database","entity":{"name":"Warehouse","engine":"postgres","details":{"host":"wh","password":"$CANARY-db"}}}
{"kind":"Channel","entity":{"name":"Mail","type":"channel/email","details":{"host":"smtp.acme.test","port":465,"password":"$CANARY-ch"}}}
{"kind":"Channel","entity":{"name":"Hook","type":"channel/http","details":{"url":"https://hooks.acme.test/x","auth-method":"header","auth-info":{"Authorization":"Bearer $CANARY-tok"}}}}
{"metaport":"end","counts":{"Channel":2,"Database":1,"Settings":1},"total":4}
JSONL
openssl rand -base64 32 >key.txt 2>/dev/null || head -c 32 /dev/urandom | base64 >key.txt
openssl rand -base64 32 >other-key.txt 2>/dev/null || head -c 32 /dev/urandom | base64 >other-key.txt
chmod 600 key.txt other-key.txt

pgdb="mp_leak_$$_${RANDOM}"
psql -q "$pg" -c "DROP DATABASE IF EXISTS $pgdb" -c "CREATE DATABASE $pgdb" -c "CREATE DATABASE ${pgdb}_r" >/dev/null ||
  { echo "FAIL: cannot reach PostgreSQL"; exit 1; }
trap 'psql -q "$pg" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" -c "DROP DATABASE IF EXISTS ${pgdb}_r WITH (FORCE)" >/dev/null 2>&1' EXIT
pgurl() { printf '%s' "$pg" | sed -E "s#(postgres(ql)?://[^/]*/)[^?]*#\1$1#"; }

allowed=()  # files that asked for the secrets
for engine in sqlite postgres; do
  if [[ $engine == sqlite ]]; then s="sqlite://$work/s.db" r="sqlite://$work/r.db"; else s="$(pgurl "$pgdb")" r="$(pgurl "${pgdb}_r")"; fi
  e="$engine"
  check "$e init" 0 "$(run init init "$s")"
  check "$e load" 0 "$(run load load "$s" kept.jsonl --report json)"
  check "$e dump tree" 0 "$(run dump dump "$s" "out-$e-tree")"
  check "$e dump jsonl.zst" 0 "$(run dump dump "$s" "out-$e.jsonl.zst")"
  check "$e dump yaml to stdout" 0 "$("$bin" dump "$s" - --format yaml >"logs/stdout-$e.yaml" 2>/dev/null; echo $?)"
  check "$e dump sealed" 0 "$(run dump-sealed dump "$s" "out-$e-sealed.jsonl" --secrets-key key.txt)"
  check "$e dump sealed twice: the same bytes" 0 "$(run dump-sealed dump "$s" "out-$e-sealed2.jsonl" --secrets-key key.txt >/dev/null; cmp -s "out-$e-sealed.jsonl" "out-$e-sealed2.jsonl"; echo $?)"
  check "$e dump with --keep-secrets" 0 "$(run dump-kept dump "$s" "kept-$e.jsonl" --keep-secrets)"
  check "$e dump a kept tree" 0 "$(run dump-kept dump "$s" "kept-$e-tree" --keep-secrets)"
  allowed+=("kept-$e.jsonl" "kept-$e-tree")
  mode="$(stat -c %a "kept-$e.jsonl")"
  [[ "$mode" == 600 ]] && ok "$e a --keep-secrets dump is mode 0600" || fail "$e a --keep-secrets dump is mode $mode"
  bad="$(find "kept-$e-tree" -type f ! -perm 600 | head -n 3)"
  [[ -z "$bad" ]] && ok "$e every file of a kept tree is 0600" || fail "$e kept tree files not 0600: $bad"
  check "$e validate the kept dump" 0 "$(run validate validate "kept-$e.jsonl")"
  check "$e diff store and redacted dump" 0 "$(run diff diff "$s" "out-$e-tree")"
  check "$e diff json" 0 "$(run diff diff "$s" "out-$e-tree" --json)"
  # Restore from the sealed dump, with the key.
  check "$e init the restore target" 0 "$(run init init "$r")"
  check "$e a wrong key is refused" 1 "$(run "$e-load-wrong-key" load "$r" "out-$e-sealed.jsonl" --secrets-key other-key.txt)"
  if grep -q "wrong key" "$(last_err "$e-load-wrong-key")"; then ok "$e the refusal says wrong key"; else fail "$e no 'wrong key' in the refusal"; fi
  check "$e restore the sealed dump with the key" 0 "$(run load-sealed load "$r" "out-$e-sealed.jsonl" --secrets-key key.txt)"
  check "$e the restored store holds the secrets" 0 "$(run dump-kept dump "$r" "kept-$e-restored.jsonl" --keep-secrets >/dev/null; cmp -s "kept-$e.jsonl" "kept-$e-restored.jsonl"; echo $?)"
  allowed+=("kept-$e-restored.jsonl")
  # Errors next to secrets: a broken record in a kept dump.
  sed 's/"port":465/"port":"four-six-five"/' kept.jsonl >broken.jsonl
  check "$e a broken kept dump fails" 1 "$(run load-broken load "$s" broken.jsonl --mode update)"
  check "$e validate the broken dump" 1 "$(run validate-broken validate broken.jsonl --report json)"
done

# Exit statuses.
printf '{"kind":"Settings","entity":{"site-name":"x"}}\n' >headless.jsonl
check "a jsonl stream without its header is a data problem" 1 "$(run headless load "sqlite://$work/s.db" headless.jsonl)"
printf -- '- kind: Settings\n' >headless.yaml
check "a yaml stream without its header is a data problem" 1 "$(run headless validate headless.yaml)"
check "a path that is not there is a usage error" 2 "$(run missing load "sqlite://$work/s.db" /no/such/dump.jsonl)"
check "a bad key file is a usage error" 2 "$(run badkey dump "sqlite://$work/s.db" x.jsonl --secrets-key kept.jsonl)"

# The grep: the canary is only where it was asked for.
leaks=()
while IFS= read -r f; do
  skip=0
  for a in "${allowed[@]}"; do [[ "$f" == "./$a" || "$f" == ./"$a"/* ]] && skip=1; done
  [[ "$f" == ./kept.jsonl || "$f" == ./broken.jsonl ]] && skip=1  # the inputs
  [[ "$f" == ./[sr].db* ]] && skip=1  # the SQLite stores: where secrets belong
  ((skip)) || leaks+=("$f")
done < <(grep -rlF -- "$CANARY" . ; for f in $(find . -name '*.zst'); do zstd -dc "$f" 2>/dev/null | grep -qF -- "$CANARY" && echo "$f"; done)
if ((${#leaks[@]})); then fail "the secret leaked into: ${leaks[*]}"; else ok "the secret is in no output, log, report or error but the kept dumps ($(ls logs | wc -l) logs checked)"; fi
grep -rqF -- "$CANARY" "${allowed[@]}" && ok "(and it is in the kept dumps: the check can see it)" || fail "the canary is not even in the kept dumps"

echo
if ((failures)); then echo "$failures checks failed"; exit 1; fi
echo "all checks passed"
