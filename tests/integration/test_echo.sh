#!/usr/bin/env bash
# A server that echoes secrets back: no fragment of the token reaches stderr, stdout, the audit
# log or the trace. Error text is scrubbed before it is cut to its buffer (a long message ending
# in the token, fbtrace_id = the token); a data field equal to the token is masked in every
# output; business tokens are redacted in the trace whatever the key's spelling and wherever the
# answer echoes them.
. "$(dirname "$0")/lib.sh"

# A long token, as Meta's are (about 200 characters): longer than every error buffer.
LONG=EAAGecho$(printf '%s' "token-that-must-never-leak-in-part" | sha256sum | cut -c1-64)
LONG=$LONG$(printf '%s' "$LONG" | sha256sum | cut -c1-64)$(printf '%s' "x$LONG" | sha256sum | cut -c1-60)
TRACE=$TMP/trace.txt

# no_fragment FILE WHAT [SECRET]: no 10-character piece of the secret (LONG by default).
no_fragment() {
    local f=$1 what=$2 secret=${3:-$LONG} i hit=
    for ((i = 0; i + 10 <= ${#secret}; i += 5)); do
        if grep -qF -- "${secret:i:10}" "$f"; then
            hit=${secret:i:10}
            break
        fi
    done
    if [ -z "$hit" ]; then ok "$what"; else fail "$what" "holds '$hit' (offset $i of the secret)"; fi
}

# The transitions scenario with our app holding the long token.
LONG=$LONG APP_A=$APP_A APP_B=$APP_B TOKEN_B=$TOKEN_B python3 - "$IT_DIR/scenarios/transitions.json" \
    "$TMP/long.json" <<'PY'
import json, os, sys
world = json.load(open(sys.argv[1]))
world["apps"] = [
    {"id": os.environ["APP_A"], "name": "Lucky Shrub", "token": os.environ["LONG"]},
    {"id": os.environ["APP_B"], "name": "Social Overdrive", "token": os.environ["TOKEN_B"]},
]
json.dump(world, open(sys.argv[2], "w"))
PY
start_sandbox --scenario "$TMP/long.json"
run as_token "$LONG" "$APP_A" show 900000000000006
expect_rc 0 "the sandbox takes the long token"

# ---- an error whose message ends in the token, past the message buffer, and whose fbtrace_id
# is the token: the GET path (stderr, trace)
sandbox_fault '{"match":"GET","kind":"echo_token","times":-1}'
run as_token "$LONG" "$APP_A" show 900000000000006 --trace "$TRACE"
expect_nonzero "the echoed error fails the command"
expect_in "$ERR" "Invalid parameter" "the server's message is shown"
expect_in "$ERR" "***" "the echoed token is shown masked"
no_fragment "$ERR_FILE" "stderr holds no piece of the token (GET)"
no_fragment "$TRACE" "the trace holds no piece of the token (GET)"
run as_token "$LONG" "$APP_A" show 900000000000006 --json
no_fragment "$OUT_FILE" "--json stdout holds no piece of the token"
no_fragment "$ERR_FILE" "--json stderr holds no piece of the token"
sandbox_clear_faults

# ---- the same on a POST: the audit log keeps the server's message, scrubbed before it is cut
sandbox_fault '{"match":"POST","kind":"echo_token","times":1}'
run as_token "$LONG" "$APP_A" accept 900000000000001 --yes --trace "$TRACE"
expect_nonzero "the echoed error fails the accept"
no_fragment "$ERR_FILE" "stderr holds no piece of the token (POST)"
no_fragment "$OUT_FILE" "stdout holds no piece of the token (POST)"
if grep -q '"action":"accept"' "$AUDIT"; then ok "the accept is audited"; else fail "the accept is audited"; fi
no_fragment "$AUDIT" "the audit log holds no piece of the token"
no_fragment "$TRACE" "the trace holds no piece of the token (POST)"
sandbox_clear_faults

# ---- a data field equal to the token (a solution named with it) is masked in every output
sed "s/\"Accept me\"/\"$TOKEN_A\"/" "$IT_DIR/scenarios/transitions.json" >"$TMP/named.json"
start_sandbox --scenario "$TMP/named.json"
run as_a list
expect_rc 0 "list with a solution named as the token"
expect_in "$OUT" "900000000000001" "the solution is listed"
expect_not_in "$OUT" "$TOKEN_A" "list masks a name equal to the token"
run as_a list --json
expect_json "$OUT_FILE" "list --json stays valid JSON"
expect_not_in "$OUT" "$TOKEN_A" "list --json masks a name equal to the token"
run as_a show 900000000000001
expect_rc 0 "show the solution named as the token"
expect_not_in "$OUT" "$TOKEN_A" "show masks a name equal to the token"
run as_a accept 900000000000001 --yes
expect_rc 0 "accept the solution named as the token"
expect_not_in "$OUT$ERR" "$TOKEN_A" "the accept's outcome masks the name"
expect_not_in "$(cat "$AUDIT")" "$TOKEN_A" "the audit log masks the name"

# ---- business tokens in the trace: under an escaped key (access\u005ftoken) and echoed
# elsewhere in the answer, they are redacted all the same
BIZ=6143763655652543
run as_a business-token 900000000000006 --business $BIZ --reveal
expect_rc 0 "business-token --reveal"
biz_token=$OUT
if [ ${#biz_token} -ge 16 ]; then ok "a business token came back"; else fail "a business token came back" "got '$biz_token'"; fi
: >"$TRACE"
sandbox_fault '{"match":"GET","kind":"respell","times":1}'
run as_a business-token 900000000000006 --business $BIZ --trace "$TRACE"
expect_rc 0 "business-token through an answer with an escaped key"
expect_in "$(cat "$TRACE")" "< HTTP 200" "the answer is in the trace"
expect_in "$(cat "$TRACE")" "issued" "the echo is in the trace"
no_fragment "$TRACE" "the trace holds no piece of the business token" "$biz_token"
no_fragment "$OUT_FILE" "stdout holds the business token masked only" "$biz_token"

finish
