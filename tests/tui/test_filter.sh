#!/usr/bin/env bash
# The state tabs: counts match the data, and the Pending filter shows exactly the pending
# solutions (a scenario of our own, then the built-in dataset against `mpsdash list`).
. "$MPSDASH_TESTS/tui/lib.sh"

sol() { # id name status pending owner partner
    printf '{"id":"%s","name":"%s","status":"%s","status_for_pending_request":"%s",' "$1" "$2" "$3" "$4"
    printf '"owner_app":{"id":"%s"},"owner_permissions":["MANAGE"],' "$5"
    printf '"partners":{"data":[{"id":"9%s","partner_app":{"id":"%s"},"status":"ACCEPTED",' "$1" "$6"
    printf '"partner_permissions":["DEVELOP"]}]}}'
}
{
    printf '{"solutions":['
    sol 1001 "Pend Alpha" INITIATED PENDING_ACTIVATION $APP_B $APP_A; printf ,
    sol 1002 "Pend Bravo" PENDING PENDING_ACTIVATION $APP_A $APP_B; printf ,
    sol 1003 "Pend Charlie" INITIATED PENDING_ACTIVATION $APP_A $APP_B; printf ,
    sol 1004 "Act Delta" ACTIVE NONE $APP_A $APP_B; printf ,
    sol 1005 "Act Echo" ACTIVE NONE $APP_B $APP_A; printf ,
    sol 1006 "Deact Req Foxtrot" ACTIVE PENDING_DEACTIVATION $APP_A $APP_B; printf ,
    sol 1007 "Draft Golf" DRAFT NONE $APP_A $APP_B; printf ,
    sol 1008 "Rejected Hotel" REJECTED NONE $APP_A $APP_B; printf ,
    sol 1009 "Gone India" DEACTIVATED NONE $APP_B $APP_A; printf ,
    sol 1010 "Odd Juliet" UNDER_REVIEW NONE $APP_A $APP_B
    printf ']}'
} >"$TUI_DIR/scenario.json"

sandbox_start --scenario "$TUI_DIR/scenario.json"
tui_start 160 40
wait_for "Odd Juliet"

wait_for "All 10 │ Pending 3 │ Active 2 │ Pending deact. 1 │ Draft 1 │ Inactive 1 │ Deact. 1 │ Other 1"
pass "tab counts match the scenario"

keys 2 # the Pending tab
wait_gone "Act Delta"
for name in "Pend Alpha" "Pend Bravo" "Pend Charlie"; do
    screen_has "$name" || fail "pending solution $name is not listed"
done
for name in "Act Echo" "Deact Req Foxtrot" "Draft Golf" "Rejected Hotel" "Gone India" "Odd Juliet"; do
    screen_lacks "$name" || fail "$name is listed under Pending"
done
screen_has "1 of 3" || fail "the status line does not say 1 of 3"
pass "the Pending filter shows exactly the pending solutions"

# f cycles, Shift-Tab goes back, 1 shows all again; :filter takes a word.
keys f
wait_for "Act Echo"
screen_lacks "Pend Alpha" || fail "f did not move to Active"
keys BTab
wait_for "Pend Alpha"
keys :
type_text "filter other"
keys Enter
wait_for "Odd Juliet"
screen_lacks "Pend Alpha" || fail ":filter other shows more than Other"
keys 1
wait_for "Gone India"
pass "f, Shift-Tab, :filter and 1 move between tabs"
keys q
tui_expect_clean_exit

# --filter starts on a tab.
tmx kill-server
tui_start 160 40 --filter pending-deactivation
wait_for "Deact Req Foxtrot"
screen_lacks "Pend Alpha" || fail "--filter pending-deactivation shows Pending ones"
keys q
tui_expect_clean_exit
pass "--filter starts on a tab"

# The built-in dataset: every tab's count equals the CLI's list for that state.
kill "$TUI_SANDBOX_PID"; wait "$TUI_SANDBOX_PID" 2>/dev/null
tmx kill-server
sandbox_start
tui_start 200 50
wait_for "1 of "
wait_until "the load to finish" screen_matches "just now"
cli_count() {
    "$MPSDASH" --graph-url "$SANDBOX_URL" --app-id "$APP_A" --token-env TOKEN_A list --filter "$1" 2>/dev/null |
        tail -n +2 | grep -c .
}
tabs=$(tui_screen | sed -n 2p)
for pair in "Pending:pending" "Active:active" "Pending deact.:pending-deactivation" "Draft:draft" \
    "Inactive:inactive" "Deact.:deactivated"; do
    label=${pair%%:*}
    word=${pair#*:}
    want=$(cli_count "$word")
    echo "$tabs" | grep -qF -- "$label $want " || fail "tab '$label' does not say $want: $tabs"
done
pass "built-in dataset: tab counts equal mpsdash list --filter for each state"
keys 2
wait_for "1 of $(cli_count pending)"
keys q
tui_expect_clean_exit
