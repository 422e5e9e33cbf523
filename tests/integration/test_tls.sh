#!/usr/bin/env bash
# Real TLS and HTTP/2: the sandbox behind nghttpx (TLS, h2) with a CA this test makes. With
# ca_file the CLI verifies and talks HTTP/2; without it, or against a certificate from another
# CA, it refuses with a clear message; the dashboard's requests share one connection, and so do
# the list's two cursor chains. Proxies:
# http_proxy/ALL_PROXY never see a loopback http request (the token would go in clear), and
# https_proxy carries the TLS connection through a real CONNECT proxy (tinyproxy).
. "$(dirname "$0")/lib.sh"

for tool in nghttpx openssl tinyproxy tmux; do
    command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool is not installed"; exit 77; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- a CA, a server certificate for 127.0.0.1 from it, and one from another CA
mkcert() { # mkcert NAME: NAME-ca.pem, NAME.pem, NAME.key
    local n=$1
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$n test CA" \
        -keyout "$TMP/$n-ca.key" -out "$TMP/$n-ca.pem" 2>/dev/null || return 1
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
        -keyout "$TMP/$n.key" -out "$TMP/$n.csr" 2>/dev/null || return 1
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >"$TMP/$n.ext"
    openssl x509 -req -in "$TMP/$n.csr" -CA "$TMP/$n-ca.pem" -CAkey "$TMP/$n-ca.key" \
        -CAcreateserial -days 2 -extfile "$TMP/$n.ext" -out "$TMP/$n.pem" 2>/dev/null
}
mkcert good || { fail "openssl could not make the test certificates"; finish; }
mkcert other || { fail "openssl could not make the second CA"; finish; }

start_sandbox
SANDBOX_URL=$URL

NGHTTPX_PID=
TINYPROXY_PID=
stop_tls() {
    [ -n "$NGHTTPX_PID" ] && kill "$NGHTTPX_PID" 2>/dev/null && wait "$NGHTTPX_PID" 2>/dev/null
    NGHTTPX_PID=
    [ -n "$TINYPROXY_PID" ] && kill "$TINYPROXY_PID" 2>/dev/null && wait "$TINYPROXY_PID" 2>/dev/null
    TINYPROXY_PID=
    tmux -L "mps-tls-$$" kill-server 2>/dev/null
}
trap 'stop_tls; cleanup' EXIT

# start_tls CERT: nghttpx on a free port in front of the sandbox with NAME.pem/NAME.key
start_tls() {
    local n=$1
    [ -n "$NGHTTPX_PID" ] && kill "$NGHTTPX_PID" 2>/dev/null && wait "$NGHTTPX_PID" 2>/dev/null
    TLS_PORT=$(free_port)
    : >"$TMP/access.log"
    nghttpx --conf=/dev/null --frontend="127.0.0.1,$TLS_PORT" --backend="127.0.0.1,$PORT" --workers=1 \
        --no-ocsp --accesslog-file="$TMP/access.log" \
        --accesslog-format='$remote_port $alpn $status $request' \
        --errorlog-file="$TMP/nghttpx.err" "$TMP/$n.key" "$TMP/$n.pem" &
    NGHTTPX_PID=$!
    local i
    for i in $(seq 200); do
        python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),1)' \
            "$TLS_PORT" 2>/dev/null && return 0
        sleep 0.05
    done
    fail "nghttpx did not start" "$(cat "$TMP/nghttpx.err")"
}

profile() { # profile NAME CA_FILE (may be empty)
    umask 077
    mkdir -p "$XDG_CONFIG_HOME/mpsdash"
    {
        echo "profiles = {"
        echo "  $1 = {"
        echo "    app_id = \"$APP_A\";"
        echo "    graph_url = \"https://127.0.0.1:$TLS_PORT\";"
        echo "    token_env = \"MPSDASH_TOKEN\";"
        [ -n "$2" ] && echo "    ca_file = \"$2\";"
        echo "  };"
        echo "};"
    } >"$XDG_CONFIG_HOME/mpsdash/config"
}
cli() { MPSDASH_TOKEN=$TOKEN_A "$MPSDASH" -p tls "$@"; }

# ---- verification on, ca_file honoured, HTTP/2
start_tls good
profile tls "$TMP/good-ca.pem"
run cli show 795033096057724
expect_rc 0 "show over TLS with the profile's ca_file"
expect_in "$OUT" "795033096057724" "the solution came through the TLS front"
expect_in "$(cat "$TMP/access.log")" " h2 200 GET " "the request went over HTTP/2"

# ---- no ca_file: the test CA is unknown, refused with a clear message
profile tls ""
run cli show 795033096057724
expect_rc 5 "without ca_file the certificate is refused"
expect_in "$ERR" "TLS certificate verification failed" "the refusal says why"
expect_eq "$OUT" "" "nothing printed"

# ---- a certificate from another CA than ca_file names: refused
start_tls other
profile tls "$TMP/good-ca.pem"
run cli show 795033096057724
expect_rc 5 "a certificate from another CA is refused"
expect_in "$ERR" "TLS certificate verification failed" "the refusal says why"
if grep -q " 200 " "$TMP/access.log"; then fail "no request may pass a refused certificate"; else
    ok "no request passed the refused certificate"; fi

# ---- list: its two cursor chains (role=OWNER, role=PARTNER) multiplexed over one connection
start_tls good
profile tls "$TMP/good-ca.pem"
run cli list --json
expect_rc 0 "list --json over TLS"
expect_json "$OUT_FILE" "list over TLS is valid JSON"
lists=$(grep -c 'whatsapp_business_solutions' "$TMP/access.log")
expect_in "$(cat "$TMP/access.log")" "role=OWNER" "the list ran a role=OWNER chain"
expect_in "$(cat "$TMP/access.log")" "role=PARTNER" "and a role=PARTNER chain beside it"
expect_eq "$(awk '{print $1}' "$TMP/access.log" | sort -u | wc -l)" 1 \
    "both chains ($lists requests) over one connection"

# ---- the dashboard: its requests multiplexed over one HTTP/2 connection; the list does not
# wait for the app name (asked first, or together with it)
start_tls good
profile tls "$TMP/good-ca.pem"
sandbox_fault "{\"match\":\"GET /$APP_A\",\"kind\":\"latency\",\"ms\":6000,\"times\":1}"
tmux -L "mps-tls-$$" -f /dev/null new-session -d -x 160 -y 45 \
    "exec env MPSDASH_TOKEN=$TOKEN_A $(printf '%q' "$MPSDASH") -p tls 2>$TMP/dash.err"
rows=
for _ in $(seq 80); do
    rows=$(tmux -L "mps-tls-$$" capture-pane -p -t 0 | grep -c '795033096057724\| of [0-9]')
    [ "$rows" -gt 0 ] && break
    sleep 0.05
done
if [ "$rows" -gt 0 ] && ! grep -q "GET /v[0-9.]*/$APP_A?" "$TMP/access.log"; then
    ok "the first rows came while the app name was still on its way"
else
    fail "the first rows waited for the app name" "$(cat "$TMP/access.log")" \
        "$(tmux -L "mps-tls-$$" capture-pane -p -t 0)"
fi
for _ in $(seq 300); do
    [ "$(grep -c ' 200 ' "$TMP/access.log")" -ge 3 ] && break
    sleep 0.05
done
tmux -L "mps-tls-$$" send-keys -t 0 j j k
sleep 1
tmux -L "mps-tls-$$" send-keys -t 0 q
for _ in $(seq 100); do tmux -L "mps-tls-$$" has-session 2>/dev/null || break; sleep 0.05; done
tmux -L "mps-tls-$$" kill-server 2>/dev/null
reqs=$(grep -c ' 200 ' "$TMP/access.log")
conns=$(awk '{print $1}' "$TMP/access.log" | sort -u | wc -l)
if [ "$reqs" -ge 2 ]; then ok "the dashboard made $reqs requests over TLS"; else
    fail "the dashboard made $reqs requests over TLS" "$(cat "$TMP/access.log")" "$(cat "$TMP/dash.err")"; fi
expect_eq "$conns" 1 "all of them over one connection"
if grep -qv ' h2 ' "$TMP/access.log"; then fail "every dashboard request used HTTP/2"; else
    ok "every dashboard request used HTTP/2"; fi

# ---- https_proxy: through tinyproxy (CONNECT) to the TLS front
PROXY_PORT=$(free_port)
cat >"$TMP/tinyproxy.conf" <<EOC
Port $PROXY_PORT
Listen 127.0.0.1
Timeout 30
LogFile "$TMP/tinyproxy.log"
LogLevel Connect
MaxClients 10
Allow 127.0.0.1
EOC
tinyproxy -d -c "$TMP/tinyproxy.conf" >/dev/null 2>&1 &
TINYPROXY_PID=$!
for _ in $(seq 200); do
    python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),1)' \
        "$PROXY_PORT" 2>/dev/null && break
    sleep 0.05
done
: >"$TMP/access.log"
run env https_proxy=http://127.0.0.1:$PROXY_PORT no_proxy= NO_PROXY= \
    MPSDASH_TOKEN=$TOKEN_A "$MPSDASH" -p tls show 795033096057724
expect_rc 0 "show over TLS through an https_proxy"
expect_in "$(cat "$TMP/tinyproxy.log" 2>/dev/null)" "CONNECT" "the proxy carried a CONNECT tunnel"
expect_in "$(cat "$TMP/access.log")" " 200 GET " "the request reached the TLS front through it"

# ---- http_proxy / ALL_PROXY never see a loopback http request
: >"$TMP/tinyproxy.log"
for var in http_proxy HTTP_PROXY ALL_PROXY all_proxy; do
    run env "$var=http://127.0.0.1:$PROXY_PORT" MPSDASH_TOKEN=$TOKEN_A "$MPSDASH" \
        --graph-url "$SANDBOX_URL" --app-id "$APP_A" --token-env MPSDASH_TOKEN show 795033096057724
    expect_rc 0 "loopback http with $var set"
done
if grep -q "127.0.0.1:$PORT" "$TMP/tinyproxy.log"; then
    fail "a proxy received a loopback http request (with its Bearer token)" "$(cat "$TMP/tinyproxy.log")"
else
    ok "no proxy received a loopback http request"
fi

finish
