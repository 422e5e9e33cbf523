#!/usr/bin/env bash
# One deadline per command: a server that trickles its answer a byte at a time cannot hold a
# command for the per-attempt limit times every retry. --timeout and the timeout setting bound
# the whole command (re-check, POST and read-back together); a POST cut by it is never resent
# and its outcome is audited as unknown.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"

# elapsed_ms CMD...: runs it like run, and sets MS to the wall time it took.
timed() {
    local t0 t1
    t0=$(date +%s%N)
    run "$@"
    t1=$(date +%s%N)
    MS=$(((t1 - t0) / 1000000))
}
# expect_within MS DEADLINE_MS WHAT: the deadline plus what a command costs here anyway (BASE,
# measured: a sanitizer build on a busy machine takes seconds to start and exit) plus 1.5 s.
expect_within() {
    local limit=$(($2 + BASE + 1500))
    if [ "$1" -le "$limit" ]; then ok "$3 (${1} ms)"; else fail "$3" "took $1 ms, limit $limit ms"; fi
}

# ---- bad values are usage errors
run as_a --timeout 0 list
expect_rc 2 "--timeout 0 is refused"
run as_a --timeout soon list
expect_rc 2 "--timeout soon is refused"
printf 'timeout = 0;\n' >"$TMP/zero.conf"
run as_a -c "$TMP/zero.conf" list
expect_rc 3 "timeout = 0 in the config file is refused"
expect_in "$ERR" "timeout" "it names the setting"

# what one healthy command costs on this machine
timed as_a show 900000000000006
BASE=$MS

# ---- a trickling GET: every attempt would last its whole per-attempt limit (4 s here), five
# attempts in all (over 20 s); the command's deadline ends it all at 3 s
sandbox_fault '{"match":"GET","kind":"trickle","ms":200,"times":-1}'
export MPSDASH_REQUEST_TIMEOUT_MS=4000 MPSDASH_BACKOFF_MS=400 MPSDASH_MAX_RETRIES=4
timed as_a --timeout 3 show 900000000000006
expect_rc 5 "a trickling server: the command times out"
expect_in "$ERR" "no complete answer within the 3 s deadline" "it names the deadline"
expect_in "$ERR" "--timeout" "it says how to allow more time"
expect_within "$MS" 3000 "--timeout 3 ends the command in about 3 s"
sent=$(requests GET)
if [ "$sent" -le 3 ]; then ok "no attempt starts after the deadline ($sent GETs)"; else
    fail "no attempt starts after the deadline" "$sent GETs"; fi

# the same from the configuration file
printf 'timeout = 2;\n' >"$TMP/two.conf"
reset_log
timed as_a -c "$TMP/two.conf" show 900000000000006
expect_rc 5 "timeout = 2 in the config: the command times out"
expect_in "$ERR" "within the 2 s deadline" "the setting's deadline is named"
expect_within "$MS" 2000 "timeout = 2 ends the command in about 2 s"
# --timeout overrides the setting
timed as_a -c "$TMP/two.conf" --timeout 1 show 900000000000006
expect_in "$ERR" "within the 1 s deadline" "--timeout overrides the setting"
expect_within "$MS" 1000 "--timeout 1 ends the command in about 1 s"
sandbox_clear_faults

# ---- one deadline for the whole command: the re-check GET takes most of it, the POST the rest
reset_log
sandbox_fault '{"match":"GET","kind":"latency","ms":1500,"times":1}'
sandbox_fault '{"match":"POST","kind":"trickle","ms":300,"times":1}'
timed as_a --timeout 3 accept 900000000000001 --yes
expect_nonzero "an accept whose POST trickles past the deadline fails"
expect_within "$MS" 3000 "the re-check and the POST share the 3 s"
expect_eq "$(requests POST)" 1 "the POST was sent once, never again"
if grep '"action":"accept"' "$AUDIT" | grep -q '"outcome":"unknown"'; then
    ok "the accept is audited with an unknown outcome"
else
    fail "the accept is audited with an unknown outcome" "$(tail -n 3 "$AUDIT")"
fi
sandbox_clear_faults
unset MPSDASH_REQUEST_TIMEOUT_MS MPSDASH_BACKOFF_MS MPSDASH_MAX_RETRIES

# ---- a normal command is not hurried
timed as_a --timeout 30 list
expect_rc 0 "a healthy server answers well within the deadline"

finish
