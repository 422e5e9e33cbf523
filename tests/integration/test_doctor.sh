#!/usr/bin/env bash
# doctor: all checks pass on a good setup; each failure (config, token file permissions, expired
# token, unreachable host, expired API version, events file, locale) is named with what to do and
# makes the exit non-zero.
. "$(dirname "$0")/lib.sh"

start_sandbox
export TERM=xterm-256color
export MPSDASH_NOW=1795392000 # 2026-11-23: pins the API version dates
umask 077
CONF=$XDG_CONFIG_HOME/mpsdash/config
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
TOKEN_FILE=$TMP/token
EVENTS=$TMP/events.jsonl
printf '%s\n' "$TOKEN_A" >"$TOKEN_FILE"
: >"$EVENTS"

write_config() { # write_config GRAPH_URL API_VERSION TOKEN_FILE EVENTS_FILE
    cat >"$CONF" <<EOF
default_profile = "it";
profiles = {
  it = {
    app_id = "$APP_A";
    graph_url = "$1";
    api_version = "$2";
    token_file = "$3";
    events_file = "$4";
  };
};
EOF
}

line_of() { printf '%s\n' "$OUT" | grep -E "^[A-Za-z]+ +$1 " | head -1; }

expect_check() { # expect_check CHECK VERDICT WHAT
    local l
    l=$(line_of "$1")
    case "$l" in
    "$2 "*) ok "$3" ;;
    *) fail "$3" "line: $l" ;;
    esac
}

write_config "$URL" v25.0 "$TOKEN_FILE" "$EVENTS"
run "$MPSDASH" doctor
expect_rc 0 "doctor on a good setup"
for check in config profile "token source" "token valid" "app id" "list solutions" "API version" \
    "events file" "terminal UTF-8" "terminal colours"; do
    expect_check "$check" ok "$check passes"
done
expect_not_in "$OUT" "$TOKEN_A" "doctor never prints the token"

# token file readable by others
chmod 644 "$TOKEN_FILE"
run "$MPSDASH" doctor
expect_rc 1 "a world-readable token file fails"
expect_check "token source" FAIL "the token source check fails"
expect_in "$OUT" "chmod 600" "it says to chmod 600"
chmod 600 "$TOKEN_FILE"

# expired token
printf '%s\n' "$TOKEN_EXPIRED" >"$TOKEN_FILE"
run "$MPSDASH" doctor
expect_rc 1 "an expired token fails"
expect_check "token valid" FAIL "the token check fails"
expect_in "$OUT" "expired" "it says the token expired"
expect_check "list solutions" skip "listing is skipped without a valid token"
printf '%s\n' "$TOKEN_A" >"$TOKEN_FILE"

# unreachable host (nothing listens on port 9 of loopback)
write_config "http://127.0.0.1:9" v25.0 "$TOKEN_FILE" "$EVENTS"
run "$MPSDASH" doctor
expect_rc 1 "an unreachable host fails"
expect_check "token valid" FAIL "the API check fails"
expect_in "$(line_of 'token valid')" "network" "it says it is a network problem"

# API versions: expired fails, near expiry warns
write_config "$URL" v20.0 "$TOKEN_FILE" "$EVENTS"
run "$MPSDASH" doctor
expect_rc 1 "an expired API version fails"
expect_check "API version" FAIL "v20.0 is reported expired"
expect_in "$OUT" "2026-09-24" "it says when v20.0 expired"
write_config "$URL" v21.0 "$TOKEN_FILE" "$EVENTS"
run "$MPSDASH" doctor
expect_rc 0 "an API version near expiry only warns"
expect_check "API version" warn "v21.0 warns within 90 days of 2027-01-21"
MPSDASH_NOW=1790000000 run "$MPSDASH" doctor
expect_check "API version" ok "v21.0 is fine more than 90 days before expiry"
run "$MPSDASH" --api-version v17.0 doctor
expect_check "API version" FAIL "versions older than v20.0 are expired"

# GET /<APP_ID> must answer with that app: a server answering with another object's id fails
python3 - "$TMP/other.port" <<'PY' &
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"id": "111111111111111", "name": "Not this app"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
srv.timeout = 30
open(sys.argv[1] + ".tmp", "w").write(str(srv.server_address[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
for _ in range(2):
    srv.handle_request()
PY
other_pid=$!
for _ in $(seq 100); do [ -s "$TMP/other.port" ] && break; sleep 0.1; done
# -p: a URL given without it would make a profile of its own, not borrow this one's token
run "$MPSDASH" -p it --graph-url "http://127.0.0.1:$(cat "$TMP/other.port")" doctor
kill "$other_pid" 2>/dev/null
wait "$other_pid" 2>/dev/null
expect_rc 1 "an app id answered by another object fails"
expect_check "app id" FAIL "the app id check fails"
expect_in "$(line_of 'app id')" "not the profile's app id" "it says the answer named another id"

# events file: missing warns, unreadable fails
write_config "$URL" v25.0 "$TOKEN_FILE" "$TMP/no-such-events.jsonl"
run "$MPSDASH" doctor
expect_rc 0 "a missing events file only warns"
expect_check "events file" warn "the missing events file is reported"
write_config "$URL" v25.0 "$TOKEN_FILE" "$TMP"
run "$MPSDASH" doctor
expect_rc 1 "an unreadable events file fails"
expect_check "events file" FAIL "the events file check fails"

# config problems
write_config "$URL" v25.0 "$TOKEN_FILE" "$EVENTS"
printf 'profiles = { it = { app_id = ; }; };\n' >"$TMP/broken.conf"
run "$MPSDASH" -c "$TMP/broken.conf" doctor
expect_rc 1 "a config that does not parse fails"
expect_check config FAIL "the config check fails"
expect_in "$OUT" "broken.conf:1" "it names the file and line"
run "$MPSDASH" -c "$TMP" doctor
expect_rc 1 "an unreadable config (a directory) fails"
expect_check config FAIL "the unreadable config is reported"
chmod 666 "$CONF"
run "$MPSDASH" doctor
expect_rc 1 "a config writable by others fails"
chmod 600 "$CONF"

# terminal
LC_ALL=C run "$MPSDASH" doctor
expect_rc 1 "a non-UTF-8 locale fails"
expect_check "terminal UTF-8" FAIL "the locale check fails"
expect_in "$OUT" "UTF-8" "it says to use a UTF-8 locale"
NO_COLOR=1 run "$MPSDASH" doctor
expect_check "terminal colours" ok "NO_COLOR is fine"

finish
