#!/usr/bin/env bash
# `list` writes page by page: `list --json` is one valid JSON array however long the list, and
# its first solutions are out while later pages are still on their way; the table does the same
# (tab-separated) when stdout is not a terminal, and --limit stops asking for pages. A listing
# that fails part way is not passed off as complete.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/empty.json" --solutions 10000

# ---- 10,000 solutions: one valid array, each solution once
run as_a list --json
expect_rc 0 "list --json of 10,000 solutions"
expect_json "$OUT_FILE" "list --json of 10,000 is valid JSON"
count=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d), len({s["id"] for s in d}))' "$OUT_FILE")
expect_eq "$count" "10000 10000" "all 10,000 solutions, each once"

# ---- output starts before the last page is served: a later page hangs for a while
# Runs the command in the background against hangs on the 5th and 6th list requests; returns
# once the output file has something in it (or the command ended), and says whether the command
# was still waiting for pages then.
streams_early() {
    local out=$1
    shift
    reset_log
    sandbox_clear_faults
    # two hangs: the next page of each cursor chain (a chain waits for its own pages only)
    sandbox_fault '{"match":"GET /whatsapp_business_solutions","kind":"hang","skip":4,"times":2,"ms":4000}'
    "$@" </dev/null >"$out" 2>"$out.err" &
    local pid=$! early=no deadline=$((SECONDS + 30))
    while [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null; do
        if [ -s "$out" ]; then
            served=$(requests GET /whatsapp_business_solutions)
            # still running, and far from every page of both chains (100) answered
            if kill -0 "$pid" 2>/dev/null && [ "$served" -lt 50 ]; then early=yes; fi
            break
        fi
        sleep 0.05
    done
    wait "$pid"
    STREAM_RC=$?
    STREAM_EARLY=$early
}

streams_early "$TMP/stream.json" as_a list --json
expect_eq "$STREAM_EARLY" yes "list --json wrote its first solutions while a later page was still out"
expect_eq "$STREAM_RC" 0 "list --json completes once the hung page is asked again"
expect_json "$TMP/stream.json" "the streamed array is valid JSON"
count=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d), len({s["id"] for s in d}))' "$TMP/stream.json")
expect_eq "$count" "10000 10000" "the streamed array holds every solution once"

streams_early "$TMP/stream.txt" as_a list
expect_eq "$STREAM_EARLY" yes "the table on a pipe wrote rows while a later page was still out"
expect_eq "$STREAM_RC" 0 "the streamed table completes"
rows=$(wc -l <"$TMP/stream.txt")
expect_eq "$rows" 10001 "a header and 10,000 rows"
fields=$(awk -F'\t' '{print NF}' "$TMP/stream.txt" | sort -u)
expect_eq "$fields" 5 "every streamed line is 5 tab-separated fields (whole values, no widths needed)"
expect_eq "$(head -1 "$TMP/stream.txt")" "$(printf 'ID\tNAME\tSTATE\tROLE\tOTHER APP')" \
    "the streamed table starts with its header"
streams_early "$TMP/stream_o.txt" as_a list -o id --no-headers
expect_eq "$STREAM_EARLY" yes "-o and --no-headers stream too"
expect_eq "$(wc -l <"$TMP/stream_o.txt")" 10000 "-o id --no-headers: 10,000 lines"
expect_eq "$(sort -u "$TMP/stream_o.txt" | grep -c '^[0-9]*$')" 10000 "-o id: each id once, digits only"
sandbox_clear_faults

# ---- --limit stops the listing: the pages after it are not asked for
reset_log
run as_a list --limit 150 --no-headers
expect_rc 0 "list --limit 150"
expect_eq "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 150 "--limit 150: 150 rows"
expect_in "$ERR" "--limit" "stderr says the list was cut by --limit"
served=$(requests GET /whatsapp_business_solutions)
if [ "$served" -lt 10 ]; then ok "--limit 150 asked for a few pages only ($served)"; else
    fail "--limit 150 asked for a few pages only" "$served list requests"; fi
run as_a list --limit 3 --json
expect_rc 0 "list --limit 3 --json"
expect_eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$OUT_FILE")" 3 \
    "list --limit 3 --json is a whole array of 3"

# ---- a page that cannot be read part way: exit 5, and the JSON is not left looking complete
sandbox_fault '{"match":"GET /whatsapp_business_solutions","kind":"malformed","skip":6,"times":-1}'
run as_a list --json
expect_rc 5 "list --json with an unreadable later page"
if [ -n "$OUT" ]; then ok "the pages before it were written"; else fail "the pages before it were written"; fi
if python3 -m json.tool "$OUT_FILE" >/dev/null 2>&1; then
    fail "a cut-short listing is not valid JSON (no reader takes it for the whole list)"
else
    ok "a cut-short listing is not valid JSON (no reader takes it for the whole list)"
fi
expect_in "$ERR" "not the whole list" "stderr says the output is not the whole list"
sandbox_clear_faults

finish
