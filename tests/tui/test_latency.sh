#!/usr/bin/env bash
# A slow API never blocks the screen: with 5 s on every request, help opens and j moves the
# selection while pages are still arriving; quitting with requests in flight is prompt and clean.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start --latency 5000 --solutions 300
tui_start 160 40
wait_for "loading solutions"
# Well inside the first 5 s: the keyboard is served before any answer.
TUI_DEADLINE=2
keys ?
wait_for "Help  (Esc"
keys Escape
wait_gone "Help  (Esc"
pass "help opens before the first answer"

TUI_DEADLINE=15
# the first page of each cursor chain (OWNER and PARTNER, 100 each) is in, two more are on
# their way
wait_for "1 of 200"
keys j
TUI_DEADLINE=2
wait_for "2 of 200"
selected=$(tui_screen | grep '^> ' | cut -c3-40)
keys ?
wait_for "Help  (Esc"
keys Escape
screen_lacks "All 342" || fail "the load finished too early for this test to mean anything"
pass "j and ? work while pages are still loading"

TUI_DEADLINE=30
wait_for "All 342"
tui_screen | grep -qF -- "> $selected" || fail "the selection did not survive the later pages"
pass "rows appear page by page and the selection stays"

# Quit with a reload in flight: cancel, join, free; no hang, no leak (ASan reports to stderr).
keys R
start=$SECONDS
keys q
TUI_DEADLINE=5
tui_expect_clean_exit
[ $((SECONDS - start)) -lt 4 ] || fail "quitting waited for the slow request"
pass "quit with requests in flight is prompt and clean"
