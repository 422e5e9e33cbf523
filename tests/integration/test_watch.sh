#!/usr/bin/env bash
# list --watch: one JSON line per change (present at the first reading, then new, changed,
# gone), --filter, a failed reading tried again without false "gone" lines, SIGTERM and SIGINT
# ending it at once with status 0, a token failure ending it with its status.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"

WATCH_PID=
stop_watch() { [ -n "$WATCH_PID" ] && kill -KILL "$WATCH_PID" 2>/dev/null; WATCH_PID=; }
trap 'stop_watch; cleanup' EXIT

# start_watch OUT ERR ARGS...: the watch in the background, as app A
start_watch() {
    local out=$1 err=$2
    shift 2
    # exec: $! is the program itself, so the signals below reach it
    (MPSDASH_TOKEN=$TOKEN_A exec "$MPSDASH" --graph-url "$URL" --app-id "$APP_A" \
        --token-env MPSDASH_TOKEN list --watch "$@" </dev/null >"$out" 2>"$err") &
    WATCH_PID=$!
}
# events FILE EVENT [ID]: lines of that event (for that id)
events() {
    python3 - "$@" <<'EOF'
import json, sys
path, event = sys.argv[1], sys.argv[2]
want = sys.argv[3] if len(sys.argv) > 3 else None
n = 0
for line in open(path, encoding="utf-8"):
    o = json.loads(line)
    if o["event"] == event and (want is None or o["id"] == want):
        n += 1
print(n)
EOF
}
# await_lines FILE N: waits (10 s at most) until FILE has N lines
await_lines() {
    local deadline=$((SECONDS + 10))
    while [ "$(cat "$1" 2>/dev/null | grep -c .)" -lt "$2" ] && [ $SECONDS -lt $deadline ]; do
        sleep 0.1
    done
}
# line_of FILE EVENT ID FIELD: a field of that event's line
line_of() {
    python3 - "$@" <<'EOF'
import json, sys
path, event, want, field = sys.argv[1:5]
for line in open(path, encoding="utf-8"):
    o = json.loads(line)
    if o["event"] == event and o["id"] == want:
        v = o.get(field)
        print("null" if v is None else v)
        break
EOF
}

run as_a list --json
total=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$OUT_FILE")

# ---- the first reading, then a change, a new solution and one gone
start_watch "$TMP/w.out" "$TMP/w.err" --interval 1
await_lines "$TMP/w.out" "$total"
expect_eq "$(events "$TMP/w.out" present)" "$total" "the first reading: every solution present"
if python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) >= {"time", "event", "id", "state", "solution"}, o
    assert o["solution"]["id"] == o["id"] and o["solution"]["mpsdash"]["state"] == o["state"]
' "$TMP/w.out"; then ok "each line is one JSON object with time, event, id, state, solution"; else
    fail "each line is one JSON object with time, event, id, state, solution"; fi

sandbox_mutate '{"id":"900000000000004","status_for_pending_request":"PENDING_DEACTIVATION","deactivation_requested_by":"637576208107267"}'
await_lines "$TMP/w.out" $((total + 1))
expect_eq "$(events "$TMP/w.out" changed 900000000000004)" 1 "a state change: one changed line"
expect_eq "$(line_of "$TMP/w.out" changed 900000000000004 previous_state)/$(line_of "$TMP/w.out" changed 900000000000004 state)" \
    "active/pending-deactivation" "it says from what to what"

run as_b create --name "Watched new" --partner-app "$APP_A" --owner-perm MESSAGING --yes
expect_rc 0 "a new solution is created (as the other app)"
await_lines "$TMP/w.out" $((total + 2))
expect_eq "$(events "$TMP/w.out" new)" 1 "the new solution: one new line"
expect_eq "$(python3 -c '
import json, sys
print([json.loads(l)["solution"].get("name") for l in open(sys.argv[1]) if json.loads(l)["event"] == "new"])
' "$TMP/w.out")" "['Watched new']" "it is the one created"

sandbox_mutate '{"id":"900000000000007","remove":true}'
await_lines "$TMP/w.out" $((total + 3))
expect_eq "$(events "$TMP/w.out" gone 900000000000007)" 1 "a solution no longer listed: one gone line"

# ---- a failed reading: said, tried again, nothing reported gone
sandbox_fault '{"match":"GET","kind":"status500","times":-1}'
deadline=$((SECONDS + 15))
while ! grep -q "this reading failed" "$TMP/w.err" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
expect_in "$(cat "$TMP/w.err")" "this reading failed" "a failed reading is said on stderr"
sandbox_clear_faults
sleep 2.5
kill -0 "$WATCH_PID" 2>/dev/null && ok "the watch goes on after a failed reading" ||
    fail "the watch goes on after a failed reading"
expect_eq "$(events "$TMP/w.out" gone)" 1 "no solution reported gone because a reading failed"
expect_eq "$(grep -c . "$TMP/w.out")" $((total + 3)) "and no other line: nothing changed"

# ---- SIGTERM ends it at once, status 0
start=$(date +%s%N)
kill -TERM "$WATCH_PID"
wait "$WATCH_PID"
rc=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
WATCH_PID=
expect_eq "$rc" 0 "SIGTERM: exit 0"
if [ "$elapsed_ms" -lt 1000 ]; then ok "SIGTERM ended it in ${elapsed_ms} ms"; else
    fail "SIGTERM ended it within a second" "took ${elapsed_ms} ms"; fi

# ---- SIGINT while a reading is under way (a slow server), --filter
sandbox_fault '{"match":"GET","kind":"latency","ms":3000,"times":-1}'
start_watch "$TMP/w2.out" "$TMP/w2.err" --interval 1 --filter pending
sleep 1
start=$(date +%s%N)
kill -INT "$WATCH_PID"
wait "$WATCH_PID"
rc=$?
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
WATCH_PID=
expect_eq "$rc" 0 "SIGINT during a reading: exit 0"
if [ "$elapsed_ms" -lt 1000 ]; then ok "SIGINT ended it in ${elapsed_ms} ms"; else
    fail "SIGINT ended it within a second" "took ${elapsed_ms} ms"; fi
sandbox_clear_faults

start_watch "$TMP/w3.out" "$TMP/w3.err" --interval 1 --filter pending
pending=$(as_a list --filter pending --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
await_lines "$TMP/w3.out" "$pending"
expect_eq "$(events "$TMP/w3.out" present)" "$pending" "--filter pending: only the pending ones at first"
sandbox_mutate '{"id":"900000000000002","status":"ACTIVE","status_for_pending_request":"NONE"}'
sandbox_mutate '{"id":"900000000000003","name":"Renamed, same state"}'
await_lines "$TMP/w3.out" $((pending + 1))
sleep 2.5
expect_eq "$(events "$TMP/w3.out" changed 900000000000002)" 1 "a change out of pending is written"
expect_eq "$(grep -c . "$TMP/w3.out")" $((pending + 1)) "nothing else (a rename is no state change)"
kill -TERM "$WATCH_PID"
wait "$WATCH_PID"
WATCH_PID=

# ---- a token failure ends it with the token's status
run as_token "$TOKEN_EXPIRED" "$APP_A" list --watch --interval 1
expect_rc 4 "an expired token ends the watch: exit 4"

# ---- what does not go with it
run as_a list --interval 5
expect_rc 2 "--interval without --watch"
run as_a list --watch --jq '.id'
expect_rc 2 "--watch with --jq"
expect_in "$ERR" "pipe it into jq" "it says what to do instead"

finish
