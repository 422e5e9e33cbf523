#!/usr/bin/env bash
# Whole-screen comparisons, as tig's test suite does: the main views at 200x50, 80x24 and 60x20
# are dumped and compared with tests/tui/golden/<view>-<cols>x<rows>.txt, so that any layout
# change shows up in review. Only what changes from run to run is normalised: the refresh age and
# the API usage percentage in the header (so its right-aligned part's padding too), the inbox's
# load time, the sandbox's port. (The guide dialect only: the
# openapi one differs in what the suites in both dialects check.)
#
#   UPDATE_GOLDEN=1 ctest -R tui/test_golden    rewrites the files after an intended change
. "$MPSDASH_TESTS/tui/lib.sh"
. "$MPSDASH_TESTS/tui/views-lib.sh"

GOLDEN_DIR="$MPSDASH_TESTS/tui/golden"
failures=0

normalise() {
    sed -E 's/⟳ (just now|[0-9]+[smhd] ago)/⟳ <age>/; s/API [0-9]+%/API <n>%/;
            s/loaded in [0-9.]+ s/loaded in <t> s/; s/127\.0\.0\.1:[0-9]+/127.0.0.1:<port>/g;
            1s/   +/  /g'
}

# Settled: nothing in flight (the spinner's cell is blank) and two captures alike.
settled() {
    local a b
    a=$(tui_screen | normalise)
    [ "$(tail -n 1 <<<"$a" | cut -c1)" = " " ] || return 1
    sleep 0.3
    b=$(tui_screen | normalise)
    [ "$a" = "$b" ]
}

compare() {
    local name=$1 want="$GOLDEN_DIR/$1.txt" got="$TUI_DIR/$1.txt"
    wait_until "the $name screen to settle" settled
    tui_screen | normalise >"$got"
    if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$got" "$want"
        echo "updated: $want"
    elif [ ! -f "$want" ]; then
        echo "FAIL: no golden file $want (UPDATE_GOLDEN=1 writes it)" >&2
        failures=$((failures + 1))
    elif ! diff -u "$want" "$got" >&2; then
        echo "FAIL: the $name screen differs from $want (above: - golden, + now)" >&2
        failures=$((failures + 1))
    else
        pass "$name is as recorded"
    fi
}

sandbox_start
views_config # two profiles (shrub, overdrive), a business id for the customers view
for size in 200x50 80x24 60x20; do
    tmx kill-server 2>/dev/null
    tui_start "${size%x*}" "${size#*x}" -p shrub
    wait_until "the list to load" screen_matches "All 42"
    select_id 795033096057724
    compare "list-$size"

    keys p
    wait_for "Partners of"
    compare "partners-$size"
    keys q
    wait_gone "Partners of"

    keys C
    wait_for "Customers"
    wait_for "230 WABAs"
    compare "customers-$size"
    keys q
    wait_gone "Customers"

    keys P
    wait_for "Profiles"
    compare "profiles-$size"
    keys Escape
    wait_gone "Profiles"

    keys I
    wait_for "Inbox"
    compare "inbox-$size"
    keys q
    wait_gone "Inbox"

    keys '?'
    wait_for "Help  (Esc"
    compare "help-$size"
    keys Escape
    wait_gone "Help  (Esc"

    keys c
    wait_for "Create a solution"
    compare "create-$size"
    keys Escape
    wait_gone "Create a solution"
    keys Escape # puts away the "create cancelled" notice, which would go by itself in 5 s
    wait_gone "create cancelled"

    # Last: cancelling leaves a message on the status line for a few seconds.
    keys a
    wait_for "Accept solution request"
    compare "accept-$size"
    keys Escape
    wait_gone "Accept solution request"
    keys q
    tui_expect_clean_exit
done
[ "$failures" = 0 ] || fail "$failures screen(s) differ from the recorded ones"
