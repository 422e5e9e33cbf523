#!/usr/bin/env bash
# Emoji joined with U+200D are drawn as the terminal draws them. The dashboard asks its terminal
# how wide a joined family is: where it is one glyph (tmux 3.3 and later, kitty, WezTerm), the
# joiners are kept and the columns counted are the glyph's; where it is not, the parts are drawn
# apart in the columns they take. emoji_joiners = "split" / "joined" says it without asking.
# Either way every row's columns line up as the terminal shows them.
. "$MPSDASH_TESTS/tui/lib.sh"

ZWJ=$'\u200D'
MAN=$'\U0001F468' WOMAN=$'\U0001F469' GIRL=$'\U0001F467' BOY=$'\U0001F466'
NAME="$MAN$ZWJ$WOMAN$ZWJ$GIRL$ZWJ$BOY family emoji ZWJ" # in the sandbox's --hostile-names set

sandbox_start --hostile-names

# The detail pane's bar on the family's row and on a plain row: at the same terminal column.
check_aligned() {
    local screen family plain
    screen=$(tui_screen)
    family=$(grep -F 'family emoji ZWJ' <<<"$screen" | grep -v '│ .*family' | head -n 1)
    plain=$(grep -F 'Overdrive Flash Sales' <<<"$screen" | head -n 1)
    [ -n "$family" ] && [ -n "$plain" ] || fail "the family's row or a plain row is not on screen"
    local fcol pcol
    fcol=$(term_columns "${family%│*}")
    pcol=$(term_columns "${plain%│*}")
    [ "$fcol" = "$pcol" ] || fail "$1: the detail bar is at column $fcol on the family's row, $pcol on others"
}

open_family() {
    wait_for "Overdrive Flash Sales"
    keys /
    type_text "family"
    keys Enter
    wait_match "^> .*family emoji ZWJ"
}

# --- auto: ask the terminal ----------------------------------------------------------------
tui_start 200 50
joined_cols=$(term_columns "$MAN$ZWJ$WOMAN$ZWJ$GIRL")
open_family
check_aligned "asked the terminal"
row=$(tui_screen | grep -E '^> .*family emoji ZWJ')
if [ "$joined_cols" = 2 ]; then
    # What the terminal itself keeps of the whole name is what the row shows: the joiners are
    # sent, the family whole (not cut at a curses cell's five code points).
    shown=$(term_shows "$NAME")
    [[ $row == *"$shown"* ]] || fail "the family is not drawn as the terminal draws it: want '$shown' in '$row'"
    [[ $row == *"$MAN$ZWJ$WOMAN"* ]] || fail "the joiners were left out on a terminal that joins"
    pass "a terminal that joins emoji (a family in $joined_cols columns) gets the joined family, columns aligned"
else
    [[ $row == *"$MAN$WOMAN$GIRL$BOY family"* ]] || fail "the parts are not drawn apart on a terminal that does not join"
    pass "a terminal that does not join emoji ($joined_cols columns) gets the parts, columns aligned"
fi
# The question left nothing behind: the header is the first line.
tui_screen | head -n 1 | grep -q "mpsdash" || fail "the terminal's answer or the probe is on screen"
keys q
tui_expect_clean_exit
tmx kill-server

# --- split: the parts apart, whatever the terminal -------------------------------------------
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
printf 'emoji_joiners = "split";\n' >"$XDG_CONFIG_HOME/mpsdash/config"
chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"
tui_start 200 50
open_family
screen_has "$MAN$WOMAN$GIRL$BOY family emoji ZWJ" || fail "split: the parts are not drawn apart"
screen_lacks "$MAN$ZWJ" || fail "split: a joiner was sent"
check_aligned "split"
pass "emoji_joiners = \"split\" draws the parts apart, columns aligned"
keys q
tui_expect_clean_exit
tmx kill-server

# --- joined, told: the same as a terminal that joins ------------------------------------------
if [ "$joined_cols" = 2 ]; then
    printf 'emoji_joiners = "joined";\n' >"$XDG_CONFIG_HOME/mpsdash/config"
    tui_start 200 50
    open_family
    screen_has "$MAN$ZWJ$WOMAN" || fail "joined: the joiners were left out"
    check_aligned "joined"
    # Scrolled away and back, covered by a dialog and uncovered: still whole, still aligned.
    keys '?'
    wait_for "Help  (Esc"
    keys Escape
    wait_match "^> .*family emoji ZWJ"
    [[ $(tui_screen | grep -E '^> .*family') == *"$(term_shows "$NAME")"* ]] ||
        fail "joined: the family is not whole after the help was closed"
    check_aligned "joined, after the help"
    pass "emoji_joiners = \"joined\" keeps the family whole, also after an overlay"
    keys q
    tui_expect_clean_exit
fi

# --- the command line's table on a terminal: the parts, aligned on any terminal --------------
tmx kill-server 2>/dev/null
tmx -f /dev/null new-session -d -s cli -x 200 -y 60 \
    "$(printf '%q ' "$MPSDASH" list --graph-url "$SANDBOX_URL" --app-id "$APP_A" --token-env TOKEN_A); exec sleep 60"
wait_until "the table in the terminal" bash -c "tmux -L $TUI_SOCK capture-pane -p -t cli | grep -q 'family emoji ZWJ'"
table=$(tmx capture-pane -p -t cli)
family=$(grep -F 'family emoji ZWJ' <<<"$table")
plain=$(grep -F 'Overdrive Flash Sales' <<<"$table")
[[ $family == *"$MAN$WOMAN$GIRL$BOY family"* ]] || fail "list on a terminal: not the parts: '$family'"
fcol=$(term_columns "${family%%Pending*}")
pcol=$(term_columns "${plain%%Active*}")
[ "$fcol" = "$pcol" ] || fail "list on a terminal: STATE at column $fcol on the family's row, $pcol on others"
# Into a pipe the name is whole, joiners and all: it is data.
"$MPSDASH" list --graph-url "$SANDBOX_URL" --app-id "$APP_A" --token-env TOKEN_A 2>/dev/null | grep -qF "$NAME" ||
    fail "list into a pipe changed the name"
pass "list's table on a terminal draws the parts, aligned; into a pipe the name is whole"
