#!/usr/bin/env bash
# POST outcomes: a 5xx (Graph error body or not) or 3xx answer to an accept may mean it was
# applied, so it is read back, audited "unknown" with what the read-back says, sent once, and
# no "try again" is offered before the read-back; {"success":"false"} (a string) and other
# non-boolean success values are not success either.
. "$(dirname "$0")/lib.sh"

ID=900000000000009

last_audit() {
    tail -n 1 "$AUDIT" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(e.get("outcome"), e.get("detail"))'
}

# outcome FAULT_JSON_WITHOUT_APPLY APPLY WHAT: one accept against a fresh sandbox with the fault.
outcome() {
    local fault=$1 apply=$2 what=$3
    start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"
    sandbox_fault "{\"match\":\"POST /accept\",\"times\":1,\"apply\":$apply,$fault}"
    reset_log
    run as_a accept $ID --yes
    expect_eq "$(requests POST /accept)" 1 "$what: the POST was sent once"
    expect_not_in "$ERR" "try again" "$what: no 'try again' before the read-back"
    expect_not_in "$ERR" "trying again" "$what: no 'trying again' either"
    if [ "$apply" = true ]; then
        expect_rc 0 "$what, applied"
        expect_in "$ERR" "the change was made" "$what: the read-back says it was made"
        expect_eq "$(last_audit)" "unknown answer lost; read back: applied" "$what: audited unknown, read back applied"
    else
        expect_rc 5 "$what, not applied"
        expect_in "$ERR" "not made" "$what: the read-back says it was not made"
        expect_eq "$(last_audit)" "unknown answer lost; read back: not applied" "$what: audited unknown, read back not applied"
        expect_eq "$(solution_status $ID)" "INITIATED/PENDING_ACTIVATION" "$what: unchanged"
    fi
    stop_sandbox
}

for apply in true false; do
    outcome '"kind":"status503"' $apply "503 with a transient Graph error"
    outcome '"kind":"answer","status":500,"body":"{\"error\":{\"message\":\"(#1) An unknown error occurred\",\"code\":1}}"' \
        $apply "500 with a Graph error"
    outcome '"kind":"answer","status":502,"body":"<html>Bad gateway</html>"' $apply "502 from a gateway"
    outcome '"kind":"answer","status":302,"body":""' $apply "302"
    outcome '"kind":"answer","status":200,"body":"{\"success\":\"false\"}"' $apply '{"success":"false"}'
    outcome '"kind":"answer","status":200,"body":"{\"success\":1}"' $apply '{"success":1}'
done

# An explicit false is the server's word: refused, nothing read back as unknown.
start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"
sandbox_fault '{"match":"POST /accept","kind":"answer","status":200,"body":"{\"success\":false}","times":1}'
run as_a accept $ID --yes
expect_rc 6 "success:false is a refusal"
expect_in "$ERR" "\"success\": false" "it says the server answered success: false"

finish
