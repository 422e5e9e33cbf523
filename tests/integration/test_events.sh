#!/usr/bin/env bash
# The events command: webhook deliveries the sandbox writes for real changes, bad lines skipped
# and counted, the rolling-week onboarding counter with its warning, --json, and --follow
# picking up new lines until interrupted.
. "$(dirname "$0")/lib.sh"

EVENTS=$TMP/events.jsonl
start_sandbox --scenario "$IT_DIR/scenarios/transitions.json" --events-file "$EVENTS"

run as_a accept 900000000000001 --yes
expect_rc 0 "accept (writes a webhook delivery)"
deadline=$((SECONDS + 5))
while ! grep -q 900000000000001 "$EVENTS" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done

run "$MPSDASH" events --events-file "$EVENTS"
expect_rc 0 "events"
expect_in "$OUT" "partner_solutions" "the delivery's field is shown"
expect_in "$OUT" "SOLUTION_UPDATED" "the event is shown"
expect_in "$OUT" "900000000000001" "the solution is shown"
expect_in "$OUT" "ACTIVE" "the new status is shown"
expect_in "$ERR" "onboardings in the last 7 days: 0 of 200" "the onboarding counter is shown"

run "$MPSDASH" events --events-file "$TMP/none.jsonl"
expect_rc 3 "a missing events file is an error"
run "$MPSDASH" events
expect_rc 3 "no events file configured"
expect_in "$ERR" "--events-file" "it says how to name one"

# ---- onboardings against the limit, with bad lines mixed in
NOW=1795392000
export MPSDASH_NOW=$NOW
ONB=$TMP/onboard.jsonl
python3 - "$ONB" "$NOW" <<'EOF'
import json, sys
path, now = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    def delivery(t, waba, event="PARTNER_ADDED"):
        return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "506914307656634",
            "time": t, "changes": [{"field": "account_update", "value": {"event": event,
            "waba_info": {"waba_id": waba, "owner_business_id": "6143763655652543",
            "solution_id": "303610109049230",
            "solution_partner_business_ids": ["506914307656634", "116133292427920"]}}}]}]})
    for i in range(165):                       # inside the week
        f.write(delivery(now - 86400 - i, str(102290129340000 + i)) + "\n")
    for i in range(40):                        # older than 7 days: not counted
        f.write(delivery(now - 8 * 86400 - i, str(102290129350000 + i)) + "\n")
    f.write("not json\n")
    f.write('{"object":"page"}\n')
    # nonsense times: skipped and counted, never counted as onboardings (1e400 once counted
    # for ever, and overflowed the window's arithmetic)
    for i, t in enumerate(["1e400", "123456789012345678901234567890", str(now + 30 * 86400),
                           "-5", '"soon"', "1.5"]):
        line = delivery(0, str(102290129370000 + i)).replace('"time": 0', '"time": ' + t, 1)
        f.write(line + "\n")
    f.write(delivery(now - 3600, "102290129360000", "PARTNER_APP_INSTALLED") + "\n")
EOF
run "$MPSDASH" events --events-file "$ONB"
expect_rc 0 "events over onboardings"
expect_in "$ERR" "onboardings in the last 7 days: 166 of 200 (83%)" "only the last 7 days count"
expect_in "$ERR" "2 not a webhook delivery, 6 with a nonsense time: skipped" \
    "bad lines and nonsense times are counted"
expect_in "$ERR" "warning" "from 80% a warning"
rows=$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)
expect_eq "$rows" 206 "every event is listed"
MPSDASH_NOW=$((NOW + 7 * 86400 - 7200)) run "$MPSDASH" events --events-file "$ONB"
expect_in "$ERR" "onboardings in the last 7 days: 1 of 200" "a week later only the newest counts"
expect_not_in "$ERR" "warning" "and the warning is gone"

run "$MPSDASH" events --events-file "$ONB" --json
expect_rc 0 "events --json"
if python3 -c '
import json,sys
n=0
for l in open(sys.argv[1]):
    e=json.loads(l); n+=1
    assert e["field"]=="account_update" and e["waba_id"]
sys.exit(0 if n==206 else 1)' "$OUT_FILE"; then ok "events --json is one valid object per line"; else
    fail "events --json is one valid object per line"; fi

# ---- --follow: new lines appear, then an interrupt ends it cleanly
unset MPSDASH_NOW
FOLLOW=$TMP/follow.jsonl
: >"$FOLLOW"
"$MPSDASH" events --events-file "$FOLLOW" --follow </dev/null >"$TMP/follow.out" 2>"$TMP/follow.err" &
follow_pid=$!
sleep 0.3
printf '%s\n' '{"object":"whatsapp_business_account","entry":[{"id":"1","time":1718143652,"changes":[{"field":"partner_solutions","value":{"event":"SOLUTION_CREATED","solution_id":"774485461512159","solution_status":"INITIATED"}}]}]}' >>"$FOLLOW"
deadline=$((SECONDS + 10))
while ! grep -q 774485461512159 "$TMP/follow.out" && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
if grep -q 774485461512159 "$TMP/follow.out"; then ok "--follow shows a line appended later"; else
    fail "--follow shows a line appended later"; fi
# rotation: the file is replaced
mv "$FOLLOW" "$FOLLOW.1"
printf '%s\n' '{"object":"whatsapp_business_account","entry":[{"id":"1","time":1718143653,"changes":[{"field":"partner_solutions","value":{"event":"SOLUTION_UPDATED","solution_id":"303610109049230","solution_status":"ACTIVE"}}]}]}' >"$FOLLOW"
deadline=$((SECONDS + 10))
while ! grep -q 303610109049230 "$TMP/follow.out" && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
if grep -q 303610109049230 "$TMP/follow.out"; then ok "--follow continues after rotation"; else
    fail "--follow continues after rotation"; fi
kill -INT "$follow_pid"
wait "$follow_pid"
RC=$?
expect_rc 0 "--follow ends cleanly on SIGINT"
expect_in "$(cat "$TMP/follow.err")" "onboardings in the last 7 days" "and prints the summary"

finish
