#!/usr/bin/env bash
# The inbox (I, :inbox) on the real binary: three sandbox apps as three profiles (one with an
# expired token) in one list, the failing one's error in its own row while the others are
# listed, each app's weekly onboarding counter with its warning from 80%; accepting another
# profile's request from the inbox sends exactly one POST, and every request about it goes out
# under that profile's token (the sandbox logs whose token each request carried), never under
# the dashboard's own; the same dialog, typed confirmation, audit line and read-only rule as the
# main list.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
EVENTS=$TUI_DIR/shrub-events.jsonl
# 170 onboardings of Lucky Shrub's customers in the last hour: 85% of the weekly 200.
python3 "$MPSDASH_TESTS/fixtures/onboarding_events.py" "$EVENTS"
CFG=$TUI_DIR/inbox.conf
write_config() {
    cat >"$CFG" <<CONF
$1
profiles = {
  shrub = { app_id = "$APP_A"; graph_url = "$SANDBOX_URL"; token_env = "TOKEN_A"; events_file = "$EVENTS"; };
  overdrive = { app_id = "$APP_B"; graph_url = "$SANDBOX_URL"; token_env = "TOKEN_B"; ${2:-} };
  stale = { app_id = "123456789012345"; graph_url = "$SANDBOX_URL"; token_env = "TOKEN_EXPIRED"; };
};
CONF
    chmod 600 "$CFG"
}
write_config ""

BREW=440100000000045   # Social Brew asks Social Overdrive: overdrive's to accept
RETURNS=440100000000021 # Lucky Shrub Returns: overdrive (the partner) answers the deactivation

# Requests about a solution, and those of them that did not carry Social Overdrive's token.
about() { requests_matching "\"path\":\"[^\"]*/$1[/\"]"; }
not_as_b() { grep -E "\"path\":\"[^\"]*/$1[/\"]" "$SANDBOX_LOG" | grep -vc "\"app_id\":\"$APP_B\"" || true; }
posts() { requests_matching "\"method\":\"POST\",\"path\":\"[^\"]*/$1[/\"]"; }

# The selected table row (the line starting with '>').
selected() { tui_screen | grep -E '^>' | head -n 1; }
# Selects profile $1's row of solution $2: from the first row, as many j as rows lie between
# (every row fits at 200x50), then waits for the selection to land there.
is_selected() { selected | grep -qE -- " $1 +$2 "; }
select_row() {
    keys g
    wait_until "the first row selected" sh -c "tmux -L '$TUI_SOCK' capture-pane -p -t mps | grep -A1 -E '^  APP ' | grep -q '^>'"
    local target cur n
    target=$(tui_screen | grep -nE -- "^[ >] .* $1 +$2 " | head -n 1 | cut -d: -f1)
    cur=$(tui_screen | grep -nE '^>' | head -n 1 | cut -d: -f1)
    [ -n "$target" ] && [ -n "$cur" ] || fail "no inbox row of $1 for $2"
    n=$((target - cur))
    [ "$n" -eq 0 ] || keys $(printf 'j %.0s' $(seq "$n"))
    wait_until "the row of $1 for $2 selected" is_selected "$1" "$2"
}

tui_start 200 50 -c "$CFG" -p shrub
wait_for "Social OVD with Lucky Shrub"
: >"$SANDBOX_LOG"
keys I
wait_for "Inbox"
wait_for "loaded in"
screen_has "Inbox · 3 profiles · 30 pending · 1 failed" || fail "the title does not count the profiles, requests and failures"
pass "I opens the inbox: 3 profiles, 30 pending, 1 failed"

# The failing profile has its error in its own row; the others are listed in full.
tui_screen | grep -E '^ +123456789012345 +stale ' | grep -q "token error:" ||
    fail "the failing profile has no row of its own with its error"
tui_screen | grep -E '^ +Social Overdrive +overdrive +440100000000045 ' | grep -q "accept, reject" ||
    fail "Social Overdrive's pending request is not listed with its actions"
tui_screen | grep -E '^ +Lucky Shrub +shrub +440100000000015 ' | grep -qF "(waits for the partner)" ||
    fail "an owner's request does not say it waits for the partner"
pass "a failing profile's error is in its own row while the other two are listed"

# Each app's line with its onboarding counter.
screen_has "Lucky Shrub (shrub): 17 pending of 42 solutions · onboarded this week: 170 / 200 (85%) - warning: close to the limit" ||
    fail "Lucky Shrub's line lacks its onboarding counter and warning"
screen_has "Social Overdrive (overdrive): 13 pending of 29 solutions · no events file" ||
    fail "Social Overdrive's line"
screen_has "123456789012345 (stale): token error" || fail "the failing profile's line"
pass "each app's line: requests, the weekly onboarding counter, the warning from 80%"

# Three lists at once, each under its own profile's token.
expect_lists() {
    python3 - "$SANDBOX_LOG" "$APP_A" "$APP_B" <<'EOF'
import json, sys
log, a, b = sys.argv[1:]
lists = [json.loads(l) for l in open(log) if "whatsapp_business_solutions" in l]
pairs = [(r["path"].split("/")[2], r.get("app_id") or "-") for r in lists]
assert sorted(set(pairs)) == sorted([(a, a), (b, b), ("123456789012345", "-")]), pairs
# One page each: a list is one request, or two where the server honours role= (one chain per
# role at once); never more.
for p in set(pairs):
    assert pairs.count(p) <= 2, pairs
EOF
}
expect_lists || fail "the three lists did not each go out under their own profile's token"
pass "each profile's list (one page, one request per role chain) under that profile's token"

# Accept Social Overdrive's request from the inbox while the dashboard is Lucky Shrub's.
select_row overdrive "$BREW"
: >"$SANDBOX_LOG"
keys a
wait_for "Accept solution request"
screen_has "Sent as     profile overdrive, app $APP_B" || fail "the dialog does not say whom it is sent as"
screen_has "Solution    Social Brew asks Social Overdrive" || fail "the dialog lacks the name"
screen_has "cannot be declined once accepted" || fail "the dialog lacks the warning"
keys n
wait_gone "Accept solution request"
[ "$(posts "$BREW")" = 0 ] || fail "cancelling sent a POST"
keys a
wait_for "Accept solution request"
keys y
wait_for "Accept solution request as overdrive: done"
wait_until "the row to turn Active" sh -c "tmux -L '$TUI_SOCK' capture-pane -p -t mps | grep -E '^>.*$BREW' | grep -q Active"
[ "$(posts "$BREW")" = 1 ] || fail "expected exactly one POST, the log has $(posts "$BREW")"
[ "$(requests_matching '"method":"POST"')" = 1 ] || fail "another POST was sent"
[ "$(about "$BREW")" -ge 2 ] || fail "no re-check before the POST"
[ "$(not_as_b "$BREW")" = 0 ] || fail "a request about it did not carry overdrive's token: $(grep "$BREW" "$SANDBOX_LOG")"
pass "a accepts as overdrive: one POST, re-check and read-back too, all under overdrive's token"

grep '"action":"accept"' "$AUDIT_LOG" | grep "$BREW" | grep '"profile":"overdrive"' |
    grep "\"app_id\":\"$APP_B\"" | grep -q '"outcome":"ok"' ||
    fail "the audit line does not record overdrive's accept: $(cat "$AUDIT_LOG")"
if grep -qE "$TOKEN_A|$TOKEN_B|$TOKEN_EXPIRED" "$AUDIT_LOG" "$SANDBOX_LOG"; then fail "a token reached a log"; fi
pass "the audit line names overdrive and its app, and no token"

# Lucky Shrub's own list is untouched by another app's solution.
keys Escape
wait_gone "Inbox ·"
wait_for "All 42"
if tui_screen | grep -qE '^[ >] Social Brew asks Social Overdrive'; then
    fail "another app's solution reached the main list"
fi
pass "the main list stays Lucky Shrub's"

# The main list asks for typed confirmation when the config says so: the inbox too.
keys q
wait_until "the dashboard to exit" pane_dead
tmx kill-server
write_config 'confirm = "typed";'
tui_start 200 50 -c "$CFG" -p shrub
wait_for "Social OVD with Lucky Shrub"
# Social Overdrive's list answers 3 s late (the first page of each role chain): the others are
# listed, and the failure shown, while it loads in its own row.
sandbox_ctl POST /__sandbox/fault '{"match":"GET /'"$APP_B"'/whatsapp_business_solutions","kind":"latency","ms":3000,"times":2}' >/dev/null
keys :
type_text "inbox"
keys Enter
wait_until "Lucky Shrub's rows while Social Overdrive loads" sh -c \
    "tmux -L '$TUI_SOCK' capture-pane -p -t mps | grep -E '^[ >] +Lucky Shrub +shrub +440100000000037 ' | grep -q 'accept, reject'"
tui_screen | grep -E '^ +Social Overdrive +overdrive ' >/dev/null && fail "overdrive's rows came before its list did"
tui_screen | grep -E '^ +637576208107267 +overdrive +- ' | grep -q "loading" ||
    tui_screen | grep -E '^ +[^ ].* overdrive +- ' | grep -q "loading" || fail "no loading row for the slow profile"
tui_screen | grep -E '^ +123456789012345 +stale ' | grep -q "token error:" || fail "no error row while another profile loads"
screen_has "Social Overdrive (overdrive)" && fail "the slow profile was named before its list came"
screen_has "(overdrive): loading" || fail "the slow profile's line does not say it is loading"
pass "while one profile loads, the others are listed and the failed one shows its error"
wait_for "loaded in"
# The role is the row's app's: Lucky Shrub asked for this deactivation and waits.
select_row shrub "$RETURNS"
keys X
wait_for "reject-deactivation is not offered"
screen_lacks "Reject deactivation request" || fail "a dialog opened for the app that waits"
select_row overdrive "$RETURNS"
: >"$SANDBOX_LOG"
keys X
wait_for "Reject deactivation request"
screen_has "Sent as     profile overdrive, app $APP_B" || fail "the deactivation dialog does not say whom it is sent as"
wait_for 'Type "0021" (id'"'"'s last digits) to confirm'
keys y
sleep 0.2
[ "$(requests_matching '"method":"POST"')" = 0 ] || fail "y sent without the typed confirmation"
keys C-u
type_text "0021"
keys Tab Enter
wait_for "Reject deactivation request as overdrive: done"
[ "$(posts "$RETURNS")" = 1 ] || fail "expected exactly one POST for the deactivation answer"
[ "$(not_as_b "$RETURNS")" = 0 ] || fail "the deactivation answer did not go out under overdrive's token"
pass ":inbox, typed confirmation, X rejects the deactivation as overdrive with one POST"
keys q q
tui_expect_clean_exit

# --readonly: the inbox lists but sends nothing.
tmx kill-server
tui_start 200 50 -c "$CFG" -p shrub --readonly
wait_for "Social OVD with Lucky Shrub"
keys I
wait_for "loaded in"
select_row overdrive 440100000000016
: >"$SANDBOX_LOG"
keys a
wait_for "read-only"
screen_lacks "Accept solution request" || fail "a dialog opened in read-only mode"
[ "$(requests_matching '"method":"POST"')" = 0 ] || fail "read-only sent a POST"
pass "--readonly: no dialog, nothing sent from the inbox"

# Enter: another profile's row says how to get there; one of the dashboard's own shows it.
keys Enter
wait_for ":profile overdrive switches to it"
select_row shrub 440100000000037
keys Enter
wait_for "id          440100000000037"
screen_lacks "Inbox ·" || fail "the inbox stayed open"
pass "Enter shows the dashboard's own request in the list"
keys q
tui_expect_clean_exit

# A profile's own readonly = true holds for its rows in the inbox, though the dashboard's profile
# may change things; --no-readonly lifts it, as on the command line.
write_config "" "readonly = true;"
for lift in "" --no-readonly; do
    tmx kill-server
    tui_start 200 50 -c "$CFG" -p shrub $lift
    wait_for "Social OVD with Lucky Shrub"
    keys I
    wait_for "loaded in"
    select_row overdrive 440100000000016
    : >"$SANDBOX_LOG"
    keys a
    if [ -z "$lift" ]; then
        wait_for "profile 'overdrive' says readonly = true"
        screen_lacks "Accept solution request" || fail "a dialog opened for a readonly profile's row"
    else
        wait_for "Accept solution request"
        keys Escape
        wait_gone "Accept solution request"
    fi
    [ "$(requests_matching '"method":"POST"')" = 0 ] || fail "a POST was sent"
    keys h # back to the list, then quit
    wait_gone "Inbox ·"
    keys q
    tui_expect_clean_exit
done
pass "a readonly profile's rows send nothing from the inbox; --no-readonly lifts it"
