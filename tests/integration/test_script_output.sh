#!/usr/bin/env bash
# Output for scripts: into a pipe every table is whole values, tab-separated, one row a line;
# --no-headers, -o/--columns and --limit shape it; on a terminal the aligned table stays.
. "$(dirname "$0")/lib.sh"

LONG="A solution name that is exactly seventy-five characters long, for scripts!!"
cat >"$TMP/scenario.json" <<JSON
{"solutions": [
  {"id": "900000000000001", "name": "$LONG", "status": "INITIATED",
   "status_for_pending_request": "PENDING_ACTIVATION",
   "owner_app": {"id": "$APP_B", "name": "Social Overdrive"}, "owner_permissions": ["MANAGE"],
   "partners": {"data": [{"id": "900000000000101", "partner_app": {"id": "$APP_A"},
                          "status": "NOTIFICATION_SENT", "partner_permissions": ["MANAGE"]}]}},
  {"id": "900000000000002", "name": "Two  blanks and more", "status": "ACTIVE",
   "status_for_pending_request": "PENDING_DEACTIVATION",
   "owner_app": {"id": "$APP_A"}, "owner_permissions": ["MANAGE"],
   "partners": {"data": [{"id": "900000000000102", "partner_app": {"id": "$APP_B", "name": "Social Overdrive"},
                          "status": "ACCEPTED", "partner_permissions": ["MANAGE"]}]}},
  {"id": "900000000000003", "name": "Third", "status": "ACTIVE",
   "status_for_pending_request": "NONE",
   "owner_app": {"id": "$APP_A"}, "owner_permissions": ["MANAGE"],
   "partners": {"data": [{"id": "900000000000103", "partner_app": {"id": "$APP_B"},
                          "status": "ACCEPTED", "partner_permissions": ["MANAGE"]}]}}
]}
JSON
[ ${#LONG} -eq 75 ] || { echo "the long name must be 75 characters"; exit 1; }
start_sandbox --scenario "$TMP/scenario.json"

# ---- into a pipe: tab-separated whole values
run as_a list
expect_rc 0 "list into a pipe"
expect_eq "$(printf '%s\n' "$OUT" | head -1)" "$(printf 'ID\tNAME\tSTATE\tROLE\tOTHER APP')" \
    "the header is the column names, tab-separated"
expect_eq "$(printf '%s\n' "$OUT" | grep 900000000000001 | cut -f2)" "$LONG" \
    "a 75-character name comes out whole (cut -f2)"
expect_eq "$(printf '%s\n' "$OUT" | grep 900000000000002 | cut -f3)" "Pending deactivation" \
    "a state with a blank stays one field (cut -f3)"
expect_eq "$(printf '%s\n' "$OUT" | grep 900000000000002 | cut -f2)" "Two  blanks and more" \
    "blanks inside a name are kept as they are"
fields=$(printf '%s\n' "$OUT" | awk -F'\t' '{print NF}' | sort -u)
expect_eq "$fields" 5 "every line has exactly 5 fields"
expect_not_in "$OUT" "…" "nothing is cut with an ellipsis"

run as_a list --no-headers
expect_eq "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 3 "--no-headers: only the 3 rows"
expect_not_in "$OUT" "NAME" "--no-headers: no header line"

run as_a list -o state,id --no-headers
expect_rc 0 "-o state,id"
expect_eq "$(printf '%s\n' "$OUT" | grep 900000000000003)" "$(printf 'Active\t900000000000003')" \
    "-o prints the chosen columns in the order given"
run as_a list --columns ID,Other-App
expect_eq "$(printf '%s\n' "$OUT" | head -1)" "$(printf 'ID\tOTHER APP')" \
    "--columns names are case-insensitive, blanks written as -"

run as_a list --limit 2 --no-headers
expect_eq "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 2 "--limit 2 prints 2 rows"
run as_a list --limit 1 --json
expect_eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$OUT_FILE")" 1 \
    "--limit applies to list --json too"

reset_log
run as_a list -o id,bogus
expect_rc 2 "-o with a column the table lacks is a usage error"
expect_in "$ERR" "no column 'bogus'" "the error names the bad column"
expect_in "$ERR" "other-app" "the error lists the columns there are"
expect_eq "$(requests)" 0 "nothing was sent for a bad -o"
run as_a show 900000000000001 -o id
expect_rc 2 "-o with a command that prints no table is a usage error"
run as_a show 900000000000001 --no-headers
expect_rc 2 "--no-headers with a command that prints no table is a usage error"
run as_a list --limit 0
expect_rc 2 "--limit 0 is a usage error"

# the other tables too
run as_a partners 900000000000002 --no-headers -o app-id,status
expect_eq "$OUT" "$(printf '%s\tACCEPTED' "$APP_B")" "partners: tab-separated, -o applies"
run as_a apps -o name --no-headers
expect_rc 0 "apps -o name"
expect_eq "$(printf '%s\n' "$OUT" | grep -c $'\t')" 0 "apps -o name: one field, no tab"

# ---- on a terminal: the aligned table stays, cut to the terminal's width
if ! command -v script >/dev/null 2>&1; then echo "SKIP: script (bsdutils) is not installed"; exit 77; fi
tty_list() { # tty_list COLS ARGS...: list on a terminal COLS wide
    local cols=$1
    shift
    run script -qec "stty cols $cols; MPSDASH_TOKEN=$TOKEN_A '$MPSDASH' --graph-url '$URL' --app-id $APP_A --token-env MPSDASH_TOKEN list $* 2>/dev/null" /dev/null
    OUT=$(tr -d '\r' <"$OUT_FILE")
}
tty_list 200
expect_rc 0 "list on a terminal"
expect_eq "$(printf '%s\n' "$OUT" | grep -c $'\t')" 0 "on a terminal: no tabs, aligned with blanks"
expect_in "$OUT" "$LONG" "200 columns wide: the long name fits whole"
state_col() { printf '%s\n' "$OUT" | awk -v s="$1" '{ i = index($0, s); if (i) print i }' | sort -u; }
expect_eq "$(state_col Pending)" "$(printf '%s\n' "$OUT" | head -1 | awk '{ print index($0, "STATE") }')" \
    "the STATE column lines up under its header"
tty_list 80
width=$(printf '%s\n' "$OUT" | awk '{ if (length($0) > w) w = length($0) } END { print w }')
if [ "$width" -le 80 ]; then ok "80 columns wide: no row is wider than the terminal ($width)"; else
    fail "80 columns wide: no row is wider than the terminal" "widest: $width"; fi
expect_not_in "$OUT" "$LONG" "80 columns wide: the long name is cut"
tty_list 200 --no-headers -o id
# (the rows in any order: owner and partner solutions come as two chains)
expect_eq "$(printf '%s\n' "$OUT" | sort | tr '\n' ' ')" "900000000000001 900000000000002 900000000000003 " \
    "on a terminal -o and --no-headers apply too"

finish
