#!/usr/bin/env bash
# Hostile solution names (escape sequences, C1 controls, bidi overrides, bad UTF-8, CJK, emoji):
# nothing reaches the terminal as a control, and the columns stay aligned.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start --hostile-names
# Typed confirmations (checked at the end): the word to type must be one a terminal can type.
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
printf 'confirm = "typed";\n' >"$XDG_CONFIG_HOME/mpsdash/config"
chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"
tui_start 200 50
wait_for "Bidi �txet desrever"
keys G # names starting with U+FFFD sort last
wait_for "Screen wiper"

title=$(tmx display-message -p -t mps '#{pane_title}')
[ "$title" != pwned ] || fail "an OSC in a name set the terminal title"
screen_has "[2J" || fail "the wiper's escape sequence is not shown inert"
screen_matches "�\[2J�\[HScreen wiper" || fail "ESC is not replaced by U+FFFD"
if tui_screen | grep -q $'\u202e'; then fail "a bidi override reached the screen"; fi
if tui_screen | grep -q $'\u202e\|\u2066\|\u2067\|\u2068'; then fail "bidi isolates reached the screen"; fi
screen_has "Line one�" || fail "CR/LF in a name are not replaced"
screen_has "Tab�here� DEL" || fail "TAB and DEL in a name are not replaced"
sed -n 1p <(tui_screen) | grep -q "mpsdash" || fail "the header was wiped"
keys g
wait_for "Bidi �txet desrever"
screen_has "C1 �31m CSI red" || fail "the C1 CSI name is not shown inert"
pass "no escape effect: controls, C1, bidi and bad UTF-8 are inert"

# Alignment: every row's detail-pane bar sits at the same column, as the terminal itself counts
# the columns of what precedes it (wide characters, joined emoji: term_columns).
cols=""
while IFS= read -r line; do
    cols+="$(term_columns "${line%│*}") "
done < <(tui_screen | sed -n '3,$p' | grep -E '^(  |> ).*│')
distinct=$(tr ' ' '\n' <<<"$cols" | grep -v '^$' | sort -u)
[ "$(wc -l <<<"$distinct")" = 1 ] || fail "the detail bar is at columns $(tr '\n' ' ' <<<"$distinct")"
pass "columns aligned with CJK, emoji and RTL names"

# The hostile names in the detail pane are inert too.
keys /
type_text "Screen wiper"
keys Enter
wait_match "│ �\[2J�\[HScreen wiper"

# Typed confirmation asks for the id's last digits, which a keyboard types whatever the name.
keys x
wait_for "Reject solution request"
wait_for 'Type "0001" (id'"'"'s last digits) to confirm'
type_text "0001"
keys Tab Enter
wait_gone "Reject solution request"
wait_until "the POST /reject" test "$(requests_matching '"method":"POST".*666000000000001/reject')" = 1
pass "typed confirmation of a name that cannot be typed asks for the id's last digits"
keys q
tui_expect_clean_exit
