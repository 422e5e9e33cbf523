#!/usr/bin/env bash
# mpsdash api: a raw Graph request with the profile's auth, redaction, limits, paging guard and
# trace; the token never goes to another host; a POST is gated, written ahead and sent once.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"

json_field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }

# ---- GET: fields in the query, the answer's JSON on one line
reset_log
run as_a api 900000000000001 -f fields=id,name,status
expect_rc 0 "api GET a solution"
expect_eq "$(printf '%s\n' "$OUT" | grep -c .)" 1 "one line"
expect_eq "$(json_field "$OUT" 'v["id"], v["name"], v["status"]')" "('900000000000001', 'Accept me', 'INITIATED')" \
    "the fields asked for"
expect_eq "$(requests GET /900000000000001)" 1 "one GET of that path"
expect_in "$(tail -n 1 "$REQLOG")" "v25.0" "the version was put in front"
run as_a api /v25.0/900000000000001 -f fields=id
expect_eq "$(json_field "$OUT" 'v["id"]')" 900000000000001 "a path with its own version"
run as_a api "$URL/v25.0/900000000000001?fields=id"
expect_rc 0 "an absolute URL under the graph URL"
expect_eq "$(json_field "$OUT" 'v["id"]')" 900000000000001 "is fetched"
run as_a api 999999999999999
expect_rc 6 "an unknown object: the server's refusal, exit 6"
expect_in "$ERR" "fbtrace_id" "with its fbtrace_id"

# ---- the token goes to the graph URL only
OTHER_LOG=$TMP/other.log
"$MPSDASH" sandbox --port 0 --port-file "$TMP/other.port" --request-log "$OTHER_LOG" \
    >"$TMP/other.out" 2>&1 &
OTHER_PID=$!
trap 'kill "$OTHER_PID" 2>/dev/null; cleanup' EXIT
for _ in $(seq 100); do [ -s "$TMP/other.port" ] && break; sleep 0.05; done
OTHER=http://127.0.0.1:$(cat "$TMP/other.port")
reset_log
for target in "$OTHER/v25.0/me" "http://localhost:$PORT/v25.0/me" "https://127.0.0.1:$PORT/v25.0/me" \
    "http://user:pw@127.0.0.1:$PORT/v25.0/me" "ftp://127.0.0.1:$PORT/me"; do
    run as_a api "$target"
    expect_rc 2 "refused: $target"
    expect_in "$ERR" "the token is sent nowhere else" "it says why ($target)"
done
expect_eq "$(cat "$OTHER_LOG" 2>/dev/null | grep -c .)" 0 "the other server got no request"
expect_eq "$(requests)" 0 "and the graph URL none either"
run as_a api "me?access_token=$TOKEN_A"
expect_rc 2 "access_token in the path"
expect_not_in "$ERR" "$TOKEN_A" "the refusal does not repeat the token"
run as_a api me -f access_token=x
expect_rc 2 "access_token as a field"
run as_a api me -f APPSECRET_PROOF=x
expect_rc 2 "appsecret_proof as a field, in any case"
run as_a api me -f novalue
expect_rc 2 "a field without ="
run as_a api me -X DELETE
expect_rc 2 "-X DELETE"
run as_a api me -X POST --paginate --yes
expect_rc 2 "--paginate with POST"
kill "$OTHER_PID" 2>/dev/null

# ---- redaction: a business token in the answer is masked, in the output and the trace
run as_a business-token 900000000000006 --business 6143763655652543 --reveal
biz_token=$OUT
run as_a api 900000000000006/access_token -f business_id=6143763655652543 --trace "$TMP/api.trace"
expect_rc 0 "api GET of a business token"
expect_not_in "$OUT" "$biz_token" "the business token is not printed"
expect_in "$OUT" "access_token" "the member is there, masked"
expect_not_in "$(cat "$TMP/api.trace")" "$biz_token" "nor written to the trace"
expect_not_in "$(cat "$TMP/api.trace")" "$TOKEN_A" "the trace holds no access token"
sandbox_fault '{"match":"GET","kind":"echo_token","times":1}'
run as_a api 900000000000001
expect_not_in "$OUT$ERR" "$TOKEN_A" "a server echoing the token: masked"
sandbox_clear_faults

# ---- --paginate: every page, one a line, through the paging guard
run as_a list --json
total=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$OUT_FILE")
run as_a api "$APP_A/whatsapp_business_solutions" -f limit=4 -f fields=id --paginate
expect_rc 0 "--paginate"
expect_eq "$(printf '%s\n' "$OUT" | grep -c .)" $(((total + 3) / 4)) "one line per page of 4"
expect_eq "$(printf '%s\n' "$OUT" | python3 -c '
import json, sys
print(sum(len(json.loads(l)["data"]) for l in sys.stdin if l.strip()))')" "$total" "every solution, once"
expect_in "$ERR" "pages" "the page count on stderr"
run as_a api "$APP_A/whatsapp_business_solutions" -f limit=4 --paginate --jq '.data[].id'
expect_eq "$(printf '%s\n' "$OUT" | grep -c .)" "$total" "--jq runs over each page"
sandbox_fault '{"match":"GET","kind":"cycle","times":-1}'
run as_a api "$APP_A/whatsapp_business_solutions" -f limit=4 --paginate
expect_rc 5 "a next link back to a page fetched: stopped by the paging guard (exit 5)"
expect_in "$ERR" "leads back to a page already fetched" "it says why"
expect_in "$ERR" "not the whole list" "and that what was written is incomplete"
sandbox_clear_faults

# ---- POST: gated, asked, written ahead, sent once
reset_log
run as_a api 900000000000002/reject -X POST
expect_rc 7 "a POST with standard input not a terminal and no --yes"
run as_a --readonly api 900000000000002/reject -X POST --yes
expect_rc 7 "a POST with --readonly"
expect_eq "$(requests POST)" 0 "neither was sent"
run as_a api 900000000000002/reject -X POST -f request_type=PARTNERSHIP_REQUEST --yes
expect_rc 0 "a POST with --yes"
expect_eq "$(requests POST /900000000000002/reject)" 1 "sent once"
expect_eq "$(solution_status 900000000000002)" "REJECTED/NONE" "and carried out"
expect_eq "$(grep '"action":"api"' "$AUDIT" | python3 -c '
import json, sys
print(" ".join("%s/%s" % (json.loads(l)["phase"], json.loads(l)["outcome"]) for l in sys.stdin))')" \
    "intent/pending outcome/ok" "written ahead, then its outcome"
expect_in "$(grep '"phase":"outcome"' "$AUDIT" | tail -n 1)" "POST 900000000000002/reject" "the detail names it"
expect_in "$(grep '"phase":"outcome"' "$AUDIT" | tail -n 1)" '"fbtrace_id":"SBX' "with the answer's fbtrace_id"
reset_log
sandbox_fault '{"match":"POST","kind":"reset","times":1}'
run as_a api 900000000000010/reject -X POST --yes
expect_rc 5 "a POST without an answer: exit 5"
expect_eq "$(requests POST)" 1 "it was not sent again"
expect_eq "$(grep '"action":"api"' "$AUDIT" | tail -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["outcome"])')" \
    unknown "audited as unknown"
sandbox_clear_faults
# killed while the answer is awaited: the next start closes the record, saying it cannot read
# a raw request back
sandbox_fault '{"match":"POST","kind":"hang","ms":8000,"times":1}'
reset_log
as_a api 900000000000011/reject -X POST --yes </dev/null >/dev/null 2>&1 &
pid=$!
deadline=$((SECONDS + 10))
while ! grep -q '"POST"' "$REQLOG" && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
sleep 0.2
kill -KILL $pid
wait $pid 2>/dev/null
sandbox_clear_faults
run as_a list
expect_in "$ERR" "cannot be read back" "the next start closes it: a raw request cannot be read back"
expect_eq "$(tail -n 1 "$AUDIT" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["action"], o["phase"])')" \
    "api reconciled" "and records that"

finish
