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

# At 60 columns the chips still show, a long query cut (the tabs scroll: below).
tui_resize 60 40
keys '\'
type_text "Lucky Shrub Garden Alerts and more"
keys Enter
wait_until "the cut narrowing chip at 60 columns" bash -c \
    "tmux -L $TUI_SOCK capture-pane -p -t mps | sed -n 2p | grep -q ' narrow: Lucky S[^…]*…\$'"
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
# At 60 columns the tabs do not all fit beside the search: they scroll so that the tab in
# force is always on screen and highlighted, with "…" where tabs are left out.
# highlighted_on_tab_bar: the tab bar's runs of text drawn in another style than its start, one
# per line (the tab in force and the chips).
highlighted_on_tab_bar() {
    tmx capture-pane -p -e -t mps | sed -n 2p | python3 -c '
import re, sys
line = sys.stdin.read().rstrip("\n")
style, base, runs, cur = "", None, [], ""
for part in re.split(r"(\x1b\[[0-9;]*m)", line):
    if part.startswith("\x1b["):
        style = part if part in ("\x1b[0m", "\x1b[m") else style + part
        continue
    if not part:
        continue
    if base is None:
        base = style
    if style != base:
        runs.append(part.strip())
print("\n".join(r for r in runs if r))'
}
tab_highlighted() { highlighted_on_tab_bar | grep -qxF -- "$1"; }
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed (it reads the tab bar's styles)"; exit 77; }
tui_resize 60 20
for label in "Other 2" "Deact 4" "Inact 5" "Draft 2" "PDeact 5" "Act 12" "Pend 12" "All 42"; do
    keys F # the previous tab, from All round to Other
    wait_until "the $label tab highlighted at 60 columns" tab_highlighted "$label"
    tui_screen | sed -n 2p | grep -q '/795033' || fail "the search chip left at 60 columns with the $label tab"
done
keys F
wait_until "the Other tab highlighted again" tab_highlighted "Other 2"
tui_screen | sed -n 2p | grep -q '^ …' || fail "no mark says tabs are left out at 60 columns"
pass "at 60 columns the tabs scroll to keep the one in force highlighted, the search chip beside"
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
