#!/usr/bin/env bash
# Keys: incremental search (jumps while typing, Esc restores, Enter keeps, n/N), sorting,
# remapping from the config (unknown names and mutating Ctrl keys reported, not bound), and the
# help generated from the live key table.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
cat >"$XDG_CONFIG_HOME/mpsdash/config" <<CFG
refresh_interval = 0;
keys = {
  accept = "e";
  refresh = [ "r", "F5" ];
  acept = "z";
  reject = "C-x";
};
CFG
chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"
tui_start 200 50
wait_for "Social OVD with Lucky Shrub"

wait_for "unknown request 'acept'"
keys ?
wait_for "Help  (Esc"
screen_matches "│ +e +accept the solution request" || fail "help does not show e for accept"
screen_matches "│ +r/F5 +reload the list now" || fail "help does not show the refresh keys"
screen_has "'C-x' is a control key: reject may not be bound to it" || fail "C-x for reject not refused"
keys Escape
wait_gone "Help  (Esc"
pass "remapped keys are in the help; bad bindings are reported"

select_id 795033096057724
keys a # unbound now
keys C-x # refused binding: must not reject
keys e
wait_for "Accept solution request"
keys n
wait_gone "Accept solution request"
# (every call that changes something is a POST to a versioned path; POST / is a batch of reads)
[ "$(requests_matching '"method":"POST","path":"/v')" = 0 ] || fail "a request was sent"
pass "e accepts (after remapping), a and C-x do nothing"

# Incremental search: the selection follows the typing; Esc puts it back.
keys g
wait_for "1 of 42"
keys /
type_text "Garden"
wait_match "^> Lucky Shrub Garden Alerts"
keys Escape
wait_for "1 of 42"
pass "search jumps while typing and Esc restores the selection"

keys /
type_text "overdrive"
keys Enter
# App names count: the first match has Social Overdrive as its partner app. A spec server
# (openapi) tells no partner apps: there the first solution Social Overdrive owns.
if dialect_is openapi; then wait_match "^> Lucky Shrub Onboarding"; else wait_match "^> Lucky Shrub 2023 Pilot"; fi
first=$(tui_screen | grep -oE '[0-9]+ of 42' | head -n 1)
keys n
wait_until "n to move to the next match" bash -c "! tmux -L $TUI_SOCK capture-pane -p -t mps | grep -q '$first'"
keys N
wait_for "$first"
pass "Enter keeps the search; n and N move between matches"

keys /
type_text "440100000000039"
keys Enter
wait_match "^> Caf.{1,3} Cr.{1,3}me Partners" # the accents may be combining marks
pass "search matches ids"

keys s
wait_for "sorted by state"
keys S
wait_for "sorted by state, reversed"
# Both the message and the position say it: the message of s must not keep naming the old order.
wait_until "S to say the order is reversed" \
    bash -c "[ \$(tmux -L $TUI_SOCK capture-pane -p -t mps | grep -o 'sorted by state, reversed' | wc -l) = 2 ]"
keys :
type_text "sort name"
keys Enter
wait_for "sorted by name"
wait_gone "sorted by state, reversed" # :sort says so too: no stale message
pass "s, S and :sort change the order"

# Over a view the status line does not offer the list's keys (they do nothing there, and q
# goes back instead of quitting).
keys Escape # the message of :sort would hide the hints
wait_until "the hints on the status line" bash -c \
    "tmux -L $TUI_SOCK capture-pane -p -t mps | tail -n 1 | grep -q '/ search'"
keys p
wait_for "Partners of"
wait_until "the list's hints to leave the status line" bash -c \
    "! tmux -L $TUI_SOCK capture-pane -p -t mps | tail -n 1 | grep -qE '/ search|q quit|f filter'"
tui_screen | tail -n 1 | grep -q '? help' || fail "the status line over a view does not name ? help"
keys Escape
wait_gone "Partners of"
tui_screen | tail -n 1 | grep -q '/ search' || fail "the list's hints did not come back"
pass "the status line names only the keys that work over a view"

# With no row selected, y says so instead of doing nothing.
keys :
type_text "role partner"
keys Enter
keys 5 # no Draft solution has the app as partner
wait_for "no Draft solutions"
status_says() { tui_screen | tail -n 1 | grep -qF -- "$1"; }
keys y
wait_until "y to say no solution is selected" status_says "no solution selected"
keys Escape
wait_until "the message to go" status_says "/ search"
keys 1
keys :
type_text "role all"
keys Enter
pass "y without a selection says so"

keys :
type_text "bogus"
keys Enter
wait_for "unknown command :bogus"
keys C-l
wait_for "sorted by name"
keys q
tui_expect_clean_exit
