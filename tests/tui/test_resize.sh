#!/usr/bin/env bash
# Resizing re-lays out everything: 200x50 (detail right) -> 40x10 (too small) -> 100x30 (detail
# below) -> 20x5 -> 1x1 -> back, with the header first, the status line last and no crash.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 200 50
wait_for "Social OVD with Lucky Shrub"

last_line() { tui_screen | sed -n "$1p"; }
layout_ok() { # rows: header on row 1 (the app it names is never dropped), status line last
    local rows=$1
    tui_screen | sed -n 1p | grep -q "app Lucky Shrub (21202248997039)" || return 1
    last_line "$rows" | grep -qE "[0-9]+ of 42" || return 1
}

wait_until "the 200x50 layout" layout_ok 50
screen_matches "^  NAME .*│ " || fail "200x50: the detail pane is not right of the list"
pass "200x50: detail on the right, status line last"

tui_resize 40 10
wait_for "terminal too small (need 60x12)"
[ "$(tui_screen | grep -c .)" = 1 ] || fail "40x10: more than the one too-small line"
pass "40x10: the one too-small line"

tui_resize 100 30
wait_until "the 100x30 layout" layout_ok 30
screen_lacks "too small" || fail "100x30 still says too small"
screen_matches "^─{60,}" || fail "100x30: no rule above a detail pane below the list"
screen_lacks "│ id " || fail "100x30: the detail pane is still on the right"
pass "100x30: detail below the list, status line last"

tui_resize 20 5
wait_for "too small"
tui_resize 1 1
tui_resize 30 8 # the too-small line at 30x8 proves the 1x1 frame was survived
wait_for "terminal too small"
pane_dead && fail "the dashboard died at 1x1"
tui_resize 120 40
wait_until "the 120x40 layout" layout_ok 40
keys j
wait_for "2 of 42"
pass "20x5 and 1x1 survive; back at 120x40 the dashboard works"

# An overlay survives a resize too.
keys ?
wait_for "Help  (Esc"
tui_resize 80 24
wait_until "the 80x24 layout" layout_ok 24
screen_has "Help  (Esc" || fail "the help overlay was lost in the resize"
keys Escape
wait_gone "Help  (Esc"
keys q
tui_expect_clean_exit
pass "overlays are re-laid out"
