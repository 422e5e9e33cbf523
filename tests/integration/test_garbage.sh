#!/usr/bin/env bash
# A garbled status line is the server's fault, a protocol error (exit 5), never a usage error
# (exit 2): HTTP/9.9, a status code out of range, a non-numeric code, HTTP/0.9 (no status line),
# binary noise. A small raw-socket server on 127.0.0.1 answers every request with one of them.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/garbage.py" <<'PY'
import socket, sys
answers = {
    "version": b"HTTP/9.9 200 OK\r\nContent-Length: 2\r\n\r\n{}",
    "code": b"HTTP/1.1 99999 Odd\r\nContent-Length: 2\r\n\r\n{}",
    "letters": b"HTTP/1.1 abc OK\r\n\r\n",
    "nostatus": b"garbage\r\n\r\n",
    "noise": b"\x00\x01\x02\xff\r\n\r\n",
}
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(sys.argv[2], "w") as f:
    f.write(str(s.getsockname()[1]))
s.settimeout(120)  # stops by itself if the test dies
while True:
    try:
        c, _ = s.accept()
    except socket.timeout:
        break
    c.settimeout(5)
    try:
        c.recv(65536)
        c.sendall(answers[sys.argv[1]])
    except OSError:
        pass
    c.close()
PY

GARBAGE_PID=
stop_garbage() { [ -n "$GARBAGE_PID" ] && kill "$GARBAGE_PID" 2>/dev/null && wait "$GARBAGE_PID" 2>/dev/null; GARBAGE_PID=; }
trap 'stop_garbage; cleanup' EXIT

for kind in version code letters nostatus noise; do
    rm -f "$TMP/gport"
    python3 "$TMP/garbage.py" $kind "$TMP/gport" &
    GARBAGE_PID=$!
    for _ in $(seq 100); do [ -s "$TMP/gport" ] && break; sleep 0.05; done
    URL=http://127.0.0.1:$(cat "$TMP/gport")
    run as_a list
    expect_rc 5 "list against a $kind status line"
    expect_in "$ERR" "protocol" "$kind: reported as a protocol error"
    expect_not_in "$ERR" "usage" "$kind: not called a usage error"
    run as_a show 900000000000001 --json
    expect_rc 5 "show against a $kind status line"
    expect_eq "$OUT" "" "$kind: nothing on stdout"
    stop_garbage
done

finish
