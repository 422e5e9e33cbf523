#!/usr/bin/env bash
# Audit for teams: every audit line says who and where (user, uid, host, the Graph URL) and
# carries the fbtrace_id of successes too (the x-fb-trace-id of the POST's answer); with
# audit_syslog set, the same line also goes to syslog(3), read here from a private /dev/log.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"

# field N FIELD: a field of the audit log's line N (1-based; -1 the last)
field() {
    python3 - "$AUDIT" "$1" "$2" <<'EOF'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
v = json.loads(lines[int(sys.argv[2]) if int(sys.argv[2]) < 0 else int(sys.argv[2]) - 1]).get(sys.argv[3])
print("null" if v is None else v)
EOF
}
# The x-fb-trace-id of the answers to POSTs in a --trace file, one a line.
post_traces() {
    awk 'tolower($0) ~ /^(> )?post / {p = 1} p && tolower($0) ~ /x-fb-trace-id:/ {print $NF; p = 0}' "$1"
}

# ---- a success: who, where, and the answer's fbtrace_id
run as_a accept 900000000000001 --yes --trace "$TMP/ok.trace"
expect_rc 0 "accept"
expect_eq "$(field -1 outcome)" "ok" "the outcome line"
expect_eq "$(field -1 user)" "$(id -un)" "the user who ran it"
expect_eq "$(field -1 uid)" "$(id -u)" "the uid"
expect_eq "$(field -1 host)" "$(hostname)" "the host"
expect_eq "$(field -1 graph_url)" "$URL" "the Graph URL it went to"
expect_eq "$(field -2 phase)/$(field -2 host)/$(field -2 graph_url)" "intent/$(hostname)/$URL" \
    "the write-ahead intent says who and where too"
trace_id=$(field -1 fbtrace_id)
case $trace_id in
SBX*) ok "a success keeps its fbtrace_id ($trace_id)" ;;
*) fail "a success keeps its fbtrace_id" "got: $trace_id" ;;
esac
expect_eq "$(post_traces "$TMP/ok.trace")" "$trace_id" "it is the x-fb-trace-id of the POST's answer"

# ---- a refusal: its fbtrace_id as before, and who and where
run as_a accept 900000000000006 --yes
expect_rc 6 "accept of an active solution is refused"
expect_eq "$(field -1 outcome)" "error" "audited as an error"
expect_in "$ERR" "fbtrace_id $(field -1 fbtrace_id)" "the audit's fbtrace_id is the one shown"
expect_eq "$(field -1 user)/$(field -1 uid)" "$(id -un)/$(id -u)" "who, on the refusal"

# ---- business-token (a read, audited): the answer's fbtrace_id
run as_a business-token 900000000000006 --business 6143763655652543
if [ "$RC" = 0 ]; then
    expect_eq "$(field -1 action)/$(field -1 outcome)" "business-token/ok" "the token fetch is audited"
    case $(field -1 fbtrace_id) in
    SBX*) ok "the token fetch keeps its fbtrace_id" ;;
    *) fail "the token fetch keeps its fbtrace_id" "got: $(field -1 fbtrace_id)" ;;
    esac
else
    fail "business-token ran" "exit $RC"
fi

# ---- a bad facility is a configuration error, said plainly
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
CONF=$XDG_CONFIG_HOME/mpsdash/config
printf 'audit_syslog = "kern";\n' >"$CONF"
chmod 600 "$CONF"
run as_a accept 900000000000002 --yes
expect_rc 3 "audit_syslog = \"kern\""
expect_in "$ERR" "'audit_syslog' takes true, false or a syslog facility" "the error names the setting"
expect_eq "$(solution_status 900000000000002)" "INITIATED/PENDING_ACTIVATION" "nothing was sent"

# ---- the syslog sink, for real: syslog(3) writes to /dev/log; a private mount namespace gives
# the CLI a /dev whose log is a socket this test reads (the machine's /dev is not touched).
if unshare -m true 2>/dev/null; then
    NS=(unshare -m)
elif unshare -rm true 2>/dev/null; then
    NS=(unshare -rm)
else
    echo "# SKIP the syslog part: no private mount namespace here (unshare -m and -rm refused):" \
        "/dev/log cannot be given to the CLI without touching the machine's"
    [ "$FAILURES" -ne 0 ] && finish
    echo "# $CHECKS checks passed before the skip"
    exit 77
fi
SOCK=$TMP/log.sock
python3 - "$SOCK" "$TMP/syslog.txt" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536).rstrip(b"\n") + b"\n")
EOF
LISTENER=$!
trap 'kill "$LISTENER" 2>/dev/null; cleanup' EXIT
for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.05; done

# in_private_dev CMD...: CMD with /dev a fresh tmpfs holding the usual nodes and log -> SOCK
in_private_dev() {
    "${NS[@]}" bash -c '
        set -e
        sock=$1 old=$2
        shift 2
        mkdir -p "$old"
        mount --bind /dev "$old"
        mount -t tmpfs -o mode=0755 tmpfs /dev
        for n in null zero full random urandom; do
            touch "/dev/$n"
            mount --bind "$old/$n" "/dev/$n"
        done
        ln -s "$sock" /dev/log
        exec "$@"' private-dev "$SOCK" "$TMP/olddev" "$@"
}

printf 'audit_syslog = "local3";\n' >"$CONF"
in_private_dev env MPSDASH_TOKEN="$TOKEN_A" "$MPSDASH" --graph-url "$URL" --app-id "$APP_A" \
    --token-env MPSDASH_TOKEN accept 900000000000002 --yes </dev/null >"$TMP/sl.out" 2>"$TMP/sl.err"
RC=$?
OUT_FILE=$TMP/sl.out ERR_FILE=$TMP/sl.err
if [ "$RC" != 0 ] && grep -q "private-dev\|mount:" "$TMP/sl.err"; then
    echo "# SKIP the syslog part: the mount namespace could not be set up: $(head -c 300 "$TMP/sl.err")"
    [ "$FAILURES" -ne 0 ] && finish
    exit 77
fi
expect_rc 0 "accept with audit_syslog = \"local3\""
for _ in $(seq 100); do [ "$(grep -c . "$TMP/syslog.txt" 2>/dev/null)" -ge 2 ] && break; sleep 0.05; done
python3 - "$TMP/syslog.txt" "$AUDIT" <<'EOF'
import json, re, sys
got = open(sys.argv[1], encoding="utf-8").read().splitlines()
file_lines = open(sys.argv[2], encoding="utf-8").read().splitlines()[-2:]
checks = []
def check(cond, what):
    checks.append((cond, what))
# local3 (19) * 8 + notice (5) = 157; the ident and the pid as syslog(3) writes them
pat = re.compile(r"^<157>\w{3} [ \d]\d \d\d:\d\d:\d\d mpsdash\[(\d+)\]: (\{.*\})$")
m = [pat.match(l) for l in got]
check(len(got) == 2, "two syslog messages: the intent and the outcome (got %d)" % len(got))
check(all(m), "each is <local3.notice> with ident mpsdash[PID]")
if all(m) and len(got) == 2:
    check(m[0].group(1) == m[1].group(1), "both from one process")
    check([json.loads(x.group(2)) for x in m] == [json.loads(l) for l in file_lines],
          "each message is the audit file's line, field for field")
    rec = json.loads(m[1].group(2))
    check(rec.get("outcome") == "ok" and rec.get("solution_id") == "900000000000002",
          "the outcome of the accept")
    check(str(rec.get("fbtrace_id", "")).startswith("SBX"), "with its fbtrace_id")
for cond, what in checks:
    print("#   " + ("ok: " if cond else "NOT OK: ") + what)
sys.exit(0 if all(c for c, _ in checks) else 1)
EOF
if [ $? = 0 ]; then ok "the syslog sink carries the audit lines"; else
    fail "the syslog sink carries the audit lines" "$(cat -v "$TMP/syslog.txt" | head -c 1500)"; fi

# without the setting nothing goes to syslog
: >"$TMP/syslog.txt"
: >"$CONF"
in_private_dev env MPSDASH_TOKEN="$TOKEN_A" "$MPSDASH" --graph-url "$URL" --app-id "$APP_A" \
    --token-env MPSDASH_TOKEN reject 900000000000010 --yes </dev/null >/dev/null 2>"$TMP/sl2.err"
RC=$?
expect_rc 0 "reject without audit_syslog"
sleep 0.3
expect_eq "$(grep -c . "$TMP/syslog.txt")" 0 "without audit_syslog nothing reaches syslog"

finish
