#!/usr/bin/env bash
# The keys htop, less and vim users reach for: F3 search, F6 sort, F10 quit, Ctrl-D/Ctrl-U and
# Space to page, all from the remappable key table (and so in the help); / says how many rows
# match while typing and after; \ (also & and F4) narrows the list to the matching rows.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 200 30
wait_for "All 42"
wait_for "1 of 42"

keys C-d
wait_until "Ctrl-D to page down" screen_matches " [2-9][0-9]* of 42 "
keys C-u
wait_for "1 of 42"
keys Space
wait_until "Space to page down" screen_matches " [2-9][0-9]* of 42 "
keys g
wait_for "1 of 42"
pass "Ctrl-D, Ctrl-U and Space page"

keys F6
wait_for "sorted by state"
pass "F6 sorts"

keys F3
type_text "Garden"
keys Enter
wait_until "F3 to search" screen_matches "^> Lucky Shrub Garden Alerts"
pass "F3 searches"

# The match count, against what the CLI lists (a name word, in no app's name).
alerts=$("$MPSDASH" list --graph-url "$SANDBOX_URL" --app-id "$APP_A" \
    --token-env TOKEN_A 2>/dev/null | cut -f2 | grep -c Alerts)
[ "$alerts" -ge 2 ] || fail "the sandbox's seed has $alerts solutions named ...Alerts"
keys g
keys /
type_text "alerts"
wait_until "the count while typing" bash -c \
    "tmux -L $TUI_SOCK capture-pane -p -t mps | tail -n 1 | grep -q '^/alerts  1 of $alerts matches'"
keys Enter
wait_match " 1 of $alerts matches · [0-9]+ of 42 · sorted by state · /alerts"
keys n
wait_match " 2 of $alerts matches · [0-9]+ of 42 .*/alerts"
keys G # the last row (by state: Other) is none of them
wait_match " $alerts matches · 42 of 42 .*/alerts"
keys /
type_text "alertsx"
wait_until "no match said" bash -c \
    "tmux -L $TUI_SOCK capture-pane -p -t mps | tail -n 1 | grep -q '^/alertsx  (no match)'"
keys Escape
pass "/ shows the match count while typing and after"

# Narrowing: only the matching rows, the tabs counting them; Esc in the prompt puts the
# narrowing back as it was, Esc on the list shows every row again.
keys '\'
type_text "alerts"
wait_until "the rows shown while typing" bash -c \
    "tmux -L $TUI_SOCK capture-pane -p -t mps | tail -n 1 | grep -q '^narrow: alerts  $alerts rows shown'"
keys Enter
wait_for "All $alerts "
rows=$(tui_screen | grep -c '^[> ] .*Alerts ')
[ "$rows" = "$alerts" ] || fail "narrowed to alerts, the list shows $rows rows of them, not $alerts"
wait_match " of $alerts · sorted by"
keys F4
wait_until "F4 to edit the narrowing in force" bash -c \
    "tmux -L $TUI_SOCK capture-pane -p -t mps | tail -n 1 | grep -q '^narrow: alerts '"
type_text "zzz"
wait_for "no solutions match the narrowing"
keys Escape
wait_for "All $alerts "
wait_match " of $alerts · sorted by"
keys y # a passing notice does not take the Esc meant for the narrowing
wait_for "copied the solution id"
keys Escape
wait_for "All 42"
wait_match " of 42 · sorted by"
keys '&'
type_text "Overdrive Legacy"
keys Enter
wait_for "All 1 "
wait_match "^> Overdrive Legacy Alerts"
keys Escape
wait_for "All 42"
pass "\\, & and F4 narrow the list to the matching rows; Esc puts it back"

# Case folds beyond ASCII in the search, its count and the narrowing: CAFÉS finds "Cafés".
cafes=$(TOKEN_A=$TOKEN_A "$MPSDASH" list --graph-url "$SANDBOX_URL" --app-id "$APP_A" \
    --token-env TOKEN_A | cut -f2 | grep -c "Cafés")
[ "$cafes" -ge 1 ] || fail "the sandbox's seed has no solution named ...Cafés"
keys '\'
type_text "CAFÉS"
keys Enter
wait_for "All $cafes "
wait_match "^> .*Cafés"
keys Escape
wait_for "All 42"
keys /
type_text "CAFÉS"
wait_until "the count of an upper-case non-ASCII search" bash -c \
    "tmux -L $TUI_SOCK capture-pane -p -t mps | tail -n 1 | grep -q '^/CAFÉS  1 of $cafes match'"
keys Escape
pass "search and narrowing fold case beyond ASCII"

keys ?
wait_for "Help"
screen_has "F10" || fail "the help does not list F10"
screen_has "C-d" || fail "the help does not list C-d"
keys PageDown # the filter keys are below the first page
wait_until "the help to list the narrowing keys" screen_matches '\\/&/F4 +show only the matching rows'
keys Escape
wait_gone "Help  (Esc"

keys F10
tui_expect_clean_exit
pass "F10 quits"
