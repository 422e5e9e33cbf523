#!/usr/bin/env bash
# Batch and reach: an action takes several ids or - (ids on standard input) with one token
# read; each id gets its own write-ahead intent, at most one POST and its outcome; a refusal of
# one id lets the others act, a token failure stops the batch; -q leaves only errors and
# warnings on stderr; the actions `show` suggests keep the -p that was used.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"

# A profile whose token comes from a command that counts how often it runs.
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
COUNT=$TMP/token-reads
cat >"$TMP/token.sh" <<SH
#!/bin/sh
echo x >>"$COUNT"
echo "$TOKEN_A"
SH
chmod 700 "$TMP/token.sh"
cat >"$XDG_CONFIG_HOME/mpsdash/config" <<CONF
profiles = {
  lucky = {
    app_id = "$APP_A";
    graph_url = "$URL";
    token_command = "$TMP/token.sh";
  };
};
CONF
chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"
reads() { if [ -f "$COUNT" ]; then wc -l <"$COUNT" | tr -d ' '; else echo 0; fi; }
lucky() { run "$MPSDASH" -p lucky "$@"; }
# The status alone (solution_status gives STATUS/PENDING).
status_of() { local s; s=$(solution_status "$1"); echo "${s%%/*}"; }
audit_count() { # audit_count PHASE ID: records of that phase for that solution
    [ -f "$AUDIT" ] || { echo 0; return; }
    grep -F "\"solution_id\":\"$2\"" "$AUDIT" | grep -c "\"phase\":\"$1\""
}
audit_outcome() { # the outcome of the last record of an id
    grep -F "\"solution_id\":\"$1\"" "$AUDIT" | tail -n 1 |
        python3 -c 'import json,sys; print(json.load(sys.stdin).get("outcome"))'
}

# ---- several ids: each acted on, one token read, one intent and one outcome each
reset_log
lucky accept 900000000000001 900000000000005 --yes
expect_rc 0 "accept of two ids"
expect_eq "$(reads)" 1 "the token was read once for both"
expect_eq "$(requests POST /accept)" 2 "one POST per id"
expect_eq "$(status_of 900000000000001)" "ACTIVE" "the first is active"
expect_eq "$(status_of 900000000000005)" "ACTIVE" "the second is active"
expect_in "$ERR" "accept: 2 of 2 done" "a summary ends the output"
expect_eq "$(printf '%s\n' "$OUT" | grep -c 'is now Active')" 2 "each outcome is printed"
for id in 900000000000001 900000000000005; do
    expect_eq "$(audit_count intent $id)/$(audit_count outcome $id)" "1/1" \
        "$id: one write-ahead intent and one outcome"
done

# ---- - : ids on standard input, one token read
: >"$COUNT"
reset_log
printf '900000000000009\n  900000000000010\t\n' | "$MPSDASH" -p lucky accept - --yes \
    >"$TMP/stdin.out" 2>"$TMP/stdin.err"
RC=$?
expect_rc 0 "accept - with two ids on stdin"
expect_eq "$(reads)" 1 "ids from stdin: the token was read once"
expect_eq "$(requests POST /accept)" 2 "one POST per id from stdin"
expect_eq "$(status_of 900000000000009)" "ACTIVE" "the first id from stdin was accepted"
expect_eq "$(status_of 900000000000010)" "ACTIVE" "the second id from stdin was accepted"

# refused before anything is sent
reset_log
: >"$COUNT"
printf '900000000000011\n../me\n' | "$MPSDASH" -p lucky accept - --yes >/dev/null 2>"$TMP/bad.err"
RC=$?
expect_rc 2 "a word on stdin that is not an id is a usage error"
expect_in "$(cat "$TMP/bad.err")" "'../me' is not a Graph id" "the error names it"
expect_eq "$(requests)" 0 "nothing was sent for a bad id on stdin"
expect_eq "$(reads)" 0 "and no token was read"
head -c 200 /dev/zero | tr '\0' 7 | "$MPSDASH" -p lucky accept - --yes >/dev/null 2>"$TMP/long.err"
RC=$?
expect_rc 2 "a word longer than any id on stdin"
expect_in "$(cat "$TMP/long.err")" "longer than an id" "the error says so"
printf '900000000000011\n' | "$MPSDASH" -p lucky accept - >/dev/null 2>"$TMP/noyes.err"
RC=$?
expect_rc 2 "accept - without --yes is a usage error"
expect_in "$(cat "$TMP/noyes.err")" "pass --yes" "it says to pass --yes"
: | "$MPSDASH" -p lucky accept - --yes >/dev/null 2>"$TMP/empty.err"
RC=$?
expect_rc 2 "accept - with nothing on stdin"
expect_in "$(cat "$TMP/empty.err")" "no ids on standard input" "it says there were none"
seq 800000000000001 800000000010001 | "$MPSDASH" -p lucky accept - --yes \
    >/dev/null 2>"$TMP/many.err"
RC=$?
expect_rc 2 "more than 10,000 ids on stdin"
expect_in "$(cat "$TMP/many.err")" "more than 10000 ids" "the limit is named"
lucky accept 900000000000011 - --yes
expect_rc 2 "- with other ids is a usage error"
lucky accept 900000000000011 12x --yes
expect_rc 2 "a bad id among several: usage error"
expect_eq "$(requests)" 0 "still nothing sent"
expect_eq "$(reads)" 0 "still no token read"

# ---- an id given twice is acted on once: never a second POST
reset_log
printf '900000000000011 900000000000011\n900000000000011\n' |
    "$MPSDASH" -p lucky reject - --yes >"$TMP/dup.out" 2>"$TMP/dup.err"
RC=$?
expect_rc 0 "an id three times on stdin"
expect_eq "$(requests POST /reject)" 1 "one POST for it"
expect_in "$(cat "$TMP/dup.err")" "given more than once: each is acted on once" "the repeat is named"
expect_eq "$(status_of 900000000000011)" "REJECTED" "it was rejected"
expect_eq "$(audit_count intent 900000000000011)" 1 "one intent for it"

# ---- one bad id among good ones: the others act; each outcome; exit the first failure's
sandbox_mutate '{"id":"900000000000002","status":"INITIATED","status_for_pending_request":"PENDING_ACTIVATION"}'
sandbox_mutate '{"id":"900000000000010","status":"INITIATED","status_for_pending_request":"PENDING_ACTIVATION"}'
reset_log
lucky reject 900000000000002 900000000000006 900000000000099 900000000000010 --yes
expect_rc 6 "a batch with a refused and an unknown id: exit 6 (the first failure's)"
expect_eq "$(status_of 900000000000002)" "REJECTED" "the id before the failures was rejected"
expect_eq "$(status_of 900000000000010)" "REJECTED" "the id after the failures was rejected"
expect_eq "$(requests POST /reject)" 3 "one POST for each id that could be read, none for the unknown"
expect_eq "$(printf '%s\n' "$OUT" | grep -c 'is now Inactive')" 2 "both successes are printed"
expect_in "$ERR" "(#100) Solution is not pending" "the refusal is printed"
expect_in "$ERR" "reject 900000000000099: not sent, it could not be read" "the unknown id is named"
expect_in "$ERR" "reject: 2 of 4 done; failed: 900000000000006, 900000000000099" \
    "the summary names the failed ids"
expect_eq "$(audit_outcome 900000000000006)" "error" "the refused id: audited as an error"
expect_eq "$(audit_count intent 900000000000006)" 1 "the refused id had its intent first"
expect_eq "$(audit_outcome 900000000000099)" "not-sent" "the unknown id: audited as not sent"
expect_eq "$(audit_count intent 900000000000099)" 0 "no intent: nothing was about to be sent"
expect_eq "$(audit_outcome 900000000000010)" "ok" "the last id: audited as ok"

# ---- a token failure stops the batch
reset_log
run as_token "$TOKEN_EXPIRED" "$APP_A" accept 900000000000002 900000000000003 --yes
expect_rc 4 "an expired token: exit 4"
expect_eq "$(requests GET)" 1 "the second id was not tried"
expect_eq "$(requests POST)" 0 "nothing was posted"
expect_in "$ERR" "1 id not tried" "stderr says how many were not tried"

# ---- no answer to a POST, and the read-back finds it not made: never sent again, the batch
# stops (what lost that answer would lose the next), the rest not tried
sandbox_mutate '{"id":"900000000000001","status":"INITIATED","status_for_pending_request":"PENDING_ACTIVATION","partner_status":"NOTIFICATION_SENT"}'
sandbox_mutate '{"id":"900000000000005","status":"INITIATED","status_for_pending_request":"PENDING_ACTIVATION","partner_status":"NOTIFICATION_SENT"}'
sandbox_fault '{"match":"POST /accept","kind":"reset","times":1}'
reset_log
lucky accept 900000000000001 900000000000005 --yes
expect_nonzero "a batch whose first POST got no answer"
expect_eq "$(requests POST /accept)" 1 "that POST was not sent again and the second id was not tried"
expect_in "$ERR" "1 id not tried" "the rest is counted"
expect_eq "$(audit_count intent 900000000000001)/$(audit_count outcome 900000000000001)" "2/2" \
    "the unanswered POST is closed in the audit log"
expect_eq "$(audit_count intent 900000000000005)" 1 "no new intent for the id not tried"
sandbox_clear_faults

# ---- -q: no counts or summaries, errors stay
run as_a -q list
expect_rc 0 "-q list"
expect_eq "$ERR" "" "-q list: nothing on stderr"
expect_in "$OUT" "900000000000001" "-q list: the table is still printed"
run as_a --quiet reject-deactivation 900000000000006 --yes
expect_nonzero "--quiet with a refused action"
expect_in "$ERR" "mpsdash:" "--quiet: the error is still shown"
expect_not_in "$ERR" "owner gets" "--quiet --yes: the solution is not shown before"
run as_a list
expect_in "$ERR" "solutions" "without -q the count is there"
sandbox_mutate '{"id":"900000000000005","status":"INITIATED","status_for_pending_request":"PENDING_ACTIVATION","partner_status":"NOTIFICATION_SENT"}'
sandbox_mutate '{"id":"900000000000009","status":"INITIATED","status_for_pending_request":"PENDING_ACTIVATION","partner_status":"NOTIFICATION_SENT"}'
lucky -q accept 900000000000005 900000000000009 --yes
expect_rc 0 "-q accept of two ids"
expect_eq "$ERR" "" "-q batch: no summary on stderr"
expect_eq "$(printf '%s\n' "$OUT" | grep -c 'is now Active')" 2 "-q batch: the outcomes stay on stdout"

# ---- the actions show suggests keep -p
sandbox_mutate '{"id":"900000000000002","status":"INITIATED","status_for_pending_request":"PENDING_ACTIVATION","partner_status":"NOTIFICATION_SENT"}'
lucky show 900000000000002
expect_rc 0 "show with -p"
expect_in "$OUT" "mpsdash -p lucky accept 900000000000002" "the suggested command keeps -p"
MPSDASH_PROFILE=lucky run "$MPSDASH" show 900000000000002
expect_in "$OUT" "mpsdash -p lucky reject 900000000000002" "MPSDASH_PROFILE is kept as -p too"
run as_a show 900000000000002
expect_in "$OUT" "mpsdash accept 900000000000002" "without a profile: no -p"
expect_not_in "$OUT" "mpsdash -p" "without a profile: no -p anywhere"

finish
