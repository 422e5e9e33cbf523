#!/usr/bin/env bash
# Every legal transition through the CLI, every illegal one (wrong role, wrong state) answered by
# the server with its message and fbtrace_id and no change, the re-check before a POST, and the
# audit log of each mutating request.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"

# Audit records that close a mutation (the write-ahead intent line before each is not counted).
audit_lines() { [ -f "$AUDIT" ] && grep -vc '"phase":"intent"' "$AUDIT" || echo 0; }

# last_audit FIELD: a field of the audit log's last line.
last_audit() {
    tail -n 1 "$AUDIT" | python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("null" if v is None else v)' "$1"
}

legal() { # legal WHO ACTION ID WANT_STATUS WANT_LABEL
    local who=$1 action=$2 id=$3 want=$4 label=$5
    reset_log
    local before
    before=$(audit_lines)
    run "as_$who" "$action" "$id" --yes
    expect_rc 0 "$who may $action $id"
    expect_in "$OUT" "is now $label" "$action $id reports the new state"
    expect_eq "$(solution_status "$id")" "$want" "$action $id: the server holds $want"
    expect_eq "$(requests POST)" 1 "$action $id: exactly one POST"
    expect_eq "$(audit_lines)" $((before + 1)) "$action $id: one audit line"
    expect_eq "$(last_audit action)/$(last_audit outcome)/$(last_audit solution_id)" \
        "$action/ok/$id" "$action $id: audited as ok"
}

illegal() { # illegal WHO ACTION ID WHY
    local who=$1 action=$2 id=$3 why=$4
    local before_state before_audit
    before_state=$(solution_status "$id")
    before_audit=$(audit_lines)
    run "as_$who" "$action" "$id" --yes
    expect_nonzero "$who may not $action $id ($why)"
    if printf '%s' "$ERR" | grep -Eq 'fbtrace_id [A-Za-z0-9_-]+'; then
        ok "$action $id: the error shows the fbtrace_id"
    else
        fail "$action $id: the error shows the fbtrace_id"
    fi
    expect_in "$ERR" "(#" "$action $id: the error shows the server's message"
    expect_eq "$(solution_status "$id")" "$before_state" "$action $id: state unchanged"
    expect_eq "$(audit_lines)" $((before_audit + 1)) "$action $id: the refused request is audited"
    expect_eq "$(last_audit outcome)" "error" "$action $id: audited as an error"
    if [ "$(last_audit fbtrace_id)" != null ]; then ok "$action $id: audit keeps the fbtrace_id"; else
        fail "$action $id: audit keeps the fbtrace_id"; fi
}

# ---- legal
legal a accept 900000000000001 "ACTIVE/NONE" "Active"
legal a reject 900000000000002 "REJECTED/NONE" "Inactive"
legal a request-deactivation 900000000000003 "ACTIVE/PENDING_DEACTIVATION" "Pending deactivation"
legal b accept-deactivation 900000000000003 "DEACTIVATED/NONE" "Deactivated"
legal a request-deactivation 900000000000004 "ACTIVE/PENDING_DEACTIVATION" "Pending deactivation"
legal b reject-deactivation 900000000000004 "ACTIVE/NONE" "Active"

# ---- illegal: wrong role
illegal b accept 900000000000005 "the owner cannot accept its own request"
expect_not_in "$ERR" "generate a new token" "the owner's refused accept does not blame the token"
illegal b reject 900000000000005 "the owner cannot reject its own request"
illegal a request-deactivation 900000000000006 "only the owner asks for deactivation"
# A wrong-role refusal (#200) says who may act, not "grant a permission and make a new token".
expect_in "$ERR" "only the owner may request deactivation" "the partner's refusal says only the owner may ask"
expect_not_in "$ERR" "generate a new token" "a wrong-role refusal does not blame the token"
# ---- illegal: wrong state
illegal a accept 900000000000006 "already active"
illegal a reject 900000000000006 "already active"
illegal a request-deactivation 900000000000007 "a draft cannot be deactivated"
illegal a request-deactivation 900000000000008 "already deactivated"
illegal a accept-deactivation 900000000000004 "no deactivation is pending"
illegal b reject-deactivation 900000000000004 "no deactivation is pending"
illegal a accept 900000000000002 "rejected solutions cannot be accepted"
# ---- illegal: the party that asked for deactivation cannot answer its own request
legal a request-deactivation 900000000000004 "ACTIVE/PENDING_DEACTIVATION" "Pending deactivation"
illegal a accept-deactivation 900000000000004 "the requester cannot accept its own request"
illegal a reject-deactivation 900000000000004 "the requester cannot reject its own request"

# ---- JSON output of an action is the solution the server now holds
run as_b reject-deactivation 900000000000004 --yes --json
expect_rc 0 "reject-deactivation --json"
expect_json "$OUT_FILE" "an action's --json output is valid JSON"
st=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("id"), d.get("status"))' "$OUT_FILE")
expect_eq "$st" "900000000000004 ACTIVE" "the JSON is the solution after the change"

# ---- the re-check right before the POST: a change in between stops it
# The re-check is the GET after the one the confirmation was built from. A spec server (openapi)
# first refuses the partners{} field, one GET more, and has no partner permissions to show: there
# the owner's permissions change. The delay leaves a loaded machine time to change it.
if dialect_is openapi; then
    first_gets=2 changed_side=owner_permissions
else
    first_gets=1 changed_side=partner_permissions
fi
reset_log
sandbox_fault '{"match":"GET /900000000000011","kind":"latency","ms":5000,"skip":'$first_gets',"times":1}'
as_a accept 900000000000011 --yes </dev/null >"$TMP/changed.out" 2>"$TMP/changed.err" &
cli_pid=$!
deadline=$((SECONDS + 10))
while [ "$(requests GET /900000000000011)" -lt $first_gets ] && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
sandbox_mutate '{"id":"900000000000011","'$changed_side'":["MANAGE","MANAGE_BILLING"]}'
wait "$cli_pid"
RC=$?
ERR=$(cat "$TMP/changed.err")
expect_rc 7 "a solution changed between the confirmation and the POST is not accepted"
expect_in "$ERR" "changed" "the refusal says the solution changed"
expect_in "$ERR" "MANAGE_BILLING" "the refusal says what changed"
expect_eq "$(requests POST)" 0 "no POST was sent"
expect_eq "$(solution_status 900000000000011)" "INITIATED/PENDING_ACTIVATION" "still pending"
expect_eq "$(last_audit outcome)" "changed" "the audit log records the refusal"
sandbox_clear_faults

finish
