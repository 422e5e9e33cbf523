#!/usr/bin/env bash
# Listing over an emulated network, each figure next to its floor and next to other ways to do
# the same listing: `mpsdash list --json`, a curl+jq script (one curl per page, as such scripts
# are written) and Python requests (one kept-alive session).
#
# The path: client -> delay_proxy.py (adds the round-trip time: RTT/2 per direction per chunk,
# one more RTT before a connection's first bytes for the TCP handshake) -> nghttpx (TLS 1.3,
# HTTP/2 or HTTP/1.1 by ALPN) -> the sandbox (HTTP/1.1 on loopback, paging links naming the
# front with MPSDASH_SANDBOX_PUBLIC_URL).
#
# Per run: time to the first row written, the full listing, requests the server saw,
# connections opened through the proxy, CPU (user+sys) and peak RSS of the client.
# Floors: first row = TCP + TLS + one request = 3 RTT; one cursor chain = 2 RTT + ceil(N/100)
# RTT; two chains (role=OWNER and role=PARTNER at once) = 2 RTT + the longer chain's pages.
#
# Usage: MPSDASH=build/mpsdash tests/bench/bench_rtt.sh
#   BENCH_N="1000 10000 50000"  BENCH_RTT="50 200"  BENCH_TOOLS="mpsdash python curl-jq"
#   BENCH_BASELINE=/path/to/older/mpsdash adds a row for that binary.
#   DELAY_PROXY_LOG=FILE: the proxy's per-chunk times and each client's start, first row and end
#   (see delay_proxy.py), to tell the client's share of a run from the path's;
#   tests/bench/proxy_log_summary.py FILE sums it up per run.
# Needs nghttpx (nghttp2-proxy), openssl, curl, jq and python3-requests (all Debian).
# It takes long (the 50,000 x 200 ms runs alone are minutes): not part of `make test`.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
MPSDASH=${MPSDASH:-$HERE/../../build/mpsdash}
NS=${BENCH_N:-"1000 10000 50000"}
RTTS=${BENCH_RTT:-"50 200"}
TOOLS=${BENCH_TOOLS:-"mpsdash python curl-jq"}
BASELINE=${BENCH_BASELINE:-}
TOKEN=sandbox-token-lucky-shrub
APP=21202248997039
FIELDS='id,name,status,status_for_pending_request,owner_app,owner_permissions,partners{id,status,partner_app,partner_permissions}'

# Debian's python3 (python3-requests); its start-up is quick, which the timing helpers need.
PY=${BENCH_PYTHON:-/usr/bin/python3}
missing=""
for tool in nghttpx openssl curl jq "$PY"; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
"$PY" -c 'import requests' 2>/dev/null || missing="$missing python3-requests"
if [ -n "$missing" ]; then
    echo "bench_rtt: missing:$missing (scripts/install-deps.sh installs them)" >&2
    exit 77
fi
if [ ! -x "$MPSDASH" ]; then
    echo "bench_rtt: no binary at $MPSDASH (set MPSDASH)" >&2
    exit 2
fi

# Every client trusts the bench's own CA only, never one from the environment.
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
TMP=$(mktemp -d /tmp/mpsdash-bench-rtt.XXXXXX)
export HOME=$TMP XDG_CONFIG_HOME=$TMP/config XDG_STATE_HOME=$TMP/state
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

wait_file() { # wait_file FILE WHAT PID [SECONDS]
    local deadline=$((SECONDS + ${4:-20}))
    while [ ! -s "$1" ]; do
        if ! kill -0 "$3" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
            echo "bench_rtt: $2 did not start" >&2
            exit 1
        fi
        sleep 0.05
    done
}

free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# ---- TLS: a throwaway CA and a certificate for 127.0.0.1 signed by it
{
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
        -subj "/CN=mpsdash bench CA" -addext basicConstraints=critical,CA:TRUE \
        -addext keyUsage=critical,keyCertSign -keyout "$TMP/ca.key" -out "$TMP/ca.pem" &&
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 \
            -keyout "$TMP/key.pem" -out "$TMP/cert.csr" &&
        printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
            >"$TMP/ext.cnf" &&
        openssl x509 -req -in "$TMP/cert.csr" -CA "$TMP/ca.pem" -CAkey "$TMP/ca.key" \
            -CAcreateserial -days 1 -extfile "$TMP/ext.cnf" -out "$TMP/cert.pem"
} >/dev/null 2>&1 || { echo "bench_rtt: openssl could not make the certificates" >&2; exit 1; }

# ---- the delay proxy, first: the sandbox's paging links must name it
"$PY" "$HERE/delay_proxy.py" "$TMP/proxy.port" "$TMP/proxy.ctl" "$TMP/proxy.stats" &
PIDS+=($!)
wait_file "$TMP/proxy.port" "the delay proxy" "${PIDS[-1]}"
PROXY=$(cat "$TMP/proxy.port")
BASE=https://127.0.0.1:$PROXY

mkdir -p "$XDG_CONFIG_HOME/mpsdash"
umask 077
cat >"$XDG_CONFIG_HOME/mpsdash/config" <<EOF
profiles = {
  bench = {
    app_id = "$APP";
    graph_url = "$BASE";
    token_env = "MPSDASH_TOKEN";
    ca_file = "$TMP/ca.pem";
    refresh_interval = 0;
  };
};
EOF
umask 022

# ---- the clients (each reads BASE, writes rows to stdout)
cat >"$TMP/curl-jq.sh" <<'EOF'
url="$BASE/v25.0/$APP/whatsapp_business_solutions?fields=$(jq -rn --arg f "$FIELDS" '$f|@uri')&limit=100"
while [ -n "$url" ]; do
    page=$(curl -sS --cacert "$CA" -H "Authorization: Bearer $TOKEN" "$url") || exit 1
    printf '%s' "$page" | jq -c '.data[]' || exit 1
    url=$(printf '%s' "$page" | jq -r '.paging.next // empty')
done
EOF
cat >"$TMP/list_requests.py" <<'EOF'
import json, os, sys, urllib.parse
import requests
s = requests.Session()
s.headers["Authorization"] = "Bearer " + os.environ["TOKEN"]
s.verify = os.environ["CA"]
url = "%s/v25.0/%s/whatsapp_business_solutions?fields=%s&limit=100" % (
    os.environ["BASE"], os.environ["APP"], urllib.parse.quote(os.environ["FIELDS"], safe=""))
out = sys.stdout
while url:
    r = s.get(url, timeout=120, verify=os.environ["CA"])
    r.raise_for_status()
    page = r.json()
    for item in page["data"]:
        out.write(json.dumps(item) + "\n")
    out.flush()
    url = page.get("paging", {}).get("next")
EOF
# Runs a client, its stdout into a file: prints seconds to the first byte, seconds to the end,
# CPU seconds (user+sys, the client and everything it ran) and peak RSS in MB.
cat >"$TMP/run.py" <<'EOF'
import os, subprocess, sys, time
out_path, err_path, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
start = time.monotonic()
first = None
# the delay proxy's timing log (DELAY_PROXY_LOG) gets the client's start and first row beside
# its own per-chunk times (the same monotonic clock)
log = os.environ.get("DELAY_PROXY_LOG")
if log:
    with open(log, "a") as f:
        f.write("%.6f 0 client start 0\n" % start)
with open(out_path, "wb") as out, open(err_path, "wb") as err:
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
    while True:
        chunk = p.stdout.read1(65536)
        if not chunk:
            break
        if first is None:
            first = time.monotonic()
        out.write(chunk)
    _, status, ru = os.wait4(p.pid, 0)
end = time.monotonic()
if log:
    with open(log, "a") as f:
        f.write("%.6f 0 client first-row 0\n%.6f 0 client end 0\n" % (first or end, end))
print("%.3f %.2f %.2f %.1f %d" % ((first or end) - start, end - start, ru.ru_utime + ru.ru_stime,
                                  ru.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)))
EOF

export BASE APP TOKEN FIELDS CA=$TMP/ca.pem

# run_client NAME -> fills R_FIRST R_TOTAL R_CPU R_RSS R_REQ R_CONN R_ROWS
run_client() {
    local name=$1 conns_before rc
    : >"$TMP/requests.log"
    conns_before=$(cat "$TMP/proxy.stats" 2>/dev/null || echo 0)
    case $name in
        mpsdash | baseline)
            local bin=$MPSDASH
            [ "$name" = baseline ] && bin=$BASELINE
            set -- env MPSDASH_TOKEN="$TOKEN" "$bin" -p bench \
                --timeout "$DEADLINE" ${BENCH_TRACE:+--trace "$BENCH_TRACE"} list --json
            ;;
        python) set -- "$PY" "$TMP/list_requests.py" ;;
        curl-jq) set -- bash "$TMP/curl-jq.sh" ;;
    esac
    read -r R_FIRST R_TOTAL R_CPU R_RSS rc < <("$PY" "$TMP/run.py" "$TMP/out" "$TMP/client.err" "$@")
    R_REQ=$(grep -c . "$TMP/requests.log")
    R_CONN=$(($(cat "$TMP/proxy.stats") - conns_before))
    if [ "$name" = mpsdash ] || [ "$name" = baseline ]; then
        R_ROWS=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$TMP/out" 2>/dev/null || echo ERR)
    else
        R_ROWS=$(grep -c . "$TMP/out")
    fi
    [ "$rc" = 0 ] || R_ROWS="rc$rc"
}

printf '%-9s %6s %5s | %-8s %13s %15s %9s %6s %7s %9s %7s\n' "client" "N" "RTT" "rows" \
    "first row s" "full list s" "requests" "conns" "CPU s" "RSS MB" "vs 1ch"
for n in $NS; do
    # the sandbox and its TLS front for this N
    MPSDASH_SANDBOX_PUBLIC_URL=$BASE "$MPSDASH" sandbox --port 0 --port-file "$TMP/sbx.port" \
        --request-log "$TMP/requests.log" --scenario "$HERE/../integration/scenarios/empty.json" \
        --solutions "$n" >"$TMP/sandbox.out" 2>&1 &
    sbx_pid=$!
    PIDS+=($sbx_pid)
    # generating 50,000 solutions takes a while on a busy machine
    wait_file "$TMP/sbx.port" "the sandbox" "$sbx_pid" $((30 + n / 500))
    front=$(free_port)
    nghttpx --conf=/dev/null --frontend="127.0.0.1,$front" \
        --backend="127.0.0.1,$(cat "$TMP/sbx.port")" --workers=1 --no-ocsp \
        --log-level=WARN --errorlog-file="$TMP/nghttpx.log" --accesslog-file=/dev/null \
        "$TMP/key.pem" "$TMP/cert.pem" 2>>"$TMP/nghttpx.log" & # its start-up notice too
    ng_pid=$!
    PIDS+=($ng_pid)
    deadline=$((SECONDS + 10))
    until curl -s -o /dev/null --cacert "$CA" "https://127.0.0.1:$front/__sandbox/state"; do
        if ! kill -0 $ng_pid 2>/dev/null || [ $SECONDS -ge $deadline ]; then
            echo "bench_rtt: nghttpx did not start" >&2
            cat "$TMP/nghttpx.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    owned=$(( (n + 1) / 2 )) # the generated dataset alternates owner and partner
    for rtt in $RTTS; do
        echo "$front $rtt" >"$TMP/proxy.ctl"
        r=$("$PY" -c "print($rtt / 1000)")
        floor_first=$("$PY" -c "print('%.2f' % (3 * $r))")
        one_chain=$("$PY" -c "import math; print('%.2f' % ((2 + math.ceil($n / 100)) * $r))")
        two_chain=$("$PY" -c "import math; print('%.2f' % ((2 + math.ceil(max($owned, $n - $owned) / 100)) * $r))")
        # mpsdash's whole-command deadline (120 s by default) is below the one-chain floor of a
        # big listing at a long round trip: four times that floor, so that only a hang stops it.
        DEADLINE=$("$PY" -c "import math; print(int(4 * (2 + math.ceil($n / 100)) * $r) + 60)")
        printf '%-9s %6d %5s | %-8s %13s %15s %9s %6s %7s %9s %7s\n' "floor" "$n" "${rtt}ms" "" \
            "$floor_first" "$one_chain/$two_chain" "$(( (n + 99) / 100 ))" 1 "" "" ""
        clients=$TOOLS
        [ -n "$BASELINE" ] && clients="baseline $clients"
        for c in $clients; do
            run_client "$c"
            ratio=$("$PY" -c "print('%.2f' % ($R_TOTAL / $one_chain))")
            printf '%-9s %6d %5s | %-8s %13s %15s %9s %6s %7s %9s %7s\n' "$c" "$n" "${rtt}ms" \
                "$R_ROWS" "$R_FIRST" "$R_TOTAL" "$R_REQ" "$R_CONN" "$R_CPU" "$R_RSS" "${ratio}x"
            if [ "$R_ROWS" != "$n" ]; then
                echo "bench_rtt: $c listed $R_ROWS of $n solutions" >&2
                tail -n 3 "$TMP/client.err" >&2
            fi
        done
    done
    kill -TERM $ng_pid $sbx_pid 2>/dev/null
    wait $ng_pid $sbx_pid 2>/dev/null
    rm -f "$TMP/sbx.port"
done
echo "floor: first row = TCP + TLS + 1 request; full list = 1 chain / 2 chains (role=OWNER and"
echo "role=PARTNER at once); 'vs 1ch' = full listing / the one-chain floor (goal for mpsdash <= 0.6)"
