#!/usr/bin/env bash
# Faults over real HTTP: a POST that hangs or resets is sent once and reconciled by a GET;
# malformed, truncated, huge, 10,000-deep and non-object answers give a clear error (no crash,
# no hang); 5xx is retried for GETs; rate limits and expired tokens say what to do.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"

# ---- a POST that hangs: sent once, the client gives up, reads the solution back (not applied)
reset_log
sandbox_fault '{"match":"POST /accept","kind":"hang","times":1}'
started=$SECONDS
run as_a accept 900000000000009 --yes
elapsed=$((SECONDS - started))
expect_rc 5 "a hung accept ends as a network failure"
expect_eq "$(requests POST /accept)" 1 "the hung POST was sent exactly once"
expect_in "$ERR" "not sent again" "the error says the POST was not resent"
expect_in "$ERR" "The server now holds" "the server state was read back"
expect_in "$ERR" "not made" "it says the change was not made"
expect_eq "$(solution_status 900000000000009)" "INITIATED/PENDING_ACTIVATION" "hung accept: unchanged"
if [ $elapsed -le 20 ]; then ok "the hung POST was given up on in time (${elapsed}s)"; else
    fail "the hung POST was given up on in time (${elapsed}s)"; fi
reads_after=$(python3 -c '
import json,sys
rows=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
i=max(i for i,r in enumerate(rows) if r["method"]=="POST")
print(sum(1 for r in rows[i+1:] if r["method"]=="GET" and r["path"].endswith("/900000000000009")))' "$REQLOG")
if [ "$reads_after" -ge 1 ]; then ok "a GET after the POST reconciled the outcome"; else
    fail "a GET after the POST reconciled the outcome"; fi
expect_eq "$(tail -n 1 "$AUDIT" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["outcome"], e["detail"])')" \
    "unknown answer lost; read back: not applied" "the lost POST is audited as unknown, with what the server holds"

# ---- a POST that resets after the change was made: sent once, reported as made
reset_log
sandbox_fault '{"match":"POST /reject","kind":"reset","times":1,"apply":true}'
run as_a reject 900000000000010 --yes
expect_rc 0 "a reset reject that the server applied ends well"
expect_eq "$(requests POST /reject)" 1 "the reset POST was sent exactly once"
expect_in "$ERR" "the change was made" "it says the change was made"
expect_eq "$(solution_status 900000000000010)" "REJECTED/NONE" "the server holds the rejection"
expect_eq "$(tail -n 1 "$AUDIT" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e["outcome"], e["detail"])')" \
    "unknown answer lost; read back: applied" "the reset POST is audited as unknown, read back as applied"

# ---- a POST that resets before the change: sent once, reported as not made
reset_log
sandbox_fault '{"match":"POST /accept","kind":"reset","times":1}'
run as_a accept 900000000000009 --yes
expect_rc 5 "a reset accept that was not applied is a network failure"
expect_eq "$(requests POST /accept)" 1 "the reset POST was sent exactly once"
expect_in "$ERR" "not made" "it says the change was not made"
expect_eq "$(solution_status 900000000000009)" "INITIATED/PENDING_ACTIVATION" "reset accept: unchanged"

# ---- unusable answers to a GET: a clear error, exit 5, no crash, no hang
for kind in malformed truncate huge deep nonobject; do
    sandbox_clear_faults
    sandbox_fault "{\"match\":\"GET\",\"kind\":\"$kind\",\"times\":-1}"
    started=$SECONDS
    run as_a list
    elapsed=$((SECONDS - started))
    expect_rc 5 "list with a $kind answer"
    if [ -n "$ERR" ] && [ ${#ERR} -lt 2000 ]; then ok "$kind: one clear error line"; else
        fail "$kind: one clear error line"; fi
    expect_terminal_safe "$ERR_FILE" "$kind: the error is terminal-safe"
    if [ $elapsed -le 30 ]; then ok "$kind: no hang (${elapsed}s)"; else fail "$kind: no hang (${elapsed}s)"; fi
    run as_a show 900000000000001 --json
    expect_rc 5 "show with a $kind answer"
    expect_eq "$OUT" "" "$kind: nothing half-printed on stdout"
done
sandbox_clear_faults

# ---- 5xx: GETs are retried, then succeed
reset_log
sandbox_fault '{"match":"GET","kind":"status503","times":2}'
run as_a show 900000000000001
expect_rc 0 "show succeeds after two 503 answers"
# (a spec server also refuses the partners{} field once, before the plain GET)
if dialect_is openapi; then want_gets=4; else want_gets=3; fi
expect_eq "$(requests GET /900000000000001)" $want_gets "the GET was retried twice"
reset_log
sandbox_fault '{"match":"GET","kind":"status503","times":-1}'
run as_a show 900000000000001
expect_rc 75 "show fails when every answer is 503: try again later (EX_TEMPFAIL)"
n=$(requests GET /900000000000001)
if [ "$n" -ge 2 ] && [ "$n" -le 8 ]; then ok "retries are bounded ($n requests)"; else
    fail "retries are bounded ($n requests)"; fi
sandbox_clear_faults

# ---- a POST answered 503 is not retried
reset_log
sandbox_fault '{"match":"POST /accept","kind":"status503","times":-1}'
run as_a accept 900000000000009 --yes
expect_nonzero "accept answered 503"
expect_eq "$(requests POST /accept)" 1 "a POST is never retried"
sandbox_clear_faults

# ---- rate limit: said so, with the wait, not hammered
reset_log
sandbox_fault '{"match":"GET","kind":"ratelimit","times":-1,"regain_minutes":3}'
run as_a list
expect_rc 75 "list while rate limited: try again later (EX_TEMPFAIL), not 6"
expect_in "$ERR" "rate limit" "the error says rate limited"
expect_in "$ERR" "3 minutes" "the error says how long to wait"
# one request per cursor chain (role=OWNER and role=PARTNER go out together), neither retried
expect_eq "$(requests)" 2 "a rate limit that asks for minutes is not retried at once"
sandbox_clear_faults

# ---- expired token: what to do
run as_token "$TOKEN_EXPIRED" "$APP_A" list
expect_rc 4 "an expired token exits 4"
expect_in "$ERR" "expired" "the error says the token expired"
expect_in "$ERR" "new" "the error says to make a new token"
sandbox_fault '{"match":"GET","kind":"expired","times":1}'
run as_a show 900000000000001
expect_rc 4 "a token that expires mid-run exits 4"
sandbox_clear_faults

# ---- unreachable host
stop_sandbox
run as_a list
expect_rc 5 "nothing listening: network error"
expect_in "$ERR" "127.0.0.1" "the error names where it tried"

finish
