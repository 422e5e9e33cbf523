#!/usr/bin/env python3
"""Where a listing's time goes above its floor, from bench_rtt.sh's DELAY_PROXY_LOG.

Usage: proxy_log_summary.py LOG

For each client run in the log (in the order bench_rtt.sh ran them), in milliseconds unless said:
  start     the client's start to its first bytes at the proxy (process start, loading, connect)
  first/end the first row written and the end of the run, in seconds
  gap       an answer's last bytes delivered to the client -> the client's next bytes (median,
            p90, and the sum in seconds): the client's own work between round trips
  behind    bytes passed on to the TLS front -> the first bytes of an answer back (median, p90,
            sum in seconds): nghttpx and the sandbox
  late      how much longer than RTT/2 the proxy held a chunk, per direction (median, p90): the
            emulation's own cost, the same for every client
"""
import sys


def stats(xs):
    xs = sorted(xs)
    if not xs:
        return "-"
    return "%.1f / %.1f / %.2fs" % (xs[len(xs) // 2] * 1e3, xs[int(len(xs) * 0.9)] * 1e3, sum(xs))


def pairs(events, start_kind, end_kind):
    """Times from each start_kind event to the next end_kind event after it."""
    out, since = [], None
    for t, _conn, d, ev, _n in events:
        if (d, ev) == start_kind:
            since = t
        elif (d, ev) == end_kind and since is not None:
            out.append(t - since)
            since = None
    return out


def main():
    runs, cur = [], None
    with open(sys.argv[1]) as f:
        for line in f:
            t, conn, d, ev, n = line.split()
            t = float(t)
            if d == "client":
                if ev == "start":
                    cur = {"start": t, "events": []}
                    runs.append(cur)
                elif cur is not None:
                    cur[ev] = t
            elif cur is not None and "end" not in cur and int(n) > 0:
                cur["events"].append((t, int(conn), d, ev, int(n)))
    print("%-4s %7s %7s %7s  %-22s %-22s %-12s %-12s" %
          ("run", "start", "first", "end", "gap med/p90/sum", "behind med/p90/sum",
           "late c2s", "late s2c"))
    for i, run in enumerate(runs, 1):
        ev, s = run["events"], run["start"]
        if not ev:
            continue
        rtt_half = min(b - a for a, b in zip(
            [e[0] for e in ev if e[2:4] == ("s2c", "read")],
            [e[0] for e in ev if e[2:4] == ("s2c", "sent")]))
        late = {}
        for d in ("c2s", "s2c"):
            held = []
            for c in sorted({e[1] for e in ev}):
                rd = [e[0] for e in ev if e[1] == c and e[2:4] == (d, "read")]
                sn = [e[0] for e in ev if e[1] == c and e[2:4] == (d, "sent")]
                held += [b - a - rtt_half for a, b in zip(rd, sn)]
            held.sort()
            late[d] = "%.1f / %.1f" % (held[len(held) // 2] * 1e3, held[int(len(held) * 0.9)] * 1e3)
        print("%-4d %7.1f %7.3f %7.2f  %-22s %-22s %-12s %-12s" % (
            i, (ev[0][0] - s) * 1e3, run.get("first-row", s) - s, run.get("end", s) - s,
            stats(pairs(ev, ("s2c", "sent"), ("c2s", "read"))),
            stats(pairs(ev, ("c2s", "sent"), ("s2c", "read"))), late["c2s"], late["s2c"]))


main()
