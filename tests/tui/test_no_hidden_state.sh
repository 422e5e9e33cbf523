#!/usr/bin/env bash
# No hidden state: the state filter is the highlighted tab; the role filter, the narrowing and
# the search are chips on the tab bar (and :role confirms); a search does not carry over to
# another profile.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
cat >"$XDG_CONFIG_HOME/mpsdash/config" <<CFG
default_profile = "shrub";
profiles = {
  shrub = { app_id = "$APP_A"; graph_url = "$SANDBOX_URL"; token_env = "TOKEN_A"; };
  overdrive = { app_id = "$APP_B"; graph_url = "$SANDBOX_URL"; token_env = "TOKEN_B"; };
};
CFG
chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"

tui_start 200 40 -p shrub
wait_for "All 42"
keys :
type_text "role owner"
keys Enter
wait_for "role filter: only solutions where this app is the owner"
tui_screen | sed -n 2p | grep -q "role: owner" || fail "no role chip on the tab bar"
keys :
type_text "role all"
keys Enter
wait_for "role filter off"
tui_screen | sed -n 2p | grep -q "role:" && fail "the role chip stayed after :role all"
pass ":role confirms and shows as a chip on the tab bar until turned off"

# Every filter and the search at once: each its chip, the narrowing's counted in the tabs.
tab_line() { tui_screen | sed -n 2p; }
keys :
type_text "role owner"
keys Enter
keys '\'
type_text "Brew"
keys Enter
keys /
type_text "old"
keys Enter
wait_until "the search in the status line" screen_matches "/old"
wait_until "the three chips on the tab bar" bash -c \
    "tmux -L $TUI_SOCK capture-pane -p -t mps | sed -n 2p | grep -q ' /old   narrow: Brew   role: owner\$'"
# The owner's solutions with Brew in a name (theirs or the other app's), as the CLI lists them.
brew=$("$MPSDASH" -p shrub list --role owner 2>/dev/null | cut -f2,5 | grep -ci brew)
tab_line | grep -q "All $brew " || fail "the tabs do not count the owner's $brew Brew solutions: $(tab_line)"
wait_gone "role filter: only" # Esc would put the notice away first
keys Escape
wait_until "Esc to clear the narrowing and its chip" bash -c \
    "! tmux -L $TUI_SOCK capture-pane -p -t mps | sed -n 2p | grep -q 'narrow:'"
tab_line | grep -q " /old" || fail "clearing the narrowing took the search's chip"
keys :
type_text "role all"
keys Enter
wait_for "role filter off"
pass "the narrowing and the search show as chips beside the role filter's"

# At 60 columns the chips still show, a long query cut.
tui_resize 60 40
keys '\'
type_text "Lucky Shrub Garden Alerts and more"
keys Enter
wait_until "the cut narrowing chip at 60 columns" bash -c \
    "tmux -L $TUI_SOCK capture-pane -p -t mps | sed -n 2p | grep -q ' narrow: Lucky Shrub Garden …\$'"
wait_gone "role filter off" # Esc would put the notice away first
keys Escape
wait_until "the chip gone" bash -c "! tmux -L $TUI_SOCK capture-pane -p -t mps | sed -n 2p | grep -q 'narrow:'"
# At 80 columns a long search (a whole id) is cut to the room the tabs leave: no tab hidden.
tui_resize 80 24
keys /
type_text "795033096057724"
keys Enter
wait_until "every tab and the cut search chip at 80 columns" bash -c \
    "tmux -L $TUI_SOCK capture-pane -p -t mps | sed -n 2p | grep -q 'Deact 4  Other 2 .* /795[0-9]*…\$'"
tui_resize 200 40
keys :
type_text "profile overdrive"
keys Enter
wait_for "overdrive · app Social Overdrive (637576208107267)"
wait_for "All"
screen_lacks "/Garden" || fail "the search carried over to another profile"
pass "a search does not carry over to another profile"
keys q
tui_expect_clean_exit
