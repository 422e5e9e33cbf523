#!/usr/bin/env bash
# Round trips and wall time to list 1,000 solutions with 50 ms of server latency: `mpsdash list`
# (pages of 100 with partners expanded) against the naive way (the default list, then one GET
# per solution for its details, over one kept-alive connection).
#
# Usage: MPSDASH=build/mpsdash tests/bench/bench_list.sh
#        (BENCH_SOLUTIONS and BENCH_LATENCY_MS change the defaults of 1000 and 50)
set -u

MPSDASH=${MPSDASH:-$(cd "$(dirname "$0")/../.." && pwd)/build/mpsdash}
N=${BENCH_SOLUTIONS:-1000}
LATENCY=${BENCH_LATENCY_MS:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
SCENARIO=$HERE/../integration/scenarios/empty.json
TOKEN=sandbox-token-lucky-shrub
APP=21202248997039

if [ ! -x "$MPSDASH" ]; then
    echo "bench_list: no binary at $MPSDASH (set MPSDASH)" >&2
    exit 2
fi

TMP=$(mktemp -d /tmp/mpsdash-bench.XXXXXX)
export HOME=$TMP XDG_CONFIG_HOME=$TMP/config XDG_STATE_HOME=$TMP/state
SANDBOX_PID=
cleanup() {
    if [ -n "$SANDBOX_PID" ]; then
        kill -TERM "$SANDBOX_PID" 2>/dev/null
        wait "$SANDBOX_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

"$MPSDASH" sandbox --port 0 --port-file "$TMP/port" --request-log "$TMP/requests.log" \
    --scenario "$SCENARIO" --solutions "$N" --latency "$LATENCY" >"$TMP/sandbox.out" 2>&1 &
SANDBOX_PID=$!
deadline=$((SECONDS + 15))
while [ ! -s "$TMP/port" ]; do
    if ! kill -0 "$SANDBOX_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
        echo "bench_list: the sandbox did not start" >&2
        cat "$TMP/sandbox.out" >&2
        exit 1
    fi
    sleep 0.05
done
URL=http://127.0.0.1:$(cat "$TMP/port")

count_requests() { grep -c . "$TMP/requests.log" 2>/dev/null || echo 0; }
now_ms() { date +%s%3N; }

# ---- mpsdash list
: >"$TMP/requests.log"
t0=$(now_ms)
MPSDASH_TOKEN=$TOKEN "$MPSDASH" --graph-url "$URL" --app-id "$APP" --token-env MPSDASH_TOKEN \
    list --json >"$TMP/ours.json" || { echo "bench_list: mpsdash list failed" >&2; exit 1; }
t1=$(now_ms)
ours_ms=$((t1 - t0))
ours_req=$(count_requests)
ours_n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$TMP/ours.json")

# ---- the naive way: default list (default page size), then GET each solution's details
: >"$TMP/requests.log"
t0=$(now_ms)
naive_n=$(python3 - "$URL" "$APP" "$TOKEN" <<'EOF'
import http.client, json, sys, urllib.parse
base, app, token = sys.argv[1], sys.argv[2], sys.argv[3]
u = urllib.parse.urlsplit(base)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
headers = {"Authorization": "Bearer " + token}
def get(path):
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    return json.loads(r.read())
ids = []
path = "/v25.0/%s/whatsapp_business_solutions" % app
while path:
    page = get(path)
    ids += [s["id"] for s in page.get("data", [])]
    nxt = page.get("paging", {}).get("next")
    path = None
    if nxt:
        p = urllib.parse.urlsplit(nxt)
        path = p.path + ("?" + p.query if p.query else "")
fields = urllib.parse.quote("id,name,status,status_for_pending_request,owner_app,owner_permissions,"
                            "partners{id,status,partner_app,partner_permissions}")
for sid in ids:
    get("/v25.0/%s?fields=%s" % (sid, fields))
print(len(ids))
EOF
) || { echo "bench_list: the naive run failed" >&2; exit 1; }
t1=$(now_ms)
naive_ms=$((t1 - t0))
naive_req=$(count_requests)

printf 'list of %d solutions, %d ms server latency per request\n' "$N" "$LATENCY"
printf '%-30s %10s %12s %12s\n' "" "requests" "wall ms" "solutions"
printf '%-30s %10d %12d %12d\n' "mpsdash list" "$ours_req" "$ours_ms" "$ours_n"
printf '%-30s %10d %12d %12d\n' "naive (list + GET each)" "$naive_req" "$naive_ms" "$naive_n"
python3 -c 'import sys; r1,r2,t1,t2=map(int,sys.argv[1:]); print("ratio (naive / mpsdash): %.1fx requests, %.1fx wall time" % (r2/max(r1,1), t2/max(t1,1)))' \
    "$ours_req" "$naive_req" "$ours_ms" "$naive_ms"
