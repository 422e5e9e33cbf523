#!/usr/bin/env bash
# Paging that never ends, everywhere: a next link back at the same page, an A -> B -> A cycle,
# and lists longer than the page or item budget stop at once with a clear error (exit 5) and no
# partial output passed off as complete, for every paged call: the solution list, a solution's
# partners (with and without the partners{} expansion), client WABAs. Plain lists still page to
# their end. `list` streams page by page: what it wrote before the stop stays, stderr says it is
# not the whole list and its JSON is left unclosed; every other command prints nothing.
. "$(dirname "$0")/lib.sh"

start_sandbox

# ---- the lists work as they are (the guard refuses nothing that ends)
run as_a customers --business $BUSINESS_A --json
expect_rc 0 "customers over three pages"
n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
if [ "$n" -gt 200 ]; then ok "every client WABA ($n, more than two pages)"; else
    fail "every client WABA: $n"; fi

# check_stops WHAT MAX_REQUESTS WORDS: the last command failed as a paging stop, nothing passed
# off as complete on stdout, and at most MAX_REQUESTS GETs were sent.
check_stops() {
    local what=$1 max=$2 words=$3
    expect_rc 5 "$what: a protocol error"
    case $what in
    list*)
        expect_in "$ERR" "not the whole list" "$what: stderr says what was written is not the whole list"
        case $what in
        *--json*)
            if printf '%s' "$OUT" | python3 -m json.tool >/dev/null 2>&1; then
                fail "$what: the JSON written is not valid (no reader takes it for the whole list)"
            else
                ok "$what: the JSON written is not valid (no reader takes it for the whole list)"
            fi ;;
        esac ;;
    *) expect_eq "$OUT" "" "$what: nothing on stdout (no partial list shown as complete)" ;;
    esac
    expect_in "$ERR" "stopped paging" "$what: the error says paging stopped"
    expect_in "$ERR" "$words" "$what: the error says why"
    expect_in "$ERR" "incomplete" "$what: the error says the fetched part is incomplete"
    local n
    n=$(requests GET)
    if [ "$n" -le "$max" ]; then ok "$what: $n requests"; else fail "$what: $n requests, wanted <= $max"; fi
}

# ---- a next link pointing at the page itself
for cmd in "list" "list --json" "customers --business $BUSINESS_A"; do
    reset_log
    sandbox_clear_faults
    sandbox_fault '{"match":"GET","kind":"selflink","times":-1}'
    run as_a $cmd
    check_stops "$cmd, self link" 2 "leads back to a page already fetched"
done

# ---- A -> B -> A
for cmd in "list" "customers --business $BUSINESS_A"; do
    reset_log
    sandbox_clear_faults
    sandbox_fault '{"match":"GET","kind":"cycle","times":-1}'
    run as_a $cmd
    # the list runs two cursor chains (role=OWNER, role=PARTNER): A and B of each at most
    max=3
    [ "$cmd" = list ] && max=4
    check_stops "$cmd, A->B->A" $max "leads back to a page already fetched"
done

# ---- a solution's partners: the partners command, and show when the server refuses the
# partners{} expansion (the partners are then paged apart, /ID/partners)
stop_sandbox
start_sandbox --refuse-partner-fields
for kind in selflink cycle; do
    reset_log
    sandbox_fault "{\"match\":\"GET /partners\",\"kind\":\"$kind\",\"times\":-1}"
    run as_a show 795033096057724
    check_stops "show without the expansion, $kind on /ID/partners" 5 "leads back"
    run as_a partners 795033096057724 --json
    check_stops "partners --json without the expansion, $kind on /ID/partners" 10 "leads back"
    sandbox_clear_faults
done
run as_a list
expect_rc 0 "without the expansion the list still loads (partners in batches)"

# ---- budgets: pages and items (the limits are small here; the defaults are in graph.h)
reset_log
MPSDASH_MAX_PAGES=2 run as_a customers --business $BUSINESS_A
check_stops "customers over the page budget" 2 "2 pages is the most"
reset_log
MPSDASH_MAX_ITEMS=150 run as_a customers --business $BUSINESS_A --json
check_stops "customers over the item budget" 2 "150 items is the most"

finish
