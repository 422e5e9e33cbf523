#!/usr/bin/env bash
# JSON that is easy to query: one time format (RFC 3339, UTC) in every JSON output, unknown
# times as null, and --jq EXPR filtering a command's JSON through libjq (as gh --jq does),
# including the one-liners the manual gives.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"

# ---- times: events --json writes RFC 3339, not epoch seconds
EV=$TMP/events.jsonl
printf '%s\n' '{"object":"whatsapp_business_account","entry":[{"id":"1","time":1718143652,"changes":[{"field":"partner_solutions","value":{"event":"SOLUTION_CREATED","solution_id":"774485461512159","solution_status":"INITIATED"}}]}]}' >"$EV"
run "$MPSDASH" events --events-file "$EV" --json
expect_rc 0 "events --json"
expect_eq "$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["time"])' "$OUT_FILE")" \
    "2024-06-11T22:07:32Z" "events --json: the time is RFC 3339 in UTC"
run "$MPSDASH" events --events-file "$EV"
expect_in "$OUT" "2024-06-11T22:07:32Z" "the events table shows the same format"
expect_eq "$(printf '%s\n' "$OUT" | sed -n 2p | cut -f1,3)" "$(printf '2024-06-11T22:07:32Z\tSOLUTION_CREATED')" \
    "events into a pipe: whole values, tab-separated, as every table"

# ---- business-token --json: an expiry the server did not give is null, not 0
run as_a business-token 900000000000006 --business 6143763655652543 --json
expect_rc 0 "business-token --json"
expect_eq "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(repr(d["expires_at"]))' "$OUT_FILE")" \
    "None" "expires_at unknown is null"

# ---- --jq
run as_a list --jq '.[].id'
expect_rc 0 "list --jq"
want=$(as_a list --json </dev/null | python3 -c 'import json,sys; print("\n".join(s["id"] for s in json.load(sys.stdin)))')
expect_eq "$OUT" "$want" "--jq '.[].id' prints each id as text, one a line"
run as_a show 900000000000001 --jq '{id, name}'
expect_eq "$OUT" '{"id":"900000000000001","name":"Accept me"}' "a non-string result is compact JSON"
run as_a show 900000000000001 --jq '.name, .status'
expect_eq "$OUT" "$(printf 'Accept me\nINITIATED')" "every result of the expression is printed"

# the one-liners of mpsdash(1)
run as_a list --jq '.[] | select(.status_for_pending_request == "PENDING_ACTIVATION") | .id'
want=$(python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
print("\n".join(s["id"] for s in d["solutions"] if s.get("status_for_pending_request")=="PENDING_ACTIVATION"))' \
    "$IT_DIR/scenarios/transitions.json")
expect_eq "$OUT" "$want" "one-liner: ids of pending requests"
run as_a list --jq 'group_by(.status) | map({key: .[0].status, value: length}) | from_entries'
want=$(python3 -c '
import json,sys,collections
d=json.load(open(sys.argv[1]))
c=collections.Counter(s["status"] for s in d["solutions"])
print(json.dumps(dict(sorted(c.items())), separators=(",",":")))' "$IT_DIR/scenarios/transitions.json")
expect_eq "$OUT" "$want" "one-liner: count by state"

reset_log
run as_a list --jq '.[] | select('
expect_rc 2 "an expression that does not compile is a usage error"
expect_in "$ERR" "--jq:" "the error says it is the --jq expression"
expect_eq "$(requests)" 0 "nothing was sent for a bad expression"
run as_a list --jq 'error("stop here")'
expect_rc 1 "an error raised by the expression exits 1"
expect_in "$ERR" "stop here" "and shows the expression's message"
run "$MPSDASH" completion bash --jq .
expect_rc 2 "--jq with a command that has no JSON form is a usage error"
run as_a doctor --jq type
expect_eq "$RC $OUT" "0 object" "doctor's JSON form goes through --jq too"
run "$MPSDASH" events --events-file "$EV" --follow --jq .
expect_rc 2 "--jq with --follow is a usage error (the output never ends)"
run "$MPSDASH" events --events-file "$EV" --jq '.time'
expect_eq "$OUT" "2024-06-11T22:07:32Z" "--jq runs over each line of a JSON-lines output"

# hostile names: raw text out of --jq is made safe for the terminal
stop_sandbox
start_sandbox --hostile-names
run as_a list --jq '.[].name'
expect_rc 0 "list --jq over hostile names"
expect_terminal_safe "$OUT_FILE" "--jq text output holds no raw terminal controls"
run as_a list --jq '.[] | {name}'
expect_terminal_safe "$OUT_FILE" "--jq JSON output holds no raw terminal controls"

finish
