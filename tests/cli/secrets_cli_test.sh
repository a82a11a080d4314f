#!/usr/bin/env bash
# bi's secrets as real processes, on SQLite and PostgreSQL: database details,
# an http channel's auth-info (a map of secrets inside a nested struct), an
# email channel's password (a secret inside a nested struct) and the SMTP
# password setting. A redacted tree edited by a reviewer and loaded with
# --mode update keeps every secret the store knows; a new store gets no value
# for them (never the marker) and the report lists them; a secret pasted in
# clear into a reviewed file is a warning that names file:line and path, never
# the value. On every engine of tests/support/engines.inc (the servers
# tests/run starts).
set -uo pipefail

bin="$TEST_SRCDIR/metaport/entities/bi/metaport_bi"
work="$TEST_TMPDIR/secrets"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
# shellcheck source=tests/support/stores.sh
source "$TEST_SRCDIR/metaport/tests/support/stores.sh"

failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
check() { if [[ "$2" == "$3" ]]; then ok "$1"; else fail "$1: exit $3, expected $2"; sed 's/^/    /' err.txt out.txt; fi; }
has() { if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1: no '$3' in $2:"; sed 's/^/    /' "$2"; fi; }
hasnt() { if grep -rqF -- "$3" "$2"; then fail "$1: '$3' found in $2"; else ok "$1"; fi; }
run() { "$bin" "$@" >out.txt 2>err.txt; echo $?; }

secrets=("Bearer tok_live_5up3r" "p@ss: w0rd" "w4rehouse-r3ad-only" "Sm7p-Rel4y-P4ss")

# A dump written with --keep-secrets, by hand.
cat >kept.jsonl <<'JSONL'
{"metaport":"dump","format":1,"schema":"bi","version":3,"secrets":"kept"}
{"kind":"Settings","entity":{"site-name":"Acme","email-smtp-host":"smtp.acme.test","email-smtp-password":"Sm7p-Rel4y-P4ss"}}
{"kind":"Database","entity":{"name":"Warehouse","engine":"postgres","details":{"host":"warehouse.internal","port":5432,"user":"metabase_ro","password":"w4rehouse-r3ad-only"}}}
{"kind":"Channel","entity":{"name":"Ops webhook","description":"Alerts to the on-call tool","type":"channel/http","details":{"url":"https://hooks.example.com/metabase","auth-method":"header","auth-info":{"Authorization":"Bearer tok_live_5up3r"},"fe-form-type":"bearer","method":"post"},"active":true}}
{"kind":"Channel","entity":{"name":"Équipe données","description":"SMTP relay","type":"channel/email","details":{"host":"smtp.example.com","port":465,"security":"ssl","username":"alerts","password":"p@ss: w0rd","from-address":"alerts@example.com"},"active":false}}
{"metaport":"end","counts":{"Channel":2,"Database":1,"Settings":1},"total":4}
JSONL

raw_rows() {  # raw_rows ENGINE URL: every row of the secret-bearing tables, as SQL sees them
  local tables=(mp_channel mp_database mp_settings) t
  for t in "${tables[@]}"; do server_query "$1" "$2" "SELECT * FROM $t"; done
}

for engine in "${METAPORT_ENGINES[@]}"; do
  url="$(fresh_store "$engine" s)" && new="$(fresh_store "$engine" new)" || { fail "[$engine] no fresh store"; continue; }
  rawa="$url" rawn="$new"
  e="[$engine]"
  check "$e init" 0 "$(run init "$url")"
  check "$e load the dump with its secrets" 0 "$(run load "$url" kept.jsonl)"
  hasnt "$e a dump with --keep-secrets gets no warning" out.txt "warning"

  rm -rf tree && check "$e dump a redacted tree" 0 "$(run dump "$url" tree)"
  for s in "${secrets[@]}"; do hasnt "$e no '$s' in the redacted tree" tree "$s"; done
  hasnt "$e metaport.yaml says nothing of kept secrets" tree/metaport.yaml "secrets"

  # A reviewer changes one description; the secrets stay redacted in the files.
  chan="$(grep -rlF 'SMTP relay' tree)"
  sed -i 's/SMTP relay/SMTP relay (EU)/' "$chan"
  check "$e load the edited tree with --mode update" 0 "$(run load "$url" tree --mode update)"
  has "$e the edit is one update" out.txt "Channel                        0         1         1         0"
  hasnt "$e no secret is reported unknown: the store knows them all" out.txt "arrived redacted"
  check "$e dump with --keep-secrets" 0 "$(run dump "$url" after.jsonl --keep-secrets)"
  for s in "${secrets[@]}"; do has "$e '$s' survived the redacted update" after.jsonl "$(printf '%s' "$s" | sed 's/"/\\"/g')"; done
  has "$e the edit is in" after.jsonl "SMTP relay (EU)"
  has "$e the header says the secrets are kept" after.jsonl '"secrets":"kept"'
  raw_rows "$engine" "$rawa" >raw.txt
  hasnt "$e the store holds no redaction marker" raw.txt "**redacted**"

  # The redacted tree into a new store: no values, and the report says which.
  check "$e init a new store" 0 "$(run init "$new")"
  check "$e load the redacted tree into it" 0 "$(run load "$new" tree)"
  has "$e the report counts the unknown secrets" out.txt "4 secrets arrived redacted and have no value in the store"
  has "$e it names the nested one" out.txt "Channel Équipe données: details.password"
  has "$e it names the map value" out.txt "Channel Ops webhook: details.auth-info.Authorization"
  has "$e it names the top-level ones" out.txt "Settings settings: email-smtp-password"
  raw_rows "$engine" "$rawn" >rawn.txt
  hasnt "$e never the marker as data" rawn.txt "**redacted**"
  rm -rf tree2 && check "$e dump it with --keep-secrets" 0 "$(run dump "$new" tree2 --keep-secrets)"
  has "$e an unknown secret stays unknown, even with --keep-secrets" "$(grep -rlF 'SMTP relay' tree2)" "password: '**redacted**'"

  # A secret pasted in clear into a reviewed file: a warning, never the value.
  sed -i "s/password: '\*\*redacted\*\*'/password: hunter2-pasted/" "$chan"
  check "$e validate still accepts the tree" 0 "$(run validate tree)"
  has "$e validate warns" out.txt "warning: "
  has "$e the warning names the field path" out.txt "details.password: a secret in clear"
  has "$e the warning names the file and line" out.txt "$chan:"
  hasnt "$e the warning does not show the value" out.txt "hunter2"
  check "$e load warns too" 0 "$(run load "$url" tree --mode update --dry-run)"
  has "$e load's report has the warning" out.txt "a secret in clear"
  hasnt "$e nor does the report show it" out.txt "hunter2"
  hasnt "$e nor stderr" err.txt "hunter2"
done

echo
if ((failures)); then echo "$failures checks failed"; exit 1; fi
echo "all checks passed"
