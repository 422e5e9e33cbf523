#!/usr/bin/env bash
# Audit integrity: nothing is sent when the audit log cannot be written (a full disk, a symbolic
# link) unless --without-audit says so; an outcome that cannot be written is a non-zero exit and
# never leaves a torn line.
. "$(dirname "$0")/lib.sh"

CONF=$XDG_CONFIG_HOME/mpsdash/config
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"

all_lines_json() {
    python3 - "$1" <<'PY'
import json, sys
data = open(sys.argv[1], "rb").read()
assert data == b"" or data.endswith(b"\n"), "the log does not end with a newline"
for line in data.decode().splitlines():
    json.loads(line)
PY
}

# ---- a full disk: refused before anything is sent
printf 'audit_log = "/dev/full";\n' >"$CONF"
reset_log
run as_a accept 900000000000001 --yes
expect_rc 1 "accept refuses when the audit log cannot be written"
expect_in "$ERR" "nothing was sent" "it says nothing was sent"
expect_in "$ERR" "--without-audit" "it names the option to go on without the log"
expect_eq "$(requests POST)" 0 "no POST was sent"
expect_eq "$(solution_status 900000000000001)" "INITIATED/PENDING_ACTIVATION" "the solution is unchanged"
run as_a create --name "Not audited" --partner-app "$APP_B" --yes
expect_rc 1 "create refuses too"
expect_eq "$(requests POST)" 0 "no create was sent"

# ---- --without-audit: sent, and said so
run as_a --without-audit accept 900000000000001 --yes
expect_rc 0 "with --without-audit the accept is sent"
expect_in "$ERR" "without an audit record" "it warns that nothing records it"
expect_eq "$(solution_status 900000000000001)" "ACTIVE/NONE" "the server holds the accept"

# ---- a symbolic link in the log's place: refused, non-zero, the target untouched
rm -f "$CONF"
mkdir -p "$(dirname "$AUDIT")"
printf 'elsewhere\n' >"$TMP/elsewhere"
ln -s "$TMP/elsewhere" "$AUDIT"
reset_log
run as_a reject 900000000000002 --yes
expect_rc 1 "a symlinked audit log is refused"
expect_in "$ERR" "symbolic link" "it says the log is a symbolic link"
expect_eq "$(requests POST)" 0 "no POST was sent"
expect_eq "$(cat "$TMP/elsewhere")" "elsewhere" "the link's target is untouched"
rm -f "$AUDIT"

# ---- room for the intent but not for the outcome (a file size limit as a full disk)
run as_a request-deactivation 900000000000003 --yes
expect_rc 0 "a first change is audited"
intent_len=$(head -n 1 "$AUDIT" | wc -c)
size=$(stat -c %s "$AUDIT")
limit=$((size + intent_len + 10))
reset_log
# the first intent (a longer verb) leaves room for the next intent, not for its outcome
run prlimit --fsize=$limit:$limit env MPSDASH_TOKEN=$TOKEN_A "$MPSDASH" --graph-url "$URL" \
    --app-id "$APP_A" --token-env MPSDASH_TOKEN reject 900000000000002 --yes
expect_nonzero "a change whose outcome cannot be audited exits non-zero"
expect_in "$ERR" "could not be written to the audit log" "it says the outcome is not in the log"
expect_eq "$(solution_status 900000000000002)" "REJECTED/NONE" "the server did apply it"
if all_lines_json "$AUDIT"; then ok "no torn line in the log"; else fail "no torn line in the log"; fi
expect_eq "$(tail -n 1 "$AUDIT" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["phase"], e["action"])')" \
    "intent reject" "the intent was written before the POST"
run as_a list
expect_in "$ERR" "the change was made" "the next start reads the unrecorded outcome back"
if all_lines_json "$AUDIT"; then ok "the log is whole lines after reconciling"; else
    fail "the log is whole lines after reconciling"; fi

finish
