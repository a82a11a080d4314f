# tests/support/stores.sh: fresh real stores for shell tests, on every engine
# of tests/support/engines.inc (the list the C++ tests read too). Source it:
#
#   source "$TEST_SRCDIR/metaport/tests/support/stores.sh"
#   for engine in "${METAPORT_ENGINES[@]}"; do
#     url="$(fresh_store "$engine" name)"     # an empty store URL (a new database)
#     ...
#   done
#   # databases are dropped when the test exits (drop_fresh_stores, an EXIT trap)
#
# Server engines need the servers tests/run starts (METAPORT_PG_URL,
# METAPORT_MYSQL_URL): without them fresh_store fails, the test does not skip.

_stores_dir="$(dirname "${BASH_SOURCE[0]}")"
mapfile -t METAPORT_ENGINES < <(sed -n 's/^METAPORT_ENGINE(\([a-z0-9_]*\))$/\1/p' "$_stores_dir/engines.inc")
((${#METAPORT_ENGINES[@]})) || { echo "FAIL: no engines in $_stores_dir/engines.inc"; exit 1; }

# The server URL of an engine (exits the test when tests/run did not set it).
server_url() {
  case "$1" in
    postgres) echo "${METAPORT_PG_URL:?METAPORT_PG_URL is not set: this test needs the PostgreSQL server tests/run starts}" ;;
    mysql) echo "${METAPORT_MYSQL_URL:?METAPORT_MYSQL_URL is not set: this test needs the MariaDB server tests/run starts}" ;;
    *) echo "FAIL: no server for engine $1" >&2; return 1 ;;
  esac
}

# url_with_db URL DB: the same server URL naming another database.
url_with_db() { printf '%s' "$1" | sed -E "s#^([a-z]+://[^/]*/)[^?]*#\1$2#"; }

# mysql_args URL: mariadb client arguments for a mysql:// URL of the test server.
mysql_args() {
  local url="$1" auth user pw="" db sock=""
  auth="${url#*://}"; auth="${auth%%/*}"
  user="${auth%@*}"; [[ "$user" == "$auth" ]] && user=root
  [[ "$user" == *:* ]] && { pw="${user#*:}"; user="${user%%:*}"; }
  db="${url#*://*/}"; db="${db%%\?*}"
  [[ "$url" == *socket=* ]] && { sock="${url#*socket=}"; sock="${sock%%&*}"; }
  printf '%s\n' --no-defaults --default-character-set=utf8mb4 "-u$user" ${pw:+"-p$pw"} ${sock:+"--socket=$sock"} ${db:+"$db"}
}

# server_sql ENGINE URL SQL...: runs SQL with the engine's own client
# (psql, mariadb), quietly; identifiers may be "double-quoted" on both.
server_sql() {
  local engine="$1" url="$2"
  shift 2
  case "$engine" in
    postgres) PGOPTIONS="--client-min-messages=warning" psql -q -v ON_ERROR_STOP=1 "$url" "${@/#/-c}" >/dev/null ;;
    mysql)
      local args s all="SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES');"
      mapfile -t args < <(mysql_args "$url")
      for s in "$@"; do all+=" $s;"; done
      mariadb "${args[@]}" -e "$all" ;;
    *) echo "server_sql: no server for $engine" >&2; return 1 ;;
  esac
}

# server_query ENGINE URL SQL: one value per line, tab-separated columns.
server_query() {
  case "$1" in
    postgres) psql -qAt -F $'\t' "$2" -c "$3" ;;
    mysql)
      local args
      mapfile -t args < <(mysql_args "$2")
      mariadb "${args[@]}" -N -B -e "SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES'); $3" ;;
    sqlite) sqlite3 -separator $'\t' "${2#sqlite://}" "$3" ;;
  esac
}

# fresh_store ENGINE NAME: prints the URL of a new, empty store.
fresh_store() {
  local engine="$1" name="$2"
  if [[ "$engine" == sqlite ]]; then
    echo "sqlite://$PWD/$name.db"
    return 0
  fi
  local base db
  base="$(server_url "$engine")" || return 1
  db="mp_${name//[^a-zA-Z0-9_]/_}_$$_${RANDOM}${RANDOM}"  # pids repeat across sandboxed tests
  server_sql "$engine" "$base" "CREATE DATABASE $db" || { echo "FAIL: cannot create a $engine database at $base" >&2; return 1; }
  # A file, not a variable: fresh_store runs in $(...) subshells.
  echo "$engine $db" >>"${TEST_TMPDIR:-/tmp}/.fresh_databases.$$"
  url_with_db "$base" "$db"
}

# Drops every database fresh_store made (also those made in subshells).
drop_fresh_stores() {
  local list="${TEST_TMPDIR:-/tmp}/.fresh_databases.$$" db engine
  [[ -f "$list" ]] || return 0
  while read -r engine db; do
    case "$engine" in
      postgres) server_sql postgres "$METAPORT_PG_URL" "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null ;;
      mysql) server_sql mysql "$METAPORT_MYSQL_URL" "DROP DATABASE IF EXISTS $db" 2>/dev/null ;;
    esac
  done <"$list"
  rm -f "$list"
}
trap drop_fresh_stores EXIT
