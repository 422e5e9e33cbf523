#!/usr/bin/env bash
# Secrets stay secret: the access token is never in argv (ps), the trace, the audit log, stdout or
# error text; business tokens are masked unless --reveal and never audited.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"
TRACE=$TMP/trace.txt

# ---- argv: look at every process's command line while a request is in flight
# "H C": H processes of this test (they name this sandbox's URL) with the token in their command
# line, C of them the running `show`. grep, not an interpreter: a scan must be quicker than the
# CLI's life even on a loaded machine. Others on the machine may legitimately hold the public
# demo token in their command lines: only this test's processes are looked at.
scan_command_lines() {
    local f hits=0 cli=0
    for f in $(grep -lzF -- "$URL" /proc/[0-9]*/cmdline 2>/dev/null); do
        grep -qzF -- "$TOKEN_A" "$f" 2>/dev/null && hits=$((hits + 1))
        tr '\0' ' ' <"$f" 2>/dev/null | grep -qF -- "--token-env MPSDASH_TOKEN show " && cli=$((cli + 1))
    done
    echo "$hits $cli"
}
sandbox_fault '{"match":"GET","kind":"latency","ms":2500,"times":1}'
as_a show 900000000000006 </dev/null >"$TMP/slow.out" 2>&1 &
slow_pid=$!
seen_cli=0
hits=0
deadline=$((SECONDS + 10))
while kill -0 "$slow_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
    # as long as the CLI runs (a spec server answers its first GET, the refused partners{}
    # field, at once: the delayed one comes after it)
    scan=$(scan_command_lines)
    hits=$((hits + ${scan% *}))
    [ "${scan#* }" != 0 ] && seen_cli=1
    sleep 0.1
done
wait "$slow_pid"
expect_eq "$seen_cli" 1 "the running CLI was seen in the process list"
expect_eq "$hits" 0 "no process has the token in its command line"

# ---- trace, audit, stdout and errors across commands, with a wrong token too
BIZ=6143763655652543
as_a list --trace "$TRACE" </dev/null >"$TMP/all.out" 2>"$TMP/all.err"
as_a show 900000000000006 --trace "$TRACE" </dev/null >>"$TMP/all.out" 2>>"$TMP/all.err"
as_a accept 900000000000006 --yes --trace "$TRACE" </dev/null >>"$TMP/all.out" 2>>"$TMP/all.err"
as_a accept 900000000000001 --yes --trace "$TRACE" </dev/null >>"$TMP/all.out" 2>>"$TMP/all.err"
as_a business-token 900000000000006 --business $BIZ --trace "$TRACE" </dev/null \
    >>"$TMP/all.out" 2>>"$TMP/all.err"
as_token "EAAGnotavalidtokenXYZ123456" "$APP_A" list --trace "$TRACE" </dev/null \
    >>"$TMP/all.out" 2>>"$TMP/all.err"
as_token "$TOKEN_EXPIRED" "$APP_A" show 900000000000006 --trace "$TRACE" </dev/null \
    >>"$TMP/all.out" 2>>"$TMP/all.err"
as_a doctor </dev/null >>"$TMP/all.out" 2>>"$TMP/all.err"

if [ -s "$TRACE" ] && grep -q "^> GET " "$TRACE"; then ok "the trace was written"; else
    fail "the trace was written"; fi
for f in "$TRACE" "$AUDIT" "$TMP/all.out" "$TMP/all.err"; do
    name=$(basename "$f")
    for secret in "$TOKEN_A" "EAAGnotavalidtokenXYZ123456" "$TOKEN_EXPIRED"; do
        if grep -qF -- "$secret" "$f"; then fail "$name never holds the token $secret"; else
            ok "$name never holds the token ${secret:0:4}…"; fi
    done
done

# ---- business tokens: masked, revealed only on request, never audited
reset_log
run as_a business-token 900000000000006 --business $BIZ
expect_rc 0 "business-token"
masked=$OUT
run as_a business-token 900000000000006 --business $BIZ --reveal
expect_rc 0 "business-token --reveal"
full=$OUT
if [ ${#full} -ge 16 ]; then ok "--reveal prints the whole token"; else fail "--reveal prints the whole token"; fi
expect_not_in "$masked" "$full" "without --reveal the token is masked"
expect_eq "$masked" "${full:0:4}…${full: -4}" "the mask keeps the first and last 4 characters"
for f in "$TRACE" "$AUDIT" "$TMP/all.out" "$TMP/all.err"; do
    if grep -qF -- "$full" "$f"; then fail "$(basename "$f") never holds the business token"; else
        ok "$(basename "$f") never holds the business token"; fi
done
if grep -qF "token fetched for business $BIZ" "$AUDIT"; then
    ok "the audit log records that a token was fetched for the business"
else
    fail "the audit log records that a token was fetched for the business"
fi
run as_a business-token 900000000000006 --business $BIZ --json
expect_json "$OUT_FILE" "business-token --json is valid JSON"
expect_not_in "$OUT" "$full" "business-token --json is masked too"
run as_a business-token 900000000000005 --business $BIZ
expect_rc 6 "a business token through a pending solution is refused by the server"

# ---- a token pasted where a variable's name belongs is refused and never echoed
PASTED=EAAGm0PX4ZCpsBAKZCZApastedinsteadofaname0123456789
run as_a apps --as-user-token-env "$PASTED"
expect_nonzero "--as-user-token-env with a token instead of a name is refused"
expect_not_in "$OUT$ERR" "$PASTED" "the pasted token is not echoed (--as-user-token-env)"
run "$MPSDASH" --graph-url "$URL" --app-id "$APP_A" --token "$PASTED" list
expect_nonzero "--token (read as --token-env) with a token is refused"
expect_not_in "$OUT$ERR" "$PASTED" "the pasted token is not echoed (--token)"

finish
