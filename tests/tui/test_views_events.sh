#!/usr/bin/env bash
# The events view (E) tails the profile's events file: appended deliveries show within 2 s,
# the solutions they touch are marked (•) and fetched again, onboardings count against the
# weekly limit (warning colour from 80%), 1,000 garbage lines are counted and skipped, and a
# truncated or rotated file is read again from its start; none of it stops the dashboard.
. "$MPSDASH_TESTS/tui/lib.sh"
. "$MPSDASH_TESTS/tui/views-lib.sh"

now=$(date +%s)
onboarding() { # TIME WABA: a PARTNER_ADDED delivery through Lucky Shrub Onboarding
    printf '{"object":"whatsapp_business_account","entry":[{"id":"506914307656634","time":%s,"changes":[{"field":"account_update","value":{"event":"PARTNER_ADDED","waba_info":{"waba_id":"%s","owner_business_id":"61437636%s","solution_id":"303610109049230","solution_partner_business_ids":["506914307656634","520744086200222"]}}}]}]}\n' "$1" "$2" "${2: -8}"
}
updated() { # SOLUTION_ID STATUS: a partner_solutions delivery
    printf '{"object":"whatsapp_business_account","entry":[{"id":"506914307656634","time":%s,"changes":[{"field":"partner_solutions","value":{"event":"SOLUTION_UPDATED","solution_id":"%s","solution_status":"%s"}}]}]}\n' "$now" "$1" "$2"
}
# The SGR parameters in force where text starts on the screen: the run of escape sequences
# tmux writes just before it, as "1;33;49".
sgr_before() {
    tmx capture-pane -e -p -t mps | grep -F -- "$1" | head -n 1 | awk -v t="$1" '{
        s = substr($0, 1, index($0, t) - 1); out = ""
        while (match(s, /\033\[[0-9;]*m$/)) {
            seq = substr(s, RSTART + 2, RLENGTH - 3); out = seq (out == "" ? "" : ";") out
            s = substr(s, 1, RSTART - 1)
        }
        print out }'
}
has_param() { case ";$1;" in *";$2;"*) return 0 ;; esac; return 1; }

# The backlog: one onboarding 8 days ago (out of the window) and one yesterday.
onboarding $((now - 8 * 86400)) 102300000000101 >"$EVENTS_FILE"
onboarding $((now - 86400)) 102300000000102 >>"$EVENTS_FILE"

sandbox_start --events-file "$EVENTS_FILE"
views_config
tui_start 170 45 -p shrub
wait_for "Lucky Shrub Orders"
wait_for "onboarded this week: 1 / 200"
screen_matches "^.•" && fail "backlog events marked solutions"
keys E
wait_for "2 events from 2 lines"
screen_has "WABA 102300000000102 via Lucky Shrub Onboarding (303610109049230)" ||
    fail "the onboarding's WABA and solution are not shown"
screen_has "customer 6143763600000102" || fail "the onboarded customer is not shown"
pass "the backlog is read: events shown, one onboarding in the rolling week"

# Its details: every value in one column after the widest label ("partner businesses"), at this
# size and at 80x24.
value_col() { # LABEL: the column, inside the box, where that label's value starts
    local line rest spaces
    line=$(tui_screen | grep -F "│ $1 " | head -n 1)
    [ -n "$line" ] || { echo "none"; return; }
    line=${line#*│ }
    rest=${line#"$1"}
    spaces=${rest%%[! ]*}
    echo $((${#1} + ${#spaces}))
}
details_aligned() {
    local want got label
    want=$(value_col "partner businesses")
    [ "$want" = 19 ] || fail "partner businesses: its value starts at $want, not after one space"
    for label in time business field event solution "solution status" WABA "customer business"; do
        got=$(value_col "$label")
        [ "$got" = "$want" ] || fail "$1: the value of \"$label\" starts at $got, the others at $want"
    done
}
keys Enter
wait_for "partner businesses 506914307656634, 520744086200222"
details_aligned "170x45"
tui_resize 80 24
wait_until "the box at 80 columns (76 wide)" screen_matches "┌─ Event ─{66}┐"
details_aligned "80x24"
keys Escape
tui_resize 170 45
wait_gone "partner businesses"
pass "an event's details: labels and values in two columns at 170x45 and 80x24"

# A live delivery shows within 2 s, marks the solution and fetches it again.
gets_before=$(log_count '"method":"GET"' '"path":"/v25.0/440100000000018"')
updated 440100000000018 DEACTIVATED >>"$EVENTS_FILE"
TUI_DEADLINE=2 wait_for "Lucky Shrub Orders (440100000000018)"
screen_has "3 events from 3 lines" || fail "the summary did not count the new line"
screen_matches "^> .*SOLUTION_UPDATED +Lucky Shrub Orders" || fail "the newest event is not on top"
wait_until "a GET of the touched solution" \
    log_at_least $((gets_before + 1)) '"method":"GET"' '"path":"/v25.0/440100000000018"'
keys Escape
wait_for "All 42"
wait_match "^.•Lucky Shrub Orders "
pass "an appended line shows within 2 s; its solution is marked and fetched again"

# The sandbox's own deliveries: a state change there comes back through the file.
sandbox_ctl POST /__sandbox/mutate '{"id":"440100000000019","status":"DEACTIVATED"}' >/dev/null
wait_match "^.•Lucky Shrub Delivery Updates +Deact"
pass "a sandbox change reaches the list through the events file"

# Onboardings from 80% of the limit: the count in the warning colour.
calm=$(sgr_before "onboarded this week: 1 / 200")
for i in $(seq 200 358); do onboarding "$now" "102300000000$i"; done >>"$EVENTS_FILE"
wait_for "onboarded this week: 160 / 200"
warm=$(sgr_before "onboarded this week: 160 / 200")
[ "$calm" != "$warm" ] || fail "the count at 80% is drawn like the count at 0% (SGR $calm)"
# The default theme's warning style is red (31) on the terminal's background.
has_param "$warm" 31 || fail "the count at 80% is not in the warning colour (SGR $warm)"
has_param "$calm" 31 && fail "the count at 0% is in the warning colour (SGR $calm)"
pass "onboarded this week: 160 / 200 in the warning colour (SGR '$warm', was '$calm')"

# 1,000 lines of garbage, terminal escapes among them: counted, skipped, never fatal.
keys E
wait_for "events from"
for i in $(seq 1 1000); do printf 'garbage %d \033[2J\033]0;pwned\007 {"object":\n' "$i"; done >>"$EVENTS_FILE"
wait_for "1000 bad lines skipped"
screen_lacks "pwned" || fail "garbage reached the screen"
updated 440100000000020 AFTER_GARBAGE >>"$EVENTS_FILE"
TUI_DEADLINE=2 wait_for "AFTER_GARBAGE"
pass "1,000 garbage lines are counted and skipped, later lines still arrive"

# Truncated in place: read again from the start.
: >"$EVENTS_FILE"
updated 440100000000021 AFTER_TRUNCATE >>"$EVENTS_FILE"
TUI_DEADLINE=2 wait_for "AFTER_TRUNCATE"
# Rotated (a new file under the same name).
mv "$EVENTS_FILE" "$EVENTS_FILE.1"
updated 440100000000022 AFTER_ROTATE >"$EVENTS_FILE"
TUI_DEADLINE=2 wait_for "AFTER_ROTATE"
pass "a truncated and a rotated file are followed"

keys Enter
wait_for "solution status    AFTER_ROTATE"
keys Escape
wait_gone "solution status"
keys q
wait_for "All 42"
keys q
tui_expect_clean_exit
pass "the dashboard exits cleanly after it all"
