#!/usr/bin/env bash
# Observability: --trace - writes the trace to stderr, -v a line per HTTP answer and the API
# usage, doctor --json the checks as one object with the API usage, --version the libraries
# with the versions this machine has. No secret in any of it.
. "$(dirname "$0")/lib.sh"

start_sandbox

# ---- --trace -: the trace on stderr, stdout untouched
run as_a --trace - show 795033096057724 --json
expect_rc 0 "show --trace -"
expect_json "$OUT_FILE" "stdout is still only the JSON"
expect_in "$ERR" "> GET $URL/v25.0/795033096057724" "stderr has the request"
expect_in "$ERR" "< HTTP 200" "stderr has the answer's status"
expect_in "$ERR" "X-App-Usage" "stderr has the usage header"
expect_not_in "$ERR" "$TOKEN_A" "the token is not in the trace"
expect_eq "$(ls "$TMP" | grep -c '^-$')" 0 "no file named - was made"
run as_a --trace - list
expect_rc 0 "list --trace - still closes stderr's copy only"
expect_in "$ERR" "solutions" "the count still reaches stderr after the trace"

# ---- -v: one line per answer, the API usage at the end
reset_log
run as_a -v list --no-headers
expect_rc 0 "-v list"
lines=$(printf '%s\n' "$ERR" | grep -c '^mpsdash: GET .* -> HTTP 200 in [0-9]* ms$')
expect_eq "$lines" "$(requests GET)" "-v: one line per request the server saw"
expect_in "$ERR" "mpsdash: API usage: " "-v: the API usage line"
usage=$(printf '%s\n' "$ERR" | sed -n "s/^mpsdash: API usage: \([0-9]*\)% of the app's rate limit$/\1/p")
if [ -n "$usage" ]; then ok "-v: the usage is a percentage ($usage%)"; else
    fail "-v: the usage is a percentage" "$(printf '%s\n' "$ERR" | grep 'API usage')"; fi
expect_not_in "$ERR" "$TOKEN_A" "-v: no token on stderr"
expect_not_in "$OUT" "mpsdash:" "-v: stdout is only the table"
run as_a --verbose show 795033096057724
expect_in "$ERR" "mpsdash: GET $URL/v25.0/795033096057724?" "--verbose: the GET of the solution"

# a failed answer and its retries are lines too
sandbox_fault '{"match":"GET","kind":"status503","times":2}'
run as_a -v show 795033096057724
expect_rc 0 "-v show through two 503s"
expect_eq "$(printf '%s\n' "$ERR" | grep -c -- '-> HTTP 503 in')" 2 "-v: both 503 answers are lines"
expect_in "$ERR" "(a retry)" "-v: a retry says so"
sandbox_clear_faults

# not for the dashboard: it draws on the terminal stderr goes to
run as_a --trace -
expect_rc 2 "the dashboard refuses --trace -"
expect_in "$ERR" "give --trace a file" "and says what to do"
run as_a -v
expect_rc 2 "the dashboard refuses -v"

# ---- doctor --json
run as_a doctor --json
expect_json "$OUT_FILE" "doctor --json is valid JSON"
verdicts=$(python3 - "$OUT_FILE" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
checks = {c["check"]: c for c in d["checks"]}
print(checks["token valid"]["verdict"], checks["list solutions"]["verdict"],
      checks["API usage"]["verdict"], type(d["api_usage"]["percent"]).__name__,
      d["failures"] == sum(c["verdict"] == "fail" for c in d["checks"]),
      d["ok"] == (d["failures"] == 0),
      all(set(c) == {"check", "verdict", "found", "todo"} for c in d["checks"]))
PY
)
expect_eq "$verdicts" "ok ok ok int True True True" \
    "doctor --json: token and listing ok, the API usage a number, counts agree"
expect_not_in "$OUT" "$TOKEN_A" "doctor --json: no token"
run as_token "$TOKEN_EXPIRED" "$APP_A" doctor --json
expect_rc 1 "doctor --json with an expired token exits 1"
todo=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=[c for c in d["checks"] if c["check"]=="token valid"][0]; print(c["verdict"], bool(c["todo"]), d["ok"])' "$OUT_FILE")
expect_eq "$todo" "fail True False" "doctor --json: the failed check carries what to do"
run as_a doctor --jq '.checks[] | select(.check == "API usage") | .verdict'
expect_eq "$OUT" "ok" "doctor --jq picks a check"

# ---- --version: the libraries, with the versions installed here
run "$MPSDASH" --version
expect_rc 0 "--version"
first=$(printf '%s\n' "$OUT" | head -1)
case "$first" in "mpsdash "[0-9]*) ok "the first line is mpsdash's version" ;;
    *) fail "the first line is mpsdash's version" "$first" ;; esac
# The build found every one of these through pkg-config, so each must be known to it: one it
# cannot name is a failure, not a case to leave out.
if command -v pkg-config >/dev/null 2>&1; then
    for pair in libcurl:libcurl json-c:json-c libmicrohttpd:libmicrohttpd libsmartcols:smartcols \
        ncursesw:ncursesw OpenSSL:openssl; do
        name=${pair%%:*} pc=${pair#*:}
        if ! want=$(pkg-config --modversion "$pc" 2>/dev/null); then
            fail "--version: pkg-config knows $pc, as the build needed it"
            continue
        fi
        got=$(printf '%s\n' "$OUT" | awk -v n="$name" '$1 == n { print }')
        expect_in "$got" "$want" "--version: $name $want (as pkg-config says)"
    done
else
    skip_part "pkg-config is not installed: the libraries' versions were not compared"
fi
for name in libconfig libjq glibc; do
    expect_in "$OUT" "  $name " "--version names $name"
done
run "$MPSDASH" -V
expect_eq "$(printf '%s\n' "$OUT" | head -1)" "$first" "-V is --version"

finish
