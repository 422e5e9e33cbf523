#!/usr/bin/env bash
# An events file of 40,000 lines does not hold up the dashboard: its backlog is read and counted
# off the loop, and so is the inbox's count of it. The reads are held at their first chunk
# (tui/hold_reads.c, preloaded: a disk slow on demand), so what must not wait for them is seen
# to draw while they wait, with nothing timed: the list, the header saying "reading events", keys
# that work, the inbox's requests. Released, the counts arrive: the 170 onboardings of the week
# and 25 nonsense times (1e400, far future, negative...) skipped and counted, then a line appended
# later is followed live.
. "$MPSDASH_TESTS/tui/lib.sh"
. "$MPSDASH_TESTS/tui/views-lib.sh"

SHIM=${MPSDASH_HOLD_READS:-}
[ -n "$SHIM" ] && [ -f "$SHIM" ] || { echo "SKIP: the hold_reads module is not built"; exit 77; }
# Under a sanitizer its runtime must be first in the process; it then calls through the shim.
RUNTIME=$(ldd "$MPSDASH" | awk '$1 ~ /^lib[at]san\.so/ { print $3; exit }')
PRELOAD="${RUNTIME:+$RUNTIME:}$SHIM"

python3 "$MPSDASH_TESTS/fixtures/onboarding_events.py" "$EVENTS_FILE" --lines 40000 --nonsense 25
[ "$(wc -l <"$EVENTS_FILE")" -eq 40000 ] || fail "the generator did not write 40,000 lines"
RELEASE=$TUI_DIR/release REACHED=$TUI_DIR/reached

sandbox_start
views_config
TUI_ENV="LD_PRELOAD=$PRELOAD MPSDASH_HOLD_FILE=$EVENTS_FILE MPSDASH_HOLD_RELEASE=$RELEASE MPSDASH_HOLD_REACHED=$REACHED" \
    tui_start 170 45 -p shrub
wait_for "Lucky Shrub Orders"
[ -e "$REACHED" ] || fail "the events file was never read (the hold did not take)"
[ -e "$RELEASE" ] && fail "released too early"
screen_has "onboarded this week: reading events" ||
    fail "the header does not say the backlog is being read"
wait_for "All 42"
pass "the list of 42 draws while the backlog's first read is held"

keys E
wait_for "Reading events"
keys Escape
wait_for "All 42"
screen_has "onboarded this week: reading events" || fail "the backlog finished while held"
pass "keys work and the events view says it is reading, all while the read is held"

keys I
wait_for "Lucky Shrub (shrub): 17 pending of 42 solutions · onboarded this week: reading events"
wait_for "Social Overdrive (overdrive): 13 pending of 29 solutions · no events file"
pass "the inbox lists every profile's requests while the events file's count is held"

touch "$RELEASE"
TUI_DEADLINE=120 wait_for "Lucky Shrub (shrub): 17 pending of 42 solutions · onboarded this week: 170 / 200 (85%) - warning: close to the limit"
pass "released: the inbox counts 170 onboardings"
keys Escape
wait_for "All 42"
TUI_DEADLINE=120 wait_for "onboarded this week: 170 / 200"
screen_matches "^.•" && fail "backlog events marked solutions"
keys E
wait_for "39975 events from 40000 lines"
screen_has "25 with a nonsense time skipped" || fail "the nonsense times are not counted"
screen_matches "^> .*SOLUTION_UPDATED" || fail "the newest event is not on top"
pass "released: 170 onboardings this week, 39,975 events, 25 nonsense times skipped and counted"

# From here the file is followed: an appended delivery shows and marks its solution.
printf '{"object":"whatsapp_business_account","entry":[{"id":"506914307656634","time":%s,"changes":[{"field":"partner_solutions","value":{"event":"SOLUTION_UPDATED","solution_id":"440100000000019","solution_status":"AFTER_BACKLOG"}}]}]}\n' "$(date +%s)" >>"$EVENTS_FILE"
wait_for "AFTER_BACKLOG"
screen_has "39976 events from 40001 lines" || fail "the live line was not counted"
keys Escape
wait_match "^.•Lucky Shrub Delivery Updates "
pass "a line appended after the backlog is followed live"

# A burst of 20,000 lines, all in the file before the next read (held while it is appended):
# read a few chunks a tick, and the 4 solutions its updates name fetched once each when it is
# all in, not once per tick.
python3 "$MPSDASH_TESTS/fixtures/onboarding_events.py" "$TUI_DIR/burst" --lines 20000
keys E
wait_for "39976 events from 40001 lines"
declare -A gets
for id in 440100000000018 440100000000019 440100000000020 440100000000021; do
    gets[$id]=$(log_count '"method":"GET"' "\"path\":\"/v25.0/$id\"")
done
rm -f "$RELEASE"
cat "$TUI_DIR/burst" >>"$EVENTS_FILE"
touch "$RELEASE"
TUI_DEADLINE=120 wait_for "59976 events from 60001 lines"
for id in "${!gets[@]}"; do
    wait_until "a GET of $id" log_at_least $((gets[$id] + 1)) '"method":"GET"' "\"path\":\"/v25.0/$id\""
done
for id in "${!gets[@]}"; do
    n=$(log_count '"method":"GET"' "\"path\":\"/v25.0/$id\"")
    [ "$n" -eq $((gets[$id] + 1)) ] || fail "$id was fetched $((n - gets[$id])) times for one burst"
done
screen_has "onboarded this week: 170 / 200" || fail "redelivered onboardings were counted again"
keys Escape
wait_for "All 42"
pass "a burst of 20,000 lines is counted whole; each solution it changed is fetched once"

keys q
tui_expect_clean_exit
pass "the dashboard exits cleanly"
