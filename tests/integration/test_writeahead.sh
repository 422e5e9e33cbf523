#!/usr/bin/env bash
# Write-ahead audit: the intent of a change is in the audit log before the POST; a SIGHUP,
# SIGTERM or SIGINT while the answer is awaited closes the record as unknown and says so; after
# a SIGKILL (or any of those) the next start reads back what the server holds, appends it and
# tells the operator.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"
ACCEPT=900000000000009
REJECT=900000000000010

# The audit lines of one intent id, as "phase outcome" words, one per line.
phases_of() {
    python3 - "$AUDIT" "$1" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    if not l.strip():
        continue
    e = json.loads(l)
    if e.get("intent") == sys.argv[2]:
        print(e.get("phase"), e.get("outcome"))
PY
}
last_intent() {
    python3 -c '
import json,sys
ids=[json.loads(l).get("intent") for l in open(sys.argv[1]) if l.strip()]
print([i for i in ids if i][-1])' "$AUDIT"
}
field_of() { # field_of INTENT PHASE FIELD
    python3 - "$AUDIT" "$1" "$2" "$3" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("intent") == sys.argv[2] and e.get("phase") == sys.argv[3]:
        print(e.get(sys.argv[4]))
PY
}

# Starts an accept/reject whose POST hangs, waits until the sandbox holds the POST, then sends
# the signal. The CLI runs with SIGINT at its default (a background job would ignore it).
interrupt_post() { # interrupt_post SIGNAL VERB ID APPLY
    local sig=$1 verb=$2 id=$3 apply=$4
    reset_log
    sandbox_fault "{\"match\":\"POST /$verb\",\"kind\":\"hang\",\"times\":1,\"apply\":$apply}"
    OUT_FILE=$TMP/out.sig.$sig ERR_FILE=$TMP/err.sig.$sig
    MPSDASH_REQUEST_TIMEOUT_MS=60000 MPSDASH_TOKEN=$TOKEN_A python3 -c '
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$MPSDASH" --graph-url "$URL" --app-id "$APP_A" \
        --token-env MPSDASH_TOKEN "$verb" "$id" --yes </dev/null >"$OUT_FILE" 2>"$ERR_FILE" &
    local pid=$! deadline=$((SECONDS + 20))
    while ! grep -q "\"POST\",\"path\":\"[^\"]*/$verb\"" "$REQLOG" && [ $SECONDS -lt $deadline ]; do
        sleep 0.05
    done
    sleep 0.2
    kill -"$sig" "$pid"
    wait "$pid"
    RC=$?
    ERR=$(cat "$ERR_FILE")
    sandbox_clear_faults
}

for sig in HUP TERM INT; do
    interrupt_post $sig accept $ACCEPT false
    expect_eq "$RC" $((128 + $(kill -l $sig))) "SIG$sig ends the CLI as the signal would"
    expect_in "$ERR" "stopped by $sig" "SIG$sig: stderr says what stopped it"
    expect_in "$ERR" "records it as unknown" "SIG$sig: stderr says the record is unknown"
    id=$(last_intent)
    expect_eq "$(phases_of "$id" | tr '\n' ,)" "intent pending,interrupted unknown," \
        "SIG$sig: the intent before the POST, closed as unknown"
    expect_eq "$(field_of "$id" intent solution_id)" "$ACCEPT" "SIG$sig: the intent names the solution"

    # the next start reads the solution back and appends what the server holds (the same
    # for every signal: checked once)
    [ $sig = TERM ] || { run as_a list; continue; }
    reset_log
    run as_a list
    expect_rc 0 "SIG$sig: the next start runs its command"
    expect_in "$ERR" "left without an outcome (interrupted)" "SIG$sig: the operator is told"
    expect_in "$ERR" "the change was not made" "SIG$sig: and what the server holds"
    expect_eq "$(requests GET "/$ACCEPT")" 1 "SIG$sig: read back by one GET"
    expect_eq "$(phases_of "$id" | tail -n 1)" "reconciled unknown" "SIG$sig: the reconciliation is in the log"
    expect_in "$(field_of "$id" reconciled detail)" "holds Pending" "SIG$sig: with the state the server holds"
    run as_a list
    expect_not_in "$ERR" "without an outcome" "SIG$sig: a reconciled record is not read back again"
done

# ---- SIGKILL after the server applied the change: nothing could write the outcome
interrupt_post KILL reject $REJECT true
expect_eq "$RC" 137 "SIGKILL ends the CLI"
id=$(last_intent)
expect_eq "$(phases_of "$id" | tr '\n' ,)" "intent pending," "SIGKILL: the intent is in the log, open"
reset_log
run as_a show $ACCEPT
expect_rc 0 "after SIGKILL the next start runs its command"
expect_in "$ERR" "left without an outcome (the program was killed)" "SIGKILL: the operator is told"
expect_in "$ERR" "the change was made" "SIGKILL: the server applied it, and it says so"
expect_eq "$(phases_of "$id" | tail -n 1)" "reconciled unknown" "SIGKILL: reconciled in the log"
expect_in "$(field_of "$id" reconciled detail)" "holds Inactive" "SIGKILL: with the state the server holds"

# ---- a create killed in flight is looked for by name
reset_log
sandbox_fault '{"match":"POST /whatsapp_business_solution","kind":"hang","times":1,"apply":true}'
MPSDASH_REQUEST_TIMEOUT_MS=60000 MPSDASH_TOKEN=$TOKEN_A "$MPSDASH" --graph-url "$URL" \
    --app-id "$APP_A" --token-env MPSDASH_TOKEN create --name "Killed create" \
    --partner-app "$APP_B" --yes </dev/null >/dev/null 2>&1 &
pid=$!
deadline=$((SECONDS + 20))
while ! grep -q '"POST"' "$REQLOG" && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
sleep 0.2
kill -KILL $pid
wait $pid 2>/dev/null
sandbox_clear_faults
id=$(last_intent)
expect_eq "$(field_of "$id" intent detail)" "Killed create" "a create's intent holds its name"
run as_a list
expect_in "$ERR" "it was created" "the killed create is found by name at the next start"
expect_eq "$(phases_of "$id" | tail -n 1)" "reconciled unknown" "the killed create is reconciled"

# ---- an intent of another profile is left for that profile, and said so
python3 - "$AUDIT" <<'PY'
import json, sys
with open(sys.argv[1], "a") as f:
    f.write(json.dumps({"time": "2026-11-23T10:00:00Z", "profile": "other", "app_id": "1",
                        "solution_id": "5", "action": "accept", "outcome": "pending",
                        "fbtrace_id": None, "detail": None, "intent": "00000000000000aa",
                        "phase": "intent"}) + "\n")
PY
reset_log
run as_a list
expect_rc 0 "another profile's open record does not stop a command"
expect_in "$ERR" "other profiles" "the operator is told of other profiles' open records"
expect_eq "$(requests GET /5)" 0 "another profile's solution is not read with this token"

finish
