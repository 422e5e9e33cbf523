#!/usr/bin/env bash
# Reading solutions over real HTTP: list in as few round trips as paging allows (250 solutions,
# half ours: two cursor chains, role=OWNER and role=PARTNER, of 2 pages each side by side; none
# per solution), filters, show, partners, waba-solutions and apps.
. "$(dirname "$0")/lib.sh"

# ---- 250 solutions: 2 + 2 list requests in two chains at once, nothing per solution
start_sandbox --scenario "$IT_DIR/scenarios/empty.json" --solutions 250
run as_a list --json
expect_rc 0 "list --json of 250 solutions"
expect_json "$OUT_FILE" "list --json is valid JSON"
count=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d), len({s["id"] for s in d}))' "$OUT_FILE")
expect_eq "$count" "250 250" "all 250 solutions returned, each once"
# A server without partners data (openapi) costs a fixed price to learn that, once: the first
# page of each chain without partners, one plain page (and the next, asked for beside its
# partners), the batch and /partners probes; then each role's chain (125 solutions each: 2
# pages), at once. Still nothing per solution.
if dialect_is openapi; then
    want_lists=8 want_requests=10 want_partners=0 want_chains="-1 -2 O1 O1 O2 P1 P1 P2"
else
    want_lists=4 want_requests=4 want_partners=250 want_chains="O1 O2 P1 P2"
fi
expect_eq "$(requests GET /whatsapp_business_solutions)" $want_lists "exactly $want_lists list requests (pages of 100)"
expect_eq "$(requests)" $want_requests "no request per solution"
# two cursor chains: role=OWNER and role=PARTNER, two pages each (their timing: test_graph_ops)
chains=$(python3 - "$REQLOG" <<'EOF2'
import json, sys
seq = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "whatsapp_business_solutions" not in r.get("path", ""):
        continue
    q = r.get("query", "")
    role = "O" if "role=OWNER" in q else "P" if "role=PARTNER" in q else "-"
    seq.append(role + ("2" if "after=" in q else "1"))
print(" ".join(sorted(seq)))
EOF2
)
expect_eq "$chains" "$want_chains" "the list ran a role=OWNER and a role=PARTNER chain"
with_partners=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for s in d if "partners" in s and "owner_app" in s), sum(1 for s in d if "owner_app" in s))' "$OUT_FILE")
expect_eq "$with_partners" "$want_partners 250" "partners (where the server has them) and owner_app came in the same requests"
derived=$(python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
words={"INITIATED":"pending","PENDING":"pending","ACTIVE":"active","DRAFT":"draft",
       "REJECTED":"inactive","DEACTIVATED":"deactivated","PENDING_DEACTIVATION":"pending-deactivation"}
def want(s):
    w=words.get(s.get("status"),"other")
    if w in ("active","pending") and s.get("status_for_pending_request")=="PENDING_DEACTIVATION":
        w="pending-deactivation"
    return w
app=sys.argv[2]
bad=[s["id"] for s in d if s.get("mpsdash",{}).get("state")!=want(s) or
     s["mpsdash"].get("role")!=("owner" if s["owner_app"]["id"]==app else "partner")]
print(len(bad))' "$OUT_FILE" "$APP_A")
expect_eq "$derived" 0 "every solution in --json carries mpsdash.role and mpsdash.state, both right"

reset_log
run as_a list
expect_rc 0 "human list of 250"
rows=$(printf '%s\n' "$OUT" | wc -l)
expect_eq "$rows" 251 "a header and 250 rows"
expect_eq "$(requests)" $want_requests "the human list makes the same $want_requests requests"
header=$(printf '%s\n' "$OUT" | head -1)
expect_in "$header" "NAME" "the table has a header"

# --filter and --role
run as_a list --json
cp "$OUT_FILE" "$TMP/all.json"
pending=$(python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
print(sum(1 for s in d if s.get("status") in ("INITIATED","PENDING") and s.get("status_for_pending_request") != "PENDING_DEACTIVATION"))' "$TMP/all.json")
run as_a list --json --filter pending
expect_rc 0 "list --filter pending"
got=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$OUT_FILE")
expect_eq "$got" "$pending" "--filter pending keeps exactly the pending ones"
run as_a list --filter=Pending
expect_rc 0 "--filter takes the panel label too"
other=$(printf '%s\n' "$OUT" | tail -n +2 | grep -vc "Pending" || true)
expect_eq "$other" 0 "the human filtered list shows only Pending rows"
reset_log
run as_a list --json --role owner
expect_rc 0 "list --role owner"
role_q=$(python3 -c '
import json,sys
for l in open(sys.argv[1]):
    r=json.loads(l)
    if r["path"].endswith("/whatsapp_business_solutions"): print(r.get("query","")); break' "$REQLOG")
expect_in "$role_q" "role=OWNER" "--role owner asks the server for role=OWNER"
stop_sandbox

# ---- the built-in dataset: show, partners, waba-solutions, apps
start_sandbox
run as_a show 795033096057724
expect_rc 0 "show"
expect_in "$OUT" "Social OVD with Lucky Shrub" "show prints the name"
expect_in "$OUT" "Pending" "show prints the panel state"
expect_in "$OUT" "partner (your app was invited)" "show prints our role"
expect_in "$OUT" "Social Overdrive (637576208107267)" "show prints the owner app"
expect_in "$OUT" "MANAGE_PHONE_ASSETS" "show prints the permission matrix"
expect_in "$OUT" "mpsdash accept 795033096057724" "show says which actions are offered"
run as_a show 795033096057724 --json
expect_rc 0 "show --json"
expect_json "$OUT_FILE" "show --json is valid JSON"
sid=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["id"], d["owner_app"]["id"], d["partners"]["data"][0]["partner_app"]["id"] if "partners" in d else "-", d["mpsdash"]["role"])' "$OUT_FILE")
if dialect_is openapi; then
    expect_eq "$sid" "795033096057724 637576208107267 - partner" "show --json keeps the server's object, with no partners data invented"
    run as_a show 795033096057724
    expect_in "$OUT" "not available from this server" "show says partner details are not available from this server"
else
    expect_eq "$sid" "795033096057724 637576208107267 21202248997039 partner" "show --json keeps the server's object"
fi

run as_a show 999999999999999
expect_nonzero "show of an unknown id"
expect_in "$ERR" "fbtrace_id" "the error carries the fbtrace_id"

if dialect_is openapi; then
    # "this server has no partners data" is not "zero partners": a failure, in one clear line
    run as_a partners 17602267745700 --json
    expect_nonzero "partners --json against a server without partners data"
    expect_eq "$(wc -l <"$ERR_FILE") $(wc -c <"$OUT_FILE")" "1 0" "one line on stderr, nothing on stdout"
    expect_in "$ERR" "no partners data from this server" "it says the server has no partners data"
else
    run as_a partners 17602267745700
    expect_rc 0 "partners"
    expect_in "$OUT" "Social Overdrive" "partners lists the partner app"
    expect_in "$OUT" "637576208107267" "partners lists the app id"
    expect_in "$OUT" "ACCEPTED" "partners lists the partner status"
    run as_a partners 17602267745700 --json
    expect_json "$OUT_FILE" "partners --json is valid JSON"
    pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["partner_app"]["id"])' "$OUT_FILE")
    expect_eq "$pid" "637576208107267" "partners --json holds the partner objects"
fi

run as_a waba-solutions 102290129340398
expect_rc 0 "waba-solutions"
expect_in "$OUT" "17602267745700" "waba-solutions lists the solution that onboarded the WABA"
run as_a waba-solutions 102290129340398 --json
expect_json "$OUT_FILE" "waba-solutions --json is valid JSON"

run as_a apps
expect_rc 0 "apps (application_details)"
expect_in "$OUT" "media_monsoon_prod" "apps lists the granted app"
run as_a apps --json
expect_json "$OUT_FILE" "apps --json is valid JSON"

# On a terminal, columns line up by display width: a CJK name (2 columns a character) pads
# like an ASCII one. (script gives the command a terminal, 250 columns wide.)
if ! command -v script >/dev/null 2>&1; then echo "SKIP: script (bsdutils) is not installed"; exit 77; fi
run script -qec "stty cols 250; MPSDASH_TOKEN=$TOKEN_A '$MPSDASH' --graph-url '$URL' --app-id $APP_A --token-env MPSDASH_TOKEN list 2>/dev/null" /dev/null
tr -d '\r' <"$OUT_FILE" >"$TMP/tty.out"
OUT_FILE=$TMP/tty.out
if python3 - "$OUT_FILE" <<'EOF'; then ok "CJK rows align with ASCII rows"; else fail "CJK rows align with ASCII rows"; fi
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
col = width(lines[0][:lines[0].index("STATE")])
checked = 0
for l in lines[1:]:
    # rows with emoji or RTL text need a full wcwidth table; CJK and ASCII are exact here
    if any(ord(c) > 0xFFFF or 0x0590 <= ord(c) <= 0x08FF for c in l):
        continue
    for label in ("Pending deactivation", "Pending", "Active", "Inactive", "Deactivated", "Draft"):
        i = l.find("  " + label)
        if i >= 0:
            start = i + 2 + (len(l[i + 2:]) - len(l[i + 2:].lstrip()))
            if width(l[:start]) != col:
                print("# misaligned:", l)
                sys.exit(1)
            checked += 1
            break
cjk = sum(1 for l in lines if any(unicodedata.east_asian_width(c) == "W" for c in l))
sys.exit(0 if checked > 30 and cjk >= 1 else 1)
EOF

# The other identity sees its own side.
run as_b show 795033096057724
expect_in "$OUT" "owner (your app created it)" "the owner sees the owner role"

finish
