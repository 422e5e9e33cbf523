#!/usr/bin/env bash
# Hostile server strings (escape sequences, C1, bidi overrides, CR/LF, invalid UTF-8, DEL) never
# reach a terminal raw in human output, while --json keeps the data exact as valid JSON.
. "$(dirname "$0")/lib.sh"

start_sandbox --hostile-names
HOSTILE="666000000000001 666000000000002 666000000000003 666000000000004 666000000000005
666000000000006 666000000000007 666000000000008 666000000000009"

run as_a list
expect_rc 0 "list with hostile names"
expect_terminal_safe "$OUT_FILE" "human list: no raw controls on stdout"
expect_terminal_safe "$ERR_FILE" "human list: no raw controls on stderr"
for id in $HOSTILE; do
    expect_in "$OUT" "$id" "list shows $id"
done
# every row is one line: a CR/LF in a name must not split it
rows=$(printf '%s\n' "$OUT" | grep -c '^666' || true)
expect_eq "$rows" 9 "each hostile solution is one line"

for id in $HOSTILE; do
    run as_a show "$id"
    expect_rc 0 "show $id"
    expect_terminal_safe "$OUT_FILE" "show $id: stdout is terminal-safe"
    run as_a partners "$id"
    expect_terminal_safe "$OUT_FILE" "partners $id: stdout is terminal-safe"
done

# the confirmation and the outcome of an action print names too
run as_a reject 666000000000004 --yes
expect_rc 0 "reject a solution with a bidi name"
expect_terminal_safe "$OUT_FILE" "action outcome is terminal-safe"
expect_terminal_safe "$ERR_FILE" "action confirmation is terminal-safe"
run as_a accept 666000000000003 --yes
expect_nonzero "accept of an active hostile solution is refused"
expect_terminal_safe "$ERR_FILE" "the refusal is terminal-safe"

# --json: valid JSON, terminal-inert, data exact
run as_a list --json
expect_rc 0 "list --json with hostile names"
expect_json "$OUT_FILE" "list --json is valid JSON"
if LC_ALL=C grep -q $'\e' "$OUT_FILE"; then fail "list --json holds no raw ESC"; else
    ok "list --json holds no raw ESC (JSON escapes make it inert)"; fi
if python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(1 if b"\xe2\x80\xae" in d or b"\xc2\x9b" in d else 0)' "$OUT_FILE"; then
    ok "list --json holds no raw bidi or C1 code points"
else
    fail "list --json holds no raw bidi or C1 code points"
fi
sandbox_state >"$TMP/state.json"
if python3 - "$OUT_FILE" "$TMP/state.json" "$HOSTILE" <<'EOF'; then ok "list --json keeps names and statuses exact"; else fail "list --json keeps names and statuses exact"; fi
import json, sys
got = {s["id"]: s for s in json.load(open(sys.argv[1]))}
# the state may carry invalid UTF-8 raw or as name_hex: read it byte-exact either way
raw = open(sys.argv[2], "rb").read().decode("utf-8", "surrogateescape")
state = {s["id"]: s for s in json.loads(raw)["solutions"]}
bad = 0
for sid, s in state.items():
    if not sid.startswith("666") or sid not in got:
        continue
    name = s.get("name")
    invalid = "name_hex" in s or (name is not None and any(0xdc80 <= ord(c) <= 0xdcff for c in name))
    if name is not None and not invalid and got[sid].get("name") != name:
        print("# name differs for", sid, repr(got[sid].get("name")), repr(s["name"]))
        bad += 1
    if got[sid].get("status") != s.get("status"):
        print("# status differs for", sid)
        bad += 1
    if invalid and "\ufffd" not in got[sid].get("name", ""):
        print("# invalid UTF-8 was not replaced for", sid)
        bad += 1
missing = [sid for sid in state if sid.startswith("666") and sid not in got]
if missing:
    print("# missing:", missing)
# every hostile case is compared: one the server's state lost fails, it is not left out
lost = [sid for sid in sys.argv[3].split() if sid not in state]
if lost:
    print("# not in the server's state, so not compared:", lost)
    missing += lost
sys.exit(1 if bad or missing else 0)
EOF
run as_a show 666000000000001 --json
expect_json "$OUT_FILE" "show --json of an escape-sequence name is valid JSON"
name=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"].encode("unicode_escape").decode())' "$OUT_FILE")
expect_eq "$name" '\x1b[2J\x1b[HScreen wiper' "show --json keeps the escape sequence as data"

finish
